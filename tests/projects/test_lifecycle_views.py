"""The lifecycle pages over HTTP: joining a lifecycle, evidence, gate submissions and decisions,
passing a gate without approval, conditions and milestones, for every persona."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext

from projects.forms.lifecycle import EVIDENCE_MAX_BYTES
from projects.models import (
    GateCondition,
    GateDecision,
    GateSubmission,
    Milestone,
    Project,
    ProjectChecklistItem,
    ProjectPhase,
)
from projects.services import lifecycle
from projects.urls import lifecycle as lifecycle_urls
from tests.factories import ProjectFactory, UserFactory, published_template, set_governance_mode
from tests.permission_matrix import (
    LOGIN,
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

GIVEN_LINK = "https://docs.example.com/charter"


@pytest.fixture(autouse=True)
def media_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def template(pmo):
    template = published_template(by=pmo)
    # A first gate that asks for a file too, so the flow uploads one.
    lifecycle.template_checklist_item_save(
        template=template, by=pmo, phase=template.phases.get(order=1), title="Business case",
        mandatory=True, evidence="file", kind="deliverable",
    )  # fmt: skip
    return template


@pytest.fixture
def on_lifecycle(project, template, pm):
    lifecycle.project_join_lifecycle(project=project, by=pm, template=template)
    project.refresh_from_db()
    return project


def item(project, title) -> ProjectChecklistItem:
    return ProjectChecklistItem.objects.get(phase__project=project, title=title)


def give_all_mandatory_evidence(project, by):
    for mandatory in project.current_phase.checklist.filter(mandatory=True):
        lifecycle.checklist_item_give_evidence(
            item=mandatory,
            by=by,
            link=GIVEN_LINK,
            file=SimpleUploadedFile("case.pdf", b"%PDF-1.4 case")
            if mandatory.evidence == "file"
            else None,
        )


def decision_data(outcome, comments="", conditions=()):
    """The decision form's POST data with the five condition rows, `conditions` filled in."""
    data = {
        "outcome": outcome,
        "comments": comments,
        "conditions-TOTAL_FORMS": "5",
        "conditions-INITIAL_FORMS": "0",
        "conditions-MIN_NUM_FORMS": "0",
        "conditions-MAX_NUM_FORMS": "5",
    }
    for index, row in enumerate(conditions):
        for name, value in row.items():
            data[f"conditions-{index}-{name}"] = value
    return data


def submitted(project, by):
    return lifecycle.gate_submit(phase=project.current_phase, by=by)


class TestTheGateFlow:
    def test_a_manager_takes_a_project_through_its_first_gate_and_the_pmo_approves(
        self, client, pm, pmo, project, template
    ):
        set_governance_mode("controlling")
        client.force_login(pm)
        page = client.get(f"/projects/{project.pk}/lifecycle/")
        assert page.status_code == 200
        assert "Put the project on this lifecycle" in page.content.decode()

        response = client.post(f"/projects/{project.pk}/lifecycle/join/", {"template": template.pk})
        assert response.status_code == 302
        project.refresh_from_db()
        assert project.current_phase.name == "Initiation"

        link_item = item(project, "Initiation item 1")
        response = client.post(
            f"/projects/{project.pk}/checklist/{link_item.pk}/evidence/",
            {"link": GIVEN_LINK, "note": "Signed by the board."},
        )
        assert response.status_code == 302
        file_item = item(project, "Business case")
        upload = SimpleUploadedFile("business-case.pdf", b"%PDF-1.4 plan", "application/pdf")
        response = client.post(
            f"/projects/{project.pk}/checklist/{file_item.pk}/evidence/", {"file": upload}
        )
        assert response.status_code == 302

        body = client.get(f"/projects/{project.pk}/lifecycle/").content.decode()
        assert GIVEN_LINK in body
        assert "Signed by the board." in body
        assert "Download the file" in body
        assert "by Li Wei" in body
        download = client.get(f"/projects/{project.pk}/checklist/{file_item.pk}/file/")
        assert b"".join(download.streaming_content) == b"%PDF-1.4 plan"
        assert "attachment" in download["Content-Disposition"]

        form = client.get(f"/projects/{project.pk}/phases/{project.current_phase_id}/submit/")
        assert "Mandatory items" not in form.content.decode()
        response = client.post(
            f"/projects/{project.pk}/phases/{project.current_phase_id}/submit/",
            {"note": "Ready for the charter review."},
        )
        assert response.status_code == 302
        submission = GateSubmission.objects.get(phase__project=project)
        assert submission.status == GateSubmission.Status.PENDING

        client.force_login(pmo)
        queue = client.get("/projects/gates/").content.decode()
        assert "PRJ-00001" in queue and "Initiation gate" in queue
        decide = client.get(f"/projects/gates/{submission.pk}/decide/").content.decode()
        assert "Ready for the charter review." in decide
        assert GIVEN_LINK in decide
        response = client.post(f"/projects/gates/{submission.pk}/decide/", decision_data("go"))
        assert response.status_code == 302
        assert response["Location"] == f"/projects/{project.pk}/lifecycle/"

        project.refresh_from_db()
        assert project.current_phase.order == 2
        assert project.current_phase.name == "Planning"
        body = client.get(f"/projects/{project.pk}/lifecycle/").content.decode()
        assert "Current phase: Planning" in body
        assert "Paula Ortiz" in body
        assert "Ready for the charter review." in body

    def test_the_project_page_links_to_the_lifecycle(self, client, pm, on_lifecycle):
        client.force_login(pm)
        body = client.get(f"/projects/{on_lifecycle.pk}/").content.decode()
        assert f'href="/projects/{on_lifecycle.pk}/lifecycle/"' in body

    def test_the_methodologys_current_template_is_proposed(self, client, pm, project, template):
        project.methodology = template.methodology
        project.save()
        client.force_login(pm)
        form = client.get(f"/projects/{project.pk}/lifecycle/").context["join_form"]
        assert form["template"].value() == template.pk

    def test_readers_see_the_lifecycle_without_the_buttons(self, client, executive, on_lifecycle):
        client.force_login(executive)
        body = client.get(f"/projects/{on_lifecycle.pk}/lifecycle/").content.decode()
        assert "Initiation item 1" in body
        assert "Give evidence" not in body
        assert "Submit gate" not in body
        assert "Add milestone" not in body

    def test_readers_of_a_project_without_lifecycle_get_no_join_form(
        self, client, executive, project, template
    ):
        client.force_login(executive)
        response = client.get(f"/projects/{project.pk}/lifecycle/")
        assert response.context["join_form"] is None
        assert "This project is not on a lifecycle yet." in response.content.decode()


