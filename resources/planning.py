"""Capacity planning read models: heat maps of demand against capacity and of utilisation.

Each table is assembled from a handful of calls to the capacity engine (resources/capacity.py),
one query each, whatever the number of people; what is left in Python is dividing the sums it
returns and sorting rows. A cell carries its percentage and its band, so templates only show.

Bands: under 80% of capacity, 80–100% (near full), over 100% (over-demand or over-allocated).
Percentages are rounded to whole numbers first and the band follows the rounded figure, so the
colour always agrees with the number written in the cell.
"""

import datetime
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from dateutil.relativedelta import relativedelta
from django.db.models import ExpressionWrapper, F, Q, QuerySet, Value
from django.utils.translation import gettext as _

from pmo_portal.figures import cached_figures
from projects.models import Department, Project

from .capacity import (
    HOURS,
    NOT_DEMANDING,
    PIPELINE,
    Bucket,
    allocated_hours,
    capacity_hours,
    month_buckets,
    overlap_days,
    regroup,
    requested_hours,
    week_buckets,
)
from .models import (
    Absence,
    Allocation,
    Capacity,
    Resource,
    ResourceRequest,
    ResourceRole,
    UtilisationTarget,
)

NEAR_FULL = 80
FULL = 100
DEFAULT_TARGET = Decimal(80)
ZERO = Decimal(0)

ROLE_MONTHS = 18
PEOPLE_MONTHS = 12
PEOPLE_WEEKS = 16
UTILISATION_MONTHS = 12

MONTH = "month"
WEEK = "week"

# The bookings utilisation counts: plans someone has committed to (requested ones are not yet).
UTILISED_BOOKINGS = [Allocation.Booking.SOFT, Allocation.Booking.HARD]
# Work on proposed projects has not happened, and a cancelled project's bookings may run on
# past the day it stopped. Closed projects stay: their past months were worked.
NOT_UTILISED = [Project.Status.PROPOSED, Project.Status.CANCELLED]


