"""A project's earned-value figures and S-curve, read from the register, its milestones, the
risk register and resources' actual costs; the arithmetic is in evm.py and rag.py."""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from dateutil.relativedelta import relativedelta
from django.utils import timezone

from projects.models import Milestone, Project
from resources.costs import project_cost_figures, project_cost_table

from . import evm, rag
from .models import RagThresholds, ReportingSchedule, StatusReport
from .models.status import PlannedValueMethod
from .sources import critical_risks_of


def budget_at_completion(project: Project) -> Decimal:
    """BAC: the baseline budget once the project is baselined, its budget before."""
    if project.baseline_budget is not None:
        return project.baseline_budget
    return project.budget


def baseline_window(project: Project) -> tuple[datetime.date, datetime.date]:
    return (
        project.baseline_start or project.planned_start,
        project.baseline_end or project.planned_end,
    )


def schedule_of(project: Project) -> ReportingSchedule:
    """The project's reporting schedule, or the default one (unsaved) until it has a row."""
    return ReportingSchedule.objects.filter(project=project).first() or ReportingSchedule(
        project=project
    )


def milestone_baselines(project: Project) -> list[datetime.date]:
    return list(
        Milestone.objects.filter(project=project, baseline_date__isnull=False)
        .order_by("baseline_date")
        .values_list("baseline_date", flat=True)
    )


def planned_fraction(project: Project, method: str, on: datetime.date, baselines=None) -> Decimal:
    """The share of BAC planned by `on`: by baseline milestones when that is the project's
    method and it has some, else spread evenly over the baseline dates."""
    if method == PlannedValueMethod.MILESTONES:
        baselines = milestone_baselines(project) if baselines is None else baselines
        if baselines:
            return evm.planned_fraction_by_milestones(baselines, on)
    start, end = baseline_window(project)
    return evm.planned_fraction_linear(start, end, on)


def milestone_slippage_days(project: Project) -> int | None:
    """The most days an open milestone's forecast lies after its baseline; None without any."""
    latest = (
        Milestone.objects.filter(
            project=project, actual_date__isnull=True, baseline_date__isnull=False
        )
        .order_by()
        .values_list("forecast_date", "baseline_date")
    )
    slips = [(forecast - baseline).days for forecast, baseline in latest]
    return max(slips, default=None)


@dataclass
class ProjectFigures:
    """A project's figures for a report of a period ending `on`."""

    earned_value: evm.EarnedValue
    suggestion: rag.Suggestion
    milestone_slippage_days: int | None
    critical_risks: int
    planned_value_method: str
    currency: str

    def as_json(self) -> dict:
        return {
            **self.earned_value.as_json(),
            "milestone_slippage_days": self.milestone_slippage_days,
            "critical_risks": self.critical_risks,
            "planned_value_method": self.planned_value_method,
            "suggestion_reasons": self.suggestion.reasons,
        }


def project_figures(
    project: Project, *, on: datetime.date, percent_complete: Decimal,
    today: datetime.date | None = None,
) -> ProjectFigures:  # fmt: skip
    """Earned value at the end of the period (`on`) and the RAG it suggests: a handful of
    queries. AC is what resources records to date (its months up to the current one)."""
    schedule = schedule_of(project)
    bac = budget_at_completion(project)
    fraction = planned_fraction(project, schedule.planned_value_method, on)
    ac = project_cost_figures(project, today).cost_actual or Decimal(0)
    figures = evm.earned_value_figures(
        bac=bac,
        pv=evm.planned_value(bac, fraction),
        ev=evm.earned_value(bac, percent_complete),
        ac=ac,
    )
    slippage = milestone_slippage_days(project)
    risks = critical_risks_of(project)
    suggestion = rag.suggest_rag(
        spi=figures.spi,
        cpi=figures.cpi,
        milestone_slippage_days=slippage,
        critical_risks=risks,
        thresholds=rag.Thresholds.of(RagThresholds.current()),
    )
    return ProjectFigures(
        earned_value=figures,
        suggestion=suggestion,
        milestone_slippage_days=slippage,
        critical_risks=risks,
        planned_value_method=schedule.planned_value_method,
        currency=project.currency,
    )


# --- the S-curve --------------------------------------------------------------------------


def _month_end(month: datetime.date) -> datetime.date:
    return month + relativedelta(months=1) - datetime.timedelta(days=1)


def s_curve(project: Project, today: datetime.date | None = None) -> dict:
    """PV, EV and AC, cumulative, at the end of each month from the baseline start to the
    later of the baseline end and the current month: for a chart (json_script). EV comes from
    the project's published reports (the last of each month), AC from resources' actual costs
    (up to the current month), PV from the baseline as the project spreads it."""
    today = today or timezone.localdate()
    start, end = baseline_window(project)
    bac = budget_at_completion(project)
    schedule = schedule_of(project)
    baselines = milestone_baselines(project)
    cost_table = project_cost_table(project, today)
    actual_by_month = {row.period: row.total.actual or Decimal(0) for row in cost_table.months}
    reports = (
        StatusReport.objects.published()
        .filter(project=project, closes_month=True)
        .values_list("month", "ev")
    )
    earned_by_month = dict(reports)
    last_report = max(earned_by_month, default=None)
    first = (
        min([start.replace(day=1), *actual_by_month]) if actual_by_month else start.replace(day=1)
    )
    last = max(end.replace(day=1), today.replace(day=1), last_report or first)
    labels, planned, earned, actual = [], [], [], []
    month, spent = first, Decimal(0)
    while month <= last:
        labels.append(month.strftime("%Y-%m"))
        fraction = planned_fraction(project, schedule.planned_value_method, _month_end(month),
                                    baselines)  # fmt: skip
        planned.append(float(evm.planned_value(bac, fraction)))
        ev = earned_by_month.get(month)
        earned.append(None if ev is None else float(ev))
        spent += actual_by_month.get(month, Decimal(0))
        actual.append(float(spent) if month <= today.replace(day=1) else None)
        month += relativedelta(months=1)
    return {
        "labels": labels,
        "pv": planned,
        "ev": earned,
        "ac": actual,
        "currency": project.currency,
    }
