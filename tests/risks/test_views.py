"""The risk pages: who may open them, what they show, bad input, stale edits, query counts."""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from pmo_portal.models import Notification
from portfolio.models import Portfolio, PortfolioProject
from risks import urls as risk_urls
from risks.models import (
    Contingency,
    Issue,
    Lesson,
    ReviewCadence,
    Risk,
    RiskAction,
    RiskCategory,
    RiskResponse,
)
from risks.services import register as services
from risks.services.lessons import refresh_search_vectors
from tests.permission_matrix import (
    MANAGER_OR_PMO,
    PERSONAS,
    PMO_ONLY,
    POST_ONLY,
    READ,
    check_page,
    check_refused_post,
    refused,
    resolver_patterns,
)
from tests.risks.factories import (
    IssueFactory,
    LessonFactory,
    RiskActionFactory,
    RiskFactory,
    RiskResponseFactory,
)

pytestmark = pytest.mark.django_db

# url -> expected status of a GET per persona. {own} is a risk on pm's project {project},
# {other} one on another manager's project {other_project}; {response}/{action}/{issue}/{lesson}
# belong to {own} and its project, {other_response}/... to {other} and its project.
MATRIX = {
    "/risks/": READ,
    "/risks/new/": MANAGER_OR_PMO,
    "/risks/{own}/": READ,
    "/risks/{other}/": READ,
    "/risks/{own}/edit/": MANAGER_OR_PMO,
    "/risks/{other}/edit/": PMO_ONLY,
    "/risks/{own}/review/": POST_ONLY,
    "/risks/{own}/issue/": POST_ONLY,
    "/risks/{own}/responses/new/": MANAGER_OR_PMO,
    "/risks/{other}/responses/new/": PMO_ONLY,
    "/risks/{own}/responses/{response}/edit/": MANAGER_OR_PMO,
    "/risks/{other}/responses/{other_response}/edit/": PMO_ONLY,
    "/risks/responses/{response}/actions/new/": MANAGER_OR_PMO,
    "/risks/responses/{other_response}/actions/new/": PMO_ONLY,
    "/risks/actions/{action}/edit/": MANAGER_OR_PMO,
    "/risks/actions/{other_action}/edit/": PMO_ONLY,
    "/risks/lesson-suggestions/": READ,
    "/risks/heat-map/": READ,
    "/risks/roll-up/": READ,
    "/risks/exposure/": READ,
    "/risks/reviews/": READ,
    "/risks/projects/{project}/simulation/": READ,
    "/risks/portfolios/{portfolio}/simulation/": READ,
    "/risks/projects/{project}/contingency/": MANAGER_OR_PMO,
    "/risks/projects/{other_project}/contingency/": PMO_ONLY,
    "/risks/issues/": READ,
    "/risks/issues/new/": MANAGER_OR_PMO,
    "/risks/issues/{issue}/": READ,
    "/risks/issues/{issue}/edit/": MANAGER_OR_PMO,
    "/risks/issues/{other_issue}/edit/": PMO_ONLY,
    "/risks/issues/{issue}/escalate/": POST_ONLY,
    "/risks/lessons/": READ,
    "/risks/lessons/new/": MANAGER_OR_PMO,
    "/risks/lessons/{lesson}/": READ,
    "/risks/lessons/{lesson}/edit/": MANAGER_OR_PMO,
    "/risks/lessons/{other_lesson}/edit/": PMO_ONLY,
    "/risks/settings/": READ,
    "/risks/settings/categories/new/": PMO_ONLY,
    "/risks/settings/categories/{category}/edit/": PMO_ONLY,
}

