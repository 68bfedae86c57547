"""The portfolio dashboard, and budget against actual per portfolio."""

from collections import defaultdict
from decimal import Decimal

from django.conf import settings
from django.db.models import Count, F, Min, Sum
from django.shortcuts import render
from django.utils.translation import get_language

from pmo_portal import permissions
from projects.models import OPEN_STATUSES, Project, budget_in_reporting_currency
from resources.costs import current_month

from ..figures import aligned, latest_score, no_rate, portfolio_cost_rollup
from ..forms.dashboard import CostRollupFilterForm, DashboardFilterForm
from ..models import Portfolio, PortfolioProject, StrategicObjective
from .structure import ensure_reader, visible

BUBBLES = 300  # the open projects with the largest budgets
DEPARTMENTS = 15


def _alignment(placements, period: int, portfolio: Portfolio | None) -> tuple[list, dict]:
    """The frame's objectives, each with the open projects it aligns (count and budget), and
    the open projects' totals with the share serving at least one objective.

    One query lists each (objective, project) pair once with the project's budget, however
    many of the objective's criteria the project serves; the few thousand pairs are added up
    here, where counting each project once per objective is simple.
    """
    objectives = StrategicObjective.objects.filter(period=period).select_related("portfolio")
    if portfolio is not None:
        objectives = objectives.filter(portfolio_id=portfolio.top_id)
    objectives = list(objectives.order_by("portfolio__name", "name"))
    pairs = (
        aligned(
            criterion__period=period,
            criterion__objective__in=[o.pk for o in objectives],
            project__in=placements.values("project"),
        )
        .order_by()
        .values_list("criterion__objective", "project")
        .annotate(budget=Min(budget_in_reporting_currency("project__")))
    )
    by_objective = defaultdict(lambda: [0, Decimal(0)])
    serving = {}
    for objective_id, project_id, budget in pairs:
        row = by_objective[objective_id]
        row[0] += 1
        row[1] += budget or 0
        serving[project_id] = budget or 0
    for objective in objectives:
        objective.aligned_count, objective.aligned_budget = by_objective[objective.pk]
    coverage = placements.aggregate(
        count=Count("pk"),
        budget=Sum(budget_in_reporting_currency("project__")),
        unconverted=Count("pk", filter=no_rate("project__")),
    )
    coverage.update(aligned_count=len(serving), aligned_budget=sum(serving.values()))
    return objectives, coverage


def dashboard(request):
    """Value against risk, budget by strategic objective, counts and budget by status and
    department, for a portfolio (its whole tree) or programme; aggregated in the database."""
    ensure_reader(request.user)
    form = DashboardFilterForm(request.GET or None)
    portfolio, programme, period = form.values()
    placements = visible(PortfolioProject.objects.all(), request.user)
    if portfolio is not None:
        placements = placements.in_subtree(portfolio)
    if programme is not None:
        placements = placements.filter(programme=programme)
    open_placements = placements.filter(project__status__in=OPEN_STATUSES)
    budget = budget_in_reporting_currency("project__")

    bubbles = list(
        open_placements.annotate(budget_rc=budget, score=latest_score(period))
        .filter(score__isnull=False, budget_rc__isnull=False)
        .order_by(F("budget_rc").desc(), "project__code")
        .values("project_id", "project__code", "project__name", "risk_score", "budget_rc", "score")[
            :BUBBLES
        ]
    )
    chart = {
        "points": [
            {
                "x": float(row["score"]),
                "y": row["risk_score"] or 0,
                "budget": float(row["budget_rc"]),
                "label": f"{row['project__code']} {row['project__name']}",
            }
            for row in bubbles
        ],
        "currency": settings.DEFAULT_CURRENCY,
    }
    by_status = {
        row["status"]: row
        for row in placements.order_by()
        .values(status=F("project__status"))
        .annotate(count=Count("pk"), budget=Sum(budget))
    }
    status_rows = [
        {"label": label, "count": by_status.get(value, {}).get("count", 0),
         "budget": by_status.get(value, {}).get("budget") or 0}
        for value, label in Project.Status.choices
    ]  # fmt: skip
    chinese = (get_language() or "").lower().startswith("zh")
    departments = [
        {
            "name": (row["name_zh"] if chinese and row["name_zh"] else row["name"]),
            "code": row["code"],
            "count": row["count"],
            "budget": row["budget"] or 0,
        }
        for row in placements.order_by()
        .values(
            code=F("project__department__code"),
            name=F("project__department__name"),
            name_zh=F("project__department__name_zh_hans"),
        )
        .annotate(count=Count("pk"), budget=Sum(budget))
        .order_by(F("budget").desc(nulls_last=True), "code")[:DEPARTMENTS]
    ]
    objectives, coverage = _alignment(open_placements, period, portfolio)
    return render(
        request,
        "portfolio/dashboard.html",
        {
            "form": form,
            "portfolio": portfolio,
            "programme": programme,
            "period": period,
            "chart": chart,
            "bubble_count": len(bubbles),
            "bubble_limit": BUBBLES,
            "status_rows": status_rows,
            "departments": departments,
            "objectives": objectives,
            "coverage": coverage,
            "currency": settings.DEFAULT_CURRENCY,
        },
    )


def cost_rollup(request):
    """Budget, actual, forecast at completion and variance per portfolio tree, from the
    resources area's cost figures, in the reporting currency."""
    ensure_reader(request.user)
    permissions.ensure(permissions.can_view_projects(request.user))
    form = CostRollupFilterForm(request.GET or None)
    open_only = form.is_valid() and form.cleaned_data["open_only"]
    projects = Project.objects.visible_to(request.user)
    if open_only:
        projects = projects.filter(status__in=OPEN_STATUSES)
    rows, total = portfolio_cost_rollup(projects)
    return render(
        request,
        "portfolio/costs/rollup.html",
        {
            "form": form,
            "rows": rows,
            "total": total,
            "show_sub_portfolios": form.is_valid() and form.cleaned_data["sub_portfolios"],
            "currency": settings.DEFAULT_CURRENCY,
            "month": current_month(),
        },
    )
