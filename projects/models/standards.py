"""The PMO's standards: methodologies, versioned lifecycle templates, the standards library and
the governance mode that says how strictly gates are enforced."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from .register import ReferenceData


class GovernanceMode(models.TextChoices):
    SUPPORTIVE = "supportive", _("Supportive: gates are advisory, warnings only")
    CONTROLLING = "controlling", _("Controlling: no phase is left without an approved gate")
    DIRECTIVE = "directive", _("Directive: as controlling, and only the PMO approves gates")


class GovernanceSettings(models.Model):
    """The PMO's type, one row for the whole portal: how strictly the lifecycle is enforced."""

    mode = models.CharField(
        _("governance mode"),
        max_length=20,
        choices=GovernanceMode.choices,
        default=GovernanceMode.CONTROLLING,
    )
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("governance settings")
        verbose_name_plural = _("governance settings")
        constraints = [models.CheckConstraint(condition=Q(pk=1), name="governance_single_row")]

    def __str__(self) -> str:
        return str(self.get_mode_display())

    @classmethod
    def current(cls) -> "GovernanceSettings":
        settings_row, _created = cls.objects.get_or_create(pk=1)
        return settings_row

    @property
    def is_controlling(self) -> bool:
        """Controlling and directive PMOs both refuse to let a project skip a gate."""
        return self.mode in (GovernanceMode.CONTROLLING, GovernanceMode.DIRECTIVE)