class TestGovernance:
    def test_controlling_pmo_refuses_an_incomplete_submission(self, client, pm, on_lifecycle):
        set_governance_mode("controlling")
        client.force_login(pm)
        url = f"/projects/{on_lifecycle.pk}/phases/{on_lifecycle.current_phase_id}/submit/"
        page = client.get(url).content.decode()
        assert "The PMO accepts a gate only with every mandatory item" in page
        response = client.post(url, {"note": "Please"})
        assert response.status_code == 200
        errors = " ".join(response.context["form"].non_field_errors())
        assert "Mandatory items are missing: Initiation item 1, Business case." in errors
        assert not GateSubmission.objects.exists()
        assert ProjectPhase.objects.get(pk=on_lifecycle.current_phase_id).gate_status == "open"

    def test_directive_pmo_refuses_an_incomplete_submission_too(self, client, pm, on_lifecycle):
        set_governance_mode("directive")
        client.force_login(pm)
        url = f"/projects/{on_lifecycle.pk}/phases/{on_lifecycle.current_phase_id}/submit/"
        assert "Mandatory items are missing" in client.post(url, {}).content.decode()
        assert not GateSubmission.objects.exists()

    def test_supportive_pmo_warns_then_records_what_was_missing(self, client, pm, on_lifecycle):
        set_governance_mode("supportive")
        client.force_login(pm)
        url = f"/projects/{on_lifecycle.pk}/phases/{on_lifecycle.current_phase_id}/submit/"
        page = client.get(url)
        assert page.context["missing"] == ["Initiation item 1", "Business case"]
        assert "You may submit anyway" in page.content.decode()
        assert client.post(url, {"note": ""}).status_code == 302
        submission = GateSubmission.objects.get()
        assert submission.missing_mandatory == "Initiation item 1\nBusiness case"
        body = client.get(f"/projects/{on_lifecycle.pk}/lifecycle/").content.decode()
        assert "Mandatory items missing at submission:" in body

    def test_controlling_pmo_refuses_a_skip_and_hides_its_button(self, client, pm, on_lifecycle):
        set_governance_mode("controlling")
        client.force_login(pm)
        body = client.get(f"/projects/{on_lifecycle.pk}/lifecycle/").content.decode()
        assert "Pass gate without approval" not in body
        response = client.post(f"/projects/{on_lifecycle.pk}/advance/", {"reason": "Urgent"})
        assert response.status_code == 200
        assert "a project leaves a phase only through an approved gate" in " ".join(
            response.context["form"].non_field_errors()
        )
        on_lifecycle.refresh_from_db()
        assert on_lifecycle.current_phase.order == 1

    def test_supportive_pmo_lets_the_manager_skip_with_a_reason(self, client, pm, on_lifecycle):
        set_governance_mode("supportive")
        client.force_login(pm)
        body = client.get(f"/projects/{on_lifecycle.pk}/lifecycle/").content.decode()
        assert "Pass gate without approval" in body
        response = client.post(
            f"/projects/{on_lifecycle.pk}/advance/", {"reason": "The board met informally."}
        )
        assert response.status_code == 302
        on_lifecycle.refresh_from_db()
        assert on_lifecycle.current_phase.order == 2
        first = on_lifecycle.phases.get(order=1)
        assert first.gate_status == ProjectPhase.GateStatus.SKIPPED
        assert "The board met informally." in on_lifecycle.history.first().history_change_reason

    def test_a_skip_needs_a_reason(self, client, pm, on_lifecycle):
        set_governance_mode("supportive")
        client.force_login(pm)
        response = client.post(f"/projects/{on_lifecycle.pk}/advance/", {"reason": "  "})
        assert response.status_code == 200
        assert response.context["form"].errors["reason"] == ["This field is required."]
        on_lifecycle.refresh_from_db()
        assert on_lifecycle.current_phase.order == 1


