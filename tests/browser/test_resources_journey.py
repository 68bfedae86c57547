"""A project manager asks for two backend developers; the resource manager books them; the
heat maps show the new load; budget against actual rolls up for the department."""

import datetime
import re
from decimal import Decimal

import pytest
from dateutil.relativedelta import relativedelta
from playwright.sync_api import expect

from resources.models import Allocation, BudgetLine, ResourceRequest, ResourceSkill
from tests.browser.axe import assert_accessible
from tests.browser.conftest import login
from tests.factories import ProjectFactory
from tests.resources.factories import ResourceFactory, ResourceRoleFactory, SkillFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def first_of_month(months: int = 0) -> datetime.date:
    return datetime.date.today().replace(day=1) + relativedelta(months=months)


def heat_row(page, label: str):
    """The heat-map row headed `label`."""
    return page.locator("tbody tr").filter(has=page.get_by_role("rowheader", name=label))


@pytest.fixture
def team(department, others_project):
    """Three backend developers of the project's department: Ada is free, Grace is already
    booked half-time elsewhere, Linus full-time elsewhere."""
    developer, python = ResourceRoleFactory(name="Backend developer"), SkillFactory(name="Python")
    people = {}
    for name in ("Ada Lovelace", "Grace Hopper", "Linus Torvalds"):
        people[name] = ResourceFactory(name=name, department=department, role=developer)
        ResourceSkill.objects.create(resource=people[name], skill=python, level=4)
    for name, hours in (("Grace Hopper", 20), ("Linus Torvalds", 40)):
        Allocation.objects.create(
            resource=people[name], project=others_project, start=first_of_month(-1),
            end=first_of_month(12), hours_per_week=Decimal(hours),
            booking=Allocation.Booking.HARD,
        )  # fmt: skip
    return people


