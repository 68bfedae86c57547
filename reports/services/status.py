"""Writing, submitting and reviewing status reports, and the PMO's reporting settings.

A report's figures are worked out again on every save of the draft and once more when it is
submitted, then never again: the submitted report is the snapshot of that day. Submitting
also moves the project's "latest report" pointer and the "last report of the month" mark that
the dashboard reads, in the same transaction, under a lock on the project's schedule row so
two submissions of one project queue.
"""

import datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from pmo_portal import permissions
from pmo_portal.errors import StaleVersionError
from pmo_portal.figures import forget_figures
from pmo_portal.notifications import notify
from projects.models import Project

from ..dashboard import DASHBOARD_AREA
from ..figures import project_figures
from ..models import (
    ClosureSurvey,
    EffectivenessTarget,
    RagThresholds,
    ReportingPeriod,
    ReportingSchedule,
    StatusReport,
)

State = StatusReport.State
CONTENT_FIELDS = [
    "overall_rag", "override_reason", "schedule_rag", "cost_rag", "scope_rag", "quality_rag",
    "risk_rag", "percent_complete", "achievements", "next_steps", "issues", "decisions_needed",
]  # fmt: skip


def frequency_of(project: Project) -> str:
    schedule = ReportingSchedule.objects.filter(project=project).first()
    return (
        schedule.frequency if schedule else ReportingSchedule._meta.get_field("frequency").default
    )


def _check_version(record, version: int | None) -> None:
    if version is not None and record.version != version:
        raise StaleVersionError(
            _(
                "Someone changed this report since you opened it. Reload the page to see their "
                "changes, then make yours again."
            )  # fmt: skip
        )


def _status_date(period: ReportingPeriod, today: datetime.date) -> datetime.date:
    """The figures are those at the end of the period, or today while it runs."""
    return min(period.end, today)


def _apply_figures(report: StatusReport, today: datetime.date) -> None:
    figures = project_figures(
        report.project,
        on=_status_date(report.period, today),
        percent_complete=report.percent_complete or Decimal(0),
        today=today,
    )
    ev = figures.earned_value
    report.currency = figures.currency
    report.bac, report.pv, report.ev, report.ac = ev.bac, ev.pv, ev.ev, ev.ac
    report.eac, report.cpi, report.spi = ev.eac, ev.cpi, ev.spi
    report.figures = figures.as_json()
    report.suggested_rag = figures.suggestion.overall
    report.suggested_dimensions = {
        "schedule_rag": figures.suggestion.schedule,
        "cost_rag": figures.suggestion.cost,
        "risk_rag": figures.suggestion.risk,
    }


def _check_override(report: StatusReport) -> None:
    if report.overall_rag != report.suggested_rag and not report.override_reason.strip():
        raise ValidationError(
            {
                "override_reason": _(
                    "The suggested RAG is %(suggested)s. Give the reason for choosing "
                    "%(chosen)s instead."
                )
                % {
                    "suggested": report.get_suggested_rag_display(),
                    "chosen": report.get_overall_rag_display(),
                }
            }
        )
    if report.overall_rag == report.suggested_rag:
        report.override_reason = ""


def _save(report: StatusReport, by) -> None:
    report._history_user = by
    report.full_clean()
    try:
        with transaction.atomic():
            report.save()
    except IntegrityError as error:
        # Another request saved a report for this period between our check and our insert.
        raise ValidationError(
            {"period": _("This project has a report for this period already.")}
        ) from error


def suggested_report(
    project: Project, period: ReportingPeriod, *, by, today=None,
    percent_complete: Decimal | None = None,
) -> StatusReport:  # fmt: skip
    """An unsaved report with the figures and RAG suggested now, to start the form from: for
    `percent_complete` when given (what the manager typed), else the last one reported."""
    today = today or timezone.localdate()
    report = StatusReport(project=project, period=period, author=by)
    if percent_complete is None:
        percent_complete = _last_percent_complete(project)
    report.percent_complete = percent_complete
    _apply_figures(report, today)
    report.overall_rag = report.suggested_rag
    for name, value in report.suggested_dimensions.items():
        setattr(report, name, value)
    return report


