"""The portfolio health dashboard's figures, each one query over the open projects in view.

The latest RAG of a project is read through its schedule row's pointer to its latest published
report (kept by the status-report services), and the trend from the reports marked as the
last of their month: both one lookup per project or one grouped query, whatever the number of
reports.

The figures of the whole dashboard, and the list of projects needing attention, are kept in
the cache (area DASHBOARD_AREA) per set of projects in view and day, until any of the data
behind them changes (reports/apps.py names those models; pmo_portal/figures.py).

A project needs attention when any of these holds (ATTENTION_REASONS):

- red / amber: its latest report is red or amber;
- late report: it runs (active or on hold) and has no published report for the latest period
  of its frequency whose report was due before today;
- overdue gate: its current gate is past due and neither passed, held nor stopped;
- critical risks: it has open critical risks;
- over-allocated people: someone booked on it this month is booked over their capacity;
- slipping milestones: an open milestone is forecast after its baseline.
"""

import datetime
import operator
from dataclasses import dataclass, field
from functools import reduce

from dateutil.relativedelta import relativedelta
from django.db.models import (
    BooleanField,
    Case,
    Count,
    Exists,
    ExpressionWrapper,
    F,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _

from pmo_portal.figures import cached_figures
from projects.compliance import NOT_AWAITED
from projects.models import OPEN_STATUSES, Milestone, Project
from resources.costs import RollupRow, department_totals
from resources.models import Allocation
from resources.planning import (
    MONTH,
    UTILISED_BOOKINGS,
    active_people,
    bucket_at,
    over_allocated,
    peaks,
    people_utilisation,
)

from .models import RAG, StatusReport
from .services.periods import last_due_periods
from .services.reminders import DEFAULT_FREQUENCY, REPORTING_STATUSES
from .sources import critical_risk_projects

TREND_MONTHS = 6
MILESTONE_DAYS = 30
SCATTER_LIMIT = 500
ATTENTION_SHOWN = 10
MILESTONES_SHOWN = 8

ATTENTION_REASONS = {
    "red": _("Red"),
    "amber": _("Amber"),
    "late": _("Late report"),
    "gate": _("Overdue gate"),
    "risks": _("Critical risks"),
    "people": _("Over-allocated people"),
    "milestones": _("Slipping milestones"),
}
DASHBOARD_AREA = "dashboard"
LATEST = "reporting__latest_report__"


def latest_report(field: str) -> Subquery:
    """A field of the project's latest published report, found through its schedule's pointer.

    A lookup by primary key per project: PostgreSQL would answer a join by reading the whole
    report table (a quarter of a million rows at the large size), several times slower.
    """
    reports = StatusReport.objects.filter(pk=OuterRef("reporting__latest_report_id"))
    return Subquery(reports.values(field))


def open_projects(projects: QuerySet) -> QuerySet:
    return projects.filter(status__in=OPEN_STATUSES)


def filter_projects(projects: QuerySet, *, portfolio=None, department=None, manager=None):
    """Narrow to a portfolio (with its sub-portfolios), a department and a manager."""
    if portfolio is not None:
        projects = projects.filter(portfolio_placement__portfolio__path__startswith=portfolio.path)
    if department is not None:
        projects = projects.filter(department=department)
    if manager is not None:
        projects = projects.filter(manager=manager)
    return projects


# --- RAG now and its trend -----------------------------------------------------------------


def rag_counts(projects: QuerySet) -> dict:
    """{rag or None (no report yet): number of projects}."""
    rows = (
        projects.order_by()
        .annotate(rag=latest_report("overall_rag"))
        .values("rag")
        .annotate(count=Count("pk"))
    )
    counts = {value: 0 for value in [*RAG.values, None]}
    for row in rows:
        counts[row["rag"]] = row["count"]
    return counts


@dataclass
class TrendMonth:
    month: datetime.date
    counts: dict = field(default_factory=dict)

    @property
    def total(self) -> int:
        return sum(self.counts.values())


def rag_trend(projects: QuerySet, today: datetime.date, months: int = TREND_MONTHS):
    """Per month of the last `months` (this one included), the projects by the RAG of their
    last published report of the month."""
    first = today.replace(day=1) - relativedelta(months=months - 1)
    rows = (
        StatusReport.objects.filter(closes_month=True, month__gte=first, project__in=projects)
        .order_by()
        .values("month", "overall_rag")
        .annotate(count=Count("pk"))
    )
    trend = [
        TrendMonth(first + relativedelta(months=n), {value: 0 for value in RAG.values})
        for n in range(months)
    ]
    by_month = {item.month: item for item in trend}
    for row in rows:
        if row["month"] in by_month:
            by_month[row["month"]].counts[row["overall_rag"]] = row["count"]
    return trend


# --- projects needing attention ------------------------------------------------------------


def over_allocated_projects(today: datetime.date) -> list[int]:
    """The projects that book someone this month who is booked over their capacity this
    month; kept in resources' figure cache until bookings or capacity change."""
    bucket = bucket_at(today, MONTH)

    def compute():
        people = active_people()
        allocated, capacity = people_utilisation(people, [bucket])
        over = [
            person
            for person, peak in peaks(set(allocated), [bucket], allocated, capacity).items()
            if over_allocated(peak)
        ]
        return sorted(
            Allocation.objects.filter(
                resource_id__in=over,
                booking__in=UTILISED_BOOKINGS,
                start__lte=bucket.end,
                end__gte=bucket.start,
            )
            .values_list("project_id", flat=True)
            .distinct()
        )

    return cached_figures("resources", "over-allocated-projects", compute, bucket.key)


def _late_report(due_periods: dict):
    """True for a running project without a published report for its latest due period."""
    conditions = [
        Q(reporting_frequency=frequency)
        & Q(status__in=REPORTING_STATUSES)
        & Q(planned_start__lte=period.end)
        & (Q(**{f"{LATEST}isnull": True}) | Q(**{f"{LATEST}period__end__lt": period.end}))
        for frequency, period in due_periods.items()
    ]
    if not conditions:
        return Value(False, output_field=BooleanField())
    return ExpressionWrapper(reduce(operator.or_, conditions), output_field=BooleanField())


@dataclass
class AttentionSources:
    """What the attention flags are read from, fetched once per page: the latest due period of
    each frequency, the projects booking over-allocated people, those with critical risks."""

    due_periods: dict
    over_allocated: list[int]
    critical_risks: list[int]

    @classmethod
    def load(cls, today: datetime.date) -> "AttentionSources":
        return cls(
            due_periods=last_due_periods(today),
            over_allocated=over_allocated_projects(today),
            critical_risks=critical_risk_projects(),
        )


def with_attention(
    projects: QuerySet, today: datetime.date, sources: AttentionSources | None = None
) -> QuerySet:
    """Annotate each project with a flag per attention reason and `latest_rag`.

    The latest report is joined here rather than looked up (latest_report): the flags refer to
    its RAG and period several times over, and each reference would be a lookup of its own."""
    sources = sources or AttentionSources.load(today)
    slipping = Milestone.objects.filter(
        project=OuterRef("pk"),
        actual_date__isnull=True,
        baseline_date__isnull=False,
        forecast_date__gt=F("baseline_date"),
    )
    gate_overdue = Q(current_phase__planned_end__lt=today) & ~Q(
        current_phase__gate_status__in=NOT_AWAITED
    )
    return projects.annotate(
        latest_rag=F(f"{LATEST}overall_rag"),
        reporting_frequency=Coalesce(F("reporting__frequency"), Value(DEFAULT_FREQUENCY)),
        report_late=_late_report(sources.due_periods),
        gate_overdue=ExpressionWrapper(gate_overdue, output_field=BooleanField()),
        critical_risks=_among(sources.critical_risks),
        people_over=_among(sources.over_allocated),
        milestones_slipping=Exists(slipping),
    )


def _among(project_ids: list[int]):
    # An empty IN () would compile to a constant that PostgreSQL does not take as a boolean.
    if not project_ids:
        return Value(False, output_field=BooleanField())
    return ExpressionWrapper(Q(pk__in=project_ids), output_field=BooleanField())


REASON_FILTERS = {
    "red": Q(latest_rag=RAG.RED),
    "amber": Q(latest_rag=RAG.AMBER),
    "late": Q(report_late=True),
    "gate": Q(gate_overdue=True),
    "risks": Q(critical_risks=True),
    "people": Q(people_over=True),
    "milestones": Q(milestones_slipping=True),
}


def needing_attention(
    projects: QuerySet, today: datetime.date, reason: str | None = None, sources=None
):
    """The projects needing attention (for one reason, or any), red first, then amber."""
    annotated = with_attention(projects, today, sources)
    if reason in REASON_FILTERS:
        condition = REASON_FILTERS[reason]
    else:
        condition = reduce(operator.or_, REASON_FILTERS.values())
    severity = Case(
        When(latest_rag=RAG.RED, then=Value(0)),
        When(latest_rag=RAG.AMBER, then=Value(1)),
        default=Value(2),
        output_field=IntegerField(),
    )
    return (
        annotated.filter(condition)
        .annotate(severity=severity)
        .order_by("severity", "code")
        .select_related("manager", "department")
    )


FLAGS = {
    "late": "report_late",
    "gate": "gate_overdue",
    "risks": "critical_risks",
    "people": "people_over",
    "milestones": "milestones_slipping",
}


# A project in an attention list, as the cache keeps it: (pk, the RAG of its latest report,
# the keys of the reasons it needs attention for). Plain tuples, each combination of reasons
# one shared tuple: thousands are read from the cache at once, five times faster than named
# tuples or dataclasses.
AttentionRow = tuple[int, str | None, tuple[str, ...]]


def _attention_rows(annotated: QuerySet) -> list[AttentionRow]:
    shared: dict[tuple, tuple] = {}
    rows = []
    for row in annotated.values("pk", "latest_rag", *FLAGS.values()):
        reasons = tuple(
            [rag for rag in (RAG.RED, RAG.AMBER) if row["latest_rag"] == rag]
            + [key for key, flag in FLAGS.items() if row[flag]]
        )
        rows.append((row["pk"], row["latest_rag"], shared.setdefault(reasons, reasons)))
    return rows


def attention_rows(projects: QuerySet, today: datetime.date, scope: str) -> list[AttentionRow]:
    """Every project of `projects` needing attention, red first, then amber, each by code: one
    query, then kept in the cache for the day; `scope` names the set of projects."""
    return cached_figures(
        DASHBOARD_AREA,
        "attention",
        lambda: _attention_rows(needing_attention(projects, today)),
        scope,
        today,
    )


def unreported_rows(projects: QuerySet, today: datetime.date, scope: str) -> list[AttentionRow]:
    """The projects of `projects` without a published report yet, by code, with the reasons
    they need attention for if any; cached as attention_rows."""

    def compute():
        unreported = with_attention(projects, today).filter(latest_rag__isnull=True)
        return _attention_rows(unreported.order_by("code"))

    return cached_figures(DASHBOARD_AREA, "unreported", compute, scope, today)


def attention_summary(
    projects: QuerySet, today: datetime.date, scope: str
) -> tuple[dict, list[AttentionRow]]:
    """The counts of attention_rows and its first ATTENTION_SHOWN rows, for the dashboard: kept
    apart so that the dashboard does not read thousands of rows from the cache."""

    def compute():
        rows = attention_rows(projects, today, scope)
        return attention_counts(rows), rows[:ATTENTION_SHOWN]

    return cached_figures(DASHBOARD_AREA, "attention-summary", compute, scope, today)


def attention_counts(rows: list[AttentionRow]) -> dict:
    """{reason: number of projects}, and "any", of the rows of attention_rows."""
    counts = dict.fromkeys(ATTENTION_REASONS, 0)
    for _pk, _rag, reasons in rows:
        for key in reasons:
            counts[key] += 1
    return {**counts, "any": len(rows)}


def reasons_of(project) -> list[tuple[str, str]]:
    """(reason key, label) of each reason the annotated project needs attention for."""
    flags = {
        "red": project.latest_rag == RAG.RED,
        "amber": project.latest_rag == RAG.AMBER,
        "late": project.report_late,
        "gate": project.gate_overdue,
        "risks": project.critical_risks,
        "people": project.people_over,
        "milestones": project.milestones_slipping,
    }
    return [(key, ATTENTION_REASONS[key]) for key, flag in flags.items() if flag]


def attention_totals(projects: QuerySet, today: datetime.date, sources=None) -> dict:
    """{reason: number of projects}, and "any", counted in the database in one query (for a
    set of projects read once, as a PDF report's, rather than the cached dashboard rows)."""
    annotated = with_attention(projects, today, sources)
    any_reason = reduce(operator.or_, REASON_FILTERS.values())
    totals = {key: Count("pk", filter=condition) for key, condition in REASON_FILTERS.items()}
    return annotated.aggregate(**totals, any=Count("pk", filter=any_reason))


def with_reason(rows: list[AttentionRow], reason: str | None) -> list[AttentionRow]:
    """The rows needing attention for `reason`; all of them for an unknown reason or none."""
    if reason not in ATTENTION_REASONS:
        return rows
    return [row for row in rows if reason in row[2]]


def projects_of(rows: list[AttentionRow]) -> list:
    """The projects of `rows` in their order, each with `latest_rag` and `reasons` [(key,
    label)] in the user's language: one query."""
    found = Project.objects.select_related("manager", "department").in_bulk(
        [pk for pk, _rag, _reasons in rows]
    )
    projects = []
    for pk, latest_rag, reasons in rows:
        project = found.get(pk)
        if project is not None:  # deleted since the rows were cached
            project.latest_rag = latest_rag
            project.reasons = [(key, ATTENTION_REASONS[key]) for key in reasons]
            projects.append(project)
    return projects


# --- milestones ----------------------------------------------------------------------------


def milestones_due(projects: QuerySet, today: datetime.date) -> QuerySet:
    return Milestone.objects.filter(
        project__in=projects,
        actual_date__isnull=True,
        forecast_date__gte=today,
        forecast_date__lte=today + datetime.timedelta(days=MILESTONE_DAYS),
    ).order_by("forecast_date", "pk")


def milestones_slipped(projects: QuerySet) -> QuerySet:
    return Milestone.objects.filter(
        project__in=projects,
        actual_date__isnull=True,
        baseline_date__isnull=False,
        forecast_date__gt=F("baseline_date"),
    ).order_by("baseline_date", "pk")


def milestone_counts(projects: QuerySet, today: datetime.date) -> dict:
    """How many open milestones fall due in the next MILESTONE_DAYS days and how many have
    slipped, in one query."""
    soon = Q(
        forecast_date__gte=today,
        forecast_date__lte=today + datetime.timedelta(days=MILESTONE_DAYS),
    )
    slipped = Q(baseline_date__isnull=False, forecast_date__gt=F("baseline_date"))
    return Milestone.objects.filter(project__in=projects, actual_date__isnull=True).aggregate(
        due=Count("pk", filter=soon), slipped=Count("pk", filter=slipped)
    )


# --- CPI / SPI -----------------------------------------------------------------------------


def cpi_spi_points(projects: QuerySet) -> list[dict]:
    """The latest CPI and SPI of the projects with both, largest budgets first."""
    rows = (
        projects.annotate(
            cpi=latest_report("cpi"), spi=latest_report("spi"), rag=latest_report("overall_rag")
        )
        .filter(cpi__isnull=False, spi__isnull=False)
        .order_by("-budget", "code")
        .values("pk", "code", "name", "cpi", "spi", "rag")
    )[:SCATTER_LIMIT]
    return [
        {
            "id": row["pk"],
            "label": f"{row['code']} {row['name']}",
            "x": float(row["spi"]),
            "y": float(row["cpi"]),
            "rag": row["rag"],
        }
        for row in rows
    ]


def quadrant_counts(points: list[dict]) -> dict:
    """How many of the points lie in each quadrant around CPI = SPI = 1."""
    counts = {"both_below": 0, "cost_below": 0, "schedule_below": 0, "both_on": 0}
    for point in points:
        late, over = point["x"] < 1, point["y"] < 1
        key = (
            "both_below" if late and over
            else "cost_below" if over
            else "schedule_below" if late
            else "both_on"
        )  # fmt: skip
        counts[key] += 1
    return counts


# --- the whole dashboard -------------------------------------------------------------------


@dataclass
class PortfolioHealth:
    """The dashboard's figures of a set of projects, but for the attention list (attention_rows)
    and what is the user's own."""

    rag_counts: dict
    trend: list[TrendMonth]
    points: list[dict]
    milestone_counts: dict
    milestones_due: list
    milestones_slipped: list
    costs: RollupRow


def portfolio_health(projects: QuerySet, today: datetime.date, scope: str) -> PortfolioHealth:
    """The figures of `projects` (named by `scope`) on `today`: about eight queries, or none
    while they are in the cache."""

    def compute():
        return PortfolioHealth(
            rag_counts=rag_counts(projects),
            trend=rag_trend(projects, today),
            points=cpi_spi_points(projects),
            milestone_counts=milestone_counts(projects, today),
            milestones_due=list(
                milestones_due(projects, today).select_related("project")[:MILESTONES_SHOWN]
            ),
            milestones_slipped=list(
                milestones_slipped(projects).select_related("project")[:MILESTONES_SHOWN]
            ),
            costs=department_totals(projects, today),
        )

    return cached_figures(DASHBOARD_AREA, "health", compute, scope, today)
