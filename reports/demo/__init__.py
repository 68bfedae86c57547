"""Demo data for status reporting, run by `manage.py seed_demo` after every other area's steps.

- settings: the PMO's RAG thresholds and effectiveness targets;
- status reports: reporting periods, each running project's schedule (most weekly, some
  monthly) and a report for each of its periods in the demo's history, with figures that follow
  a performance drawn per project (some drift into amber and red), the RAG those figures
  suggest (overridden with a reason now and then), reviewed by the PMO except for the latest
  few; a few reports are missing or late, and some projects' latest report is still a draft;
- closure surveys of the closed projects;
- executive PDF reports: subscriptions and the reports they sent (executive.py).

The large size reports over five years, so that every project of the register's demo reports
over its whole run (the oldest closed ones started four and a half years back): about 166,000
reports, all a project can have once a week or month while it runs. The design's 260,000 would
need more or longer projects in the register's demo. The reports are built in memory and
written in batches without history records (which would say only that the demo made them); the
latest-report pointers and the "last of the month" marks are worked out before anything is
written.
"""

import datetime
import io
import json
import random
from decimal import ROUND_HALF_UP, Decimal

from django.db import connection
from django.db.models import OuterRef, Subquery
from django.utils import timezone

from projects.demo.runner import DemoContext, DemoStep
from projects.models import Project
from resources.demo.bulk import BATCH_SIZE, delete_all
from resources.demo.timeline import project_window

from .. import evm, rag
from ..models import (
    ClosureSurvey,
    EffectivenessTarget,
    RagThresholds,
    ReminderClaim,
    ReportingPeriod,
    ReportingSchedule,
    StatusReport,
)
from ..services.periods import DUE_DAYS, periods_between
from . import executive

HISTORY_WEEKS = {"small": 26, "large": 260}
MONTHLY_SHARE = 0.08
MISSING_SHARE = 0.02  # reports never written
LAST_PERIOD_MISSING_SHARE = 0.12  # reports of the last due period not in yet: late
DRAFT_SHARE = 0.3  # of the projects, whose report of the current period is a draft
OVERRIDE_SHARE = 0.12
UNREVIEWED_WEEKS = 3
REPORTING = [Project.Status.ACTIVE, Project.Status.ON_HOLD, Project.Status.CLOSED,
             Project.Status.CANCELLED]  # fmt: skip
TARGETS = {
    "success_rate": 60, "on_time": 70, "on_budget": 75, "on_scope": 85, "average_cpi": "0.95",
    "average_spi": "0.95", "utilisation": 80, "satisfaction": 4, "timeliness": 90,
    "gate_compliance": 85,
}  # fmt: skip
OVERRIDE_REASONS = [
    "Recovery plan agreed with the sponsor; the slip is recovered by the next milestone.",
    "The overspend is a supplier's prepayment that the next months' invoices offset.",
    "The critical risk is being closed this week; mitigation is in place.",
]
ACHIEVEMENTS = ["Design review passed.", "Build increment delivered to test.",
                "Supplier contract signed.", "User acceptance testing started.",
                "Data migration rehearsal completed.", "Training material published."]  # fmt: skip
NEXT_STEPS = ["Prepare the gate review.", "Start the pilot.", "Close the open defects.",
              "Agree the cut-over plan.", "Hand over to operations."]  # fmt: skip
REVIEW_COMMENTS = ["Agreed.", "Agreed; watch the cost trend.", "Please add the recovery dates.",
                   "Escalated to the steering committee."]  # fmt: skip

REPORT_FIELDS = [field for field in StatusReport._meta.concrete_fields if not field.primary_key]
REPORT_COLUMNS = [field.column for field in REPORT_FIELDS]
DEFAULT_ROW = [field.get_default() for field in REPORT_FIELDS]
SLOT = {field.attname: index for index, field in enumerate(REPORT_FIELDS)}
CENT = Decimal("0.01")


def seed_settings(context: DemoContext, rng: random.Random) -> None:
    RagThresholds.objects.update_or_create(pk=1, defaults={})
    EffectivenessTarget.objects.bulk_create(
        EffectivenessTarget(metric=metric, target=Decimal(str(value)))
        for metric, value in TARGETS.items()
    )


def flush_settings() -> None:
    delete_all(
        EffectivenessTarget.history.model, EffectivenessTarget,
        RagThresholds.history.model, RagThresholds,
    )  # fmt: skip


class Clock:
    """Aware datetimes at an hour of a day, made once per day and hour (hundreds of thousands
    of reports share a few hundred days)."""

    def __init__(self):
        self.zone = timezone.get_current_timezone()
        self.cache = {}

    def at(self, day: datetime.date, hour: int) -> datetime.datetime:
        key = (day, hour)
        if key not in self.cache:
            self.cache[key] = datetime.datetime.combine(day, datetime.time(hour), self.zone)
        return self.cache[key]