class TestDecisions:
    def test_a_conditional_go_records_its_conditions(self, client, pm, pmo, other_pm, on_lifecycle):
        give_all_mandatory_evidence(on_lifecycle, pm)
        submission = submitted(on_lifecycle, pm)
        client.force_login(pmo)
        data = decision_data(
            "conditional_go",
            "Go, once the risks are logged.",
            [
                {"description": "Log the top risks", "owner": pm.pk, "due_date": "2026-03-01"},
                {"description": "Name a deputy", "owner": other_pm.pk, "due_date": "2026-03-15"},
            ],
        )
        response = client.post(f"/projects/gates/{submission.pk}/decide/", data)
        assert response.status_code == 302
        decision = GateDecision.objects.get(submission=submission)
        assert decision.outcome == "conditional_go"
        assert [(c.description, c.owner, c.due_date) for c in decision.conditions.all()] == [
            ("Log the top risks", pm, datetime.date(2026, 3, 1)),
            ("Name a deputy", other_pm, datetime.date(2026, 3, 15)),
        ]
        on_lifecycle.refresh_from_db()
        assert on_lifecycle.current_phase.order == 2

        client.force_login(pm)
        body = client.get(f"/projects/{on_lifecycle.pk}/lifecycle/").content.decode()
        assert "Log the top risks" in body and "Anna Berg" in body
        condition = decision.conditions.get(description="Log the top risks")
        response = client.post(f"/projects/conditions/{condition.pk}/met/")
        assert response.status_code == 302
        condition.refresh_from_db()
        assert condition.status == GateCondition.Status.MET

    def test_a_condition_row_without_owner_is_refused_and_nothing_is_saved(
        self, client, pm, pmo, on_lifecycle
    ):
        give_all_mandatory_evidence(on_lifecycle, pm)
        submission = submitted(on_lifecycle, pm)
        client.force_login(pmo)
        data = decision_data(
            "conditional_go",
            "Conditions below.",
            [{"description": "Log the top risks", "owner": "", "due_date": "2026-03-01"}],
        )
        response = client.post(f"/projects/gates/{submission.pk}/decide/", data)
        assert response.status_code == 200
        assert response.context["formset"].errors[0]["owner"] == ["This field is required."]
        assert "Nothing was saved" in response.content.decode()
        assert not GateDecision.objects.exists()
        submission.refresh_from_db()
        assert submission.status == GateSubmission.Status.PENDING

    @pytest.mark.parametrize(
        ("data", "where", "message"),
        [
            (decision_data(""), "outcome", "This field is required."),
            (decision_data("maybe"), "outcome", "Select a valid choice."),
            (decision_data("hold"), "comments", "Explain the decision in a comment."),
            (
                decision_data("conditional_go", "Fine"),
                "conditions",
                "A conditional go needs at least one condition.",
            ),
            (
                decision_data(
                    "go", "", [{"description": "X", "owner": "", "due_date": "2026-03-01"}]
                ),
                "formset",
                "This field is required.",
            ),
            (
                decision_data(
                    "conditional_go", "Fine", [{"description": "X", "due_date": "not a date"}]
                ),
                "formset",
                "Enter a valid date.",
            ),
        ],
    )
    def test_bad_decisions_are_refused_next_to_the_field(
        self, client, pm, pmo, on_lifecycle, data, where, message
    ):
        set_governance_mode("supportive")
        submission = submitted(on_lifecycle, pm)
        client.force_login(pmo)
        response = client.post(f"/projects/gates/{submission.pk}/decide/", data)
        assert response.status_code == 200
        if where == "conditions":
            assert response.context["condition_errors"] == [message]
        elif where == "formset":
            assert message in str(response.context["formset"].errors)
        else:
            assert message in " ".join(response.context["form"].errors[where])
        assert not GateDecision.objects.exists()
        on_lifecycle.refresh_from_db()
        assert on_lifecycle.current_phase.order == 1

    def test_conditions_with_another_decision_are_refused(self, client, pm, pmo, on_lifecycle):
        set_governance_mode("supportive")
        submission = submitted(on_lifecycle, pm)
        client.force_login(pmo)
        data = decision_data(
            "go", "", [{"description": "Log risks", "owner": pm.pk, "due_date": "2026-03-01"}]
        )
        response = client.post(f"/projects/gates/{submission.pk}/decide/", data)
        assert response.status_code == 200
        assert "Only a conditional go has conditions" in response.content.decode()
        assert not GateDecision.objects.exists()

    def test_a_second_decision_finds_the_first_and_changes_nothing(
        self, client, pm, pmo, pmo_admin, on_lifecycle
    ):
        set_governance_mode("supportive")
        submission = submitted(on_lifecycle, pm)
        client.force_login(pmo)
        client.get(f"/projects/gates/{submission.pk}/decide/")  # both open the form
        lifecycle.gate_decide(
            submission=submission, by=pmo_admin, outcome="recycle", comments="Redo the plan."
        )
        response = client.post(
            f"/projects/gates/{submission.pk}/decide/", decision_data("go"), follow=True
        )
        body = response.content.decode()
        assert "Someone else decided this gate first. Their decision stands." in body
        assert "Redo the plan." in body
        assert response.context["decision"].outcome == "recycle"
        assert GateDecision.objects.get().decided_by == pmo_admin
        on_lifecycle.refresh_from_db()
        assert on_lifecycle.current_phase.order == 1
        assert on_lifecycle.current_phase.gate_status == ProjectPhase.GateStatus.RECYCLED

    def test_a_decision_that_loses_the_race_in_the_service_says_so(
        self, client, pm, pmo, on_lifecycle, monkeypatch
    ):
        set_governance_mode("supportive")
        submission = submitted(on_lifecycle, pm)

        def decided_meanwhile(**kwargs):
            raise lifecycle.GateAlreadyDecided(
                "Someone else decided this gate first. Their decision stands."
            )

        monkeypatch.setattr(lifecycle, "gate_decide", decided_meanwhile)
        client.force_login(pmo)
        response = client.post(
            f"/projects/gates/{submission.pk}/decide/", decision_data("go"), follow=True
        )
        assert "Someone else decided this gate first." in response.content.decode()
        assert not GateDecision.objects.exists()

    def test_a_recycled_gate_can_be_submitted_again(self, client, pm, pmo, on_lifecycle):
        set_governance_mode("supportive")
        submission = submitted(on_lifecycle, pm)
        lifecycle.gate_decide(submission=submission, by=pmo, outcome="recycle", comments="Redo")
        client.force_login(pm)
        body = client.get(f"/projects/{on_lifecycle.pk}/lifecycle/").content.decode()
        assert "Submit gate" in body
        assert "Redo" in body


