"""The figures of the risk pages, worked out in the database: heat-map cells, roll-ups, exposure
over time, a project's summary and the inputs and results of the simulation.

Amounts added up across projects are in the reporting currency (settings.DEFAULT_CURRENCY), at
the exchange rates kept in the admin; a risk in a currency without a rate is left out of the
sums and counted, rather than added at a wrong value.
"""

import datetime
import hashlib
from dataclasses import dataclass, field
from decimal import Decimal

import numpy as np
from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import EmptyResultSet
from django.db.models import (
    Case,
    Count,
    DecimalField,
    F,
    IntegerField,
    Max,
    Q,
    QuerySet,
    Sum,
    Value,
    When,
    Window,
)
from django.db.models.functions import Coalesce, Lead
from django.utils import timezone

from pmo_portal.figures import cached_figures
from portfolio.models import Portfolio
from projects.models import Department, ExchangeRate, Project
from resources.costs import DepartmentTree

from . import montecarlo
from .models import Contingency, Level, Risk, RiskCategory, RiskMatrix
from .models.register import ACTIVE_STATUSES

MONEY = DecimalField(max_digits=20, decimal_places=2)
SIMULATION_CACHE_SECONDS = 60 * 60
EXPOSURE_MONTHS = 12
TOP_RISKS = 10


def exchange_rates() -> dict[str, Decimal]:
    """What a unit of each currency is worth in the reporting currency (one query)."""
    rates = dict(ExchangeRate.objects.values_list("currency", "rate"))
    rates[settings.DEFAULT_CURRENCY] = Decimal(1)
    return rates


def in_reporting_currency(amount: str, rates: dict[str, Decimal]):
    """`amount` (a field of Risk) in the reporting currency; NULL for a currency without a
    rate. The rates are written into the query, so no subquery runs per row."""
    return Case(
        *(When(currency=code, then=F(amount) * Value(rate)) for code, rate in rates.items()),
        default=Value(None),
        output_field=MONEY,
    )


def _level_counts(prefix: str = "") -> dict:
    return {
        f"{level}_count": Count("pk", filter=Q(residual_level=level, status__in=ACTIVE_STATUSES))
        for level in Level.values
    }


def risk_totals(rates: dict) -> dict:
    """The aggregates of a roll-up row: counts, active counts per level and the EMV of the
    active threats and opportunities."""
    active = Q(status__in=ACTIVE_STATUSES)
    emv = in_reporting_currency("emv", rates)
    return {
        "risk_count": Count("pk"),
        "active_count": Count("pk", filter=active),
        **_level_counts(),
        "threat_emv": Coalesce(
            Sum(emv, filter=active & Q(kind=Risk.Kind.THREAT)),
            Value(Decimal(0)),
            output_field=MONEY,
        ),
        "opportunity_emv": Coalesce(
            Sum(emv, filter=active & Q(kind=Risk.Kind.OPPORTUNITY)),
            Value(Decimal(0)),
            output_field=MONEY,
        ),
        "unconverted": Count("pk", filter=~Q(currency__in=list(rates))),
    }


# --- heat map ------------------------------------------------------------------------------


@dataclass
class HeatCell:
    probability: int
    impact: int
    level: str
    count: int = 0

    @property
    def label(self) -> str:
        return Level(self.level).label


def heat_map(risks: QuerySet, *, residual: bool) -> list[list[HeatCell]]:
    """The 5x5 grid, probability 5 at the top, impact 1 to 5 left to right: the number of
    `risks` in each cell, in one grouped query."""
    p, i = ("residual_probability", "residual_impact") if residual else ("probability", "impact")
    counts = {
        (row[p], row[i]): row["count"]
        for row in risks.order_by().values(p, i).annotate(count=Count("pk"))
    }
    return [
        [HeatCell(prob, imp, level, counts.get((prob, imp), 0)) for prob, imp, level in row]
        for row in RiskMatrix.load().rows()
    ]


# --- roll-ups ------------------------------------------------------------------------------


