import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from projects.models import ChangeRequest, Project
from projects.services import changes as services
from projects.services.register import project_update
from projects.urls import changes as change_urls
from tests.factories import DepartmentFactory, ProjectFactory
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

pytestmark = pytest.mark.django_db

# url -> expected status of a GET per persona (same order as PERSONAS). {own} is a project
# managed by `pm`, {other} one managed by another project manager; each has a draft CR-1.
MATRIX = {
    "/projects/{own}/changes/": READ,
    "/projects/{other}/changes/": READ,
    "/projects/{own}/changes/new/": MANAGER_OR_PMO,
    "/projects/{other}/changes/new/": PMO_ONLY,
    "/projects/{own}/changes/1/": READ,
    "/projects/{other}/changes/1/": READ,
    "/projects/{own}/changes/1/edit/": MANAGER_OR_PMO,
    "/projects/{other}/changes/1/edit/": PMO_ONLY,
    "/projects/{own}/changes/1/submit/": POST_ONLY,
    "/projects/changes/": READ,
}

# Resolver patterns of projects/urls/changes.py and the matrix rows that cover them.
PATTERN_ROWS = {
    "projects/<int:pk>/changes/": "/projects/{own}/changes/",
    "projects/<int:pk>/changes/new/": "/projects/{own}/changes/new/",
    "projects/<int:pk>/changes/<int:number>/": "/projects/{own}/changes/1/",
    "projects/<int:pk>/changes/<int:number>/edit/": "/projects/{own}/changes/1/edit/",
    "projects/<int:pk>/changes/<int:number>/<str:action>/": "/projects/{own}/changes/1/submit/",
    "projects/changes/": "/projects/changes/",
}


def request_change(project, by, **overrides):
    fields = {
        "title": "Add the mobile app",
        "description": "Field staff approve orders on their phones.",
        "reason": "The regional offices asked for it.",
        "scope_impact": "Two more screens.",
        "schedule_impact_days": 30,
        "cost_impact": Decimal("50000.00"),
    }
    return services.change_request_create(project=project, by=by, **{**fields, **overrides})


def form_data(**overrides):
    data = {
        "title": "Add the mobile app",
        "description": "Field staff approve orders on their phones.",
        "reason": "The regional offices asked for it.",
        "scope_impact": "Two more screens.",
        "schedule_impact_days": "30",
        "cost_impact": "50000",
    }
    return {**data, **overrides}


@pytest.fixture
def baselined(project, pm):
    """`project`, approved: its baseline is fixed."""
    project_update(project=project, by=pm, version=project.version, status="approved")
    project.refresh_from_db()
    assert project.has_baseline
    return project


def messages_of(response) -> list[str]:
    return [str(message) for message in response.context["messages"]]


class TestPermissions:
    def test_every_change_page_is_in_the_matrix(self):
        assert set(resolver_patterns(change_urls.urlpatterns, "projects/")) == set(PATTERN_ROWS)
        assert set(PATTERN_ROWS.values()) <= set(MATRIX)

    @pytest.mark.parametrize("url_template", list(MATRIX))
    @pytest.mark.parametrize("persona", PERSONAS)
    def test_each_persona_gets_the_expected_status(
        self, client, request, pm, project, others_project, other_pm, url_template, persona
    ):
        request_change(project, pm)
        request_change(others_project, other_pm)
        check_page(
            client, request, MATRIX, url_template, persona, own=project.pk, other=others_project.pk
        )

    @pytest.mark.parametrize(("url_template", "persona"), refused(MATRIX))
    def test_a_persona_refused_a_page_is_refused_by_post_too(
        self, client, request, pm, project, others_project, other_pm, url_template, persona
    ):
        request_change(project, pm)
        request_change(others_project, other_pm)
        check_refused_post(
            client, request, MATRIX, url_template, persona, own=project.pk, other=others_project.pk
        )

    # action -> status the CR is in first, and who may take the action (by POST).
    ACTIONS = {
        "submit": ("draft", {"pm", "pmo", "pmo_admin"}),
        "review": ("submitted", {"pmo", "pmo_admin"}),
        "approve": ("under_review", {"pmo", "pmo_admin"}),
        "reject": ("submitted", {"pmo", "pmo_admin"}),
        "implement": ("approved", {"pm", "pmo", "pmo_admin"}),
    }

    @pytest.mark.parametrize("action", list(ACTIONS))
    @pytest.mark.parametrize(
        "persona", ["executive", "pm", "pmo", "resource_manager", "other_pm", "pmo_admin"]
    )
    def test_each_persona_may_take_only_its_actions(
        self, client, request, pm, project, action, persona
    ):
        status, allowed = self.ACTIONS[action]
        change = request_change(project, pm)
        ChangeRequest.objects.filter(pk=change.pk).update(status=status)
        client.force_login(request.getfixturevalue(persona))
        response = client.post(
            f"/projects/{project.pk}/changes/1/{action}/", {"comment": "Agreed by the board."}
        )
        change.refresh_from_db()
        if persona in allowed:
            assert response.status_code == 302
            assert change.status != status
        else:
            assert response.status_code == 403
            assert change.status == status

    def test_read_only_roles_see_no_buttons(self, client, executive, pm, project):
        request_change(project, pm)
        client.force_login(executive)
        body = client.get(f"/projects/{project.pk}/changes/1/").content.decode()
        for label in ("Submit to the change board", "Approve", "Reject", "Edit"):
            assert label not in body
        body = client.get(f"/projects/{project.pk}/changes/").content.decode()
        assert "New change request" not in body