class TestSponsorsAndTheQueue:
    @pytest.fixture
    def sponsored(self, on_lifecycle, executive, pm):
        on_lifecycle.sponsor = executive
        on_lifecycle.save()
        ProjectPhase.objects.filter(project=on_lifecycle).update(gate_approver="sponsor")
        on_lifecycle.refresh_from_db()
        set_governance_mode("supportive")
        return submitted(on_lifecycle, pm)

    def test_a_sponsor_sees_and_decides_the_gates_naming_them(self, client, executive, sponsored):
        client.force_login(executive)
        assert "Initiation gate" in client.get("/projects/gates/").content.decode()
        response = client.post(f"/projects/gates/{sponsored.pk}/decide/", decision_data("go"))
        assert response.status_code == 302
        assert GateDecision.objects.get().decided_by == executive

    def test_in_a_directive_pmo_only_the_pmo_decides(self, client, executive, pmo, sponsored):
        set_governance_mode("directive")
        client.force_login(executive)
        assert "No gate awaits your decision." in client.get("/projects/gates/").content.decode()
        response = client.post(f"/projects/gates/{sponsored.pk}/decide/", decision_data("go"))
        assert response.status_code == 403
        assert not GateDecision.objects.exists()
        client.force_login(pmo)
        assert "Initiation gate" in client.get("/projects/gates/").content.decode()

    def test_a_project_manager_has_nothing_to_decide(self, client, pm, sponsored):
        client.force_login(pm)
        assert "No gate awaits your decision." in client.get("/projects/gates/").content.decode()
        response = client.post(f"/projects/gates/{sponsored.pk}/decide/", decision_data("go"))
        assert response.status_code == 403
        assert not GateDecision.objects.exists()

    def test_decided_gates_leave_the_queue(self, client, pmo, sponsored):
        lifecycle.gate_decide(submission=sponsored, by=pmo, outcome="go")
        client.force_login(pmo)
        assert "No gate awaits your decision." in client.get("/projects/gates/").content.decode()


def pending_submissions(count, *, by):
    """`count` projects, each with a current phase whose gate awaits a decision."""
    for project in ProjectFactory.create_batch(count):
        phase = ProjectPhase.objects.create(
            project=project, order=1, name="Initiation", gate_name="Charter gate",
            gate_approver="pmo", status="active", gate_status="submitted",
        )  # fmt: skip
        GateSubmission.objects.create(phase=phase, submitted_by=by, missing_mandatory="Charter")


