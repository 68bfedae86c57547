"""Status report pages for every persona, the forms' refusals (nothing half-saved), the
optimistic lock of the edit form, and query counts that do not grow with the rows."""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from projects.models import Project
from reports import urls as report_urls
from reports.models import ClosureSurvey, RagThresholds, StatusReport
from reports.services import status as services
from tests.factories import ProjectFactory
from tests.permission_matrix import (
    LOGIN,
    PERSONAS,
    PMO_ONLY,
    POST_ONLY,
    READ,
    check_page,
    check_refused_post,
    refused,
    resolver_patterns,
)
from tests.reports.factories import period_of, published_report, schedule

# Only the project's own manager writes its status reports.
OWN_MANAGER = [LOGIN, 403, 200, 403, 403, 403]
NOBODY = [LOGIN, 403, 403, 403, 403, 403]

pytestmark = pytest.mark.django_db

# url -> expected status of a GET per persona (same order as PERSONAS). {own} is a project of
# `pm`, {other} one of another manager; {report} a published report and {draft} a draft of
# {own}, {other_draft} one of {other}. Drafts are seen only by their project's manager and PMO
# staff; only the project's manager writes them.
MATRIX = {
    "/reports/": READ,
    "/reports/{report}/": READ,
    "/reports/{draft}/": [LOGIN, 404, 200, 200, 404, 200],
    "/reports/{other_draft}/": [LOGIN, 404, 404, 200, 404, 200],
    "/reports/{draft}/edit/": [LOGIN, 404, 200, 403, 404, 403],
    "/reports/{other_draft}/edit/": [LOGIN, 404, 404, 403, 404, 403],
    "/reports/{draft}/submit/": POST_ONLY,
    "/reports/{report}/review/": POST_ONLY,
    "/reports/projects/{own}/": READ,
    "/reports/projects/{own}/new/": OWN_MANAGER,
    "/reports/projects/{other}/new/": NOBODY,
    "/reports/projects/{own}/schedule/": POST_ONLY,
    "/reports/projects/{own}/closure/": POST_ONLY,
    "/reports/attention/": READ,
    "/reports/milestones/": READ,
    "/reports/effectiveness/": READ,
    "/reports/effectiveness/targets/": PMO_ONLY,
    "/reports/thresholds/": PMO_ONLY,
}

# Resolver patterns of reports/urls.py and the matrix rows that cover them.
PATTERN_ROWS = {
    "reports/": "/reports/",
    "reports/<int:pk>/": "/reports/{report}/",
    "reports/<int:pk>/edit/": "/reports/{draft}/edit/",
    "reports/<int:pk>/submit/": "/reports/{draft}/submit/",
    "reports/<int:pk>/review/": "/reports/{report}/review/",
    "reports/projects/<int:pk>/": "/reports/projects/{own}/",
    "reports/projects/<int:pk>/new/": "/reports/projects/{own}/new/",
    "reports/projects/<int:pk>/schedule/": "/reports/projects/{own}/schedule/",
    "reports/projects/<int:pk>/closure/": "/reports/projects/{own}/closure/",
    "reports/attention/": "/reports/attention/",
    "reports/milestones/": "/reports/milestones/",
    "reports/effectiveness/": "/reports/effectiveness/",
    "reports/effectiveness/targets/": "/reports/effectiveness/targets/",
    "reports/thresholds/": "/reports/thresholds/",
}


def errors_of(response, field=None) -> str:
    form = response.context["form"]
    return " ".join(form.errors.get(field, []) if field else form.non_field_errors())


@pytest.fixture
def draft(pm, weekly, last_week):
    return services.report_create(project=weekly, period=last_week, by=pm, percent_complete=50)


@pytest.fixture
def other_draft(other_pm, others_project, last_week):
    schedule(others_project, "weekly")
    return services.report_create(
        project=others_project, period=last_week, by=other_pm, percent_complete=30
    )


@pytest.fixture
def submitted(pm, weekly, two_weeks_ago):
    report = services.report_create(
        project=weekly, period=two_weeks_ago, by=pm, percent_complete=40
    )
    return services.report_submit(report=report, by=pm)


