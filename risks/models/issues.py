"""The issues log: what has happened and must be dealt with, from an occurred risk or directly."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

OPEN_ISSUE_STATUSES = ["open", "in_progress"]


class IssueQuerySet(models.QuerySet):
    def visible_to(self, user):
        return self if user.has_perm("risks.view_issue") else self.none()

    def for_list(self):
        return self.select_related("project", "owner", "risk")

    def unresolved(self):
        return self.filter(status__in=OPEN_ISSUE_STATUSES)


class Issue(models.Model):
    """Something that has happened and hurts (or helps) a project: severity, owner, due date,
    resolution, and whether it was escalated to the PMO."""

    class Severity(models.TextChoices):
        LOW = "low", _("Low")
        MEDIUM = "medium", _("Medium")
        HIGH = "high", _("High")
        CRITICAL = "critical", _("Critical")

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        IN_PROGRESS = "in_progress", _("In progress")
        RESOLVED = "resolved", _("Resolved")
        CLOSED = "closed", _("Closed")

    project = models.ForeignKey(
        "projects.Project",
        verbose_name=_("project"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="issues",
    )
    risk = models.OneToOneField(
        "risks.Risk",
        verbose_name=_("from risk"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="issue",
    )
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    severity = models.CharField(
        _("severity"), max_length=10, choices=Severity.choices, default=Severity.MEDIUM
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("owner"),
        on_delete=models.PROTECT,
        related_name="owned_issues",
    )
    due = models.DateField(_("due"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default="open")
    resolution = models.TextField(_("resolution"), blank=True)
    resolved_on = models.DateField(_("resolved"), null=True, blank=True, editable=False)
    escalated_at = models.DateTimeField(_("escalated"), null=True, blank=True, editable=False)
    escalated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("escalated by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
    )
    escalation_note = models.TextField(_("escalation note"), blank=True, editable=False)
    raised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("raised by"),
        on_delete=models.PROTECT,
        related_name="+",
        editable=False,
    )
    created_at = models.DateTimeField(_("raised"), default=timezone.now, editable=False)
    version = models.PositiveIntegerField(_("version"), default=1, editable=False)
    history = HistoricalRecords()

    objects = IssueQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("issue")
        verbose_name_plural = _("issues")
        indexes = [models.Index(fields=["status", "severity"], name="issue_status_severity")]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=OPEN_ISSUE_STATUSES) | ~Q(resolution=""),
                name="issue_resolved_with_resolution",
            )
        ]

    def __str__(self) -> str:
        return f"{self.reference} {self.title}"

    def get_absolute_url(self) -> str:
        return reverse("risks:issue_detail", args=[self.pk])

    @property
    def reference(self) -> str:
        return f"I-{self.pk:05d}" if self.pk else "I-new"

    @property
    def is_unresolved(self) -> bool:
        return self.status in OPEN_ISSUE_STATUSES

    @property
    def is_escalated(self) -> bool:
        return self.escalated_at is not None

    def is_overdue(self, today=None) -> bool:
        return (
            self.status in OPEN_ISSUE_STATUSES
            and self.due is not None
            and self.due < (today or timezone.localdate())
        )