class TestGateQueuePages:
    def test_it_pages_through_many_gates(self, client, pm, pmo):
        pending_submissions(30, by=pm)
        client.force_login(pmo)
        response = client.get("/projects/gates/", {"page": 2})
        assert len(response.context["page"].object_list) == 5
        assert "Page 2 of 2" in response.content.decode()

    @pytest.mark.parametrize("rows", [3, 30])
    def test_query_count_does_not_grow_with_rows(self, client, pm, pmo, rows):
        pending_submissions(rows, by=pm)
        client.force_login(pmo)
        client.get("/projects/gates/")
        with CaptureQueriesContext(connection) as queries:
            response = client.get("/projects/gates/")
        assert len(response.context["page"].object_list) == min(rows, 25)
        # The same at 3 and at 30 rows: pinned, so an N+1 fails here.
        assert len(queries) == 7, [q["sql"] for q in queries]


class TestLifecyclePageQueries:
    @pytest.mark.parametrize("rows", [3, 30])
    def test_query_count_does_not_grow_with_items_or_submissions(
        self, client, pm, pmo, other_pm, project, rows
    ):
        template = published_template(by=pmo, items_per_phase=rows)
        lifecycle.project_join_lifecycle(project=project, by=pm, template=template)
        project.refresh_from_db()
        phase = project.current_phase
        for item_ in phase.checklist.all():
            lifecycle.checklist_item_give_evidence(item=item_, by=pm, link=GIVEN_LINK)
        for number in range(rows):
            submission = GateSubmission.objects.create(
                phase=phase, submitted_by=pm, status="decided", note=f"Try {number}"
            )
            decision = GateDecision.objects.create(
                submission=submission, outcome="recycle", comments="Again", decided_by=pmo
            )
            GateCondition.objects.create(
                decision=decision, description="Fix it", owner=other_pm,
                due_date=datetime.date(2026, 3, 1),
            )  # fmt: skip
        Milestone.objects.bulk_create(
            Milestone(project=project, name=f"M{n}", forecast_date=datetime.date(2026, 5, 1))
            for n in range(rows)
        )
        client.force_login(pm)
        client.get(f"/projects/{project.pk}/lifecycle/")
        with CaptureQueriesContext(connection) as queries:
            response = client.get(f"/projects/{project.pk}/lifecycle/")
        body = response.content.decode()
        assert body.count("<td>Fix it</td>") == rows
        assert len(response.context["checklist"]) == rows
        assert len(queries) == 13, [q["sql"] for q in queries]


class TestEvidence:
    def test_a_file_over_20_mb_is_refused_with_a_clear_message(self, client, pm, on_lifecycle):
        client.force_login(pm)
        file_item = item(on_lifecycle, "Business case")
        upload = SimpleUploadedFile("huge.pdf", b"x" * (EVIDENCE_MAX_BYTES + 1))
        response = client.post(
            f"/projects/{on_lifecycle.pk}/checklist/{file_item.pk}/evidence/", {"file": upload}
        )
        assert response.status_code == 200
        assert response.context["form"].errors["file"] == [
            "The file is 20.0\xa0MB; evidence files can be at most 20.0\xa0MB."
        ]
        file_item.refresh_from_db()
        assert not file_item.is_met

    @pytest.mark.parametrize(
        ("title", "data", "field", "message"),
        [
            ("Initiation item 1", {"note": "Trust me"}, "link", "This item asks for a link."),
            ("Initiation item 1", {"link": "not a link"}, "link", "Enter a valid URL."),
            ("Business case", {"link": GIVEN_LINK}, "file", "This item asks for a file."),
        ],
    )
    def test_bad_evidence_is_refused_next_to_the_field(
        self, client, pm, on_lifecycle, title, data, field, message
    ):
        client.force_login(pm)
        target = item(on_lifecycle, title)
        response = client.post(f"/projects/{on_lifecycle.pk}/checklist/{target.pk}/evidence/", data)
        assert response.status_code == 200
        assert response.context["form"].errors[field] == [message]
        assert 'enctype="multipart/form-data"' in response.content.decode()
        target.refresh_from_db()
        assert not target.is_met

    def test_a_criterion_is_confirmed_with_a_note(self, client, pm, on_lifecycle):
        client.force_login(pm)
        criterion = item(on_lifecycle, "Initiation item 2")
        client.post(
            f"/projects/{on_lifecycle.pk}/checklist/{criterion.pk}/evidence/",
            {"note": "Agreed in the kick-off."},
        )
        criterion.refresh_from_db()
        assert criterion.is_met and criterion.met_by == pm

    def test_evidence_is_withdrawn(self, client, pm, on_lifecycle):
        give_all_mandatory_evidence(on_lifecycle, pm)
        target = item(on_lifecycle, "Initiation item 1")
        client.force_login(pm)
        response = client.post(f"/projects/{on_lifecycle.pk}/checklist/{target.pk}/withdraw/")
        assert response.status_code == 302
        target.refresh_from_db()
        assert not target.is_met and target.evidence_link == ""

    def test_evidence_of_an_approved_gate_stays(self, client, pm, pmo, on_lifecycle):
        give_all_mandatory_evidence(on_lifecycle, pm)
        lifecycle.gate_decide(submission=submitted(on_lifecycle, pm), by=pmo, outcome="go")
        target = item(on_lifecycle, "Initiation item 1")
        client.force_login(pm)
        response = client.post(
            f"/projects/{on_lifecycle.pk}/checklist/{target.pk}/withdraw/", follow=True
        )
        assert "This gate was approved already; its evidence is closed." in (
            response.content.decode()
        )
        target.refresh_from_db()
        assert target.is_met

    def test_an_item_of_another_project_is_not_found_under_this_one(
        self, client, pm, pmo, on_lifecycle, others_project, template
    ):
        lifecycle.project_join_lifecycle(project=others_project, by=pmo, template=template)
        foreign = item(others_project, "Initiation item 1")
        client.force_login(pm)
        url = f"/projects/{on_lifecycle.pk}/checklist/{foreign.pk}/evidence/"
        assert client.post(url, {"link": GIVEN_LINK}).status_code == 404
        foreign.refresh_from_db()
        assert not foreign.is_met

    def test_a_missing_file_is_not_found(self, client, pm, on_lifecycle):
        client.force_login(pm)
        target = item(on_lifecycle, "Business case")
        assert (
            client.get(f"/projects/{on_lifecycle.pk}/checklist/{target.pk}/file/").status_code
            == 404
        )


