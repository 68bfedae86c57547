"""The demo's status reporting at the small size: reports that make every page show something."""

from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import transaction
from django.test.utils import override_settings

from reports.models import (
    ClosureSurvey,
    EffectivenessTarget,
    RagThresholds,
    ReportingSchedule,
    StatusReport,
)


@pytest.fixture(scope="module")
def seeded(django_db_setup, django_db_blocker, tmp_path_factory):
    """The small demo, seeded once for these tests that only read it, rolled back after."""
    with (
        django_db_blocker.unblock(),
        override_settings(MEDIA_ROOT=tmp_path_factory.mktemp("media")),
        transaction.atomic(),
    ):
        call_command("seed_demo", "--size", "small", stdout=StringIO())
        yield
        transaction.set_rollback(True)


def test_the_small_demo_has_reports_settings_and_surveys(seeded, db):
    assert RagThresholds.objects.filter(pk=1).exists()
    assert EffectivenessTarget.objects.count() == 10
    reports = StatusReport.objects.all()
    assert reports.count() > 300
    assert set(reports.values_list("state", flat=True)) == {"draft", "submitted", "reviewed"}
    assert set(reports.values_list("overall_rag", flat=True)) == {"green", "amber", "red"}
    assert reports.exclude(override_reason="").exists()
    # Each project's pointer is its latest published report.
    schedules = ReportingSchedule.objects.exclude(latest_report=None).select_related(
        "latest_report__period"
    )
    assert schedules.exists()
    for schedule in schedules:
        later = StatusReport.objects.published().filter(
            project=schedule.project_id, period__end__gt=schedule.latest_report.period.end
        )
        assert not later.exists()
    assert ClosureSurvey.objects.exists()


def test_the_demo_pages_answer(seeded, db, client):
    client.force_login(get_user_model().objects.get(username="pmo"))
    home = client.get("/")
    assert home.status_code == 200
    assert sum(count for _value, _label, count in home.context["rag_counts"]) > 0
    assert home.context["attention_counts"]["any"] > 0
    assert client.get("/reports/effectiveness/").status_code == 200
    report = StatusReport.objects.published().first()
    assert client.get(f"/reports/{report.pk}/").status_code == 200
