"""A project manager registers a project, finds it in the register and reads it in Chinese."""

import re

import pytest
from playwright.sync_api import expect

from projects.models import Project
from tests.browser.axe import assert_accessible
from tests.browser.conftest import login, wait_for_htmx
from tests.factories import ProjectFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]

NEW_CODE = "PRJ-09999"
NEW_NAME = "Customer portal relaunch"


@pytest.fixture
def projects_of_another_manager(other_pm, department, project_type):
    """Projects of another manager, for the filters to leave out."""
    return [
        ProjectFactory(
            code=code,
            name=name,
            status=status,
            manager=other_pm,
            department=department,
            project_type=project_type,
        )
        for code, name, status in [
            ("PRJ-00101", "Warehouse automation", Project.Status.ACTIVE),
            ("PRJ-00102", "Customer portal hosting", Project.Status.ACTIVE),
            ("PRJ-00103", "Data centre move", Project.Status.PROPOSED),
        ]
    ]


def project_rows(page):
    return page.locator("#project-table tbody tr")


def fill_new_project_form(page, *, planned_start: str, planned_end: str) -> None:
    page.get_by_label("Code").fill(NEW_CODE)
    page.get_by_label("Name").fill(NEW_NAME)
    page.get_by_label("Type").select_option(label="IT system")
    page.get_by_label("Status").select_option(label="Proposed")
    page.get_by_label("Department").select_option(label="Finance")
    page.get_by_label("Planned start").fill(planned_start)
    page.get_by_label("Planned end").fill(planned_end)
    page.get_by_label("Budget").fill("480000")


def test_a_project_manager_registers_a_project_and_finds_it_in_both_languages(
    page, live_server, pm, department, project_type, projects_of_another_manager
):
    login(page, live_server, "pm")
    expect(page.get_by_role("heading", level=1)).to_have_text("Portfolio health")
    assert_accessible(page)

    page.get_by_role("navigation", name="Main navigation").get_by_role(
        "link", name="Projects"
    ).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Projects")
    page.get_by_role("link", name="New project").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("New project")
    expect(page.get_by_label("Project manager")).to_be_disabled()
    fill_new_project_form(page, planned_start="2026-03-01", planned_end="2026-11-30")
    page.get_by_role("button", name="Save").click()

    project = Project.objects.get(code=NEW_CODE)
    expect(page).to_have_url(f"{live_server.url}/projects/{project.pk}/")
    expect(page.get_by_role("heading", level=1)).to_contain_text(NEW_NAME)
    expect(page.get_by_role("alert")).to_contain_text(f"Project {NEW_CODE} created.")
    assert project.manager == pm
    assert_accessible(page)

    page.get_by_role("navigation", name="Breadcrumb").get_by_role("link", name="Projects").click()
    expect(project_rows(page)).to_have_count(4)
    search = page.get_by_role("search", name="Filter projects")
    search.get_by_label("Search").press_sequentially("customer portal")
    expect(project_rows(page)).to_have_count(2)
    expect(page.locator("#project-table")).not_to_contain_text("Warehouse automation")
    search.get_by_label("Status").select_option(label="Proposed")
    expect(project_rows(page)).to_have_count(1)
    expect(project_rows(page)).to_contain_text(NEW_NAME)
    expect(page).to_have_url(re.compile(r"status=proposed"))
    assert_accessible(page)

    page.get_by_role("button", name="Language").click()
    page.get_by_role("button", name="简体中文").click()
    expect(page.locator("html")).to_have_attribute("lang", "zh-hans")
    page.locator("#language-menu").click()
    expect(page.locator("button[name=language][value=zh-hans]")).to_have_attribute(
        "aria-current", "true"
    )
    expect(page.get_by_role("heading", level=1)).to_have_text("项目")
    expect(page).to_have_url(re.compile(r"status=proposed"))  # the filters survive the switch
    expect(project_rows(page)).to_have_count(1)
    page.keyboard.press("Escape")
    assert_accessible(page)


def test_an_end_date_before_the_start_is_refused_next_to_the_field(
    page, live_server, pm, department, project_type
):
    login(page, live_server, "pm")
    page.goto(f"{live_server.url}/projects/new/")
    fill_new_project_form(page, planned_start="2026-06-01", planned_end="2026-05-31")
    page.get_by_role("button", name="Save").click()

    expect(page.get_by_role("alert")).to_contain_text("Nothing was saved.")
    planned_end = page.get_by_label("Planned end")
    expect(planned_end).to_have_class(re.compile(r"\bis-invalid\b"))
    expect(page.locator("#div_id_planned_end")).to_contain_text(
        "The end date cannot be before the start date."
    )
    expect(page).to_have_url(f"{live_server.url}/projects/new/")
    assert not Project.objects.filter(code=NEW_CODE).exists()
    assert_accessible(page)


def test_the_project_list_fits_a_phone_screen(page, live_server, pm, projects_of_another_manager):
    page.set_viewport_size({"width": 390, "height": 844})
    login(page, live_server, "pm")
    page.goto(f"{live_server.url}/projects/")
    expect(project_rows(page)).to_have_count(3)

    expect(page.get_by_role("button", name="Toggle navigation")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_filtering_replaces_the_results_rather_than_nesting_them(
    page, live_server, pm, projects_of_another_manager
):
    login(page, live_server, "pm")
    page.goto(f"{live_server.url}/projects/")
    page.get_by_label("Status").select_option(label="Proposed")
    expect(project_rows(page)).to_have_count(1)
    wait_for_htmx(page)

    assert page.locator("[id=results]").count() == 1
