"""Executive PDF reports: subscriptions and their schedule entries, and the delivery of each
run exactly once.

Delivering a run (`run_deliver`):

1. claim it: one conditional UPDATE takes a queued run, or a running one whose claim is older
   than the delivery time limit (its worker died); whoever else asks gets nothing to do, or is
   told to come back when that claim expires;
2. render the PDF once and keep it in the file storage (a later attempt reuses the file);
3. e-mail it to each recipient not reached yet, one e-mail each, in the subscription's
   language; each recipient reached is recorded as soon as their e-mail has left. Before each
   e-mail the claim is renewed, and a worker that lost its claim stops;
4. mark the run sent, with its pages, size and duration.

A failure that may pass (mail server or file storage unreachable: OSError, which smtplib's and
the socket's errors are; the soft time limit) puts the run back in the queue and raises
TransientDeliveryError for the task to retry later; after REPORT_DELIVERY_MAX_ATTEMPTS attempts,
or on any other error, the run is marked failed with the error.

A scheduled run is the one of its subscription and period (unique in the database); the period
is the last complete week, month or quarter before the schedule's latest tick, so a tick
delivered late, twice or retried after midnight still names the same period.
"""

import datetime
import hashlib
import json
import logging
import smtplib
import uuid
from dataclasses import dataclass
from urllib.parse import urlsplit

from celery.exceptions import SoftTimeLimitExceeded
from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.mail import EmailMessage, get_connection
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _
from django_celery_beat.models import CrontabSchedule, PeriodicTask

from pmo_portal import permissions
from pmo_portal.errors import StaleVersionError

from ..models import ReportDelivery, ReportRun, ReportSubscription
from ..models.executive import Frequency

logger = logging.getLogger(__name__)

SCHEDULED_TASK = "reports.tasks.deliver_scheduled_report"
RUN_TASK = "reports.tasks.deliver_report_run"
QUARTER_MONTHS = "1,4,7,10"
TRANSIENT_ERRORS = (OSError, SoftTimeLimitExceeded)  # smtplib's and the socket's errors too


class TransientDeliveryError(Exception):
    """The run could not be delivered for now (mail server or storage unreachable); it is back
    in the queue and the task tries again later."""


class RunBusy(Exception):
    """Another worker holds the run; its claim expires in `retry_in` seconds."""

    def __init__(self, retry_in: int):
        super().__init__(f"claimed by another worker for {retry_in} more seconds")
        self.retry_in = retry_in


class ClaimLost(Exception):
    """Another worker took the run over (this one overran the time limit): stop at once."""


@dataclass(frozen=True)
class Period:
    start: datetime.date
    end: datetime.date
    previous_end: datetime.date


@dataclass
class DeliveryOutcome:
    run_id: int | None
    state: str  # the run's state after this call; "busy" never leaves (RunBusy is raised)
    sent: int = 0  # e-mails sent by this call

    def as_dict(self) -> dict:
        return {"run": self.run_id, "state": self.state, "sent": self.sent}


# --- periods ---------------------------------------------------------------------------------


