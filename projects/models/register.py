from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator, RegexValidator
from django.db import models
from django.db.models import (
    Case,
    Count,
    ExpressionWrapper,
    F,
    OuterRef,
    Q,
    Subquery,
    Sum,
    When,
)
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from pmo_portal import permissions


class ReferenceData(models.Model):
    """A PMO-maintained list entry with a name in English and in Simplified Chinese."""

    name = models.CharField(_("name (English)"), max_length=120)
    name_zh_hans = models.CharField(_("name (Chinese)"), max_length=120, blank=True)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        if self.name_zh_hans and (get_language() or "").lower().startswith("zh"):
            return self.name_zh_hans
        return self.name


OPEN_STATUSES = ["proposed", "approved", "active", "on_hold"]


class Currency(models.TextChoices):
    CNY = "CNY", _("Chinese yuan (CNY)")
    USD = "USD", _("US dollar (USD)")
    EUR = "EUR", _("Euro (EUR)")
    GBP = "GBP", _("Pound sterling (GBP)")
    JPY = "JPY", _("Japanese yen (JPY)")
    HKD = "HKD", _("Hong Kong dollar (HKD)")
    SGD = "SGD", _("Singapore dollar (SGD)")


class ExchangeRate(models.Model):
    """What one unit of a currency is worth in the reporting currency (DEFAULT_CURRENCY).

    Portfolio totals add budgets up in the reporting currency; a budget in a currency without a
    rate is left out of the totals rather than added at a wrong value.
    """

    currency = models.CharField(_("currency"), max_length=3, choices=Currency.choices, unique=True)
    rate = models.DecimalField(
        _("rate to the reporting currency"),
        max_digits=18,
        decimal_places=8,
        validators=[MinValueValidator(Decimal("0.00000001"), _("The rate must be positive."))],
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["currency"]
        verbose_name = _("exchange rate")
        verbose_name_plural = _("exchange rates")
        constraints = [
            models.CheckConstraint(condition=Q(rate__gt=0), name="exchange_rate_positive")
        ]

    def __str__(self) -> str:
        return f"1 {self.currency} = {self.rate} {settings.DEFAULT_CURRENCY}"


def budget_in_reporting_currency(path: str = ""):
    """The budget of the project at `path` ("" or e.g. "projects__") in the reporting currency."""
    rate = ExchangeRate.objects.filter(currency=OuterRef(f"{path}currency")).values("rate")[:1]
    return Case(
        When(**{f"{path}currency": settings.DEFAULT_CURRENCY}, then=F(f"{path}budget")),
        default=ExpressionWrapper(
            F(f"{path}budget") * Subquery(rate), output_field=models.DecimalField()
        ),
        output_field=models.DecimalField(),
    )


class DepartmentQuerySet(models.QuerySet):
    def with_project_totals(self, projects):
        """Annotate each department with the count and budget of its open `projects`."""
        open_projects = Q(projects__in=projects, projects__status__in=OPEN_STATUSES)
        return self.annotate(
            open_count=Count("projects", filter=open_projects),
            open_budget=Sum(budget_in_reporting_currency("projects__"), filter=open_projects),
        )


class Department(ReferenceData):
    """A unit of the company's organisation tree; projects belong to one."""

    code = models.CharField(_("code"), max_length=20, unique=True)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent department"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
    )
    history = HistoricalRecords()

    objects = DepartmentQuerySet.as_manager()

    class Meta:
        ordering = ["code"]
        verbose_name = _("department")
        verbose_name_plural = _("departments")

    def clean(self):
        ancestor = self.parent
        while ancestor is not None:
            if ancestor.pk == self.pk and self.pk is not None:
                raise ValidationError({"parent": _("A department cannot sit below itself.")})
            ancestor = ancestor.parent


class ProjectType(ReferenceData):
    """A kind of project the PMO distinguishes (IT, infrastructure, product, compliance...)."""

    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        verbose_name = _("project type")
        verbose_name_plural = _("project types")
        constraints = [models.UniqueConstraint(fields=["name"], name="project_type_name_unique")]