# Resolver patterns of risks/urls.py (and the area's root) and the matrix rows covering them.
PATTERN_ROWS = {
    "risks/": "/risks/",
    "risks/new/": "/risks/new/",
    "risks/<int:pk>/": "/risks/{own}/",
    "risks/<int:pk>/edit/": "/risks/{own}/edit/",
    "risks/<int:pk>/review/": "/risks/{own}/review/",
    "risks/<int:pk>/issue/": "/risks/{own}/issue/",
    "risks/<int:pk>/responses/new/": "/risks/{own}/responses/new/",
    "risks/<int:pk>/responses/<int:response_pk>/edit/": "/risks/{own}/responses/{response}/edit/",
    "risks/responses/<int:pk>/actions/new/": "/risks/responses/{response}/actions/new/",
    "risks/actions/<int:pk>/edit/": "/risks/actions/{action}/edit/",
    "risks/lesson-suggestions/": "/risks/lesson-suggestions/",
    "risks/heat-map/": "/risks/heat-map/",
    "risks/roll-up/": "/risks/roll-up/",
    "risks/exposure/": "/risks/exposure/",
    "risks/reviews/": "/risks/reviews/",
    "risks/projects/<int:pk>/simulation/": "/risks/projects/{project}/simulation/",
    "risks/portfolios/<int:pk>/simulation/": "/risks/portfolios/{portfolio}/simulation/",
    "risks/projects/<int:pk>/contingency/": "/risks/projects/{project}/contingency/",
    "risks/issues/": "/risks/issues/",
    "risks/issues/new/": "/risks/issues/new/",
    "risks/issues/<int:pk>/": "/risks/issues/{issue}/",
    "risks/issues/<int:pk>/edit/": "/risks/issues/{issue}/edit/",
    "risks/issues/<int:pk>/escalate/": "/risks/issues/{issue}/escalate/",
    "risks/lessons/": "/risks/lessons/",
    "risks/lessons/new/": "/risks/lessons/new/",
    "risks/lessons/<int:pk>/": "/risks/lessons/{lesson}/",
    "risks/lessons/<int:pk>/edit/": "/risks/lessons/{lesson}/edit/",
    "risks/settings/": "/risks/settings/",
    "risks/settings/categories/new/": "/risks/settings/categories/new/",
    "risks/settings/categories/<int:pk>/edit/": "/risks/settings/categories/{category}/edit/",
}

TODAY = timezone.localdate()


def category(code="TEC-REQ"):
    return RiskCategory.objects.get(code=code)


@pytest.fixture
def portfolio(project):
    top = Portfolio.objects.create(name="Corporate IT")
    Portfolio.objects.filter(pk=top.pk).update(path=f"/{top.pk}/")
    top.refresh_from_db()
    PortfolioProject.objects.create(project=project, portfolio=top)
    return top


@pytest.fixture
def risk_objects(project, others_project, pm, other_pm, pmo, portfolio):
    own = RiskFactory(project=project, owner=pm, title="Interface vendor late")
    other = RiskFactory(project=others_project, owner=other_pm)
    response = RiskResponseFactory(risk=own)
    other_response = RiskResponseFactory(risk=other)
    return {
        "own": own.pk, "other": other.pk, "response": response.pk,
        "other_response": other_response.pk,
        "action": RiskActionFactory(response=response, owner=pm).pk,
        "other_action": RiskActionFactory(response=other_response, owner=other_pm).pk,
        "issue": IssueFactory(project=project, owner=pm).pk,
        "other_issue": IssueFactory(project=others_project, owner=other_pm).pk,
        "lesson": LessonFactory(project=project, recorded_by=pm).pk,
        "other_lesson": LessonFactory(project=others_project, recorded_by=other_pm).pk,
        "project": project.pk, "other_project": others_project.pk,
        "portfolio": portfolio.pk, "category": category().pk,
    }  # fmt: skip


def risk_data(project, owner, **overrides) -> dict:
    data = {
        "project": str(project.pk) if project else "",
        "kind": "threat",
        "title": "Key supplier goes bankrupt",
        "category": str(category("EXT-SUP").pk),
        "owner": str(owner.pk),
        "cause": "The supplier is small and over-extended.",
        "event": "The supplier stops trading.",
        "effect": "Hardware deliveries stop.",
        "trigger": "Late invoices from the supplier.",
        "probability": "4",
        "impact": "5",
        "residual_probability": "",
        "residual_impact": "",
        "probability_percent": "50",
        "cost_min": "10000",
        "cost_likely": "40000",
        "cost_max": "100000",
        "schedule_min": "5",
        "schedule_likely": "20",
        "schedule_max": "60",
        "distribution": "pert",
        "status": "open",
        "next_review": "",
        "version": "",
    }
    return {**data, **overrides}


