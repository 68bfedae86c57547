"""Executive PDF reports sent on a schedule: the subscriptions, each delivery (a run) and the
recipients each run reached.

A subscription's schedule is a django-celery-beat entry the services keep in step with it
(reports/services/executive.py). A scheduled run is unique per subscription and period and is
claimed by a conditional UPDATE before it renders or sends anything; each recipient reached is
recorded as soon as their e-mail has left, so that a retry or a second worker sends only to
those not reached yet.
"""

import datetime
import zoneinfo

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, validate_email
from django.db import models
from django.db.models import Count, F, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords
from timezone_field import TimeZoneField


def report_type_choices() -> list[tuple[str, str]]:
    """The kinds of PDF report, as the renderer names them (read when first needed: the
    renderer reads this app's models)."""
    from ..pdf import REPORT_TYPES

    return list(REPORT_TYPES)


def split_addresses(text: str) -> list[str]:
    """The e-mail addresses in `text`, one per line or separated by commas or semicolons."""
    for separator in ",;":
        text = text.replace(separator, "\n")
    return [line.strip() for line in text.splitlines() if line.strip()]


def validate_addresses(text: str) -> None:
    wrong = []
    for address in split_addresses(text):
        try:
            validate_email(address)
        except ValidationError:
            wrong.append(address)
    if wrong:
        raise ValidationError(
            _("These are not e-mail addresses: %(addresses)s"),
            params={"addresses": ", ".join(wrong)},
            code="invalid",
        )


class Frequency(models.TextChoices):
    WEEKLY = "weekly", _("Weekly")
    MONTHLY = "monthly", _("Monthly")
    QUARTERLY = "quarterly", _("Quarterly")


class Weekday(models.IntegerChoices):
    MONDAY = 1, _("Monday")
    TUESDAY = 2, _("Tuesday")
    WEDNESDAY = 3, _("Wednesday")
    THURSDAY = 4, _("Thursday")
    FRIDAY = 5, _("Friday")
    SATURDAY = 6, _("Saturday")
    SUNDAY = 7, _("Sunday")


LAST_DAY_OF_MONTH = 28  # every month has it, so a monthly report never skips February


class ReportSubscriptionQuerySet(models.QuerySet):
    def visible_to(self, user, action: str = "view"):
        from pmo_portal import permissions

        return permissions.restrict_report_subscriptions(self, user, action)

    def for_list(self):
        return self.select_related("owner", "periodic_task").prefetch_related(
            "portfolios", "departments", "recipients"
        )


