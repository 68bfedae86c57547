"""Django admin for the portfolio area.

Day-to-day changes go through the portal's pages and services, which also keep the ranking up
to date; the admin is for corrections. Records that carry a version get a new one when saved
here, so a form opened in the portal before the correction is refused rather than overwriting
it. Rankings are derived: read-only here.
"""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import (
    Criterion,
    CriterionLevel,
    PairwiseJudgement,
    Portfolio,
    PortfolioDecision,
    PortfolioProject,
    PortfolioReview,
    Programme,
    ProjectRanking,
    ReviewDecision,
    Scenario,
    ScenarioCandidate,
    ScenarioDependency,
    ScenarioRoleLimit,
    ScenarioYearLimit,
    Score,
    ScoreProposal,
    StrategicObjective,
)


class VersionedAdmin(SimpleHistoryAdmin):
    def save_model(self, request, obj, form, change):
        if change:
            obj.version += 1
        super().save_model(request, obj, form, change)


@admin.register(Portfolio)
class PortfolioAdmin(VersionedAdmin):
    list_display = ["name", "parent", "manager", "path"]
    list_select_related = ["parent", "manager"]
    search_fields = ["name"]
    raw_id_fields = ["manager"]
    autocomplete_fields = ["parent"]
    readonly_fields = ["path", "version"]


@admin.register(Programme)
class ProgrammeAdmin(SimpleHistoryAdmin):
    list_display = ["name", "portfolio", "manager"]
    list_select_related = ["portfolio", "manager"]
    list_filter = [("portfolio", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["name", "portfolio__name"]
    raw_id_fields = ["manager"]
    autocomplete_fields = ["portfolio"]


@admin.register(PortfolioProject)
class PortfolioProjectAdmin(SimpleHistoryAdmin):
    list_display = ["project", "portfolio", "programme", "risk_score"]
    list_select_related = ["project", "portfolio", "programme"]
    list_filter = ["risk_score"]
    search_fields = ["project__code", "project__name", "portfolio__name"]
    raw_id_fields = ["project"]
    autocomplete_fields = ["portfolio", "programme"]
    show_full_result_count = False


@admin.register(StrategicObjective)
class StrategicObjectiveAdmin(SimpleHistoryAdmin):
    list_display = ["name", "portfolio", "period", "weight"]
    list_select_related = ["portfolio"]
    list_filter = ["period"]
    search_fields = ["name"]


class CriterionLevelInline(admin.TabularInline):
    model = CriterionLevel
    extra = 0


@admin.register(Criterion)
class CriterionAdmin(VersionedAdmin):
    list_display = ["name", "portfolio", "period", "direction", "weight", "objective"]
    list_select_related = ["portfolio", "objective"]
    list_filter = ["period", "direction"]
    search_fields = ["name"]
    readonly_fields = ["scale_min", "scale_max", "version"]
    inlines = [CriterionLevelInline]


@admin.register(CriterionLevel)
class CriterionLevelAdmin(SimpleHistoryAdmin):
    list_display = ["criterion", "value", "label"]
    list_select_related = ["criterion"]
    search_fields = ["criterion__name", "label"]


@admin.register(PairwiseJudgement)
class PairwiseJudgementAdmin(SimpleHistoryAdmin):
    list_display = ["first", "second", "judgement"]
    list_select_related = ["first", "second"]
    raw_id_fields = ["first", "second"]


@admin.register(Score)
class ScoreAdmin(SimpleHistoryAdmin):
    list_display = ["project", "criterion", "level", "scored_by", "scored_at"]
    list_select_related = ["project", "criterion", "scored_by"]
    search_fields = ["project__code", "criterion__name"]
    raw_id_fields = ["project", "criterion", "scored_by"]
    show_full_result_count = False


@admin.register(ScoreProposal)
class ScoreProposalAdmin(SimpleHistoryAdmin):
    list_display = ["project", "criterion", "level", "status", "proposed_by", "proposed_at"]
    list_select_related = ["project", "criterion", "proposed_by"]
    list_filter = ["status"]
    search_fields = ["project__code", "criterion__name"]
    raw_id_fields = ["project", "criterion", "proposed_by", "decided_by"]
    show_full_result_count = False


@admin.register(ProjectRanking)
class ProjectRankingAdmin(admin.ModelAdmin):
    list_display = ["project", "portfolio", "period", "rank", "weighted_score", "scored_criteria"]
    list_select_related = ["project", "portfolio"]
    list_filter = ["period"]
    search_fields = ["project__code"]
    show_full_result_count = False

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class ScenarioYearLimitInline(admin.TabularInline):
    model = ScenarioYearLimit
    extra = 0


class ScenarioRoleLimitInline(admin.TabularInline):
    model = ScenarioRoleLimit
    extra = 0


@admin.register(Scenario)
class ScenarioAdmin(VersionedAdmin):
    list_display = ["name", "portfolio", "period", "status", "solved_at", "total_value"]
    list_select_related = ["portfolio"]
    list_filter = ["status", "period"]
    search_fields = ["name"]
    raw_id_fields = ["created_by", "committed_by"]
    readonly_fields = ["version", "created_at"]
    inlines = [ScenarioYearLimitInline, ScenarioRoleLimitInline]


@admin.register(ScenarioCandidate)
class ScenarioCandidateAdmin(SimpleHistoryAdmin):
    list_display = ["scenario", "project", "forced", "exclusive_group", "selected", "value"]
    list_select_related = ["scenario", "project"]
    list_filter = ["forced", "selected"]
    search_fields = ["project__code", "scenario__name"]
    raw_id_fields = ["scenario", "project"]
    show_full_result_count = False


@admin.register(ScenarioYearLimit)
class ScenarioYearLimitAdmin(SimpleHistoryAdmin):
    list_display = ["scenario", "year", "budget"]
    list_select_related = ["scenario"]


@admin.register(ScenarioRoleLimit)
class ScenarioRoleLimitAdmin(SimpleHistoryAdmin):
    list_display = ["scenario", "role", "hours"]
    list_select_related = ["scenario", "role"]


@admin.register(ScenarioDependency)
class ScenarioDependencyAdmin(SimpleHistoryAdmin):
    list_display = ["scenario", "project", "requires"]
    list_select_related = ["scenario", "project", "requires"]
    raw_id_fields = ["scenario", "project", "requires"]


@admin.register(PortfolioDecision)
class PortfolioDecisionAdmin(admin.ModelAdmin):
    list_display = ["project", "decision", "scenario", "decided_by", "decided_on"]
    list_select_related = ["project", "scenario", "decided_by"]
    list_filter = ["decision"]
    search_fields = ["project__code", "scenario__name"]
    raw_id_fields = ["project", "scenario", "decided_by"]
    date_hierarchy = "decided_on"
    show_full_result_count = False


@admin.register(PortfolioReview)
class PortfolioReviewAdmin(VersionedAdmin):
    list_display = ["portfolio", "period", "held_on", "status", "meeting"]
    list_select_related = ["portfolio", "meeting"]
    list_filter = ["status"]
    raw_id_fields = ["meeting", "created_by"]
    readonly_fields = ["version"]


@admin.register(ReviewDecision)
class ReviewDecisionAdmin(SimpleHistoryAdmin):
    list_display = ["review", "project", "decision", "decided_by"]
    list_select_related = ["review", "review__portfolio", "project", "decided_by"]
    list_filter = ["decision"]
    search_fields = ["project__code"]
    raw_id_fields = ["review", "project", "decided_by"]
    show_full_result_count = False
