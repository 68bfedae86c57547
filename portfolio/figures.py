"""The portfolio's figures, aggregated in the database: project counts, budget and status per
portfolio subtree, budget against actual per portfolio, and the dashboard's figures.

Budgets are added up in the reporting currency (settings.DEFAULT_CURRENCY) at the PMO's
exchange rates; a project whose currency has no rate is counted as "left out" rather than
added at a wrong value, as in the resources area's roll-ups.
"""

from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings
from django.db.models import (
    Count,
    F,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
)
from django.db.models.functions import Coalesce

from projects.models import ExchangeRate, Project, budget_in_reporting_currency
from resources.costs import MONEY, ZERO, RollupRow, with_cost_figures

from .models import Criterion, Portfolio, PortfolioProject, ProjectRanking, Score

STATUSES = Project.Status


def no_rate(path: str = "") -> Q:
    """Projects (at `path`) whose currency has no exchange rate to the reporting currency."""
    return ~Q(**{f"{path}currency": settings.DEFAULT_CURRENCY}) & ~Q(
        **{f"{path}currency__in": ExchangeRate.objects.values("currency")}
    )


@dataclass
class SubtreeFigures:
    """Projects, budget and status counts of a portfolio and everything below it."""

    portfolio: Portfolio | None
    depth: int = 0
    project_count: int = 0
    budget: Decimal = Decimal(0)
    unconverted: int = 0
    by_status: dict[str, int] = field(default_factory=dict)

    def add(self, row: dict) -> None:
        self.project_count += row["count"]
        self.budget += row["budget"] or 0
        self.unconverted += row["unconverted"]
        self.by_status[row["status"]] = self.by_status.get(row["status"], 0) + row["count"]

    @property
    def status_counts(self) -> list[tuple[str, str, int]]:
        """(status, label, count) for every status that has projects, in the register's order."""
        return [
            (value, label, self.by_status[value])
            for value, label in STATUSES.choices
            if self.by_status.get(value)
        ]


def _status_rows(placements: QuerySet, *group: str) -> list[dict]:
    return list(
        placements.order_by()
        .values(*group, status=F("project__status"))
        .annotate(
            count=Count("pk"),
            budget=Sum(budget_in_reporting_currency("project__")),
            unconverted=Count("pk", filter=no_rate("project__")),
        )
    )


def ordered_tree(portfolios: list[Portfolio]) -> list[Portfolio]:
    """Depth first, siblings by name: the order a tree is read in."""
    children: dict[int | None, list[Portfolio]] = {}
    for portfolio in portfolios:
        children.setdefault(portfolio.parent_id, []).append(portfolio)
    ordered, stack = [], sorted(children.get(None, []), key=lambda p: p.name, reverse=True)
    while stack:
        portfolio = stack.pop()
        ordered.append(portfolio)
        stack.extend(sorted(children.get(portfolio.pk, []), key=lambda p: p.name, reverse=True))
    return ordered


def tree_figures(projects: QuerySet) -> list[SubtreeFigures]:
    """Every portfolio in tree order with the figures of its whole subtree: two queries (the
    portfolios, and the placed `projects` grouped by portfolio and status); the few dozen
    portfolio rows are then added up along their paths."""
    portfolios = ordered_tree(
        list(
            Portfolio.objects.select_related("manager").annotate(
                programme_count=Count("programmes")
            )
        )
    )
    rows = _status_rows(PortfolioProject.objects.filter(project__in=projects), "portfolio__path")
    figures = []
    for portfolio in portfolios:
        subtree = SubtreeFigures(portfolio, depth=portfolio.depth)
        for row in rows:
            if row["portfolio__path"].startswith(portfolio.path):
                subtree.add(row)
        figures.append(subtree)
    return figures


def subtree_figures(portfolio: Portfolio, projects: QuerySet) -> SubtreeFigures:
    """One query: the figures of the portfolio's subtree."""
    figures = SubtreeFigures(portfolio, depth=portfolio.depth)
    for row in _status_rows(
        PortfolioProject.objects.in_subtree(portfolio).filter(project__in=projects)
    ):
        figures.add(row)
    return figures


