"""A project manager writes this month's status report, choosing red over the amber the figures
suggest and saying why (without a reason it is refused, and nothing typed is lost); the PMO
reviews it with a comment; the portfolio health dashboard shows it, the RAG trend and the project
needing attention with its reasons; the PMO's effectiveness shows this quarter against target."""

import datetime
import re
from decimal import Decimal

import pytest
from dateutil.relativedelta import relativedelta
from playwright.sync_api import expect

from projects.models import Project
from reports.effectiveness import recent_quarters
from reports.models import StatusReport
from tests.browser.axe import assert_accessible
from tests.browser.conftest import login
from tests.reports.factories import period_of, published_report, schedule
from tests.risks.factories import RiskFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TODAY = datetime.date.today()
REASON = "The payment provider goes out of business in March; go-live is at risk."


@pytest.fixture
def reporting_project(project):
    """`pm`'s ERP upgrade, reporting monthly: half-way through its plan, green for the three
    months before this one (reviewed; 40% complete at the last), with one critical risk open."""
    Project.objects.filter(pk=project.pk).update(
        planned_start=TODAY - datetime.timedelta(days=180),
        planned_end=TODAY + datetime.timedelta(days=180),
        budget=Decimal(250_000),
    )
    schedule(project, "monthly")
    period_of("monthly", TODAY)  # this month's period, open for reports
    for months_ago, percent in ((3, 20), (2, 30), (1, 40)):
        period = period_of("monthly", TODAY - relativedelta(months=months_ago))
        published_report(
            project, period, rag="green", percent_complete=Decimal(percent),
            state="reviewed", latest=months_ago == 1,
        )  # fmt: skip
    RiskFactory(project=project, title="Payment provider insolvency", probability=5, impact=4)
    return project


def new_context(browser):
    return browser.new_context(
        bypass_csp=True, viewport={"width": 1280, "height": 900}, locale="en-US"
    )


