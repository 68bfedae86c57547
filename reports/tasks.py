"""Scheduled jobs of the reports app (django-celery-beat; see pmo_portal migrations 0012 and
0013, and the schedule entry of each report subscription).

The delivery tasks are thin: reports/services/executive.py claims, renders, stores and sends,
exactly once. The tasks add what only a worker can: acknowledgement after the work (a worker
lost mid-run leaves its message to be delivered again), time limits, and retries with a
growing wait that stays under the broker's visibility timeout.
"""

from celery import shared_task
from django.conf import settings

from .services import executive
from .services.reminders import reminders_send

DELIVERY_TASK_OPTIONS = {
    "bind": True,
    "acks_late": True,
    "reject_on_worker_lost": True,
    "time_limit": settings.REPORT_DELIVERY_TIME_LIMIT,
    "soft_time_limit": max(settings.REPORT_DELIVERY_TIME_LIMIT * 9 // 10, 1),
    "autoretry_for": (executive.TransientDeliveryError,),
    "retry_backoff": 15,
    "retry_backoff_max": settings.REPORT_DELIVERY_RETRY_BACKOFF_MAX,
    "retry_jitter": True,
    # The service counts the attempts of each run and gives up after the last one.
    "max_retries": None,
}


def _wait_for_other_worker(task, busy: executive.RunBusy):
    """Another worker holds the run: come back when its claim expires, to take it over if
    that worker died (this does not count as an attempt)."""
    return task.retry(countdown=busy.retry_in, max_retries=task.request.retries + 1)


@shared_task
def send_report_reminders() -> dict:
    """Remind project managers of due reports and escalate overdue ones to the PMO."""
    return reminders_send()


@shared_task(**DELIVERY_TASK_OPTIONS)
def deliver_scheduled_report(self, subscription_id: int) -> dict:
    """The tick of a subscription's schedule: deliver its report for the period, once."""
    try:
        outcome = executive.deliver_scheduled(
            subscription_id=subscription_id, worker=self.request.hostname or ""
        )
    except executive.RunBusy as busy:
        raise _wait_for_other_worker(self, busy) from busy
    return outcome.as_dict()


@shared_task(**DELIVERY_TASK_OPTIONS)
def deliver_report_run(self, run_id: int) -> dict:
    """Deliver one run (a "Send now", or one queued again), once."""
    try:
        outcome = executive.run_deliver(run_id=run_id, worker=self.request.hostname or "")
    except executive.RunBusy as busy:
        raise _wait_for_other_worker(self, busy) from busy
    return outcome.as_dict()


@shared_task
def requeue_stalled_report_runs() -> int:
    """Queue again the runs nobody is working on (their message was lost with a worker on a
    broker that keeps no unacknowledged messages); how many were queued."""
    return executive.runs_requeue_stalled()