def latest_score(period: int | None = None):
    """The project's weighted score in `period` (or its latest period), as a subquery."""
    rankings = ProjectRanking.objects.filter(project=OuterRef("project"))
    if period is not None:
        rankings = rankings.filter(period=period)
    return Subquery(rankings.order_by("-period").values("weighted_score")[:1])


def latest_rank(period: int | None = None):
    rankings = ProjectRanking.objects.filter(project=OuterRef("project"))
    if period is not None:
        rankings = rankings.filter(period=period)
    return Subquery(rankings.order_by("-period").values("rank")[:1], output_field=IntegerField())


# --- budget against actual per portfolio -------------------------------------------------------


@dataclass
class PortfolioCostRow(RollupRow):
    """Budget against actual of a portfolio subtree (RollupRow's figures, by portfolio)."""

    portfolio: Portfolio | None = None


def _cost_totals() -> dict:
    return {
        "project_count": Count("pk"),
        "budget": Coalesce(Sum("budget_rc"), ZERO, output_field=MONEY),
        "actual": Coalesce(Sum("actual_rc"), ZERO, output_field=MONEY),
        "remaining": Coalesce(Sum("remaining_rc"), ZERO, output_field=MONEY),
        "unconverted": Count("pk", filter=Q(rate__isnull=True)),
    }


def _cost_row(portfolio, figures: dict, depth: int = 0) -> PortfolioCostRow:
    return PortfolioCostRow(
        department=None,
        portfolio=portfolio,
        project_count=figures["project_count"],
        budget=figures["budget"],
        actual=figures["actual"],
        eac=figures["actual"] + figures["remaining"],
        unconverted=figures["unconverted"],
        depth=depth,
    )


def portfolio_cost_rollup(projects: QuerySet) -> tuple[list[PortfolioCostRow], PortfolioCostRow]:
    """One row per top portfolio with its whole tree's budget, actual, forecast at completion
    and variance (resources.costs' figures), each with a row per portfolio of its tree (that
    portfolio's subtree); and the total of every placed project.

    Two queries: the portfolios, and the projects' cost figures grouped by portfolio; the
    subtrees are then added up along the portfolios' paths.
    """
    portfolios = ordered_tree(list(Portfolio.objects.all()))
    grouped = {
        row["portfolio_placement__portfolio__path"]: row
        for row in with_cost_figures(projects.filter(portfolio_placement__isnull=False))
        .order_by()
        .values("portfolio_placement__portfolio__path")
        .annotate(**_cost_totals())
    }
    empty = {"project_count": 0, "budget": 0, "actual": 0, "remaining": 0, "unconverted": 0}
    subtree_rows = {}
    for portfolio in portfolios:
        row = _cost_row(portfolio, empty, portfolio.depth)
        for path, figures in grouped.items():
            if path.startswith(portfolio.path):
                row.add(_cost_row(None, figures))
        subtree_rows[portfolio.pk] = row
    rows, total = [], PortfolioCostRow(department=None)
    for portfolio in portfolios:
        if portfolio.parent_id is not None:
            continue
        top = subtree_rows[portfolio.pk]
        top.sub_rows = [
            subtree_rows[p.pk]
            for p in portfolios
            if p.parent_id is not None and p.path.startswith(portfolio.path)
        ]
        total.add(top)
        rows.append(top)
    return rows, total


# --- the dashboard -----------------------------------------------------------------------------


def aligned_scores() -> Q:
    """Scores in the better half of their criterion's scale (the middle level included): the
    project serves the criterion's objective."""
    return Q(
        criterion__direction=Criterion.Direction.BENEFIT,
        doubled__gte=F("criterion__scale_min") + F("criterion__scale_max"),
    ) | Q(
        criterion__direction=Criterion.Direction.COST,
        doubled__lte=F("criterion__scale_min") + F("criterion__scale_max"),
    )


def aligned(**filters) -> QuerySet:
    """Scores that align their project with their criterion's objective, narrowed by
    `filters` (e.g. criterion__objective=OuterRef("pk"))."""
    return Score.objects.annotate(doubled=F("level") * 2).filter(aligned_scores()).filter(**filters)