class TestJoining:
    def test_an_unknown_template_is_refused_next_to_the_field(self, client, pm, project):
        client.force_login(pm)
        response = client.post(f"/projects/{project.pk}/lifecycle/join/", {"template": 999999})
        assert response.status_code == 200
        assert "Select a valid choice" in " ".join(response.context["join_form"].errors["template"])
        assert not project.phases.exists()

    def test_a_draft_template_is_not_offered(self, client, pm, pmo, project, template):
        draft = lifecycle.template_create(by=pmo, methodology=template.methodology, name="Draft")
        client.force_login(pm)
        response = client.post(f"/projects/{project.pk}/lifecycle/join/", {"template": draft.pk})
        assert response.status_code == 200
        assert not project.phases.exists()

    def test_a_project_joins_only_once(self, client, pm, on_lifecycle, template):
        client.force_login(pm)
        response = client.post(
            f"/projects/{on_lifecycle.pk}/lifecycle/join/", {"template": template.pk}
        )
        assert response.status_code == 200
        assert "This project is on a lifecycle already." in response.content.decode()
        assert on_lifecycle.phases.count() == 4


class TestMilestones:
    def test_a_manager_adds_and_moves_a_milestone(self, client, pm, project):
        client.force_login(pm)
        response = client.post(
            f"/projects/{project.pk}/milestones/new/",
            {"name": "Go-live", "forecast_date": "2026-09-01"},
        )
        assert response.status_code == 302
        milestone = Milestone.objects.get(project=project)
        response = client.post(
            f"/projects/{project.pk}/milestones/{milestone.pk}/edit/",
            {"name": "Go-live", "forecast_date": "2026-10-01", "actual_date": "",
             "version": milestone.version},
        )  # fmt: skip
        assert response.status_code == 302
        milestone.refresh_from_db()
        assert milestone.forecast_date == datetime.date(2026, 10, 1)
        assert milestone.version == 2
        body = client.get(f"/projects/{project.pk}/lifecycle/").content.decode()
        assert "Go-live" in body

    def test_the_baseline_is_shown_and_not_changed_by_the_form(self, client, pm, project):
        project.baselined_at = datetime.datetime(2026, 1, 1, tzinfo=datetime.UTC)
        project.save()
        milestone = lifecycle.milestone_save(
            project=project, by=pm, name="Design done", forecast_date=datetime.date(2026, 4, 1)
        )
        client.force_login(pm)
        url = f"/projects/{project.pk}/milestones/{milestone.pk}/edit/"
        page = client.get(url).content.decode()
        assert "moves only by change request" in page
        assert 'name="baseline_date"' not in page
        client.post(
            url,
            {"name": "Design done", "forecast_date": "2026-05-01", "baseline_date": "2026-05-01",
             "version": milestone.version},
        )  # fmt: skip
        milestone.refresh_from_db()
        assert milestone.baseline_date == datetime.date(2026, 4, 1)
        assert milestone.slippage_days == 30

    def test_a_stale_save_is_refused(self, client, pm, pmo, project):
        milestone = lifecycle.milestone_save(
            project=project, by=pm, name="Go-live", forecast_date=datetime.date(2026, 9, 1)
        )
        stale_version = milestone.version
        lifecycle.milestone_save(
            project=project, by=pmo, milestone=milestone, version=stale_version,
            forecast_date=datetime.date(2026, 11, 1),
        )  # fmt: skip
        client.force_login(pm)
        response = client.post(
            f"/projects/{project.pk}/milestones/{milestone.pk}/edit/",
            {"name": "Go-live", "forecast_date": "2026-10-01", "version": stale_version},
        )
        assert response.status_code == 200
        assert "Someone else changed this milestone" in response.content.decode()
        milestone.refresh_from_db()
        assert milestone.forecast_date == datetime.date(2026, 11, 1)

    @pytest.mark.parametrize(
        ("data", "field", "message"),
        [
            ({"name": "", "forecast_date": "2026-09-01"}, "name", "This field is required."),
            ({"name": "Go-live", "forecast_date": ""}, "forecast_date", "This field is required."),
            ({"name": "Go-live", "forecast_date": "soon"}, "forecast_date", "Enter a valid date."),
            (
                {"name": "Go-live", "forecast_date": "2026-09-01", "actual_date": "31/02/2026"},
                "actual_date",
                "Enter a valid date.",
            ),
            ({"name": "x" * 201, "forecast_date": "2026-09-01"}, "name", "at most 200"),
        ],
    )
    def test_bad_input_is_refused_next_to_the_field(
        self, client, pm, project, data, field, message
    ):
        client.force_login(pm)
        response = client.post(f"/projects/{project.pk}/milestones/new/", data)
        assert response.status_code == 200
        assert message in " ".join(response.context["form"].errors[field])
        assert "Nothing was saved" in response.content.decode()
        assert not Milestone.objects.exists()


