"""`seed_demo` fills a realistic demo organisation, the same for the same seed; `bench` times it."""

import datetime
import re
from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command

from projects.models import Department, ExchangeRate, Project

pytestmark = pytest.mark.django_db

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
        assert client.login(username=username, password="demo"), username
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


def test_the_same_seed_gives_the_same_register_again():
    seed_small()
    first = register()

    seed_small("--flush")

    assert register() == first


def test_another_seed_gives_another_register():
    seed_small()
    first = register()

    seed_small("--flush", "--seed", "7")

    assert register() != first


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
