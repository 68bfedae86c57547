"""Django admin for the risks area: configuration, and corrections to the register.

Day-to-day changes go through the portal's pages and services; records that carry a version
get a new one when saved here, so a form opened in the portal before the correction is refused.
"""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import (
    Contingency,
    DigestRun,
    Issue,
    Lesson,
    ReviewCadence,
    Risk,
    RiskAction,
    RiskCategory,
    RiskMatrix,
    RiskMatrixCell,
    RiskResponse,
    ScaleLevel,
)


class VersionedAdmin(SimpleHistoryAdmin):
    def save_model(self, request, obj, form, change):
        if change:
            obj.version += 1
        super().save_model(request, obj, form, change)


@admin.register(RiskCategory)
class RiskCategoryAdmin(SimpleHistoryAdmin):
    list_display = ["code", "name", "name_zh_hans", "parent", "is_active"]
    search_fields = ["code", "name", "name_zh_hans"]


@admin.register(ScaleLevel)
class ScaleLevelAdmin(SimpleHistoryAdmin):
    list_display = ["scale", "value", "name", "name_zh_hans"]
    list_filter = ["scale"]


@admin.register(RiskMatrixCell)
class RiskMatrixCellAdmin(SimpleHistoryAdmin):
    list_display = ["probability", "impact", "level"]


@admin.register(ReviewCadence)
class ReviewCadenceAdmin(SimpleHistoryAdmin):
    list_display = ["level", "days"]


class RiskResponseInline(admin.StackedInline):
    model = RiskResponse
    extra = 0
    fields = ["strategy", "plan"]


@admin.register(Risk)
class RiskAdmin(VersionedAdmin):
    list_display = ["__str__", "project", "kind", "status", "residual_level", "owner", "emv"]
    list_filter = ["kind", "status", "residual_level", "category"]
    search_fields = ["title", "project__code"]
    raw_id_fields = ["project", "owner"]
    readonly_fields = ["inherent_score", "inherent_level", "residual_score", "residual_level",
                       "emv", "schedule_emv", "currency"]  # fmt: skip
    inlines = [RiskResponseInline]

    def save_model(self, request, obj, form, change):
        obj.work_out_figures(RiskMatrix.load())
        if not change:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)


@admin.register(RiskAction)
class RiskActionAdmin(VersionedAdmin):
    list_display = ["description", "owner", "due", "status"]
    list_filter = ["status"]
    raw_id_fields = ["response", "owner"]


@admin.register(Contingency)
class ContingencyAdmin(VersionedAdmin):
    list_display = ["project", "cost_reserve", "schedule_reserve_days"]
    raw_id_fields = ["project"]


@admin.register(Issue)
class IssueAdmin(VersionedAdmin):
    list_display = ["__str__", "project", "severity", "status", "owner", "due", "escalated_at"]
    list_filter = ["severity", "status"]
    search_fields = ["title", "project__code"]
    raw_id_fields = ["project", "risk", "owner"]


@admin.register(Lesson)
class LessonAdmin(VersionedAdmin):
    list_display = ["title", "project", "category", "source", "created_at"]
    list_filter = ["source", "category"]
    search_fields = ["title", "tags"]
    raw_id_fields = ["project", "phase"]


@admin.register(DigestRun)
class DigestRunAdmin(admin.ModelAdmin):
    list_display = ["owner", "period", "claimed_at", "sent_at", "reviews", "actions"]
    list_filter = ["period"]