class ReportSubscription(models.Model):
    """Someone's standing order for a PDF report: what it covers, in which language, who gets
    it and when (weekly on a weekday, monthly or quarterly on a day of the month, at a time of
    day in a time zone). Each delivery covers the last complete week, month or quarter."""

    Frequency = Frequency

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("subscriber"),
        on_delete=models.CASCADE,
        related_name="report_subscriptions",
    )
    name = models.CharField(_("name"), max_length=200)
    report_type = models.CharField(_("report"), max_length=30, choices=report_type_choices)
    portfolios = models.ManyToManyField(
        "portfolio.Portfolio", verbose_name=_("portfolios"), blank=True, related_name="+"
    )
    departments = models.ManyToManyField(
        "projects.Department", verbose_name=_("departments"), blank=True, related_name="+"
    )
    projects = models.ManyToManyField(
        "projects.Project", verbose_name=_("projects"), blank=True, related_name="+"
    )
    language = models.CharField(
        _("language"), max_length=10, choices=settings.LANGUAGES, default=settings.LANGUAGE_CODE
    )
    recipients = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recipients in the portal"),
        blank=True,
        related_name="received_report_subscriptions",
    )
    extra_recipients = models.TextField(
        _("other recipients' e-mail addresses"),
        blank=True,
        validators=[validate_addresses],
        help_text=_("One address per line."),
    )
    frequency = models.CharField(
        _("frequency"), max_length=10, choices=Frequency.choices, default=Frequency.MONTHLY
    )
    day = models.PositiveSmallIntegerField(
        _("day"),
        default=1,
        validators=[MinValueValidator(1), MaxValueValidator(LAST_DAY_OF_MONTH)],
        help_text=_(
            "Weekly: the weekday (1 is Monday). Monthly: the day of the month. Quarterly: the "
            "day of the quarter's first month. Days 1 to 28."
        ),
    )
    time = models.TimeField(_("time of day"), default=datetime.time(7, 0))
    timezone = TimeZoneField(_("time zone"), default=settings.TIME_ZONE, use_pytz=False)
    active = models.BooleanField(_("active"), default=True)
    periodic_task = models.OneToOneField(
        "django_celery_beat.PeriodicTask",
        verbose_name=_("schedule entry"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="report_subscription",
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    version = models.PositiveIntegerField(_("version"), default=1, editable=False)
    history = HistoricalRecords(excluded_fields=["periodic_task"])

    objects = ReportSubscriptionQuerySet.as_manager()

    class Meta:
        ordering = ["name", "pk"]
        verbose_name = _("report subscription")
        verbose_name_plural = _("report subscriptions")
        constraints = [
            models.CheckConstraint(
                condition=Q(day__gte=1, day__lte=LAST_DAY_OF_MONTH)
                & (~Q(frequency="weekly") | Q(day__lte=7)),
                name="report_subscription_day_range",
                violation_error_message=_("A weekly report is sent on a weekday from 1 to 7."),
            )
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self):
        if self.frequency == Frequency.WEEKLY and self.day and self.day > 7:
            raise ValidationError(
                {"day": _("A weekly report is sent on a weekday: 1 (Monday) to 7 (Sunday).")}
            )

    @property
    def zone(self) -> zoneinfo.ZoneInfo:
        return self.timezone if self.timezone else zoneinfo.ZoneInfo(settings.TIME_ZONE)

    def schedule_display(self) -> str:
        """When the report leaves, in words: "Monthly on day 1 at 07:00 (Asia/Shanghai)"."""
        when = {"time": self.time.strftime("%H:%M"), "zone": str(self.zone), "day": self.day}
        if self.frequency == Frequency.WEEKLY:
            when["day"] = Weekday(self.day).label
            return _("Weekly on %(day)s at %(time)s (%(zone)s)") % when
        if self.frequency == Frequency.QUARTERLY:
            return _("Quarterly on day %(day)s at %(time)s (%(zone)s)") % when
        return _("Monthly on day %(day)s at %(time)s (%(zone)s)") % when

    def recipient_addresses(self, users=None) -> list[tuple[str, int | None]]:
        """(address, user id) of everyone the report goes to: the recipients in the portal who
        have an address and are active, then the other addresses, each address once."""
        users = self.recipients.all() if users is None else users
        found, seen = [], set()
        portal = [(u.email, u.pk) for u in users if u.is_active and u.email]
        extra = [(address, None) for address in split_addresses(self.extra_recipients)]
        for address, user_id in portal + extra:
            if address.lower() not in seen:
                seen.add(address.lower())
                found.append((address, user_id))
        return found


class ReportRunQuerySet(models.QuerySet):
    def visible_to(self, user):
        from pmo_portal import permissions

        return permissions.restrict_report_runs(self, user)

    def for_list(self):
        """With what the archive shows; `reached` counts in a subquery per row shown, not in a
        grouping of every run before the page is cut."""
        reached = (
            ReportDelivery.objects.filter(run=OuterRef("pk"), refused="")
            .order_by()
            .values("run")
            .annotate(count=Count("*"))
            .values("count")
        )
        return self.select_related("subscription", "subscription__owner").annotate(
            reached=Coalesce(Subquery(reached), 0)
        )


class ReportRun(models.Model):
    """One delivery of a subscription's report for one period: rendered once, stored in the
    file storage, e-mailed to each recipient.

    A scheduled run exists once per subscription and period (the unique constraint); a run
    requested with "Send now" is a new row each time. A worker takes a run by a conditional
    UPDATE that names it (`claimed_by`) and stamps `claimed_at`; a claim older than the
    delivery time limit belongs to a worker that died and may be taken over.
    """

    class Trigger(models.TextChoices):
        SCHEDULED = "scheduled", _("Scheduled")
        MANUAL = "manual", _("Sent on request")

    class State(models.TextChoices):
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Running")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed")

    subscription = models.ForeignKey(
        ReportSubscription,
        verbose_name=_("subscription"),
        on_delete=models.CASCADE,
        related_name="runs",
    )
    trigger = models.CharField(
        _("trigger"), max_length=10, choices=Trigger.choices, default=Trigger.SCHEDULED
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("requested by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    period_start = models.DateField(_("period from"))
    period_end = models.DateField(_("period until"))
    previous_period_end = models.DateField(_("previous period until"), null=True, blank=True)
    state = models.CharField(_("state"), max_length=10, choices=State.choices,
                             default=State.QUEUED)  # fmt: skip
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    started_at = models.DateTimeField(_("started"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    duration = models.DurationField(_("duration"), null=True, blank=True)
    title = models.CharField(_("title"), max_length=300, blank=True)
    pages = models.PositiveIntegerField(_("pages"), null=True, blank=True)
    size = models.PositiveBigIntegerField(_("size (bytes)"), null=True, blank=True)
    file = models.FileField(_("PDF file"), upload_to="reports/executive/%Y/%m/", blank=True)
    error = models.TextField(_("error"), blank=True)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    claimed_by = models.CharField(_("claimed by"), max_length=64, blank=True)
    claimed_at = models.DateTimeField(_("claimed"), null=True, blank=True)

    objects = ReportRunQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("report run")
        verbose_name_plural = _("report runs")
        constraints = [
            models.UniqueConstraint(
                fields=["subscription", "period_end"],
                condition=Q(trigger="scheduled"),
                name="report_run_once_per_period",
            ),
            models.CheckConstraint(
                condition=Q(period_end__gte=F("period_start")),
                name="report_run_period_order",
            ),
            models.CheckConstraint(
                condition=~Q(state="sent") | Q(finished_at__isnull=False),
                name="report_run_sent_finished",
            ),
        ]
        indexes = [
            models.Index(fields=["state", "created_at"], name="report_run_state"),
            models.Index(fields=["subscription", "-created_at"], name="report_run_subscription"),
        ]

    def __str__(self) -> str:
        return f"{self.subscription} · {self.period_start:%Y-%m-%d} – {self.period_end:%Y-%m-%d}"

    @property
    def is_finished(self) -> bool:
        return self.state in (self.State.SENT, self.State.FAILED)

    def file_name(self) -> str:
        """The name the PDF is downloaded and attached under."""
        kind = self.subscription.report_type.replace("_", "-")
        return f"{kind}-{self.period_end:%Y-%m-%d}.pdf"


class ReportDelivery(models.Model):
    """A recipient a run's e-mail reached (or refused it for good, with the server's answer):
    recorded right after the e-mail left, so that the run never sends to them again."""

    run = models.ForeignKey(
        ReportRun, verbose_name=_("run"), on_delete=models.CASCADE, related_name="deliveries"
    )
    email = models.EmailField(_("e-mail address"))
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    sent_at = models.DateTimeField(_("sent"))
    refused = models.TextField(_("refused by the mail server"), blank=True)

    class Meta:
        ordering = ["run", "email"]
        verbose_name = _("report delivery")
        verbose_name_plural = _("report deliveries")
        constraints = [
            models.UniqueConstraint(fields=["run", "email"], name="report_delivery_once")
        ]

    def __str__(self) -> str:
        return self.email
