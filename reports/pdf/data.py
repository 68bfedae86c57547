"""The figures of the PDF reports, read through the areas' own services and aggregated in the
database: a fixed number of queries whatever the number of projects, except the appendix,
which streams its rows in chunks.

The report is as of `period_end` (the "today" of the dashboards' figures); "what changed"
compares it with `previous_end`, the end of the period of the previous report: the RAG of a
project then is that of its last published report for a period that ended by that day, and
the state of a risk or a milestone then is read from its history.
"""

import datetime
import hashlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cached_property

from django.conf import settings
from django.db.models import (
    Case,
    Count,
    DecimalField,
    F,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
    Window,
)
from django.db.models.functions import Coalesce, RowNumber
from django.utils import timezone
from django.utils.translation import gettext as _

from pmo_portal.figures import cached_figures
from portfolio.models import PortfolioDecision, ReviewDecision
from projects.models import ChangeRequest, Milestone, Project
from resources.capacity import allocated_hours, capacity_hours, month_buckets
from resources.costs import (
    DepartmentTree,
    department_rollup,
    department_totals,
    with_cost_figures,
)
from resources.models import Allocation, Resource, ResourceRole
from resources.planning import (
    MONTH,
    NOT_UTILISED,
    UTILISED_BOOKINGS,
    active_people,
    bucket_at,
    over_allocated,
    peaks,
    people_utilisation,
    percent_of,
)
from risks.figures import exchange_rates, heat_map, risk_totals
from risks.models import Risk
from risks.models.register import ACTIVE_STATUSES

from .. import dashboard, evm
from ..models import RAG, StatusReport
from ..sources import CRITICAL_LEVEL

LATEST = dashboard.LATEST
MONEY = DecimalField(max_digits=20, decimal_places=2)
LISTED = 12  # rows of each "what changed" list, of the top risks, of the milestone lists
ATTENTION_LISTED = 20
PREVIOUS_RAG_WINDOW = datetime.timedelta(days=92)
RESOURCE_MONTHS = 3
APPENDIX_CHUNK = 1000


def end_of_day(day: datetime.date) -> datetime.datetime:
    """Midnight after `day` in the portal's time zone: records before it are of that day or
    earlier."""
    zone = timezone.get_current_timezone()
    return datetime.datetime.combine(day + datetime.timedelta(days=1), datetime.time(), zone)


def in_reporting_currency(amount: str, currency: str, rates: dict):
    """`amount` converted at the rates written into the query; NULL without a rate."""
    return Case(
        *(When(**{currency: code}, then=F(amount) * Value(rate)) for code, rate in rates.items()),
        default=Value(None),
        output_field=MONEY,
    )


# --- headline figures ----------------------------------------------------------------------


@dataclass
class Headline:
    """The portfolio at a glance: projects by RAG, money, earned value and what needs
    attention."""

    project_count: int
    rag: dict  # {"green"|"amber"|"red"|None: count}
    budget: Decimal
    actual: Decimal
    forecast: Decimal
    unconverted: int
    earned_value: evm.EarnedValue | None
    reported: int  # projects whose latest report carries earned-value figures
    cost_below: int  # CPI < 1
    schedule_below: int  # SPI < 1
    attention: dict
    milestones: dict
    currency: str

    @property
    def variance(self) -> Decimal:
        return self.budget - self.forecast


