"""The PMO's effectiveness, quarter by quarter, against the targets it sets.

For each of the last QUARTERS quarters (the current one to date):

- success rate of the projects closed in the quarter (actual end in it): on time (actual end on
  or before the baseline end, or the planned end without a baseline), on budget (actual cost to
  date within BAC: the baseline budget, or the budget), on scope (the closure survey says so);
  a success is all three;
- average CPI and SPI of the projects' last published report of each month of the quarter;
- resource utilisation: hard and soft bookings against capacity (resources.planning), over the
  months of the quarter within its last twelve months;
- stakeholder satisfaction: the average of the closure surveys of the projects closed in it;
- status-report timeliness: the published reports of periods ending in the quarter that were
  submitted by their due date;
- gate compliance: the gate submissions of the quarter made with every mandatory item met;

and, over the projects closed in these quarters, the value delivered (closure survey) per unit
of actual cost (in the reporting currency) by project type and by department.
"""

import datetime
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from dateutil.relativedelta import relativedelta
from django.db.models import (
    Avg,
    Count,
    DecimalField,
    F,
    Q,
    Sum,
)
from django.db.models.functions import Coalesce, ExtractQuarter, ExtractYear

from pmo_portal.figures import cached_figures
from projects.models import GateSubmission, Project
from resources.costs import MONEY, with_cost_figures
from resources.planning import utilisation_report

from .dashboard import DASHBOARD_AREA
from .models import EffectivenessTarget, Metric, StatusReport

QUARTERS = 4
PERCENT_METRICS = {
    Metric.SUCCESS_RATE, Metric.ON_TIME, Metric.ON_BUDGET, Metric.ON_SCOPE, Metric.UTILISATION,
    Metric.TIMELINESS, Metric.GATE_COMPLIANCE,
}  # fmt: skip


@dataclass(frozen=True)
class Quarter:
    year: int
    number: int

    @property
    def start(self) -> datetime.date:
        return datetime.date(self.year, 3 * self.number - 2, 1)

    @property
    def end(self) -> datetime.date:
        return self.start + relativedelta(months=3, days=-1)

    @property
    def key(self) -> tuple[int, int]:
        return (self.year, self.number)

    def __str__(self) -> str:
        return f"{self.year} Q{self.number}"