# The permission matrix of the lifecycle pages -----------------------------------------------

# url -> expected status of a GET per persona (same order as PERSONAS). {own} is a project
# managed by `pm`, {other} one managed by another manager and sponsored by the executive.
MATRIX = {
    "/projects/{own}/lifecycle/": READ,
    "/projects/{other}/lifecycle/": READ,
    "/projects/{own}/lifecycle/join/": POST_ONLY,
    "/projects/{own}/checklist/{own_item}/evidence/": MANAGER_OR_PMO,
    "/projects/{other}/checklist/{other_item}/evidence/": PMO_ONLY,
    "/projects/{own}/checklist/{own_item}/withdraw/": POST_ONLY,
    "/projects/{own}/checklist/{own_item}/file/": READ,
    "/projects/{own}/phases/{own_phase}/submit/": MANAGER_OR_PMO,
    "/projects/{other}/phases/{other_phase}/submit/": PMO_ONLY,
    "/projects/gates/": READ,
    "/projects/gates/{own_submission}/decide/": PMO_ONLY,
    "/projects/gates/{other_submission}/decide/": [LOGIN, 200, 403, 200, 403, 200],
    "/projects/{own}/advance/": MANAGER_OR_PMO,
    "/projects/{other}/advance/": PMO_ONLY,
    "/projects/conditions/{condition}/met/": POST_ONLY,
    "/projects/{own}/milestones/new/": MANAGER_OR_PMO,
    "/projects/{other}/milestones/new/": PMO_ONLY,
    "/projects/{own}/milestones/{own_milestone}/edit/": MANAGER_OR_PMO,
    "/projects/{other}/milestones/{other_milestone}/edit/": PMO_ONLY,
}

# Resolver patterns of the lifecycle pages and the matrix rows that cover them: to be merged
# into tests/pmo_portal/test_permission_matrix.py's PATTERN_ROWS.
PATTERN_ROWS = {
    "projects/<int:pk>/lifecycle/": "/projects/{own}/lifecycle/",
    "projects/<int:pk>/lifecycle/join/": "/projects/{own}/lifecycle/join/",
    "projects/<int:pk>/checklist/<int:item_pk>/evidence/": (
        "/projects/{own}/checklist/{own_item}/evidence/"
    ),
    "projects/<int:pk>/checklist/<int:item_pk>/withdraw/": (
        "/projects/{own}/checklist/{own_item}/withdraw/"
    ),
    "projects/<int:pk>/checklist/<int:item_pk>/file/": "/projects/{own}/checklist/{own_item}/file/",
    "projects/<int:pk>/phases/<int:phase_pk>/submit/": (
        "/projects/{own}/phases/{own_phase}/submit/"
    ),
    "projects/gates/": "/projects/gates/",
    "projects/gates/<int:submission_pk>/decide/": "/projects/gates/{own_submission}/decide/",
    "projects/<int:pk>/advance/": "/projects/{own}/advance/",
    "projects/conditions/<int:condition_pk>/met/": "/projects/conditions/{condition}/met/",
    "projects/<int:pk>/milestones/new/": "/projects/{own}/milestones/new/",
    "projects/<int:pk>/milestones/<int:milestone_pk>/edit/": (
        "/projects/{own}/milestones/{own_milestone}/edit/"
    ),
}


def test_every_lifecycle_page_is_in_the_matrix():
    assert set(resolver_patterns(lifecycle_urls.urlpatterns, "projects/")) == set(PATTERN_ROWS)
    assert set(PATTERN_ROWS.values()) <= set(MATRIX)


