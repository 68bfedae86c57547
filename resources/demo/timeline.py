"""The months in which the demo books people, and the arithmetic of hours in them.

People are booked in memory against what they have free in each month, counted as the capacity
engine (resources/capacity.py) counts it: hours per week times the days of a period inside the
month over 7, less absent days. The demo then knows, before anything is written, who is over
capacity in which month, and it is nobody but the people it made so on purpose.
"""

import datetime

from dateutil.relativedelta import relativedelta

from projects.models import Project

FAR_FUTURE = datetime.date(9999, 12, 31)

# Booked hours stay this far below the capacity of a month, so that rounding in the database
# never turns a full month red.
MARGIN_HOURS = 0.5


def days(number: int) -> datetime.timedelta:
    return datetime.timedelta(days=number)


def project_window(project: Project) -> tuple[datetime.date, datetime.date]:
    """When a project runs or ran or would run: the actual dates where it has them, else the
    forecast, else the plan. Its bookings and requests lie within."""
    start = project.actual_start or project.forecast_start or project.planned_start
    end = project.actual_end or project.forecast_end or project.planned_end
    return start, max(start, end)


class Timeline:
    """The months from `first` to `last` (whole months), by index from 0."""

    def __init__(self, first: datetime.date, last: datetime.date):
        self.first = first.replace(day=1)
        starts = []
        month = self.first
        while month <= last:
            starts.append(month)
            month += relativedelta(months=1)
        self.starts = starts
        self.last = month - days(1)
        self._start_ordinals = [start.toordinal() for start in starts]
        self._end_ordinals = [o - 1 for o in self._start_ordinals[1:]] + [self.last.toordinal()]

    def __len__(self) -> int:
        return len(self.starts)

    def index(self, day: datetime.date) -> int:
        return (day.year - self.first.year) * 12 + day.month - self.first.month

    def days_by_month(
        self, start: datetime.date, end: datetime.date | None
    ) -> list[tuple[int, int]]:
        """[(month index, days of [start, end] in that month)] for the months in the timeline."""
        first = max(self.index(start), 0)
        last = len(self) - 1 if end is None else min(self.index(end), len(self) - 1)
        start_ordinal = start.toordinal()
        end_ordinal = FAR_FUTURE.toordinal() if end is None else end.toordinal()
        spread = []
        for i in range(first, last + 1):
            overlap = min(end_ordinal, self._end_ordinals[i]) - max(
                start_ordinal, self._start_ordinals[i]
            )
            if overlap >= 0:
                spread.append((i, overlap + 1))
        return spread
