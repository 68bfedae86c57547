from django.contrib import admin
from django.contrib.auth import get_user_model
from import_export import resources
from import_export.admin import ImportExportModelAdmin
from import_export.fields import Field
from import_export.widgets import ForeignKeyWidget, ManyToManyWidget
from simple_history.admin import SimpleHistoryAdmin

from .models import Department, ExchangeRate, Project, ProjectType, Tag

User = get_user_model()


class TagsWidget(ManyToManyWidget):
    """Tags by name, separated by commas; a tag not yet known is created."""

    def __init__(self):
        super().__init__(Tag, separator=",", field="name")

    def clean(self, value, row=None, **kwargs):
        names = [name.strip() for name in (value or "").split(",") if name.strip()]
        Tag.objects.bulk_create([Tag(name=name) for name in names], ignore_conflicts=True)
        return Tag.objects.filter(name__in=names)


class DepartmentResource(resources.ModelResource):
    parent = Field(attribute="parent", column_name="parent",
                   widget=ForeignKeyWidget(Department, field="code"))  # fmt: skip

    class Meta:
        model = Department
        import_id_fields = ["code"]
        fields = ["code", "name", "name_zh_hans", "parent"]
        clean_model_instances = True
        skip_unchanged = True


class ProjectResource(resources.ModelResource):
    """CSV/XLSX import and export of the register; rows are validated as the forms validate."""

    manager = Field(attribute="manager", column_name="manager",
                    widget=ForeignKeyWidget(User, field="username"))  # fmt: skip
    sponsor = Field(attribute="sponsor", column_name="sponsor",
                    widget=ForeignKeyWidget(User, field="username"))  # fmt: skip
    department = Field(attribute="department", column_name="department",
                       widget=ForeignKeyWidget(Department, field="code"))  # fmt: skip
    project_type = Field(attribute="project_type", column_name="project_type",
                         widget=ForeignKeyWidget(ProjectType, field="name"))  # fmt: skip
    tags = Field(attribute="tags", column_name="tags", widget=TagsWidget())

    class Meta:
        model = Project
        import_id_fields = ["code"]
        fields = [
            "code", "name", "description", "project_type", "department", "manager", "sponsor",
            "status", "priority", "planned_start", "planned_end", "forecast_start",
            "forecast_end", "actual_start", "actual_end", "budget", "currency", "tags",
        ]  # fmt: skip
        export_order = fields
        clean_model_instances = True
        skip_unchanged = True
        report_skipped = False

    def import_data(self, dataset, **kwargs):
        # One bad row and the whole file imports nothing.
        kwargs.setdefault("rollback_on_validation_errors", True)
        return super().import_data(dataset, **kwargs)

    def before_save_instance(self, instance, row, **kwargs):
        if instance.pk:
            instance.version += 1


@admin.register(Department)
class DepartmentAdmin(ImportExportModelAdmin, SimpleHistoryAdmin):
    resource_classes = [DepartmentResource]
    list_display = ["code", "name", "name_zh_hans", "parent"]
    list_filter = [("parent", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["code", "name", "name_zh_hans"]
    autocomplete_fields = ["parent"]


@admin.register(ProjectType)
class ProjectTypeAdmin(SimpleHistoryAdmin):
    list_display = ["name", "name_zh_hans"]
    search_fields = ["name", "name_zh_hans"]


@admin.register(ExchangeRate)
class ExchangeRateAdmin(SimpleHistoryAdmin):
    list_display = ["currency", "rate"]


@admin.register(Tag)
class TagAdmin(admin.ModelAdmin):
    list_display = ["name"]
    search_fields = ["name"]


@admin.register(Project)
class ProjectAdmin(ImportExportModelAdmin, SimpleHistoryAdmin):
    resource_classes = [ProjectResource]
    list_display = ["code", "name", "department", "manager", "status", "priority", "budget",
                    "currency", "planned_end"]  # fmt: skip
    list_filter = ["status", "priority", "project_type", "currency",
                   ("department", admin.RelatedOnlyFieldListFilter)]  # fmt: skip
    list_select_related = ["department", "manager"]
    search_fields = ["code", "name", "description", "manager__username", "manager__last_name"]
    autocomplete_fields = ["manager", "sponsor", "department", "tags"]
    date_hierarchy = "planned_start"
    readonly_fields = ["version", "created_at", "updated_at"]
    list_per_page = 50
    show_full_result_count = False

    def save_model(self, request, obj, form, change):
        if change:
            obj.version += 1
        super().save_model(request, obj, form, change)