def _last_percent_complete(project: Project) -> Decimal:
    last = (
        StatusReport.objects.published()
        .filter(project=project)
        .order_by("-period__end")
        .values_list("percent_complete", flat=True)
        .first()
    )
    return last or Decimal(0)


@transaction.atomic
def report_create(
    *, project: Project, period: ReportingPeriod | None, by, today=None, **fields
) -> StatusReport:
    """A draft report of `project` for `period`; the RAG chosen may differ from the suggested
    one only with a reason."""
    permissions.ensure(permissions.can_write_status_report(by, project))
    today = today or timezone.localdate()
    if period is None or not ReportingPeriod.objects.filter(pk=period.pk).exists():
        raise ValidationError({"period": _("There is no such reporting period.")})
    if period.frequency != frequency_of(project):
        raise ValidationError(
            {"period": _("This project reports %(frequency)s: choose one of those periods.")
             % {"frequency": ReportingPeriod.Frequency(frequency_of(project)).label.lower()}}
        )  # fmt: skip
    if period.start > today:
        raise ValidationError({"period": _("This period has not started yet.")})
    if StatusReport.objects.filter(project=project, period=period).exists():
        raise ValidationError({"period": _("This project has a report for this period already.")})
    report = StatusReport(project=project, period=period, author=by)
    unknown = set(fields) - set(CONTENT_FIELDS)
    if unknown:
        raise TypeError(f"unknown fields {sorted(unknown)}")
    for name, value in fields.items():
        setattr(report, name, value)
    report.month = period.end.replace(day=1)
    _apply_figures(report, today)
    if not fields.get("overall_rag"):
        report.overall_rag = report.suggested_rag
    _check_override(report)
    _save(report, by)
    return report


def _lock(report: StatusReport) -> StatusReport:
    return (
        StatusReport.objects.select_for_update(of=("self",))
        .select_related("period", "project")
        .get(pk=report.pk)
    )


@transaction.atomic
def report_update(
    *, report: StatusReport, by, version: int | None, today=None, **fields
) -> StatusReport:
    """Change a draft: its figures are worked out again, the suggestion with them."""
    permissions.ensure(permissions.can_write_status_report(by, report.project))
    today = today or timezone.localdate()
    report = _lock(report)
    _check_version(report, version)
    if not report.is_draft:
        raise ValidationError(_("This report was submitted already and can no longer change."))
    for name, value in fields.items():
        if name not in CONTENT_FIELDS:
            raise TypeError(f"unknown field {name!r}")
        setattr(report, name, value)
    _apply_figures(report, today)
    _check_override(report)
    report.version += 1
    _save(report, by)
    return report


def _publish(report: StatusReport) -> None:
    """Point the project's schedule at its latest published report, and mark the last
    published report of the report's month."""
    schedule, _created = ReportingSchedule.objects.get_or_create(project=report.project)
    schedule = (
        ReportingSchedule.objects.select_for_update(of=("self",))
        .select_related("latest_report__period")
        .get(pk=schedule.pk)
    )
    latest = schedule.latest_report
    if latest is None or latest.period.end <= report.period.end:
        ReportingSchedule.objects.filter(pk=schedule.pk).update(latest_report=report)
    same_month = StatusReport.objects.published().filter(project=report.project, month=report.month)
    last = same_month.order_by("-period__end").values_list("pk", flat=True).first()
    same_month.exclude(pk=last).filter(closes_month=True).update(closes_month=False)
    StatusReport.objects.filter(pk=last).update(closes_month=True)
    # The pointer and the mark are updated without signals: forget the figures read from them.
    forget_figures("reports")  # the effectiveness figures
    forget_figures(DASHBOARD_AREA)