class Tag(models.Model):
    """A free label on projects, for grouping that the register's fields do not cover."""

    name = models.CharField(_("name"), max_length=50, unique=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("tag")
        verbose_name_plural = _("tags")

    def __str__(self) -> str:
        return self.name


class ProjectQuerySet(models.QuerySet):
    def visible_to(self, user):
        return permissions.restrict_projects(self, user, permissions.VIEW)

    def editable_by(self, user):
        return permissions.restrict_projects(self, user, permissions.CHANGE)

    def for_list(self):
        return self.select_related("department", "manager", "project_type")

    def for_detail(self):
        return self.select_related(
            "department", "department__parent", "manager", "sponsor", "project_type", "methodology"
        ).prefetch_related("tags")


class Project(models.Model):
    """A project in the company's register: what it is, who runs it, when, and for how much."""

    class Status(models.TextChoices):
        PROPOSED = "proposed", _("Proposed")
        APPROVED = "approved", _("Approved")
        ACTIVE = "active", _("Active")
        ON_HOLD = "on_hold", _("On hold")
        CLOSED = "closed", _("Closed")
        CANCELLED = "cancelled", _("Cancelled")

    class Priority(models.TextChoices):
        LOW = "low", _("Low")
        MEDIUM = "medium", _("Medium")
        HIGH = "high", _("High")
        CRITICAL = "critical", _("Critical")

    Currency = Currency

    code = models.CharField(
        _("code"),
        max_length=20,
        unique=True,
        validators=[
            RegexValidator(
                r"^[A-Z0-9][A-Z0-9-]*$",
                _("Use capital letters, digits and hyphens, e.g. PRJ-0042."),
            )
        ],
        error_messages={"unique": _("Another project already has this code.")},
    )
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    sponsor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("sponsor"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="sponsored_projects",
    )
    manager = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("project manager"),
        on_delete=models.PROTECT,
        related_name="managed_projects",
    )
    department = models.ForeignKey(
        Department, verbose_name=_("department"), on_delete=models.PROTECT, related_name="projects"
    )
    project_type = models.ForeignKey(
        ProjectType, verbose_name=_("type"), on_delete=models.PROTECT, related_name="projects"
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.PROPOSED
    )
    priority = models.CharField(
        _("priority"), max_length=20, choices=Priority.choices, default=Priority.MEDIUM
    )
    planned_start = models.DateField(_("planned start"))
    planned_end = models.DateField(_("planned end"))
    forecast_start = models.DateField(_("forecast start"), null=True, blank=True)
    forecast_end = models.DateField(_("forecast end"), null=True, blank=True)
    actual_start = models.DateField(_("actual start"), null=True, blank=True)
    actual_end = models.DateField(_("actual end"), null=True, blank=True)
    budget = models.DecimalField(
        _("budget (BAC)"),
        max_digits=16,
        decimal_places=2,
        default=0,
        validators=[MinValueValidator(0, _("The budget cannot be negative."))],
    )
    currency = models.CharField(
        _("currency"), max_length=3, choices=Currency.choices, default=Currency.CNY
    )
    tags = models.ManyToManyField(Tag, verbose_name=_("tags"), blank=True, related_name="projects")
    methodology = models.ForeignKey(
        "projects.Methodology",
        verbose_name=_("methodology"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="projects",
    )
    lifecycle_template = models.ForeignKey(
        "projects.LifecycleTemplate",
        verbose_name=_("lifecycle"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        editable=False,
        related_name="projects",
        help_text=_("The template version the project started on; kept when templates change."),
    )
    current_phase = models.ForeignKey(
        "projects.ProjectPhase",
        verbose_name=_("current phase"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )
    baseline_start = models.DateField(_("baseline start"), null=True, blank=True, editable=False)
    baseline_end = models.DateField(_("baseline end"), null=True, blank=True, editable=False)
    baseline_budget = models.DecimalField(
        _("baseline budget"), max_digits=16, decimal_places=2, null=True, blank=True, editable=False
    )
    baselined_at = models.DateTimeField(_("baselined"), null=True, blank=True, editable=False)
    version = models.PositiveIntegerField(_("version"), default=1, editable=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    history = HistoricalRecords(excluded_fields=["updated_at"], m2m_fields=[tags])

    objects = ProjectQuerySet.as_manager()

    class Meta:
        ordering = ["code"]
        verbose_name = _("project")
        verbose_name_plural = _("projects")
        permissions = [("change_own_project", _("Can change the projects they manage"))]
        indexes = [models.Index(fields=["status", "code"], name="project_status_code")]
        constraints = [
            models.CheckConstraint(
                condition=Q(planned_end__gte=models.F("planned_start")),
                name="project_planned_end_after_start",
            ),
            models.CheckConstraint(
                condition=Q(forecast_end__isnull=True)
                | Q(forecast_start__isnull=True)
                | Q(forecast_end__gte=models.F("forecast_start")),
                name="project_forecast_end_after_start",
            ),
            models.CheckConstraint(
                condition=Q(actual_end__isnull=True)
                | Q(actual_start__isnull=True)
                | Q(actual_end__gte=models.F("actual_start")),
                name="project_actual_end_after_start",
            ),
            models.CheckConstraint(condition=Q(budget__gte=0), name="project_budget_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    def get_absolute_url(self) -> str:
        return reverse("projects:detail", args=[self.pk])

    @property
    def has_baseline(self) -> bool:
        return self.baselined_at is not None

    @property
    def end_slippage_days(self) -> int | None:
        """Days the forecast (or actual) end lies after the baseline end; negative: early."""
        end = self.actual_end or self.forecast_end or self.planned_end
        if self.baseline_end is None or end is None:
            return None
        return (end - self.baseline_end).days

    def clean(self):
        errors = {}
        for start, end in (
            ("planned_start", "planned_end"),
            ("forecast_start", "forecast_end"),
            ("actual_start", "actual_end"),
        ):
            start_date, end_date = getattr(self, start), getattr(self, end)
            if start_date and end_date and end_date < start_date:
                errors[end] = _("The end date cannot be before the start date.")
        if errors:
            raise ValidationError(errors)
