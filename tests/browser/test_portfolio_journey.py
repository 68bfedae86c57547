"""The PMO weighs a portfolio's criteria by pairwise comparison, scores a project, selects
projects within a budget and a role's hours, looks at the efficient frontier, tries a copy with
more hours, compares the two and commits one: the decisions then show on the projects."""

import datetime
import re
from decimal import Decimal

import pytest
from playwright.sync_api import expect

from portfolio.models import PortfolioDecision, Scenario
from projects.models import Project
from resources.models import Allocation
from tests.browser.axe import assert_accessible
from tests.browser.conftest import login
from tests.portfolio.factories import (
    PortfolioFactory,
    criterion,
    place,
    placed_project,
    rank,
    score,
)
from tests.resources.factories import AllocationFactory, ResourceFactory, ResourceRoleFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PERIOD = datetime.date.today().year  # the planning period the pages open on
CRITERIA = ["Strategic fit", "Financial return", "Customer impact", "Delivery risk"]


@pytest.fixture
def digital(pmo, project, department):
    """The "Digital" portfolio: four criteria of equal weight (delivery risk a cost), and five
    projects costing 1.3 million together. `project` (ERP upgrade, 400,000) is not scored yet;
    the data warehouse and the mobile app each book a data engineer half-time all year."""
    portfolio = PortfolioFactory(name="Digital")
    criteria = {
        name: criterion(
            portfolio,
            name,
            period=PERIOD,
            direction="cost" if name == "Delivery risk" else "benefit",
        )
        for name in CRITERIA
    }
    year = {
        "planned_start": datetime.date(PERIOD, 1, 1),
        "planned_end": datetime.date(PERIOD, 12, 31),
    }
    Project.objects.filter(pk=project.pk).update(budget=Decimal(400_000), **year)
    place(project, portfolio, risk_score=2)
    projects = {}
    # Levels on strategic fit, financial return, customer impact, delivery risk.
    for code, name, budget, levels in (
        ("PRJ-00011", "Customer portal", 300_000, (4, 3, 5, 2)),
        ("PRJ-00012", "Data warehouse", 250_000, (4, 5, 2, 3)),
        ("PRJ-00013", "Mobile app", 200_000, (3, 3, 5, 2)),
        ("PRJ-00014", "Office move", 150_000, (1, 2, 1, 1)),
    ):
        projects[name] = placed_project(
            portfolio, code=code, name=name, budget=Decimal(budget), department=department, **year
        )
        for criterion_name, level in zip(CRITERIA, levels, strict=True):
            score(projects[name], criteria[criterion_name], level, pmo)
    # Two data engineers, each booked 20 hours a week all year: about 1,043 hours a project.
    engineer = ResourceRoleFactory(name="Data engineer")
    for person, booked_on in (("Ada Lovelace", "Data warehouse"), ("Grace Hopper", "Mobile app")):
        AllocationFactory(
            resource=ResourceFactory(name=person, role=engineer, department=department),
            project=projects[booked_on], start=datetime.date(PERIOD, 1, 1),
            end=datetime.date(PERIOD, 12, 31), hours_per_week=Decimal(20),
            booking=Allocation.Booking.HARD,
        )  # fmt: skip
    rank(portfolio, PERIOD)
    return {"portfolio": portfolio, "erp": project, **projects}


def section_link(page, name: str):
    """A link of the portfolio area's section navigation."""
    return page.get_by_role("navigation", name="Portfolio management").get_by_role(
        "link", name=name, exact=True
    )


def message(page, text: str):
    return page.locator(".messages").get_by_text(text)


def judge(page, first: str, second: str, judgement: str) -> None:
    page.get_by_label(f"{first} compared with {second}").select_option(label=judgement)


def score_on(page, criterion_name: str, level: str, rationale: str) -> None:
    """Set the project's level on one criterion, in that criterion's card."""
    card = page.locator(".card").filter(
        has=page.get_by_role("heading", name=re.compile(f"^{criterion_name}"))
    )
    card.get_by_label("Level").select_option(label=level)
    card.get_by_label("Rationale").fill(rationale)
    card.get_by_role("button", name=f"Save score {criterion_name}").click()
    expect(message(page, f"Score on {criterion_name} saved")).to_be_visible()


def set_role_limit(page, role: str, hours: str) -> None:
    """Give the first row of the scenario's hours per role."""
    row = page.get_by_role("group", name="Hours per role 1", exact=True)
    row.get_by_label("Role").select_option(label=role)
    row.get_by_label("Hours in the period").fill(hours)


def figure(page, label: str):
    """A row of a table headed `label` (the limit usage, the comparison)."""
    return page.locator("tr").filter(has=page.get_by_role("rowheader", name=label, exact=True))


def candidate(page, code: str):
    return page.locator("#scenario-candidates tbody tr").filter(
        has=page.get_by_role("link", name=code, exact=True)
    )


