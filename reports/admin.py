"""Django admin for status reporting: thresholds, targets, periods, schedules, reports, surveys.

Day-to-day work goes through the portal's pages and services; the admin is for corrections.
Records that carry a version get a new one when saved here, so a form opened in the portal
before the correction is refused rather than overwriting it.
"""

from django.contrib import admin, messages
from django.db.models import Count, Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from simple_history.admin import SimpleHistoryAdmin

from .models import (
    ClosureSurvey,
    EffectivenessTarget,
    RagThresholds,
    ReminderClaim,
    ReportDelivery,
    ReportingPeriod,
    ReportingSchedule,
    ReportRun,
    ReportSubscription,
    StatusReport,
)
from .services import executive


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


# --- executive PDF reports -------------------------------------------------------------------


@admin.register(ReportSubscription)
class ReportSubscriptionAdmin(SimpleHistoryAdmin):
    """Everyone's subscriptions. Saving or deleting one here also changes or removes its
    schedule entry (django-celery-beat), as in the portal."""

    list_display = ["name", "owner", "report_type", "language", "frequency", "schedule",
                    "active"]  # fmt: skip
    list_filter = ["active", "frequency", "report_type", "language"]
    search_fields = ["name", "owner__username", "owner__first_name", "owner__last_name"]
    list_select_related = ["owner"]
    raw_id_fields = ["owner", "projects"]
    filter_horizontal = ["portfolios", "departments", "recipients"]
    readonly_fields = ["periodic_task", "version"]

    @admin.display(description=_("schedule"))
    def schedule(self, obj):
        return obj.schedule_display()

    def save_model(self, request, obj, form, change):
        if change:
            obj.version += 1
        super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        executive.schedule_sync(form.instance)

    def delete_model(self, request, obj):
        executive.subscription_delete(subscription=obj, by=request.user)

    def delete_queryset(self, request, queryset):
        for subscription in queryset:
            executive.subscription_delete(subscription=subscription, by=request.user)


class ReportDeliveryInline(admin.TabularInline):
    model = ReportDelivery
    fields = readonly_fields = ["email", "user", "sent_at", "refused"]
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(ReportRun)
class ReportRunAdmin(admin.ModelAdmin):
    """Every delivery, read-only, with its error; failed ones can be queued again."""

    list_display = ["subscription", "trigger", "period_end", "state", "created_at",
                    "finished_at", "pages", "size", "reached", "attempts",
                    "short_error"]  # fmt: skip
    list_filter = ["state", "trigger", "subscription__report_type"]
    search_fields = ["subscription__name", "error"]
    date_hierarchy = "created_at"
    list_select_related = ["subscription"]
    inlines = [ReportDeliveryInline]
    actions = ["queue_again"]

    def get_readonly_fields(self, request, obj=None):
        return [field.name for field in self.model._meta.fields]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(reached_count=Count("deliveries", filter=Q(deliveries__refused="")))
        )

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    @admin.display(description=_("recipients reached"), ordering="reached_count")
    def reached(self, obj):
        return obj.reached_count

    @admin.display(description=_("error"))
    def short_error(self, obj):
        return obj.error[:120]

    @admin.action(description=_("Queue the failed runs again"), permissions=["view"])
    def queue_again(self, request, queryset):
        if not executive.permissions.can_manage_any_subscription(request.user):
            self.message_user(request, _("Only PMO admins queue runs again."), messages.ERROR)
            return
        queued = 0
        for run in queryset.filter(state=ReportRun.State.FAILED):
            queued += executive.run_retry(run=run, by=request.user).state == "queued"
        self.message_user(
            request,
            ngettext("%(count)d run queued again.", "%(count)d runs queued again.", queued)
            % {"count": queued},
        )
