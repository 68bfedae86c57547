"""A project manager logs a supplier risk with a lesson of that category beside the form,
assesses it, responds to it with an action, finds it in its heat-map cell, sees its residual
score move it to another cell once mitigated, reads the project's P80 reserve from the Monte
Carlo simulation, reads the heat map in Chinese, and gets one digest e-mail for its overdue
review however often the digest runs."""

import datetime
import re

import pytest
from django.core import mail
from playwright.sync_api import expect

from risks import figures
from risks.models import Risk, RiskAction
from risks.tasks import send_risk_review_digests
from tests.browser.axe import assert_accessible
from tests.browser.conftest import login, wait_for_htmx
from tests.risks.factories import LessonFactory, RiskCategoryFactory, RiskFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TITLE = "Payment gateway vendor delivers the interface late"


@pytest.fixture
def suppliers(pmo):
    """The risk breakdown structure's "External > Suppliers and contracts", a lesson recorded
    in it by the PMO, and a lesson of another category that must not be suggested."""
    external = RiskCategoryFactory(code="EXT", name="External", name_zh_hans="外部")
    category = RiskCategoryFactory(
        code="EXT-SUP", name="Suppliers and contracts", name_zh_hans="供应商与合同",
        parent=external,
    )  # fmt: skip
    technical = RiskCategoryFactory(code="TEC", name="Technical", name_zh_hans="技术")
    LessonFactory(
        title="Put interface milestones in the vendor contract", category=category,
        recorded_by=pmo,
    )  # fmt: skip
    LessonFactory(title="Freeze the requirements before the build", category=technical,
                  recorded_by=pmo)  # fmt: skip
    return category


@pytest.fixture
def other_risk(project, pm, suppliers):
    """A risk already on the project, in another cell (probability 2, impact 2)."""
    return RiskFactory(
        project=project, owner=pm, category=suppliers, title="Licence renewal slips",
        probability=2, impact=2,
    )  # fmt: skip


def cell(page, probability: int, impact: int):
    return page.locator(f"td[data-cell='{probability}-{impact}']")


