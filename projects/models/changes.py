"""Change control: requests to change a project's scope, schedule or budget, and their decision."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class ChangeRequestQuerySet(models.QuerySet):
    def awaiting_decision(self):
        return self.filter(status__in=ChangeRequest.AWAITING_DECISION)

    def for_list(self):
        return self.select_related("project", "requested_by", "decided_by")


class ChangeRequest(models.Model):
    """A controlled change to a project's baseline: the change board approves or rejects it."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Submitted")
        UNDER_REVIEW = "under_review", _("Under review")
        APPROVED = "approved", _("Approved")
        REJECTED = "rejected", _("Rejected")
        IMPLEMENTED = "implemented", _("Implemented")

    AWAITING_DECISION = [Status.SUBMITTED, Status.UNDER_REVIEW]

    project = models.ForeignKey(
        "projects.Project",
        verbose_name=_("project"),
        on_delete=models.CASCADE,
        related_name="change_requests",
    )
    number = models.PositiveIntegerField(_("number"), editable=False)
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"))
    reason = models.TextField(_("reason"))
    scope_impact = models.TextField(_("impact on scope"), blank=True)
    schedule_impact_days = models.IntegerField(
        _("impact on schedule (days)"),
        default=0,
        help_text=_("Days the end date moves: positive later, negative earlier."),
    )
    cost_impact = models.DecimalField(
        _("impact on cost"),
        max_digits=16,
        decimal_places=2,
        default=0,
        help_text=_("Change to the budget, in the project's currency; negative for a saving."),
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("requested by"),
        on_delete=models.PROTECT,
        related_name="requested_changes",
    )
    requested_at = models.DateTimeField(_("requested"), auto_now_add=True)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.DRAFT
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="decided_changes",
    )
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    decision_comment = models.TextField(_("decision comment"), blank=True)
    version = models.PositiveIntegerField(_("version"), default=1, editable=False)
    history = HistoricalRecords()

    objects = ChangeRequestQuerySet.as_manager()

    class Meta:
        ordering = ["-requested_at", "-pk"]
        verbose_name = _("change request")
        verbose_name_plural = _("change requests")
        permissions = [("decide_changerequest", _("Can decide change requests"))]
        constraints = [
            models.UniqueConstraint(fields=["project", "number"], name="change_request_number"),
            models.CheckConstraint(
                condition=Q(status__in=["approved", "rejected", "implemented"])
                | Q(decided_by__isnull=True),
                name="change_request_decided_only_when_decided",
            ),
        ]
        indexes = [models.Index(fields=["status", "requested_at"], name="change_request_queue")]

    def __str__(self) -> str:
        return f"{self.code} {self.title}"

    def get_absolute_url(self) -> str:
        return reverse("projects:change_detail", args=[self.project_id, self.number])

    @property
    def code(self) -> str:
        return f"CR-{self.number}"
