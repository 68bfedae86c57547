"""Sign-in lockout (django-axes): the client's address behind the reverse proxies and the page
shown to a user name locked out from an address.

Settings: LOGIN_FAILURE_LIMIT, LOGIN_COOLOFF_MINUTES and TRUSTED_PROXY_COUNT (see README.md).
"""

import datetime
import math

from axes.helpers import get_client_username, get_cool_off
from axes.models import AccessAttempt
from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone


def client_address(request: HttpRequest) -> str | None:
    """The address of the client, as the outermost of TRUSTED_PROXY_COUNT proxies saw it.

    Each proxy appends the address it received the request from to X-Forwarded-For, so with N
    trusted proxies the client is the N-th entry from the right; entries further left were sent
    by the client itself and prove nothing. Without proxies, the connection's address counts.
    """
    proxies = settings.TRUSTED_PROXY_COUNT
    if proxies <= 0:
        return request.META.get("REMOTE_ADDR")
    forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    forwarded = [part for part in forwarded if part]
    if not forwarded:
        return request.META.get("REMOTE_ADDR")
    return forwarded[-min(proxies, len(forwarded))]


def lock_ends_at(*, username: str, ip_address: str | None):
    """When the lock on this user name from this address lifts: the cool-off after the latest
    failure (a failure while locked starts the cool-off again)."""
    cool_off = get_cool_off()
    latest = (
        AccessAttempt.objects.filter(username=username, ip_address=ip_address)
        .order_by("-attempt_time")
        .values_list("attempt_time", flat=True)
        .first()
    )
    return (latest or timezone.now()) + cool_off


def lockout_response(request: HttpRequest, original_response=None, credentials=None):
    """The page for a locked-out sign-in, on the portal's login and the admin's alike."""
    username = get_client_username(request, credentials) or ""
    ends_at = lock_ends_at(username=username, ip_address=getattr(request, "axes_ip_address", None))
    wait = max(ends_at - timezone.now(), datetime.timedelta(0))
    minutes = max(math.ceil(wait.total_seconds() / 60), 1)
    response: HttpResponse = render(
        request,
        "accounts/lockout.html",
        {"ends_at": ends_at, "minutes": minutes, "failure_limit": settings.AXES_FAILURE_LIMIT},
        status=settings.AXES_HTTP_RESPONSE_CODE,
    )
    response["Retry-After"] = str(math.ceil(wait.total_seconds()))
    return response
