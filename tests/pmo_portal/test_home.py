import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.factories import DepartmentFactory, ProjectFactory

pytestmark = pytest.mark.django_db


def test_home_page_shows_the_portfolio_and_my_projects(client, pm, project, others_project):
    client.force_login(pm)
    response = client.get("/")
    body = response.content.decode()
    assert response.status_code == 200
    assert "ERP upgrade" in body  # in "My open projects"
    assert "Warehouse automation" not in body
    active = next(row for row in response.context["status_rows"] if row["status"] == "active")
    assert active["count"] == 2


def test_executives_see_no_my_projects_list(client, executive, project):
    client.force_login(executive)
    body = client.get("/").content.decode()
    assert "My open projects" not in body
    assert "Projects by status" in body


@pytest.mark.parametrize("url", ["/"])
@pytest.mark.parametrize("rows", [3, 30])
def test_query_count_does_not_grow_with_projects(client, pm, project_type, url, rows):
    departments = DepartmentFactory.create_batch(3)
    for number in range(rows):
        ProjectFactory(manager=pm, department=departments[number % 3], project_type=project_type)
    client.force_login(pm)
    client.get(url)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    expected = {"/": 8}[url]
    assert len(queries) == expected, [q["sql"] for q in queries]


def test_budget_totals_are_in_the_reporting_currency(client, pmo, department, project_type):
    from projects.models import ExchangeRate

    ExchangeRate.objects.create(currency="USD", rate="7.10")
    ProjectFactory(department=department, project_type=project_type, budget=1000, currency="CNY")
    ProjectFactory(department=department, project_type=project_type, budget=100, currency="USD")
    ProjectFactory(department=department, project_type=project_type, budget=5, currency="EUR")
    client.force_login(pmo)
    response = client.get("/")
    active = next(row for row in response.context["status_rows"] if row["status"] == "active")
    # 1000 CNY + 100 USD at 7.10; the EUR budget has no rate and stays out of the total.
    assert active["budget"] == 1710
    assert response.context["top_departments"][0].open_budget == 1710


def test_amounts_are_grouped_in_both_languages():
    from django.utils import translation

    from pmo_portal.templatetags.portal import money

    with translation.override("en"):
        assert money(25000000, "CNY") == "25,000,000.00 CNY"
    with translation.override("zh-hans"):
        assert money(25000000, "CNY") == "25,000,000.00 CNY"
