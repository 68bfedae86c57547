"""Reporting periods: calendar weeks (Monday to Sunday) and calendar months, made ahead of time.

A report is due a few days after its period ends (DUE_DAYS), so a manager can report on a
whole week or month. Periods exist only where this module made them: a report for a period
that does not exist is refused, whatever date someone sends.
"""

import datetime

from dateutil.relativedelta import relativedelta

from ..models import ReportingPeriod
from ..models.status import Frequency

DUE_DAYS = {Frequency.WEEKLY: 2, Frequency.MONTHLY: 5}
HISTORY_DAYS = 400


def period_bounds(frequency: str, day: datetime.date) -> tuple[datetime.date, datetime.date]:
    """The first and last day of the week or month containing `day`."""
    if frequency == Frequency.WEEKLY:
        start = day - datetime.timedelta(days=day.weekday())
        return start, start + datetime.timedelta(days=6)
    start = day.replace(day=1)
    return start, start + relativedelta(months=1) - datetime.timedelta(days=1)


def new_period(frequency: str, day: datetime.date) -> ReportingPeriod:
    start, end = period_bounds(frequency, day)
    return ReportingPeriod(
        frequency=frequency,
        start=start,
        end=end,
        due_on=end + datetime.timedelta(days=DUE_DAYS[frequency]),
    )


def periods_between(frequency: str, first: datetime.date, last: datetime.date) -> list:
    """Unsaved periods of `frequency` covering `first` to `last`."""
    periods, day = [], first
    while day <= last:
        period = new_period(frequency, day)
        periods.append(period)
        day = period.end + datetime.timedelta(days=1)
    return periods


def periods_ensure(*, until: datetime.date, since: datetime.date | None = None) -> int:
    """Make the weekly and monthly periods from `since` (default: about a year back) to the one
    containing `until`, those missing only; returns how many there are in that span. Safe to
    run twice at once: the unique (frequency, start) makes the second insert a no-op."""
    since = since or until - datetime.timedelta(days=HISTORY_DAYS)
    wanted = [
        period
        for frequency in Frequency.values
        for period in periods_between(frequency, since, until)
    ]
    ReportingPeriod.objects.bulk_create(wanted, ignore_conflicts=True, batch_size=1000)
    return len(wanted)


def last_due_periods(today: datetime.date) -> dict[str, ReportingPeriod]:
    """For each frequency, the latest period whose report was due before `today`."""
    found = {}
    for frequency in Frequency.values:
        period = (
            ReportingPeriod.objects.filter(frequency=frequency, due_on__lt=today)
            .order_by("-end")
            .first()
        )
        if period is not None:
            found[frequency] = period
    return found