def headline(projects: QuerySet, today: datetime.date, rates: dict, sources,
             costs=None) -> Headline:  # fmt: skip
    """Six queries; five when the cost totals (resources' RollupRow) are given."""
    counts = dashboard.rag_counts(projects)
    costs = costs or department_totals(projects, today)
    money = {
        name: Coalesce(Sum(in_reporting_currency(f"{LATEST}{name}", f"{LATEST}currency", rates)),
                       Value(Decimal(0)), output_field=MONEY)
        for name in ("bac", "pv", "ev", "ac")
    }  # fmt: skip
    with_figures = Q(**{f"{LATEST}ev__isnull": False, f"{LATEST}ac__isnull": False,
                        f"{LATEST}pv__isnull": False})  # fmt: skip
    sums = projects.filter(with_figures).aggregate(
        **money,
        reported=Count("pk"),
        cost_below=Count("pk", filter=Q(**{f"{LATEST}cpi__lt": 1})),
        schedule_below=Count("pk", filter=Q(**{f"{LATEST}spi__lt": 1})),
    )
    figures = None
    if sums["reported"]:
        figures = evm.earned_value_figures(bac=sums["bac"], pv=sums["pv"], ev=sums["ev"],
                                           ac=sums["ac"])  # fmt: skip
    return Headline(
        project_count=sum(counts.values()),
        rag=counts,
        budget=costs.budget,
        actual=costs.actual,
        forecast=costs.eac,
        unconverted=costs.unconverted,
        earned_value=figures,
        reported=sums["reported"],
        cost_below=sums["cost_below"],
        schedule_below=sums["schedule_below"],
        attention=dashboard.attention_totals(projects, today, sources=sources),
        milestones=dashboard.milestone_counts(projects, today),
        currency=settings.DEFAULT_CURRENCY,
    )


# --- what changed since the previous report -------------------------------------------------


@dataclass
class Listed:
    """The first rows of a list and how many there are in all."""

    rows: list
    total: int

    @classmethod
    def of(cls, queryset: QuerySet, limit: int = LISTED) -> "Listed":
        """One query, whatever the length of the list: each row carries the count of them
        all (a window over the whole result, worked out before the limit)."""
        rows = list(queryset.annotate(listed_total=Window(Count("pk")))[:limit])
        return cls(rows, rows[0].listed_total if rows else 0)


@dataclass
class Decision:
    day: datetime.date
    kind: str
    subject: str
    decision: str
    note: str = ""


@dataclass
class Changes:
    previous_end: datetime.date | None
    new_reds: Listed | None = None
    recoveries: Listed | None = None
    critical_risks: Listed | None = None
    slipped_milestones: Listed | None = None
    decisions: Listed | None = None


def rag_at(projects: QuerySet, day: datetime.date) -> QuerySet:
    """(project, overall RAG) of each project's last published report for a period ending by
    `day` (and within the three months before it: an older report says nothing of then)."""
    return (
        StatusReport.objects.published()
        .filter(
            project__in=projects.values("pk"),
            period__end__lte=day,
            period__end__gt=day - PREVIOUS_RAG_WINDOW,
        )  # fmt: skip
        .annotate(
            rank=Window(
                RowNumber(),
                partition_by=[F("project_id")],
                order_by=[F("period__end").desc(), F("pk").desc()],
            )
        )
        .filter(rank=1)
        .values_list("project_id", "overall_rag")
    )