@dataclass
class RollupRow:
    """Risks of a category, department or portfolio (with everything below it)."""

    label: str
    key: int | None = None
    depth: int = 0
    risk_count: int = 0
    active_count: int = 0
    low_count: int = 0
    medium_count: int = 0
    high_count: int = 0
    critical_count: int = 0
    threat_emv: Decimal = Decimal(0)
    opportunity_emv: Decimal = Decimal(0)
    unconverted: int = 0
    sub_rows: list["RollupRow"] = field(default_factory=list)

    FIGURES = (
        "risk_count", "active_count", "low_count", "medium_count", "high_count",
        "critical_count", "threat_emv", "opportunity_emv", "unconverted",
    )  # fmt: skip

    @property
    def net_exposure(self) -> Decimal:
        return self.threat_emv - self.opportunity_emv

    def add(self, figures) -> None:
        for name in self.FIGURES:
            value = figures[name] if isinstance(figures, dict) else getattr(figures, name)
            setattr(self, name, getattr(self, name) + (value or 0))


def _grouped(risks: QuerySet, key, rates: dict) -> dict:
    rows = risks.order_by().annotate(group=key).values("group").annotate(**risk_totals(rates))
    return {row["group"]: row for row in rows}


def _tree_rollup(groups: dict, nodes: dict, children: dict, label, none_label: str):
    """Add the groups' figures up into the top nodes of a tree (a few dozen nodes: walked here,
    the database having grouped the risks)."""
    rows, total = [], RollupRow(label="")
    for top in children.get(None, []):
        row = RollupRow(label=label(nodes[top]), key=top)
        stack = [(top, 0)]
        seen = set()
        while stack:
            pk, depth = stack.pop()
            if pk in seen:
                continue
            seen.add(pk)
            if pk in groups:
                sub = RollupRow(label=label(nodes[pk]), key=pk, depth=depth)
                sub.add(groups[pk])
                row.add(sub)
                row.sub_rows.append(sub)
            stack.extend((child, depth + 1) for child in reversed(children.get(pk, [])))
        if row.risk_count:
            rows.append(row)
            total.add(row)
    if None in groups:
        row = RollupRow(label=none_label)
        row.add(groups[None])
        rows.append(row)
        total.add(row)
    return rows, total


def rollup_by_category(risks: QuerySet, rates: dict):
    groups = _grouped(risks, F("category"), rates)
    nodes = RiskCategory.objects.order_by("code").in_bulk()
    children: dict = {}
    for node in nodes.values():
        children.setdefault(node.parent_id, []).append(node.pk)
    return _tree_rollup(groups, nodes, children, str, "")


def rollup_by_department(risks: QuerySet, rates: dict, none_label: str):
    groups = _grouped(risks, F("project__department"), rates)
    tree = DepartmentTree.load()
    return _tree_rollup(
        groups, tree.departments, tree.children, lambda d: f"{d.code} {d.display_name}", none_label
    )


def portfolio_of_risk():
    """The portfolio a risk falls under: its own, its programme's or its project's placement."""
    return Coalesce(
        "portfolio", "programme__portfolio", "project__portfolio_placement__portfolio",
        output_field=IntegerField(),
    )  # fmt: skip


def rollup_by_portfolio(risks: QuerySet, rates: dict, none_label: str):
    groups = _grouped(risks, portfolio_of_risk(), rates)
    nodes = Portfolio.objects.order_by("path").in_bulk()
    children: dict = {}
    for node in nodes.values():
        children.setdefault(node.parent_id, []).append(node.pk)
    return _tree_rollup(groups, nodes, children, str, none_label)


def in_portfolio(portfolio: Portfolio) -> Q:
    """Risks under the portfolio or any portfolio below it."""
    path = portfolio.path
    return (
        Q(portfolio__path__startswith=path)
        | Q(programme__portfolio__path__startswith=path)
        | Q(project__portfolio_placement__portfolio__path__startswith=path)
    )


def in_department(department: Department) -> Q:
    return Q(project__department__in=DepartmentTree.load().subtree(department.pk))


# --- exposure over time --------------------------------------------------------------------


@dataclass
class ExposurePoint:
    month_end: datetime.date
    active_count: int
    severe_count: int  # high or critical
    threat_emv: Decimal


