"""Reminders of due reports and escalation of overdue ones: once per period, however often the
job runs."""

import datetime

import pytest

from pmo_portal.models import Notification
from reports.models import ReminderClaim, ReportingPeriod
from reports.services.reminders import claim, reminders_send
from reports.tasks import send_report_reminders
from tests.reports.factories import period_of, published_report, schedule

pytestmark = pytest.mark.django_db

# A Friday: this week's report (week ending Sunday the 29th) is not due yet, last week's
# (due Tuesday the 24th) is overdue.
FRIDAY = datetime.date(2026, 11, 27)
SATURDAY = FRIDAY + datetime.timedelta(days=1)


def messages_for(user) -> list[str]:
    return list(Notification.objects.filter(user=user).values_list("message", flat=True))


def test_it_makes_the_reporting_periods(db):
    reminders_send(today=FRIDAY)
    assert ReportingPeriod.objects.filter(frequency="weekly", start=datetime.date(2026, 11, 23))
    assert ReportingPeriod.objects.filter(frequency="monthly", start=datetime.date(2026, 11, 1))


def test_managers_are_reminded_once_of_a_report_due(pm, weekly):
    reminders_send(today=SATURDAY)
    reminders_send(today=SATURDAY)  # beat fired twice
    reminders_send(today=SATURDAY + datetime.timedelta(days=1))  # and again the next day
    due = [m for m in messages_for(pm) if "is due" in m]
    assert len(due) == 1 and "PRJ-00001" in due[0]


def test_no_reminder_once_the_report_is_in(pm, weekly):
    this_week = period_of("weekly", SATURDAY)
    published_report(weekly, this_week)
    reminders_send(today=SATURDAY)
    assert not [m for m in messages_for(pm) if "is due" in m]


def test_overdue_reports_are_escalated_to_the_pmo_once(pmo, pm, weekly, others_project):
    schedule(others_project, "weekly")
    last_week = period_of("weekly", FRIDAY - datetime.timedelta(days=7))
    published_report(others_project, last_week)
    send_report_reminders.delay()  # the Celery task: a thin wrapper, run eagerly in tests
    reminders_send(today=FRIDAY)
    reminders_send(today=FRIDAY)
    escalated = [m for m in messages_for(pmo) if "overdue" in m and "Week of 11/16" in m]
    assert len(escalated) == 1
    assert "PRJ-00001" in escalated[0] and "PRJ-00002" not in escalated[0]
    assert not [m for m in messages_for(pm) if "overdue" in m]


def test_a_claim_is_taken_by_one_run_only(weekly):
    period = period_of("weekly", FRIDAY)
    first = claim([weekly.pk], period, ReminderClaim.Kind.REMINDER)
    second = claim([weekly.pk], period, ReminderClaim.Kind.REMINDER)
    assert (first, second) == ([weekly.pk], [])
    assert ReminderClaim.objects.count() == 1
