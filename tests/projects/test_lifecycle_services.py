import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from projects.models import GateDecision, LifecycleTemplate, Project, ProjectPhase
from projects.services import lifecycle
from projects.services.lifecycle import ConditionInput, GateAlreadyDecided
from tests.factories import published_template, set_governance_mode

pytestmark = pytest.mark.django_db


@pytest.fixture
def template(pmo):
    return published_template(by=pmo)


@pytest.fixture
def on_lifecycle(project, template, pm):
    lifecycle.project_join_lifecycle(project=project, by=pm, template=template)
    project.refresh_from_db()
    return project


def give_all_mandatory_evidence(phase, by):
    for item in phase.checklist.filter(mandatory=True):
        lifecycle.checklist_item_give_evidence(item=item, by=by, link="https://docs.example.com/x")


class TestTemplates:
    def test_a_published_template_has_its_phases_and_gates(self, template):
        assert list(template.phases.values_list("gate_name", flat=True)) == [
            "Initiation gate", "Planning gate", "Execution gate", "Closure gate",
        ]  # fmt: skip
        assert template.status == LifecycleTemplate.Status.PUBLISHED

    def test_a_phase_without_a_gate_is_refused(self, template, pmo):
        with pytest.raises(ValidationError) as error:
            lifecycle.template_phase_save(template=template, by=pmo, name="Extra", gate_name=" ")
        assert "gate_name" in error.value.message_dict

    def test_editing_a_template_in_use_makes_a_new_version(self, template, on_lifecycle, pmo):
        phase = template.phases.get(order=1)
        lifecycle.template_phase_save(
            template=template, by=pmo, phase=phase, name="Initiation (revised)",
            gate_name="Charter gate",
        )  # fmt: skip
        template.refresh_from_db()
        draft = LifecycleTemplate.objects.get(family=template.family, version=2)
        assert draft.status == LifecycleTemplate.Status.DRAFT
        assert draft.phases.get(order=1).gate_name == "Charter gate"
        assert template.phases.get(order=1).gate_name == "Initiation gate"
        assert draft.phases.get(order=2).checklist.count() == 2
        # The project keeps its own copy, untouched.
        assert on_lifecycle.phases.get(order=1).gate_name == "Initiation gate"

    def test_publishing_a_new_version_retires_the_old_one(self, template, on_lifecycle, pmo):
        phase = template.phases.get(order=1)
        lifecycle.template_phase_save(
            template=template, by=pmo, phase=phase, name="Initiation", gate_name="Charter gate"
        )
        draft = LifecycleTemplate.objects.get(family=template.family, version=2)
        lifecycle.template_publish(template=draft, by=pmo)
        template.refresh_from_db()
        assert template.status == LifecycleTemplate.Status.RETIRED
        assert template.methodology.current_template() == draft
        assert on_lifecycle.lifecycle_template == template

    def test_an_unused_template_is_edited_in_place(self, template, pmo):
        lifecycle.template_phase_save(
            template=template, by=pmo, phase=template.phases.get(order=1), name="Start",
            gate_name="Start gate",
        )  # fmt: skip
        assert LifecycleTemplate.objects.count() == 1


class TestJoiningALifecycle:
    def test_phases_and_checklists_are_copied_with_the_first_phase_current(self, on_lifecycle):
        phases = list(on_lifecycle.phases.all())
        assert [p.status for p in phases] == ["active", "pending", "pending", "pending"]
        assert on_lifecycle.current_phase == phases[0]
        assert phases[0].checklist.count() == 2
        assert phases[-1].planned_end == on_lifecycle.planned_end

    def test_the_methodology_default_is_used_without_a_template(self, project, template, pm):
        project.methodology = template.methodology
        project.save()
        lifecycle.project_join_lifecycle(project=project, by=pm)
        project.refresh_from_db()
        assert project.lifecycle_template == template

    def test_another_managers_project_cannot_be_put_on_a_lifecycle(
        self, others_project, template, pm
    ):
        with pytest.raises(PermissionDenied):
            lifecycle.project_join_lifecycle(project=others_project, by=pm, template=template)

    def test_a_project_joins_only_once(self, on_lifecycle, template, pm):
        with pytest.raises(ValidationError):
            lifecycle.project_join_lifecycle(project=on_lifecycle, by=pm, template=template)