class TestChangeFlow:
    def test_the_manager_requests_and_the_pmo_approves_and_the_baseline_moves(
        self, client, pm, pmo, baselined
    ):
        project = baselined
        client.force_login(pm)
        assert client.get(f"/projects/{project.pk}/changes/new/").status_code == 200
        response = client.post(f"/projects/{project.pk}/changes/new/", form_data())
        assert response.status_code == 302
        assert response["Location"] == f"/projects/{project.pk}/changes/1/"
        detail = client.get(response["Location"]).content.decode()
        assert "Submit to the change board" in detail
        response = client.post(f"/projects/{project.pk}/changes/1/submit/", follow=True)
        assert "CR-1 submitted to the change board." in messages_of(response)

        client.force_login(pmo)
        queue = client.get("/projects/changes/").content.decode()
        assert "Add the mobile app" in queue
        client.post(f"/projects/{project.pk}/changes/1/review/")
        response = client.post(
            f"/projects/{project.pk}/changes/1/approve/",
            {"comment": "Worth it for the regions."},
            follow=True,
        )
        assert "CR-1 approved" in messages_of(response)[-1]

        project.refresh_from_db()
        assert project.baseline_end == datetime.date(2026, 12, 31) + datetime.timedelta(days=30)
        assert project.planned_end == datetime.date(2027, 1, 30)
        assert project.baseline_budget == Decimal("300000.00")
        assert project.budget == Decimal("300000.00")
        assert project.history.first().history_change_reason == (
            "CR-1 approved: Add the mobile app"
        )
        change = ChangeRequest.objects.get(project=project, number=1)
        assert change.decided_by == pmo
        assert change.decision_comment == "Worth it for the regions."

        body = response.content.decode()
        assert "Approved" in body and "Worth it for the regions." in body
        # The request's history, oldest first: created, submitted, reviewed, approved.
        assert body.index("Created") < body.index("Draft → Submitted")
        assert body.index("Draft → Submitted") < body.index("Submitted → Under review")
        assert body.index("Submitted → Under review") < body.index("Under review → Approved")

        log = client.get(f"/projects/{project.pk}/changes/").content.decode()
        assert "CR-1" in log and "+30" in log and "Worth it for the regions." in log
        queue = client.get("/projects/changes/").content.decode()
        assert "Add the mobile app" not in queue

        client.force_login(pm)
        client.post(f"/projects/{project.pk}/changes/1/implement/")
        change.refresh_from_db()
        assert change.status == ChangeRequest.Status.IMPLEMENTED

    def test_approval_without_a_baseline_moves_the_plan(self, client, pm, pmo, project):
        change = request_change(project, pm)
        services.change_request_submit(change=change, by=pm)
        client.force_login(pmo)
        client.post(f"/projects/{project.pk}/changes/1/approve/")
        project.refresh_from_db()
        assert project.planned_end == datetime.date(2027, 1, 30)
        assert project.budget == Decimal("300000.00")
        assert project.baseline_end is None

    def test_a_rejection_needs_a_comment(self, client, pm, pmo, baselined):
        change = request_change(baselined, pm)
        services.change_request_submit(change=change, by=pm)
        client.force_login(pmo)
        response = client.post(f"/projects/{baselined.pk}/changes/1/reject/", {"comment": " "})
        assert response.status_code == 200
        assert response.context["decision_form"].errors["comment"] == [
            "Give the reason for the rejection."
        ]
        change.refresh_from_db()
        assert change.status == ChangeRequest.Status.SUBMITTED

        client.post(f"/projects/{baselined.pk}/changes/1/reject/", {"comment": "Not this year."})
        change.refresh_from_db()
        baselined.refresh_from_db()
        assert change.status == ChangeRequest.Status.REJECTED
        assert change.decision_comment == "Not this year."
        assert baselined.baseline_end == datetime.date(2026, 12, 31)

    def test_a_second_decision_is_refused_and_changes_nothing(self, client, pm, pmo, baselined):
        change = request_change(baselined, pm)
        services.change_request_submit(change=change, by=pm)
        client.force_login(pmo)
        client.post(f"/projects/{baselined.pk}/changes/1/approve/")
        response = client.post(f"/projects/{baselined.pk}/changes/1/approve/", follow=True)
        assert "decided already" in messages_of(response)[-1]
        response = client.post(
            f"/projects/{baselined.pk}/changes/1/reject/", {"comment": "No."}, follow=True
        )
        assert "decided already" in messages_of(response)[-1]
        baselined.refresh_from_db()
        change.refresh_from_db()
        assert baselined.baseline_end == datetime.date(2027, 1, 30)  # moved once, not twice
        assert change.status == ChangeRequest.Status.APPROVED

    def test_a_step_out_of_order_is_refused_with_a_message(self, client, pm, project):
        request_change(project, pm)
        client.force_login(pm)
        response = client.post(f"/projects/{project.pk}/changes/1/implement/", follow=True)
        assert "cannot be moved to Implemented" in messages_of(response)[-1]
        assert ChangeRequest.objects.get().status == ChangeRequest.Status.DRAFT

    def test_an_unknown_action_is_not_found(self, client, pm, pmo, project):
        request_change(project, pm)
        client.force_login(pmo)
        assert client.post(f"/projects/{project.pk}/changes/1/delete/").status_code == 404
        assert client.post(f"/projects/{project.pk}/changes/9/submit/").status_code == 404


