"""A project's own lifecycle: the phases and gate checklists copied from its template, the
gate submissions and decisions, conditions, and milestones."""

from django.conf import settings
from django.db import models
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from .standards import ApproverRole, ChecklistKind, EvidenceKind, TemplatePhase


class ProjectPhaseQuerySet(models.QuerySet):
    def with_checklist_counts(self):
        """Annotate `item_count`, `met_count` and `missing_mandatory` (mandatory, not met)."""
        return self.annotate(
            item_count=Count("checklist"),
            met_count=Count("checklist", filter=Q(checklist__met_at__isnull=False)),
            missing_mandatory=Count(
                "checklist",
                filter=Q(checklist__mandatory=True, checklist__met_at__isnull=True),
            ),
        )


class ProjectPhase(models.Model):
    """A phase of one project, copied from its lifecycle template when the project joined it.

    The copy is the project's record: later template versions never change it.
    """

    class Status(models.TextChoices):
        PENDING = "pending", _("Not started")
        ACTIVE = "active", _("Current")
        COMPLETED = "completed", _("Completed")

    class GateStatus(models.TextChoices):
        OPEN = "open", _("Not submitted")
        SUBMITTED = "submitted", _("Submitted")
        APPROVED = "approved", _("Go")
        CONDITIONAL = "conditional", _("Conditional go")
        ON_HOLD = "on_hold", _("Hold")
        RECYCLED = "recycled", _("Recycle")
        STOPPED = "stopped", _("Stop")
        SKIPPED = "skipped", _("Passed without approval")

    project = models.ForeignKey(
        "projects.Project",
        verbose_name=_("project"),
        on_delete=models.CASCADE,
        related_name="phases",
    )
    source = models.ForeignKey(
        TemplatePhase,
        verbose_name=_("template phase"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    order = models.PositiveSmallIntegerField(_("order"))
    name = models.CharField(_("name (English)"), max_length=120)
    name_zh_hans = models.CharField(_("name (Chinese)"), max_length=120, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.PENDING
    )
    planned_end = models.DateField(_("gate due"), null=True, blank=True)
    started_on = models.DateField(_("started"), null=True, blank=True)
    completed_on = models.DateField(_("completed"), null=True, blank=True)
    gate_name = models.CharField(_("gate"), max_length=120)
    gate_approver = models.CharField(
        _("who approves the gate"), max_length=20, choices=ApproverRole.choices
    )
    gate_status = models.CharField(
        _("gate status"), max_length=20, choices=GateStatus.choices, default=GateStatus.OPEN
    )
    history = HistoricalRecords()

    objects = ProjectPhaseQuerySet.as_manager()

    class Meta:
        ordering = ["project", "order"]
        verbose_name = _("project phase")
        verbose_name_plural = _("project phases")
        permissions = [("decide_gate", _("Can decide any gate"))]
        constraints = [
            models.UniqueConstraint(fields=["project", "order"], name="project_phase_order"),
            models.UniqueConstraint(
                fields=["project"], condition=Q(status="active"), name="one_active_phase"
            ),
        ]
        indexes = [models.Index(fields=["status", "planned_end"], name="phase_status_due")]

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        if self.name_zh_hans and (get_language() or "").lower().startswith("zh"):
            return self.name_zh_hans
        return self.name

    @property
    def days_in_phase(self) -> int | None:
        if self.started_on is None:
            return None
        return ((self.completed_on or timezone.localdate()) - self.started_on).days

    @property
    def gate_passed(self) -> bool:
        return self.gate_status in (self.GateStatus.APPROVED, self.GateStatus.CONDITIONAL)

    @property
    def gate_is_overdue(self) -> bool:
        """Due and still awaited: neither passed nor held or stopped by a decision."""
        return (
            self.status == self.Status.ACTIVE
            and not self.gate_passed
            and self.gate_status not in (self.GateStatus.ON_HOLD, self.GateStatus.STOPPED)
            and self.planned_end is not None
            and self.planned_end < timezone.localdate()
        )


class ProjectChecklistItem(models.Model):
    """A deliverable or criterion of a project's gate, with the evidence the manager attached."""

    phase = models.ForeignKey(
        ProjectPhase, verbose_name=_("phase"), on_delete=models.CASCADE, related_name="checklist"
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    title = models.CharField(_("title"), max_length=200)
    kind = models.CharField(_("kind"), max_length=20, choices=ChecklistKind.choices)
    mandatory = models.BooleanField(_("mandatory"), default=True)
    evidence = models.CharField(_("evidence expected"), max_length=10, choices=EvidenceKind.choices)
    evidence_file = models.FileField(_("evidence file"), upload_to="evidence/%Y/", blank=True)
    evidence_link = models.URLField(_("evidence link"), max_length=500, blank=True)
    note = models.TextField(_("note"), blank=True)
    met_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("evidence given by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    met_at = models.DateTimeField(_("evidence given"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["phase", "order", "pk"]
        verbose_name = _("gate checklist item")
        verbose_name_plural = _("gate checklist items")
        indexes = [models.Index(fields=["phase", "mandatory", "met_at"], name="checklist_missing")]

    def __str__(self) -> str:
        return self.title

    @property
    def is_met(self) -> bool:
        return self.met_at is not None


class GateSubmission(models.Model):
    """A project manager asking for a gate decision; kept for ever with its outcome."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Awaiting decision")
        DECIDED = "decided", _("Decided")

    phase = models.ForeignKey(
        ProjectPhase, verbose_name=_("phase"), on_delete=models.CASCADE, related_name="submissions"
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("submitted by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    submitted_at = models.DateTimeField(_("submitted"), default=timezone.now)
    note = models.TextField(_("note to the approvers"), blank=True)
    missing_mandatory = models.TextField(
        _("mandatory items missing at submission"),
        blank=True,
        help_text=_("Recorded when a supportive PMO lets a gate go forward incomplete."),
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.PENDING
    )

    class Meta:
        ordering = ["-submitted_at", "-pk"]
        verbose_name = _("gate submission")
        verbose_name_plural = _("gate submissions")
        constraints = [
            models.UniqueConstraint(
                fields=["phase"], condition=Q(status="pending"), name="one_pending_submission"
            )
        ]

    def __str__(self) -> str:
        return f"{self.phase.gate_name} ({self.submitted_at:%Y-%m-%d})"


class GateDecision(models.Model):
    """The approver's decision on a submission. One per submission: the database makes sure."""

    class Outcome(models.TextChoices):
        GO = "go", _("Go")
        CONDITIONAL_GO = "conditional_go", _("Conditional go")
        HOLD = "hold", _("Hold")
        RECYCLE = "recycle", _("Recycle")
        STOP = "stop", _("Stop")

    submission = models.OneToOneField(
        GateSubmission,
        verbose_name=_("submission"),
        on_delete=models.CASCADE,
        related_name="decision",
    )
    outcome = models.CharField(_("decision"), max_length=20, choices=Outcome.choices)
    comments = models.TextField(_("comments"), blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("decided"), default=timezone.now)

    class Meta:
        ordering = ["-decided_at"]
        verbose_name = _("gate decision")
        verbose_name_plural = _("gate decisions")

    def __str__(self) -> str:
        return str(self.get_outcome_display())


class GateCondition(models.Model):
    """A condition attached to a conditional go: who must do what by when."""

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        MET = "met", _("Met")

    decision = models.ForeignKey(
        GateDecision,
        verbose_name=_("decision"),
        on_delete=models.CASCADE,
        related_name="conditions",
    )
    description = models.CharField(_("condition"), max_length=300)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("owner"),
        on_delete=models.PROTECT,
        related_name="gate_conditions",
    )
    due_date = models.DateField(_("due"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default="open")
    met_at = models.DateTimeField(_("met"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["due_date", "pk"]
        verbose_name = _("gate condition")
        verbose_name_plural = _("gate conditions")
        indexes = [models.Index(fields=["owner", "status", "due_date"], name="condition_owner")]

    def __str__(self) -> str:
        return self.description

    @property
    def is_overdue(self) -> bool:
        return self.status == self.Status.OPEN and self.due_date < timezone.localdate()


class Milestone(models.Model):
    """A key date of a project. Its baseline is fixed at approval and moves only by change
    request; the forecast is the manager's current view."""

    project = models.ForeignKey(
        "projects.Project",
        verbose_name=_("project"),
        on_delete=models.CASCADE,
        related_name="milestones",
    )
    name = models.CharField(_("name"), max_length=200)
    baseline_date = models.DateField(_("baseline"), null=True, blank=True, editable=False)
    forecast_date = models.DateField(_("forecast"))
    actual_date = models.DateField(_("actual"), null=True, blank=True)
    version = models.PositiveIntegerField(_("version"), default=1, editable=False)
    history = HistoricalRecords()

    class Meta:
        ordering = ["project", "forecast_date", "pk"]
        verbose_name = _("milestone")
        verbose_name_plural = _("milestones")
        indexes = [models.Index(fields=["forecast_date"], name="milestone_forecast")]

    def __str__(self) -> str:
        return self.name

    @property
    def slippage_days(self) -> int | None:
        """Days the milestone is late against its baseline (negative: early)."""
        if self.baseline_date is None:
            return None
        reference = self.actual_date or self.forecast_date
        return (reference - self.baseline_date).days

    @property
    def is_late(self) -> bool:
        return self.actual_date is None and self.forecast_date < timezone.localdate()
