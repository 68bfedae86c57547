"""The portfolio health dashboard (the home page) and the lists its figures open."""

import datetime
from decimal import Decimal

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from projects.models import ExchangeRate, Milestone
from reports.services import status as services
from risks.models import RiskMatrix
from tests.factories import DepartmentFactory, ProjectFactory
from tests.reports.factories import period_of, published_report, schedule
from tests.risks.factories import RiskFactory

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
# The home page is checked for every persona in tests/pmo_portal/test_permission_matrix.py.


def milestone(project, name, *, baseline, forecast, actual=None):
    row = Milestone.objects.create(
        project=project, name=name, forecast_date=forecast, actual_date=actual
    )
    Milestone.objects.filter(pk=row.pk).update(baseline_date=baseline)
    return row


class TestRagNowAndTrend:
    def test_it_counts_projects_by_the_rag_of_their_latest_report(
        self, client, executive, weekly, others_project, last_week, two_weeks_ago
    ):
        published_report(weekly, two_weeks_ago, rag="green", latest=False)
        published_report(weekly, last_week, rag="red")
        client.force_login(executive)
        response = client.get("/")
        counts = {value: count for value, _label, count in response.context["rag_counts"]}
        assert counts == {"green": 0, "amber": 0, "red": 1}
        assert response.context["unreported_count"] == 1  # others_project
        body = response.content.decode()
        assert "/reports/?latest=on&amp;rag=red" in body

    def test_the_trend_counts_each_project_once_a_month(
        self, client, pmo, weekly, last_week, two_weeks_ago
    ):
        published_report(weekly, two_weeks_ago, rag="amber", closes_month=False, latest=False)
        published_report(weekly, last_week, rag="red")
        client.force_login(pmo)
        trend = client.get("/").context["trend"]
        month = last_week.end.replace(day=1)
        this_month = next(item for item in trend if item.month == month)
        assert this_month.counts == {"green": 0, "amber": 0, "red": 1}
        assert len(trend) == 6 and trend[-1].month == TODAY.replace(day=1)

    def test_the_latest_rag_links_to_the_filtered_report_list(
        self, client, pmo, weekly, others_project, last_week
    ):
        published_report(weekly, last_week, rag="red")
        schedule(others_project)
        published_report(others_project, last_week, rag="green")
        client.force_login(pmo)
        response = client.get("/reports/", {"latest": "on", "rag": "red"})
        assert [r.project for r in response.context["object_list"]] == [weekly]


class TestAttention:
    def test_a_late_report_and_a_red_one_are_flagged_with_their_reasons(
        self, client, pmo, weekly, others_project, last_week
    ):
        # `weekly` reported red; `others_project` (monthly, by default) never reported.
        period_of("monthly", TODAY.replace(day=1) - datetime.timedelta(days=1))
        published_report(weekly, last_week, rag="red")
        client.force_login(pmo)
        response = client.get("/")
        reasons = {
            p.code: [key for key, _label in p.reasons] for p in response.context["attention"]
        }
        assert reasons["PRJ-00001"] == ["red"]
        assert reasons["PRJ-00002"] == ["late"]
        assert response.context["attention_counts"]["late"] == 1

    def test_slipping_milestones_are_a_reason_and_are_listed(self, client, pmo, project):
        milestone(project, "Go-live", baseline=TODAY, forecast=TODAY + datetime.timedelta(days=9))
        client.force_login(pmo)
        response = client.get("/")
        assert response.context["milestone_counts"] == {"due": 1, "slipped": 1}
        attention = response.context["attention"]
        assert [key for key, _label in attention[0].reasons] == ["milestones"]
        listed = client.get("/reports/milestones/", {"which": "slipped"})
        assert "Go-live" in listed.content.decode()

    def test_a_critical_risk_is_a_reason(self, client, pmo, project, others_project):
        # 5 x 4 is critical on the default matrix; the other project's risk is only high.
        RiskFactory(project=project, title="Vendor insolvency", probability=5, impact=4)
        RiskFactory(project=others_project, probability=4, impact=3)
        client.force_login(pmo)
        response = client.get("/")
        reasons = {p.code: p.reasons for p in response.context["attention"]}
        assert reasons == {"PRJ-00001": [("risks", "Critical risks")]}
        assert response.context["attention_counts"]["risks"] == 1
        listed = client.get("/reports/attention/", {"reason": "risks"})
        assert [p.code for p in listed.context["page_obj"]] == ["PRJ-00001"]
        assert "Critical risks" in listed.content.decode()

    def test_a_critical_risk_no_longer_counts_once_closed_or_reduced(self, client, pmo, project):
        risk = RiskFactory(project=project, probability=5, impact=5)
        client.force_login(pmo)
        assert client.get("/").context["attention_counts"]["risks"] == 1
        risk.residual_probability = 2
        risk.work_out_figures(RiskMatrix.load())
        risk.save()
        assert client.get("/").context["attention_counts"]["risks"] == 0
        risk.residual_probability = 5
        risk.work_out_figures(RiskMatrix.load())
        risk.status = "closed"
        risk.save()
        assert client.get("/").context["attention_counts"]["risks"] == 0

    def test_the_attention_list_shows_one_reason(self, client, pmo, weekly, last_week):
        published_report(weekly, last_week, rag="amber")
        client.force_login(pmo)
        response = client.get("/reports/attention/", {"reason": "amber"})
        assert [p.code for p in response.context["page_obj"]] == ["PRJ-00001"]
        response = client.get("/reports/attention/", {"reason": "red"})
        assert list(response.context["page_obj"]) == []