def month_ends(today: datetime.date, months: int = EXPOSURE_MONTHS) -> list[datetime.date]:
    """The last day of each of the last `months` months, the current one ending today."""
    first_month = today.replace(day=1) - relativedelta(months=months - 1)
    ends = [first_month + relativedelta(months=n + 1, days=-1) for n in range(months)]
    ends[-1] = today
    return ends


def exposure_over_time(
    risks: QuerySet, rates: dict, *, months: int = EXPOSURE_MONTHS, today=None
) -> list[ExposurePoint]:
    """The active risks, the high and critical ones, and the EMV of the threats at the end of
    each of the last `months` months, from the risks' history (every change of score or status
    is a history row).

    Worked out in the database, in one query: each history record of the `risks` holds from its
    moment until the risk's next record (a window function), and the records that hold at each
    month's end are added up. A deleted risk's last record holds nothing.
    """
    ends = month_ends(today or timezone.localdate(), months)
    # Each month ends at midnight after its last day, in the portal's time zone: comparing the
    # records' moments with these is much quicker than turning each into a local date.
    zone = timezone.get_current_timezone()
    boundaries = [
        datetime.datetime.combine(end + datetime.timedelta(days=1), datetime.time(), zone)
        for end in ends
    ]
    active = Q(status__in=ACTIVE_STATUSES) & ~Q(history_type="-")
    severe = Q(residual_level__in=[Level.HIGH, Level.CRITICAL])
    records = Risk.history.filter(id__in=risks.order_by().values("pk")).annotate(
        held_until=Window(
            Lead("history_date"),
            partition_by=[F("id")],
            order_by=[F("history_date").asc(), F("history_id").asc()],
        ),
        active_flag=Case(When(active, then=Value(1)), default=Value(0)),
        severe_flag=Case(When(active & severe, then=Value(1)), default=Value(0)),
        threat_amount=Case(
            When(active & Q(kind=Risk.Kind.THREAT), then=in_reporting_currency("emv", rates)),
            default=Value(None),
            output_field=MONEY,
        ),
    )
    sums = {}
    for number, boundary in enumerate(boundaries):
        holds = Q(history_date__lt=boundary) & (
            Q(held_until__isnull=True) | Q(held_until__gte=boundary)
        )
        sums[f"active_{number}"] = Sum("active_flag", filter=holds)
        sums[f"severe_{number}"] = Sum("severe_flag", filter=holds)
        sums[f"emv_{number}"] = Sum("threat_amount", filter=holds)
    totals = records.aggregate(**sums)
    return [
        ExposurePoint(
            end,
            totals[f"active_{number}"] or 0,
            totals[f"severe_{number}"] or 0,
            totals[f"emv_{number}"] or Decimal(0),
        )
        for number, end in enumerate(ends)
    ]


def queryset_key(queryset: QuerySet) -> str:
    """A short key for what `queryset` selects (its SQL and parameters), for the cache."""
    try:
        sql, params = queryset.order_by().query.sql_with_params()
    except EmptyResultSet:
        return "none"
    return hashlib.sha1(repr((sql, params)).encode(), usedforsecurity=False).hexdigest()[:16]


def cached_exposure_over_time(risks: QuerySet, rates: dict) -> list[ExposurePoint]:
    """exposure_over_time, kept in the cache until a risk or what the filters read changes
    (risks/apps.py) or the day does."""
    today = timezone.localdate()
    return cached_figures(
        "risks", "exposure", lambda: exposure_over_time(risks, rates, today=today),
        today.isoformat(), queryset_key(risks), _rates_key(rates),
    )  # fmt: skip


def _rates_key(rates: dict) -> str:
    return hashlib.sha1(repr(sorted(rates.items())).encode(), usedforsecurity=False).hexdigest()[
        :12
    ]


# --- a project's summary -------------------------------------------------------------------


def project_risk_summary(project: Project) -> dict:
    """The project's top active risks, its active risks per level and the EMV of its threats
    and opportunities (in the project's currency): two queries."""
    risks = Risk.objects.filter(project=project)
    active = Q(status__in=ACTIVE_STATUSES)
    figures = risks.aggregate(
        active_count=Count("pk", filter=active),
        **_level_counts(),
        threat_emv=Sum("emv", filter=active & Q(kind=Risk.Kind.THREAT)),
        opportunity_emv=Sum("emv", filter=active & Q(kind=Risk.Kind.OPPORTUNITY)),
        overdue_reviews=Count("pk", filter=active & Q(next_review__lt=timezone.localdate())),
    )
    top = list(risks.active().select_related("owner").order_by("-residual_score", "-emv", "pk")[:5])
    return {"figures": figures, "top_risks": top}


