import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from projects.models import (
    ActionItem,
    GateCondition,
    GateDecision,
    GateSubmission,
    Meeting,
    ProjectPhase,
)
from projects.services import meetings as services
from projects.services.meetings import ActionInput
from projects.urls import meetings as meeting_urls
from tests.factories import ProjectFactory
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

TODAY = timezone.localdate()

# url -> expected status of a GET per persona (same order as PERSONAS). {pmo_meeting} was
# recorded by `pmo`, {own_meeting} by `pm` for their project, {other_meeting} by another project
# manager for theirs; {action} is owned by `pm`.
MATRIX = {
    "/projects/meetings/": READ,
    "/projects/meetings/new/": MANAGER_OR_PMO,
    "/projects/meetings/{pmo_meeting}/": READ,
    "/projects/meetings/{pmo_meeting}/edit/": PMO_ONLY,
    "/projects/meetings/{own_meeting}/edit/": MANAGER_OR_PMO,
    "/projects/meetings/{other_meeting}/edit/": PMO_ONLY,
    "/projects/actions/{action}/status/": POST_ONLY,
    "/projects/my-actions/": READ,
}

# Resolver patterns of projects/urls/meetings.py and the matrix rows that cover them.
PATTERN_ROWS = {
    "projects/meetings/": "/projects/meetings/",
    "projects/meetings/new/": "/projects/meetings/new/",
    "projects/meetings/<int:pk>/": "/projects/meetings/{pmo_meeting}/",
    "projects/meetings/<int:pk>/edit/": "/projects/meetings/{pmo_meeting}/edit/",
    "projects/actions/<int:action_pk>/status/": "/projects/actions/{action}/status/",
    "projects/my-actions/": "/projects/my-actions/",
}


def record_meeting(by, *, project=None, actions=(), decisions=(), **overrides):
    fields = {"kind": "project_review", "title": "Monthly review", "held_on": TODAY}
    return services.meeting_create(
        by=by, project=project, actions=actions, decisions=decisions, **{**fields, **overrides}
    )


def action_for(owner, due_date, description="Send the revised plan"):
    return ActionInput(description=description, owner=owner, due_date=due_date)


def gate_condition(project, owner, due_date, *, by, description="Sign the vendor contract"):
    """A condition of a conditional go on `project`'s first gate."""
    phase = ProjectPhase.objects.create(
        project=project, order=1, name="Initiation", gate_name="Initiation gate",
        gate_approver="pmo",
    )  # fmt: skip
    submission = GateSubmission.objects.create(phase=phase, submitted_by=project.manager)
    decision = GateDecision.objects.create(
        submission=submission, outcome="conditional_go", decided_by=by
    )
    return GateCondition.objects.create(
        decision=decision, description=description, owner=owner, due_date=due_date
    )


def form_data(*, actions=(), **overrides):
    data = {
        "kind": "project_review",
        "title": "March review",
        "held_on": "2026-03-10",
        "project": "",
        "gate_submission": "",
        "attendees": [],
        "minutes": "We went through the plan.",
        "decisions": "",
        "actions-TOTAL_FORMS": "5",
        "actions-INITIAL_FORMS": "0",
        "actions-MIN_NUM_FORMS": "0",
        "actions-MAX_NUM_FORMS": "5",
    }
    for index, row in enumerate(actions):
        for name, value in row.items():
            data[f"actions-{index}-{name}"] = value
    return {**data, **overrides}


def messages_of(response) -> list[str]:
    return [str(message) for message in response.context["messages"]]