class TestPermissions:
    def test_every_risk_page_is_in_the_matrix(self):
        patterns = set(resolver_patterns(risk_urls.urlpatterns, "risks/"))
        assert patterns | {"risks/"} == set(PATTERN_ROWS)
        assert set(PATTERN_ROWS.values()) <= set(MATRIX)

    @pytest.mark.parametrize("url_template", list(MATRIX))
    @pytest.mark.parametrize("persona", PERSONAS)
    def test_each_persona_gets_the_expected_status(
        self, client, request, risk_objects, url_template, persona
    ):
        check_page(client, request, MATRIX, url_template, persona, **risk_objects)

    @pytest.mark.parametrize(("url_template", "persona"), refused(MATRIX))
    def test_a_persona_refused_a_page_is_refused_by_post_too(
        self, client, request, risk_objects, url_template, persona
    ):
        check_refused_post(client, request, MATRIX, url_template, persona, **risk_objects)

    def test_an_owner_who_does_not_run_the_project_updates_their_risk(
        self, client, executive, project
    ):
        risk = RiskFactory(project=project, owner=executive)
        client.force_login(executive)
        assert client.get(f"/risks/{risk.pk}/edit/").status_code == 200
        response = client.post(f"/risks/{risk.pk}/review/")
        assert response.status_code == 302
        risk.refresh_from_db()
        assert risk.last_reviewed == TODAY

    def test_an_action_owner_reports_progress_but_not_more(self, client, executive, project, pm):
        action = RiskActionFactory(response=RiskResponseFactory(risk=RiskFactory(
            project=project, owner=pm)), owner=executive)  # fmt: skip
        client.force_login(executive)
        form = client.get(f"/risks/actions/{action.pk}/edit/").context["form"]
        assert set(form.fields) == {"status", "version"}
        response = client.post(
            f"/risks/actions/{action.pk}/edit/", {"status": "done", "version": action.version}
        )
        assert response.status_code == 302
        action.refresh_from_db()
        assert action.status == "done" and action.completed_on == TODAY

    def test_a_project_manager_cannot_log_a_risk_on_another_managers_project(
        self, client, pm, others_project
    ):
        client.force_login(pm)
        response = client.post("/risks/new/", risk_data(others_project, pm))
        assert response.status_code == 200
        assert "project" in response.context["form"].errors
        assert not Risk.objects.exists()

    def test_readers_see_no_buttons_that_change_risks(self, client, executive, risk_objects):
        client.force_login(executive)
        body = client.get(f"/risks/{risk_objects['own']}/").content.decode()
        for label in ("Edit or reassess", "Add a response", "Reviewed today", "raise an issue"):
            assert label not in body
        assert "Log a risk" not in client.get("/risks/").content.decode()


