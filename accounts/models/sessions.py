"""The record of each signed-in session, for the user's list of sessions and for ending them."""

import datetime
import re

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

BROWSERS = [
    ("Edge", r"Edg(e|A|iOS)?/"),
    ("Opera", r"OPR/|Opera"),
    ("Firefox", r"Firefox/|FxiOS/"),
    ("Chrome", r"Chrome/|CriOS/|Chromium/"),
    ("Safari", r"Safari/"),
]
SYSTEMS = [
    ("Android", r"Android"),
    ("iOS", r"iPhone|iPad|iPod"),
    ("Windows", r"Windows"),
    ("macOS", r"Mac OS X|Macintosh"),
    ("Linux", r"Linux|X11"),
]


def browser_label(user_agent: str) -> str:
    """A short name for a browser from its User-Agent, such as "Firefox · Windows"."""
    browser = next((name for name, pattern in BROWSERS if re.search(pattern, user_agent)), "")
    system = next((name for name, pattern in SYSTEMS if re.search(pattern, user_agent)), "")
    if browser and system:
        return f"{browser} · {system}"
    return browser or system or user_agent[:60]


class SignedInSessionQuerySet(models.QuerySet):
    def live(self):
        """Sessions neither idle past SESSION_IDLE_TIMEOUT nor older than SESSION_MAX_AGE."""
        now = timezone.now()
        return self.filter(
            last_seen__gte=now - datetime.timedelta(seconds=settings.SESSION_IDLE_TIMEOUT),
            signed_in_at__gte=now - datetime.timedelta(seconds=settings.SESSION_MAX_AGE),
        )


class SignedInSession(models.Model):
    """One session a user signed in to: from which address and browser, and when last seen.

    The session itself lives in the session engine; this record names it by its key so that
    every session of a user can be listed and ended, whatever the engine.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="signed_in_sessions",
        verbose_name=_("user"),
    )
    session_key = models.CharField(_("session key"), max_length=40, unique=True)
    signed_in_at = models.DateTimeField(_("signed in at"), default=timezone.now)
    last_seen = models.DateTimeField(_("last seen"), default=timezone.now)
    address = models.GenericIPAddressField(_("address"), null=True, blank=True)
    user_agent = models.CharField(_("browser"), max_length=300, blank=True)

    objects = SignedInSessionQuerySet.as_manager()

    class Meta:
        verbose_name = _("signed-in session")
        verbose_name_plural = _("signed-in sessions")
        ordering = ["-last_seen"]
        indexes = [models.Index(fields=["user", "-last_seen"], name="signedin_user_seen_idx")]

    def __str__(self):
        return f"{self.user} @ {self.address or '?'}"

    @property
    def browser(self) -> str:
        """A short name of the browser, such as "Firefox · Windows"."""
        return browser_label(self.user_agent)