def changes(
    projects: QuerySet, risks: QuerySet, *, previous_end: datetime.date | None,
    period_end: datetime.date,
) -> Changes:  # fmt: skip
    """New reds, recoveries, newly critical risks, newly slipped milestones and the decisions
    taken since `previous_end`: eight queries."""
    if previous_end is None:
        return Changes(previous_end=None)
    then = dict(rag_at(projects, previous_end))
    # The RAG then of the projects red or recovering now, the only ones these lists need: one
    # query above, the lists below each one more.
    current = projects.annotate(latest_rag=F(f"{LATEST}overall_rag")).select_related(
        "department", "manager"
    )
    red_then = [pk for pk, rag in then.items() if rag == RAG.RED]
    amber_then = [pk for pk, rag in then.items() if rag == RAG.AMBER]
    new_reds = current.filter(latest_rag=RAG.RED).exclude(pk__in=red_then).order_by("code")
    recovered = current.filter(
        Q(latest_rag=RAG.GREEN, pk__in=red_then + amber_then)
        | Q(latest_rag=RAG.AMBER, pk__in=red_then)
    ).order_by("code")
    found = Changes(previous_end=previous_end)
    found.new_reds = Listed.of(new_reds)
    for project in found.new_reds.rows:
        project.rag_then = then.get(project.pk)
    found.recoveries = Listed.of(recovered)
    for project in found.recoveries.rows:
        project.rag_then = then.get(project.pk)

    cut = end_of_day(previous_end)
    risk_then = Risk.history.filter(id=OuterRef("pk"), history_date__lt=cut).order_by(
        "-history_date", "-history_id"
    )
    # Not critical then: no record yet (logged since), or recorded at another level or status.
    not_critical_then = (
        Q(level_then__isnull=True)
        | ~Q(level_then=CRITICAL_LEVEL)
        | ~Q(status_then__in=ACTIVE_STATUSES)
    )
    newly_critical = (
        risks.filter(
            kind=Risk.Kind.THREAT, status__in=ACTIVE_STATUSES, residual_level=CRITICAL_LEVEL
        )  # fmt: skip
        .annotate(
            level_then=Subquery(risk_then.values("residual_level")[:1]),
            status_then=Subquery(risk_then.values("status")[:1]),
        )
        .filter(not_critical_then)
        .select_related("project", "owner")
        .order_by("-residual_score", "-emv", "pk")
    )
    found.critical_risks = Listed.of(newly_critical)

    milestone_then = Milestone.history.filter(id=OuterRef("pk"), history_date__lt=cut).order_by(
        "-history_date", "-history_id"
    )
    on_time_then = (
        Q(forecast_then__isnull=True)
        | Q(baseline_then__isnull=True)
        | Q(forecast_then__lte=F("baseline_then"))
    )
    newly_slipped = (
        dashboard.milestones_slipped(projects)
        .annotate(
            forecast_then=Subquery(milestone_then.values("forecast_date")[:1]),
            baseline_then=Subquery(milestone_then.values("baseline_date")[:1]),
        )
        .filter(on_time_then)
        .select_related("project")
        .order_by("baseline_date", "pk")
    )
    found.slipped_milestones = Listed.of(newly_slipped)
    found.decisions = decisions(projects, since=previous_end, until=period_end)
    return found


def decisions(projects: QuerySet, *, since: datetime.date, until: datetime.date) -> Listed:
    """Funding decisions, portfolio-review decisions and change-board decisions on the
    projects, taken after `since` up to `until`: three queries."""
    in_scope = projects.values("pk")
    funding = PortfolioDecision.objects.filter(
        project__in=in_scope, decided_on__gt=since, decided_on__lte=until
    ).select_related("project")
    reviews = ReviewDecision.objects.filter(
        project__in=in_scope, review__held_on__gt=since, review__held_on__lte=until
    ).select_related("project", "review")
    decided = [ChangeRequest.Status.APPROVED, ChangeRequest.Status.REJECTED,
               ChangeRequest.Status.IMPLEMENTED]  # fmt: skip
    changes_decided = ChangeRequest.objects.filter(
        project__in=in_scope, status__in=decided, decided_at__gte=end_of_day(since),
        decided_at__lt=end_of_day(until),
    ).select_related("project")  # fmt: skip
    funding = Listed.of(funding.order_by("-decided_on", "-pk"))
    reviews = Listed.of(reviews.order_by("-review__held_on", "-pk"))
    changes_decided = Listed.of(changes_decided.order_by("-decided_at", "-pk"))
    rows = [
        Decision(row.decided_on, _("Portfolio funding"), str(row.project),
                 row.get_decision_display(), row.note)
        for row in funding.rows
    ] + [
        Decision(row.review.held_on, _("Portfolio review"), str(row.project),
                 row.get_decision_display(), row.rationale)
        for row in reviews.rows
    ] + [
        Decision(timezone.localdate(row.decided_at), _("Change request"),
                 f"{row.project.code} {row.code} {row.title}", row.get_status_display(),
                 row.decision_comment)
        for row in changes_decided.rows
    ]  # fmt: skip
    rows.sort(key=lambda row: row.day, reverse=True)
    total = funding.total + reviews.total + changes_decided.total
    return Listed(rows[:LISTED], total)


# --- budget by department -------------------------------------------------------------------


def budget_by_department(projects: QuerySet, today: datetime.date) -> tuple[list, object]:
    """The top-level departments' budget, actual and forecast, largest first, and their
    total (resources' RollupRow): two queries."""
    rows, total = department_rollup(projects, tree=DepartmentTree.load(), today=today)
    return sorted(rows, key=lambda row: row.budget, reverse=True), total