class TestChangeForm:
    def test_a_schedule_impact_ending_before_the_start_is_refused_next_to_the_field(
        self, client, pm, baselined
    ):
        client.force_login(pm)
        response = client.post(
            f"/projects/{baselined.pk}/changes/new/", form_data(schedule_impact_days="-400")
        )
        assert response.status_code == 200
        errors = response.context["form"].errors["schedule_impact_days"]
        assert "before the start" in " ".join(errors)
        assert "Nothing was saved" in response.content.decode()
        assert not ChangeRequest.objects.exists()

    @pytest.mark.parametrize(
        ("overrides", "field", "message"),
        [
            ({"title": ""}, "title", "This field is required."),
            ({"reason": ""}, "reason", "This field is required."),
            ({"schedule_impact_days": "soon"}, "schedule_impact_days", "Enter a whole number."),
            ({"cost_impact": "lots"}, "cost_impact", "Enter a number."),
            ({"cost_impact": "-300000"}, "cost_impact", "The budget cannot become negative."),
            ({"title": "x" * 201}, "title", "at most 200 characters"),
        ],
    )
    def test_bad_input_is_refused_and_nothing_is_saved(
        self, client, pm, project, overrides, field, message
    ):
        client.force_login(pm)
        response = client.post(f"/projects/{project.pk}/changes/new/", form_data(**overrides))
        assert response.status_code == 200
        assert message in " ".join(response.context["form"].errors[field])
        assert not ChangeRequest.objects.exists()

    def test_the_manager_edits_a_draft(self, client, pm, project):
        request_change(project, pm)
        client.force_login(pm)
        response = client.post(
            f"/projects/{project.pk}/changes/1/edit/",
            form_data(title="Add the mobile and tablet apps", version=1),
        )
        assert response.status_code == 302
        change = ChangeRequest.objects.get()
        assert change.title == "Add the mobile and tablet apps"
        assert change.version == 2
        body = client.get(f"/projects/{project.pk}/changes/1/").content.decode()
        assert "Add the mobile app → Add the mobile and tablet apps" in body

    def test_a_stale_edit_is_refused(self, client, pm, pmo, project):
        request_change(project, pm)
        client.force_login(pmo)
        client.post(
            f"/projects/{project.pk}/changes/1/edit/", form_data(title="PMO title", version=1)
        )
        client.force_login(pm)
        response = client.post(
            f"/projects/{project.pk}/changes/1/edit/", form_data(title="My title", version=1)
        )
        assert response.status_code == 200
        assert "Someone else changed this change request" in response.content.decode()
        assert ChangeRequest.objects.get().title == "PMO title"

    def test_bad_input_on_edit_changes_nothing(self, client, pm, project):
        request_change(project, pm)
        client.force_login(pm)
        response = client.post(
            f"/projects/{project.pk}/changes/1/edit/",
            form_data(title="New", schedule_impact_days="-4000", version=1),
        )
        assert response.status_code == 200
        assert "schedule_impact_days" in response.context["form"].errors
        change = ChangeRequest.objects.get()
        assert (change.title, change.version) == ("Add the mobile app", 1)

    def test_only_a_draft_can_be_edited(self, client, pm, project):
        change = request_change(project, pm)
        services.change_request_submit(change=change, by=pm)
        client.force_login(pm)
        response = client.get(f"/projects/{project.pk}/changes/1/edit/", follow=True)
        assert "Only a draft change request can be edited." in messages_of(response)
        response = client.post(
            f"/projects/{project.pk}/changes/1/edit/", form_data(title="Late", version=2)
        )
        assert response.status_code == 200
        assert "Only a draft change request can be edited." in response.content.decode()
        assert ChangeRequest.objects.get().title == "Add the mobile app"


