"""Budgets and actual costs: each project's budget spread over its planned months by cost
category, and what it spent in the months that are over.

What is kept small at the large size (5,000 projects, up to two years each): projects planned
for more than a year are budgeted by quarter (a line on the first day of each quarter) rather
than by month, and only the project types that buy things have capital and equipment lines;
every project has labour and operating lines. That makes about 100,000 budget lines and 66,000
actual costs, where monthly lines in all four categories would be nearly 300,000 budget lines.

The lines of a project add up to its budget exactly. Actual costs run from the actual start to
the end of last month (or the actual end), at the planned daily rate of each category times a
factor of the project: most spend 80-105% of the plan, about one in seven overspends by 10-45%;
a project that runs late keeps spending after its planned end.
"""

import datetime
import random
from decimal import Decimal

from projects.demo.runner import DemoContext
from projects.models import Project

from ..models import ActualCost, BudgetLine, CostCategory
from .bulk import BATCH_SIZE, delete_all, row_maker
from .timeline import days

QUARTERLY_AFTER_MONTHS = 12
# project type: {category beyond labour and operating: chance a project of the type has it}
MORE_CATEGORIES = {
    "Infrastructure": {CostCategory.CAPITAL: 1.0, CostCategory.EQUIPMENT: 1.0},
    "Facilities": {CostCategory.CAPITAL: 1.0, CostCategory.EQUIPMENT: 0.8},
    "Product development": {CostCategory.EQUIPMENT: 1.0, CostCategory.CAPITAL: 0.4},
    "Research": {CostCategory.EQUIPMENT: 0.8},
    "IT system": {CostCategory.CAPITAL: 0.3},
}
OVERSPEND_SHARE = 0.15

make_line = row_maker(BudgetLine, "project_id", "category", "period", "amount")
make_cost = row_maker(ActualCost, "project_id", "category", "period", "amount")


def _month(day: datetime.date) -> datetime.date:
    return day.replace(day=1)


def _quarter(day: datetime.date) -> datetime.date:
    return datetime.date(day.year, (day.month - 1) // 3 * 3 + 1, 1)


def _next(period: datetime.date, months: int) -> datetime.date:
    month = period.month - 1 + months
    return datetime.date(period.year + month // 12, month % 12 + 1, 1)


def _periods(start: datetime.date, end: datetime.date, months: int):
    """(period, first day, last day) of the months or quarters from start to end."""
    period = _quarter(start) if months == 3 else _month(start)
    while period <= end:
        following = _next(period, months)
        yield period, period, following - days(1)
        period = following


def _overlap(start, end, first, last) -> int:
    return max(0, (min(end, last) - max(start, first)).days + 1)


def _shares(rng: random.Random, project: Project) -> dict[str, float]:
    """How the budget divides between the categories: labour first."""
    categories = {CostCategory.LABOUR: rng.uniform(0.45, 0.75) * 3}
    for category, chance in MORE_CATEGORIES.get(project.project_type.name, {}).items():
        if rng.random() < chance:
            categories[category] = rng.uniform(0.3, 1.0)
    categories[CostCategory.OPERATING] = rng.uniform(0.3, 0.8)
    total = sum(categories.values())
    return {category: weight / total for category, weight in categories.items()}


def _budget_lines(rng, project: Project, shares: dict, months: int) -> list[BudgetLine]:
    """Lines that add up to the budget exactly (worked out in cents)."""
    start, end = project.planned_start, project.planned_end
    periods = list(_periods(start, end, months))
    lines, budget = [], int(project.budget * 100)
    allotted = 0
    for number, (category, share) in enumerate(shares.items()):
        total = budget - allotted if number == len(shares) - 1 else round(budget * share)
        allotted += total
        weights = [_overlap(start, end, first, last) * rng.uniform(0.85, 1.15)
                   for _period, first, last in periods]  # fmt: skip
        scale = sum(weights)
        amounts = [int(total * weight / scale) // 100 * 100 for weight in weights]
        amounts[max(range(len(amounts)), key=weights.__getitem__)] += total - sum(amounts)
        lines += [
            make_line(project.pk, category, period, Decimal(amount) / 100)
            for (period, _first, _last), amount in zip(periods, amounts, strict=True)
        ]
    return lines


def _actual_costs(rng, project: Project, shares: dict, months: int, today) -> list[ActualCost]:
    """Spending at the planned daily rate times the project's factor, up to last month."""
    if project.actual_start is None:
        return []
    booked_until = _month(today) - days(1)
    start, end = project.actual_start, min(project.actual_end or booked_until, booked_until)
    planned_days = (project.planned_end - project.planned_start).days + 1
    overspends = rng.random() < OVERSPEND_SHARE
    factor = rng.uniform(1.1, 1.45) if overspends else rng.uniform(0.8, 1.05)
    costs = []
    for period, first, last in _periods(start, end, months):
        active = _overlap(start, end, first, last)
        for category, share in shares.items():
            daily = float(project.budget) * share / planned_days
            amount = daily * active * factor * rng.uniform(0.9, 1.1)
            costs.append(make_cost(project.pk, category, period, Decimal(f"{amount:.2f}")))
    return costs


def seed_budgets(context: DemoContext, rng: random.Random) -> None:
    """Budget lines for every project, actual costs for those that started."""
    lines, costs = [], []
    for project in context.projects:
        planned_months = (project.planned_end.year - project.planned_start.year) * 12 + (
            project.planned_end.month - project.planned_start.month
        )
        months = 3 if planned_months >= QUARTERLY_AFTER_MONTHS else 1
        shares = _shares(rng, project)
        lines += _budget_lines(rng, project, shares, months)
        costs += _actual_costs(rng, project, shares, months, context.today)
    # About a hundred thousand rows: their creation records would only say "made by the demo".
    BudgetLine.objects.bulk_create(lines, batch_size=BATCH_SIZE)
    ActualCost.objects.bulk_create(costs, batch_size=BATCH_SIZE)
    context.summary["budget lines"] = len(lines)
    context.summary["actual costs"] = len(costs)


def flush_budgets() -> None:
    delete_all(BudgetLine.history.model, BudgetLine, ActualCost.history.model, ActualCost)
