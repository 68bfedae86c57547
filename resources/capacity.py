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


def hours_in(bucket: Bucket, *, hours_per_week, start, end):
    """SUM over the rows overlapping the bucket of hours_per_week * overlapping days / 7."""
    overlaps = Q(**{f"{start}__lte": bucket.end}) & (
        Q(**{f"{end}__gte": bucket.start}) | Q(**{f"{end}__isnull": True})
    )
    hours = ExpressionWrapper(
        F(hours_per_week) * overlap_days(F(start), F(end), bucket) / Value(Decimal(7)),
        output_field=HOURS,
    )
    return Coalesce(
        Sum(Case(When(overlaps, then=hours), default=None, output_field=HOURS)),
        Value(Decimal(0)),
        output_field=HOURS,
    )


def _by_bucket(queryset: QuerySet, group_by: str, buckets, **fields) -> dict:
    """{group key: {bucket key: hours}} from one grouped query with a column per bucket."""
    columns = {f"b{i}": hours_in(bucket, **fields) for i, bucket in enumerate(buckets)}
    table = {}
    for row in queryset.order_by().values(group_by).annotate(**columns):
        table[row[group_by]] = {b.key: row[f"b{i}"] for i, b in enumerate(buckets)}
    return table


def _absence_hours(resources: QuerySet, group_by: str, buckets) -> dict:
    """{group: {bucket: hours lost}}: each absent day takes a seventh of the weekly capacity
    in force that day (absence, capacity row and bucket overlap)."""
    annotations = {}
    for i, bucket in enumerate(buckets):
        first = Greatest(F("start"), F("resource__capacities__start"), _date(bucket.start))
        last = Least(
            F("end"),
            Coalesce(F("resource__capacities__end"), _date(OPEN_FUTURE)),
            _date(bucket.end),
        )
        overlapping = (
            Q(start__lte=bucket.end, end__gte=bucket.start)
            & Q(resource__capacities__start__lte=bucket.end)
            & (
                Q(resource__capacities__end__gte=bucket.start)
                | Q(resource__capacities__end__isnull=True)
            )
            & Q(resource__capacities__start__lte=F("end"))
            & (
                Q(resource__capacities__end__gte=F("start"))
                | Q(resource__capacities__end__isnull=True)
            )
        )
        hours = ExpressionWrapper(
            F("resource__capacities__hours_per_week")
            * (DaysBetween(last, first) + Value(1))
            / Value(Decimal(7)),
            output_field=HOURS,
        )
        annotations[f"b{i}"] = Coalesce(
            Sum(Case(When(overlapping, then=hours), default=None, output_field=HOURS)),
            Value(Decimal(0)),
            output_field=HOURS,
        )
    key = "resource" if group_by == "id" else f"resource__{group_by}"
    rows = (
        Absence.objects.filter(resource__in=resources)
        .order_by()
        .values(key)
        .annotate(**annotations)
    )
    return {row[key]: {b.key: row[f"b{i}"] for i, b in enumerate(buckets)} for row in rows}


def capacity_hours(resources: QuerySet, group_by: str, buckets) -> dict:
    """{group: {bucket: hours available}}: capacity rows less absences."""
    capacity = _by_bucket(
        Capacity.objects.filter(resource__in=resources),
        "resource" if group_by == "id" else f"resource__{group_by}",
        buckets,
        hours_per_week="hours_per_week",
        start="start",
        end="end",
    )
    absent = _absence_hours(resources, group_by, buckets)
    for group, hours in absent.items():
        row = capacity.setdefault(group, {b.key: Decimal(0) for b in buckets})
        for key, lost in hours.items():
            row[key] = max(row[key] - lost, Decimal(0))
    return capacity


PIPELINE = [Project.Status.PROPOSED]
NOT_DEMANDING = [Project.Status.CLOSED, Project.Status.CANCELLED]


def _demanding_projects(include_pipeline: bool) -> Q:
    excluded = NOT_DEMANDING if include_pipeline else [*NOT_DEMANDING, *PIPELINE]
    return ~Q(project__status__in=excluded)


def allocated_hours(allocations: QuerySet, group_by: str, buckets, *, pipeline=False) -> dict:
    """{group: {bucket: hours booked}} for allocations, grouped by e.g. "resource" or
    "resource__role"."""
    return _by_bucket(
        allocations.filter(_demanding_projects(pipeline)),
        group_by,
        buckets,
        hours_per_week="hours_per_week",
        start="start",
        end="end",
    )


def requested_hours(buckets, *, pipeline=False) -> dict:
    """{role: {bucket: hours}} asked for by open requests not yet fulfilled with names."""
    requests = ResourceRequest.objects.filter(
        _demanding_projects(pipeline), status=ResourceRequest.Status.OPEN
    )
    columns = {}
    for i, bucket in enumerate(buckets):
        overlaps = Q(start__lte=bucket.end, end__gte=bucket.start)
        weekly = Case(
            When(unit=ResourceRequest.Unit.FTE, then=F("amount") * Value(_standard_week())),
            default=F("amount"),
            output_field=HOURS,
        )
        hours = ExpressionWrapper(
            weekly * overlap_days(F("start"), F("end"), bucket) / Value(Decimal(7)),
            output_field=HOURS,
        )
        columns[f"b{i}"] = Coalesce(
            Sum(Case(When(overlaps, then=hours), default=None, output_field=HOURS)),
            Value(Decimal(0)),
            output_field=HOURS,
        )
    table = {}
    for row in requests.order_by().values("role").annotate(**columns):
        table[row["role"]] = {b.key: row[f"b{i}"] for i, b in enumerate(buckets)}
    return table


def _standard_week() -> Decimal:
    return Decimal(settings.STANDARD_HOURS_PER_WEEK)
