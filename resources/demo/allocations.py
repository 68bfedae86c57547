"""Bookings of people and other resources on projects, planned month by month against what
each has free, so that the heat map is green to amber for most and red for a chosen few.

Each person works along one or two "tracks" from a year back to fifteen months ahead: a main
booking of 24-40 hours a week and, for three in five, a smaller one of 10-16 hours beside it, each
a chain of bookings of 1-6 months (mostly short) on projects running at the time (mostly of their
own division, bigger projects more often), with short gaps between. A project manager is booked
on the projects they manage. Then about one person in twenty gets one booking too many around
this month: over-allocated. Utilisation comes out near the 80% target now and lower further out,
where more of the work is still pipeline.

Bookings lie within the project's dates. Proposed projects get requested or soft bookings (the
pipeline), approved ones soft or hard, running ones mostly hard; closed projects have bookings in
the past. Cancelled projects have none.
"""

import bisect
import datetime
import math
import random
from decimal import Decimal
from itertools import accumulate

from dateutil.relativedelta import relativedelta

from projects.demo.runner import DemoContext
from projects.models import Currency, Project

from ..models import Allocation, Resource
from .bulk import row_maker
from .people import Member
from .timeline import MARGIN_HOURS, Timeline, days, project_window

Status = Project.Status
Booking = Allocation.Booking

BOOKINGS = {
    Status.PROPOSED: {Booking.REQUESTED: 45, Booking.SOFT: 55},
    Status.APPROVED: {Booking.SOFT: 55, Booking.HARD: 45},
    Status.ACTIVE: {Booking.HARD: 85, Booking.SOFT: 15},
    Status.ON_HOLD: {Booking.HARD: 70, Booking.SOFT: 30},
    Status.CLOSED: {Booking.HARD: 1},
}
CNY_PER_UNIT = {Currency.CNY: 1.0, Currency.USD: 7.2, Currency.EUR: 7.8}
MAIN_TRACK_HOURS = [24, 28, 32, 32, 36, 40]
SIDE_TRACK_HOURS = [10, 12, 16]
SIDE_TRACK_SHARE = 0.6
MANAGER_HOURS = [10, 12, 16, 20]
PERCENT_SHARE = 0.35  # bookings entered as a share of capacity rather than hours
OVER_ALLOCATED_SHARE = 0.05
MIN_HOURS, MAX_HOURS = 10, 40
PAST_MONTHS, FUTURE_MONTHS = 12, 15


def planning_timeline(today: datetime.date) -> Timeline:
    """The months booked in, with room for the last bookings to end."""
    first = today.replace(day=1) - relativedelta(months=PAST_MONTHS)
    return Timeline(first, today + relativedelta(months=FUTURE_MONTHS + 7))


class ProjectPool:
    """The projects running in each month, by division too, with weights for drawing them."""

    def __init__(self, projects: list[Project], timeline: Timeline, division_of: dict[int, str]):
        months: dict = {}
        self.window = {}
        for project in projects:
            if project.status == Status.CANCELLED:
                continue
            start, end = project_window(project)
            self.window[project.pk] = (start, end)
            cny = float(project.budget) * CNY_PER_UNIT.get(project.currency, 1.0)
            weight = max(0.3, math.log10(max(cny, 1)) - 4.3)
            if project.status == Status.ON_HOLD:
                weight *= 0.3
            division = division_of.get(project.department_id)
            for i, _days in timeline.days_by_month(start, end):
                for key in (i, (i, division)):
                    months.setdefault(key, ([], []))
                    months[key][0].append(project)
                    months[key][1].append(weight)
        self.months = {
            key: (items, list(accumulate(weights))) for key, (items, weights) in months.items()
        }
        self.timeline = timeline

    def pick(
        self, rng: random.Random, start: datetime.date, min_days: int, division: str, tries=8
    ) -> Project | None:
        """A project running from `start` for at least `min_days` more, or None."""
        i = self.timeline.index(start)
        for attempt in range(tries):
            key = (i, division) if attempt < tries // 2 and rng.random() < 0.7 else i
            if key not in self.months:
                continue
            items, cumulative = self.months[key]
            project = items[bisect.bisect(cumulative, rng.random() * cumulative[-1])]
            window_start, window_end = self.window[project.pk]
            if window_start <= start and (window_end - start).days >= min_days:
                return project
        return None


class Chooser:
    """Draws keys of a {key: weight} table quickly, many times over."""

    def __init__(self, weights: dict):
        self.keys = list(weights)
        self.cumulative = list(accumulate(weights.values()))

    def __call__(self, rng: random.Random):
        return self.keys[bisect.bisect(self.cumulative, rng.random() * self.cumulative[-1])]


