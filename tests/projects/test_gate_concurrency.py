"""Two approvers deciding the same gate at the same moment: exactly one decision stands."""

import threading

import pytest
from django.db import connection

from projects.models import GateDecision, Project
from projects.services import lifecycle
from tests.factories import published_template, set_governance_mode

pytestmark = [
    pytest.mark.services,
    pytest.mark.django_db(transaction=True),
]


def test_concurrent_decisions_on_one_gate_exactly_one_wins(project, pm, pmo, pmo_admin):
    assert connection.vendor == "postgresql"
    set_governance_mode("supportive")
    template = published_template(by=pmo)
    lifecycle.project_join_lifecycle(project=project, by=pm, template=template)
    project.refresh_from_db()
    submission = lifecycle.gate_submit(phase=project.current_phase, by=pm)

    barrier = threading.Barrier(2)
    outcomes = {}

    def decide(user, outcome):
        barrier.wait()
        try:
            lifecycle.gate_decide(
                submission=submission, by=user, outcome=outcome, comments="decided"
            )
            outcomes[outcome] = "won"
        except lifecycle.GateAlreadyDecided:
            outcomes[outcome] = "told someone decided first"
        finally:
            connection.close()

    threads = [
        threading.Thread(target=decide, args=(pmo, "go")),
        threading.Thread(target=decide, args=(pmo_admin, "stop")),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert sorted(outcomes.values()) == ["told someone decided first", "won"]
    decision = GateDecision.objects.get(submission=submission)
    project.refresh_from_db()
    if decision.outcome == "go":
        assert project.current_phase.order == 2 and project.status == Project.Status.ACTIVE
    else:
        assert project.status == Project.Status.CANCELLED
