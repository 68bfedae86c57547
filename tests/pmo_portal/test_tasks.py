import datetime

import pytest
from django.contrib.sessions.backends.db import SessionStore
from django.contrib.sessions.models import Session
from django.utils import timezone
from django_celery_beat.models import PeriodicTask

from pmo_portal import tasks

pytestmark = pytest.mark.django_db


def test_expired_sessions_are_cleared_and_live_ones_kept():
    live = SessionStore()
    live.create()
    expired = SessionStore()
    expired.set_expiry(timezone.now() - datetime.timedelta(days=1))
    expired.create()
    Session.objects.filter(session_key=expired.session_key).update(
        expire_date=timezone.now() - datetime.timedelta(days=1)
    )
    assert tasks.clear_expired_sessions.delay().get() == 1
    assert list(Session.objects.values_list("session_key", flat=True)) == [live.session_key]


def test_housekeeping_is_scheduled_in_beat():
    scheduled = set(PeriodicTask.objects.values_list("task", flat=True))
    assert {
        "pmo_portal.tasks.clear_expired_sessions",
        "pmo_portal.tasks.clear_old_task_results",
    } <= scheduled
