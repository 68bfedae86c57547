"""Every page of the portal, for every persona, with the status each must get.

The URL list comes from the resolver, so a new page fails `test_every_page_is_in_a_table` until
its expected statuses are written down: the portal's own pages here, each area's pages in the
permission table of that area's tests (TABLES), all in the shape of tests/permission_matrix.py.
"""

import importlib

import pytest
from django.urls import get_resolver

from tests.permission_matrix import (
    ADMIN_LOGIN,
    LOGIN,
    PERSONAS,
    POST_ONLY,
    READ,
    check_page,
    check_refused_post,
    refused,
    resolver_patterns,
)

pytestmark = pytest.mark.django_db

# The permission tables, and the pages each answers for by the beginning of their resolver
# pattern: a page belongs to the table with the longest matching beginning. A table listed here
# may not exist yet while its pages are being built; its pages then show as missing, with the
# module to write.
TABLES = {
    "tests.pmo_portal.test_permission_matrix": [""],
    "tests.accounts.test_two_step": ["accounts/two-step/", "accounts/sign-in-policy/"],
    "tests.accounts.test_sessions": ["accounts/sessions/"],
    "tests.projects.test_standards_views": [
        "projects/lifecycles/", "projects/methodologies/", "projects/standards/",
        "projects/governance/",
    ],
    "tests.projects.test_lifecycle_views": [
        "projects/<int:pk>/lifecycle/", "projects/<int:pk>/checklist/",
        "projects/<int:pk>/phases/", "projects/<int:pk>/advance/", "projects/<int:pk>/milestones/",
        "projects/gates/", "projects/conditions/",
    ],
    "tests.projects.test_compliance": ["projects/compliance/"],
    "tests.projects.test_change_views": ["projects/<int:pk>/changes/", "projects/changes/"],
    "tests.projects.test_meeting_views": [
        "projects/meetings/", "projects/actions/", "projects/my-actions/",
    ],
    "tests.portfolio.test_permissions": ["portfolio/"],
    "tests.resources.test_register_views": [
        "resources/people/", "resources/absences/", "resources/allocations/",
    ],
    "tests.resources.test_request_views": [
        "resources/projects/<int:pk>/requests/", "resources/requests/",
    ],
    "tests.resources.test_planning": ["resources/capacity/", "resources/utilisation/"],
    "tests.resources.test_costs": ["resources/projects/<int:pk>/costs/", "resources/costs/"],
    "tests.risks.test_views": ["risks/"],
    "tests.reports.test_status_views": ["reports/"],
    "tests.reports.test_executive_views": ["reports/executive/"],
}  # fmt: skip

# The portal's own pages. url -> expected status per persona (same order as PERSONAS).
# {own} is a project managed by `pm`, {other} one managed by another project manager.
MATRIX = {
    "/": [LOGIN, 200, 200, 200, 200, 200],
    "/healthz": [200, 200, 200, 200, 200, 200],
    "/accounts/login/": [200, 200, 200, 200, 200, 200],
    "/accounts/settings/": READ,
    "/accounts/language/": POST_ONLY,
    "/accounts/logout/": POST_ONLY,
    "/accounts/password_change/": READ,
    "/accounts/password_change/done/": READ,
    "/accounts/password_reset/": [200, 200, 200, 200, 200, 200],
    "/accounts/password_reset/done/": [200, 200, 200, 200, 200, 200],
    "/accounts/reset/MQ/bad-token/": [200, 200, 200, 200, 200, 200],
    "/accounts/reset/done/": [200, 200, 200, 200, 200, 200],
    "/projects/": READ,
    "/projects/new/": [LOGIN, 403, 200, 200, 403, 200],
    "/projects/{own}/": READ,
    "/projects/{other}/": READ,
    "/projects/{own}/edit/": [LOGIN, 403, 200, 200, 403, 200],
    "/projects/{other}/edit/": [LOGIN, 403, 403, 200, 403, 200],
    "/resources/": READ,
    "/reports/": READ,
    "/notifications/": READ,
    "/notifications/read/": POST_ONLY,
    # Django admin guards itself: one row, for staff only.
    "/admin/": [ADMIN_LOGIN, ADMIN_LOGIN, ADMIN_LOGIN, ADMIN_LOGIN, ADMIN_LOGIN, 200],
}

# Resolver patterns of the portal's own pages and the matrix rows that cover them.
PATTERN_ROWS = {
    "": "/",
    "healthz": "/healthz",
    "accounts/login/": "/accounts/login/",
    "accounts/settings/": "/accounts/settings/",
    "accounts/language/": "/accounts/language/",
    "accounts/logout/": "/accounts/logout/",
    "accounts/password_change/": "/accounts/password_change/",
    "accounts/password_change/done/": "/accounts/password_change/done/",
    "accounts/password_reset/": "/accounts/password_reset/",
    "accounts/password_reset/done/": "/accounts/password_reset/done/",
    "accounts/reset/<uidb64>/<token>/": "/accounts/reset/MQ/bad-token/",
    "accounts/reset/done/": "/accounts/reset/done/",
    "projects/": "/projects/",
    "projects/new/": "/projects/new/",
    "projects/<int:pk>/": "/projects/{own}/",
    "projects/<int:pk>/edit/": "/projects/{own}/edit/",
    "resources/": "/resources/",
    "reports/": "/reports/",
    "notifications/": "/notifications/",
    "notifications/read/": "/notifications/read/",
}

