"""`seed_demo` fills the risk register: risks with history, responses and actions (some overdue),
issues, lessons and contingency; `--flush` removes them."""

from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db.models import Count
from django.utils import timezone

from risks.models import Contingency, Issue, Lesson, Risk, RiskAction
from risks.services.lessons import search_lessons


@pytest.fixture
def seeded(db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    out = StringIO()
    call_command("seed_demo", "--size", "small", stdout=out)
    return out.getvalue()


def test_the_small_demo_has_a_working_risk_register(seeded, client):
    today = timezone.localdate()
    assert Risk.objects.count() == 300
    assert "300 risks" in seeded
    assert Risk.objects.filter(kind="opportunity").exists()
    assert Risk.objects.review_overdue(today).exists()
    assert RiskAction.objects.overdue(today).exists()
    assert Issue.objects.filter(risk__isnull=False).exists()
    assert Issue.objects.filter(escalated_at__isnull=False).exists()
    assert Contingency.objects.exists()
    # Reassessed risks carry a second, later history record with their residual score.
    twice = Risk.history.values("id").annotate(records=Count("history_id")).filter(records=2)
    assert twice.count() > 50
    assert search_lessons(Lesson.objects.all(), "supplier").exists()
    pm_risks = Risk.objects.filter(project__manager__username="pm")
    assert pm_risks.exists()
    levels = set(Risk.objects.values_list("residual_level", flat=True))
    assert {"low", "medium", "high"} <= levels
    client.force_login(get_user_model().objects.get(username="pm"))
    assert client.get("/risks/").status_code == 200
    assert client.get("/risks/heat-map/").status_code == 200


def test_flush_removes_the_risks(seeded, settings):
    call_command("seed_demo", "--size", "small", "--flush", stdout=StringIO())
    assert Risk.objects.count() == 300