def test_criteria_are_weighed_projects_selected_and_decisions_committed(
    page, live_server, pmo, digital
):
    base = live_server.url
    login(page, live_server, "pmo")

    # Pairwise comparison: strategic fit matters most, delivery risk least.
    page.goto(f"{base}/portfolio/criteria/?portfolio={digital['portfolio'].pk}&period={PERIOD}")
    expect(page.get_by_role("heading", level=1)).to_have_text("Objectives and criteria")
    assert_accessible(page)
    page.get_by_role("link", name="Weigh by pairwise comparison").click()
    expect(page.get_by_role("heading", name="6 pairs")).to_be_visible()
    judge(page, "Strategic fit", "Financial return", "Strategic fit 2× as important")
    judge(page, "Strategic fit", "Customer impact", "Strategic fit 3× as important")
    judge(page, "Strategic fit", "Delivery risk", "Strategic fit 4× as important")
    judge(page, "Financial return", "Customer impact", "equally important")
    judge(page, "Financial return", "Delivery risk", "Financial return 2× as important")
    judge(page, "Customer impact", "Delivery risk", "Customer impact 2× as important")
    page.get_by_role("button", name="Save judgements").click()
    expect(message(page, "Judgements saved.")).to_be_visible()
    # The weights the judgements give, and how consistent they are (below 0.10: no warning).
    derived = page.get_by_role("region", name="Derived weights")
    for name, weight in (
        ("Strategic fit", "0.4804"), ("Financial return", "0.2158"),
        ("Customer impact", "0.1959"), ("Delivery risk", "0.1079"),
    ):  # fmt: skip
        expect(derived.locator("tr", has_text=name).locator("td").nth(1)).to_have_text(weight)
    expect(derived).to_contain_text("Consistency ratio: 0.008 (λmax 4.021).")
    expect(page.locator("#consistency-warning")).to_have_count(0)
    assert_accessible(page)
    page.get_by_role("button", name="Apply these weights to the criteria").click()
    expect(message(page, "Weights applied; the ranking is up to date.")).to_be_visible()
    expect(page.get_by_label("Weight of Strategic fit")).to_have_value("0.4804")
    expect(page.locator("#criteria-table tr", has_text="Strategic fit")).to_contain_text("48.0%")
    assert_accessible(page)

    # The ERP upgrade is scored from its project page; it comes first in the ranking.
    page.goto(f"{base}/projects/{digital['erp'].pk}/")
    page.get_by_role("region", name="Portfolio", exact=True).get_by_role(
        "link", name="Scores"
    ).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Scores of PRJ-00001 · ERP upgrade")
    score_on(page, "Strategic fit", "5 – Level 5", "Replaces the core finance system.")
    score_on(page, "Financial return", "4 – Level 4", "Licence savings from the second year.")
    score_on(page, "Customer impact", "3 – Level 3", "Faster invoicing.")
    score_on(page, "Delivery risk", "2 – Level 2", "A proven vendor.")
    ranking = page.get_by_role("region", name="Weighted score and rank")
    expect(ranking).to_contain_text(f"{PERIOD}: 82.11 / 100, rank 1")
    expect(page.locator("#score-history .history-change")).to_have_count(4)
    assert_accessible(page)

    # A scenario: at most 800,000 and 1,500 hours of data engineers.
    page.goto(f"{base}/portfolio/")
    section_link(page, "Scenarios").click()
    page.get_by_role("link", name="New scenario").click()
    page.get_by_role("combobox", name="Portfolio").select_option(label="Digital")
    page.get_by_label("Planning period").fill(str(PERIOD))
    page.get_by_role("textbox", name="Name").fill("Budget plan")
    page.get_by_label("Total budget").fill("800000")
    assert_accessible(page)
    page.get_by_role("button", name="Create").click()
    expect(message(page, "Scenario Budget plan created with 5 candidates.")).to_be_visible()
    page.get_by_role("link", name="Limits", exact=True).click()
    set_role_limit(page, "Data engineer", "1500")
    assert_accessible(page)
    page.get_by_role("button", name="Save", exact=True).click()
    expect(message(page, "Scenario saved. Solve it to see the selection.")).to_be_visible()
    inputs = page.get_by_role("region", name="Inputs")
    expect(inputs).to_contain_text("800,000.00 CNY")
    expect(inputs).to_contain_text("1500 h")

    # Solved: the budget and the engineers' hours leave out the portal and the mobile app.
    page.get_by_role("button", name="Solve").click()
    expect(message(page, "Solved: 3 projects selected.")).to_be_visible()
    result = page.get_by_role("region", name="Optimal selection")
    expect(result).to_contain_text("3 of 5 projects")
    expect(result).to_contain_text("166.20")
    expect(figure(page, "Total budget")).to_contain_text("binding")
    expect(figure(page, "Hours of a role: Data engineer")).to_contain_text("binding")
    for code in ("PRJ-00001", "PRJ-00012", "PRJ-00014"):
        expect(candidate(page, code)).to_contain_text("selected")
    for code in ("PRJ-00011", "PRJ-00013"):
        expect(candidate(page, code)).to_contain_text("deferred")
    assert_accessible(page)

    # Its efficient frontier: the chart is drawn and the same figures are in a table.
    page.get_by_role("button", name="Compute the efficient frontier").click()
    expect(message(page, "Efficient frontier computed at 20 budget levels.")).to_be_visible()
    frontier = page.get_by_role("region", name="Efficient frontier")
    chart = frontier.locator("canvas[data-portfolio-chart=frontier]")
    expect(chart).to_be_visible()
    page.wait_for_function(
        "() => window.Chart && Chart.getChart("
        "document.querySelector('canvas[data-portfolio-chart=frontier]')) !== undefined"
    )
    frontier.get_by_text("The frontier as a table").click()
    points = page.locator("#frontier-table tbody tr")
    expect(points).to_have_count(20)
    # This scenario's selection is the point costing 800,000; all five candidates cost 1.3 m.
    expect(points.filter(has_text="166.20").first).to_contain_text("800,000")
    expect(points.last).to_contain_text("1,300,000")
    assert_accessible(page)

    # A copy with a contractor's hours: the two data projects both fit, the ERP upgrade not.
    page.get_by_role("button", name="Copy").click()
    expect(message(page, "Copied as Copy of Budget plan, a draft.")).to_be_visible()
    page.get_by_role("link", name="Limits", exact=True).click()
    page.get_by_role("textbox", name="Name").fill("With a contractor")
    set_role_limit(page, "Data engineer", "2200")
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("With a contractor")
    page.get_by_role("button", name="Solve").click()
    expect(message(page, "Solved: 3 projects selected.")).to_be_visible()
    expect(figure(page, "Hours of a role: Data engineer")).to_contain_text("slack")
    expect(candidate(page, "PRJ-00001")).to_contain_text("deferred")
    expect(candidate(page, "PRJ-00013")).to_contain_text("selected")
    assert_accessible(page)

    # The two side by side.
    section_link(page, "Scenarios").click()
    expect(page.locator("#scenario-table tbody tr")).to_have_count(2)
    assert_accessible(page)
    page.get_by_role("combobox", name="Scenario").select_option(label="Budget plan")
    page.get_by_role("combobox", name="compared with").select_option(label="With a contractor")
    page.get_by_role("button", name="Compare").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Compare scenarios")
    expect(figure(page, "Total value")).to_contain_text("166.20")
    expect(figure(page, "Total value")).to_contain_text("204.89")
    expect(figure(page, "Hours of Data engineer")).to_contain_text("1500")
    expect(figure(page, "Hours of Data engineer")).to_contain_text("2200")
    expect(figure(page, "Binding limits").locator("td").first).to_contain_text("Data engineer")
    expect(figure(page, "Binding limits").locator("td").last).not_to_contain_text("Data engineer")
    expect(
        page.get_by_text("Both select 1 projects; 2 only in the first, 2 only in the second.")
    ).to_be_visible()
    differing = page.locator("#differing-projects tbody tr")
    expect(differing).to_have_count(4)
    expect(differing.filter(has_text="PRJ-00001")).to_contain_text("Budget plan")
    expect(differing.filter(has_text="PRJ-00013")).to_contain_text("With a contractor")
    assert_accessible(page)

    # The PMO commits the first scenario: no contractor, the engineers' own hours.
    page.get_by_role("link", name="Budget plan", exact=True).click()
    page.get_by_label("Note on the decisions").fill("Steering committee")
    page.get_by_role("button", name="Commit").click()
    expect(
        message(page, "Scenario committed: 5 portfolio decisions recorded on the projects.")
    ).to_be_visible()
    expect(page.get_by_text(re.compile("^Committed by Paula Ortiz"))).to_be_visible()
    expect(page.get_by_role("button", name="Solve")).to_have_count(0)
    assert_accessible(page)
    committed = Scenario.objects.get(name="Budget plan")
    assert committed.status == Scenario.Status.COMMITTED
    recorded = PortfolioDecision.objects.filter(scenario=committed)
    assert dict(recorded.values_list("project__code", "decision")) == {
        "PRJ-00001": "approve", "PRJ-00011": "defer", "PRJ-00012": "approve",
        "PRJ-00013": "defer", "PRJ-00014": "approve",
    }  # fmt: skip

    # The decisions show on the projects' pages.
    for project, decision in ((digital["erp"], "Approve"), (digital["Mobile app"], "Defer")):
        page.goto(f"{base}/projects/{project.pk}/")
        decisions = page.locator(".project-portfolio-decisions li")
        expect(decisions).to_have_count(1)
        expect(decisions.locator(".badge")).to_have_text(decision)
        expect(decisions).to_contain_text("Budget plan")
        expect(decisions).to_contain_text("Steering committee")
        assert_accessible(page)

    # The same in Chinese.
    page.get_by_role("button", name="Language").click()
    page.get_by_role("button", name="简体中文").click()
    page.goto(f"{base}/portfolio/scenarios/{committed.pk}/")
    expect(page.locator("html")).to_have_attribute("lang", "zh-hans")
    main_navigation = page.locator("nav.navbar")
    expect(main_navigation.get_by_role("link", name="项目", exact=True)).to_be_visible()
    expect(main_navigation.get_by_role("link", name="项目组合", exact=True)).to_be_visible()
    expect(page.get_by_role("heading", level=1)).to_have_text("Budget plan")
    assert_accessible(page)