class TestPermissions:
    def test_every_meeting_page_is_in_the_matrix(self):
        assert set(resolver_patterns(meeting_urls.urlpatterns, "projects/")) == set(PATTERN_ROWS)
        assert set(PATTERN_ROWS.values()) <= set(MATRIX)

    @pytest.mark.parametrize("url_template", list(MATRIX))
    @pytest.mark.parametrize("persona", PERSONAS)
    def test_each_persona_gets_the_expected_status(
        self, client, request, pm, pmo, other_pm, project, others_project, url_template, persona
    ):
        pmo_meeting = record_meeting(pmo, actions=[action_for(pm, TODAY)])
        own_meeting = record_meeting(pm, project=project)
        other_meeting = record_meeting(other_pm, project=others_project)
        check_page(
            client, request, MATRIX, url_template, persona, pmo_meeting=pmo_meeting.pk,
            own_meeting=own_meeting.pk, other_meeting=other_meeting.pk,
            action=pmo_meeting.actions.get().pk,
        )  # fmt: skip

    @pytest.mark.parametrize(("url_template", "persona"), refused(MATRIX))
    def test_a_persona_refused_a_page_is_refused_by_post_too(
        self, client, request, pm, pmo, other_pm, project, others_project, url_template, persona
    ):
        pmo_meeting = record_meeting(pmo, actions=[action_for(pm, TODAY)])
        own_meeting = record_meeting(pm, project=project)
        other_meeting = record_meeting(other_pm, project=others_project)
        check_refused_post(
            client, request, MATRIX, url_template, persona, pmo_meeting=pmo_meeting.pk,
            own_meeting=own_meeting.pk, other_meeting=other_meeting.pk,
            action=pmo_meeting.actions.get().pk,
        )  # fmt: skip

    @pytest.mark.parametrize("persona", ["executive", "resource_manager"])
    def test_read_only_roles_cannot_record_by_post(self, client, executive, resource_manager,
                                                   persona):  # fmt: skip
        client.force_login({"executive": executive, "resource_manager": resource_manager}[persona])
        assert client.post("/projects/meetings/new/", form_data()).status_code == 403
        assert not Meeting.objects.exists()

    def test_a_project_manager_cannot_edit_a_meeting_of_the_pmo(self, client, pm, pmo):
        meeting = record_meeting(pmo)
        client.force_login(pm)
        response = client.post(
            f"/projects/meetings/{meeting.pk}/edit/", form_data(title="Mine", version=1)
        )
        assert response.status_code == 403
        meeting.refresh_from_db()
        assert meeting.title == "Monthly review"