ADMIN = "admin/"


def table_modules() -> dict:
    """The table modules that exist, by name."""
    modules = {}
    for name in TABLES:
        try:
            modules[name] = importlib.import_module(name)
        except ModuleNotFoundError as error:
            if error.name != name:
                raise
    return modules


def table_for(pattern: str) -> str:
    """The module whose table a page belongs in."""
    beginnings = [
        (len(beginning), name)
        for name, beginnings in TABLES.items()
        for beginning in beginnings
        if pattern.startswith(beginning)
    ]
    return max(beginnings)[1]


def as_path(module_name: str) -> str:
    return module_name.replace(".", "/") + ".py"


def portal_patterns() -> set[str]:
    """Every page pattern of the portal but Django admin's (its one row is in MATRIX)."""
    return {
        pattern
        for pattern in resolver_patterns(get_resolver().url_patterns)
        if not pattern.startswith(ADMIN)
    }


def test_every_page_is_in_a_table():
    """Each page of the resolver is in the permission table of some module."""
    covered = set()
    for module in table_modules().values():
        covered |= set(module.PATTERN_ROWS)
    missing = sorted(portal_patterns() - covered)
    where = {}
    for pattern in missing:
        where.setdefault(as_path(table_for(pattern)), []).append(pattern)
    assert not missing, "Pages with no row in a permission table; add their rows to:\n" + "\n".join(
        f"  {path} (MATRIX and PATTERN_ROWS): {', '.join(patterns)}"
        for path, patterns in sorted(where.items())
    )


def test_every_row_is_a_page_and_has_a_status_for_each_persona():
    """No table keeps a row for a page that is gone, and every table has the same shape."""
    pages = portal_patterns()
    for name, module in table_modules().items():
        stale = set(module.PATTERN_ROWS) - pages
        assert not stale, f"{as_path(name)}: rows for pages that do not exist: {sorted(stale)}"
        unknown = set(module.PATTERN_ROWS.values()) - set(module.MATRIX)
        assert not unknown, f"{as_path(name)}: PATTERN_ROWS name no MATRIX row: {sorted(unknown)}"
        short = [url for url, row in module.MATRIX.items() if len(row) != len(PERSONAS)]
        assert not short, f"{as_path(name)}: not one status per persona in {short}"
        assert module.PERSONAS == PERSONAS, as_path(name)


def test_a_new_page_is_reported_with_the_module_of_its_table():
    assert table_for("risks/<int:pk>/archive/") == "tests.risks.test_views"
    assert table_for("reports/executive/archive/") == "tests.reports.test_executive_views"
    assert table_for("projects/<int:pk>/changes/export/") == "tests.projects.test_change_views"
    assert table_for("accounts/two-step/backup/") == "tests.accounts.test_two_step"
    assert table_for("search/") == "tests.pmo_portal.test_permission_matrix"


@pytest.mark.parametrize("url_template", list(MATRIX))
@pytest.mark.parametrize("persona", PERSONAS)
def test_each_persona_gets_the_expected_status(
    client, request, project, others_project, url_template, persona
):
    check_page(
        client, request, MATRIX, url_template, persona, own=project.pk, other=others_project.pk
    )


@pytest.mark.parametrize(("url_template", "persona"), refused(MATRIX))
def test_a_persona_refused_a_page_is_refused_by_post_too(
    client, request, project, others_project, url_template, persona
):
    check_refused_post(
        client, request, MATRIX, url_template, persona, own=project.pk, other=others_project.pk
    )


def test_pmo_admin_reaches_django_admin(client, pmo_admin, verified_login):
    verified_login(client, pmo_admin)
    assert client.get("/admin/projects/project/").status_code == 200


@pytest.mark.parametrize("persona", ["executive", "resource_manager"])
def test_read_only_roles_cannot_create_by_post(client, request, department, persona):
    client.force_login(request.getfixturevalue(persona))
    response = client.post("/projects/new/", {"code": "PRJ-77777", "name": "Sneaky"})
    assert response.status_code == 403


def test_a_project_manager_cannot_change_another_managers_project_by_post(
    client, pm, others_project
):
    client.force_login(pm)
    response = client.post(f"/projects/{others_project.pk}/edit/", {"name": "Taken over"})
    assert response.status_code == 403
    others_project.refresh_from_db()
    assert others_project.name == "Warehouse automation"
