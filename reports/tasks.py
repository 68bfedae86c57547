"""Scheduled jobs of status reporting (django-celery-beat; see pmo_portal migration 0012)."""

from celery import shared_task

from .services.reminders import reminders_send


@shared_task
def send_report_reminders() -> dict:
    """Remind project managers of due reports and escalate overdue ones to the PMO."""
    return reminders_send()