# --- risks ----------------------------------------------------------------------------------


@dataclass
class RiskFigures:
    top: list
    heat_map: list
    inherent_map: list | None
    totals: dict
    currency: str


def risk_figures(risks: QuerySet, rates: dict, *, inherent: bool = False) -> RiskFigures:
    """The top active threats, the heat map of the active threats (after responses, and
    before them when `inherent`), counts per level and exposure: four or six queries."""
    threats = risks.filter(kind=Risk.Kind.THREAT, status__in=ACTIVE_STATUSES)
    top = list(
        threats.select_related("project", "owner", "category").order_by(
            "-residual_score", "-emv", "pk"
        )[:LISTED]
    )
    return RiskFigures(
        top=top,
        heat_map=heat_map(threats, residual=True),
        inherent_map=heat_map(threats, residual=False) if inherent else None,
        totals=risks.aggregate(**risk_totals(rates)),
        currency=settings.DEFAULT_CURRENCY,
    )


# --- resources ------------------------------------------------------------------------------


@dataclass
class RoleRow:
    role_id: int | None
    label: str
    people: int
    over_allocated: int
    cells: list = field(default_factory=list)  # (month, booked, capacity, percent)

    @property
    def current_percent(self) -> int | None:
        return self.cells[0][3] if self.cells else None


@dataclass
class ResourceFigures:
    months: list
    roles: list[RoleRow]
    total: RoleRow
    over_people: list  # (person, role label, department label, percent), the most booked first


def resource_figures(today: datetime.date, departments: list[int] | None,
                     *, people_listed: int = LISTED) -> ResourceFigures:  # fmt: skip
    """Booked hours (hard and soft) against capacity by role for this month and the next
    two, the people booked over their capacity this month by role, and the most over-booked
    people: eleven queries whatever the number of people (resources' capacity engine), two
    while the figures are in the cache."""
    buckets = month_buckets(today, RESOURCE_MONTHS)
    people = active_people()
    if departments is not None:
        people = people.filter(department__in=departments)
    current = bucket_at(today, MONTH)

    def compute():
        capacity = capacity_hours(people, "role", buckets)
        booked = allocated_hours(
            Allocation.objects.filter(resource__in=people, booking__in=UTILISED_BOOKINGS),
            "resource__role", buckets, excluded=NOT_UTILISED,
        )  # fmt: skip
        allocated, available = people_utilisation(people, [current])
        person_peaks = peaks(set(allocated), [current], allocated, available)
        over = {pk: peak for pk, peak in person_peaks.items() if over_allocated(peak)}
        head_counts = dict(people.order_by().values("role").annotate(n=Count("pk"))
                           .values_list("role", "n"))  # fmt: skip
        over_roles: dict = {}
        for role in Resource.objects.filter(pk__in=list(over)).values_list("role", flat=True):
            over_roles[role] = over_roles.get(role, 0) + 1
        return capacity, booked, over, head_counts, over_roles

    # Kept in resources' figure cache until people, capacity or bookings change.
    who = (
        "all"
        if departments is None
        else hashlib.sha1(repr(departments).encode(), usedforsecurity=False).hexdigest()
    )
    capacity, booked, over, head_counts, over_roles = cached_figures(
        "resources", "pdf-roles", compute, buckets[0].key, who
    )
    keys = set(capacity) | set(booked) | set(head_counts)
    names = ResourceRole.objects.in_bulk([key for key in keys if key is not None])

    def cells(used: dict, offered: dict) -> list:
        return [
            (bucket.start, used.get(bucket.key, 0), offered.get(bucket.key, 0),
             percent_of(Decimal(used.get(bucket.key, 0)), Decimal(offered.get(bucket.key, 0))))
            for bucket in buckets
        ]  # fmt: skip

    rows = [
        RoleRow(
            role_id=key,
            label=names[key].display_name if key in names else _("No role"),
            people=head_counts.get(key, 0),
            over_allocated=over_roles.get(key, 0),
            cells=cells(booked.get(key, {}), capacity.get(key, {})),
        )
        for key in keys
    ]
    rows.sort(key=lambda row: (row.role_id is None, -(row.current_percent or 0), row.label))
    total_used = {b.key: sum((booked.get(k, {}).get(b.key, 0) for k in keys), 0) for b in buckets}
    total_offered = {
        b.key: sum((capacity.get(k, {}).get(b.key, 0) for k in keys), 0) for b in buckets
    }
    total = RoleRow(None, _("All roles"), sum(head_counts.values()), len(over),
                    cells(total_used, total_offered))  # fmt: skip
    listed = sorted(over, key=lambda pk: (-over[pk], pk))[:people_listed]
    found = Resource.objects.select_related("role", "department").in_bulk(listed)
    over_people = [
        (found[pk], found[pk].role.display_name if found[pk].role else _("No role"),
         found[pk].department.display_name,
         None if over[pk] == float("inf") else round(over[pk] * 100))
        for pk in listed if pk in found
    ]  # fmt: skip
    return ResourceFigures([b.start for b in buckets], rows, total, over_people)