class TestFilters:
    def test_department_and_manager_narrow_every_figure(
        self, client, pmo, pm, weekly, last_week, project_type
    ):
        elsewhere = ProjectFactory(department=DepartmentFactory(code="OPS"),
                                   project_type=project_type)  # fmt: skip
        schedule(elsewhere)
        published_report(weekly, last_week, rag="red")
        published_report(elsewhere, last_week, rag="red")
        client.force_login(pmo)
        response = client.get("/", {"department": weekly.department_id, "manager": pm.pk})
        counts = {value: count for value, _label, count in response.context["rag_counts"]}
        assert counts["red"] == 1
        assert f"department={weekly.department_id}" in response.context["query"]


def test_pm_sees_their_open_projects(client, pm, project, others_project):
    client.force_login(pm)
    body = client.get("/").content.decode()
    assert "My open projects" in body and "ERP upgrade" in body
    assert [p.code for p in client.get("/").context["my_projects"]] == ["PRJ-00001"]


def test_executives_see_no_my_projects_list(client, executive, project):
    client.force_login(executive)
    body = client.get("/").content.decode()
    assert "My open projects" not in body
    assert "Portfolio health" in body


def test_budget_totals_are_in_the_reporting_currency(client, pmo, department, project_type):
    ExchangeRate.objects.create(currency="USD", rate="7.10")
    ProjectFactory(department=department, project_type=project_type, budget=1000, currency="CNY")
    ProjectFactory(department=department, project_type=project_type, budget=100, currency="USD")
    ProjectFactory(department=department, project_type=project_type, budget=5, currency="EUR")
    client.force_login(pmo)
    costs = client.get("/").context["costs"]
    # 1000 CNY + 100 USD at 7.10; the EUR budget has no rate and stays out of the total.
    assert costs.budget == Decimal("1710.00")
    assert costs.unconverted == 1


def test_the_scatter_carries_latest_cpi_and_spi(client, pmo, weekly, last_week):
    published_report(weekly, last_week, rag="amber", cpi="0.91", spi="1.05")
    client.force_login(pmo)
    response = client.get("/")
    assert response.context["points"]["points"][0]["x"] == 1.05
    assert response.context["quadrants"]["cost_below"] == 1
    assert 'data-reports-chart="scatter"' in response.content.decode()


def test_a_report_written_by_the_pm_shows_on_the_dashboard(client, pm, pmo, weekly, last_week):
    report = services.report_create(project=weekly, period=last_week, by=pm, percent_complete=5)
    services.report_submit(report=report, by=pm)
    client.force_login(pmo)
    counts = {value: count for value, _l, count in client.get("/").context["rag_counts"]}
    assert counts[report.overall_rag] == 1


@pytest.mark.parametrize("url", ["/", "/reports/attention/", "/reports/milestones/"])
@pytest.mark.parametrize("rows", [3, 30])
def test_query_count_does_not_grow_with_projects(client, pm, project_type, url, rows):
    departments = DepartmentFactory.create_batch(3)
    period = period_of("weekly", TODAY - datetime.timedelta(days=7))
    for number in range(rows):
        project = ProjectFactory(
            manager=pm, department=departments[number % 3], project_type=project_type
        )
        schedule(project)
        published_report(project, period, rag=["red", "amber", "green"][number % 3])
        milestone(project, "M", baseline=TODAY, forecast=TODAY + datetime.timedelta(days=3))
    client.force_login(pm)
    client.get(url)
    cache.clear()  # as on the first view after a change: the figures are worked out again
    with CaptureQueriesContext(connection) as first:
        response = client.get(url)
    with CaptureQueriesContext(connection) as cached:
        client.get(url)
    assert response.status_code == 200
    expected = {"/": (24, 10), "/reports/attention/": (15, 8), "/reports/milestones/": (9, 9)}
    assert (len(first), len(cached)) == expected[url], [q["sql"] for q in first.captured_queries]
    assert len(first) < 25
