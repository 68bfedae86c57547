"""Django admin for status reporting: thresholds, targets, periods, schedules, reports, surveys.

Day-to-day work goes through the portal's pages and services; the admin is for corrections.
Records that carry a version get a new one when saved here, so a form opened in the portal
before the correction is refused rather than overwriting it.
"""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import (
    ClosureSurvey,
    EffectivenessTarget,
    RagThresholds,
    ReminderClaim,
    ReportingPeriod,
    ReportingSchedule,
    StatusReport,
)


class VersionedAdmin(SimpleHistoryAdmin):
    def save_model(self, request, obj, form, change):
        if change:
            obj.version += 1
        super().save_model(request, obj, form, change)


@admin.register(RagThresholds)
class RagThresholdsAdmin(VersionedAdmin):
    list_display = ["__str__", "spi_amber", "spi_red", "cpi_amber", "cpi_red"]


@admin.register(EffectivenessTarget)
class EffectivenessTargetAdmin(SimpleHistoryAdmin):
    list_display = ["metric", "target"]


@admin.register(ReportingPeriod)
class ReportingPeriodAdmin(admin.ModelAdmin):
    list_display = ["__str__", "frequency", "start", "end", "due_on"]
    list_filter = ["frequency"]
    date_hierarchy = "end"


@admin.register(ReportingSchedule)
class ReportingScheduleAdmin(SimpleHistoryAdmin):
    list_display = ["project", "frequency", "planned_value_method"]
    list_filter = ["frequency", "planned_value_method"]
    search_fields = ["project__code", "project__name"]
    raw_id_fields = ["project"]
    list_select_related = ["project"]


@admin.register(StatusReport)
class StatusReportAdmin(VersionedAdmin):
    list_display = ["project", "period", "state", "overall_rag", "suggested_rag", "cpi", "spi"]
    list_filter = ["state", "overall_rag"]
    search_fields = ["project__code", "project__name"]
    raw_id_fields = ["project", "period", "author"]
    list_select_related = ["project", "period"]
    readonly_fields = ["bac", "pv", "ev", "ac", "eac", "cpi", "spi", "figures", "submitted_at",
                       "reviewed_by", "reviewed_at"]  # fmt: skip


@admin.register(ClosureSurvey)
class ClosureSurveyAdmin(SimpleHistoryAdmin):
    list_display = ["project", "satisfaction", "on_scope", "value_delivered", "recorded_on"]
    raw_id_fields = ["project", "recorded_by"]
    list_select_related = ["project"]


@admin.register(ReminderClaim)
class ReminderClaimAdmin(admin.ModelAdmin):
    list_display = ["project", "period", "kind", "sent_at"]
    list_filter = ["kind"]
    raw_id_fields = ["project", "period"]