class TestLoggingAndAssessingARisk:
    def test_a_pm_logs_a_risk_responds_and_its_residual_moves_it_on_the_heat_map(
        self, client, pm, project
    ):
        lesson = LessonFactory(title="Vet small suppliers' finances", category=category("EXT-SUP"))
        client.force_login(pm)
        form_page = client.get(f"/risks/new/?project={project.pk}")
        assert form_page.context["form"].initial["project"] == project.pk
        suggestions = client.get(
            f"/risks/lesson-suggestions/?category={category('EXT-SUP').pk}",
            headers={"HX-Request": "true"},
        )
        assert "Vet small suppliers&#x27; finances" in suggestions.content.decode()
        assert f'href="/risks/lessons/{lesson.pk}/"' in suggestions.content.decode()

        response = client.post("/risks/new/", risk_data(project, pm))
        risk = Risk.objects.get()
        assert response["Location"] == f"/risks/{risk.pk}/"
        assert (risk.inherent_score, risk.inherent_level) == (20, "critical")
        assert (risk.residual_probability, risk.residual_impact) == (4, 5)
        # PERT mean (10,000 + 4 x 40,000 + 100,000) / 6 = 45,000; half of it is the EMV.
        assert risk.emv == Decimal("22500.00")
        assert risk.next_review == TODAY + datetime.timedelta(days=7)  # critical: weekly

        heat = client.get(f"/risks/heat-map/?project={project.pk}").context["cells"]
        # Probability 5 is the first row, 4 the second; impact 5 the last column.
        assert heat[0][4].count == 0
        assert heat[1][4].count == 1 and heat[1][4].level == "critical"

        client.post(f"/risks/{risk.pk}/responses/new/",
                    {"strategy": "mitigate", "plan": "Second supplier qualified."})  # fmt: skip
        plan = RiskResponse.objects.get(risk=risk)
        client.post(f"/risks/responses/{plan.pk}/actions/new/",
                    {"description": "Qualify a second supplier", "owner": pm.pk,
                     "due": "2030-01-31"})  # fmt: skip
        assert RiskAction.objects.get(response=plan).description == "Qualify a second supplier"
        client.post(
            f"/risks/{risk.pk}/edit/",
            risk_data(project, pm, residual_probability="2", residual_impact="3",
                      version=str(risk.version)),
        )  # fmt: skip
        risk.refresh_from_db()
        assert (risk.residual_score, risk.residual_level) == (6, "medium")
        residual = client.get(f"/risks/heat-map/?project={project.pk}").context["cells"]
        assert residual[3][2].count == 1 and residual[1][4].count == 0
        inherent = client.get(f"/risks/heat-map/?project={project.pk}&view=inherent")
        assert inherent.context["cells"][1][4].count == 1
        cell = client.get(f"/risks/?project={project.pk}&view=residual&p=2&i=3")
        assert [row.record.pk for row in cell.context["table"].page.object_list] == [risk.pk]
        assert (
            not client.get(f"/risks/?project={project.pk}&view=residual&p=4&i=5")
            .context["table"]
            .page.object_list.data
        )

        detail = client.get(f"/risks/{risk.pk}/").content.decode()
        assert "4 × 5 = 20" in detail and "2 × 3 = 6" in detail  # both in the score history

    def test_the_project_page_shows_its_top_risks_and_links(self, client, pm, project):
        RiskFactory(project=project, owner=pm, title="Data migration fails", probability=5,
                    impact=4)  # fmt: skip
        client.force_login(pm)
        body = client.get(f"/projects/{project.pk}/").content.decode()
        assert "Data migration fails" in body
        assert f"/risks/?project={project.pk}" in body
        assert f"/risks/projects/{project.pk}/simulation/" in body
        assert "Record a lesson" in body

    def test_the_simulation_shows_the_p80_reserve_against_the_contingency(
        self, client, pm, project
    ):
        RiskFactory(project=project, owner=pm, probability_percent=Decimal(100),
                    cost_min=Decimal(0), cost_likely=Decimal(50000), cost_max=Decimal(100000),
                    distribution="triangular")  # fmt: skip
        client.force_login(pm)
        reserve = {"cost_reserve": "60000", "schedule_reserve_days": "10", "note": ""}
        client.post(f"/risks/projects/{project.pk}/contingency/", reserve)
        assert Contingency.objects.get(project=project).cost_reserve == Decimal(60000)
        response = client.get(f"/risks/projects/{project.pk}/simulation/")
        rows = {row["percent"]: row for row in response.context["cost_rows"]}
        # Triangular(0, 50,000, 100,000): P80 = 100,000 - sqrt(0.2 x 100,000 x 50,000) = 68,377.
        assert rows[80]["value"] == pytest.approx(68377, rel=0.02)
        assert rows[50]["covered"] and not rows[80]["covered"]
        assert 'data-percentile="cost-80"' in response.content.decode()
        assert 'id="simulation-data"' in response.content.decode()


