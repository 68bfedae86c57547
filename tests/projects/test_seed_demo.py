"""`seed_demo` fills a realistic demo organisation, the same for the same seed; `bench` times it."""

import datetime
import re
from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.http import HttpRequest

from projects import demo
from projects.models import (
    ActionItem,
    ChangeRequest,
    Department,
    ExchangeRate,
    GateSubmission,
    GovernanceSettings,
    LifecycleTemplate,
    Meeting,
    Methodology,
    Milestone,
    Project,
    ProjectChecklistItem,
    ProjectPhase,
    Standard,
    TemplatePhase,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    """The demo writes stand-in evidence files and document templates: keep them apart."""
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


DEMO_LOGIN_ROLES = {
    "admin": "pmo_admin",
    "pmo": "pmo_analyst",
    "pm": "project_manager",
    "resource": "resource_manager",
    "exec": "executive",
}
CHINESE = re.compile(r"[\u4e00-\u9fff]")


def seed_small(*args: str) -> str:
    out = StringIO()
    call_command("seed_demo", "--size", "small", *args, stdout=out)
    return out.getvalue()


def register() -> list[tuple]:
    return list(
        Project.objects.order_by("code").values_list(
            "code", "name", "manager__username", "department__code", "status", "budget"
        )
    )


def test_the_demo_logins_sign_in_with_password_demo_in_their_roles(client):
    seed_small()

    for username, role in DEMO_LOGIN_ROLES.items():
        user = get_user_model().objects.get(username=username)
        assert list(user.groups.values_list("name", flat=True)) == [role]
        assert user.get_full_name()
        # The sign-in lockout needs the request a sign-in comes with.
        assert client.login(request=HttpRequest(), username=username, password="demo"), username
    assert get_user_model().objects.get(username="admin").is_superuser
    assert get_user_model().objects.get(username="pm").portal_settings.language == "en"


def test_the_portfolio_has_projects_in_every_status_with_dates_that_fit_it():
    seed_small()
    today = datetime.date.today()

    statuses = set(Project.objects.values_list("status", flat=True))
    assert statuses == set(Project.Status.values)
    for project in Project.objects.filter(status=Project.Status.CLOSED):
        assert project.actual_start <= project.actual_end < today
    for project in Project.objects.filter(status=Project.Status.ACTIVE):
        assert project.actual_start <= today and project.actual_end is None
    assert not Project.objects.filter(
        status=Project.Status.PROPOSED, actual_start__isnull=False
    ).exists()


def test_pm_runs_projects_in_several_statuses_and_pmo_runs_none():
    seed_small()

    pm_statuses = set(
        Project.objects.filter(manager__username="pm").values_list("status", flat=True)
    )
    assert pm_statuses == set(Project.Status.values)
    assert not Project.objects.filter(manager__username="pmo").exists()


def test_departments_form_a_tree_named_in_english_and_chinese():
    seed_small()

    departments = Department.objects.all()
    assert departments.filter(parent__isnull=True).exists()
    assert departments.filter(parent__isnull=False).exists()
    for department in departments:
        assert CHINESE.search(department.name_zh_hans), department.code
    assert Department.objects.get(code="FIN").name_zh_hans == "财务部"


def test_some_project_names_are_chinese():
    seed_small()

    names = list(Project.objects.values_list("name", flat=True))
    chinese_names = [name for name in names if CHINESE.search(name)]
    assert 0 < len(chinese_names) < len(names)


def test_every_budget_counts_in_the_portfolio_totals(settings):
    seed_small()

    foreign = set(Project.objects.values_list("currency", flat=True)) - {settings.DEFAULT_CURRENCY}
    assert foreign, "the demo should have budgets in more than one currency"
    assert foreign <= set(ExchangeRate.objects.values_list("currency", flat=True))


def test_each_project_history_starts_with_its_creation_and_tags():
    seed_small()

    project = Project.objects.filter(tags__isnull=False).distinct().first()
    creation = project.history.get()
    assert creation.history_type == "+"
    assert creation.history_user.username == "admin"
    assert {row.tag.name for row in creation.tags.all()} == set(
        project.tags.values_list("name", flat=True)
    )


def governance() -> dict[str, list[tuple]]:
    return {
        "phases": list(
            ProjectPhase.objects.order_by("project__code", "order").values_list(
                "project__code", "name", "status", "gate_status", "planned_end", "completed_on"
            )
        ),
        "evidence": list(
            ProjectChecklistItem.objects.filter(met_at__isnull=False)
            .order_by("phase__project__code", "phase__order", "order")
            .values_list("phase__project__code", "title", "evidence_link", "evidence_file")
        ),
        "changes": list(
            ChangeRequest.objects.order_by("project__code", "number").values_list(
                "project__code",
                "number",
                "title",
                "status",
                "schedule_impact_days",
                "cost_impact",
            )
        ),  # fmt: skip
        "baselines": list(
            Project.objects.order_by("code").values_list(
                "code", "methodology__name", "baseline_end", "baseline_budget"
            )
        ),
        "milestones": list(
            Milestone.objects.order_by("project__code", "forecast_date", "name").values_list(
                "project__code", "name", "baseline_date", "forecast_date", "actual_date"
            )
        ),
        "meetings": list(
            Meeting.objects.order_by("held_on", "title").values_list("kind", "title", "held_on")
        ),
    }


def test_the_same_seed_gives_the_same_register_again():
    seed_small()
    first, first_governance = register(), governance()

    seed_small("--flush")

    assert register() == first
    assert governance() == first_governance


def test_another_seed_gives_another_register():
    seed_small()
    first, first_governance = register(), governance()

    seed_small("--flush", "--seed", "7")

    assert register() != first
    assert governance()["changes"] != first_governance["changes"]


def test_if_empty_leaves_an_existing_register_alone():
    seed_small()
    first = register()

    out = seed_small("--if-empty")

    assert "no demo data was added" in out
    assert register() == first


def test_it_refuses_to_seed_over_existing_projects():
    seed_small()

    with pytest.raises(CommandError, match="--flush"):
        seed_small()


def test_bench_lists_every_page_answering_200():
    seed_small()
    out = StringIO()

    call_command("bench", "--requests", "2", stdout=out)

    report = out.getvalue()
    assert "Projects: 60" in report
    for page in ("home", "project list", "project list, filtered", "project detail"):
        row = next(line for line in report.splitlines() if line.startswith(f"{page}  "))
        assert re.search(r"\s200\s", row), row


# --- project standards and governance -----------------------------------------------------


def test_the_pmo_publishes_a_lifecycle_for_each_methodology_and_keeps_the_old_waterfall():
    seed_small()

    assert GovernanceSettings.current().is_controlling
    methodologies = {m.name: m for m in Methodology.objects.all()}
    assert {name: m.name_zh_hans for name, m in methodologies.items()} == {
        "Waterfall": "瀑布式", "Agile": "敏捷", "Hybrid": "混合式",
    }  # fmt: skip
    waterfall = methodologies["Waterfall"].current_template()
    assert waterfall.version == 2
    assert waterfall.previous_version.status == LifecycleTemplate.Status.RETIRED
    assert [p.name_zh_hans for p in waterfall.phases.all()] == [
        "启动",
        "规划",
        "执行",
        "监控",
        "收尾",
    ]
    for phase in TemplatePhase.objects.filter(template__status=LifecycleTemplate.Status.PUBLISHED):
        assert phase.gate_name.strip() and CHINESE.search(phase.name_zh_hans), phase
        assert 3 <= phase.checklist.count() <= 5, phase
        assert phase.checklist.filter(mandatory=True).exists(), phase
        assert phase.standards.exists(), phase


def test_the_standards_library_has_policies_templates_and_checklists():
    seed_small()

    standards = Standard.objects.all()
    assert standards.count() >= 12
    assert set(standards.values_list("category", flat=True)) == set(Standard.Category.values)
    assert any(CHINESE.search(standard.title) for standard in standards)
    assert set(standards.values_list("owner__username", flat=True)) == {"pmo", "admin"}
    template = Standard.objects.get(title="Business Case Template")
    assert "Executive summary" in template.body
    assert template.attachments.get().file.read().startswith(b"%PDF")


def test_every_project_under_way_is_on_a_lifecycle_as_far_as_its_status_says():
    seed_small()

    assert not ProjectPhase.objects.filter(project__status=Project.Status.PROPOSED).exists()
    for project in Project.objects.exclude(status=Project.Status.PROPOSED).select_related(
        "lifecycle_template"
    ):
        phases = list(project.phases.all())
        assert project.methodology_id == project.lifecycle_template.methodology_id
        assert len(phases) == project.lifecycle_template.phases.count()
        current = [phase for phase in phases if phase.status == ProjectPhase.Status.ACTIVE]
        if project.status == Project.Status.CLOSED:
            assert current == [] and project.current_phase_id is None, project
            assert all(phase.gate_passed for phase in phases), project
        else:
            assert len(current) == 1 and project.current_phase_id == current[0].pk, project
        expected_gate = {
            Project.Status.ON_HOLD: {ProjectPhase.GateStatus.ON_HOLD},
            Project.Status.CANCELLED: {ProjectPhase.GateStatus.STOPPED},
        }.get(project.status)
        if expected_gate:
            assert {current[0].gate_status} == expected_gate, project
        for phase in phases:
            if phase.status == ProjectPhase.Status.COMPLETED:
                assert phase.gate_passed and phase.started_on <= phase.completed_on, project


def test_no_gate_was_submitted_with_mandatory_evidence_missing():
    seed_small()

    submitted = ProjectChecklistItem.objects.filter(
        mandatory=True, phase__gate_status__in=["submitted", "approved", "conditional"]
    )
    assert submitted.exists()
    assert not submitted.filter(met_at__isnull=True).exists()
    assert not ProjectChecklistItem.objects.filter(
        met_at__isnull=False, evidence="link", evidence_link=""
    ).exists()
    missing_now = ProjectChecklistItem.objects.filter(
        mandatory=True, met_at__isnull=True, phase__status="active", phase__gate_status="open"
    )
    assert missing_now.exists()


def test_gates_show_every_kind_of_decision_and_some_wait_for_one():
    seed_small()
    today = datetime.date.today()

    outcomes = set(
        GateSubmission.objects.filter(status="decided").values_list("decision__outcome", flat=True)
    )
    assert outcomes == {"go", "conditional_go", "recycle", "hold", "stop"}
    assert GateSubmission.objects.filter(status="pending").count() >= 3
    overdue = ProjectPhase.objects.filter(
        status="active", gate_status="open", planned_end__lt=today,
        project__status=Project.Status.ACTIVE,
    )  # fmt: skip
    assert overdue.exists()
    for submission in GateSubmission.objects.filter(status="decided").select_related("decision"):
        assert submission.submitted_at <= submission.decision.decided_at
        if submission.decision.outcome == "conditional_go":
            assert 1 <= submission.decision.conditions.count() <= 2


def test_approved_change_requests_moved_the_baseline_as_the_history_records():
    seed_small()

    baselined = Project.objects.filter(baselined_at__isnull=False)
    assert set(baselined.values_list("status", flat=True)) >= {
        "approved", "active", "on_hold", "closed",
    }  # fmt: skip
    assert not Project.objects.filter(
        status__in=["approved", "active", "on_hold", "closed"], baselined_at__isnull=True
    ).exists()
    moved = 0
    for project in baselined:
        approved = list(project.change_requests.filter(status__in=["approved", "implemented"]))
        as_approved = project.history.get(history_type="+")
        shift = sum(change.schedule_impact_days for change in approved)
        cost = sum(change.cost_impact for change in approved)
        assert project.baseline_end - as_approved.baseline_end == datetime.timedelta(days=shift)
        assert project.baseline_budget - as_approved.baseline_budget == cost
        assert (project.baseline_end, project.baseline_budget) == (
            project.planned_end,
            project.budget,
        )
        reasons = set(project.history.filter(history_type="~").values_list(
            "history_change_reason", flat=True
        ))  # fmt: skip
        assert reasons == {f"{change.code} approved: {change.title}" for change in approved}
        moved += bool(shift)
    assert moved


def test_change_requests_are_numbered_per_project_and_a_dozen_await_the_board():
    seed_small()

    for code in ChangeRequest.objects.values_list("project__code", flat=True).distinct():
        numbers = ChangeRequest.objects.filter(project__code=code).values_list("number", flat=True)
        assert sorted(numbers) == list(range(1, len(numbers) + 1))
    assert set(ChangeRequest.objects.values_list("status", flat=True)) == set(
        ChangeRequest.Status.values
    )
    assert ChangeRequest.objects.awaiting_decision().count() >= 12
    assert not ChangeRequest.objects.filter(
        status__in=["draft", "submitted", "under_review"], decided_by__isnull=False
    ).exists()


def test_projects_under_way_have_milestones_against_their_baseline():
    seed_small()
    today = datetime.date.today()

    under_way = ["approved", "active", "closed"]
    for project in Project.objects.filter(status__in=under_way):
        assert 2 <= project.milestones.count() <= 5, project
    assert not Milestone.objects.filter(
        project__status__in=under_way, baseline_date__isnull=True
    ).exists()
    slipped = [m.slippage_days for m in Milestone.objects.all() if m.slippage_days]
    assert any(5 <= days <= 60 for days in slipped)
    assert not Milestone.objects.filter(actual_date__gte=today).exists()
    assert any(milestone.is_late for milestone in Milestone.objects.all())


def test_review_meetings_record_decisions_and_actions():
    seed_small()

    portfolio = Meeting.objects.filter(kind="portfolio_review")
    assert portfolio.count() == 6
    assert len({meeting.held_on.month for meeting in portfolio}) == 6
    assert Meeting.objects.filter(kind="project_review", project__isnull=False).exists()
    gate_reviews = Meeting.objects.filter(kind="gate_review")
    assert gate_reviews.exists()
    assert not gate_reviews.filter(gate_submission__isnull=True).exists()
    for meeting in Meeting.objects.all():
        assert meeting.minutes and meeting.attendees.exists(), meeting
        assert 1 <= meeting.decisions.count() <= 3, meeting
        assert 1 <= meeting.actions.count() <= 4, meeting
        assert meeting.history.get().attendees.count() == meeting.attendees.count()


def test_pm_finds_every_state_of_governance_on_their_own_projects():
    seed_small()
    pm_projects = Project.objects.filter(manager__username="pm")

    assert ProjectChecklistItem.objects.filter(
        phase__project__in=pm_projects, phase__status="active", phase__gate_status="open",
        mandatory=True, met_at__isnull=True,
    ).exists()  # fmt: skip
    assert GateSubmission.objects.filter(
        phase__project__in=pm_projects, status=GateSubmission.Status.PENDING
    ).exists()
    assert ChangeRequest.objects.filter(project__in=pm_projects, status="draft").exists()
    actions = ActionItem.objects.filter(owner__username="pm")
    assert actions.open().exists()
    assert actions.overdue().exists()
    assert actions.filter(status="done").exists()


def test_evidence_files_and_flush_leave_nothing_behind(media_root):
    seed_small()
    item = ProjectChecklistItem.objects.filter(evidence="file", met_at__isnull=False).first()

    assert item.evidence_file.read().startswith(b"%PDF")

    seed_small("--flush")
    assert Project.objects.count() == 60
    demo.flush_demo_data(demo.discover_demo_steps())
    for model in (Project, ProjectPhase, ChangeRequest, Milestone, Meeting, LifecycleTemplate):
        assert not model.objects.exists(), model
        assert not model.history.exists(), model
    assert not list(media_root.rglob("*.pdf"))
