"""Housekeeping jobs of the portal itself, scheduled by django-celery-beat."""

from celery import shared_task
from django.conf import settings
from django.contrib.sessions.models import Session
from django.core.mail import send_mail
from django.utils import timezone, translation
from django_celery_results.models import TaskResult

from .models import Notification

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


@shared_task
def send_notification_emails(notification_ids: list[int]) -> int:
    """E-mail each notification to its user, in the user's language; returns how many left."""
    sent = 0
    for notification in Notification.objects.filter(pk__in=notification_ids).select_related(
        "user__portal_settings"
    ):
        user = notification.user
        if not user.email:
            continue
        language = getattr(getattr(user, "portal_settings", None), "language", None)
        with translation.override(language or settings.LANGUAGE_CODE):
            send_mail(
                subject=translation.gettext("PMO Portal: %(message)s")
                % {"message": notification.message[:120]},
                message=f"{notification.message}\n\n{settings.PORTAL_URL}{notification.url}",
                from_email=None,
                recipient_list=[user.email],
            )
        sent += 1
    return sent