class TestBadInput:
    @pytest.mark.parametrize(
        "overrides, field",
        [
            ({"title": ""}, "title"),
            ({"probability": "6"}, "probability"),
            ({"probability_percent": "120"}, "probability_percent"),
            ({"cost_likely": "5000"}, "cost_likely"),  # below the minimum
            ({"schedule_max": "10"}, "schedule_max"),  # below the most likely
            ({"category": ""}, "category"),
        ],
    )
    def test_bad_risk_input_is_shown_next_to_the_field(self, client, pm, project, overrides, field):
        client.force_login(pm)
        response = client.post("/risks/new/", risk_data(project, pm, **overrides))
        assert response.status_code == 200
        assert field in response.context["form"].errors
        assert "Nothing was saved." in response.content.decode()
        assert not Risk.objects.exists()

    def test_a_stale_risk_edit_is_refused(self, client, pm, project):
        risk = RiskFactory(project=project, owner=pm)
        loaded = risk_data(project, pm, title="My title", version=str(risk.version))
        services.risk_update(risk=risk, by=pm, version=risk.version, title="Their title")
        client.force_login(pm)
        response = client.post(f"/risks/{risk.pk}/edit/", loaded)
        assert response.status_code == 200
        assert "Someone else changed this risk" in response.content.decode()
        risk.refresh_from_db()
        assert risk.title == "Their title"

    def test_a_strategy_for_opportunities_is_refused_on_a_threat(self, client, pm, project):
        risk = RiskFactory(project=project, owner=pm)
        client.force_login(pm)
        response = client.post(f"/risks/{risk.pk}/responses/new/",
                               {"strategy": "exploit", "plan": "Grab it."})  # fmt: skip
        assert "strategy" in response.context["form"].errors
        assert not RiskResponse.objects.exists()

    def test_an_action_without_a_due_date_is_refused(self, client, pm, project):
        response_plan = RiskResponseFactory(risk=RiskFactory(project=project, owner=pm))
        client.force_login(pm)
        response = client.post(f"/risks/responses/{response_plan.pk}/actions/new/",
                               {"description": "Do it", "owner": pm.pk, "due": ""})  # fmt: skip
        assert "due" in response.context["form"].errors
        assert not RiskAction.objects.exists()

    def test_a_negative_contingency_is_refused(self, client, pm, project):
        client.force_login(pm)
        response = client.post(f"/risks/projects/{project.pk}/contingency/",
                               {"cost_reserve": "-1", "schedule_reserve_days": "3"})  # fmt: skip
        assert "cost_reserve" in response.context["form"].errors
        assert not Contingency.objects.exists()

    def test_an_issue_resolved_without_a_resolution_is_refused(self, client, pm, project):
        issue = IssueFactory(project=project, owner=pm)
        client.force_login(pm)
        response = client.post(f"/risks/issues/{issue.pk}/edit/", {
            "project": project.pk, "title": issue.title, "severity": "high", "owner": pm.pk,
            "status": "resolved", "resolution": "", "version": issue.version,
        })  # fmt: skip
        assert response.status_code == 200
        assert "resolution" in response.context["form"].errors
        issue.refresh_from_db()
        assert issue.status == "open"

    def test_a_lesson_without_a_recommendation_is_refused(self, client, pm, project):
        client.force_login(pm)
        response = client.post("/risks/lessons/new/", {
            "project": project.pk, "source": "closure", "title": "Test early",
            "what_happened": "Late defects.", "recommendation": "",
        })  # fmt: skip
        assert "recommendation" in response.context["form"].errors
        assert not Lesson.objects.exists()

    def test_a_bad_matrix_level_is_refused_and_nothing_changes(self, client, pmo):
        client.force_login(pmo)
        page = client.get("/risks/settings/")
        data = {name: field.initial for name, field in page.context["matrix_form"].fields.items()}
        post = {f"matrix-{name}": value for name, value in data.items()}
        post.update(
            {f"cadence-{n}": f.initial for n, f in page.context["cadence_form"].fields.items()}
        )
        post.update({f"scale-{n}": f.initial for n, f in page.context["scale_form"].fields.items()})
        post["matrix-cell_1_1"] = "extreme"
        post["cadence-days_critical"] = "3"
        response = client.post("/risks/settings/", post)
        assert response.status_code == 200
        assert "Nothing was saved." in response.content.decode()
        assert ReviewCadence.objects.get(level="critical").days == 7


class TestIssuesAndLessons:
    def test_an_occurred_risk_becomes_an_issue_and_escalation_tells_the_pmo(
        self, client, pm, pmo, project, mailoutbox, django_capture_on_commit_callbacks
    ):
        risk = RiskFactory(project=project, owner=pm, probability=4, impact=4)
        client.force_login(pm)
        response = client.post(f"/risks/{risk.pk}/issue/", {"owner": pm.pk, "due": "2030-01-01"})
        issue = Issue.objects.get(risk=risk)
        assert response["Location"] == f"/risks/issues/{issue.pk}/"
        assert issue.severity == "high"
        risk.refresh_from_db()
        assert risk.status == "occurred"
        with django_capture_on_commit_callbacks(execute=True):
            client.post(f"/risks/issues/{issue.pk}/escalate/", {"note": "Need budget."})
        issue.refresh_from_db()
        assert issue.is_escalated
        assert Notification.objects.filter(user=pmo, url=f"/risks/issues/{issue.pk}/").exists()
        assert any(pmo.email in message.to for message in mailoutbox)

    def test_lessons_are_found_by_their_words(self, client, pm):
        LessonFactory(title="Vendor interface slipped", tags="vendor, interface")
        LessonFactory(title="Budget approval took a quarter", what_happened="Finance was slow.",
                      recommendation="Start approval early.", tags="budget")  # fmt: skip
        refresh_search_vectors()  # the factory writes no search vectors; the services do
        client.force_login(pm)
        response = client.get("/risks/lessons/?q=vendor")
        titles = [row.record.title for row in response.context["table"].page.object_list]
        assert titles == ["Vendor interface slipped"]


