"""Scheduled jobs of the risks area (django-celery-beat)."""

from celery import shared_task

from .services.digest import send_review_digests


@shared_task
def send_risk_review_digests() -> int:
    """Each owner's daily digest of overdue risk reviews and actions; returns how many left."""
    return send_review_digests().sent
