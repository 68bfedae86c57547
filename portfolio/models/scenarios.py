"""What-if selections: a scenario's candidates and limits, its solved result and frontier, and
the portfolio decisions committing a scenario records on the projects."""

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from .criteria import period_field
from .structure import Portfolio

MONEY = {"max_digits": 18, "decimal_places": 2}
RESULT_FIELDS = [
    "solved_at", "feasible", "optimal", "total_value", "total_cost", "solve_seconds", "usage",
    "problems", "frontier", "frontier_at",
]  # fmt: skip


class Scenario(models.Model):
    """A selection of projects under limits, solved for the greatest total weighted score.

    The result of the last solve is kept on the scenario (and on its candidates) so that its
    page does not solve again; changing the scenario's inputs clears it. A committed scenario
    is read-only.
    """

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        COMMITTED = "committed", _("Committed")

    portfolio = models.ForeignKey(
        Portfolio, verbose_name=_("portfolio"), on_delete=models.PROTECT, related_name="scenarios"
    )
    period = period_field()
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    total_budget = models.DecimalField(
        _("total budget"), **MONEY, null=True, blank=True, validators=[MinValueValidator(0)],
        help_text=_("In the reporting currency; leave empty for no total budget limit."),
    )  # fmt: skip
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    committed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("committed by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    committed_at = models.DateTimeField(_("committed"), null=True, blank=True)
    solved_at = models.DateTimeField(_("solved"), null=True, blank=True, editable=False)
    feasible = models.BooleanField(_("feasible"), null=True, editable=False)
    optimal = models.BooleanField(_("proven optimal"), null=True, editable=False)
    total_value = models.DecimalField(
        _("total value"), max_digits=14, decimal_places=2, null=True, editable=False
    )
    total_cost = models.DecimalField(_("total cost"), **MONEY, null=True, editable=False)
    solve_seconds = models.FloatField(_("solve time (s)"), null=True, editable=False)
    usage = models.JSONField(_("limit usage"), default=list, blank=True, editable=False)
    problems = models.JSONField(_("problems"), default=list, blank=True, editable=False)
    frontier = models.JSONField(_("efficient frontier"), default=list, blank=True, editable=False)
    frontier_at = models.DateTimeField(_("frontier computed"), null=True, editable=False)
    version = models.PositiveIntegerField(_("version"), default=1, editable=False)
    history = HistoricalRecords(excluded_fields=RESULT_FIELDS)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("scenario")
        verbose_name_plural = _("scenarios")
        constraints = [
            models.CheckConstraint(
                condition=Q(total_budget__isnull=True) | Q(total_budget__gte=0),
                name="scenario_budget_positive",
            )
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("portfolio:scenario_detail", args=[self.pk])

    @property
    def is_committed(self) -> bool:
        return self.status == self.Status.COMMITTED

    @property
    def is_solved(self) -> bool:
        return self.solved_at is not None


class ScenarioCandidate(models.Model):
    """A project the scenario may select; the PMO can force it in or out, and candidates
    sharing an exclusive group are alternatives (at most one is selected)."""

    class Forced(models.TextChoices):
        FREE = "", _("Optimiser decides")
        IN = "in", _("Forced in")
        OUT = "out", _("Forced out")

    scenario = models.ForeignKey(
        Scenario, verbose_name=_("scenario"), on_delete=models.CASCADE, related_name="candidates"
    )
    project = models.ForeignKey(
        "projects.Project",
        verbose_name=_("project"),
        on_delete=models.CASCADE,
        related_name="scenario_candidacies",
    )
    forced = models.CharField(
        _("forced"), max_length=3, choices=Forced.choices, default=Forced.FREE, blank=True
    )
    exclusive_group = models.CharField(
        _("exclusive group"),
        max_length=50,
        blank=True,
        help_text=_("Candidates with the same group name are alternatives: at most one is chosen."),
    )
    # The last solve: whether it selected the project, at what value and cost.
    selected = models.BooleanField(_("selected"), null=True, editable=False)
    value = models.DecimalField(
        _("value"), max_digits=5, decimal_places=2, null=True, editable=False
    )
    cost = models.DecimalField(_("cost"), **MONEY, null=True, editable=False)
    history = HistoricalRecords(excluded_fields=["selected", "value", "cost"])

    class Meta:
        ordering = ["scenario", "project__code"]
        verbose_name = _("scenario candidate")
        verbose_name_plural = _("scenario candidates")
        constraints = [
            models.UniqueConstraint(fields=["scenario", "project"], name="candidate_once")
        ]

    def __str__(self) -> str:
        return f"{self.project_id} in {self.scenario_id}"


class ScenarioYearLimit(models.Model):
    """The most the scenario's selection may cost in one fiscal year."""

    scenario = models.ForeignKey(
        Scenario, verbose_name=_("scenario"), on_delete=models.CASCADE, related_name="year_limits"
    )
    year = models.PositiveSmallIntegerField(_("fiscal year"))
    budget = models.DecimalField(_("budget"), **MONEY, validators=[MinValueValidator(0)])
    history = HistoricalRecords()

    class Meta:
        ordering = ["scenario", "year"]
        verbose_name = _("budget limit per year")
        verbose_name_plural = _("budget limits per year")
        constraints = [
            models.UniqueConstraint(fields=["scenario", "year"], name="year_limit_once"),
            models.CheckConstraint(condition=Q(budget__gte=0), name="year_limit_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.year}: {self.budget}"


class ScenarioRoleLimit(models.Model):
    """The hours of a role the scenario's selection may demand in its planning period."""

    scenario = models.ForeignKey(
        Scenario, verbose_name=_("scenario"), on_delete=models.CASCADE, related_name="role_limits"
    )
    role = models.ForeignKey(
        "resources.ResourceRole", verbose_name=_("role"), on_delete=models.PROTECT,
        related_name="+",
    )  # fmt: skip
    hours = models.DecimalField(
        _("hours"), max_digits=12, decimal_places=1, validators=[MinValueValidator(0)]
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["scenario", "role__name"]
        verbose_name = _("capacity limit per role")
        verbose_name_plural = _("capacity limits per role")
        constraints = [
            models.UniqueConstraint(fields=["scenario", "role"], name="role_limit_once"),
            models.CheckConstraint(condition=Q(hours__gte=0), name="role_limit_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.role_id}: {self.hours} h"


class ScenarioDependency(models.Model):
    """`project` can be selected only if `requires` is selected too."""

    scenario = models.ForeignKey(
        Scenario, verbose_name=_("scenario"), on_delete=models.CASCADE, related_name="dependencies"
    )
    project = models.ForeignKey(
        "projects.Project", verbose_name=_("project"), on_delete=models.CASCADE, related_name="+"
    )
    requires = models.ForeignKey(
        "projects.Project", verbose_name=_("needs"), on_delete=models.CASCADE, related_name="+"
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["scenario", "pk"]
        verbose_name = _("dependency")
        verbose_name_plural = _("dependencies")
        constraints = [
            models.UniqueConstraint(
                fields=["scenario", "project", "requires"], name="dependency_once"
            ),
            models.CheckConstraint(
                condition=~Q(project=F("requires")), name="dependency_not_on_itself"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.project_id} needs {self.requires_id}"


class PortfolioDecision(models.Model):
    """A funding decision on a project, recorded when a scenario is committed."""

    class Decision(models.TextChoices):
        APPROVE = "approve", _("Approve")
        DEFER = "defer", _("Defer")
        STOP = "stop", _("Stop")

    project = models.ForeignKey(
        "projects.Project",
        verbose_name=_("project"),
        on_delete=models.CASCADE,
        related_name="portfolio_decisions",
    )
    scenario = models.ForeignKey(
        Scenario,
        verbose_name=_("scenario"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="decisions",
    )
    decision = models.CharField(_("decision"), max_length=10, choices=Decision.choices)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    decided_on = models.DateField(_("date"))
    note = models.CharField(_("note"), max_length=300, blank=True)

    class Meta:
        ordering = ["-decided_on", "-pk"]
        verbose_name = _("portfolio decision")
        verbose_name_plural = _("portfolio decisions")
        constraints = [
            models.UniqueConstraint(
                fields=["project", "scenario"], name="one_decision_per_scenario"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_decision_display()} {self.project_id}"
