"""The user's notifications: the list, marking them read, and the unread count in the navbar."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from .models import Notification

PAGE_SIZE = 25


def unread_notifications(request) -> dict:
    """Context processor: how many notifications the user has not read, for the navbar bell.

    The value is a function templates call when they show it: one counting query on a page that
    shows it, none on one that does not (htmx partials), and still one where a page renders more
    than one template with the request's context (django-tables2 does).
    """
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}

    def count() -> int:
        if not hasattr(request, "_unread_notifications"):
            request._unread_notifications = Notification.objects.filter(
                user=user, read_at__isnull=True
            ).count()
        return request._unread_notifications

    return {"unread_notifications": count}


def notifications(request):
    """The user's own notifications, newest first, the unread ones marked."""
    page = Paginator(request.user.notifications.all(), PAGE_SIZE).get_page(request.GET.get("page"))
    for notification in page:
        # Links are written by the portal itself; anything pointing elsewhere is not followed.
        notification.link = (
            notification.url
            if notification.url
            and url_has_allowed_host_and_scheme(
                notification.url,
                allowed_hosts={request.get_host()},
                require_https=request.is_secure(),
            )
            else ""
        )
    return render(request, "pmo_portal/notifications.html", {"page_obj": page})


@require_POST
def notifications_read(request):
    """Mark every unread notification of the user as read."""
    marked = Notification.objects.filter(user=request.user, read_at__isnull=True).update(
        read_at=timezone.now()
    )
    if marked:
        messages.success(request, _("All notifications marked as read."))
    return redirect("notifications")
