"""The demo's executive reports: subscriptions with their schedule entries and an archive with
reports sent and one failure, that the demo's flush removes again."""

import random

import pytest
from django.utils import timezone
from django_celery_beat.models import PeriodicTask

from projects.demo.runner import DemoContext
from reports.demo.executive import flush_executive_reports, seed_executive_reports
from reports.models import ReportRun, ReportSubscription
from tests.portfolio.factories import PortfolioFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def context(executive, pmo, department):
    PortfolioFactory(name="Group portfolio")
    return DemoContext(
        size="small", today=timezone.localdate(), password_hash="",
        logins={"exec": executive, "pmo": pmo}, departments=[department],
    )  # fmt: skip


def test_the_demo_subscribes_exec_and_fills_the_archive(context, settings, tmp_path, client):
    settings.MEDIA_ROOT = tmp_path
    seed_executive_reports(context, random.Random(1))
    monthly = ReportSubscription.objects.get(name="Monthly portfolio report")
    assert (monthly.owner.username, monthly.language, monthly.periodic_task.enabled) == (
        "exec",
        "zh-hans",
        True,
    )
    runs = ReportRun.objects.all()
    assert runs.count() == 9
    assert set(runs.values_list("state", flat=True)) == {"sent", "failed"}
    latest = runs.filter(subscription=monthly).order_by("-period_end").first()
    assert latest.file.read().startswith(b"%PDF") and latest.pages >= 1
    client.force_login(monthly.owner)
    page = client.get("/reports/executive/").context["page_obj"]
    assert page.paginator.count == 9  # the exec receives the pmo's department report too
    assert client.get(f"/reports/executive/runs/{latest.pk}/download/").status_code == 200

    flush_executive_reports()
    assert not ReportSubscription.objects.exists() and not ReportRun.objects.exists()
    assert not list(tmp_path.rglob("*.pdf"))
    assert not PeriodicTask.objects.filter(task="reports.tasks.deliver_scheduled_report")