class TestPermissions:
    def test_every_pattern_is_in_the_matrix(self):
        patterns = {p for p in resolver_patterns(report_urls.urlpatterns, "reports/")}
        ours = {p for p in patterns if not p.startswith("reports/executive/")} | {"reports/"}
        assert ours == set(PATTERN_ROWS)
        assert set(PATTERN_ROWS.values()) <= set(MATRIX)

    @pytest.mark.parametrize("url_template", list(MATRIX))
    @pytest.mark.parametrize("persona", PERSONAS)
    def test_each_persona_gets_the_expected_status(
        self, client, request, weekly, others_project, draft, other_draft, submitted,
        url_template, persona,
    ):  # fmt: skip
        check_page(
            client, request, MATRIX, url_template, persona, own=weekly.pk,
            other=others_project.pk, report=submitted.pk, draft=draft.pk,
            other_draft=other_draft.pk,
        )  # fmt: skip

    @pytest.mark.parametrize(("url_template", "persona"), refused(MATRIX))
    def test_a_persona_refused_a_page_is_refused_by_post_too(
        self, client, request, weekly, others_project, draft, other_draft, submitted,
        url_template, persona,
    ):  # fmt: skip
        check_refused_post(
            client, request, MATRIX, url_template, persona, own=weekly.pk,
            other=others_project.pk, report=submitted.pk, draft=draft.pk,
            other_draft=other_draft.pk,
        )  # fmt: skip

    def test_only_the_manager_submits_and_only_the_pmo_reviews(
        self, client, personas, draft, submitted
    ):
        for persona in ("executive", "pmo", "other_pm"):
            client.force_login(personas[persona])
            assert client.post(f"/reports/{draft.pk}/submit/").status_code in (403, 404)
        for persona in ("executive", "pm", "other_pm"):
            client.force_login(personas[persona])
            response = client.post(f"/reports/{submitted.pk}/review/", {"comments": "ok"})
            assert response.status_code == 403
        submitted.refresh_from_db()
        draft.refresh_from_db()
        assert (draft.state, submitted.state) == ("draft", "submitted")