class TestChangeQueue:
    def test_it_lists_requests_awaiting_decision_oldest_first(
        self, client, pm, pmo, other_pm, project, others_project
    ):
        draft = request_change(project, pm, title="Still a draft")
        first = request_change(others_project, other_pm, title="First in")
        second = request_change(project, pm, title="Second in")
        services.change_request_submit(change=first, by=other_pm)
        services.change_request_submit(change=second, by=pm)
        ChangeRequest.history.filter(id=first.pk, status="submitted").update(
            history_date=datetime.datetime(2026, 1, 1, tzinfo=datetime.UTC)
        )
        client.force_login(pmo)
        response = client.get("/projects/changes/")
        body = response.content.decode()
        assert body.index("First in") < body.index("Second in")
        assert draft.title not in body
        days = [change.days_waiting for change in response.context["object_list"]]
        assert days[0] > 100 and days[1] == 0

    def test_it_filters_by_department_and_status(self, client, pm, pmo, project):
        other_department = DepartmentFactory(code="OPS", name="Operations")
        elsewhere = ProjectFactory(department=other_department, project_type=project.project_type)
        mine = request_change(project, pm, title="In finance")
        theirs = request_change(elsewhere, pmo, title="In operations")
        for change in (mine, theirs):
            services.change_request_submit(change=change, by=pmo)
        services.change_request_start_review(change=theirs, by=pmo)
        client.force_login(pmo)
        body = client.get("/projects/changes/", {"department": other_department.pk})
        body = body.content.decode()
        assert "In operations" in body and "In finance" not in body
        body = client.get("/projects/changes/", {"status": "submitted"}).content.decode()
        assert "In finance" in body and "In operations" not in body

    def test_it_pages_through_a_long_queue(self, client, pm, pmo, project):
        for number in range(30):
            change = request_change(project, pm, title=f"Change {number}")
            ChangeRequest.objects.filter(pk=change.pk).update(status="submitted")
        client.force_login(pmo)
        response = client.get("/projects/changes/", {"page": 2})
        assert len(response.context["object_list"]) == 5


class TestQueryCounts:
    @pytest.mark.parametrize("rows", [3, 30])
    def test_the_change_log_does_not_grow_with_requests(self, client, pm, pmo, project, rows):
        for _ in range(rows):
            change = request_change(project, pm)
            services.change_request_submit(change=change, by=pm)
            services.change_request_decide(change=change, by=pmo, approve=False, comment="No")
        client.force_login(pm)
        client.get(f"/projects/{project.pk}/changes/")
        with CaptureQueriesContext(connection) as queries:
            response = client.get(f"/projects/{project.pk}/changes/")
        assert response.content.decode().count("badge") >= rows
        assert len(queries) == 7, [q["sql"] for q in queries]

    @pytest.mark.parametrize("rows", [3, 30])
    def test_the_queue_does_not_grow_with_requests(
        self, client, pm, pmo, department, project_type, rows
    ):
        for _ in range(rows):
            project = ProjectFactory(manager=pm, department=department, project_type=project_type)
            services.change_request_submit(change=request_change(project, pm), by=pm)
        client.force_login(pmo)
        client.get("/projects/changes/")
        with CaptureQueriesContext(connection) as queries:
            client.get("/projects/changes/")
        assert len(queries) == 7, [q["sql"] for q in queries]

    @pytest.mark.parametrize("edits", [3, 30])
    def test_the_request_page_does_not_grow_with_its_history(self, client, pm, project, edits):
        change = request_change(project, pm)
        for number in range(edits):
            change = services.change_request_update(
                change=change, by=pm, version=change.version, title=f"Title {number}"
            )
        client.force_login(pm)
        client.get(f"/projects/{project.pk}/changes/1/")
        with CaptureQueriesContext(connection) as queries:
            response = client.get(f"/projects/{project.pk}/changes/1/")
        assert len(response.context["history"]) == edits + 1
        assert len(queries) == 8, [q["sql"] for q in queries]


def test_the_project_page_links_its_recent_requests(client, pm, project):
    request_change(project, pm)
    client.force_login(pm)
    body = client.get(f"/projects/{project.pk}/").content.decode()
    assert f'href="/projects/{project.pk}/changes/1/"' in body
    assert f'href="/projects/{project.pk}/changes/"' in body


def test_the_project_model_is_untouched_by_a_draft(pm, project):
    request_change(project, pm, schedule_impact_days=90)
    assert Project.objects.get(pk=project.pk).planned_end == datetime.date(2026, 12, 31)