class Planner:
    """Books members on projects, keeping each month's booked hours within what is free."""

    def __init__(self, rng: random.Random, today: datetime.date, pool: ProjectPool):
        self.rng, self.today, self.pool = rng, today, pool
        self.timeline = pool.timeline
        self.bookings: list[tuple[Allocation, Member, Project]] = []
        self.booking_kinds = {status: Chooser(weights) for status, weights in BOOKINGS.items()}
        self.make = row_maker(
            Allocation, "resource_id", "project_id", "start", "end", "percent",
            "hours_per_week", "booking",
        )  # fmt: skip

    @staticmethod
    def room(member: Member, spread: list[tuple[int, int]], margin=MARGIN_HOURS) -> float:
        """The most hours per week that fit in every month of `spread`."""
        free = member.free
        return min(((free[i] - margin) * 7 / overlap for i, overlap in spread), default=0.0)

    def book(
        self,
        member: Member,
        project: Project,
        start: datetime.date,
        end: datetime.date,
        hours: float,
        *,
        over: bool = False,
        as_percent: bool = False,
    ) -> Allocation | None:
        """Book `hours` a week, fewer where that is all that fits (none below 10); `over`
        books them whatever is free."""
        spread = self.timeline.days_by_month(start, end)
        if not over:
            hours = min(hours, self.room(member, spread))
        hours = min(math.floor(hours), MAX_HOURS)
        if hours < MIN_HOURS:
            return None
        weekly, percent = Decimal(hours), None
        if as_percent:
            capacity = member.hours_on(start)
            share = min(100, math.floor(hours * 100 / capacity / 5) * 5) if capacity else 0
            if share and capacity * share / 100 >= MIN_HOURS:
                weekly = (capacity * share / 100).quantize(Decimal("0.1"))
                percent = Decimal(share)
        booked = float(weekly) / 7
        for i, overlap in spread:
            member.free[i] -= booked * overlap
        choose_booking = self.booking_kinds[project.status]
        booking = Booking.HARD if end < self.today else choose_booking(self.rng)
        allocation = self.make(member.resource.pk, project.pk, start, end, percent, weekly, booking)
        self.bookings.append((allocation, member, project))
        return allocation

    def chain(self, member: Member, hours: list[int], start: datetime.date, end: datetime.date):
        """Bookings of 1-6 months one after the other from `start` until `end`, with gaps."""
        rng, timeline = self.rng, self.timeline
        usual = rng.choice(hours)
        as_percent = member.resource.kind == Resource.Kind.PERSON and rng.random() < PERCENT_SHARE
        day = start + days(rng.randint(0, 40))
        while day < end:
            if self.room(member, timeline.days_by_month(day, day + days(29))) < MIN_HOURS:
                day += days(14)  # busy (or away) for now
                continue
            project = self.pool.pick(rng, day, 30, member.division)
            if project is None:
                day += days(14)
                continue
            length = round(rng.triangular(30, 183, 45))
            finish = min(day + days(length - 1), self.pool.window[project.pk][1])
            wanted = max(MIN_HOURS, usual + rng.choice([-4, 0, 0, 4]))
            if self.book(member, project, day, finish, wanted, as_percent=as_percent) is None:
                day += days(14)
                continue
            gap = rng.randint(0, 14) if rng.random() < 0.85 else rng.randint(15, 45)
            day = finish + days(1 + gap)

    def manage(self, member: Member, start: datetime.date, end: datetime.date):
        """A project manager on their own projects, in stretches of two to five months."""
        rng = self.rng
        for project in sorted(member.manages, key=lambda p: (project_window(p), p.pk)):
            if project.status == Status.CANCELLED:
                continue
            window_start, window_end = project_window(project)
            day, stop = max(window_start, start), min(window_end, end)
            while (stop - day).days >= 30:
                finish = min(day + days(rng.randint(60, 150) - 1), window_end)
                if (window_end - finish).days < 30:
                    finish = window_end
                self.book(member, project, day, finish, rng.choice(MANAGER_HOURS))
                day = finish + days(1)

    def overbook(self, members: list[Member], count: int) -> int:
        """One booking too many around this month for `count` busy people: more hours than
        they have free this month (before the pipeline, which starts later)."""
        rng, today = self.rng, self.today
        this_month = self.timeline.days_by_month(today.replace(day=1), today + days(31))[:1]
        done = 0
        for member in rng.sample(members, len(members)):
            if done >= count:
                break
            start = today - days(rng.randint(14, 100))
            finish = today + days(rng.randint(20, 90))
            if start < member.hired or not member.resource.is_active:
                continue
            project = self.pool.pick(rng, start, (finish - start).days, member.division, tries=12)
            if project is None:
                continue
            free_now = self.room(member, this_month, margin=0)
            hours = max(MIN_HOURS, math.ceil(max(free_now, 0)) + rng.randint(6, 16))
            if hours > MAX_HOURS:
                continue  # not busy enough to go over with one booking more
            self.book(member, project, start, finish, hours, over=True)
            done += 1
        return done


def plan_allocations(
    context: DemoContext,
    rng: random.Random,
    timeline: Timeline,
    people: list[Member],
    others: list[Member],
    division_of: dict[int, str],
) -> Planner:
    """Every booking, in memory; `Planner.bookings` holds them with their member and project."""
    today = context.today
    pool = ProjectPool(context.projects, timeline, division_of)
    planner = Planner(rng, today, pool)
    horizon = today + relativedelta(months=FUTURE_MONTHS)
    staff = []
    for member in people:
        begin = max(timeline.first, member.hired)
        if member.manages:
            planner.manage(member, begin, horizon)
            continue
        staff.append(member)
        planner.chain(member, MAIN_TRACK_HOURS, begin, horizon)
        if rng.random() < SIDE_TRACK_SHARE:
            planner.chain(member, SIDE_TRACK_HOURS, begin, horizon)
    for member in others:
        if rng.random() < 0.7:
            planner.chain(member, [10, 16, 20, 24, 40], max(timeline.first, member.hired), horizon)
    unlinked = [member for member in staff if member.resource.user_id is None]
    planner.overbook(unlinked, max(1, round(len(people) * OVER_ALLOCATED_SHARE)))
    return planner
