"""Writing, submitting and reviewing status reports through the services: the suggested RAG
and its override, the refusals, the frozen figures and the latest-report pointer."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from pmo_portal.errors import StaleVersionError
from pmo_portal.models import Notification
from reports.models import ReportingSchedule, StatusReport
from reports.services import status as services
from resources.models import ActualCost
from tests.reports.factories import period_of, schedule

pytestmark = pytest.mark.django_db

D = Decimal


def write(project, period, by, **fields):
    fields.setdefault("percent_complete", D(50))
    return services.report_create(project=project, period=period, by=by, **fields)


class TestWriting:
    def test_the_figures_come_from_the_baseline_and_the_actual_costs(self, pm, weekly, last_week):
        ActualCost.objects.create(
            project=weekly, category="labour", period=datetime.date(2026, 3, 1), amount=D(100000)
        )
        report = write(weekly, last_week, pm)
        # BAC 250,000 (no baseline yet: the budget); EV = 50% of it; AC = the actual costs.
        assert (report.bac, report.ev, report.ac) == (D(250000), D("125000.00"), D(100000))
        assert report.cpi == D("1.250")
        # PV: the year 2026 spread evenly, up to the end of last week.
        days = (last_week.end - datetime.date(2026, 1, 1)).days + 1
        assert report.pv == (D(250000) * days / 365).quantize(D("0.01"))
        assert report.figures["eac_method"] == "bac_over_cpi"
        assert report.state == StatusReport.State.DRAFT

    def test_the_suggested_rag_is_kept_and_needs_no_reason(self, pm, weekly, last_week):
        report = write(weekly, last_week, pm, percent_complete=D(10))
        assert report.suggested_rag == "red"  # SPI far below 0.85
        assert report.overall_rag == "red"
        assert not report.is_overridden

    def test_another_rag_needs_a_reason(self, pm, weekly, last_week):
        with pytest.raises(ValidationError) as refused:
            write(weekly, last_week, pm, percent_complete=D(10), overall_rag="green")
        assert "override_reason" in refused.value.message_dict
        assert not StatusReport.objects.exists()
        report = write(
            weekly, last_week, pm, percent_complete=D(10), overall_rag="green",
            override_reason="The late work is a supplier's and is paid by them.",
        )  # fmt: skip
        assert (report.suggested_rag, report.overall_rag) == ("red", "green")
        assert report.is_overridden

    def test_a_second_report_for_the_period_is_refused(self, pm, weekly, last_week):
        write(weekly, last_week, pm)
        with pytest.raises(ValidationError) as refused:
            write(weekly, last_week, pm)
        assert "already" in str(refused.value)
        assert StatusReport.objects.count() == 1

    def test_a_period_of_another_frequency_is_refused(self, pm, weekly, last_month):
        with pytest.raises(ValidationError) as refused:
            write(weekly, last_month, pm)
        assert "weekly" in str(refused.value)

    def test_a_period_that_does_not_exist_is_refused(self, pm, weekly, last_week):
        missing = period_of("weekly", last_week.start)
        missing.pk = 999999
        with pytest.raises(ValidationError) as refused:
            write(weekly, missing, pm)
        assert "no such reporting period" in str(refused.value)

    def test_a_future_period_is_refused(self, pm, weekly):
        future = period_of("weekly", datetime.date.today() + datetime.timedelta(days=21))
        with pytest.raises(ValidationError):
            write(weekly, future, pm)

    def test_only_the_projects_manager_writes_its_reports(
        self, other_pm, pmo, executive, weekly, last_week
    ):
        for user in (other_pm, pmo, executive):
            with pytest.raises(PermissionDenied):
                write(weekly, last_week, user)

    def test_a_draft_saved_from_a_stale_form_is_refused(self, pm, weekly, last_week):
        report = write(weekly, last_week, pm)
        services.report_update(report=report, by=pm, version=1, achievements="Design signed off")
        with pytest.raises(StaleVersionError):
            services.report_update(report=report, by=pm, version=1, achievements="Mine")
        report.refresh_from_db()
        assert (report.achievements, report.version) == ("Design signed off", 2)


class TestSubmitting:
    def test_submitting_freezes_the_figures_and_points_the_project_at_it(
        self, pm, weekly, last_week
    ):
        report = services.report_submit(report=write(weekly, last_week, pm), by=pm)
        assert report.state == StatusReport.State.SUBMITTED
        assert ReportingSchedule.objects.get(project=weekly).latest_report == report
        ActualCost.objects.create(
            project=weekly, category="labour", period=datetime.date(2026, 3, 1), amount=D(999)
        )
        report.refresh_from_db()
        assert report.ac == D(0)  # what was recorded on the day it was submitted

    def test_the_last_report_of_a_month_is_marked_for_the_trend(
        self, pm, weekly, last_week, two_weeks_ago
    ):
        later = services.report_submit(report=write(weekly, last_week, pm), by=pm)
        earlier = services.report_submit(report=write(weekly, two_weeks_ago, pm), by=pm)
        later.refresh_from_db()
        earlier.refresh_from_db()
        if later.month == earlier.month:
            assert (later.closes_month, earlier.closes_month) == (True, False)
        # The pointer stays on the later period, whatever the order of submission.
        assert ReportingSchedule.objects.get(project=weekly).latest_report == later

    def test_a_submitted_report_no_longer_changes(self, pm, weekly, last_week):
        report = services.report_submit(report=write(weekly, last_week, pm), by=pm)
        with pytest.raises(ValidationError):
            services.report_update(report=report, by=pm, version=None, issues="late edit")
        with pytest.raises(ValidationError):
            services.report_submit(report=report, by=pm)


class TestReviewing:
    def test_the_pmo_reviews_and_the_author_is_told(self, pm, pmo, weekly, last_week):
        report = services.report_submit(report=write(weekly, last_week, pm), by=pm)
        services.report_review(report=report, by=pmo, comments="Agree with the amber.")
        report.refresh_from_db()
        assert (report.state, report.reviewed_by) == (StatusReport.State.REVIEWED, pmo)
        assert Notification.objects.filter(user=pm, message__contains="reviewed").exists()

    def test_a_draft_cannot_be_reviewed(self, pm, pmo, weekly, last_week):
        with pytest.raises(ValidationError):
            services.report_review(report=write(weekly, last_week, pm), by=pmo, comments="x")

    def test_project_managers_do_not_review(self, pm, weekly, last_week):
        report = services.report_submit(report=write(weekly, last_week, pm), by=pm)
        with pytest.raises(PermissionDenied):
            services.report_review(report=report, by=pm, comments="Fine by me")


def test_the_database_refuses_an_override_without_a_reason(pm, weekly, last_week):
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        StatusReport.objects.create(
            project=weekly, period=last_week, month=last_week.end.replace(day=1), author=pm,
            overall_rag="green", suggested_rag="red",
        )  # fmt: skip


def test_the_schedule_sets_how_often_a_project_reports(pm, project):
    assert services.frequency_of(project) == "monthly"
    services.schedule_set(project=project, by=pm, frequency="weekly", planned_value_method="linear")
    assert services.frequency_of(project) == "weekly"
    schedule(project, "monthly")
    assert services.frequency_of(project) == "monthly"