class Performance:
    """How a project performs over time: its SPI and CPI drift by a small step each period."""

    def __init__(self, rng: random.Random):
        troubled = rng.random() < 0.2
        self.spi = rng.gauss(0.86 if troubled else 0.99, 0.05)
        self.cpi = rng.gauss(0.88 if troubled else 1.0, 0.05)
        self.rng = rng

    def step(self) -> tuple[float, float]:
        self.spi = min(max(self.spi + self.rng.gauss(0, 0.015), 0.55), 1.25)
        self.cpi = min(max(self.cpi + self.rng.gauss(0, 0.015), 0.55), 1.3)
        return self.spi, self.cpi


def _money(value: float) -> Decimal:
    return Decimal(value).quantize(CENT, ROUND_HALF_UP)


def _period_starts(frequency: str, first: datetime.date, last: datetime.date) -> list:
    """The first days of the weeks or months from the one containing `first` to the one
    containing `last`."""
    if frequency == "weekly":
        day = first - datetime.timedelta(days=first.weekday())
        starts = []
        while day <= last:
            starts.append(day)
            day += datetime.timedelta(days=7)
        return starts
    month, starts = first.replace(day=1), []
    while month <= last:
        starts.append(month)
        month = (month + datetime.timedelta(days=32)).replace(day=1)
    return starts


def _set(row: list, **values) -> list:
    for name, value in values.items():
        row[SLOT[name]] = value
    return row


def _plan_reports(context, rng, periods_by_key, thresholds, reviewer_id):
    """The reports of every project as rows of column values, and each project's schedule."""
    today = context.today
    first_day = today - datetime.timedelta(weeks=HISTORY_WEEKS[context.size])
    clock = Clock()
    rows, schedules = [], []
    for project in context.projects:
        if project.status not in REPORTING:
            continue
        frequency = "monthly" if rng.random() < MONTHLY_SHARE else "weekly"
        schedules.append(ReportingSchedule(project_id=project.pk, frequency=frequency))
        start, end = project_window(project)
        if project.status in (Project.Status.ACTIVE, Project.Status.ON_HOLD):
            end = today
        start = max(start, first_day)
        if end < start:
            continue
        bac = project.baseline_budget if project.baseline_budget is not None else project.budget
        plan_start = project.baseline_start or project.planned_start
        plan_end = project.baseline_end or project.planned_end
        performance = Performance(rng)
        periods = [periods_by_key[(frequency, day)]
                   for day in _period_starts(frequency, start, min(end, today))]  # fmt: skip
        percent, project_rows, last_of_month = 0.0, [], {}
        for number, period in enumerate(periods):
            is_current = period.due_on >= today
            is_last = number == len(periods) - 1
            is_last_due = not is_current and (is_last or periods[number + 1].due_on >= today)
            if rng.random() < MISSING_SHARE or (
                is_last_due and rng.random() < LAST_PERIOD_MISSING_SHARE
            ):
                continue
            draft = is_last and is_current and rng.random() < DRAFT_SHARE
            if is_current and not draft and period.end > today:
                continue  # the running period: reported when it ends
            spi, cpi = performance.step()
            on = min(period.end, today)
            planned = float(evm.planned_fraction_linear(plan_start, plan_end, on))
            percent = min(max(percent, planned * spi * 100), 100.0)
            if project.status == Project.Status.CLOSED and is_last:
                percent = 100.0
            pv = _money(float(bac) * planned)
            ev = _money(float(bac) * percent / 100)
            ac = _money(float(ev) / cpi)
            figures = evm.earned_value_figures(bac=bac, pv=pv, ev=ev, ac=ac)
            overall, schedule, cost, risk = rag.rate(
                spi=figures.spi, cpi=figures.cpi, milestone_slippage_days=None,
                critical_risks=0, thresholds=thresholds,
            )  # fmt: skip
            chosen, reason = overall, ""
            if overall != rag.GREEN and rng.random() < OVERRIDE_SHARE:
                chosen = rag.AMBER if overall == rag.RED else rag.GREEN
                reason = rng.choice(OVERRIDE_REASONS)
            lag = rng.choice([0, 1, 1, 2, 2, 3, DUE_DAYS[frequency] + 2])
            submitted = min(period.end + datetime.timedelta(days=lag), today)
            reviewed = not draft and (today - period.end).days > 7 * UNREVIEWED_WEEKS
            month = period.end.replace(day=1)
            row = _set(
                DEFAULT_ROW.copy(),
                project_id=project.pk, period_id=period.pk, month=month,
                state="draft" if draft else "reviewed" if reviewed else "submitted",
                overall_rag=chosen, suggested_rag=overall, override_reason=reason,
                schedule_rag=schedule, cost_rag=cost, risk_rag=risk,
                quality_rag=rag.GREEN if rng.random() < 0.9 else rag.AMBER,
                percent_complete=Decimal(percent).quantize(Decimal("0.1"), ROUND_HALF_UP),
                achievements=rng.choice(ACHIEVEMENTS), next_steps=rng.choice(NEXT_STEPS),
                currency=project.currency, bac=bac, pv=pv, ev=ev, ac=ac, eac=figures.eac,
                cpi=figures.cpi, spi=figures.spi,
                figures={"eac_method": figures.eac_method, "cv": str(figures.cv),
                         "sv": str(figures.sv),
                         "etc": None if figures.etc is None else str(figures.etc),
                         "vac": None if figures.vac is None else str(figures.vac),
                         "tcpi": None if figures.tcpi is None else str(figures.tcpi)},
                author_id=project.manager_id, created_at=clock.at(submitted, 9),
                submitted_at=None if draft else clock.at(submitted, 16),
                submitted_on_time=None if draft else submitted <= period.due_on,
                review_comments=rng.choice(REVIEW_COMMENTS) if reviewed else "",
                reviewed_by_id=reviewer_id if reviewed else None,
                reviewed_at=clock.at(min(submitted + datetime.timedelta(days=2), today), 11)
                if reviewed else None,
            )  # fmt: skip
            if not draft:
                last_of_month[month] = len(project_rows)
            project_rows.append(row)
        for index in last_of_month.values():
            project_rows[index][SLOT["closes_month"]] = True
        rows.extend(project_rows)
    return rows, schedules