class TestGates:
    def test_controlling_pmo_refuses_a_gate_with_mandatory_items_missing(self, on_lifecycle, pm):
        set_governance_mode("controlling")
        with pytest.raises(ValidationError) as error:
            lifecycle.gate_submit(phase=on_lifecycle.current_phase, by=pm)
        assert "Initiation item 1" in str(error.value)
        assert not on_lifecycle.current_phase.submissions.exists()

    def test_supportive_pmo_records_what_was_missing(self, on_lifecycle, pm):
        set_governance_mode("supportive")
        submission = lifecycle.gate_submit(phase=on_lifecycle.current_phase, by=pm)
        assert submission.missing_mandatory == "Initiation item 1"

    def test_evidence_of_the_expected_kind_is_needed(self, on_lifecycle, pm):
        item = on_lifecycle.current_phase.checklist.get(mandatory=True)
        with pytest.raises(ValidationError):
            lifecycle.checklist_item_give_evidence(item=item, by=pm, note="trust me")
        lifecycle.checklist_item_give_evidence(item=item, by=pm, link="https://x.example.com/")
        item.refresh_from_db()
        assert item.is_met and item.met_by == pm

    def test_go_moves_the_project_to_the_next_phase(self, on_lifecycle, pm, pmo):
        phase = on_lifecycle.current_phase
        give_all_mandatory_evidence(phase, pm)
        submission = lifecycle.gate_submit(phase=phase, by=pm)
        lifecycle.gate_decide(submission=submission, by=pmo, outcome="go")
        on_lifecycle.refresh_from_db()
        phase.refresh_from_db()
        assert phase.status == "completed" and phase.gate_status == "approved"
        assert on_lifecycle.current_phase.order == 2
        assert on_lifecycle.current_phase.status == "active"
        assert on_lifecycle.history.first().history_change_reason == "Gate Initiation gate: Go"

    def test_go_on_the_last_gate_closes_the_project(self, on_lifecycle, pm, pmo):
        for _ in range(4):
            phase = on_lifecycle.current_phase
            give_all_mandatory_evidence(phase, pm)
            submission = lifecycle.gate_submit(phase=phase, by=pm)
            lifecycle.gate_decide(submission=submission, by=pmo, outcome="go")
            on_lifecycle.refresh_from_db()
        assert on_lifecycle.status == Project.Status.CLOSED
        assert on_lifecycle.current_phase is None

    def test_stop_cancels_and_hold_holds(self, on_lifecycle, pm, pmo):
        set_governance_mode("supportive")
        submission = lifecycle.gate_submit(phase=on_lifecycle.current_phase, by=pm)
        lifecycle.gate_decide(submission=submission, by=pmo, outcome="hold", comments="Wait")
        on_lifecycle.refresh_from_db()
        assert on_lifecycle.status == Project.Status.ON_HOLD
        submission = lifecycle.gate_submit(phase=on_lifecycle.current_phase, by=pm)
        lifecycle.gate_decide(submission=submission, by=pmo, outcome="stop", comments="No case")
        on_lifecycle.refresh_from_db()
        assert on_lifecycle.status == Project.Status.CANCELLED
        assert on_lifecycle.current_phase.submissions.count() == 2  # both stay in the record

    def test_recycle_sends_the_phase_back_for_rework(self, on_lifecycle, pm, pmo):
        phase = on_lifecycle.current_phase
        give_all_mandatory_evidence(phase, pm)
        submission = lifecycle.gate_submit(phase=phase, by=pm)
        lifecycle.gate_decide(submission=submission, by=pmo, outcome="recycle", comments="Redo")
        phase.refresh_from_db()
        assert phase.status == "active" and phase.gate_status == "recycled"
        assert lifecycle.gate_submit(phase=phase, by=pm).status == "pending"

    def test_conditional_go_needs_conditions_with_owners(self, on_lifecycle, pm, pmo):
        phase = on_lifecycle.current_phase
        give_all_mandatory_evidence(phase, pm)
        submission = lifecycle.gate_submit(phase=phase, by=pm)
        with pytest.raises(ValidationError):
            lifecycle.gate_decide(
                submission=submission, by=pmo, outcome="conditional_go", comments="If..."
            )
        decision = lifecycle.gate_decide(
            submission=submission,
            by=pmo,
            outcome="conditional_go",
            comments="Go, if the risk plan follows",
            conditions=[ConditionInput("Risk plan", pm, datetime.date(2026, 12, 31))],
        )
        assert decision.conditions.get().owner == pm
        phase.refresh_from_db()
        assert phase.gate_status == "conditional"

    def test_a_project_manager_cannot_decide_their_own_gate(self, on_lifecycle, pm):
        give_all_mandatory_evidence(on_lifecycle.current_phase, pm)
        submission = lifecycle.gate_submit(phase=on_lifecycle.current_phase, by=pm)
        with pytest.raises(PermissionDenied):
            lifecycle.gate_decide(submission=submission, by=pm, outcome="go")
        assert not GateDecision.objects.exists()

    def test_the_sponsor_decides_a_sponsor_gate_unless_the_pmo_is_directive(
        self, on_lifecycle, pm, executive
    ):
        on_lifecycle.sponsor = executive
        on_lifecycle.save()
        ProjectPhase.objects.filter(project=on_lifecycle).update(gate_approver="sponsor")
        give_all_mandatory_evidence(on_lifecycle.current_phase, pm)
        submission = lifecycle.gate_submit(phase=on_lifecycle.current_phase, by=pm)
        set_governance_mode("directive")
        with pytest.raises(PermissionDenied):
            lifecycle.gate_decide(submission=submission, by=executive, outcome="go")
        set_governance_mode("controlling")
        lifecycle.gate_decide(submission=submission, by=executive, outcome="go")

    def test_a_second_decision_on_the_same_gate_is_refused(self, on_lifecycle, pm, pmo, pmo_admin):
        give_all_mandatory_evidence(on_lifecycle.current_phase, pm)
        submission = lifecycle.gate_submit(phase=on_lifecycle.current_phase, by=pm)
        lifecycle.gate_decide(submission=submission, by=pmo, outcome="go")
        with pytest.raises(GateAlreadyDecided):
            lifecycle.gate_decide(submission=submission, by=pmo_admin, outcome="stop", comments="x")
        on_lifecycle.refresh_from_db()
        assert on_lifecycle.status == Project.Status.ACTIVE


class TestSkippingAGate:
    def test_controlling_pmo_never_lets_a_project_skip_a_gate(self, on_lifecycle, pm):
        set_governance_mode("controlling")
        with pytest.raises(ValidationError):
            lifecycle.phase_advance_without_gate(project=on_lifecycle, by=pm, reason="Hurry")
        on_lifecycle.refresh_from_db()
        assert on_lifecycle.current_phase.order == 1

    def test_supportive_pmo_allows_it_and_keeps_the_record(self, on_lifecycle, pm):
        set_governance_mode("supportive")
        phase = lifecycle.phase_advance_without_gate(project=on_lifecycle, by=pm, reason="Hurry")
        on_lifecycle.refresh_from_db()
        assert phase.gate_status == "skipped"
        assert on_lifecycle.current_phase.order == 2
        assert "without approval: Hurry" in on_lifecycle.history.first().history_change_reason
