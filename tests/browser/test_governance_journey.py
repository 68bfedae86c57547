"""The PMO builds a lifecycle; a project manager takes a project through its first gate."""

import re

import pytest
from playwright.sync_api import expect

from projects.models import LifecycleTemplate, Project
from tests.browser.axe import assert_accessible
from tests.browser.conftest import login
from tests.factories import MethodologyFactory, set_governance_mode

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def add_phase(page, name: str, gate: str) -> None:
    page.get_by_role("link", name="Add phase").click()
    page.get_by_label("Name (English)").fill(name)
    page.get_by_label("Gate", exact=True).fill(gate)
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("heading", name=re.compile(name))).to_be_visible()


def add_item(page, phase: str, title: str, evidence: str) -> None:
    page.get_by_role("article", name=re.compile(phase)).get_by_role("link", name="Add item").click()
    page.get_by_label("Title").fill(title)
    page.get_by_label("Evidence expected").select_option(label=evidence)
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("cell", name=title, exact=True)).to_be_visible()


def test_a_lifecycle_is_built_and_a_project_passes_its_first_gate(
    browser, live_server, pmo, pm, project
):
    set_governance_mode("controlling")
    MethodologyFactory(name="Waterfall")
    base = live_server.url

    # The PMO analyst builds and publishes a lifecycle template.
    pmo_page = browser.new_context(bypass_csp=True, viewport={"width": 1280, "height": 900})
    page = pmo_page.new_page()
    login(page, live_server, "pmo")
    page.goto(f"{base}/projects/lifecycles/")
    page.get_by_role("link", name="New lifecycle template", exact=True).click()
    page.get_by_label("Methodology").select_option(label="Waterfall")
    page.get_by_label("Name").fill("Corporate waterfall")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Corporate waterfall")
    add_phase(page, "Initiation", "Business case approved")
    add_item(page, "Initiation", "Project charter", "A link")
    add_phase(page, "Delivery", "Acceptance")
    assert_accessible(page)
    page.get_by_role("button", name="Publish").click()
    template = LifecycleTemplate.objects.get(name="Corporate waterfall")
    expect(page.get_by_text("Published").first).to_be_visible()
    assert template.status == LifecycleTemplate.Status.PUBLISHED

    # The project manager puts the project on it, attaches evidence and submits the gate.
    pm_context = browser.new_context(bypass_csp=True, viewport={"width": 1280, "height": 900})
    pm_page = pm_context.new_page()
    login(pm_page, live_server, "pm")
    pm_page.goto(f"{base}/projects/{project.pk}/lifecycle/")
    pm_page.get_by_role("button", name="Put the project on this lifecycle").click()
    expect(pm_page.locator("td", has_text="Project charter").first).to_be_visible()
    assert_accessible(pm_page)

    # Controlling governance: the gate cannot be skipped, nor submitted incomplete.
    pm_page.goto(f"{base}/projects/{project.pk}/advance/")
    expect(pm_page.get_by_text("leaves a phase only through an approved gate")).to_be_visible()
    pm_page.goto(f"{base}/projects/{project.pk}/lifecycle/")
    pm_page.get_by_role("link", name="Give evidence").click()
    pm_page.get_by_label("Link").fill("https://docs.example.com/charter")
    pm_page.get_by_role("button", name="Save evidence").click()
    pm_page.get_by_role("link", name="Submit gate").click()
    assert_accessible(pm_page)
    pm_page.get_by_role("button", name="Submit gate").click()
    expect(pm_page.get_by_text("Submitted").first).to_be_visible()

    # The PMO approves the gate from the queue; the project moves to the next phase.
    page.goto(f"{base}/projects/gates/")
    page.get_by_role("link", name="Decide").first.click()
    assert_accessible(page)
    page.get_by_label("Go", exact=True).check()
    page.get_by_role("button", name="Record the decision").click()
    project.refresh_from_db()
    assert project.current_phase.name == "Delivery"
    assert project.status == Project.Status.ACTIVE

    pm_page.goto(f"{base}/projects/{project.pk}/")
    expect(pm_page.locator("[aria-current=step]")).to_contain_text("Delivery")
    pm_page.get_by_role("button", name="Language").click()
    pm_page.get_by_role("button", name="简体中文").click()
    expect(pm_page.get_by_role("navigation", name="项目标准与登记册")).to_contain_text("关口评审")
    assert_accessible(pm_page)
    pm_context.close()
    pmo_page.close()
