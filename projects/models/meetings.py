"""Review meetings (project, portfolio and gate reviews) with their decisions and actions."""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class Meeting(models.Model):
    """A review meeting: who met, what was said, what was decided, who does what next."""

    class Kind(models.TextChoices):
        PROJECT_REVIEW = "project_review", _("Project review")
        PORTFOLIO_REVIEW = "portfolio_review", _("Portfolio review")
        GATE_REVIEW = "gate_review", _("Gate review")

    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    title = models.CharField(_("title"), max_length=200)
    held_on = models.DateField(_("date"))
    project = models.ForeignKey(
        "projects.Project",
        verbose_name=_("project"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="meetings",
    )
    gate_submission = models.ForeignKey(
        "projects.GateSubmission",
        verbose_name=_("gate submission reviewed"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="meetings",
    )
    attendees = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name=_("attendees"), blank=True, related_name="meetings"
    )
    minutes = models.TextField(_("minutes"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    version = models.PositiveIntegerField(_("version"), default=1, editable=False)
    history = HistoricalRecords(m2m_fields=[attendees])

    class Meta:
        ordering = ["-held_on", "-pk"]
        verbose_name = _("review meeting")
        verbose_name_plural = _("review meetings")

    def __str__(self) -> str:
        return f"{self.title} ({self.held_on})"

    def get_absolute_url(self) -> str:
        return reverse("projects:meeting_detail", args=[self.pk])


class MeetingDecision(models.Model):
    """A decision taken in a review meeting: the PMO's decision log."""

    meeting = models.ForeignKey(
        Meeting, verbose_name=_("meeting"), on_delete=models.CASCADE, related_name="decisions"
    )
    description = models.TextField(_("decision"))
    history = HistoricalRecords()

    class Meta:
        ordering = ["meeting", "pk"]
        verbose_name = _("meeting decision")
        verbose_name_plural = _("meeting decisions")

    def __str__(self) -> str:
        return self.description[:80]


class ActionItemQuerySet(models.QuerySet):
    def open(self):
        return self.filter(status=ActionItem.Status.OPEN)

    def overdue(self):
        return self.open().filter(due_date__lt=timezone.localdate())


class ActionItem(models.Model):
    """Something a meeting asked someone to do by a date."""

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        DONE = "done", _("Done")
        CANCELLED = "cancelled", _("Cancelled")

    meeting = models.ForeignKey(
        Meeting, verbose_name=_("meeting"), on_delete=models.CASCADE, related_name="actions"
    )
    description = models.CharField(_("action"), max_length=300)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("owner"),
        on_delete=models.PROTECT,
        related_name="action_items",
    )
    due_date = models.DateField(_("due"))
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.OPEN
    )
    completed_at = models.DateTimeField(_("completed"), null=True, blank=True)
    history = HistoricalRecords()

    objects = ActionItemQuerySet.as_manager()

    class Meta:
        ordering = ["due_date", "pk"]
        verbose_name = _("action item")
        verbose_name_plural = _("action items")
        indexes = [models.Index(fields=["owner", "status", "due_date"], name="action_owner")]

    def __str__(self) -> str:
        return self.description

    @property
    def is_overdue(self) -> bool:
        return self.status == self.Status.OPEN and self.due_date < timezone.localdate()