def test_a_risk_is_logged_assessed_answered_mapped_mitigated_simulated_and_chased(
    page, live_server, pm, pmo, project, suppliers, other_risk
):
    base = live_server.url
    login(page, live_server, "pm")

    # From the project's page to the risk form, which suggests the lesson of the category.
    page.goto(f"{base}/projects/{project.pk}/")
    assert_accessible(page)
    page.get_by_role("link", name="Log a risk").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Log a risk")
    suggestions = page.locator("#lesson-suggestions")
    expect(suggestions).not_to_contain_text("interface milestones")
    page.get_by_label("Title").fill(TITLE)
    page.get_by_role("combobox", name="Category").select_option(
        label="— EXT-SUP Suppliers and contracts"
    )
    expect(suggestions).to_contain_text("Put interface milestones in the vendor contract")
    expect(suggestions).not_to_contain_text("Freeze the requirements")
    wait_for_htmx(page)
    assert_accessible(page)

    # The assessment: probability 4 and impact 4 (high), quantified for the simulation.
    page.get_by_label("Cause").fill("A single vendor builds the payment interface.")
    page.get_by_label("Event", exact=True).fill("The interface is delivered late.")
    page.get_by_label("Effect").fill("Go-live slips and the team waits.")
    page.get_by_role("combobox", name=re.compile("^Probability")).select_option("4")
    page.get_by_role("combobox", name=re.compile("^Impact")).select_option("4")
    page.get_by_label("Probability (%)").fill("50")
    page.get_by_label("Cost impact, minimum").fill("100000")
    page.get_by_label("Cost impact, most likely").fill("200000")
    page.get_by_label("Cost impact, maximum").fill("400000")
    page.get_by_label("Schedule impact, minimum (days)").fill("10")
    page.get_by_label("Schedule impact, most likely (days)").fill("20")
    page.get_by_label("Schedule impact, maximum (days)").fill("45")
    page.get_by_role("button", name="Save").click()

    risk = Risk.objects.get(title=TITLE)
    expect(page).to_have_url(f"{base}/risks/{risk.pk}/")
    expect(page.get_by_role("alert")).to_contain_text(f"Risk {risk.reference} logged.")
    expect(page.get_by_role("heading", level=1)).to_contain_text(TITLE)
    assert (risk.project, risk.owner, risk.category) == (project, pm, suppliers)
    assert (risk.inherent_score, risk.residual_score, risk.residual_level) == (16, 16, "high")
    assessment = page.get_by_role("table", name="Inherent and residual assessment")
    expect(assessment.get_by_role("row", name=re.compile("Residual"))).to_contain_text("16")
    assert_accessible(page)

    # A response with an action.
    page.get_by_role("link", name="Add a response").click()
    page.get_by_label("Strategy").select_option(label="Mitigate")
    page.get_by_label("Plan").fill("Contract a second vendor and agree dated interface drops.")
    assert_accessible(page)
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("alert")).to_contain_text("Response saved.")
    page.get_by_role("link", name="Add an action").click()
    due = datetime.date.today() + datetime.timedelta(days=21)
    page.get_by_label("Action").fill("Sign the second vendor")
    page.get_by_label("Due").fill(due.isoformat())
    assert_accessible(page)
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("alert")).to_contain_text("Action added.")
    actions = page.get_by_role("table", name=re.compile("Actions of the response"))
    expect(actions).to_contain_text("Sign the second vendor")
    assert RiskAction.objects.get(response__risk=risk).owner == pm
    assert_accessible(page)

    # The residual heat map: the risk in cell 4 x 4, the other risk in 2 x 2.
    page.get_by_role("navigation", name="Risk management").get_by_role(
        "link", name="Heat map"
    ).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Risk heat map")
    expect(cell(page, 4, 4)).to_contain_text("1")
    expect(cell(page, 2, 2)).to_contain_text("1")
    assert_accessible(page)
    cell(page, 4, 4).get_by_role("link").click()
    expect(page.get_by_text("in the cell probability 4, impact 4")).to_be_visible()
    rows = page.locator("table.risk-register tbody tr")
    expect(rows).to_have_count(1)
    expect(rows).to_contain_text(TITLE)
    assert_accessible(page)

    # Mitigated, the residual assessment drops to probability 2 and impact 3 (medium).
    rows.get_by_role("link", name=TITLE).click()
    page.get_by_role("link", name="Edit or reassess").click()
    page.get_by_label("Residual probability").select_option("2")
    page.get_by_label("Residual impact").select_option("3")
    assert_accessible(page)
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("alert")).to_contain_text(f"Risk {risk.reference} saved.")
    expect(assessment.get_by_role("row", name=re.compile("Residual"))).to_contain_text("6")
    risk.refresh_from_db()
    assert (risk.inherent_score, risk.residual_score, risk.residual_level) == (16, 6, "medium")
    assert_accessible(page)

    page.goto(f"{base}/risks/heat-map/")
    expect(cell(page, 4, 4)).not_to_contain_text("1")
    expect(cell(page, 2, 3)).to_contain_text("1")
    assert_accessible(page)
    cell(page, 2, 3).get_by_role("link").click()
    expect(page.get_by_text("in the cell probability 2, impact 3")).to_be_visible()
    expect(page.locator("table.risk-register tbody tr")).to_contain_text(TITLE)
    assert_accessible(page)
    page.get_by_role("link", name="Heat map").first.click()
    page.get_by_role("link", name="Inherent (before responses)").click()
    expect(cell(page, 4, 4)).to_contain_text("1")  # before the responses, it has not moved
    expect(cell(page, 2, 3)).not_to_contain_text("1")
    assert_accessible(page)

    # The project's Monte Carlo simulation gives the P80 reserve of its two threats.
    page.goto(f"{base}/projects/{project.pk}/")
    expect(page.get_by_role("region", name="Risks", exact=True)).to_contain_text("2 active risks")
    assert_accessible(page)
    page.get_by_role("link", name="Simulation and reserve").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(project.name)
    expected = figures.simulation(
        Risk.objects.filter(project=project), key=f"project:{project.pk}", seed=1
    )
    assert expected["risk_count"] == 2
    p80 = page.locator("[data-percentile='cost-80']")
    expect(p80).to_contain_text(f"{expected['cost'][80]:,.2f}")
    cost_table = page.get_by_role("table", name=re.compile("cost contingency"))
    expect(cost_table.get_by_role("row", name=re.compile("P80"))).to_contain_text("Not covered")
    # The S-curve spreads the amounts by value, so that its shape shows the spread.
    x_axis = page.evaluate(
        "() => Chart.getChart(document.querySelector('[data-series=cost_curve]')).scales.x.type"
    )
    assert x_axis == "linear"
    assert_accessible(page)

    # The reviews due, and the same heat map in Chinese.
    Risk.objects.filter(pk=risk.pk).update(
        next_review=datetime.date.today() - datetime.timedelta(days=2)
    )
    page.goto(f"{base}/risks/reviews/")
    reviews = page.get_by_role("table", name="Risks due for review")
    expect(reviews.get_by_role("row", name=re.compile(TITLE))).to_contain_text("Overdue")
    assert_accessible(page)
    page.goto(f"{base}/risks/heat-map/")
    page.get_by_role("button", name="Language").click()
    page.get_by_role("button", name="简体中文").click()
    expect(page.locator("html")).to_have_attribute("lang", "zh-hans")
    expect(page.get_by_role("heading", level=1)).to_have_text("风险热力图")
    expect(cell(page, 2, 3)).to_contain_text("1")
    assert_accessible(page)

    # The overdue review brings one digest e-mail, however often the task runs.
    mail.outbox.clear()
    send_risk_review_digests()
    send_risk_review_digests()
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [pm.email]
    assert risk.reference in message.body and TITLE in message.body