def recent_quarters(today: datetime.date, count: int = QUARTERS) -> list[Quarter]:
    """The last `count` quarters, oldest first, the current one last."""
    current = Quarter(today.year, (today.month - 1) // 3 + 1)
    quarters = [current]
    for _ in range(count - 1):
        start = quarters[0].start - relativedelta(months=3)
        quarters.insert(0, Quarter(start.year, (start.month - 1) // 3 + 1))
    return quarters


def _percent(part, whole) -> Decimal | None:
    if not whole:
        return None
    return (Decimal(part) * 100 / Decimal(whole)).quantize(Decimal("0.1"), ROUND_HALF_UP)


def _rounded(value, places: str = "0.01") -> Decimal | None:
    if value is None:
        return None
    return Decimal(value).quantize(Decimal(places), ROUND_HALF_UP)


@dataclass
class MetricRow:
    metric: str
    label: str
    target: Decimal | None
    values: list  # one per quarter: Decimal or None
    is_percent: bool

    @property
    def cells(self) -> list[dict]:
        """Each quarter's value and whether it meets the target (None: nothing to judge)."""
        return [
            {
                "value": value,
                "met": None if value is None or self.target is None else value >= self.target,
            }
            for value in self.values
        ]


@dataclass
class ValueRow:
    name: str
    key: int
    projects: int
    value: Decimal
    cost: Decimal

    @property
    def value_per_cost(self) -> Decimal | None:
        if not self.cost:
            return None
        return (self.value / self.cost).quantize(Decimal("0.01"), ROUND_HALF_UP)


@dataclass
class EffectivenessReport:
    quarters: list[Quarter]
    rows: list[MetricRow]
    closed_counts: list[int]
    by_type: list[ValueRow] = field(default_factory=list)
    by_department: list[ValueRow] = field(default_factory=list)


def closed_projects(quarters: list[Quarter]):
    return Project.objects.filter(
        status=Project.Status.CLOSED,
        actual_end__gte=quarters[0].start,
        actual_end__lte=quarters[-1].end,
    )


def _closure_figures(quarters: list[Quarter]) -> dict:
    """{(year, quarter): counts and average satisfaction} of the projects closed, one query."""
    on_time = Q(actual_end__lte=Coalesce(F("baseline_end"), F("planned_end")))
    on_budget = Q(cost_actual__lte=Coalesce(F("baseline_budget"), F("budget")))
    on_scope = Q(closure_survey__on_scope=True)
    rows = (
        with_cost_figures(closed_projects(quarters))
        .annotate(year=ExtractYear("actual_end"), quarter=ExtractQuarter("actual_end"))
        .order_by()
        .values("year", "quarter")
        .annotate(
            closed=Count("pk"),
            on_time=Count("pk", filter=on_time),
            on_budget=Count("pk", filter=on_budget),
            on_scope=Count("pk", filter=on_scope),
            success=Count("pk", filter=on_time & on_budget & on_scope),
            satisfaction=Avg("closure_survey__satisfaction"),
        )
    )
    return {(row["year"], row["quarter"]): row for row in rows}


def _report_figures(quarters: list[Quarter]) -> dict:
    """{(year, quarter): average CPI and SPI, reports and those on time}: one query over a
    year of reports (a quarter of a million at the large size), so kept in the cache until a
    report is submitted (or CACHE_SECONDS have passed)."""
    first, last = quarters[0], quarters[-1]
    return cached_figures(
        "reports",
        "report-figures",
        lambda: _count_report_figures(quarters),
        f"{first.year}-{first.number}",
        f"{last.year}-{last.number}",
    )


def _count_report_figures(quarters: list[Quarter]) -> dict:
    rows = (
        StatusReport.objects.published()
        .filter(month__gte=quarters[0].start, month__lte=quarters[-1].end)
        .annotate(year=ExtractYear("month"), quarter=ExtractQuarter("month"))
        .order_by()
        .values("year", "quarter")
        .annotate(
            cpi=Avg("cpi", filter=Q(closes_month=True)),
            spi=Avg("spi", filter=Q(closes_month=True)),
            reports=Count("pk"),
            on_time=Count("pk", filter=Q(submitted_on_time=True)),
        )
    )
    return {(row["year"], row["quarter"]): row for row in rows}


def _gate_figures(quarters: list[Quarter]) -> dict:
    rows = (
        GateSubmission.objects.filter(
            submitted_at__date__gte=quarters[0].start, submitted_at__date__lte=quarters[-1].end
        )
        .annotate(year=ExtractYear("submitted_at"), quarter=ExtractQuarter("submitted_at"))
        .order_by()
        .values("year", "quarter")
        .annotate(total=Count("pk"), complete=Count("pk", filter=Q(missing_mandatory="")))
    )
    return {(row["year"], row["quarter"]): row for row in rows}


def _utilisation(quarters: list[Quarter], today: datetime.date) -> dict:
    """{(year, quarter): booked hours as a percentage of capacity} over the months of the
    utilisation report (the last twelve) that fall in each quarter; kept in resources' figure
    cache, as the report's data is."""
    return cached_figures(
        "resources", "utilisation-by-quarter", lambda: _count_utilisation(today), today
    )


def _count_utilisation(today: datetime.date) -> dict:
    report = utilisation_report(today=today)
    sums: dict = {}
    for cell in report.total.cells:
        month = cell.cell.bucket.start
        key = (month.year, (month.month - 1) // 3 + 1)
        used, capacity = sums.get(key, (Decimal(0), Decimal(0)))
        sums[key] = (used + cell.cell.used, capacity + cell.cell.capacity)
    return {key: _percent(used, capacity) for key, (used, capacity) in sums.items()}


def _value_rows(projects, group: str, name_fields: tuple[str, ...]) -> list[ValueRow]:
    """Value delivered per unit of actual cost, by `group` (a project field), largest first."""
    rows = (
        with_cost_figures(projects.filter(closure_survey__isnull=False))
        .order_by()
        .values(group, *name_fields)
        .annotate(
            projects=Count("pk"),
            value=Coalesce(Sum("closure_survey__value_delivered"), Decimal(0),
                           output_field=DecimalField(max_digits=20, decimal_places=2)),
            cost=Coalesce(Sum("actual_rc"), Decimal(0), output_field=MONEY),
        )
    )  # fmt: skip
    found = [
        ValueRow(
            name=" ".join(str(row[name]) for name in name_fields if row[name]),
            key=row[group],
            projects=row["projects"],
            value=row["value"],
            cost=row["cost"],
        )
        for row in rows
    ]
    found.sort(key=lambda row: (row.value_per_cost is None, -(row.value_per_cost or 0)))
    return found


@dataclass
class ProjectMeasures:
    """The measures read from the projects: closed, with their costs and closure surveys, and
    their gate submissions."""

    closure: dict
    gates: dict
    by_type: list[ValueRow]
    by_department: list[ValueRow]


def project_measures(quarters: list[Quarter], today: datetime.date) -> ProjectMeasures:
    """Four queries over the projects and their costs, kept in the cache with the dashboard's
    figures (reports/dashboard.py), until projects, costs, surveys or gates change."""

    def compute():
        closed = closed_projects(quarters)
        return ProjectMeasures(
            closure=_closure_figures(quarters),
            gates=_gate_figures(quarters),
            by_type=_value_rows(closed, "project_type", ("project_type__name",)),
            by_department=_value_rows(
                closed, "department", ("department__code", "department__name")
            ),
        )

    first = quarters[0]
    return cached_figures(
        DASHBOARD_AREA, "project-measures", compute, f"{first.year}-{first.number}", today
    )


def effectiveness_report(today: datetime.date) -> EffectivenessReport:
    """Every measure for the last QUARTERS quarters, and value for cost: about ten queries, or
    one (the targets) while the figures are in the cache."""
    quarters = recent_quarters(today)
    measures = project_measures(quarters, today)
    closure, gates = measures.closure, measures.gates
    reports = _report_figures(quarters)
    utilisation = _utilisation(quarters, today)
    targets = dict(EffectivenessTarget.objects.values_list("metric", "target"))

    def per_quarter(compute) -> list:
        return [compute(quarter.key) for quarter in quarters]

    def closure_share(name):
        return per_quarter(
            lambda key: (
                _percent(closure[key][name], closure[key]["closed"]) if key in closure else None
            )
        )

    values = {
        Metric.SUCCESS_RATE: closure_share("success"),
        Metric.ON_TIME: closure_share("on_time"),
        Metric.ON_BUDGET: closure_share("on_budget"),
        Metric.ON_SCOPE: closure_share("on_scope"),
        Metric.AVERAGE_CPI: per_quarter(lambda key: _rounded(reports.get(key, {}).get("cpi"))),
        Metric.AVERAGE_SPI: per_quarter(lambda key: _rounded(reports.get(key, {}).get("spi"))),
        Metric.UTILISATION: per_quarter(utilisation.get),
        Metric.SATISFACTION: per_quarter(
            lambda key: _rounded(closure.get(key, {}).get("satisfaction"), "0.1")
        ),
        Metric.TIMELINESS: per_quarter(
            lambda key: (
                _percent(reports[key]["on_time"], reports[key]["reports"])
                if key in reports
                else None
            )
        ),
        Metric.GATE_COMPLIANCE: per_quarter(
            lambda key: (
                _percent(gates[key]["complete"], gates[key]["total"]) if key in gates else None
            )
        ),
    }
    rows = [
        MetricRow(
            metric=metric,
            label=str(label),
            target=targets.get(metric),
            values=values[metric],
            is_percent=metric in PERCENT_METRICS,
        )
        for metric, label in Metric.choices
    ]
    return EffectivenessReport(
        quarters=quarters,
        rows=rows,
        closed_counts=per_quarter(lambda key: closure.get(key, {}).get("closed", 0)),
        by_type=measures.by_type,
        by_department=measures.by_department,
    )