@pytest.fixture
def lifecycle_objects(pm, pmo, other_pm, executive, project, others_project, template):
    """Both projects on a lifecycle with a submitted gate, evidence, a condition, a milestone;
    the other project's gates are the executive's to approve as its sponsor."""
    set_governance_mode("supportive")
    others_project.sponsor = executive
    others_project.save()
    ids = {"own": project.pk, "other": others_project.pk}
    for key, target, manager in (("own", project, pm), ("other", others_project, other_pm)):
        lifecycle.project_join_lifecycle(project=target, by=pmo, template=template)
        target.refresh_from_db()
        phase = target.current_phase
        if key == "other":
            ProjectPhase.objects.filter(project=target).update(gate_approver="sponsor")
        file_item = phase.checklist.get(title="Business case")
        lifecycle.checklist_item_give_evidence(
            item=file_item, by=manager, file=SimpleUploadedFile("case.pdf", b"%PDF-1.4")
        )
        ids[f"{key}_item"] = file_item.pk
        ids[f"{key}_phase"] = phase.pk
        ids[f"{key}_submission"] = lifecycle.gate_submit(phase=phase, by=manager).pk
        ids[f"{key}_milestone"] = lifecycle.milestone_save(
            project=target, by=manager, name="Go-live", forecast_date=datetime.date(2026, 9, 1)
        ).pk
    # A decided gate with a condition, on an earlier phase of a third project.
    third = ProjectFactory(code="PRJ-00003", manager=other_pm)
    lifecycle.project_join_lifecycle(project=third, by=pmo, template=template)
    third.refresh_from_db()
    decision = lifecycle.gate_decide(
        submission=lifecycle.gate_submit(phase=third.current_phase, by=other_pm),
        by=pmo,
        outcome="conditional_go",
        comments="With a condition",
        conditions=[lifecycle.ConditionInput("Log risks", other_pm, datetime.date(2026, 3, 1))],
    )
    ids["condition"] = decision.conditions.get().pk
    return ids


@pytest.mark.parametrize("url_template", list(MATRIX))
@pytest.mark.parametrize("persona", PERSONAS)
def test_each_persona_gets_the_expected_status(
    client, request, lifecycle_objects, url_template, persona
):
    check_page(client, request, MATRIX, url_template, persona, **lifecycle_objects)


@pytest.mark.parametrize(("url_template", "persona"), refused(MATRIX))
def test_a_persona_refused_a_page_is_refused_by_post_too(
    client, request, lifecycle_objects, url_template, persona
):
    check_refused_post(client, request, MATRIX, url_template, persona, **lifecycle_objects)


@pytest.mark.parametrize("persona", ["executive", "resource_manager", "other_pm"])
def test_those_who_may_not_change_the_project_cannot_post(
    client, request, lifecycle_objects, persona
):
    client.force_login(request.getfixturevalue(persona))
    own = lifecycle_objects["own"]
    posts = {
        f"/projects/{own}/lifecycle/join/": {},
        f"/projects/{own}/checklist/{lifecycle_objects['own_item']}/evidence/": {"note": "x"},
        f"/projects/{own}/checklist/{lifecycle_objects['own_item']}/withdraw/": {},
        f"/projects/{own}/phases/{lifecycle_objects['own_phase']}/submit/": {},
        f"/projects/gates/{lifecycle_objects['own_submission']}/decide/": decision_data("go"),
        f"/projects/{own}/advance/": {"reason": "Because"},
        f"/projects/{own}/milestones/new/": {"name": "M", "forecast_date": "2026-09-01"},
        f"/projects/{own}/milestones/{lifecycle_objects['own_milestone']}/edit/": {
            "name": "M", "forecast_date": "2026-09-01", "version": 1,
        },
    }  # fmt: skip
    for url, data in posts.items():
        assert client.post(url, data).status_code == 403, url
    project = Project.objects.get(pk=own)
    assert project.current_phase_id == lifecycle_objects["own_phase"]
    assert project.milestones.get().name == "Go-live"
    assert ProjectChecklistItem.objects.get(pk=lifecycle_objects["own_item"]).is_met
    assert GateSubmission.objects.get(pk=lifecycle_objects["own_submission"]).status == "pending"


def test_only_the_owner_or_the_manager_marks_a_condition_met(
    client, pm, other_pm, lifecycle_objects
):
    url = f"/projects/conditions/{lifecycle_objects['condition']}/met/"
    client.force_login(pm)
    assert client.post(url).status_code == 403
    assert GateCondition.objects.get().status == "open"
    owner = UserFactory(username="owner", roles=["executive"])
    GateCondition.objects.update(owner=owner)
    client.force_login(owner)
    response = client.post(url, {"next": "/projects/gates/"})
    assert response["Location"] == "/projects/gates/"
    assert GateCondition.objects.get().status == "met"


def test_marking_a_condition_met_never_sends_the_user_off_site(client, pmo, lifecycle_objects):
    client.force_login(pmo)
    url = f"/projects/conditions/{lifecycle_objects['condition']}/met/"
    response = client.post(url, {"next": "https://evil.example.com/"})
    assert response["Location"].startswith("/projects/") and "/lifecycle/" in response["Location"]
