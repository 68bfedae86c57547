import uuid

from django.contrib import admin
from django.contrib.auth import get_user_model
from import_export import resources
from import_export.admin import ImportExportModelAdmin
from import_export.fields import Field
from import_export.widgets import ForeignKeyWidget, ManyToManyWidget
from simple_history.admin import SimpleHistoryAdmin

from .models import (
    ActionItem,
    ChangeRequest,
    Department,
    ExchangeRate,
    GateCondition,
    GateDecision,
    GateSubmission,
    GovernanceSettings,
    LifecycleTemplate,
    Meeting,
    MeetingDecision,
    Methodology,
    Milestone,
    Project,
    ProjectChecklistItem,
    ProjectPhase,
    ProjectType,
    Standard,
    StandardAttachment,
    Tag,
    TemplateChecklistItem,
    TemplatePhase,
)

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


class TemplateChecklistItemInline(admin.TabularInline):
    model = TemplateChecklistItem
    extra = 0


@admin.register(Methodology)
class MethodologyAdmin(SimpleHistoryAdmin):
    list_display = ["name", "name_zh_hans"]
    search_fields = ["name", "name_zh_hans"]


class TemplatePhaseInline(admin.StackedInline):
    model = TemplatePhase
    extra = 0
    filter_horizontal = ["standards"]


@admin.register(LifecycleTemplate)
class LifecycleTemplateAdmin(SimpleHistoryAdmin):
    list_display = ["name", "methodology", "version", "status", "created_at"]
    list_filter = ["status", "methodology"]
    search_fields = ["name"]
    readonly_fields = ["family", "previous_version", "created_by"]
    inlines = [TemplatePhaseInline]

    def save_model(self, request, obj, form, change):
        if not change:
            obj.family = uuid.uuid4()
            obj.created_by = request.user
        super().save_model(request, obj, form, change)


@admin.register(TemplatePhase)
class TemplatePhaseAdmin(admin.ModelAdmin):
    list_display = ["name", "template", "order", "gate_name", "gate_approver"]
    list_filter = ["template__methodology"]
    inlines = [TemplateChecklistItemInline]


class StandardAttachmentInline(admin.TabularInline):
    model = StandardAttachment
    extra = 0
    readonly_fields = ["uploaded_by", "uploaded_at"]


@admin.register(Standard)
class StandardAdmin(SimpleHistoryAdmin):
    list_display = ["title", "category", "version", "owner", "updated_at"]
    list_filter = ["category"]
    search_fields = ["title", "body"]
    autocomplete_fields = ["owner"]
    inlines = [StandardAttachmentInline]


@admin.register(GovernanceSettings)
class GovernanceSettingsAdmin(SimpleHistoryAdmin):
    list_display = ["mode", "updated_at"]

    def has_add_permission(self, request):
        return not GovernanceSettings.objects.exists()

    def has_delete_permission(self, request, obj=None):
        return False


class ProjectChecklistItemInline(admin.TabularInline):
    model = ProjectChecklistItem
    extra = 0
    fields = ["order", "title", "kind", "mandatory", "evidence", "met_by", "met_at"]
    readonly_fields = ["met_by", "met_at"]


@admin.register(ProjectPhase)
class ProjectPhaseAdmin(SimpleHistoryAdmin):
    list_display = ["project", "order", "name", "status", "gate_status", "planned_end"]
    list_filter = ["status", "gate_status"]
    list_select_related = ["project"]
    search_fields = ["project__code", "project__name", "name"]
    raw_id_fields = ["project", "source"]
    inlines = [ProjectChecklistItemInline]
    show_full_result_count = False


class GateConditionInline(admin.TabularInline):
    model = GateCondition
    extra = 0
    raw_id_fields = ["owner"]


@admin.register(GateDecision)
class GateDecisionAdmin(admin.ModelAdmin):
    list_display = ["submission", "outcome", "decided_by", "decided_at"]
    list_filter = ["outcome"]
    raw_id_fields = ["submission", "decided_by"]
    inlines = [GateConditionInline]


@admin.register(GateSubmission)
class GateSubmissionAdmin(admin.ModelAdmin):
    list_display = ["phase", "submitted_by", "submitted_at", "status"]
    list_filter = ["status"]
    raw_id_fields = ["phase", "submitted_by"]
    show_full_result_count = False


@admin.register(Milestone)
class MilestoneAdmin(SimpleHistoryAdmin):
    list_display = ["name", "project", "baseline_date", "forecast_date", "actual_date"]
    search_fields = ["name", "project__code"]
    raw_id_fields = ["project"]
    show_full_result_count = False


@admin.register(ChangeRequest)
class ChangeRequestAdmin(SimpleHistoryAdmin):
    list_display = ["code", "title", "project", "status", "schedule_impact_days", "cost_impact",
                    "requested_at"]  # fmt: skip
    list_filter = ["status"]
    search_fields = ["title", "project__code"]
    raw_id_fields = ["project", "requested_by", "decided_by"]
    show_full_result_count = False


class MeetingDecisionInline(admin.TabularInline):
    model = MeetingDecision
    extra = 0


class ActionItemInline(admin.TabularInline):
    model = ActionItem
    extra = 0
    raw_id_fields = ["owner"]


@admin.register(Meeting)
class MeetingAdmin(SimpleHistoryAdmin):
    list_display = ["title", "kind", "held_on", "project"]
    list_filter = ["kind"]
    search_fields = ["title", "project__code"]
    raw_id_fields = ["project", "gate_submission", "created_by"]
    filter_horizontal = ["attendees"]
    inlines = [MeetingDecisionInline, ActionItemInline]


@admin.register(ActionItem)
class ActionItemAdmin(SimpleHistoryAdmin):
    list_display = ["description", "owner", "due_date", "status"]
    list_filter = ["status"]
    raw_id_fields = ["meeting", "owner"]
    show_full_result_count = False