class TestWritingAReport:
    def test_the_form_starts_from_the_suggested_rag_and_figures(
        self, client, pm, weekly, last_week
    ):
        client.force_login(pm)
        response = client.get(f"/reports/projects/{weekly.pk}/new/")
        body = response.content.decode()
        assert response.context["form"].initial["period"] == last_week.pk
        assert 'id="suggested-rag"' in body and "EAC = BAC / CPI" in body

    def test_pm_overrides_the_suggested_rag_with_a_reason_and_submits(
        self, client, pm, pmo, weekly, last_week
    ):
        client.force_login(pm)
        data = {
            "period": last_week.pk, "percent_complete": "10", "overall_rag": "amber",
            "override_reason": "Recovery plan agreed with the sponsor.", "schedule_rag": "red",
            "cost_rag": "green", "scope_rag": "green", "quality_rag": "green",
            "risk_rag": "green", "achievements": "Build 3 delivered",
        }  # fmt: skip
        response = client.post(f"/reports/projects/{weekly.pk}/new/", data)
        report = StatusReport.objects.get()
        assert response.status_code == 302 and response["Location"] == f"/reports/{report.pk}/"
        assert (report.suggested_rag, report.overall_rag) == ("red", "amber")
        response = client.post(f"/reports/{report.pk}/submit/", {"version": report.version})
        assert response.status_code == 302
        client.force_login(pmo)
        client.post(f"/reports/{report.pk}/review/", {"comments": "Amber accepted."})
        body = client.get(f"/reports/{report.pk}/").content.decode()
        assert "Amber accepted." in body and "Recovery plan agreed" in body
        assert StatusReport.objects.get().state == "reviewed"

    def test_an_override_without_a_reason_is_refused_next_to_the_field(
        self, client, pm, weekly, last_week
    ):
        client.force_login(pm)
        data = {"period": last_week.pk, "percent_complete": "10", "overall_rag": "green",
                "override_reason": "  ", "schedule_rag": "green", "cost_rag": "green",
                "scope_rag": "green", "quality_rag": "green", "risk_rag": "green"}  # fmt: skip
        response = client.post(f"/reports/projects/{weekly.pk}/new/", data)
        assert response.status_code == 200
        assert "Give the reason for choosing Green instead" in errors_of(
            response, "override_reason"
        )
        assert not StatusReport.objects.exists()

    @pytest.fixture
    def half_way(self, weekly):
        """`weekly` half-way through its plan: 50% complete is on schedule, 10% is red."""
        today = datetime.date.today()
        Project.objects.filter(pk=weekly.pk).update(
            planned_start=today - datetime.timedelta(days=200),
            planned_end=today + datetime.timedelta(days=200),
        )
        return weekly

    def test_the_rag_is_judged_against_the_suggestion_for_the_percent_typed(
        self, client, pm, half_way, last_week
    ):
        client.force_login(pm)
        url = f"/reports/projects/{half_way.pk}/new/"
        # Nothing reported yet: at 0% the form suggests red.
        assert client.get(url).context["suggestion"].suggested_rag == "red"
        data = {"period": last_week.pk, "percent_complete": "52", "overall_rag": "red",
                "override_reason": "", "schedule_rag": "green", "cost_rag": "green",
                "scope_rag": "green", "quality_rag": "green", "risk_rag": "green"}  # fmt: skip
        response = client.post(url, data)
        assert "The suggested RAG is Green. Give the reason for choosing Red" in errors_of(
            response, "override_reason"
        )
        body = response.content.decode()
        assert response.context["suggestion"].suggested_rag == "green"
        assert 'id="suggested-rag"><span class="badge rag-badge text-bg-success">Green' in body
        assert not StatusReport.objects.exists()
        response = client.post(url, {**data, "overall_rag": "green"})
        assert response.status_code == 302
        report = StatusReport.objects.get()
        assert (report.suggested_rag, report.overall_rag) == ("green", "green")

    def test_an_edit_is_judged_against_the_suggestion_for_the_percent_typed(
        self, client, pm, half_way, last_week
    ):
        draft = services.report_create(
            project=half_way, period=last_week, by=pm, percent_complete=10
        )
        assert draft.suggested_rag == "red"
        client.force_login(pm)
        data = {"version": draft.version, "percent_complete": "52", "overall_rag": "green",
                "override_reason": "", "schedule_rag": "green", "cost_rag": "green",
                "scope_rag": "green", "quality_rag": "green", "risk_rag": "green"}  # fmt: skip
        assert client.post(f"/reports/{draft.pk}/edit/", data).status_code == 302
        draft.refresh_from_db()
        assert (draft.suggested_rag, draft.overall_rag) == ("green", "green")

    def test_a_percent_that_is_not_one_keeps_the_last_suggestion(
        self, client, pm, half_way, last_week
    ):
        client.force_login(pm)
        data = {"period": last_week.pk, "percent_complete": "lots", "overall_rag": "green",
                "schedule_rag": "green", "cost_rag": "green", "scope_rag": "green",
                "quality_rag": "green", "risk_rag": "green"}  # fmt: skip
        response = client.post(f"/reports/projects/{half_way.pk}/new/", data)
        assert errors_of(response, "percent_complete")
        assert response.context["suggestion"].suggested_rag == "red"
        assert not StatusReport.objects.exists()

    def test_a_second_report_for_the_period_is_refused_clearly(
        self, client, pm, weekly, last_week, draft
    ):
        client.force_login(pm)
        data = {"period": last_week.pk, "percent_complete": "60",
                "overall_rag": draft.suggested_rag, "schedule_rag": "green",
                "cost_rag": "green", "scope_rag": "green", "quality_rag": "green",
                "risk_rag": "green"}  # fmt: skip
        response = client.post(f"/reports/projects/{weekly.pk}/new/", data)
        assert "has a report for" in errors_of(response, "period")
        assert StatusReport.objects.count() == 1

    def test_an_unknown_period_is_refused_clearly(self, client, pm, weekly, last_week):
        client.force_login(pm)
        data = {"period": "987654", "percent_complete": "60", "overall_rag": "green",
                "override_reason": "x", "schedule_rag": "green", "cost_rag": "green",
                "scope_rag": "green", "quality_rag": "green", "risk_rag": "green"}  # fmt: skip
        response = client.post(f"/reports/projects/{weekly.pk}/new/", data)
        assert "no such reporting period" in errors_of(response, "period")
        assert not StatusReport.objects.exists()

    def test_an_edit_from_a_stale_form_is_refused(self, client, pm, draft):
        client.force_login(pm)
        data = {"version": draft.version, "percent_complete": "55",
                "overall_rag": draft.suggested_rag, "schedule_rag": "green", "cost_rag": "green",
                "scope_rag": "green", "quality_rag": "green", "risk_rag": "green",
                "achievements": "first"}  # fmt: skip
        assert client.post(f"/reports/{draft.pk}/edit/", data).status_code == 302
        response = client.post(f"/reports/{draft.pk}/edit/", {**data, "achievements": "second"})
        assert "Someone changed this report" in errors_of(response)
        draft.refresh_from_db()
        assert draft.achievements == "first"

    def test_a_review_needs_comments(self, client, pmo, submitted):
        client.force_login(pmo)
        response = client.post(f"/reports/{submitted.pk}/review/", {"comments": ""})
        assert "Write the PMO" in response.content.decode()
        submitted.refresh_from_db()
        assert submitted.state == "submitted"