def test_a_status_report_is_written_reviewed_and_seen_on_the_dashboards(
    browser, live_server, pm, pmo, reporting_project
):
    base = live_server.url
    project = reporting_project

    # The project manager starts from the home page's list of their projects.
    pm_context = new_context(browser)
    page = pm_context.new_page()
    page.goto(f"{base}/accounts/login/")
    assert_accessible(page)
    login(page, live_server, "pm")
    mine = page.get_by_role("region", name=re.compile("My open projects"))
    expect(mine).to_contain_text("ERP upgrade")
    assert_accessible(page)
    mine.get_by_role("link", name="Write a status report").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("New status report")
    assert_accessible(page)

    # 55% done half-way through the plan is on schedule; the critical risk makes it amber.
    page.get_by_label("Percent complete").fill("55")
    page.get_by_label("Achievements this period").fill("Data migration rehearsed twice.")
    page.get_by_role("radio", name="Red").check()
    page.get_by_role("button", name="Save draft").click()
    reason = page.get_by_label("Reason for another RAG than suggested")
    expect(
        page.get_by_text("The suggested RAG is Amber. Give the reason for choosing Red instead.")
    ).to_be_visible()
    expect(page.locator("#suggested-rag")).to_have_text("Amber")
    # Nothing typed is lost.
    expect(page.get_by_label("Percent complete")).to_have_value("55")
    expect(page.get_by_label("Achievements this period")).to_have_value(
        "Data migration rehearsed twice."
    )
    expect(page.get_by_role("radio", name="Red")).to_be_checked()
    assert not StatusReport.objects.filter(state="draft").exists()
    assert_accessible(page)

    reason.fill(REASON)
    page.get_by_role("button", name="Save draft").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Status report for")
    expect(page.locator("#overall-rag")).to_have_text("Red")
    expect(page.locator("#override-reason")).to_have_text(REASON)
    expect(page.locator("#report-state")).to_have_text("Draft")
    assert_accessible(page)
    page.get_by_role("button", name="Submit to the PMO").click()
    expect(page.locator("#report-state")).to_have_text("Submitted")
    assert_accessible(page)
    report = StatusReport.objects.get(project=project, month=TODAY.replace(day=1))
    assert report.state == "submitted"
    assert (report.suggested_rag, report.overall_rag, report.override_reason) == (
        "amber", "red", REASON,
    )  # fmt: skip
    assert report.percent_complete == Decimal(55) and report.submitted_on_time

    # The PMO finds it among the submitted reports and reviews it with a comment.
    pmo_context = new_context(browser)
    pmo_page = pmo_context.new_page()
    login(pmo_page, live_server, "pmo")
    pmo_page.goto(f"{base}/reports/")
    pmo_page.get_by_label("State").select_option(label="Submitted")
    pmo_page.get_by_role("button", name="Filter").click()
    rows = pmo_page.get_by_role("table", name="Status reports").locator("tbody tr")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("suggested Amber")
    assert_accessible(pmo_page)
    rows.first.get_by_role("link", name=str(report.period)).click()
    expect(pmo_page.locator("#override-reason")).to_have_text(REASON)
    assert_accessible(pmo_page)
    pmo_page.get_by_label("Review comments").fill("Red agreed: escalate to the steering group.")
    pmo_page.get_by_role("button", name="Mark reviewed").click()
    expect(pmo_page.locator("#report-state")).to_have_text("Reviewed")
    expect(pmo_page.locator("#review-comments")).to_have_text(
        "Red agreed: escalate to the steering group."
    )
    assert_accessible(pmo_page)

    # The home page: red now, green the three months before, and on the attention list.
    pmo_page.goto(f"{base}/")
    expect(pmo_page.locator("#rag-count-red")).to_have_text("1")
    expect(pmo_page.locator("#rag-count-green")).to_have_text("0")
    trend = pmo_page.get_by_role("table", name="Projects by RAG per month").locator("tbody tr")
    expect(trend).to_have_count(6)
    # The last four months, oldest first; columns: month, then green, amber, red.
    for months_ago, green, red in ((3, "1", "0"), (2, "1", "0"), (1, "1", "0"), (0, "0", "1")):
        cells = trend.nth(5 - months_ago).locator("td")
        expect(cells.nth(0)).to_have_text(green)
        expect(cells.nth(2)).to_have_text(red)
    attention = pmo_page.get_by_role("table", name="Projects needing attention and why")
    ours = attention.locator("tbody tr").filter(has_text="ERP upgrade")
    expect(ours).to_contain_text("Red")
    expect(ours.locator(".badge", has_text="Critical risks")).to_be_visible()
    expect(ours.locator(".badge", has_text="Red").first).to_be_visible()
    expect(pmo_page.locator("#attention-red")).to_have_text("1")
    expect(pmo_page.locator("#attention-risks")).to_have_text("1")
    assert_accessible(pmo_page)
    pmo_page.get_by_role("link", name=re.compile(r"^Critical risks: 1")).click()
    expect(pmo_page.get_by_role("table").locator("tbody tr")).to_have_count(1)
    expect(pmo_page.get_by_role("table").locator("tbody tr")).to_contain_text("ERP upgrade")
    assert_accessible(pmo_page)

    # The PMO sets a target for report timeliness; this quarter meets it.
    pmo_page.goto(f"{base}/reports/effectiveness/")
    assert_accessible(pmo_page)
    pmo_page.get_by_role("link", name="Set the targets").click()
    pmo_page.get_by_label("Status reports on time (%)").fill("90")
    assert_accessible(pmo_page)
    pmo_page.get_by_role("button", name="Save targets").click()
    expect(pmo_page.get_by_role("heading", level=1)).to_have_text("PMO effectiveness")
    quarter = str(recent_quarters(TODAY)[-1])
    header = pmo_page.locator("#effectiveness-table thead th").last
    expect(header).to_have_text(quarter)
    timeliness = pmo_page.locator("#metric-timeliness")
    expect(timeliness.locator("td").first).to_have_text("90")
    this_quarter = timeliness.locator("td").last
    expect(this_quarter).to_contain_text("100")
    expect(this_quarter.get_by_label("meets the target")).to_be_visible()
    assert_accessible(pmo_page)

    # The same dashboard in Chinese.
    pmo_page.get_by_role("button", name="Language").click()
    pmo_page.get_by_role("button", name="简体中文").click()
    pmo_page.goto(f"{base}/")
    expect(pmo_page.get_by_role("heading", level=1)).to_have_text("项目组合健康状况")
    expect(pmo_page.get_by_role("heading", name=re.compile("需要关注的项目"))).to_be_visible()
    assert_accessible(pmo_page)
    pm_context.close()
    pmo_context.close()