def _copy_value(value) -> str:
    """A value in PostgreSQL's COPY text format."""
    if value is None:
        return "\\N"
    if value is True or value is False:
        return "t" if value else "f"
    if isinstance(value, dict):
        value = json.dumps(value)
    elif isinstance(value, datetime.date):
        return value.isoformat()
    text = str(value)
    if "\\" in text or "\t" in text or "\n" in text or "\r" in text:
        text = (text.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n")
                .replace("\r", "\\r"))  # fmt: skip
    return text


def write_reports(rows: list[list]) -> None:
    """Write the rows: with COPY on PostgreSQL (several times quicker than INSERTs of a quarter
    of a million rows), else in bulk_create batches."""
    if connection.vendor != "postgresql":
        StatusReport.objects.bulk_create(
            (StatusReport(None, *row) for row in rows), batch_size=BATCH_SIZE
        )
        return
    buffer = io.StringIO()
    for row in rows:
        buffer.write("\t".join(_copy_value(value) for value in row))
        buffer.write("\n")
    buffer.seek(0)
    columns = ", ".join(connection.ops.quote_name(column) for column in REPORT_COLUMNS)
    table = connection.ops.quote_name(StatusReport._meta.db_table)
    with connection.cursor() as cursor:
        cursor.copy_expert(f"COPY {table} ({columns}) FROM STDIN", buffer)


def seed_reports(context: DemoContext, rng: random.Random) -> None:
    """Periods, schedules and reports; the schedules point at each project's latest report."""
    today = context.today
    first_day = today - datetime.timedelta(weeks=HISTORY_WEEKS[context.size])
    wanted = [
        period
        for frequency in ("weekly", "monthly")
        for period in periods_between(frequency, first_day, today + datetime.timedelta(days=31))
    ]
    ReportingPeriod.objects.bulk_create(wanted, ignore_conflicts=True)
    periods_by_key = {
        (period.frequency, period.start): period
        for period in ReportingPeriod.objects.filter(end__gte=first_day)
    }
    thresholds = rag.Thresholds.of(RagThresholds.current())
    reviewer = context.logins.get("pmo")
    rows, schedules = _plan_reports(
        context, rng, periods_by_key, thresholds, reviewer.pk if reviewer else None
    )
    write_reports(rows)
    ReportingSchedule.objects.bulk_create(schedules, batch_size=BATCH_SIZE)
    latest = (
        StatusReport.objects.published()
        .filter(project=OuterRef("project"))
        .order_by("-month", "-period__end")
        .values("pk")[:1]
    )
    ReportingSchedule.objects.update(latest_report=Subquery(latest))
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE reports_statusreport; ANALYZE reports_reportingschedule")
    context.summary["status reports"] = len(rows)


def seed_surveys(context: DemoContext, rng: random.Random) -> None:
    """The closure survey of most closed projects."""
    surveys = []
    recorder = context.logins.get("pmo") or context.admin
    for project in context.projects:
        if project.status != Project.Status.CLOSED or rng.random() < 0.1:
            continue
        surveys.append(
            ClosureSurvey(
                project_id=project.pk,
                satisfaction=rng.choices([2, 3, 4, 5], weights=[1, 3, 5, 3])[0],
                on_scope=rng.random() < 0.85,
                value_delivered=_money(float(project.budget) * rng.uniform(0.5, 2.5)),
                recorded_by_id=recorder.pk,
                recorded_on=project.actual_end or context.today,
            )
        )
    ClosureSurvey.objects.bulk_create(surveys, batch_size=BATCH_SIZE)
    context.summary["closure surveys"] = len(surveys)


def flush_reports() -> None:
    delete_all(
        ReminderClaim,
        ReportingSchedule.history.model,
        ReportingSchedule,
        StatusReport.history.model,
        StatusReport,
        ReportingPeriod,
    )


def flush_surveys() -> None:
    delete_all(ClosureSurvey.history.model, ClosureSurvey)


DEMO_STEPS = [
    DemoStep("report settings", seed_settings, flush_settings),
    DemoStep("status reports", seed_reports, flush_reports),
    DemoStep("closure surveys", seed_surveys, flush_surveys),
    *executive.DEMO_STEPS,
]
