"""Signed-in sessions: recorded at sign-in, kept within their idle and absolute lifetimes, and
ended on demand ("Log out everywhere"), when the account is deactivated or its password changes.

The session itself carries when it began and when it was last seen (epoch seconds), so the
lifetime middleware decides without a query; "last seen" is written, to the session and to its
SignedInSession record, at most once a minute, never on every request.

Settings: SESSION_IDLE_TIMEOUT and SESSION_MAX_AGE, in seconds (see README.md).
"""

import datetime
from importlib import import_module

from django.conf import settings
from django.contrib.auth import get_user_model, user_logged_in, user_logged_out
from django.db import transaction
from django.db.models.signals import post_save
from django.dispatch import receiver
from django.utils import timezone

from .lockout import client_address
from .models import SignedInSession

SIGNED_IN_AT = "accounts.signed_in_at"
LAST_SEEN = "accounts.last_seen"
RECORDED_KEY = "accounts.recorded_key"
# "Last seen" is written again only when older than this many seconds.
LAST_SEEN_EVERY = 60


def _session_store_class():
    """The SessionStore of the configured engine: any engine can delete a session by key."""
    return import_module(settings.SESSION_ENGINE).SessionStore


def _session_key(session) -> str:
    """The session's key, saving a new session first so that it has one."""
    if not session.session_key:
        session.save()
    return session.session_key


def session_expiry(session, *, now: int) -> str | None:
    """Why a signed-in session is over ("idle" or "max_age"), or None while it may go on."""
    signed_in_at = session.get(SIGNED_IN_AT)
    last_seen = session.get(LAST_SEEN, signed_in_at)
    if signed_in_at is None:
        return None
    if now - signed_in_at >= settings.SESSION_MAX_AGE:
        return "max_age"
    if now - last_seen >= settings.SESSION_IDLE_TIMEOUT:
        return "idle"
    return None


def session_record(*, request, user) -> SignedInSession:
    """Mark the start of a signed-in session and record it; forget the user's records of
    sessions that are over."""
    now = timezone.now()
    request.session[SIGNED_IN_AT] = request.session[LAST_SEEN] = int(now.timestamp())
    key = _session_key(request.session)
    request.session[RECORDED_KEY] = key
    SignedInSession.objects.filter(user=user).exclude(
        pk__in=SignedInSession.objects.filter(user=user).live().values("pk")
    ).delete()
    record, _created = SignedInSession.objects.update_or_create(
        session_key=key,
        defaults={
            "user": user,
            "signed_in_at": now,
            "last_seen": now,
            "address": client_address(request),
            "user_agent": request.META.get("HTTP_USER_AGENT", "")[:300],
        },
    )
    return record


def session_touch(*, request) -> None:
    """Note that a signed-in session was seen now: in the session and in its record, at most
    once a minute. A session whose key changed since it was recorded (Django gives a session a
    new key when its user changes their password) has its record moved to the new key."""
    session = request.session
    now = timezone.now()
    stamp = int(now.timestamp())
    if SIGNED_IN_AT not in session:
        # Signed in before sessions were recorded: count from now.
        session_record(request=request, user=request.user)
        return
    key = _session_key(session)
    if session.get(RECORDED_KEY) != key:
        SignedInSession.objects.filter(session_key=session.get(RECORDED_KEY)).delete()
        SignedInSession.objects.update_or_create(
            session_key=key,
            defaults={
                "user": request.user,
                "signed_in_at": datetime.datetime.fromtimestamp(
                    session[SIGNED_IN_AT], tz=datetime.UTC
                ),
                "last_seen": now,
                "address": client_address(request),
                "user_agent": request.META.get("HTTP_USER_AGENT", "")[:300],
            },
        )
        session[RECORDED_KEY] = key
        session[LAST_SEEN] = stamp
        return
    if stamp - session.get(LAST_SEEN, 0) >= LAST_SEEN_EVERY:
        session[LAST_SEEN] = stamp
        SignedInSession.objects.filter(session_key=key).update(last_seen=now)


def sessions_of(user):
    """The user's sessions that are not over, most recently seen first."""
    return SignedInSession.objects.filter(user=user).live().order_by("-last_seen")


def sessions_end_all(*, user) -> int:
    """End every session of `user` in the session engine and forget their records.

    Returns how many sessions were ended."""
    store_class = _session_store_class()
    with transaction.atomic():
        keys = list(
            SignedInSession.objects.select_for_update()
            .filter(user=user)
            .values_list("session_key", flat=True)
        )
        for key in keys:
            store_class(session_key=key).delete()
        SignedInSession.objects.filter(session_key__in=keys).delete()
    return len(keys)


@receiver(user_logged_in, dispatch_uid="accounts.sessions.record")
def _record_signed_in_session(sender, request, user, **kwargs):
    if request is not None and hasattr(request, "session"):
        session_record(request=request, user=user)


@receiver(user_logged_out, dispatch_uid="accounts.sessions.forget")
def _forget_signed_out_session(sender, request, user, **kwargs):
    if request is not None and getattr(request.session, "session_key", None):
        SignedInSession.objects.filter(session_key=request.session.session_key).delete()


@receiver(post_save, sender=get_user_model(), dispatch_uid="accounts.sessions.account_changed")
def _end_sessions_when_account_changes(sender, instance, created, update_fields, **kwargs):
    """A deactivated account, or one whose password was just set, keeps no session.

    A password set through set_password() is still held on the user (`_password`) when it is
    saved; an upgrade of the stored hash at sign-in is not, and ends nothing."""
    if created or (update_fields and not {"is_active", "password"} & set(update_fields)):
        return
    if not instance.is_active or getattr(instance, "_password", None) is not None:
        sessions_end_all(user=instance)
