"""The dashboard's and the PMO effectiveness page's figures are kept in the cache, and every
change to the data behind them shows on the next view."""

import datetime
from decimal import Decimal

import pytest
from dateutil.relativedelta import relativedelta
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from projects.models import Milestone, Project
from projects.services import lifecycle
from reports.effectiveness import recent_quarters
from reports.services import status as services
from resources.models import Allocation
from resources.services.costs import actual_cost_set
from tests.factories import ProjectFactory, published_template, set_governance_mode
from tests.reports.factories import published_report, schedule
from tests.resources.factories import AllocationFactory, ResourceFactory
from tests.risks.factories import RiskFactory

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


def home(client):
    return client.get("/").context


def rag_counts(client) -> dict:
    """{rag: projects}, None for those without a report yet."""
    context = home(client)
    counts = {value: count for value, _label, count in context["rag_counts"]}
    return {**counts, None: context["unreported_count"]}


def attention_reasons(client, **filters) -> dict:
    page = client.get("/reports/attention/", filters).context["page_obj"]
    return {project.code: [key for key, _label in project.reasons] for project in page}


class TestDashboard:
    def test_the_figures_come_from_the_cache_until_the_data_changes(self, client, pmo, project):
        client.force_login(pmo)
        client.get("/")
        with CaptureQueriesContext(connection) as cached:
            client.get("/")
        Project.objects.get(pk=project.pk).save()
        with CaptureQueriesContext(connection) as after_change:
            client.get("/")
        assert len(after_change) > len(cached)

    def test_a_submitted_report_counts_at_once(self, client, pm, pmo, weekly, last_week):
        client.force_login(pmo)
        assert rag_counts(client) == {"green": 0, "amber": 0, "red": 0, None: 1}
        report = services.report_create(
            project=weekly, period=last_week, by=pm, percent_complete=10, overall_rag="red",
            override_reason="Key supplier lost.",
        )  # fmt: skip
        assert rag_counts(client)[None] == 1  # a draft is not published
        services.report_submit(report=report, by=pm)
        assert rag_counts(client) == {"green": 0, "amber": 0, "red": 1, None: 0}
        assert attention_reasons(client)["PRJ-00001"][0] == "red"

    def test_a_slipping_milestone_counts_at_once(self, client, pm, pmo, project):
        milestone = Milestone.objects.create(project=project, name="Go-live", forecast_date=TODAY)
        Milestone.objects.filter(pk=milestone.pk).update(baseline_date=TODAY)
        client.force_login(pmo)
        assert home(client)["milestone_counts"]["slipped"] == 0
        milestone.refresh_from_db()
        lifecycle.milestone_save(
            project=project, by=pm, milestone=milestone, version=milestone.version,
            forecast_date=TODAY + datetime.timedelta(days=14),
        )  # fmt: skip
        assert home(client)["milestone_counts"]["slipped"] == 1
        assert attention_reasons(client) == {"PRJ-00001": ["milestones"]}

    def test_an_actual_cost_shows_in_the_totals_at_once(self, client, pm, pmo, project):
        client.force_login(pmo)
        assert home(client)["costs"].actual == 0
        actual_cost_set(
            project=project, by=pm, category="labour", period=TODAY, amount=Decimal(12_500)
        )
        assert home(client)["costs"].actual == Decimal(12_500)

    def test_someone_booked_over_capacity_lists_the_project_at_once(
        self, client, pmo, project, others_project
    ):
        person = ResourceFactory(capacity=Decimal(40))
        month = TODAY.replace(day=1)
        year = {"start": month, "end": month + relativedelta(months=1, days=-1)}
        AllocationFactory(resource=person, project=others_project, hours_per_week=30, **year)
        client.force_login(pmo)
        assert attention_reasons(client, reason="people") == {}
        AllocationFactory(
            resource=person, project=project, hours_per_week=20, booking=Allocation.Booking.HARD,
            **year,
        )  # fmt: skip
        assert set(attention_reasons(client, reason="people")) == {"PRJ-00001", "PRJ-00002"}

    def test_a_closed_project_leaves_the_figures_at_once(self, client, pmo, weekly, last_week):
        published_report(weekly, last_week, rag="amber")
        client.force_login(pmo)
        assert rag_counts(client)["amber"] == 1
        project = Project.objects.get(pk=weekly.pk)
        project.status = Project.Status.CANCELLED
        project.save()
        assert rag_counts(client)["amber"] == 0
        assert attention_reasons(client) == {}

    def test_each_filter_has_figures_of_its_own(self, client, pmo, weekly, last_week, project_type):
        elsewhere = ProjectFactory(project_type=project_type)
        schedule(elsewhere)
        published_report(weekly, last_week, rag="red")
        published_report(elsewhere, last_week, rag="green")
        client.force_login(pmo)
        assert rag_counts(client) == {"green": 1, "amber": 0, "red": 1, None: 0}
        department = client.get("/", {"department": weekly.department_id}).context
        counts = {value: count for value, _label, count in department["rag_counts"]}
        assert counts == {"green": 0, "amber": 0, "red": 1}

    def test_cached_reasons_are_shown_in_the_readers_language(self, client, pmo, project):
        RiskFactory(project=project, probability=5, impact=5)
        client.force_login(pmo)
        assert "Critical risks" in client.get("/").content.decode()
        body = client.get("/", HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
        assert "Critical risks" not in body


class TestEffectiveness:
    @pytest.fixture
    def closed_this_quarter(self, project):
        Project.objects.filter(pk=project.pk).update(
            status=Project.Status.CLOSED, actual_end=recent_quarters(TODAY)[-1].start
        )
        return Project.objects.get(pk=project.pk)

    def metric(self, client, name):
        report = client.get("/reports/effectiveness/").context["report"]
        return next(row for row in report.rows if row.metric == name).values[-1]

    def test_a_closure_survey_counts_at_once(self, client, pm, pmo, closed_this_quarter):
        client.force_login(pmo)
        assert self.metric(client, "satisfaction") is None
        services.closure_survey_record(
            project=closed_this_quarter, by=pm, satisfaction=2, on_scope=True, value_delivered=0
        )
        assert self.metric(client, "satisfaction") == Decimal("2.0")

    def test_a_gate_submission_counts_at_once(self, client, pm, pmo, project):
        set_governance_mode("supportive")
        template = published_template(by=pmo)
        lifecycle.project_join_lifecycle(project=project, by=pm, template=template)
        client.force_login(pmo)
        assert self.metric(client, "gate_compliance") is None
        project.refresh_from_db()
        lifecycle.gate_submit(phase=project.current_phase, by=pm)
        # Submitted with its mandatory deliverable missing.
        assert self.metric(client, "gate_compliance") == Decimal("0.0")