class TestProjectPage:
    def test_it_shows_the_s_curve_and_the_reports(self, client, executive, weekly, submitted):
        client.force_login(executive)
        response = client.get(f"/reports/projects/{weekly.pk}/")
        chart = response.context["chart"]
        assert chart["labels"][0] == "2026-01" and len(chart["pv"]) == len(chart["labels"])
        assert chart["pv"][-1] == 250000.0  # the whole budget by the planned end
        assert 'data-reports-chart="scurve"' in response.content.decode()
        assert submitted in response.context["reports"]

    def test_the_schedule_form_refuses_an_unknown_frequency(self, client, pm, weekly):
        client.force_login(pm)
        response = client.post(
            f"/reports/projects/{weekly.pk}/schedule/",
            {"frequency": "daily", "planned_value_method": "linear"},
        )
        assert response.status_code == 200
        assert response.context["schedule_form"].errors["frequency"]
        assert weekly.reporting.frequency == "weekly"

    def test_the_closure_survey_is_for_closed_projects_and_checked(self, client, pm, weekly):
        client.force_login(pm)
        url = f"/reports/projects/{weekly.pk}/closure/"
        data = {"satisfaction": "4", "on_scope": "on", "value_delivered": "100000"}
        response = client.post(url, data)
        assert "when the project has closed" in response.content.decode()
        weekly.status = "closed"
        weekly.save()
        response = client.post(url, {**data, "satisfaction": "7"})
        assert response.context["survey_form"].errors["satisfaction"]
        assert not ClosureSurvey.objects.exists()
        assert client.post(url, data).status_code == 302
        assert ClosureSurvey.objects.get().satisfaction == 4


class TestPmoSettings:
    def test_thresholds_must_keep_red_stricter_than_amber(self, client, pmo):
        client.force_login(pmo)
        data = {"version": 1, "spi_amber": "0.90", "spi_red": "0.95", "cpi_amber": "0.95",
                "cpi_red": "0.85", "slippage_amber_days": 5, "slippage_red_days": 20,
                "critical_risks_amber": 1, "critical_risks_red": 3}  # fmt: skip
        response = client.post("/reports/thresholds/", data)
        assert "at or below the amber" in " ".join(response.context["form"].errors["spi_red"])
        assert not RagThresholds.objects.exists()
        response = client.post("/reports/thresholds/", {**data, "spi_red": "0.80"})
        assert response.status_code == 302
        assert RagThresholds.current().spi_amber == Decimal("0.90")

    def test_thresholds_saved_from_a_stale_form_are_refused(self, client, pmo):
        client.force_login(pmo)
        data = {"version": 1, "spi_amber": "0.90", "spi_red": "0.80", "cpi_amber": "0.95",
                "cpi_red": "0.85", "slippage_amber_days": 5, "slippage_red_days": 20,
                "critical_risks_amber": 1, "critical_risks_red": 3}  # fmt: skip
        client.post("/reports/thresholds/", data)
        response = client.post("/reports/thresholds/", {**data, "spi_amber": "0.99"})
        assert "Someone changed" in errors_of(response)
        assert RagThresholds.current().spi_amber == Decimal("0.90")

    def test_targets_cannot_be_negative(self, client, pmo):
        client.force_login(pmo)
        response = client.post("/reports/effectiveness/targets/", {"on_time": "-5"})
        assert response.context["form"].errors["on_time"]
        response = client.post("/reports/effectiveness/targets/", {"on_time": "80"})
        assert response.status_code == 302


@pytest.mark.parametrize("rows", [3, 30])
def test_the_report_list_query_count_does_not_grow(client, pm, department, project_type, rows):
    period = period_of("weekly", datetime.date.today() - datetime.timedelta(days=7))
    for _ in range(rows):
        project = ProjectFactory(manager=pm, department=department, project_type=project_type)
        schedule(project)
        published_report(project, period, rag="amber", cpi="0.9")
    client.force_login(pm)
    client.get("/reports/")
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/reports/?rag=amber")
    assert len(response.context["object_list"]) == min(rows, 25)
    assert len(queries) == 9, [q["sql"] for q in queries]


@pytest.mark.parametrize("rows", [3, 30])
def test_the_project_page_query_count_does_not_grow(client, pm, weekly, rows):
    today = datetime.date.today()
    for week in range(rows):
        published_report(
            weekly, period_of("weekly", today - datetime.timedelta(weeks=week + 1)),
            latest=week == 0,
        )  # fmt: skip
    client.force_login(pm)
    client.get(f"/reports/projects/{weekly.pk}/")
    with CaptureQueriesContext(connection) as queries:
        client.get(f"/reports/projects/{weekly.pk}/")
    assert len(queries) == 15, [q["sql"] for q in queries]
