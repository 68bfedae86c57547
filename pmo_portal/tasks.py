"""Housekeeping jobs of the portal itself, scheduled by django-celery-beat."""

from celery import shared_task
from django.contrib.sessions.models import Session
from django.utils import timezone
from django_celery_results.models import TaskResult

TASK_RESULTS_KEPT_DAYS = 30


@shared_task
def clear_expired_sessions() -> int:
    """Delete sessions past their expiry date; returns how many were deleted."""
    deleted, _ = Session.objects.filter(expire_date__lt=timezone.now()).delete()
    return deleted


@shared_task
def clear_old_task_results() -> int:
    """Keep the record of task outcomes for a month; returns how many were deleted."""
    cutoff = timezone.now() - timezone.timedelta(days=TASK_RESULTS_KEPT_DAYS)
    deleted, _ = TaskResult.objects.filter(date_done__lt=cutoff).delete()
    return deleted