# --- simulation ----------------------------------------------------------------------------

SIMULATED_FIELDS = (
    "probability_percent", "cost_min", "cost_likely", "cost_max", "schedule_min",
    "schedule_likely", "schedule_max", "distribution", "currency",
)  # fmt: skip


def simulation_inputs(risks: QuerySet, rates: dict | None = None) -> tuple:
    """The active threats of `risks` as simulation inputs (costs converted to the reporting
    currency when `rates` are given), and how many were left out for want of a rate.

    Opportunities are not simulated: the reserve is held against threats, and counting hoped-for
    savings against it would shrink it.
    """
    rows = (
        risks.active().filter(kind=Risk.Kind.THREAT).order_by("pk").values_list(*SIMULATED_FIELDS)
    )
    columns = list(zip(*rows, strict=True)) or [()] * len(SIMULATED_FIELDS)
    probability = np.asarray(columns[0], dtype=np.float64) / 100
    costs = [np.asarray(column, dtype=np.float64) for column in columns[1:4]]
    schedule = [np.asarray(column, dtype=np.float64) for column in columns[4:7]]
    pert = np.asarray([value == Risk.Distribution.PERT for value in columns[7]], dtype=bool)
    left_out = 0
    if rates is not None:
        factor = np.asarray([float(rates.get(code, np.nan)) for code in columns[8]])
        known = ~np.isnan(factor)
        left_out = int((~known).sum())
        probability = np.where(known, probability, 0.0)
        factor = np.nan_to_num(factor)
        costs = [values * factor for values in costs]
    inputs = montecarlo.RiskInputs(probability, *costs, *schedule, pert)
    return inputs, left_out


def _fingerprint(risks: QuerySet) -> str:
    figures = risks.aggregate(count=Count("pk"), changed=Max("updated_at"), versions=Sum("version"))
    return hashlib.sha1(repr(sorted(figures.items())).encode(), usedforsecurity=False).hexdigest()[
        :16
    ]


def simulation(risks: QuerySet, *, key: str, seed: int, rates: dict | None = None) -> dict:
    """The simulation's figures for display: P50/P80/P90 of cost and schedule, mean, the
    histogram and S-curve of each. Kept in the cache until one of the risks changes (one query
    tells), since a portfolio's simulation takes a moment."""
    cache_key = f"risks:simulation:{key}:{seed}:{_fingerprint(risks)}"
    figures = cache.get(cache_key)
    if figures is not None:
        return figures
    inputs, left_out = simulation_inputs(risks, rates)
    result = montecarlo.simulate(inputs, seed=seed)
    figures = {
        "risk_count": result.risk_count,
        "left_out": left_out,
        "iterations": result.iterations,
        "seed": seed,
        "cost": result.cost_percentiles(),
        "schedule": result.schedule_percentiles(),
        "cost_mean": float(result.cost.mean()),
        "schedule_mean": float(result.schedule.mean()),
        "charts": {
            "cost_histogram": montecarlo.histogram(result.cost),
            "cost_curve": montecarlo.s_curve(result.cost),
            "schedule_histogram": montecarlo.histogram(result.schedule),
            "schedule_curve": montecarlo.s_curve(result.schedule),
        },
    }
    cache.set(cache_key, figures, SIMULATION_CACHE_SECONDS)
    return figures


def portfolio_contingency(portfolio: Portfolio, rates: dict) -> tuple[Decimal, int]:
    """The cost contingency of the portfolio's projects in the reporting currency, and their
    schedule contingency (days, the longest of them)."""
    reserves = Contingency.objects.filter(
        project__portfolio_placement__portfolio__path__startswith=portfolio.path
    ).values_list("cost_reserve", "project__currency", "schedule_reserve_days")
    cost, days = Decimal(0), 0
    for amount, currency, reserve_days in reserves:
        if currency in rates:
            cost += amount * rates[currency]
        days = max(days, reserve_days)
    return cost, days
