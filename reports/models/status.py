"""Periodic status reports: who reports how often, the reporting periods, the reports with their
RAG and frozen earned-value figures, the PMO's RAG thresholds, and the claims that make each
reminder leave once."""

import datetime
from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import formats
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class RAG(models.TextChoices):
    """Red, amber, green: how a project or one of its dimensions stands."""

    GREEN = "green", _("Green")
    AMBER = "amber", _("Amber")
    RED = "red", _("Red")


RAG_SEVERITY = {RAG.GREEN: 0, RAG.AMBER: 1, RAG.RED: 2}


class Frequency(models.TextChoices):
    WEEKLY = "weekly", _("Weekly")
    MONTHLY = "monthly", _("Monthly")


class PlannedValueMethod(models.TextChoices):
    LINEAR = "linear", _("Spread evenly over the baseline dates")
    MILESTONES = "milestones", _("By baseline milestones reached")


def _rag_field(label):
    return models.CharField(label, max_length=10, choices=RAG.choices, default=RAG.GREEN)


class RagThresholds(models.Model):
    """The PMO's thresholds behind the suggested RAG; one row (pk 1) for the whole portal."""

    spi_amber = models.DecimalField(
        _("SPI below which schedule is amber"), max_digits=4, decimal_places=2,
        default=Decimal("0.95"), validators=[MinValueValidator(0), MaxValueValidator(2)],
    )  # fmt: skip
    spi_red = models.DecimalField(
        _("SPI below which schedule is red"), max_digits=4, decimal_places=2,
        default=Decimal("0.85"), validators=[MinValueValidator(0), MaxValueValidator(2)],
    )  # fmt: skip
    cpi_amber = models.DecimalField(
        _("CPI below which cost is amber"), max_digits=4, decimal_places=2,
        default=Decimal("0.95"), validators=[MinValueValidator(0), MaxValueValidator(2)],
    )  # fmt: skip
    cpi_red = models.DecimalField(
        _("CPI below which cost is red"), max_digits=4, decimal_places=2,
        default=Decimal("0.85"), validators=[MinValueValidator(0), MaxValueValidator(2)],
    )  # fmt: skip
    slippage_amber_days = models.PositiveIntegerField(
        _("milestone slippage (days) that makes schedule amber"), default=5
    )
    slippage_red_days = models.PositiveIntegerField(
        _("milestone slippage (days) that makes schedule red"), default=20
    )
    critical_risks_amber = models.PositiveIntegerField(
        _("open critical risks that make risk amber"), default=1
    )
    critical_risks_red = models.PositiveIntegerField(
        _("open critical risks that make risk red"), default=3
    )
    version = models.PositiveIntegerField(_("version"), default=1, editable=False)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("RAG thresholds")
        verbose_name_plural = _("RAG thresholds")
        constraints = [
            models.CheckConstraint(condition=Q(id=1), name="rag_thresholds_single_row"),
            models.CheckConstraint(condition=Q(spi_red__lte=F("spi_amber")), name="rag_spi_order"),
            models.CheckConstraint(condition=Q(cpi_red__lte=F("cpi_amber")), name="rag_cpi_order"),
            models.CheckConstraint(
                condition=Q(slippage_red_days__gte=F("slippage_amber_days")),
                name="rag_slippage_order",
            ),
            models.CheckConstraint(
                condition=Q(critical_risks_red__gte=F("critical_risks_amber")),
                name="rag_risks_order",
            ),
        ]

    def __str__(self) -> str:
        return str(_("RAG thresholds"))

    @classmethod
    def current(cls) -> "RagThresholds":
        """The PMO's thresholds, or the defaults (unsaved) until they set them."""
        return cls.objects.filter(pk=1).first() or cls(pk=1)


class ReportingPeriod(models.Model):
    """A week (Monday to Sunday) or a calendar month that status reports are written for.

    Periods are made ahead by the reminders job (and the demo); a report can only be written
    for a period that exists. A report is due `due_on`, a few days after the period ends.
    """

    Frequency = Frequency

    frequency = models.CharField(_("frequency"), max_length=10, choices=Frequency.choices)
    start = models.DateField(_("from"))
    end = models.DateField(_("until"))
    due_on = models.DateField(_("report due"))

    class Meta:
        ordering = ["-end", "frequency"]
        verbose_name = _("reporting period")
        verbose_name_plural = _("reporting periods")
        constraints = [
            models.UniqueConstraint(fields=["frequency", "start"], name="reporting_period_once"),
            models.CheckConstraint(
                condition=Q(end__gte=F("start")), name="reporting_period_end_after_start"
            ),
            models.CheckConstraint(condition=Q(due_on__gte=F("end")), name="reporting_period_due"),
        ]
        indexes = [models.Index(fields=["frequency", "end"], name="reporting_period_end")]

    def __str__(self) -> str:
        if self.frequency == Frequency.MONTHLY:
            return formats.date_format(self.start, "YEAR_MONTH_FORMAT")
        return _("Week of %(start)s") % {
            "start": formats.date_format(self.start, "SHORT_DATE_FORMAT")
        }

    def is_overdue(self, today: datetime.date) -> bool:
        return self.due_on < today


