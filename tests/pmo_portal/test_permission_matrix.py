"""Every page of the portal, for every persona, with the status each must get.

The URL list comes from the resolver, so a new page fails `test_every_page_is_in_the_matrix`
until its expected statuses are written down here.
"""

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

from tests.accounts import test_two_step
from tests.portfolio import test_permissions as test_portfolio_pages
from tests.projects import (
    test_change_views,
    test_compliance,
    test_lifecycle_views,
    test_meeting_views,
    test_standards_views,
)
from tests.reports import test_dashboard as test_report_dashboard
from tests.reports import test_executive_views as test_executive_report_pages
from tests.reports import test_status_views as test_report_pages
from tests.resources import (
    test_costs,
    test_planning,
    test_register_views,
    test_request_views,
)
from tests.risks import test_views as test_risk_views

# Each area's own tests check its pages for every persona, with its own fixtures.
AREA_MATRICES = [
    test_change_views, test_compliance, test_lifecycle_views, test_meeting_views,
    test_standards_views, test_costs, test_planning, test_register_views, test_request_views,
    test_portfolio_pages, test_risk_views, test_report_pages, test_report_dashboard,
    test_executive_report_pages, test_two_step,
]  # fmt: skip

pytestmark = pytest.mark.django_db

PERSONAS = ["anonymous", "executive", "pm", "pmo", "resource_manager"]
LOGIN = "login"  # anonymous users are sent to the login page

# url -> expected status per persona (same order as PERSONAS).
# {own} is a project managed by `pm`, {other} one managed by another project manager.
MATRIX = {
    "/": [LOGIN, 200, 200, 200, 200],
    "/healthz": [200, 200, 200, 200, 200],
    "/accounts/login/": [200, 200, 200, 200, 200],
    "/accounts/settings/": [LOGIN, 200, 200, 200, 200],
    "/accounts/language/": [LOGIN, 405, 405, 405, 405],
    "/accounts/logout/": [LOGIN, 405, 405, 405, 405],
    "/accounts/password_change/": [LOGIN, 200, 200, 200, 200],
    "/accounts/password_change/done/": [LOGIN, 200, 200, 200, 200],
    "/accounts/password_reset/": [200, 200, 200, 200, 200],
    "/accounts/password_reset/done/": [200, 200, 200, 200, 200],
    "/accounts/reset/MQ/bad-token/": [200, 200, 200, 200, 200],
    "/accounts/reset/done/": [200, 200, 200, 200, 200],
    "/projects/": [LOGIN, 200, 200, 200, 200],
    "/projects/new/": [LOGIN, 403, 200, 200, 403],
    "/projects/{own}/": [LOGIN, 200, 200, 200, 200],
    "/projects/{other}/": [LOGIN, 200, 200, 200, 200],
    "/projects/{own}/edit/": [LOGIN, 403, 200, 200, 403],
    "/projects/{other}/edit/": [LOGIN, 403, 403, 200, 403],
    "/resources/": [LOGIN, 200, 200, 200, 200],
    "/reports/": [LOGIN, 200, 200, 200, 200],
    "/admin/": ["admin-login", "admin-login", "admin-login", "admin-login", "admin-login"],
}

# Resolver patterns and the matrix rows that cover them.
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
}


def portal_patterns(patterns, prefix=""):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            if str(pattern.pattern) == "admin/":
                continue  # Django admin: checked as one row, it guards itself
            yield from portal_patterns(pattern.url_patterns, prefix + str(pattern.pattern))
        elif isinstance(pattern, URLPattern):
            yield prefix + str(pattern.pattern)


def test_every_page_is_in_the_matrix():
    """Pages checked here, or in the permission tables of each area's own tests."""
    covered = set(PATTERN_ROWS)
    for module in AREA_MATRICES:
        covered |= set(module.PATTERN_ROWS)
    covered |= set(test_request_views.PORTAL_PATTERN_ROWS)
    missing = set(portal_patterns(get_resolver().url_patterns)) - covered
    assert not missing, f"add these pages to the permission matrix: {sorted(missing)}"


@pytest.fixture
def persona_users(executive, pm, pmo, resource_manager):
    return {"executive": executive, "pm": pm, "pmo": pmo, "resource_manager": resource_manager}


@pytest.mark.parametrize("url_template", list(MATRIX))
@pytest.mark.parametrize("persona", PERSONAS)
def test_each_persona_gets_the_expected_status(
    client, persona_users, project, others_project, url_template, persona
):
    expected = MATRIX[url_template][PERSONAS.index(persona)]
    if persona != "anonymous":
        client.force_login(persona_users[persona])
    url = url_template.format(own=project.pk, other=others_project.pk)
    response = client.get(url)
    if expected == LOGIN:
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/?next=")
    elif expected == "admin-login":
        assert response.status_code == 302
        assert response["Location"].startswith("/admin/login/")
    else:
        assert response.status_code == expected


def test_pmo_admin_reaches_django_admin(client, pmo_admin, verified_login):
    verified_login(client, pmo_admin)
    assert client.get("/admin/projects/project/").status_code == 200


@pytest.mark.parametrize("persona", ["executive", "resource_manager"])
def test_read_only_roles_cannot_create_by_post(client, persona_users, department, persona):
    client.force_login(persona_users[persona])
    response = client.post("/projects/new/", {"code": "PRJ-77777", "name": "Sneaky"})
    assert response.status_code == 403
