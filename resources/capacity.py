"""Capacity against demand, computed in the database.

Everything here works on periods ("buckets", a month or a week each). A booking or a capacity
row counts in a bucket in proportion to the days it overlaps it: 40 hours a week over 14 days
of a 30-day month is 40 * 14 / 7 = 80 hours. One query returns every bucket at once, one
conditional SUM per bucket, grouped by role or by person: a handful of queries for a heat map
of any size.

- Capacity: the Capacity rows (hours per week, from a date until the next row starts), less
  absences (an absent day takes its share of the weekly hours).
- Demand: allocations (named people), and open resource requests (a role before anyone is
  named). Allocations and requests of proposed projects are the *pipeline*, shown on demand.
"""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.db.models import (
    Case,
    DateField,
    DecimalField,
    ExpressionWrapper,
    F,
    Func,
    Q,
    QuerySet,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce, Greatest, Least

from projects.models import Project

from .models import Absence, Capacity, ResourceRequest

OPEN_FUTURE = datetime.date(9999, 12, 31)
HOURS = DecimalField(max_digits=14, decimal_places=2)
ZERO = Decimal(0)


class DaysBetween(Func):
    """Whole days from the first date to the second (end - start), on SQLite and PostgreSQL."""

    output_field = DecimalField(max_digits=10, decimal_places=0)

    def as_sql(self, compiler, connection, **extra):  # PostgreSQL: date - date is days
        end, start = (compiler.compile(e) for e in self.source_expressions)
        return f"(({end[0]}) - ({start[0]}))", [*end[1], *start[1]]

    def as_sqlite(self, compiler, connection, **extra):
        end, start = (compiler.compile(e) for e in self.source_expressions)
        return f"(julianday({end[0]}) - julianday({start[0]}))", [*end[1], *start[1]]


@dataclass(frozen=True)
class Bucket:
    start: datetime.date
    end: datetime.date  # inclusive

    @property
    def key(self) -> str:
        return self.start.isoformat()

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1


def month_buckets(first: datetime.date, count: int) -> list[Bucket]:
    start = first.replace(day=1)
    buckets = []
    for _ in range(count):
        following = start + relativedelta(months=1)
        buckets.append(Bucket(start, following - datetime.timedelta(days=1)))
        start = following
    return buckets


def week_buckets(first: datetime.date, count: int) -> list[Bucket]:
    start = first - datetime.timedelta(days=first.weekday())
    return [
        Bucket(start + datetime.timedelta(weeks=n), start + datetime.timedelta(weeks=n, days=6))
        for n in range(count)
    ]


def _date(value: datetime.date):
    return Value(value, output_field=DateField())


def overlap_days(start, end, bucket: Bucket):
    """Days of [start, end] (expressions; end may be NULL for open-ended) inside the bucket."""
    last = Least(Coalesce(end, _date(OPEN_FUTURE)), _date(bucket.end))
    first = Greatest(start, _date(bucket.start))
    return DaysBetween(last, first) + Value(1)


def _hours_in(bucket: Bucket):
    """SUM over the rows overlapping the bucket of their weekly hours times the days of
    [first_day, last_day] inside it, divided by 7 once per sum rather than once per row."""
    overlaps = Q(first_day__lte=bucket.end) & (
        Q(last_day__gte=bucket.start) | Q(last_day__isnull=True)
    )
    hour_days = ExpressionWrapper(
        F("weekly") * overlap_days(F("first_day"), F("last_day"), bucket), output_field=HOURS
    )
    total = Sum(Case(When(overlaps, then=hour_days), default=None, output_field=HOURS))
    return Coalesce(
        ExpressionWrapper(total / Value(Decimal(7)), output_field=HOURS),
        Value(ZERO),
        output_field=HOURS,
    )


def hours_by_bucket(
    rows: QuerySet, group_by: str | tuple, buckets, *, hours, first="start", last="end"
) -> dict:
    """{group: {bucket key: hours}} in one query with a column per bucket: each row gives
    `hours` a week (a field name or an expression) from `first` to `last` (dates; last NULL:
    open-ended), counted in each bucket in proportion to the days it overlaps it. A tuple
    `group_by` keys the table by tuples of those fields (see regroup)."""
    fields = group_by if isinstance(group_by, tuple) else (group_by,)
    as_expression = lambda value: F(value) if isinstance(value, str) else value  # noqa: E731
    horizon = (buckets[0].start, buckets[-1].end)
    rows = (
        rows.order_by()
        .alias(weekly=as_expression(hours), first_day=as_expression(first),
               last_day=as_expression(last))
        .filter(Q(last_day__gte=horizon[0]) | Q(last_day__isnull=True), first_day__lte=horizon[1])
        .values(*fields)
        .annotate(**{f"b{i}": _hours_in(bucket) for i, bucket in enumerate(buckets)})
    )  # fmt: skip
    columns = [(bucket.key, f"b{i}") for i, bucket in enumerate(buckets)]
    table = {}
    for row in rows:
        group = tuple(row[name] for name in fields) if len(fields) > 1 else row[fields[0]]
        table[group] = {key: row[column] for key, column in columns}
    return table


def regroup(table: dict, index: int) -> dict:
    """{group: {bucket: hours}} summed over one field of a table grouped by several."""
    summed: dict = {}
    for groups, hours in table.items():
        row = summed.setdefault(groups[index], {})
        for key, value in hours.items():
            row[key] = row.get(key, ZERO) + value
    return summed


def _resource_fields(group_by: str | tuple):
    """The same grouping seen from a row pointing at a resource ("id" is the resource itself)."""
    fields = group_by if isinstance(group_by, tuple) else (group_by,)
    paths = tuple("resource" if name == "id" else f"resource__{name}" for name in fields)
    return paths if isinstance(group_by, tuple) else paths[0]


def _absence_hours(resources: QuerySet, group_by: str | tuple, buckets) -> dict:
    """{group: {bucket: hours lost}}: each absent day takes a seventh of the weekly capacity
    in force that day (each absence is cut to the capacity rows it overlaps)."""
    capacity_end = Coalesce(F("resource__capacities__end"), _date(OPEN_FUTURE))
    # One filter() call, so that the conditions and the sums below share one join to the
    # capacity rows (each filter() call on a many-valued relation would join it anew).
    absences = Absence.objects.filter(
        Q(resource__capacities__end__gte=F("start")) | Q(resource__capacities__end=None),
        resource__in=resources,
        resource__capacities__start__lte=F("end"),
    )
    return hours_by_bucket(
        absences,
        _resource_fields(group_by),
        buckets,
        hours=F("resource__capacities__hours_per_week"),
        first=Greatest(F("start"), F("resource__capacities__start")),
        last=Least(F("end"), capacity_end),
    )


def capacity_hours(resources: QuerySet, group_by: str | tuple, buckets) -> dict:
    """{group: {bucket: hours available}}: capacity rows less absences, grouped by fields of
    the resource ("id", "role", ("department", "role")...)."""
    capacity = hours_by_bucket(
        Capacity.objects.filter(resource__in=resources),
        _resource_fields(group_by),
        buckets,
        hours="hours_per_week",
    )
    absent = _absence_hours(resources, group_by, buckets)
    for group, hours in absent.items():
        row = capacity.setdefault(group, {b.key: ZERO for b in buckets})
        for key, lost in hours.items():
            row[key] = max(row[key] - lost, ZERO)
    return capacity


PIPELINE = [Project.Status.PROPOSED]
NOT_DEMANDING = [Project.Status.CLOSED, Project.Status.CANCELLED]


def not_demanding(*, pipeline: bool) -> list:
    """The project statuses whose bookings and requests are no demand on anyone's time:
    closed and cancelled projects, and proposed ones unless the pipeline is shown."""
    return NOT_DEMANDING if pipeline else [*NOT_DEMANDING, *PIPELINE]


def overlapping(buckets) -> Q:
    """Rows that touch the horizon at all: the others add nothing, and the index on
    (start, end) leaves them out before the sums."""
    return Q(start__lte=buckets[-1].end, end__gte=buckets[0].start)


def allocated_hours(
    allocations: QuerySet, group_by: str | tuple, buckets, *, pipeline=False, excluded=None
) -> dict:
    """{group: {bucket: hours booked}} for allocations, grouped by e.g. "resource" or
    "resource__role". Bookings on projects of the `excluded` statuses do not count (by
    default, those of not_demanding)."""
    if excluded is None:
        excluded = not_demanding(pipeline=pipeline)
    return hours_by_bucket(
        allocations.filter(overlapping(buckets)).exclude(project__status__in=excluded),
        group_by,
        buckets,
        hours="hours_per_week",
    )


def requested_hours(requests: QuerySet, buckets, *, pipeline=False) -> dict:
    """{role: {bucket: hours}} asked for by the open requests among `requests`, not yet
    fulfilled with names."""
    weekly = Case(
        When(unit=ResourceRequest.Unit.FTE, then=F("amount") * Value(_standard_week())),
        default=F("amount"),
        output_field=HOURS,
    )
    open_requests = (
        requests.filter(overlapping(buckets), status=ResourceRequest.Status.OPEN)
        .exclude(project__status__in=not_demanding(pipeline=pipeline))
        .alias(weekly_hours=weekly)
    )
    return hours_by_bucket(open_requests, "role", buckets, hours="weekly_hours")


def _standard_week() -> Decimal:
    return Decimal(settings.STANDARD_HOURS_PER_WEEK)