class TestRecordMeeting:
    def test_a_project_manager_records_a_review_of_their_project(
        self, client, pm, pmo, executive, project
    ):
        client.force_login(pm)
        assert client.get("/projects/meetings/new/").status_code == 200
        response = client.post(
            "/projects/meetings/new/",
            form_data(
                project=project.pk,
                attendees=[pm.pk, executive.pk],
                decisions="Keep the go-live date.\n\n  Hire a second tester.  \n",
                actions=[
                    {
                        "description": "Update the risk log",
                        "owner": pm.pk,
                        "due_date": "2026-03-20",
                    },
                    {
                        "description": "Approve the tester",
                        "owner": executive.pk,
                        "due_date": "2026-03-17",
                    },
                ],  # fmt: skip
            ),
        )
        meeting = Meeting.objects.get()
        assert response.status_code == 302
        assert response["Location"] == f"/projects/meetings/{meeting.pk}/"
        assert meeting.project == project and meeting.created_by == pm
        assert set(meeting.attendees.all()) == {pm, executive}
        assert list(meeting.decisions.values_list("description", flat=True)) == [
            "Keep the go-live date.", "Hire a second tester.",
        ]  # fmt: skip
        assert meeting.actions.count() == 2

        body = client.get(response["Location"]).content.decode()
        assert "Hire a second tester." in body
        assert "Approve the tester" in body and "Chen Jing" in body
        assert "We went through the plan." in body

    def test_a_project_manager_cannot_record_for_another_managers_project(
        self, client, pm, others_project
    ):
        client.force_login(pm)
        body = client.get("/projects/meetings/new/").content.decode()
        assert "Warehouse automation" not in body
        response = client.post("/projects/meetings/new/", form_data(project=others_project.pk))
        assert response.status_code == 200
        assert "Select a valid choice" in " ".join(response.context["form"].errors["project"])
        assert not Meeting.objects.exists()

    def test_the_pmo_records_a_portfolio_review_without_a_project(self, client, pmo):
        client.force_login(pmo)
        client.post("/projects/meetings/new/", form_data(kind="portfolio_review"))
        meeting = Meeting.objects.get()
        assert meeting.project is None and meeting.kind == "portfolio_review"

    def test_a_gate_review_takes_its_project_from_the_submission(self, client, pmo, project):
        condition = gate_condition(project, pmo, TODAY, by=pmo)
        submission = condition.decision.submission
        client.force_login(pmo)
        client.post(
            "/projects/meetings/new/", form_data(kind="gate_review", gate_submission=submission.pk)
        )
        meeting = Meeting.objects.get()
        assert (meeting.gate_submission, meeting.project) == (submission, project)

    def test_an_action_row_without_an_owner_is_refused_and_nothing_is_saved(self, client, pm):
        client.force_login(pm)
        response = client.post(
            "/projects/meetings/new/",
            form_data(
                decisions="A decision that must not be saved alone.",
                actions=[
                    {"description": "Fine", "owner": pm.pk, "due_date": "2026-03-20"},
                    {"description": "Nobody's", "owner": "", "due_date": "2026-03-20"},
                ],
            ),
        )
        assert response.status_code == 200
        formset = response.context["actions_formset"]
        assert formset.errors[1]["owner"] == ["This field is required."]
        assert "Nothing was saved" in response.content.decode()
        assert not Meeting.objects.exists()
        assert not ActionItem.objects.exists()

    @pytest.mark.parametrize(
        ("overrides", "field", "message"),
        [
            ({"title": ""}, "title", "This field is required."),
            ({"held_on": "next week"}, "held_on", "Enter a valid date."),
            ({"kind": "party"}, "kind", "Select a valid choice."),
            ({"attendees": ["999999"]}, "attendees", "Select a valid choice."),
            ({"title": "x" * 201}, "title", "at most 200 characters"),
        ],
    )
    def test_bad_input_is_refused_next_to_the_field(self, client, pm, overrides, field, message):
        client.force_login(pm)
        response = client.post("/projects/meetings/new/", form_data(**overrides))
        assert response.status_code == 200
        assert message in " ".join(response.context["form"].errors[field])
        assert not Meeting.objects.exists()

    @pytest.mark.parametrize(
        ("row", "field", "message"),
        [
            ({"description": "", "owner": "PM", "due_date": "2026-03-20"}, "description",
             "This field is required."),
            ({"description": "Call", "owner": "PM", "due_date": "tomorrow"}, "due_date",
             "Enter a valid date."),
            ({"description": "Call", "owner": "999999", "due_date": "2026-03-20"}, "owner",
             "Select a valid choice."),
            ({"description": "x" * 301, "owner": "PM", "due_date": "2026-03-20"}, "description",
             "at most 300 characters"),
        ],
    )  # fmt: skip
    def test_bad_action_rows_are_refused_next_to_the_field(self, client, pm, row, field, message):
        row = {name: pm.pk if value == "PM" else value for name, value in row.items()}
        client.force_login(pm)
        response = client.post("/projects/meetings/new/", form_data(actions=[row]))
        assert response.status_code == 200
        assert message in " ".join(response.context["actions_formset"].errors[0][field])
        assert not Meeting.objects.exists()

    def test_more_than_five_action_rows_are_refused(self, client, pm):
        rows = [{"description": f"Step {n}", "owner": pm.pk, "due_date": "2026-03-20"}
                for n in range(6)]  # fmt: skip
        client.force_login(pm)
        response = client.post(
            "/projects/meetings/new/", form_data(actions=rows, **{"actions-TOTAL_FORMS": "6"})
        )
        assert response.status_code == 200
        assert response.context["actions_formset"].non_form_errors()
        assert not Meeting.objects.exists()

    def test_a_gate_submission_of_another_project_is_refused(
        self, client, pmo, project, others_project
    ):
        submission = gate_condition(others_project, pmo, TODAY, by=pmo).decision.submission
        client.force_login(pmo)
        response = client.post(
            "/projects/meetings/new/",
            form_data(project=project.pk, gate_submission=submission.pk),
        )
        assert response.status_code == 200
        assert response.context["form"].errors["gate_submission"] == [
            "This gate submission belongs to another project."
        ]
        assert not Meeting.objects.exists()


class TestEditMeeting:
    def test_editing_adds_decisions_and_actions_to_those_recorded(self, client, pm, project):
        meeting = record_meeting(
            pm, project=project, decisions=["First decision"], actions=[action_for(pm, TODAY)]
        )
        client.force_login(pm)
        assert (
            "First decision"
            in client.get(f"/projects/meetings/{meeting.pk}/edit/").content.decode()
        )
        response = client.post(
            f"/projects/meetings/{meeting.pk}/edit/",
            form_data(
                project=project.pk, title="Monthly review (March)", version=1,
                decisions="Second decision",
                actions=[{"description": "Book the room", "owner": pm.pk,
                          "due_date": "2026-04-01"}],
            ),
        )  # fmt: skip
        assert response.status_code == 302
        meeting.refresh_from_db()
        assert meeting.title == "Monthly review (March)"
        assert meeting.version == 2
        assert list(meeting.decisions.values_list("description", flat=True)) == [
            "First decision", "Second decision",
        ]  # fmt: skip
        assert meeting.actions.count() == 2

    def test_a_stale_edit_is_refused(self, client, pm, pmo, project):
        meeting = record_meeting(pm, project=project)
        client.force_login(pmo)
        client.post(
            f"/projects/meetings/{meeting.pk}/edit/",
            form_data(project=project.pk, title="PMO title", version=1),
        )
        client.force_login(pm)
        response = client.post(
            f"/projects/meetings/{meeting.pk}/edit/",
            form_data(project=project.pk, title="My title", version=1, decisions="Lost"),
        )
        assert response.status_code == 200
        assert "Someone else changed this meeting" in response.content.decode()
        meeting.refresh_from_db()
        assert meeting.title == "PMO title"
        assert not meeting.decisions.exists()

    def test_bad_input_on_edit_changes_nothing(self, client, pm, project):
        meeting = record_meeting(pm, project=project)
        client.force_login(pm)
        response = client.post(
            f"/projects/meetings/{meeting.pk}/edit/",
            form_data(project=project.pk, title="", version=1, decisions="Lost"),
        )
        assert response.status_code == 200
        meeting.refresh_from_db()
        assert (meeting.title, meeting.version) == ("Monthly review", 1)
        assert not meeting.decisions.exists()


