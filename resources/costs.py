"""Budget against actual cost per project and per department, computed in the database.

For a project:

- budget (BAC): the sum of its budget lines, or the project's budget when it has none;
- actual to date: the sum of its actual costs (recorded for past and current months only);
- forecast at completion (EAC) = actual to date + the budget of the months after the current
  month. A project without budget lines has no monthly plan: what is left of its budget is still
  to be spent, so EAC = the larger of its budget and its actual to date;
- variance at completion (VAC) = budget − EAC; below zero, the project is heading for an overrun;
- spent = actual to date ÷ budget.

Department figures add projects up in the reporting currency (settings.DEFAULT_CURRENCY) at
the exchange rates kept in the admin; a project in a currency without a rate is left out of the
totals and counted, rather than added at a wrong value.
"""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings
from django.db.models import (
    BooleanField,
    Case,
    Count,
    DecimalField,
    ExpressionWrapper,
    F,
    FloatField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Cast, Coalesce, Greatest
from django.utils import timezone

from projects.models import Department, ExchangeRate, Project

from .models import ActualCost, BudgetLine, CostCategory

MONEY = DecimalField(max_digits=20, decimal_places=2)
RATE = DecimalField(max_digits=18, decimal_places=8)
ZERO = Value(Decimal("0.00"), output_field=MONEY)


def current_month(today: datetime.date | None = None) -> datetime.date:
    return (today or timezone.localdate()).replace(day=1)


def _money(expression):
    return ExpressionWrapper(expression, output_field=MONEY)


def _sum_per_project(model, amount=None):
    """The sum of `amount` (default: the rows' amount) over the outer project's rows of
    `model`; NULL when the project has none."""
    rows = (
        model.objects.filter(project=OuterRef("pk"))
        .order_by()
        .values("project")
        .annotate(total=Sum(amount or "amount"))
        .values("total")
    )
    return Subquery(rows, output_field=MONEY)


def reporting_rate():
    """What one unit of the project's currency is worth in the reporting currency; NULL when
    the currency has no exchange rate."""
    rate = ExchangeRate.objects.filter(currency=OuterRef("currency")).values("rate")[:1]
    return Case(
        When(currency=settings.DEFAULT_CURRENCY, then=Value(Decimal(1), output_field=RATE)),
        default=Subquery(rate, output_field=RATE),
        output_field=RATE,
    )


def with_cost_figures(projects: QuerySet, today: datetime.date | None = None) -> QuerySet:
    """Annotate projects with their cost figures in their own currency (cost_budget,
    cost_actual, cost_remaining, cost_eac, cost_variance, cost_spent_percent,
    has_budget_lines) and in the reporting currency (rate; budget_rc, actual_rc, remaining_rc,
    eac_rc, variance_rc: NULL when the currency has no rate).

    The remaining budget is the budget of the months after the current one; without budget
    lines, what is left of the project's budget (never below zero). SQL repeats an
    annotation's expression wherever it is referenced, and each correlated sum then runs once
    per reference and project: the roll-up sums only budget, actual and remaining, which need
    each of the three sums once (see department_rollup).
    """
    month = current_month(today)
    later_amount = Case(When(period__gt=month, then=F("amount")), default=ZERO, output_field=MONEY)
    return projects.annotate(
        lines_budget=_sum_per_project(BudgetLine),
        # NULL without lines, so that the project's budget stands in for the monthly plan.
        later_budget=_sum_per_project(BudgetLine, later_amount),
        has_budget_lines=ExpressionWrapper(
            Q(lines_budget__isnull=False), output_field=BooleanField()
        ),
        cost_budget=Coalesce(F("lines_budget"), F("budget"), output_field=MONEY),
        cost_actual=Coalesce(_sum_per_project(ActualCost), ZERO, output_field=MONEY),
        cost_remaining=Coalesce(
            F("later_budget"),
            Greatest(_money(F("budget") - F("cost_actual")), ZERO),
            output_field=MONEY,
        ),
        cost_eac=_money(F("cost_actual") + F("cost_remaining")),
        cost_variance=_money(F("cost_budget") - F("cost_eac")),
        # In floating point: SQLite keeps whole amounts as integers and would divide them so.
        cost_spent_percent=Case(
            When(
                cost_budget__gt=0,
                then=Cast("cost_actual", FloatField()) * 100 / Cast("cost_budget", FloatField()),
            ),
            default=None,
            output_field=FloatField(),
        ),
        rate=reporting_rate(),
        budget_rc=_money(F("cost_budget") * F("rate")),
        actual_rc=_money(F("cost_actual") * F("rate")),
        remaining_rc=_money(F("cost_remaining") * F("rate")),
        eac_rc=_money(F("cost_eac") * F("rate")),
        variance_rc=_money(F("cost_variance") * F("rate")),
    )


# --- one project ---------------------------------------------------------------------------


@dataclass
class CostCell:
    budget: Decimal | None = None
    actual: Decimal | None = None

    def add(self, other: "CostCell") -> None:
        if other.budget is not None:
            self.budget = (self.budget or Decimal(0)) + other.budget
        if other.actual is not None:
            self.actual = (self.actual or Decimal(0)) + other.actual


@dataclass
class MonthRow:
    period: datetime.date
    cells: list[CostCell]
    total: CostCell
    is_later: bool  # after the current month: its budget counts towards the EAC


@dataclass
class ProjectCostTable:
    """A project's budget and actual cost by month (rows) and category (columns)."""

    categories: list[tuple[str, str]]
    months: list[MonthRow]
    totals: list[CostCell]
    total: CostCell
    current_month: datetime.date


def project_cost_table(project: Project, today: datetime.date | None = None) -> ProjectCostTable:
    """The project's lines and actual costs as a month-by-category table: two queries; the
    table's row and column totals add up the (at most a few dozen) cells shown."""
    month = current_month(today)
    categories = list(CostCategory.choices)
    column = {value: index for index, (value, _label) in enumerate(categories)}
    grid: dict[datetime.date, list[CostCell]] = {}

    def cells(period):
        return grid.setdefault(period, [CostCell() for _ in categories])

    lines = BudgetLine.objects.filter(project=project).values_list("period", "category", "amount")
    for period, category, amount in lines:
        cells(period)[column[category]].budget = amount
    costs = ActualCost.objects.filter(project=project).values_list("period", "category", "amount")
    for period, category, amount in costs:
        cells(period)[column[category]].actual = amount

    totals = [CostCell() for _ in categories]
    total = CostCell()
    months = []
    for period in sorted(grid):
        row_total = CostCell()
        for index, cell in enumerate(grid[period]):
            row_total.add(cell)
            totals[index].add(cell)
        total.add(row_total)
        months.append(MonthRow(period, grid[period], row_total, is_later=period > month))
    return ProjectCostTable(categories, months, totals, total, month)


def project_cost_figures(project: Project, today: datetime.date | None = None) -> Project:
    """The project with its cost figures annotated (see with_cost_figures)."""
    return with_cost_figures(Project.objects.filter(pk=project.pk), today).get()


# --- departments ---------------------------------------------------------------------------


@dataclass
class DepartmentTree:
    """The department tree, loaded in one query: parents, top-level departments, subtrees."""

    departments: dict[int, Department]
    children: dict[int | None, list[int]] = field(default_factory=dict)

    @classmethod
    def load(cls) -> "DepartmentTree":
        departments = Department.objects.order_by("code").in_bulk()
        tree = cls(departments)
        for department in departments.values():
            tree.children.setdefault(department.parent_id, []).append(department.pk)
        return tree

    def top_of(self, pk: int) -> int:
        seen = set()
        while self.departments[pk].parent_id is not None and pk not in seen:
            seen.add(pk)
            pk = self.departments[pk].parent_id
        return pk

    def subtree(self, pk: int) -> list[int]:
        """The department and everything below it, depth first in code order."""
        found, seen, stack = [], set(), [pk]
        while stack:
            current = stack.pop()
            if current in seen:
                continue  # a cycle would be a data error; do not loop on it
            found.append(current)
            seen.add(current)
            stack.extend(reversed(self.children.get(current, [])))
        return found

    def depth(self, pk: int) -> int:
        depth = 0
        while self.departments[pk].parent_id is not None and depth < len(self.departments):
            pk = self.departments[pk].parent_id
            depth += 1
        return depth

    def tops(self) -> list[int]:
        return self.children.get(None, [])


@dataclass
class RollupRow:
    """Budget against actual for a group of projects, in the reporting currency."""

    department: Department | None
    project_count: int = 0
    budget: Decimal = Decimal(0)
    actual: Decimal = Decimal(0)
    eac: Decimal = Decimal(0)
    unconverted: int = 0  # projects left out: their currency has no exchange rate
    depth: int = 0
    sub_rows: list["RollupRow"] = field(default_factory=list)

    @property
    def variance(self) -> Decimal:
        return self.budget - self.eac

    @property
    def spent_percent(self) -> Decimal | None:
        return self.actual * 100 / self.budget if self.budget else None

    def add(self, other: "RollupRow") -> None:
        self.project_count += other.project_count
        self.budget += other.budget
        self.actual += other.actual
        self.eac += other.eac
        self.unconverted += other.unconverted


def _rollup_totals() -> dict:
    # EAC and variance follow from these (eac = actual + remaining): summing them as well
    # would run every correlated sum again.
    return {
        "project_count": Count("pk"),
        "budget": Coalesce(Sum("budget_rc"), ZERO, output_field=MONEY),
        "actual": Coalesce(Sum("actual_rc"), ZERO, output_field=MONEY),
        "remaining": Coalesce(Sum("remaining_rc"), ZERO, output_field=MONEY),
        "unconverted": Count("pk", filter=Q(rate__isnull=True)),
    }


def _row(department, figures: dict, depth: int = 0) -> RollupRow:
    return RollupRow(
        department=department,
        project_count=figures["project_count"],
        budget=figures["budget"],
        actual=figures["actual"],
        eac=figures["actual"] + figures["remaining"],
        unconverted=figures["unconverted"],
        depth=depth,
    )


def rollup_by_department(projects: QuerySet, today: datetime.date | None = None) -> dict:
    """One grouped query: the totals of `projects` per department, in the reporting currency."""
    rows = (
        with_cost_figures(projects, today)
        .order_by()
        .values("department")
        .annotate(**_rollup_totals())
    )
    return {row["department"]: row for row in rows}


def department_rollup(
    projects: QuerySet, *, tree: DepartmentTree, today: datetime.date | None = None
) -> tuple[list[RollupRow], RollupRow]:
    """One row per top-level department, its sub-departments' projects included, each with
    the rows of its departments (own projects only, in tree order); and the grand total.

    The database adds the projects up per department in one grouped query; the department
    rows (a few dozen) are then added up into their top-level department here, because the
    tree can be of any depth, which SQL walks only with a recursive query.
    """
    by_department = rollup_by_department(projects, today)
    rows, total = [], RollupRow(department=None)
    for top in tree.tops():
        row = RollupRow(department=tree.departments[top])
        for pk in tree.subtree(top):
            if pk in by_department:
                sub_row = _row(tree.departments[pk], by_department[pk], tree.depth(pk))
                row.add(sub_row)
                row.sub_rows.append(sub_row)
        if row.project_count:
            total.add(row)
            rows.append(row)
    return rows, total


def department_totals(projects: QuerySet, today: datetime.date | None = None) -> RollupRow:
    """The totals of `projects` in the reporting currency, in one query."""
    figures = with_cost_figures(projects, today).aggregate(**_rollup_totals())
    return _row(None, figures)
