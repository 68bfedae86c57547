"""Telling people about something that concerns them: in the portal, and by e-mail."""

from django.db import transaction

from .models import Notification
from .tasks import send_notification_emails


def notify(*, users, message: str, url: str = "", email: bool = True) -> list[Notification]:
    """A notification for each user; the e-mails leave after the transaction commits."""
    notifications = Notification.objects.bulk_create(
        Notification(user=user, message=message, url=url)
        for user in {u.pk: u for u in users}.values()
    )
    if email and notifications:
        ids = [n.pk for n in notifications]
        transaction.on_commit(lambda: send_notification_emails.delay(ids))
    return notifications