class TestActions:
    def test_the_owner_marks_an_action_done(self, client, pm, pmo):
        meeting = record_meeting(pmo, actions=[action_for(pm, TODAY)])
        action = meeting.actions.get()
        client.force_login(pm)
        response = client.post(f"/projects/actions/{action.pk}/status/", {"status": "done"})
        assert response.status_code == 302
        assert response["Location"] == f"/projects/meetings/{meeting.pk}/"
        action.refresh_from_db()
        assert action.status == "done" and action.completed_at is not None

    def test_it_returns_to_the_page_it_came_from_but_never_elsewhere(self, client, pm, pmo):
        action = record_meeting(pmo, actions=[action_for(pm, TODAY)]).actions.get()
        client.force_login(pm)
        url = f"/projects/actions/{action.pk}/status/"
        response = client.post(url, {"status": "done", "next": "/projects/my-actions/"})
        assert response["Location"] == "/projects/my-actions/"
        response = client.post(url, {"status": "open", "next": "https://evil.example.com/"})
        assert response["Location"] == f"/projects/meetings/{action.meeting_id}/"

    def test_someone_else_cannot_change_the_status(self, client, pm, pmo, other_pm, executive):
        action = record_meeting(pmo, actions=[action_for(pm, TODAY)]).actions.get()
        for user in (other_pm, executive):
            client.force_login(user)
            response = client.post(f"/projects/actions/{action.pk}/status/", {"status": "done"})
            assert response.status_code == 403
        action.refresh_from_db()
        assert action.status == "open"

    def test_a_bad_status_is_refused(self, client, pm, pmo):
        action = record_meeting(pmo, actions=[action_for(pm, TODAY)]).actions.get()
        client.force_login(pm)
        response = client.post(
            f"/projects/actions/{action.pk}/status/", {"status": "forgotten"}, follow=True
        )
        assert "Choose a status. Nothing was changed." in messages_of(response)
        action.refresh_from_db()
        assert action.status == "open"

    def test_overdue_actions_are_marked_in_words(self, client, pm, pmo, executive):
        meeting = record_meeting(
            pmo,
            actions=[
                action_for(pm, TODAY - datetime.timedelta(days=3), "Late one"),
                action_for(pm, TODAY + datetime.timedelta(days=3), "On time"),
            ],
        )
        client.force_login(executive)
        response = client.get(f"/projects/meetings/{meeting.pk}/")
        body = response.content.decode()
        assert body.count("Overdue") == 1
        assert body.index("Late one") < body.index("Overdue") < body.index("On time")
        # Read-only roles see the status, not the form to change it.
        assert "/status/" not in body


class TestMeetingList:
    def test_it_filters_by_kind_and_project_and_counts_decisions_and_open_actions(
        self, client, pm, pmo, project, others_project
    ):
        record_meeting(
            pm, project=project, title="ERP review", decisions=["One", "Two"],
            actions=[action_for(pm, TODAY), action_for(pm, TODAY), action_for(pm, TODAY)],
        )  # fmt: skip
        ActionItem.objects.filter(pk=ActionItem.objects.first().pk).update(status="done")
        record_meeting(pmo, project=others_project, title="Warehouse review")
        record_meeting(pmo, kind="portfolio_review", title="Quarterly portfolio")
        client.force_login(pmo)
        response = client.get("/projects/meetings/", {"q": "erp"})
        rows = list(response.context["object_list"])
        assert [m.title for m in rows] == ["ERP review"]
        assert (rows[0].decision_count, rows[0].open_action_count) == (2, 2)
        response = client.get("/projects/meetings/", {"q": "PRJ-00002"})
        assert [m.title for m in response.context["object_list"]] == ["Warehouse review"]
        response = client.get("/projects/meetings/", {"kind": "portfolio_review"})
        assert [m.title for m in response.context["object_list"]] == ["Quarterly portfolio"]

    def test_it_lists_the_newest_meeting_first(self, client, pmo):
        record_meeting(pmo, title="Older", held_on=TODAY - datetime.timedelta(days=7))
        record_meeting(pmo, title="Newer")
        client.force_login(pmo)
        response = client.get("/projects/meetings/")
        assert [m.title for m in response.context["object_list"]] == ["Newer", "Older"]

    def test_it_pages_through_many_meetings(self, client, pmo):
        for number in range(30):
            record_meeting(pmo, title=f"Meeting {number}")
        client.force_login(pmo)
        response = client.get("/projects/meetings/", {"page": 2})
        assert len(response.context["object_list"]) == 5
        assert "Page 2 of 2" in response.content.decode()


