"""The review digest: each owner gets one e-mail a day listing their overdue risk reviews and
risk actions, however often the scheduler fires and however many workers run it."""

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from pmo_portal.notifications import notify

from ..models import DigestRun, Risk, RiskAction

# A claim older than this whose e-mail never left (the worker died) may be taken again.
STALE_CLAIM = datetime.timedelta(hours=1)
LISTED = 50  # items listed per kind in one e-mail; the count says how many there are


@dataclass
class DigestOutcome:
    sent: int = 0
    skipped: int = 0  # already sent (or being sent) for this period


def owners_with_overdue_work(today: datetime.date) -> set[int]:
    reviews = Risk.objects.review_overdue(today).values_list("owner_id", flat=True).distinct()
    actions = RiskAction.objects.overdue(today).values_list("owner_id", flat=True).distinct()
    return set(reviews) | set(actions)


def _claim(owner_id: int, period: datetime.date) -> DigestRun | None:
    """The digest row of the owner and period, claimed for this worker; None when someone else
    sent it or is sending it."""
    try:
        with transaction.atomic():
            DigestRun.objects.get_or_create(owner_id=owner_id, period=period)
    except IntegrityError:  # created by another worker at the same moment
        pass
    now = timezone.now()
    claimed = (
        DigestRun.objects.filter(owner_id=owner_id, period=period, sent_at__isnull=True)
        .filter(Q(claimed_at__isnull=True) | Q(claimed_at__lt=now - STALE_CLAIM))
        .update(claimed_at=now)
    )
    if not claimed:
        return None
    return DigestRun.objects.get(owner_id=owner_id, period=period)


def _send(user, run: DigestRun, today: datetime.date) -> None:
    reviews = list(
        Risk.objects.review_overdue(today)
        .filter(owner=user)
        .select_related("project")
        .order_by("next_review", "pk")
    )
    actions = list(
        RiskAction.objects.overdue(today)
        .filter(owner=user)
        .select_related("response__risk")
        .order_by("due", "pk")
    )
    language = getattr(getattr(user, "portal_settings", None), "language", None)
    with translation.override(language or settings.LANGUAGE_CODE):
        context = {
            "user": user,
            "reviews": reviews[:LISTED],
            "actions": actions[:LISTED],
            "review_count": len(reviews),
            "action_count": len(actions),
            "portal_url": settings.PORTAL_URL,
            "today": today,
        }
        subject = translation.gettext(
            "PMO Portal: %(reviews)d overdue risk reviews and %(actions)d overdue actions"
        ) % {"reviews": len(reviews), "actions": len(actions)}
        send_mail(
            subject=subject,
            message=render_to_string("risks/email/digest.txt", context),
            from_email=None,
            recipient_list=[user.email],
        )
        notify(
            users=[user],
            message=subject.removeprefix("PMO Portal: "),
            url=reverse("risks:my_reviews"),
            email=False,
        )
    run.reviews, run.actions, run.sent_at = len(reviews), len(actions), timezone.now()
    run.save(update_fields=["reviews", "actions", "sent_at"])


def send_review_digests(today: datetime.date | None = None) -> DigestOutcome:
    """Send each owner with overdue reviews or actions their digest for today, once."""
    today = today or timezone.localdate()
    outcome = DigestOutcome()
    owners = (
        get_user_model()
        .objects.filter(pk__in=owners_with_overdue_work(today), is_active=True)
        .exclude(email="")
        .select_related("portal_settings")
        .order_by("pk")
    )
    for user in owners:
        run = _claim(user.pk, today)
        if run is None:
            outcome.skipped += 1
            continue
        _send(user, run, today)
        outcome.sent += 1
    return outcome
