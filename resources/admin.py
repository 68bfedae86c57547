"""Django admin for the resources area: reference data, the register, bookings and cost.

Day-to-day changes go through the portal's pages and services; the admin is for corrections and
reference data. Records that carry a version get a new one when saved here, so a form opened
in the portal before the correction is refused rather than overwriting it.
"""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import (
    Absence,
    ActualCost,
    Allocation,
    BudgetLine,
    Capacity,
    Resource,
    ResourceRequest,
    ResourceRole,
    ResourceSkill,
    Skill,
    UtilisationTarget,
)


class VersionedAdmin(SimpleHistoryAdmin):
    def save_model(self, request, obj, form, change):
        if change:
            obj.version += 1
        super().save_model(request, obj, form, change)


@admin.register(ResourceRole)
class ResourceRoleAdmin(SimpleHistoryAdmin):
    list_display = ["name", "name_zh_hans"]
    search_fields = ["name", "name_zh_hans"]


@admin.register(Skill)
class SkillAdmin(admin.ModelAdmin):
    list_display = ["name", "name_zh_hans"]
    search_fields = ["name", "name_zh_hans"]


class ResourceSkillInline(admin.TabularInline):
    model = ResourceSkill
    extra = 0
    autocomplete_fields = ["skill"]


class CapacityInline(admin.TabularInline):
    model = Capacity
    extra = 0
    fields = ["start", "end", "hours_per_week"]
    readonly_fields = ["end"]


@admin.register(Resource)
class ResourceAdmin(VersionedAdmin):
    list_display = ["name", "kind", "role", "department", "cost_rate", "currency", "is_active"]
    list_filter = ["kind", "is_active", "currency", "role",
                   ("department", admin.RelatedOnlyFieldListFilter)]  # fmt: skip
    list_select_related = ["role", "department"]
    search_fields = ["name", "email", "user__username", "user__last_name"]
    raw_id_fields = ["user"]
    autocomplete_fields = ["role", "department"]
    readonly_fields = ["version"]
    inlines = [ResourceSkillInline, CapacityInline]
    list_per_page = 50
    show_full_result_count = False


@admin.register(ResourceSkill)
class ResourceSkillAdmin(admin.ModelAdmin):
    list_display = ["resource", "skill", "level"]
    list_filter = ["level", "skill"]
    list_select_related = ["resource", "skill"]
    search_fields = ["resource__name", "skill__name"]
    raw_id_fields = ["resource"]
    show_full_result_count = False


@admin.register(Capacity)
class CapacityAdmin(SimpleHistoryAdmin):
    list_display = ["resource", "start", "end", "hours_per_week"]
    list_select_related = ["resource"]
    search_fields = ["resource__name"]
    raw_id_fields = ["resource"]
    readonly_fields = ["end"]
    date_hierarchy = "start"
    show_full_result_count = False


@admin.register(Absence)
class AbsenceAdmin(SimpleHistoryAdmin):
    list_display = ["resource", "kind", "start", "end", "note"]
    list_filter = ["kind"]
    list_select_related = ["resource"]
    search_fields = ["resource__name", "note"]
    raw_id_fields = ["resource"]
    date_hierarchy = "start"
    show_full_result_count = False


@admin.register(ResourceRequest)
class ResourceRequestAdmin(VersionedAdmin):
    list_display = ["project", "role", "amount", "unit", "start", "end", "status",
                    "requested_by", "requested_at"]  # fmt: skip
    list_filter = ["status", "unit", "role"]
    list_select_related = ["project", "role", "requested_by"]
    search_fields = ["project__code", "project__name", "note"]
    raw_id_fields = ["project", "requested_by", "decided_by"]
    filter_horizontal = ["skills"]
    readonly_fields = ["version", "requested_at"]
    date_hierarchy = "start"
    show_full_result_count = False


@admin.register(Allocation)
class AllocationAdmin(VersionedAdmin):
    list_display = ["resource", "project", "start", "end", "percent", "hours_per_week", "booking"]
    list_filter = ["booking"]
    list_select_related = ["resource", "project"]
    search_fields = ["resource__name", "project__code", "project__name"]
    raw_id_fields = ["resource", "project", "request"]
    readonly_fields = ["version"]
    date_hierarchy = "start"
    show_full_result_count = False


@admin.register(BudgetLine)
class BudgetLineAdmin(SimpleHistoryAdmin):
    list_display = ["project", "category", "period", "amount"]
    list_filter = ["category"]
    list_select_related = ["project"]
    search_fields = ["project__code", "project__name"]
    raw_id_fields = ["project"]
    date_hierarchy = "period"
    show_full_result_count = False


@admin.register(ActualCost)
class ActualCostAdmin(SimpleHistoryAdmin):
    list_display = ["project", "category", "period", "amount", "note"]
    list_filter = ["category"]
    list_select_related = ["project"]
    search_fields = ["project__code", "project__name", "note"]
    raw_id_fields = ["project"]
    date_hierarchy = "period"
    show_full_result_count = False


@admin.register(UtilisationTarget)
class UtilisationTargetAdmin(SimpleHistoryAdmin):
    list_display = ["__str__", "role", "percent"]
    autocomplete_fields = ["role"]
