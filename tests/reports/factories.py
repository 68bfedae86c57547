"""Factories of status reporting: periods, schedules, published reports, closure surveys."""

import datetime
from decimal import Decimal

from django.utils import timezone

from reports.models import ClosureSurvey, ReportingPeriod, ReportingSchedule, StatusReport
from reports.services import periods as period_services


def period_of(frequency: str, day: datetime.date) -> ReportingPeriod:
    """The weekly or monthly period containing `day`, made if missing."""
    new = period_services.new_period(frequency, day)
    found, _created = ReportingPeriod.objects.get_or_create(
        frequency=frequency, start=new.start, defaults={"end": new.end, "due_on": new.due_on}
    )
    return found


def schedule(project, frequency="weekly", method="linear") -> ReportingSchedule:
    found, _created = ReportingSchedule.objects.update_or_create(
        project=project, defaults={"frequency": frequency, "planned_value_method": method}
    )
    return found


def published_report(project, period, *, rag="green", cpi="1.00", spi="1.00", latest=True,
                     closes_month=True, state="submitted", on_time=True, **fields):  # fmt: skip
    """A published report written straight to the database, as the demo writes them; pointed
    at as the project's latest when `latest`."""
    report = StatusReport.objects.create(
        project=project,
        period=period,
        month=period.end.replace(day=1),
        closes_month=closes_month,
        state=state,
        overall_rag=rag,
        suggested_rag=rag,
        cpi=Decimal(cpi) if cpi is not None else None,
        spi=Decimal(spi) if spi is not None else None,
        author=project.manager,
        submitted_at=timezone.now(),
        submitted_on_time=on_time,
        reviewed_by=project.manager if state == "reviewed" else None,
        **fields,
    )
    if latest:
        ReportingSchedule.objects.update_or_create(
            project=project, defaults={"latest_report": report}
        )
    return report


def closure_survey(project, by, *, satisfaction=4, on_scope=True, value="0", on=None):
    return ClosureSurvey.objects.create(
        project=project,
        satisfaction=satisfaction,
        on_scope=on_scope,
        value_delivered=Decimal(value),
        recorded_by=by,
        recorded_on=on or timezone.localdate(),
    )