class ReportingSchedule(models.Model):
    """How often a project reports and how its planned value is spread, and a pointer to its
    latest submitted report that the status-report services keep current (so the dashboard
    joins one row per project instead of searching 260,000 reports). A project without a row
    reports monthly, with planned value spread evenly."""

    project = models.OneToOneField(
        "projects.Project",
        verbose_name=_("project"),
        on_delete=models.CASCADE,
        related_name="reporting",
    )
    frequency = models.CharField(
        _("reporting frequency"), max_length=10, choices=Frequency.choices,
        default=Frequency.MONTHLY,
    )  # fmt: skip
    planned_value_method = models.CharField(
        _("planned value"), max_length=20, choices=PlannedValueMethod.choices,
        default=PlannedValueMethod.LINEAR,
    )  # fmt: skip
    latest_report = models.ForeignKey(
        "reports.StatusReport",
        verbose_name=_("latest report"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )
    history = HistoricalRecords(excluded_fields=["latest_report"])

    class Meta:
        verbose_name = _("reporting schedule")
        verbose_name_plural = _("reporting schedules")
        indexes = [models.Index(fields=["frequency"], name="reporting_schedule_frequency")]

    def __str__(self) -> str:
        return f"{self.project_id}: {self.get_frequency_display()}"


class StatusReportQuerySet(models.QuerySet):
    def visible_to(self, user):
        from pmo_portal import permissions

        return permissions.restrict_status_reports(self, user)

    def for_list(self):
        return self.select_related(
            "project", "project__department", "project__manager", "period", "author"
        )

    def published(self):
        """Submitted or reviewed: what the portfolio figures count."""
        return self.filter(state__in=StatusReport.PUBLISHED)


class StatusReport(models.Model):
    """A project's report for one period: RAG overall and per dimension, progress and the
    earned-value figures, written by the project manager and reviewed by the PMO.

    The suggested RAG is kept beside the chosen one; choosing another needs a reason. The
    figures are worked out on each save of a draft and frozen when the report is submitted.
    """

    class State(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Submitted")
        REVIEWED = "reviewed", _("Reviewed")

    PUBLISHED = [State.SUBMITTED, State.REVIEWED]

    project = models.ForeignKey(
        "projects.Project",
        verbose_name=_("project"),
        on_delete=models.CASCADE,
        related_name="status_reports",
    )
    period = models.ForeignKey(
        ReportingPeriod,
        verbose_name=_("period"),
        on_delete=models.PROTECT,
        related_name="reports",
    )
    # The month the period ends in; `closes_month` marks the project's last published report
    # of that month, so the RAG trend counts each project once a month in one grouped query.
    month = models.DateField(_("month"), editable=False)
    closes_month = models.BooleanField(_("last report of its month"), default=False, editable=False)
    state = models.CharField(_("state"), max_length=20, choices=State.choices, default=State.DRAFT)
    overall_rag = _rag_field(_("overall RAG"))
    suggested_rag = _rag_field(_("suggested RAG"))
    override_reason = models.TextField(_("reason for another RAG than suggested"), blank=True)
    schedule_rag = _rag_field(_("schedule"))
    cost_rag = _rag_field(_("cost"))
    scope_rag = _rag_field(_("scope"))
    quality_rag = _rag_field(_("quality"))
    risk_rag = _rag_field(_("risk"))
    percent_complete = models.DecimalField(
        _("percent complete"), max_digits=5, decimal_places=1, default=0,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
    )  # fmt: skip
    achievements = models.TextField(_("achievements this period"), blank=True)
    next_steps = models.TextField(_("next steps"), blank=True)
    issues = models.TextField(_("issues"), blank=True)
    decisions_needed = models.TextField(_("decisions needed"), blank=True)

    # The figures, in the project's currency, as of the last save (frozen on submission).
    currency = models.CharField(_("currency"), max_length=3, editable=False, blank=True)
    bac = models.DecimalField(_("BAC"), max_digits=16, decimal_places=2, null=True, editable=False)
    pv = models.DecimalField(_("PV"), max_digits=16, decimal_places=2, null=True, editable=False)
    ev = models.DecimalField(_("EV"), max_digits=16, decimal_places=2, null=True, editable=False)
    ac = models.DecimalField(_("AC"), max_digits=16, decimal_places=2, null=True, editable=False)
    eac = models.DecimalField(_("EAC"), max_digits=16, decimal_places=2, null=True, editable=False)
    cpi = models.DecimalField(_("CPI"), max_digits=8, decimal_places=3, null=True, editable=False)
    spi = models.DecimalField(_("SPI"), max_digits=8, decimal_places=3, null=True, editable=False)
    figures = models.JSONField(_("other figures"), default=dict, blank=True, editable=False)

    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("author"),
        on_delete=models.PROTECT,
        related_name="status_reports",
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True, editable=False)
    submitted_on_time = models.BooleanField(_("on time"), null=True, editable=False)
    review_comments = models.TextField(_("PMO review comments"), blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reviewed by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )
    reviewed_at = models.DateTimeField(_("reviewed"), null=True, blank=True, editable=False)
    version = models.PositiveIntegerField(_("version"), default=1, editable=False)
    history = HistoricalRecords(excluded_fields=["closes_month"])

    objects = StatusReportQuerySet.as_manager()

    class Meta:
        ordering = ["-month", "-pk"]
        verbose_name = _("status report")
        verbose_name_plural = _("status reports")
        permissions = [("review_statusreport", _("Can review status reports"))]
        constraints = [
            models.UniqueConstraint(
                fields=["project", "period"],
                name="status_report_once_per_period",
                violation_error_message=_("This project has a report for this period already."),
            ),
            models.CheckConstraint(
                condition=Q(overall_rag=F("suggested_rag")) | ~Q(override_reason=""),
                name="status_report_override_has_reason",
                violation_error_message=_(
                    "Give the reason for choosing another RAG than the suggested one."
                ),
            ),
            models.CheckConstraint(
                condition=Q(percent_complete__gte=0, percent_complete__lte=100),
                name="status_report_percent_range",
            ),
            models.CheckConstraint(
                condition=~Q(state="reviewed") | Q(reviewed_by__isnull=False),
                name="status_report_reviewed_by",
            ),
            models.CheckConstraint(
                condition=Q(state="draft") | Q(submitted_at__isnull=False),
                name="status_report_submitted_at",
            ),
        ]
        indexes = [
            models.Index(fields=["month", "closes_month"], name="status_report_month"),
            models.Index(fields=["month", "id"], name="status_report_list"),
            models.Index(fields=["state", "period"], name="status_report_state"),
        ]

    def __str__(self) -> str:
        return f"{self.project} · {self.period}"

    def get_absolute_url(self) -> str:
        return reverse("reports:detail", args=[self.pk])

    @property
    def is_draft(self) -> bool:
        return self.state == self.State.DRAFT

    @property
    def is_overridden(self) -> bool:
        return self.overall_rag != self.suggested_rag

    @property
    def dimensions(self) -> list[tuple[str, str, str]]:
        """(label, rag value, rag label) of each dimension, for display."""
        labels = dict(RAG.choices)
        names = ["schedule_rag", "cost_rag", "scope_rag", "quality_rag", "risk_rag"]
        return [
            (
                str(self._meta.get_field(name).verbose_name),
                getattr(self, name),
                labels[getattr(self, name)],
            )
            for name in names
        ]


class ReminderClaim(models.Model):
    """A reminder or escalation for one project's report of one period, claimed by the job that
    sends it: the unique row and a conditional update make it leave once, however often and
    on however many workers the job runs."""

    class Kind(models.TextChoices):
        REMINDER = "reminder", _("Reminder to the project manager")
        ESCALATION = "escalation", _("Escalation to the PMO")

    project = models.ForeignKey(
        "projects.Project", on_delete=models.CASCADE, related_name="+", verbose_name=_("project")
    )
    period = models.ForeignKey(
        ReportingPeriod, on_delete=models.CASCADE, related_name="+", verbose_name=_("period")
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    claimed_by = models.CharField(_("claimed by"), max_length=40, blank=True)

    class Meta:
        verbose_name = _("reminder")
        verbose_name_plural = _("reminders")
        constraints = [
            models.UniqueConstraint(
                fields=["project", "period", "kind"], name="reminder_once_per_period"
            )
        ]
        indexes = [models.Index(fields=["claimed_by"], name="reminder_claimed_by")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.project_id} {self.period_id}"