# --- milestones and attention ---------------------------------------------------------------


@dataclass
class Milestones:
    due: Listed
    slipped: Listed
    days: int


def milestones(projects: QuerySet, today: datetime.date) -> Milestones:
    """The open milestones due in the next weeks and those forecast after their baseline."""
    due = dashboard.milestones_due(projects, today).select_related("project")
    slipped = dashboard.milestones_slipped(projects).select_related("project")
    return Milestones(Listed.of(due), Listed.of(slipped), dashboard.MILESTONE_DAYS)


def attention(projects: QuerySet, today: datetime.date, sources, total: int) -> Listed:
    """The projects needing attention, red first, each with its reasons (one query)."""
    rows = list(dashboard.needing_attention(projects, today, sources=sources)[:ATTENTION_LISTED])
    for project in rows:
        project.reasons = [str(label) for _key, label in dashboard.reasons_of(project)]
    return Listed(rows, total)


# --- the appendix ---------------------------------------------------------------------------


def person_name(first: str, last: str, username: str) -> str:
    return f"{first} {last}".strip() or username


def appendix_rows(projects: QuerySet, today: datetime.date, *, chinese: bool) -> Iterator[tuple]:
    """One row per project, ordered by code, read from the database in chunks (a server-side
    cursor on PostgreSQL): (code, name, department, manager, status, RAG, % complete,
    budget, actual, forecast in the reporting currency, CPI, SPI, end date)."""
    statuses = {value: str(label) for value, label in Project.Status.choices}
    rows = (
        with_cost_figures(projects, today)
        .order_by("code")
        .values_list(
            "code",
            "name",
            "department__name",
            "department__name_zh_hans",
            "manager__first_name",
            "manager__last_name",
            "manager__username",
            "status",
            f"{LATEST}overall_rag",
            f"{LATEST}percent_complete",
            "budget_rc",
            "actual_rc",
            "eac_rc",
            f"{LATEST}cpi",
            f"{LATEST}spi",
            "forecast_end",
            "planned_end",
        )  # fmt: skip
    )
    for (code, name, department, department_zh, first, last, username, status, rag, done,
         budget, actual, forecast, cpi, spi, forecast_end, planned_end) in rows.iterator(
             chunk_size=APPENDIX_CHUNK):  # fmt: skip
        yield (
            code,
            name,
            (department_zh or department) if chinese else department,
            person_name(first, last, username),
            statuses.get(status, status),
            rag,
            done,
            budget,
            actual,
            forecast,
            cpi,
            spi,
            forecast_end or planned_end,
        )


# --- figures shared by every report ---------------------------------------------------------


class Context:
    """What the sections share, loaded once and only when a section asks: the day, the
    exchange rates and the sources of the attention flags."""

    def __init__(self, period_end: datetime.date, previous_end: datetime.date | None):
        self.today = period_end
        self.previous_end = previous_end

    @cached_property
    def rates(self) -> dict:
        return exchange_rates()

    @cached_property
    def sources(self) -> dashboard.AttentionSources:
        return dashboard.AttentionSources.load(self.today)
