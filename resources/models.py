"""People and other resources, their capacity and absences, allocations to projects, resource
requests, and the budget and actual cost of projects."""

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from projects.models import Currency, ReferenceData


def _end_after_start(prefix: str):
    return models.CheckConstraint(
        condition=Q(end__gte=models.F("start")), name=f"{prefix}_end_after_start"
    )


class ResourceRole(ReferenceData):
    """What a person does (backend developer, business analyst...): demand is planned by role."""

    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        verbose_name = _("role")
        verbose_name_plural = _("roles")
        constraints = [models.UniqueConstraint(fields=["name"], name="resource_role_name")]


class Skill(ReferenceData):
    """A skill people have at a proficiency level and requests ask for."""

    class Meta:
        ordering = ["name"]
        verbose_name = _("skill")
        verbose_name_plural = _("skills")
        constraints = [models.UniqueConstraint(fields=["name"], name="skill_name")]


class ResourceQuerySet(models.QuerySet):
    def people(self):
        return self.filter(kind=Resource.Kind.PERSON)

    def for_list(self):
        return self.select_related("role", "department", "user")


class Resource(models.Model):
    """A person or a non-human resource (equipment, facility, licence) that projects book."""

    class Kind(models.TextChoices):
        PERSON = "person", _("Person")
        EQUIPMENT = "equipment", _("Equipment")
        FACILITY = "facility", _("Facility")
        LICENCE = "licence", _("Licence")

    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.PERSON)
    name = models.CharField(_("name"), max_length=200)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user account"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="resource",
    )
    email = models.EmailField(_("e-mail"), blank=True)
    role = models.ForeignKey(
        ResourceRole,
        verbose_name=_("role"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="resources",
    )
    department = models.ForeignKey(
        "projects.Department",
        verbose_name=_("department"),
        on_delete=models.PROTECT,
        related_name="resources",
    )
    cost_rate = models.DecimalField(
        _("cost rate per hour"),
        max_digits=12,
        decimal_places=2,
        default=0,
        validators=[MinValueValidator(0)],
    )
    currency = models.CharField(
        _("currency"), max_length=3, choices=Currency.choices, default=Currency.CNY
    )
    is_active = models.BooleanField(_("active"), default=True)
    version = models.PositiveIntegerField(_("version"), default=1, editable=False)
    history = HistoricalRecords()

    objects = ResourceQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("resource")
        verbose_name_plural = _("resources")
        constraints = [
            models.CheckConstraint(condition=Q(cost_rate__gte=0), name="resource_rate_positive")
        ]
        indexes = [models.Index(fields=["kind", "role", "department"], name="resource_lookup")]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("resources:detail", args=[self.pk])


class ResourceSkill(models.Model):
    """A skill of a resource, at a level from 1 (basic) to 5 (expert)."""

    resource = models.ForeignKey(Resource, on_delete=models.CASCADE, related_name="skills")
    skill = models.ForeignKey(Skill, on_delete=models.PROTECT, related_name="holders")
    level = models.PositiveSmallIntegerField(
        _("proficiency"), validators=[MinValueValidator(1), MaxValueValidator(5)], default=3
    )

    class Meta:
        ordering = ["resource", "skill__name"]
        verbose_name = _("resource skill")
        verbose_name_plural = _("resource skills")
        constraints = [
            models.UniqueConstraint(fields=["resource", "skill"], name="resource_skill_once"),
            models.CheckConstraint(
                condition=Q(level__gte=1, level__lte=5), name="resource_skill_level"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.skill} ({self.level})"


class Capacity(models.Model):
    """Hours per week a resource offers from a date on. The row before it ends the day before,
    so a change to part-time keeps the earlier capacity in the record and in past figures."""

    resource = models.ForeignKey(Resource, on_delete=models.CASCADE, related_name="capacities")
    start = models.DateField(_("effective from"))
    end = models.DateField(_("effective until"), null=True, blank=True, editable=False)
    hours_per_week = models.DecimalField(
        _("hours per week"),
        max_digits=5,
        decimal_places=1,
        validators=[MinValueValidator(0), MaxValueValidator(168)],
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["resource", "start"]
        verbose_name = _("capacity")
        verbose_name_plural = _("capacities")
        constraints = [
            models.UniqueConstraint(fields=["resource", "start"], name="capacity_start_once"),
            models.CheckConstraint(
                condition=Q(end__isnull=True) | Q(end__gte=models.F("start")),
                name="capacity_end_after_start",
            ),
            models.CheckConstraint(
                condition=Q(hours_per_week__gte=0, hours_per_week__lte=168),
                name="capacity_hours_range",
            ),
        ]
        indexes = [models.Index(fields=["start", "end"], name="capacity_period")]

    def __str__(self) -> str:
        return f"{self.hours_per_week} h/week from {self.start}"


class Absence(models.Model):
    """Leave or another period in which a resource does not work on projects."""

    class Kind(models.TextChoices):
        LEAVE = "leave", _("Leave")
        HOLIDAY = "holiday", _("Public holiday")
        TRAINING = "training", _("Training")
        MAINTENANCE = "maintenance", _("Maintenance")
        OTHER = "other", _("Other")

    resource = models.ForeignKey(Resource, on_delete=models.CASCADE, related_name="absences")
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.LEAVE)
    start = models.DateField(_("from"))
    end = models.DateField(_("until"))
    note = models.CharField(_("note"), max_length=200, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["resource", "start"]
        verbose_name = _("absence")
        verbose_name_plural = _("absences")
        constraints = [_end_after_start("absence")]
        indexes = [models.Index(fields=["start", "end"], name="absence_period")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.start}–{self.end}"


class ResourceRequest(models.Model):
    """A project manager's request for a role and skills, before anyone is named."""

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        FULFILLED = "fulfilled", _("Fulfilled")
        REJECTED = "rejected", _("Rejected")
        CANCELLED = "cancelled", _("Cancelled")

    class Unit(models.TextChoices):
        FTE = "fte", _("Full-time equivalents")
        HOURS = "hours", _("Hours per week")

    project = models.ForeignKey(
        "projects.Project",
        verbose_name=_("project"),
        on_delete=models.CASCADE,
        related_name="resource_requests",
    )
    role = models.ForeignKey(
        ResourceRole, verbose_name=_("role"), on_delete=models.PROTECT, related_name="requests"
    )
    skills = models.ManyToManyField(Skill, verbose_name=_("skills"), blank=True)
    amount = models.DecimalField(
        _("amount"),
        max_digits=6,
        decimal_places=1,
        validators=[MinValueValidator(Decimal("0.1"))],
        help_text=_("How many full-time people, or how many hours per week."),
    )
    unit = models.CharField(_("unit"), max_length=10, choices=Unit.choices, default=Unit.FTE)
    start = models.DateField(_("from"))
    end = models.DateField(_("until"))
    note = models.TextField(_("note"), blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.OPEN
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("requested by"),
        on_delete=models.PROTECT,
        related_name="resource_requests",
    )
    requested_at = models.DateTimeField(_("requested"), auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    decision_reason = models.TextField(_("reason"), blank=True)
    version = models.PositiveIntegerField(_("version"), default=1, editable=False)
    history = HistoricalRecords(m2m_fields=[skills])

    class Meta:
        ordering = ["-requested_at", "-pk"]
        verbose_name = _("resource request")
        verbose_name_plural = _("resource requests")
        constraints = [
            _end_after_start("resource_request"),
            models.CheckConstraint(condition=Q(amount__gt=0), name="resource_request_amount"),
        ]
        indexes = [models.Index(fields=["status", "start"], name="resource_request_queue")]

    def __str__(self) -> str:
        return f"{self.amount} {self.get_unit_display()} {self.role}"

    def get_absolute_url(self) -> str:
        return reverse("resources:request_detail", args=[self.pk])

    @property
    def hours_per_week(self) -> Decimal:
        """The weekly hours asked for (an FTE is the standard week)."""
        if self.unit == self.Unit.FTE:
            return self.amount * settings.STANDARD_HOURS_PER_WEEK
        return self.amount


class Allocation(models.Model):
    """A resource booked on a project for a period, at a share of its capacity or at hours per
    week. Requested and soft bookings are plans; hard bookings are commitments."""

    class Booking(models.TextChoices):
        REQUESTED = "requested", _("Requested")
        SOFT = "soft", _("Soft")
        HARD = "hard", _("Hard")

    resource = models.ForeignKey(
        Resource, verbose_name=_("resource"), on_delete=models.CASCADE, related_name="allocations"
    )
    project = models.ForeignKey(
        "projects.Project",
        verbose_name=_("project"),
        on_delete=models.CASCADE,
        related_name="allocations",
    )
    request = models.ForeignKey(
        ResourceRequest,
        verbose_name=_("request"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="allocations",
    )
    start = models.DateField(_("from"))
    end = models.DateField(_("until"))
    percent = models.DecimalField(
        _("share of capacity (%)"),
        max_digits=5,
        decimal_places=1,
        null=True,
        blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
        help_text=_("When given, the hours per week are this share of the capacity at the start."),
    )
    hours_per_week = models.DecimalField(
        _("hours per week"),
        max_digits=5,
        decimal_places=1,
        validators=[MinValueValidator(0), MaxValueValidator(168)],
    )
    booking = models.CharField(
        _("booking"), max_length=20, choices=Booking.choices, default=Booking.SOFT
    )
    version = models.PositiveIntegerField(_("version"), default=1, editable=False)
    history = HistoricalRecords()

    class Meta:
        ordering = ["start", "pk"]
        verbose_name = _("allocation")
        verbose_name_plural = _("allocations")
        constraints = [
            _end_after_start("allocation"),
            models.CheckConstraint(
                condition=Q(percent__isnull=True) | Q(percent__gte=0, percent__lte=100),
                name="allocation_percent_range",
            ),
            models.CheckConstraint(
                condition=Q(hours_per_week__gte=0, hours_per_week__lte=168),
                name="allocation_hours_range",
            ),
        ]
        indexes = [
            models.Index(fields=["resource", "start", "end"], name="allocation_resource_period"),
            models.Index(fields=["start", "end"], name="allocation_period"),
        ]

    def __str__(self) -> str:
        return f"{self.resource} on {self.project_id}: {self.hours_per_week} h/week"

    def clean(self):
        if self.start and self.end and self.end < self.start:
            raise ValidationError({"end": _("The end date cannot be before the start date.")})


class CostCategory(models.TextChoices):
    LABOUR = "labour", _("Labour")
    CAPITAL = "capital", _("Capital")
    OPERATING = "operating", _("Operating")
    EQUIPMENT = "equipment", _("Equipment")


class BudgetLine(models.Model):
    """A project's budget for one cost category in one month (the fiscal period)."""

    project = models.ForeignKey(
        "projects.Project",
        verbose_name=_("project"),
        on_delete=models.CASCADE,
        related_name="budget_lines",
    )
    category = models.CharField(_("category"), max_length=20, choices=CostCategory.choices)
    period = models.DateField(_("period"), help_text=_("The first day of the month."))
    amount = models.DecimalField(
        _("amount"), max_digits=16, decimal_places=2, validators=[MinValueValidator(0)]
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["project", "period", "category"]
        verbose_name = _("budget line")
        verbose_name_plural = _("budget lines")
        constraints = [
            models.UniqueConstraint(
                fields=["project", "category", "period"], name="budget_line_once"
            ),
            models.CheckConstraint(condition=Q(amount__gte=0), name="budget_line_amount"),
        ]

    def __str__(self) -> str:
        return f"{self.get_category_display()} {self.period:%Y-%m}: {self.amount}"


class ActualCost(models.Model):
    """What a project spent in one cost category in one month, entered or imported."""

    project = models.ForeignKey(
        "projects.Project",
        verbose_name=_("project"),
        on_delete=models.CASCADE,
        related_name="actual_costs",
    )
    category = models.CharField(_("category"), max_length=20, choices=CostCategory.choices)
    period = models.DateField(_("period"), help_text=_("The first day of the month."))
    amount = models.DecimalField(_("amount"), max_digits=16, decimal_places=2)
    note = models.CharField(_("note"), max_length=200, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["project", "period", "category"]
        verbose_name = _("actual cost")
        verbose_name_plural = _("actual costs")
        constraints = [
            models.UniqueConstraint(
                fields=["project", "category", "period"], name="actual_cost_once"
            )
        ]
        indexes = [models.Index(fields=["period"], name="actual_cost_period")]

    def __str__(self) -> str:
        return f"{self.get_category_display()} {self.period:%Y-%m}: {self.amount}"


class UtilisationTarget(models.Model):
    """The utilisation the PMO aims at: one portal-wide target, optionally one per role."""

    role = models.OneToOneField(
        ResourceRole,
        verbose_name=_("role"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="utilisation_target",
    )
    percent = models.DecimalField(
        _("target utilisation (%)"),
        max_digits=5,
        decimal_places=1,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("utilisation target")
        verbose_name_plural = _("utilisation targets")
        constraints = [
            models.UniqueConstraint(
                fields=["role"], condition=Q(role__isnull=True), name="one_default_target"
            ),
            models.CheckConstraint(
                condition=Q(percent__gte=0, percent__lte=100), name="utilisation_target_range"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.role or _('All roles')}: {self.percent}%"