def period_before(frequency: str, day: datetime.date) -> Period:
    """The last complete week (Monday to Sunday), calendar month or calendar quarter that ends
    before `day`."""
    if frequency == Frequency.WEEKLY:
        end = day - datetime.timedelta(days=day.weekday() + 1)
        start = end - datetime.timedelta(days=6)
    elif frequency == Frequency.MONTHLY:
        end = day.replace(day=1) - datetime.timedelta(days=1)
        start = end.replace(day=1)
    else:
        quarter_start = day.replace(month=3 * ((day.month - 1) // 3) + 1, day=1)
        end = quarter_start - datetime.timedelta(days=1)
        start = quarter_start - relativedelta(months=3)
    return Period(start, end, start - datetime.timedelta(days=1))


def last_tick(subscription: ReportSubscription, now: datetime.datetime) -> datetime.datetime:
    """The latest moment at or before `now` when the subscription's schedule fired, in its
    time zone."""
    zone = subscription.zone
    local = now.astimezone(zone)
    today = local.date()
    if subscription.frequency == Frequency.WEEKLY:
        day = today - datetime.timedelta(days=(today.isoweekday() - subscription.day) % 7)
        step = relativedelta(weeks=1)
    elif subscription.frequency == Frequency.MONTHLY:
        day = today.replace(day=subscription.day)
        step = relativedelta(months=1)
    else:
        day = today.replace(month=3 * ((today.month - 1) // 3) + 1, day=subscription.day)
        step = relativedelta(months=3)
    tick = datetime.datetime.combine(day, subscription.time, tzinfo=zone)
    while tick > local:
        tick = datetime.datetime.combine(day := day - step, subscription.time, tzinfo=zone)
    return tick


def next_tick(subscription: ReportSubscription, now: datetime.datetime):
    """When the schedule fires next (None while the subscription is paused)."""
    if not subscription.active:
        return None
    tick = last_tick(subscription, now)
    step = {Frequency.WEEKLY: relativedelta(weeks=1), Frequency.MONTHLY: relativedelta(months=1),
            Frequency.QUARTERLY: relativedelta(months=3)}[subscription.frequency]  # fmt: skip
    zone = subscription.zone
    return datetime.datetime.combine(tick.date() + step, subscription.time, tzinfo=zone)


def scheduled_period(subscription: ReportSubscription, now: datetime.datetime) -> Period:
    """The period a scheduled delivery at `now` covers: the one before the latest tick."""
    return period_before(subscription.frequency, last_tick(subscription, now).date())


def current_period(subscription: ReportSubscription, now: datetime.datetime) -> Period:
    """The period "Send now" and the preview cover: the last complete one before today."""
    return period_before(subscription.frequency, now.astimezone(subscription.zone).date())


def period_label(frequency: str, start: datetime.date, end: datetime.date) -> str:
    """How e-mails and the archive name a period, in the active language."""
    if frequency == Frequency.MONTHLY:
        return formats.date_format(start, "YEAR_MONTH_FORMAT")
    if frequency == Frequency.QUARTERLY:
        return _("Q%(quarter)s %(year)s") % {"quarter": (start.month - 1) // 3 + 1,
                                               "year": start.year}  # fmt: skip
    return _("Week of %(start)s") % {"start": formats.date_format(start, "SHORT_DATE_FORMAT")}


# --- subscriptions and their schedule entries -------------------------------------------------


def _crontab(subscription: ReportSubscription) -> CrontabSchedule:
    fields = {
        "minute": str(subscription.time.minute),
        "hour": str(subscription.time.hour),
        "day_of_week": "*",
        "day_of_month": str(subscription.day),
        "month_of_year": "*",
        "timezone": subscription.zone,
    }
    if subscription.frequency == Frequency.WEEKLY:
        fields.update(day_of_week=str(subscription.day % 7), day_of_month="*")  # cron: 0 Sunday
    elif subscription.frequency == Frequency.QUARTERLY:
        fields["month_of_year"] = QUARTER_MONTHS
    crontab = CrontabSchedule.objects.filter(**fields).order_by("pk").first()
    return crontab or CrontabSchedule.objects.create(**fields)


def schedule_sync(subscription: ReportSubscription) -> PeriodicTask:
    """Make the subscription's django-celery-beat entry say what the subscription says: its
    crontab in the subscription's time zone, enabled while the subscription is active. A new
    or changed schedule first fires at its next tick, never for one already past."""
    task = subscription.periodic_task or PeriodicTask(task=SCHEDULED_TASK)
    crontab = _crontab(subscription)
    if task.crontab_id != crontab.pk:
        task.last_run_at = None  # counted from now: a past tick of the new schedule is not due
    task.name = f"Executive report {subscription.pk}: {subscription.name}"[:200]
    task.task = SCHEDULED_TASK
    task.crontab = crontab
    task.interval = task.solar = task.clocked = None
    task.args = json.dumps([subscription.pk])
    task.kwargs = "{}"
    task.enabled = subscription.active
    task.description = f"{subscription.get_frequency_display()} · {subscription.owner}"
    task.save()
    if subscription.periodic_task_id != task.pk:
        ReportSubscription.objects.filter(pk=subscription.pk).update(periodic_task=task)
        subscription.periodic_task = task
    return task


def _set_relations(subscription, relations: dict) -> None:
    for name, values in relations.items():
        if values is not None:
            getattr(subscription, name).set(values)


RELATIONS = ("portfolios", "departments", "projects", "recipients")


def _check_recipients(subscription: ReportSubscription) -> None:
    if not subscription.recipient_addresses():
        raise ValidationError(
            {"recipients": _("Choose at least one recipient with an e-mail address.")}
        )


@transaction.atomic
def subscription_create(*, by, owner=None, **fields) -> ReportSubscription:
    """A new subscription for `owner` (the one who subscribes, by default) and its schedule."""
    permissions.ensure(permissions.can_subscribe_to_reports(by))
    owner = owner or by
    if owner != by:
        permissions.ensure(permissions.can_manage_any_subscription(by))
    relations = {name: fields.pop(name, None) for name in RELATIONS}
    subscription = ReportSubscription(owner=owner, **fields)
    subscription._history_user = by
    subscription.full_clean()
    subscription.save()
    _set_relations(subscription, relations)
    _check_recipients(subscription)
    schedule_sync(subscription)
    return subscription


@transaction.atomic
def subscription_update(*, subscription: ReportSubscription, by, version: int | None = None,
                        **fields) -> ReportSubscription:  # fmt: skip
    """Change a subscription (refused when someone saved it since `version` was read) and its
    schedule entry."""
    current = ReportSubscription.objects.select_for_update(of=("self",)).get(pk=subscription.pk)
    permissions.ensure(permissions.can_change_subscription(by, current))
    if version is not None and current.version != version:
        raise StaleVersionError(
            _("Someone else changed this subscription since you opened it. Nothing was saved.")
        )
    relations = {name: fields.pop(name, None) for name in RELATIONS}
    for name, value in fields.items():
        setattr(current, name, value)
    current.version += 1
    current._history_user = by
    current.full_clean()
    current.save()
    _set_relations(current, relations)
    _check_recipients(current)
    schedule_sync(current)
    return current


def subscription_delete(*, subscription: ReportSubscription, by) -> None:
    """Delete a subscription with its schedule entry and its runs; their PDFs are removed from
    the storage once the deletion is committed."""
    with transaction.atomic():
        current = ReportSubscription.objects.select_for_update(of=("self",)).get(pk=subscription.pk)
        permissions.ensure(permissions.can_change_subscription(by, current))
        files = [name for name in current.runs.exclude(file="").values_list("file", flat=True)]
        task_id = current.periodic_task_id
        current._history_user = by
        current.delete()
        if task_id:
            PeriodicTask.objects.filter(pk=task_id).delete()
    storage = ReportRun._meta.get_field("file").storage
    for name in files:
        try:
            storage.delete(name)
        except OSError:
            logger.warning("Could not delete the stored report %s", name, exc_info=True)


def scope_of(subscription: ReportSubscription):
    from ..pdf import ReportScope

    return ReportScope(
        portfolio_ids=[p.pk for p in subscription.portfolios.all()],
        department_ids=[d.pk for d in subscription.departments.all()],
        project_ids=list(subscription.projects.values_list("pk", flat=True)),
    )


def render_for(subscription: ReportSubscription, period: Period):
    """The subscription's report for `period`, rendered now (reports.pdf.render)."""
    from .. import pdf

    return pdf.render(
        subscription.report_type,
        language=subscription.language,
        scope=scope_of(subscription),
        period_end=period.end,
        previous_period_end=period.previous_end,
    )


def report_preview(*, subscription: ReportSubscription, by, now=None):
    """The report as it would go out now, for the subscriber to look at; nothing is stored."""
    permissions.ensure(permissions.can_change_subscription(by, subscription))
    return render_for(subscription, current_period(subscription, now or timezone.now()))


# --- runs ------------------------------------------------------------------------------------


def _queue(run: ReportRun) -> None:
    from ..tasks import deliver_report_run

    run_id = run.pk

    def send():
        try:
            deliver_report_run.delay(run_id)
        except Exception:  # the broker is away: the sweep queues the run when it is back
            logger.warning("Report run %s could not be queued now", run_id, exc_info=True)

    transaction.on_commit(send)


@transaction.atomic
def run_request(*, subscription: ReportSubscription, by, now=None) -> ReportRun:
    """What “Send now” does: a new run for the last complete period, queued for a worker."""
    permissions.ensure(permissions.can_change_subscription(by, subscription))
    period = current_period(subscription, now or timezone.now())
    run = ReportRun.objects.create(
        subscription=subscription, trigger=ReportRun.Trigger.MANUAL, requested_by=by,
        period_start=period.start, period_end=period.end, previous_period_end=period.previous_end,
    )  # fmt: skip
    _queue(run)
    return run


def scheduled_run_ensure(*, subscription_id: int, now=None) -> ReportRun | None:
    """The scheduled run of the subscription for the period of its latest tick, made if it is
    not there yet; None when the subscription is gone or paused."""
    subscription = ReportSubscription.objects.filter(pk=subscription_id, active=True).first()
    if subscription is None:
        return None
    period = scheduled_period(subscription, now or timezone.now())
    run, _created = ReportRun.objects.get_or_create(
        subscription=subscription,
        period_end=period.end,
        trigger=ReportRun.Trigger.SCHEDULED,
        defaults={"period_start": period.start, "previous_period_end": period.previous_end},
    )
    return run


def lease() -> datetime.timedelta:
    """How long a claim holds: a delivery is stopped at the time limit, so a claim older than
    that belongs to a worker that died."""
    return datetime.timedelta(seconds=settings.REPORT_DELIVERY_TIME_LIMIT)


def run_claim(run_id: int, token: str, now: datetime.datetime | None = None) -> bool:
    """Take the run for the worker named `token`: a queued run, or one whose claim expired.
    One conditional UPDATE, so of two workers asking at once exactly one gets it."""
    now = now or timezone.now()
    taken = (
        ReportRun.objects.filter(pk=run_id)
        .filter(
            Q(state=ReportRun.State.QUEUED)
            | Q(
                state=ReportRun.State.RUNNING,
                claimed_at__lt=now - lease(),
                attempts__lt=settings.REPORT_DELIVERY_MAX_ATTEMPTS,
            )
        )  # fmt: skip
        .update(
            state=ReportRun.State.RUNNING,
            claimed_by=token,
            claimed_at=now,
            attempts=F("attempts") + 1,
        )  # fmt: skip
    )
    if taken:
        ReportRun.objects.filter(pk=run_id, started_at__isnull=True).update(started_at=now)
    return bool(taken)


def _renew(run: ReportRun, token: str) -> None:
    """Stamp the claim again before an e-mail leaves; stop if another worker took it over."""
    if not ReportRun.objects.filter(pk=run.pk, claimed_by=token,
                                    state=ReportRun.State.RUNNING).update(
        claimed_at=timezone.now()
    ):  # fmt: skip
        raise ClaimLost


def _mine(run: ReportRun, token: str):
    return ReportRun.objects.filter(pk=run.pk, claimed_by=token, state=ReportRun.State.RUNNING)


def _stored_pdf(run: ReportRun, token: str) -> bytes:
    """The run's PDF: read back from the storage after an earlier attempt, else rendered now
    and stored."""
    if run.file:
        with run.file.open("rb") as stored:
            return stored.read()
    with translation.override(run.subscription.language):
        rendered = render_for(run.subscription, Period(run.period_start, run.period_end,
                                                       run.previous_period_end))  # fmt: skip
    field = ReportRun._meta.get_field("file")
    name = field.storage.save(field.generate_filename(run, run.file_name()),
                              ContentFile(rendered.content))  # fmt: skip
    updated = _mine(run, token).update(
        file=name, pages=rendered.pages, size=len(rendered.content), title=rendered.title[:300]
    )
    if not updated:
        field.storage.delete(name)
        raise ClaimLost
    run.file.name, run.pages, run.size = name, rendered.pages, len(rendered.content)
    run.title = rendered.title[:300]
    return rendered.content


def _message_id(run: ReportRun, address: str) -> str:
    """The same Message-ID whenever this run's e-mail to `address` is sent, so that mail
    systems that meet it twice (a worker died between sending and recording) can tell."""
    digest = hashlib.sha256(address.lower().encode()).hexdigest()[:16]
    host = urlsplit(settings.PORTAL_URL).hostname or "localhost"
    return f"<executive-report.{run.pk}.{digest}@{host}>"


def _message(run: ReportRun, content: bytes, address: str, connection) -> EmailMessage:
    subscription = run.subscription
    with translation.override(subscription.language):
        period = period_label(subscription.frequency, run.period_start, run.period_end)
        context = {
            "subscription": subscription,
            "run": run,
            "period": period,
            "archive_url": settings.PORTAL_URL + reverse("reports:executive_archive"),
            "subscriptions_url": settings.PORTAL_URL + reverse("reports:subscription_list"),
        }
        subject = _("%(title)s, %(period)s") % {"title": run.title or subscription.name,
                                                "period": period}  # fmt: skip
        body = render_to_string("reports/executive/email/report.txt", context)
    message = EmailMessage(
        subject=subject, body=body, to=[address], connection=connection,
        headers={"Message-ID": _message_id(run, address)},
    )  # fmt: skip
    message.attach(run.file_name(), content, "application/pdf")
    return message


def _permanently_refused(error: smtplib.SMTPRecipientsRefused) -> str:
    """The server's answer when it refused the address for good (5xx), else ""."""
    answers = error.recipients.values()
    if answers and all(code >= 500 for code, _text in answers):
        return "; ".join(f"{code} {text.decode(errors='replace')}" for code, text in answers)
    return ""


def _send(run: ReportRun, content: bytes, token: str) -> int:
    """E-mail the PDF to each recipient the run has not reached yet; how many e-mails left."""
    done = {email.lower() for email in run.deliveries.values_list("email", flat=True)}
    wanted = [(address, user_id)
              for address, user_id in run.subscription.recipient_addresses()
              if address.lower() not in done]  # fmt: skip
    sent = 0
    if not wanted:
        return sent
    with get_connection() as connection:
        for address, user_id in wanted:
            _renew(run, token)
            refused = ""
            try:
                _message(run, content, address, connection).send()
            except smtplib.SMTPRecipientsRefused as error:
                refused = _permanently_refused(error)
                if not refused:
                    raise
            try:
                ReportDelivery.objects.create(
                    run=run, email=address, user_id=user_id, sent_at=timezone.now(),
                    refused=refused,
                )  # fmt: skip
            except IntegrityError:  # recorded by a worker that took the run over meanwhile
                logger.warning("Report run %s reached %s twice", run.pk, address)
            sent += 0 if refused else 1
    return sent


def _finish(run: ReportRun, token: str, now) -> None:
    refused = list(run.deliveries.exclude(refused="").values_list("email", "refused"))
    error = "\n".join(f"{email}: {answer}" for email, answer in refused)
    _mine(run, token).update(
        state=ReportRun.State.SENT, finished_at=now, duration=now - run.started_at,
        error=error, claimed_by="",
    )  # fmt: skip


def _fail(run_id: int, token: str, error: str, *, retry: bool) -> None:
    fields = {"error": error[:4000], "claimed_by": "", "claimed_at": None}
    if retry:
        fields["state"] = ReportRun.State.QUEUED
    else:
        now = timezone.now()
        fields.update(state=ReportRun.State.FAILED, finished_at=now)
    ReportRun.objects.filter(pk=run_id, claimed_by=token).update(**fields)


def _give_up_overrun(run: ReportRun) -> None:
    """A run whose every attempt was stopped at the time limit (or died with its worker)."""
    error = _("The delivery did not finish within %(seconds)s seconds in %(attempts)s "
              "attempts.") % {"seconds": settings.REPORT_DELIVERY_TIME_LIMIT,
                              "attempts": run.attempts}  # fmt: skip
    ReportRun.objects.filter(pk=run.pk, state=ReportRun.State.RUNNING,
                             claimed_at=run.claimed_at).update(
        state=ReportRun.State.FAILED, finished_at=timezone.now(), error=error, claimed_by="",
    )  # fmt: skip


def describe(error: BaseException) -> str:
    return f"{type(error).__name__}: {error}" if str(error) else type(error).__name__


def run_deliver(*, run_id: int, worker: str = "") -> DeliveryOutcome:
    """Deliver a run if no other worker is doing it or has done it (see the module's
    docstring). Raises TransientDeliveryError (try again later) and RunBusy (another worker
    holds it). `worker` names the worker in the claim, for the admin."""
    token = f"{worker[:40]}#{uuid.uuid4().hex[:16]}"  # new for each attempt, even of one task
    if not run_claim(run_id, token):
        run = ReportRun.objects.filter(pk=run_id).first()
        if run is None:
            return DeliveryOutcome(None, "missing")
        if run.state == ReportRun.State.RUNNING and run.claimed_at:
            expires = run.claimed_at + lease() - timezone.now()
            if expires.total_seconds() < 0:  # every attempt stopped at the time limit
                _give_up_overrun(run)
                return DeliveryOutcome(run.pk, ReportRun.State.FAILED)
            raise RunBusy(max(int(expires.total_seconds()) + 1, 1))
        return DeliveryOutcome(run.pk, run.state)
    run = ReportRun.objects.select_related("subscription").get(pk=run_id)
    sent = 0
    try:
        content = _stored_pdf(run, token)
        sent = _send(run, content, token)
        if not run.deliveries.filter(refused="").exists():
            raise ValueError(_("The report reached no recipient: nobody has an e-mail address."))
        _finish(run, token, timezone.now())
    except ClaimLost:
        logger.warning("Report run %s was taken over by another worker", run_id)
        return DeliveryOutcome(run_id, "taken over", sent)
    except TRANSIENT_ERRORS as error:
        last = run.attempts >= settings.REPORT_DELIVERY_MAX_ATTEMPTS
        logger.warning("Report run %s, attempt %s: %s", run_id, run.attempts, describe(error))
        _fail(run_id, token, describe(error), retry=not last)
        if last:
            return DeliveryOutcome(run_id, ReportRun.State.FAILED, sent)
        raise TransientDeliveryError(describe(error)) from error
    except Exception as error:
        logger.exception("Report run %s failed", run_id)
        _fail(run_id, token, describe(error), retry=False)
        return DeliveryOutcome(run_id, ReportRun.State.FAILED, sent)
    return DeliveryOutcome(run_id, ReportRun.State.SENT, sent)


def deliver_scheduled(*, subscription_id: int, worker: str = "",
                      now=None) -> DeliveryOutcome:  # fmt: skip
    """What the schedule's tick does: the run of the current period, delivered once."""
    run = scheduled_run_ensure(subscription_id=subscription_id, now=now)
    if run is None:
        return DeliveryOutcome(None, "inactive")
    return run_deliver(run_id=run.pk, worker=worker)


def runs_requeue_stalled(*, now=None) -> int:
    """Queue again the runs that wait for nobody: queued for longer than a delivery and its
    longest retry wait take, or running under a claim that expired. Queuing one twice does no
    harm: the claim lets one worker deliver it."""
    now = now or timezone.now()
    waited = datetime.timedelta(
        seconds=settings.REPORT_DELIVERY_TIME_LIMIT + settings.REPORT_DELIVERY_RETRY_BACKOFF_MAX
    )
    stalled = list(
        ReportRun.objects.filter(
            Q(state=ReportRun.State.QUEUED, created_at__lt=now - waited)
            | Q(state=ReportRun.State.RUNNING, claimed_at__lt=now - lease())
        ).values_list("pk", flat=True)
    )
    from ..tasks import deliver_report_run

    for run_id in stalled:
        deliver_report_run.delay(run_id)
    return len(stalled)


def run_retry(*, run: ReportRun, by) -> ReportRun:
    """Queue a failed run again (from the admin): it sends only to those it has not reached."""
    permissions.ensure(permissions.can_manage_any_subscription(by))
    with transaction.atomic():
        updated = ReportRun.objects.filter(pk=run.pk, state=ReportRun.State.FAILED).update(
            state=ReportRun.State.QUEUED, attempts=0, finished_at=None
        )
        if updated:
            _queue(run)
    run.refresh_from_db()
    return run