class TestMyActions:
    def test_it_lists_open_actions_and_conditions_overdue_first(
        self, client, pm, pmo, other_pm, project
    ):
        record_meeting(
            pmo,
            title="Steering",
            actions=[
                action_for(pm, TODAY + datetime.timedelta(days=5), "Due next week"),
                action_for(other_pm, TODAY, "Not mine"),
            ],
        )
        condition = gate_condition(
            project, pm, TODAY - datetime.timedelta(days=2), by=pmo, description="Late condition"
        )
        client.force_login(pm)
        response = client.get("/projects/my-actions/")
        body = response.content.decode()
        assert "Not mine" not in body
        assert body.index("Late condition") < body.index("Due next week")
        late_row = body[body.rindex("<tr", 0, body.index("Late condition")) :]
        assert "Overdue" in late_row[: late_row.index("</tr>")]
        assert f'href="/projects/{project.pk}/lifecycle/"' in body
        assert f"/projects/conditions/{condition.pk}/met/" in body
        assert "Steering" in body
        assert response.context["overdue_count"] == 1

    def test_done_items_of_the_last_30_days_are_listed_below(self, client, pm, pmo, project):
        meeting = record_meeting(
            pmo,
            actions=[action_for(pm, TODAY, "Done lately"), action_for(pm, TODAY, "Done long ago")],
        )
        recent, old = meeting.actions.order_by("pk")
        ActionItem.objects.filter(pk=recent.pk).update(status="done", completed_at=timezone.now())
        ActionItem.objects.filter(pk=old.pk).update(
            status="done", completed_at=timezone.now() - datetime.timedelta(days=40)
        )
        condition = gate_condition(project, pm, TODAY, by=pmo, description="Condition met")
        GateCondition.objects.filter(pk=condition.pk).update(status="met", met_at=timezone.now())
        client.force_login(pm)
        response = client.get("/projects/my-actions/")
        assert response.context["open_items"] == []
        # Newest first: the condition was met after the action was done.
        assert [item.description for item in response.context["done_items"]] == [
            "Condition met", "Done lately",
        ]  # fmt: skip
        assert "Done long ago" not in response.content.decode()


class TestQueryCounts:
    @pytest.mark.parametrize("rows", [3, 30])
    def test_the_meeting_list_does_not_grow_with_meetings(
        self, client, pm, pmo, department, project_type, rows
    ):
        for number in range(rows):
            project = ProjectFactory(manager=pm, department=department, project_type=project_type)
            record_meeting(
                pmo, project=project, title=f"Review {number}", decisions=["Go on"],
                actions=[action_for(pm, TODAY)],
            )  # fmt: skip
        client.force_login(pmo)
        client.get("/projects/meetings/")
        with CaptureQueriesContext(connection) as queries:
            client.get("/projects/meetings/")
        assert len(queries) == 6, [q["sql"] for q in queries]

    @pytest.mark.parametrize("rows", [3, 30])
    def test_my_actions_do_not_grow_with_items(
        self, client, pm, pmo, department, project_type, rows
    ):
        for number in range(rows):
            project = ProjectFactory(manager=pm, department=department, project_type=project_type)
            meeting = record_meeting(
                pmo, project=project, title=f"Review {number}",
                actions=[action_for(pm, TODAY), action_for(pm, TODAY)],
            )  # fmt: skip
            ActionItem.objects.filter(pk=meeting.actions.first().pk).update(
                status="done", completed_at=timezone.now()
            )
            gate_condition(project, pm, TODAY - datetime.timedelta(days=1), by=pmo)
        client.force_login(pm)
        client.get("/projects/my-actions/")
        with CaptureQueriesContext(connection) as queries:
            response = client.get("/projects/my-actions/")
        assert len(response.context["open_items"]) == 2 * rows
        assert len(queries) == 8, [q["sql"] for q in queries]