def test_two_developers_are_requested_booked_and_seen_on_the_heat_maps(
    browser, live_server, pm, resource_manager, pmo, project, team, department
):
    base = live_server.url
    start, end = first_of_month(1), first_of_month(7) - datetime.timedelta(days=1)

    # The project manager asks for 2 backend developers with Python for 6 months.
    pm_context = browser.new_context(bypass_csp=True, viewport={"width": 1280, "height": 900})
    page = pm_context.new_page()
    login(page, live_server, "pm")
    page.goto(f"{base}/projects/{project.pk}/")
    page.get_by_role("link", name="Request people").click()
    page.get_by_label("Role").select_option(label="Backend developer")
    page.get_by_label("Skills").select_option(label="Python")
    page.get_by_label("Amount").fill("2")
    page.get_by_label("Full-time equivalents").check()
    page.get_by_label("From").fill(start.isoformat())
    page.get_by_label("Until").fill(end.isoformat())
    page.get_by_label("Note").fill("Payment service rewrite")
    assert_accessible(page)
    page.get_by_role("button", name="Send the request").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Backend developer")
    request = ResourceRequest.objects.get(project=project)
    assert (request.amount, request.start, request.end) == (Decimal(2), start, end)

    # The resource manager finds it in the queue and books the two best suggestions.
    rm_context = browser.new_context(bypass_csp=True, viewport={"width": 1280, "height": 900})
    rm = rm_context.new_page()
    login(rm, live_server, "resource")
    rm.goto(f"{base}/resources/requests/")
    rm.get_by_role("link", name=re.compile("Backend developer")).first.click()
    suggestions = rm.get_by_role("table", name="Suggested people").locator("tbody tr")
    expect(suggestions.first).to_contain_text("Ada Lovelace")  # free full-time: best fit
    expect(suggestions.nth(1)).to_contain_text("Grace Hopper")
    assert_accessible(rm)
    rm.get_by_label("Ada Lovelace", exact=True).check()
    rm.get_by_label("Grace Hopper", exact=True).check()
    rm.get_by_role("button", name="Book the chosen people").click()
    # 40 hours a week more would take Grace over her capacity: asked to confirm.
    expect(rm.get_by_text("over capacity").first).to_be_visible()
    rm.get_by_label("Book even where this goes over capacity").check()
    rm.get_by_role("button", name="Book the chosen people").click()
    expect(rm.get_by_role("heading", name="People booked for this request")).to_be_visible()
    request.refresh_from_db()
    assert request.status == ResourceRequest.Status.FULFILLED
    assert set(request.allocations.values_list("resource__name", flat=True)) == {
        "Ada Lovelace", "Grace Hopper",
    }  # fmt: skip

    # The person heat map: Ada full, Grace over 100% and flagged.
    rm.goto(f"{base}/resources/capacity/people/")
    next_month = heat_row(rm, re.compile("Grace Hopper")).locator("td").nth(1)
    expect(next_month).to_contain_text("150%")
    expect(next_month).to_have_class(re.compile("heat-over"))
    expect(heat_row(rm, re.compile("Ada Lovelace")).locator("td").nth(1)).to_contain_text("100%")
    assert_accessible(rm)
    rm.get_by_label("Only over-allocated people").check()
    rm.get_by_role("button", name="Show").click()
    expect(rm.get_by_role("rowheader", name=re.compile("Grace Hopper"))).to_be_visible()
    expect(rm.get_by_role("rowheader", name=re.compile("Ada Lovelace"))).to_have_count(0)
    # Its cell opens the allocations that cause it.
    heat_row(rm, re.compile("Grace Hopper")).locator("td").nth(1).get_by_role("link").click()
    expect(rm.get_by_text(project.name).first).to_be_visible()
    assert_accessible(rm)

    # The role heat map, without and then with the pipeline of proposed projects.
    pipeline_project = ProjectFactory(
        code="PRJ-00009", name="Mobile banking", status="proposed", manager=pm,
        department=department,
    )  # fmt: skip
    ResourceRequest.objects.create(
        project=pipeline_project, role=team["Ada Lovelace"].role, amount=Decimal(3), unit="fte",
        start=first_of_month(1), end=first_of_month(4), requested_by=pm,
    )  # fmt: skip
    rm.goto(f"{base}/resources/capacity/roles/")
    developers = heat_row(rm, "Backend developer").locator("td").nth(1)
    expect(developers).to_contain_text("117%")  # 140 h a week booked, of 3 x 40 h
    assert_accessible(rm)
    rm.get_by_label("Include pipeline (proposed projects)").check()
    rm.get_by_role("button", name="Show").click()
    expect(developers).to_contain_text("217%")  # and 3 FTE asked for by a proposed project
    expect(developers).to_have_class(re.compile("heat-over"))

    # Budget against actual: the project manager records a cost; the department rolls it up.
    BudgetLine.objects.create(
        project=project, category="labour", period=first_of_month(), amount=Decimal(50_000)
    )
    page.goto(f"{base}/resources/projects/{project.pk}/costs/")
    actual = page.get_by_role("form", name="Record an actual cost")
    actual.get_by_label("Category").select_option(label="Labour")
    actual.get_by_label("Month").fill(first_of_month().strftime("%Y-%m"))
    actual.get_by_label("Actual cost").fill("12500")
    actual.get_by_role("button", name="Record").click()
    expect(page.get_by_role("alert").or_(page.get_by_role("status")).first).to_be_visible()
    assert_accessible(page)
    page.goto(f"{base}/resources/costs/")
    finance = page.locator("tbody tr").filter(has=page.get_by_role("link", name="Finance"))
    expect(finance).to_contain_text("12,500.00")
    assert_accessible(page)
    finance.get_by_role("link", name="Finance").click()
    ours = page.locator("tbody tr").filter(
        has=page.get_by_role("link", name=re.compile(project.code))
    )
    expect(ours).to_contain_text("12,500")
    expect(ours).to_contain_text("25.0%")  # of its 50,000 budget
    assert_accessible(page)

    # The same in Chinese.
    page.get_by_role("button", name="Language").click()
    page.get_by_role("button", name="简体中文").click()
    page.goto(f"{base}/resources/capacity/roles/?pipeline=on")
    expect(page.get_by_role("heading", level=1)).to_contain_text("按角色")
    assert_accessible(page)
    pm_context.close()
    rm_context.close()