@transaction.atomic
def report_submit(
    *, report: StatusReport, by, version: int | None = None, today=None
) -> StatusReport:
    """Freeze the report's figures as they are today and hand it to the PMO."""
    permissions.ensure(permissions.can_write_status_report(by, report.project))
    today = today or timezone.localdate()
    report = _lock(report)
    _check_version(report, version)
    if not report.is_draft:
        raise ValidationError(_("This report was submitted already."))
    _apply_figures(report, today)
    _check_override(report)
    report.state = State.SUBMITTED
    report.submitted_at = timezone.now()
    report.submitted_on_time = today <= report.period.due_on
    report.version += 1
    _save(report, by)
    _publish(report)
    return report


@transaction.atomic
def report_review(*, report: StatusReport, by, comments: str) -> StatusReport:
    """The PMO's review of a submitted report; its author reads the comments."""
    permissions.ensure(permissions.can_review_status_reports(by))
    report = _lock(report)
    if report.state != State.SUBMITTED:
        raise ValidationError(
            _("Only a submitted report can be reviewed; this one is %(state)s.")
            % {"state": report.get_state_display().lower()}
        )
    report.state = State.REVIEWED
    report.review_comments = comments.strip()
    report.reviewed_by = by
    report.reviewed_at = timezone.now()
    report.version += 1
    _save(report, by)
    notify(
        users=[report.author],
        message=_("The PMO reviewed your status report %(report)s.") % {"report": report},
        url=report.get_absolute_url(),
    )
    return report


# --- the PMO's settings -------------------------------------------------------------------


@transaction.atomic
def thresholds_update(*, by, version: int | None, **fields) -> RagThresholds:
    permissions.ensure(permissions.can_set_report_thresholds(by))
    thresholds, _created = RagThresholds.objects.select_for_update().get_or_create(pk=1)
    _check_version(thresholds, version)
    for name, value in fields.items():
        setattr(thresholds, name, value)
    thresholds.version += 1
    thresholds._history_user = by
    thresholds.full_clean()
    thresholds.save()
    return thresholds


@transaction.atomic
def targets_set(*, by, targets: dict) -> None:
    """Set the target of each measure given ({metric: value}); None removes one."""
    permissions.ensure(permissions.can_set_effectiveness_targets(by))
    for metric, value in targets.items():
        if value is None:
            EffectivenessTarget.objects.filter(metric=metric).delete()
            continue
        target = EffectivenessTarget.objects.filter(metric=metric).first() or EffectivenessTarget(
            metric=metric
        )
        target.target = value
        target._history_user = by
        target.full_clean()
        target.save()


@transaction.atomic
def schedule_set(*, project: Project, by, frequency: str, planned_value_method: str):
    """How often the project reports and how its planned value is spread. Existing reports keep
    their periods; new ones follow the new frequency."""
    permissions.ensure(permissions.can_change_project(by, project))
    schedule = ReportingSchedule.objects.filter(project=project).first() or ReportingSchedule(
        project=project
    )
    schedule.frequency = frequency
    schedule.planned_value_method = planned_value_method
    schedule._history_user = by
    schedule.full_clean()
    schedule.save()
    return schedule


@transaction.atomic
def closure_survey_record(*, project: Project, by, today=None, **fields) -> ClosureSurvey:
    """Record (or correct) the survey of a closed project."""
    permissions.ensure(permissions.can_record_closure_survey(by, project))
    if project.status != Project.Status.CLOSED:
        raise ValidationError(_("The survey is recorded when the project has closed."))
    survey = ClosureSurvey.objects.filter(project=project).first() or ClosureSurvey(project=project)
    for name, value in fields.items():
        setattr(survey, name, value)
    survey.recorded_by = by
    survey.recorded_on = today or timezone.localdate()
    survey._history_user = by
    survey.full_clean()
    survey.save()
    return survey
