"""The ranking of projects by weighted score, and how its top moves when a weight moves."""

from collections import defaultdict

from django.conf import settings
from django.db.models import Max
from django.shortcuts import render
from django.utils import timezone
from django_filters.views import FilterView
from django_tables2 import SingleTableMixin

from projects.models import budget_in_reporting_currency

from .. import scoring
from ..filters import RankingFilter
from ..models import Criterion, ProjectRanking, Score
from ..services.ranking import scoring_criteria
from ..tables import RankingTable
from .criteria import frame_of
from .structure import ensure_reader, visible

SENSITIVITY_STEPS = 11
TOP = 10


def ranking_period(request) -> int:
    """The period asked for, else this year if anything is ranked in it, else the latest."""
    asked = request.GET.get("period", "")
    if asked.isdigit():
        return int(asked)
    this_year = timezone.localdate().year
    periods = ProjectRanking.objects.aggregate(latest=Max("period"))
    if ProjectRanking.objects.filter(period=this_year).exists() or periods["latest"] is None:
        return this_year
    return periods["latest"]


class RankingView(SingleTableMixin, FilterView):
    """Projects by weighted score in a period: sortable, filtered, page by page."""

    model = ProjectRanking
    table_class = RankingTable
    filterset_class = RankingFilter
    template_name = "portfolio/ranking/ranking.html"
    table_pagination = {"per_page": 25}

    def get_queryset(self):
        ensure_reader(self.request.user)
        self.period = ranking_period(self.request)
        return (
            visible(ProjectRanking.objects.filter(period=self.period), self.request.user)
            .select_related(
                "project",
                "project__department",
                "project__portfolio_placement__portfolio",
                "project__portfolio_placement__programme",
            )
            .annotate(budget_rc=budget_in_reporting_currency("project__"))
        )

    def get_template_names(self):
        if self.request.htmx and not self.request.htmx.boosted:
            return [f"{self.template_name}#results"]
        return [self.template_name]

    def get_context_data(self, **kwargs):
        return {
            **super().get_context_data(**kwargs),
            "period": self.period,
            "currency": settings.DEFAULT_CURRENCY,
        }


def _sensitivity(criteria: list[Criterion], chosen: int):
    """The frame's projects' normalised levels, and how the top 10 moves with the weight
    share of criterion `chosen` (an index into `criteria`)."""
    rankings = list(
        ProjectRanking.objects.filter(
            portfolio_id=criteria[0].portfolio_id, period=criteria[0].period
        )
        .select_related("project")
        .order_by("rank")
    )
    levels = defaultdict(dict)
    for project_id, criterion_id, level in Score.objects.filter(criterion__in=criteria).values_list(
        "project_id", "criterion_id", "level"
    ):
        levels[project_id][criterion_id] = level
    maths = scoring_criteria(criteria)
    matrix = scoring.score_matrix([levels.get(r.project_id, {}) for r in rankings], maths)
    weights = [c.weight for c in maths]
    steps = scoring.sensitivity(matrix, weights, chosen, steps=SENSITIVITY_STEPS, top=TOP)
    intervals = scoring.rank_changes(matrix, weights, chosen, top=TOP)
    shown = sorted({row for step in steps for row in step.top})
    lines = scoring.sensitivity(
        matrix[shown], weights, chosen, steps=SENSITIVITY_STEPS, top=len(shown)
    ) if shown else []  # fmt: skip
    by_row = {row: [0.0] * len(lines) for row in shown}
    for index, step in enumerate(lines):
        for position, score in zip(step.top, step.scores, strict=True):
            by_row[shown[position]][index] = score
    return {
        "rankings": rankings,
        "share_now": scoring.current_share(weights, chosen) if rankings else 0,
        "steps": [
            {"share": step.weight_share, "top": [rankings[row] for row in step.top]}
            for step in steps
        ],
        "intervals": [
            {"ranking": rankings[i.row], "rank": i.rank, "low": i.share_low, "high": i.share_high}
            for i in intervals
        ],
        "chart": {
            "labels": [f"{round(step.weight_share * 100)}%" for step in steps],
            "series": [{"label": rankings[row].project.code, "data": by_row[row]} for row in shown],
        },
    }


def sensitivity(request):
    """Pick a criterion: how the top 10 changes as its share of the total weight moves from
    0 to 100%, the other criteria keeping their proportions."""
    ensure_reader(request.user)
    frame_form, portfolio, period = frame_of(request)
    criteria = list(Criterion.objects.filter(portfolio=portfolio, period=period).order_by("pk"))
    asked = request.GET.get("criterion", "")
    chosen = next((i for i, c in enumerate(criteria) if str(c.pk) == asked), 0)
    context = {
        "frame_form": frame_form,
        "portfolio": portfolio,
        "period": period,
        "criteria": criteria,
        "criterion": criteria[chosen] if criteria else None,
    }
    if criteria:
        context.update(_sensitivity(criteria, chosen))
    return render(request, "portfolio/ranking/sensitivity.html", context)