class Methodology(ReferenceData):
    """A way of running projects the PMO supports (waterfall, agile, hybrid...)."""

    description = models.TextField(_("description"), blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        verbose_name = _("methodology")
        verbose_name_plural = _("methodologies")
        constraints = [models.UniqueConstraint(fields=["name"], name="methodology_name_unique")]

    def current_template(self):
        """The newest published lifecycle template of this methodology, or None."""
        return (
            self.templates.filter(status=LifecycleTemplate.Status.PUBLISHED)
            .order_by("-version")
            .first()
        )


class LifecycleTemplate(models.Model):
    """A standard lifecycle: ordered phases, each ending in a gate with its checklist.

    Versioned: once a project uses a version, editing it makes a new version, so no project's
    history is ever rewritten. `family` ties the versions of one template together.
    """

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PUBLISHED = "published", _("Published")
        RETIRED = "retired", _("Retired")

    methodology = models.ForeignKey(
        Methodology,
        verbose_name=_("methodology"),
        on_delete=models.PROTECT,
        related_name="templates",
    )
    name = models.CharField(_("name"), max_length=120)
    description = models.TextField(_("description"), blank=True)
    family = models.UUIDField(_("template family"), editable=False)
    version = models.PositiveIntegerField(_("version"), default=1)
    previous_version = models.OneToOneField(
        "self",
        verbose_name=_("previous version"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="next_version",
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.DRAFT
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["methodology__name", "name", "-version"]
        verbose_name = _("lifecycle template")
        verbose_name_plural = _("lifecycle templates")
        constraints = [
            models.UniqueConstraint(fields=["family", "version"], name="template_version_unique")
        ]

    def __str__(self) -> str:
        return f"{self.name} v{self.version}"

    def get_absolute_url(self) -> str:
        return reverse("projects:template_detail", args=[self.pk])

    @property
    def is_in_use(self) -> bool:
        return self.projects.exists()


class ApproverRole(models.TextChoices):
    PMO = "pmo", _("The PMO")
    SPONSOR = "sponsor", _("The project's sponsor")


class EvidenceKind(models.TextChoices):
    NONE = "none", _("No evidence")
    FILE = "file", _("A file")
    LINK = "link", _("A link")


class ChecklistKind(models.TextChoices):
    DELIVERABLE = "deliverable", _("Deliverable")
    CRITERION = "criterion", _("Criterion")


class TemplatePhase(models.Model):
    """A phase of a lifecycle template; it ends in a gate that says who may approve it."""

    template = models.ForeignKey(
        LifecycleTemplate,
        verbose_name=_("lifecycle template"),
        on_delete=models.CASCADE,
        related_name="phases",
    )
    order = models.PositiveSmallIntegerField(_("order"))
    name = models.CharField(_("name (English)"), max_length=120)
    name_zh_hans = models.CharField(_("name (Chinese)"), max_length=120, blank=True)
    description = models.TextField(_("description"), blank=True)
    typical_weeks = models.PositiveSmallIntegerField(_("typical length (weeks)"), default=4)
    gate_name = models.CharField(_("gate"), max_length=120)
    gate_approver = models.CharField(
        _("who approves the gate"),
        max_length=20,
        choices=ApproverRole.choices,
        default=ApproverRole.PMO,
    )
    standards = models.ManyToManyField(
        "Standard", verbose_name=_("standards that apply"), blank=True, related_name="phases"
    )

    class Meta:
        ordering = ["template", "order"]
        verbose_name = _("template phase")
        verbose_name_plural = _("template phases")
        constraints = [
            models.UniqueConstraint(fields=["template", "order"], name="template_phase_order")
        ]

    def __str__(self) -> str:
        return self.name


class TemplateChecklistItem(models.Model):
    """A deliverable or criterion a project must show at the gate ending a template phase."""

    phase = models.ForeignKey(
        TemplatePhase,
        verbose_name=_("phase"),
        on_delete=models.CASCADE,
        related_name="checklist",
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    title = models.CharField(_("title"), max_length=200)
    kind = models.CharField(
        _("kind"), max_length=20, choices=ChecklistKind.choices, default=ChecklistKind.DELIVERABLE
    )
    mandatory = models.BooleanField(_("mandatory"), default=True)
    evidence = models.CharField(
        _("evidence expected"),
        max_length=10,
        choices=EvidenceKind.choices,
        default=EvidenceKind.FILE,
    )

    class Meta:
        ordering = ["phase", "order", "pk"]
        verbose_name = _("checklist item")
        verbose_name_plural = _("checklist items")
        constraints = [
            models.UniqueConstraint(fields=["phase", "order"], name="template_item_order")
        ]

    def __str__(self) -> str:
        return self.title


class Standard(models.Model):
    """A standard or document template the PMO publishes (policy, procedure, template...)."""

    class Category(models.TextChoices):
        POLICY = "policy", _("Policy")
        PROCEDURE = "procedure", _("Procedure")
        GUIDELINE = "guideline", _("Guideline")
        DOCUMENT_TEMPLATE = "template", _("Document template")
        CHECKLIST = "checklist", _("Checklist")

    title = models.CharField(_("title"), max_length=200)
    category = models.CharField(_("category"), max_length=20, choices=Category.choices)
    version = models.CharField(_("version"), max_length=20, default="1.0")
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("owner"),
        on_delete=models.PROTECT,
        related_name="owned_standards",
    )
    body = models.TextField(_("text"), blank=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["category", "title"]
        verbose_name = _("standard")
        verbose_name_plural = _("standards")

    def __str__(self) -> str:
        return f"{self.title} ({self.version})"

    def get_absolute_url(self) -> str:
        return reverse("projects:standard_detail", args=[self.pk])


class StandardAttachment(models.Model):
    """A file published with a standard, e.g. the document template itself."""

    standard = models.ForeignKey(
        Standard, verbose_name=_("standard"), on_delete=models.CASCADE, related_name="attachments"
    )
    file = models.FileField(_("file"), upload_to="standards/%Y/")
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("uploaded by"), on_delete=models.PROTECT
    )
    uploaded_at = models.DateTimeField(_("uploaded"), auto_now_add=True)

    class Meta:
        ordering = ["standard", "file"]
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")

    def __str__(self) -> str:
        return self.file.name.rsplit("/", 1)[-1]