def percent_of(part: Decimal, whole: Decimal) -> int | None:
    """`part` as a whole-number percentage of `whole`; None when there is nothing to divide by."""
    if not whole:
        return None
    return int((part * 100 / whole).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def band_of(percent: int | None, used: Decimal) -> str:
    """The colour band of a cell: "under", "near", "over", or "empty" (nothing at all).
    Demand on no capacity at all is over-demand."""
    if percent is None:
        return "over" if used > 0 else "empty"
    if percent > FULL:
        return "over"
    if percent >= NEAR_FULL:
        return "near"
    return "under"


@dataclass
class Cell:
    """One bucket of one row: hours used (demand or allocation) against capacity."""

    bucket: Bucket
    used: Decimal
    capacity: Decimal
    percent: int | None = field(init=False)
    band: str = field(init=False)

    def __post_init__(self):
        self.percent = percent_of(self.used, self.capacity)
        self.band = band_of(self.percent, self.used)

    @property
    def over(self) -> bool:
        return self.band == "over"


@dataclass
class Row:
    """A line of a heat map: a role, a person, a department."""

    key: object
    label: str
    cells: list[Cell]
    item: object = None
    html: str = ""  # the cells, as the page shows them

    @property
    def peak(self) -> int | None:
        """The highest percentage in the row; None when no bucket has capacity."""
        percents = [cell.percent for cell in self.cells if cell.percent is not None]
        return max(percents, default=None)

    @property
    def over(self) -> bool:
        return any(cell.over for cell in self.cells)


def _cells(buckets, used: dict, capacity: dict) -> list[Cell]:
    return [
        Cell(bucket, used.get(bucket.key, ZERO), capacity.get(bucket.key, ZERO))
        for bucket in buckets
    ]


def _total_row(rows: list[Row], buckets, label: str) -> Row:
    used = {b.key: sum((r.cells[i].used for r in rows), ZERO) for i, b in enumerate(buckets)}
    capacity = {
        b.key: sum((r.cells[i].capacity for r in rows), ZERO) for i, b in enumerate(buckets)
    }
    return Row(key=None, label=label, cells=_cells(buckets, used, capacity))


def buckets_from(today: datetime.date, scale: str, count: int) -> list[Bucket]:
    return week_buckets(today, count) if scale == WEEK else month_buckets(today, count)


def bucket_at(day: datetime.date, scale: str) -> Bucket:
    """The month or the Monday-to-Sunday week containing `day`."""
    return buckets_from(day, scale, 1)[0]


# Who and what a heat map covers.


def active_people(*, department=None, role=None, skill=None) -> QuerySet:
    """Active people, narrowed by department, role and a skill they have."""
    people = Resource.objects.people().filter(is_active=True)
    if department:
        people = people.filter(department=department)
    if role:
        people = people.filter(role=role)
    if skill:
        people = people.filter(skills__skill=skill)
    return people


def requests_for(*, department=None, role=None, skill=None) -> QuerySet:
    """Resource requests of projects in the department, for the role, asking for the skill."""
    requests = ResourceRequest.objects.all()
    if department:
        requests = requests.filter(project__department=department)
    if role:
        requests = requests.filter(role=role)
    if skill:
        requests = requests.filter(skills=skill)
    return requests


# Page 1: demand against capacity by role.


@dataclass
class RoleHeatmap:
    buckets: list[Bucket]
    rows: list[Row]
    total: Row


def _add(*tables: dict) -> dict:
    """Cell-by-cell sum of {group: {bucket: hours}} tables."""
    summed: dict = {}
    for table in tables:
        for group, hours in table.items():
            row = summed.setdefault(group, {})
            for key, value in hours.items():
                row[key] = row.get(key, ZERO) + value
    return summed


def role_heatmap(
    *, today: datetime.date, department=None, role=None, skill=None, pipeline: bool = False
) -> RoleHeatmap:
    """Demand (allocations of these people plus open requests) against the capacity of active
    people, by role and month, for ROLE_MONTHS months from the current one. Four queries for
    the engine's sums (kept in the cache until the data changes) and one for the role names."""
    buckets = month_buckets(today, ROLE_MONTHS)

    def figures():
        people = active_people(department=department, role=role, skill=skill)
        capacity = capacity_hours(people, "role", buckets)
        allocations = Allocation.objects.filter(resource__in=people)
        demand = _add(
            allocated_hours(allocations, "resource__role", buckets, pipeline=pipeline),
            requested_hours(
                requests_for(department=department, role=role, skill=skill),
                buckets,
                pipeline=pipeline,
            ),
        )
        return capacity, demand

    filters = (getattr(item, "pk", None) for item in (department, role, skill))
    capacity, demand = cached_figures(
        "resources", "roles", figures, buckets[0].key, pipeline, *filters
    )
    keys = set(capacity) | set(demand)
    roles = ResourceRole.objects.in_bulk([key for key in keys if key is not None])
    rows = [
        Row(
            key=key,
            label=roles[key].display_name if key is not None else _("No role"),
            cells=_cells(buckets, demand.get(key, {}), capacity.get(key, {})),
            item=roles.get(key),
        )
        for key in keys
    ]
    # By name, people without a role last.
    rows.sort(key=lambda row: (row.key is None, row.label.casefold()))
    return RoleHeatmap(buckets, rows, _total_row(rows, buckets, _("Total")))


# Page 2: each person's utilisation.


def people_utilisation(people: QuerySet, buckets) -> tuple[dict, dict]:
    """({person: {bucket: hours allocated}}, {person: {bucket: capacity}}) for `people`.
    Three queries. Allocations on proposed, closed and cancelled projects do not count."""
    allocations = Allocation.objects.filter(resource__in=people)
    return (
        allocated_hours(allocations, "resource", buckets),
        capacity_hours(people, "id", buckets),
    )


def person_cells(person_id, buckets, allocated: dict, capacity: dict) -> list[Cell]:
    return _cells(buckets, allocated.get(person_id, {}), capacity.get(person_id, {}))


def peaks(ids, buckets, allocated: dict, capacity: dict) -> dict:
    """{person: highest utilisation in the horizon, as a fraction}; float is enough to rank
    and a lot quicker over thousands of people. No capacity and some allocation ranks first."""
    result = {}
    keys = [bucket.key for bucket in buckets]
    for person in ids:
        used, available = allocated.get(person, {}), capacity.get(person, {})
        peak = 0.0
        for key in keys:
            hours = float(used.get(key, 0))
            if not hours:
                continue
            offered = float(available.get(key, 0))
            peak = max(peak, hours / offered if offered else float("inf"))
        result[person] = peak
    return result


def over_allocated(peak: float) -> bool:
    """Over 100% once rounded to a whole percentage, as the cell shows it."""
    return peak * 100 >= FULL + 0.5


# Page 3: one person in one bucket.


BOOKING_ORDER = {
    Allocation.Booking.HARD: 0,
    Allocation.Booking.SOFT: 1,
    Allocation.Booking.REQUESTED: 2,
}


@dataclass
class BucketDetail:
    person: Resource
    bucket: Bucket
    capacity: Decimal
    allocations: list  # counted, each with in_bucket, running_total and over
    not_counted: list  # overlapping, on pipeline, closed or cancelled projects
    capacity_rows: list
    absences: list

    @property
    def allocated(self) -> Decimal:
        return sum((a.in_bucket for a in self.allocations), ZERO)

    @property
    def percent(self) -> int | None:
        return percent_of(self.allocated, self.capacity)

    @property
    def band(self) -> str:
        return band_of(self.percent, self.allocated)

    @property
    def excess(self) -> Decimal:
        return max(self.allocated - self.capacity, ZERO)


def bucket_detail(person: Resource, bucket: Bucket) -> BucketDetail:
    """The allocations of a person overlapping a bucket with their hours in it, in the order
    commitments are kept (hard, soft, then requested bookings; earlier first): once the running
    total passes the capacity, the remaining allocations are what over-allocates the person."""
    in_bucket = ExpressionWrapper(
        F("hours_per_week") * overlap_days(F("start"), F("end"), bucket) / Value(Decimal(7)),
        output_field=HOURS,
    )
    allocations = list(
        Allocation.objects.filter(resource=person, start__lte=bucket.end, end__gte=bucket.start)
        .select_related("project")
        .annotate(in_bucket=in_bucket)
        .order_by("start", "pk")
    )
    not_demanding = {*NOT_DEMANDING, *PIPELINE}
    counted = [a for a in allocations if a.project.status not in not_demanding]
    counted.sort(key=lambda a: (BOOKING_ORDER.get(a.booking, 9), a.start, a.pk))
    capacity = capacity_hours(Resource.objects.filter(pk=person.pk), "id", [bucket])
    available = capacity.get(person.pk, {}).get(bucket.key, ZERO)
    running = ZERO
    for allocation in counted:
        running += allocation.in_bucket
        allocation.running_total = running
        allocation.over = band_of(percent_of(running, available), running) == "over"
    capacity_rows = list(
        Capacity.objects.filter(resource=person, start__lte=bucket.end)
        .filter(Q(end__gte=bucket.start) | Q(end__isnull=True))
        .order_by("start")
    )
    absences = list(
        Absence.objects.filter(
            resource=person, start__lte=bucket.end, end__gte=bucket.start
        ).order_by("start")
    )
    return BucketDetail(
        person=person,
        bucket=bucket,
        capacity=available,
        allocations=counted,
        not_counted=[a for a in allocations if a.project.status in not_demanding],
        capacity_rows=capacity_rows,
        absences=absences,
    )


# Page 4: utilisation against target.


def utilisation_targets() -> tuple[Decimal, dict]:
    """(portal-wide target, {role id: target}); the portal-wide one is DEFAULT_TARGET until
    someone sets it."""
    default, by_role = DEFAULT_TARGET, {}
    for target in UtilisationTarget.objects.all():
        if target.role_id is None:
            default = target.percent
        else:
            by_role[target.role_id] = target.percent
    return default, by_role


def booked_hours(people: QuerySet, buckets) -> dict:
    """{(department, role): {bucket: hours}} of the hard and soft bookings of `people`, in one
    query for both tables of the utilisation page. Unlike demand, past utilisation keeps the
    bookings of projects closed since (see NOT_UTILISED)."""
    allocations = Allocation.objects.filter(resource__in=people, booking__in=UTILISED_BOOKINGS)
    return allocated_hours(
        allocations, ("resource__department", "resource__role"), buckets, excluded=NOT_UTILISED
    )


@dataclass
class TargetCell:
    """A utilisation cell measured against its row's target."""

    cell: Cell
    target: Decimal

    @property
    def against_target(self) -> str:
        """ "below", "on", "above", or "" when there is no capacity to measure against."""
        if self.cell.percent is None:
            return ""
        if self.cell.percent < self.target:
            return "below"
        if self.cell.percent > self.target:
            return "above"
        return "on"


@dataclass
class TargetRow:
    label: str
    target: Decimal
    cells: list[TargetCell]
    own_target: bool = False
    overall: TargetCell | None = None
    html: str = ""  # the cells, as the page shows them


@dataclass
class UtilisationReport:
    buckets: list[Bucket]
    default_target: Decimal
    by_department: list[TargetRow]
    by_role: list[TargetRow]
    total: TargetRow


def _target_row(label, buckets, used, capacity, target, *, own_target=False) -> TargetRow:
    cells = _cells(buckets, used, capacity)
    overall = Cell(
        Bucket(buckets[0].start, buckets[-1].end),
        sum((c.used for c in cells), ZERO),
        sum((c.capacity for c in cells), ZERO),
    )
    return TargetRow(
        label=label,
        target=target,
        cells=[TargetCell(cell, target) for cell in cells],
        own_target=own_target,
        overall=TargetCell(overall, target),
    )


def _column_sums(table: dict, buckets) -> dict:
    """{bucket: hours} summed over every group of a {group: {bucket: hours}} table."""
    return {b.key: sum((row.get(b.key, ZERO) for row in table.values()), ZERO) for b in buckets}


def utilisation_report(*, today: datetime.date) -> UtilisationReport:
    """Booked hours (hard and soft) against the capacity of active people over the
    UTILISATION_MONTHS months up to and including the current one, by department and by role,
    each against its target. Six queries, whatever the number of people (four of them only
    when the data has changed since the figures were cached)."""
    first = today.replace(day=1) - relativedelta(months=UTILISATION_MONTHS - 1)
    buckets = month_buckets(first, UTILISATION_MONTHS)
    people = active_people()
    default, role_targets = utilisation_targets()
    booked, capacity = cached_figures(
        "resources",
        "utilisation",
        lambda: (
            booked_hours(people, buckets),
            capacity_hours(people, ("department", "role"), buckets),
        ),
        buckets[0].key,
    )

    department_capacity = regroup(capacity, 0)
    department_used = regroup(booked, 0)
    departments = Department.objects.in_bulk(set(department_capacity) | set(department_used))
    by_department = sorted(
        (
            _target_row(
                department.display_name,
                buckets,
                department_used.get(key, {}),
                department_capacity.get(key, {}),
                default,
            )
            for key, department in departments.items()
        ),
        key=lambda row: row.label.casefold(),
    )

    role_capacity = regroup(capacity, 1)
    role_used = regroup(booked, 1)
    keys = set(role_capacity) | set(role_used)
    roles = ResourceRole.objects.in_bulk([key for key in keys if key is not None])
    by_role = [
        (
            key is None,
            _target_row(
                roles[key].display_name if key is not None else _("No role"),
                buckets,
                role_used.get(key, {}),
                role_capacity.get(key, {}),
                role_targets.get(key, default),
                own_target=key in role_targets,
            ),
        )
        for key in keys
    ]
    by_role.sort(key=lambda pair: (pair[0], pair[1].label.casefold()))

    total = _target_row(
        _("All departments"),
        buckets,
        _column_sums(department_used, buckets),
        _column_sums(department_capacity, buckets),
        default,
    )
    return UtilisationReport(buckets, default, by_department, [pair[1] for pair in by_role], total)
