import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from projects.compliance import department_rollup, with_compliance
from projects.models import GateCondition, GateDecision, GateSubmission, Project, ProjectPhase
from projects.services import lifecycle
from projects.urls import compliance as compliance_urls
from tests.factories import DepartmentFactory, ProjectFactory, published_template
from tests.permission_matrix import PERSONAS, READ, check_page, resolver_patterns

pytestmark = pytest.mark.django_db

YESTERDAY = timezone.localdate() - datetime.timedelta(days=1)
NEXT_MONTH = timezone.localdate() + datetime.timedelta(days=30)


@pytest.fixture
def template(pmo):
    return published_template(by=pmo, items_per_phase=4)


def on_lifecycle(project, template, by):
    """Put the project on the template, its current gate due next month."""
    lifecycle.project_join_lifecycle(project=project, by=by, template=template)
    project.refresh_from_db()
    ProjectPhase.objects.filter(pk=project.current_phase_id).update(planned_end=NEXT_MONTH)
    return project


def scored(project):
    return with_compliance(Project.objects.filter(pk=project.pk)).get()


def test_a_project_with_nothing_missing_scores_100(project, template, pm):
    project = on_lifecycle(project, template, pm)
    project.current_phase.checklist.update(met_at=timezone.now())
    row = scored(project)
    assert (row.missing_mandatory, row.gate_overdue, row.compliance_score) == (0, False, 100)


def test_missing_items_and_an_overdue_gate_cost_points(project, template, pm):
    project = on_lifecycle(project, template, pm)
    # One mandatory item per phase in the factory template: make all four mandatory.
    project.current_phase.checklist.update(mandatory=True)
    ProjectPhase.objects.filter(pk=project.current_phase_id).update(planned_end=YESTERDAY)
    row = scored(project)
    assert row.missing_mandatory == 4
    assert row.gate_overdue is True
    assert row.compliance_score == 100 - 30 - 40


def test_overdue_conditions_and_skipped_gates_cost_points_down_to_zero(project, template, pm, pmo):
    project = on_lifecycle(project, template, pm)
    phase = project.current_phase
    phase.checklist.update(mandatory=True)
    ProjectPhase.objects.filter(pk=phase.pk).update(planned_end=YESTERDAY)
    submission = GateSubmission.objects.create(phase=phase, submitted_by=pm, status="decided")
    decision = GateDecision.objects.create(
        submission=submission, outcome="conditional_go", decided_by=pmo
    )
    for _ in range(3):
        GateCondition.objects.create(
            decision=decision, description="x", owner=pm, due_date=YESTERDAY
        )
    ProjectPhase.objects.filter(project=project).exclude(pk=phase.pk).update(gate_status="skipped")
    row = scored(project)
    assert (row.open_conditions, row.overdue_conditions, row.skipped_gates) == (3, 3, 3)
    assert row.compliance_score == 0  # 100 - 30 - 40 - 20 - 20, floored


def test_department_rollup_averages_the_scores(template, pm, project_type):
    finance, it = DepartmentFactory(code="FIN"), DepartmentFactory(code="IT")
    good = on_lifecycle(ProjectFactory(manager=pm, department=finance, project_type=project_type),
                        template, pm)  # fmt: skip
    good.current_phase.checklist.update(met_at=timezone.now())
    on_lifecycle(
        ProjectFactory(manager=pm, department=finance, project_type=project_type), template, pm
    )  # fmt: skip  (one mandatory item missing: 90)
    on_lifecycle(ProjectFactory(manager=pm, department=it, project_type=project_type), template, pm)
    rows = {r["department__code"]: r for r in department_rollup(with_compliance(Project.objects))}
    assert rows["FIN"]["project_count"] == 2
    assert rows["FIN"]["average_score"] == 95
    assert rows["IT"]["missing_items"] == 1


class TestCompliancePage:
    def test_it_lists_projects_worst_first_with_the_roll_up(self, client, pm, project, template):
        on_lifecycle(project, template, pm)
        client.force_login(pm)
        response = client.get("/projects/compliance/")
        assert response.status_code == 200
        body = response.content.decode()
        assert "ERP upgrade" in body and "By department" in body

    def test_it_exports_csv(self, client, executive, pm, project, template):
        on_lifecycle(project, template, pm)
        client.force_login(executive)
        response = client.get("/projects/compliance/", {"export": "csv"})
        content = b"".join(response.streaming_content).decode()
        assert content.splitlines()[0].startswith("Code,Name,Department")
        assert "PRJ-00001" in content

    def test_anonymous_users_are_sent_to_login(self, client):
        response = client.get("/projects/compliance/")
        assert response["Location"].startswith("/accounts/login/")

    def test_a_bad_filter_value_is_ignored_with_the_form_error(self, client, pm):
        client.force_login(pm)
        response = client.get("/projects/compliance/", {"department": "nope"})
        assert response.status_code == 200
        assert "Select a valid choice" in response.content.decode()

    @pytest.mark.parametrize("rows", [3, 30])
    def test_query_count_does_not_grow_with_projects(
        self, client, pm, template, department, project_type, rows
    ):
        for _ in range(rows):
            on_lifecycle(
                ProjectFactory(manager=pm, department=department, project_type=project_type),
                template, pm,
            )  # fmt: skip
        client.force_login(pm)
        client.get("/projects/compliance/")
        with CaptureQueriesContext(connection) as queries:
            client.get("/projects/compliance/")
        assert len(queries) == 9, [q["sql"][:120] for q in queries]


# Permission matrix, in the shape of tests/permission_matrix.py: every role reads the dashboard.
MATRIX = {"/projects/compliance/": READ}
PATTERN_ROWS = {"projects/compliance/": "/projects/compliance/"}


def test_every_compliance_page_is_in_the_matrix():
    assert set(resolver_patterns(compliance_urls.urlpatterns, "projects/")) == set(PATTERN_ROWS)


@pytest.mark.parametrize("url_template", list(MATRIX))
@pytest.mark.parametrize("persona", PERSONAS)
def test_each_persona_gets_the_expected_status(client, request, url_template, persona):
    check_page(client, request, MATRIX, url_template, persona)


def test_a_gate_on_hold_is_not_overdue(project, template, pm):
    project = on_lifecycle(project, template, pm)
    ProjectPhase.objects.filter(pk=project.current_phase_id).update(
        planned_end=YESTERDAY, gate_status="on_hold"
    )
    assert scored(project).gate_overdue is False