def count_queries(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


class TestQueryCounts:
    def add_risks(self, count, project, pm):
        for number in range(count):
            risk = RiskFactory(project=project, owner=pm, probability=1 + number % 5,
                               impact=1 + (number * 2) % 5,
                               next_review=TODAY - datetime.timedelta(days=1))  # fmt: skip
            action = RiskActionFactory(response=RiskResponseFactory(risk=risk), owner=pm,
                                       due=TODAY - datetime.timedelta(days=1))  # fmt: skip
            IssueFactory(project=project, owner=pm, risk=risk if number % 2 else None)
            LessonFactory(project=project, recorded_by=pm)
            services.risk_update(risk=risk, by=pm, probability=3)
            assert action.pk

    @pytest.mark.parametrize(
        "url",
        [
            "/risks/", "/risks/?status=all&sort=-emv", "/risks/?_export=csv",
            "/risks/heat-map/", "/risks/roll-up/?by=category", "/risks/roll-up/?by=department",
            "/risks/roll-up/?by=portfolio", "/risks/exposure/", "/risks/reviews/?all=1",
            "/risks/issues/", "/risks/lessons/", "/risks/lessons/?q=vendor",
            "/risks/projects/{project}/simulation/", "/risks/portfolios/{portfolio}/simulation/",
            "/risks/settings/", "/projects/{project}/",
        ],
    )  # fmt: skip
    def test_pages_make_as_many_queries_at_3_as_at_30_rows(
        self, client, pmo, pm, project, portfolio, url
    ):
        url = url.format(project=project.pk, portfolio=portfolio.pk)
        client.force_login(pmo)
        self.add_risks(3, project, pm)
        few = count_queries(client, url)
        self.add_risks(27, project, pm)
        many = count_queries(client, url)
        assert few == many
        assert many < 25

    def test_a_risk_page_makes_as_many_queries_with_more_history_and_actions(
        self, client, pmo, pm, project
    ):
        risk = RiskFactory(project=project, owner=pm)
        response_plan = RiskResponseFactory(risk=risk)
        client.force_login(pmo)
        few = count_queries(client, f"/risks/{risk.pk}/")
        for number in range(10):
            RiskActionFactory(response=response_plan, owner=pm)
            services.risk_update(risk=risk, by=pm, impact=1 + number % 5)
        assert count_queries(client, f"/risks/{risk.pk}/") == few


class TestMoreBadInput:
    def test_a_category_without_a_code_is_refused(self, client, pmo):
        client.force_login(pmo)
        before = RiskCategory.objects.count()
        response = client.post("/risks/settings/categories/new/", {"code": "", "name": "Safety"})
        assert "code" in response.context["form"].errors
        assert RiskCategory.objects.count() == before

    def test_a_category_cannot_sit_below_itself(self, client, pmo):
        parent = category("TEC")
        client.force_login(pmo)
        data = {"code": "TEC", "name": "Technical", "parent": parent.pk}
        response = client.post(f"/risks/settings/categories/{parent.pk}/edit/", data)
        assert response.status_code == 200
        parent.refresh_from_db()
        assert parent.parent is None

    def test_an_escalation_without_a_note_escalates_nothing(self, client, pm, project):
        issue = IssueFactory(project=project, owner=pm)
        client.force_login(pm)
        response = client.post(f"/risks/issues/{issue.pk}/escalate/", {"note": ""}, follow=True)
        assert "Nothing was escalated" in response.content.decode()
        issue.refresh_from_db()
        assert not issue.is_escalated

    def test_a_review_note_too_long_records_no_review(self, client, pm, project):
        risk = RiskFactory(project=project, owner=pm)
        client.force_login(pm)
        response = client.post(f"/risks/{risk.pk}/review/", {"note": "x" * 101}, follow=True)
        assert "Nothing was saved" in response.content.decode()
        risk.refresh_from_db()
        assert risk.last_reviewed is None

    def test_an_issue_with_a_bad_due_date_is_not_raised(self, client, pm, project):
        risk = RiskFactory(project=project, owner=pm)
        client.force_login(pm)
        client.post(f"/risks/{risk.pk}/issue/", {"owner": pm.pk, "due": "not a date"})
        risk.refresh_from_db()
        assert risk.status == "open" and not Issue.objects.exists()


class TestWhatThePagesSay:
    def test_suggestions_fill_the_live_region_rather_than_replace_it(self, client, pm, project):
        LessonFactory(title="Vet small suppliers' finances", category=category("EXT-SUP"))
        client.force_login(pm)
        form_page = client.get(f"/risks/new/?project={project.pk}").content.decode()
        assert 'id="lesson-suggestions" class="lesson-suggestions" aria-live="polite"' in form_page
        assert 'hx-swap="innerHTML"' in form_page
        fragment = client.get(
            f"/risks/lesson-suggestions/?category={category('EXT-SUP').pk}",
            headers={"HX-Request": "true"},
        ).content.decode()
        assert "Vet small suppliers&#x27; finances" in fragment
        assert "lesson-suggestions" not in fragment  # the region itself is not sent again

    def test_a_category_without_lessons_says_so(self, client, pm):
        client.force_login(pm)
        chosen = client.get(f"/risks/lesson-suggestions/?category={category('ORG-FUN').pk}")
        assert "No lesson has been recorded in this category yet." in chosen.content.decode()
        assert "Choose a category" not in chosen.content.decode()
        assert "Choose a category" in client.get("/risks/lesson-suggestions/").content.decode()

    def test_the_residual_assessment_names_its_scale_values(self, client, pm, project):
        risk = RiskFactory(project=project, owner=pm, probability=4, impact=4,
                           residual_probability=2, residual_impact=3)  # fmt: skip
        client.force_login(pm)
        body = client.get(f"/risks/{risk.pk}/").content.decode()
        residual_row = body[body.index(">Residual</th>") :].split("</tr>")[0]
        assert "Unlikely" in residual_row and "Moderate" in residual_row
        assert "Likely" not in residual_row.replace("Unlikely", "")

    def test_the_register_heads_the_category_column_category(self, client, pm, project):
        RiskFactory(project=project, owner=pm)
        client.force_login(pm)
        table = client.get("/risks/").context["table"]
        assert table.columns["category"].header == "Category"
        export = client.get("/risks/?_export=csv").content.decode()
        assert "Category" in export.splitlines()[0]


class TestReviewsDue:
    def test_programme_and_portfolio_risks_cost_no_query_each(self, client, pmo, pm, portfolio):
        def add(count):
            for _ in range(count):
                RiskFactory(owner=pm, portfolio=portfolio, next_review=TODAY)
                RiskActionFactory(owner=pm, due=TODAY)

        client.force_login(pmo)
        add(2)
        few = count_queries(client, "/risks/reviews/?all=1")
        add(10)
        assert count_queries(client, "/risks/reviews/?all=1") == few
        page = client.get("/risks/reviews/?all=1")
        assert len(page.context["reviews"]) == 12 and len(page.context["actions"]) == 12
        assert "Corporate IT" in page.content.decode()  # the portfolio, as the risks' scope

    def test_a_long_list_says_it_is_cut_and_leads_to_the_register(self, client, pm, project):
        for _ in range(3):
            RiskFactory(project=project, owner=pm, next_review=TODAY - datetime.timedelta(days=1))
        client.force_login(pm)
        assert "due soonest are listed" not in client.get("/risks/reviews/").content.decode()
        with pytest.MonkeyPatch.context() as patch:
            patch.setattr("risks.views.overview.LISTED", 2)
            page = client.get("/risks/reviews/")
        body = page.content.decode()
        assert len(page.context["reviews"]) == 2
        assert "The 2 due soonest are listed." in body
        assert "/risks/?review=overdue&amp;mine=me" in body
        register = client.get("/risks/?review=overdue&mine=me")
        assert register.context["table"].paginator.count == 3
