"""An executive subscribes to the monthly portfolio report in Chinese, sends it at once, gets one
e-mail with the PDF, and finds it in the archive beside the one the schedule sends next."""

import datetime
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from playwright.sync_api import expect

from reports.models import ReportRun, ReportSubscription
from reports.tasks import deliver_scheduled_report
from tests.browser.axe import assert_accessible
from tests.browser.conftest import login
from tests.portfolio.factories import PortfolioFactory, place
from tests.reports.factories import period_of, published_report

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DRAWING = 60_000  # ms: "Send now" draws and sends the report before the page comes back


def field(page, label: str):
    """The form field labelled exactly `label` (a required one's label ends with "*")."""
    return page.get_by_role("main").get_by_label(re.compile(rf"^\s*{re.escape(label)}\*?\s*$"))


def pdf_text(content: bytes, tmp_path) -> str:
    if not shutil.which("pdftotext"):
        pytest.skip("pdftotext is not installed: apt-get install poppler-utils")
    path = tmp_path / "report.pdf"
    path.write_bytes(content)
    return subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True,
                          check=True).stdout  # fmt: skip


@pytest.fixture
def portfolio(project, last_month):
    """A portfolio holding `pm`'s project, which has reported for last month."""
    digital = PortfolioFactory(name="Digital transformation")
    place(project, digital)
    published_report(project, last_month, rag="amber", cpi="0.92", spi="0.97")
    return digital


@pytest.fixture
def last_month(db):
    today = datetime.date.today()
    return period_of("monthly", today.replace(day=1) - datetime.timedelta(days=1))


def test_an_executive_subscribes_in_chinese_sends_now_and_finds_both_reports(
    page, live_server, executive, portfolio, mailoutbox, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path / "media"
    base = live_server.url
    login(page, live_server, "exec")

    # From the reports area to the archive, then to the executive's subscriptions.
    page.goto(f"{base}/reports/")
    page.get_by_role("navigation", name="Status reporting and monitoring").get_by_role(
        "link", name="Executive reports"
    ).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Executive reports")
    expect(page.get_by_role("table")).to_contain_text("No report sent yet.")
    assert_accessible(page)
    page.get_by_role("main").get_by_role("link", name="My subscriptions").click()
    expect(page.get_by_role("table")).to_contain_text("You have no subscription yet.")
    assert_accessible(page)

    # A monthly portfolio report in Chinese, on the 1st at 07:00 in Shanghai.
    page.get_by_role("link", name="New subscription").click()
    field(page, "Name").fill("Monthly portfolio report")
    field(page, "Report").select_option(label="Portfolio executive summary")
    field(page, "Language").select_option(label="简体中文")
    field(page, "Portfolios").select_option(label="Digital transformation")
    field(page, "Frequency").select_option(label="Monthly")
    field(page, "Day").fill("1")
    field(page, "Time of day").fill("07:00")
    field(page, "Time zone").select_option("Asia/Shanghai")
    expect(field(page, "Recipients in the portal")).to_have_values([str(executive.pk)])
    assert_accessible(page)
    page.get_by_role("button", name="Save subscription").click()
    expect(page.get_by_role("table")).to_contain_text("Monthly on day 1 at 07:00 (Asia/Shanghai)")
    assert_accessible(page)
    subscription = ReportSubscription.objects.get()
    assert subscription.periodic_task.enabled and subscription.language == "zh-hans"

    # "Send now": one e-mail with the PDF, in Chinese; the archive lists the report.
    page.get_by_role("button", name="Send now Monthly portfolio report").click()
    rows = page.get_by_role("table").locator("tbody tr")
    expect(rows).to_have_count(1, timeout=DRAWING)
    expect(rows.first).to_contain_text("Sent on request")
    expect(rows.first).to_contain_text("Sent")
    assert_accessible(page)
    assert len(mailoutbox) == 1 and mailoutbox[0].to == ["exec@example.com"]
    message = mailoutbox[0]
    assert message.subject.startswith("项目组合执行摘要")
    name, content, mimetype = message.attachments[0]
    assert mimetype == "application/pdf" and name.endswith(".pdf")
    text = pdf_text(content, tmp_path)
    assert "项目组合执行摘要" in text and "Digital transformation" in text

    # The schedule's next tick sends the next one without a click.
    deliver_scheduled_report.delay(subscription.pk)
    page.reload()
    expect(rows).to_have_count(2)
    expect(page.get_by_role("table")).to_contain_text("Scheduled")
    assert ReportRun.objects.filter(state="sent").count() == 2 and len(mailoutbox) == 2
    assert_accessible(page)

    # Both can be downloaded again from the archive.
    with page.expect_download() as download:
        page.get_by_role("link", name=re.compile(r"^Download")).first.click()
    downloaded = download.value
    assert downloaded.suggested_filename.startswith("executive-summary-")
    assert "项目组合执行摘要" in pdf_text(Path(downloaded.path()).read_bytes(), tmp_path)

    # The preview draws the report in the browser, nothing stored.
    preview = page.request.get(f"{base}/reports/executive/subscriptions/{subscription.pk}/preview/")
    assert preview.headers["content-type"] == "application/pdf"
    assert ReportRun.objects.count() == 2
