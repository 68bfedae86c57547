"""The risk register: risks (threats and opportunities) with their assessment, responses and
actions, and the contingency reserve a project holds against them."""

from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from projects.models import Currency

from ..montecarlo import distribution_mean
from .config import Level, RiskCategory

CENT = Decimal("0.01")
TENTH = Decimal("0.1")
ONE_TO_FIVE = [MinValueValidator(1), MaxValueValidator(5)]
# Statuses in which a risk is still watched: reviewed on cadence and counted as exposure.
ACTIVE_STATUSES = ["open", "monitoring"]


class RiskQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Everyone who reads the register sees every risk (executives read the whole
        enterprise; project managers learn from each other's risks)."""
        return self if user.has_perm("risks.view_risk") else self.none()

    def active(self):
        return self.filter(status__in=ACTIVE_STATUSES)

    def for_list(self):
        return self.select_related("project", "portfolio", "programme", "category", "owner")

    def review_overdue(self, today):
        return self.active().filter(next_review__lt=today)


class Risk(models.Model):
    """A threat or an opportunity: its cause, event and effect, its assessment before (inherent)
    and after (residual) the responses, its quantified impact, and when it is next reviewed.

    A risk belongs to a project, a programme or a portfolio, or to none of them (enterprise-wide).
    Scores, levels and expected monetary value are kept on the row, worked out by the services,
    so that the register filters, sorts and adds them up in the database; every change is in the
    history.
    """

    class Kind(models.TextChoices):
        THREAT = "threat", _("Threat")
        OPPORTUNITY = "opportunity", _("Opportunity")

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        MONITORING = "monitoring", _("Monitoring")
        OCCURRED = "occurred", _("Occurred")
        CLOSED = "closed", _("Closed")

    class Distribution(models.TextChoices):
        TRIANGULAR = "triangular", _("Triangular")
        PERT = "pert", _("PERT (beta)")

    project = models.ForeignKey(
        "projects.Project",
        verbose_name=_("project"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="risks",
    )
    programme = models.ForeignKey(
        "portfolio.Programme",
        verbose_name=_("programme"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="risks",
    )
    portfolio = models.ForeignKey(
        "portfolio.Portfolio",
        verbose_name=_("portfolio"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="risks",
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.THREAT)
    title = models.CharField(_("title"), max_length=200)
    cause = models.TextField(_("cause"), blank=True)
    event = models.TextField(_("event"), blank=True, help_text=_("What may happen."))
    effect = models.TextField(_("effect"), blank=True)
    category = models.ForeignKey(
        RiskCategory, verbose_name=_("category"), on_delete=models.PROTECT, related_name="risks"
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("owner"),
        on_delete=models.PROTECT,
        related_name="owned_risks",
    )
    probability = models.PositiveSmallIntegerField(_("probability"), validators=ONE_TO_FIVE)
    impact = models.PositiveSmallIntegerField(_("impact"), validators=ONE_TO_FIVE)
    inherent_score = models.PositiveSmallIntegerField(_("inherent score"), editable=False)
    inherent_level = models.CharField(
        _("inherent level"), max_length=10, choices=Level.choices, editable=False
    )
    residual_probability = models.PositiveSmallIntegerField(
        _("residual probability"), validators=ONE_TO_FIVE
    )
    residual_impact = models.PositiveSmallIntegerField(_("residual impact"), validators=ONE_TO_FIVE)
    residual_score = models.PositiveSmallIntegerField(_("residual score"), editable=False)
    residual_level = models.CharField(
        _("residual level"), max_length=10, choices=Level.choices, editable=False
    )
    probability_percent = models.DecimalField(
        _("probability (%)"),
        max_digits=5,
        decimal_places=2,
        default=Decimal(0),
        validators=[MinValueValidator(0), MaxValueValidator(100)],
        help_text=_("The chance that the event happens, for the expected monetary value."),
    )
    cost_min = models.DecimalField(
        _("cost impact, minimum"), max_digits=16, decimal_places=2, default=Decimal(0),
        validators=[MinValueValidator(0)],
    )  # fmt: skip
    cost_likely = models.DecimalField(
        _("cost impact, most likely"), max_digits=16, decimal_places=2, default=Decimal(0),
        validators=[MinValueValidator(0)],
    )  # fmt: skip
    cost_max = models.DecimalField(
        _("cost impact, maximum"), max_digits=16, decimal_places=2, default=Decimal(0),
        validators=[MinValueValidator(0)],
    )  # fmt: skip
    schedule_min = models.PositiveIntegerField(_("schedule impact, minimum (days)"), default=0)
    schedule_likely = models.PositiveIntegerField(
        _("schedule impact, most likely (days)"), default=0
    )
    schedule_max = models.PositiveIntegerField(_("schedule impact, maximum (days)"), default=0)
    distribution = models.CharField(
        _("distribution"),
        max_length=20,
        choices=Distribution.choices,
        default=Distribution.PERT,
        help_text=_("How the impact spreads between minimum and maximum in the simulation."),
    )
    currency = models.CharField(
        _("currency"), max_length=3, choices=Currency.choices, default=Currency.CNY,
        editable=False,
    )  # fmt: skip
    emv = models.DecimalField(
        _("expected monetary value"), max_digits=16, decimal_places=2, default=Decimal(0),
        editable=False,
    )  # fmt: skip
    schedule_emv = models.DecimalField(
        _("expected delay (days)"), max_digits=8, decimal_places=1, default=Decimal(0),
        editable=False,
    )  # fmt: skip
    trigger = models.TextField(_("trigger"), blank=True, help_text=_("The sign it is happening."))
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default="open")
    next_review = models.DateField(_("next review"), null=True, blank=True)
    last_reviewed = models.DateField(_("last reviewed"), null=True, blank=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("logged by"),
        on_delete=models.PROTECT,
        related_name="+",
        editable=False,
    )
    created_at = models.DateTimeField(_("logged"), default=timezone.now, editable=False)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    version = models.PositiveIntegerField(_("version"), default=1, editable=False)
    history = HistoricalRecords(excluded_fields=["updated_at"])

    objects = RiskQuerySet.as_manager()

    class Meta:
        ordering = ["-residual_score", "-emv", "pk"]
        verbose_name = _("risk")
        verbose_name_plural = _("risks")
        indexes = [
            models.Index(fields=["status", "residual_level"], name="risk_status_level"),
            models.Index(fields=["project", "status"], name="risk_project_status"),
            models.Index(fields=["owner", "next_review"], name="risk_owner_review"),
            # Everyone's reviews due, soonest first, and the count of those overdue.
            models.Index(
                fields=["next_review", "id"],
                condition=Q(status__in=ACTIVE_STATUSES, next_review__isnull=False),
                name="risk_review_due",
            ),
            models.Index(fields=["residual_probability", "residual_impact"], name="risk_cell"),
            models.Index(fields=["probability", "impact"], name="risk_inherent_cell"),
            models.Index(fields=["-residual_score", "-emv", "id"], name="risk_register_order"),
            models.Index(fields=["-emv", "id"], name="risk_emv_order"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(probability__gte=1, probability__lte=5, impact__gte=1, impact__lte=5),
                name="risk_inherent_range",
            ),
            models.CheckConstraint(
                condition=Q(
                    residual_probability__gte=1,
                    residual_probability__lte=5,
                    residual_impact__gte=1,
                    residual_impact__lte=5,
                ),  # fmt: skip
                name="risk_residual_range",
            ),
            models.CheckConstraint(
                condition=Q(inherent_score=F("probability") * F("impact"))
                & Q(residual_score=F("residual_probability") * F("residual_impact")),
                name="risk_scores_are_products",
            ),
            models.CheckConstraint(
                condition=Q(probability_percent__gte=0, probability_percent__lte=100),
                name="risk_probability_percent",
            ),
            models.CheckConstraint(
                condition=Q(cost_min__gte=0)
                & Q(cost_min__lte=F("cost_likely"))
                & Q(cost_likely__lte=F("cost_max")),
                name="risk_cost_ordered",
            ),
            models.CheckConstraint(
                condition=Q(schedule_min__lte=F("schedule_likely"))
                & Q(schedule_likely__lte=F("schedule_max")),
                name="risk_schedule_ordered",
            ),
            models.CheckConstraint(
                condition=Q(emv__gte=0, schedule_emv__gte=0), name="risk_emv_not_negative"
            ),
            models.CheckConstraint(
                condition=Q(project__isnull=True, programme__isnull=True)
                | Q(project__isnull=True, portfolio__isnull=True)
                | Q(programme__isnull=True, portfolio__isnull=True),
                name="risk_one_scope",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.reference} {self.title}"

    def get_absolute_url(self) -> str:
        return reverse("risks:detail", args=[self.pk])

    @property
    def reference(self) -> str:
        return f"R-{self.pk:05d}" if self.pk else "R-new"

    @property
    def scope_label(self) -> str:
        if self.project_id:
            return self.project.code
        if self.programme_id:
            return str(self.programme)
        if self.portfolio_id:
            return str(self.portfolio)
        return str(_("Enterprise"))

    @property
    def is_active(self) -> bool:
        return self.status in ACTIVE_STATUSES

    def review_is_overdue(self, today=None) -> bool:
        today = today or timezone.localdate()
        return self.is_active and self.next_review is not None and self.next_review < today

    def work_out_figures(self, matrix) -> None:
        """Scores, levels and expected values from the assessment, before the row is saved.

        EMV = probability x the mean cost impact of the chosen distribution (triangular:
        (min + most likely + max) / 3; PERT: (min + 4 x most likely + max) / 6). A threat's EMV is
        a cost and an opportunity's a saving; both are kept as positive amounts.
        """
        self.inherent_score = self.probability * self.impact
        self.residual_score = self.residual_probability * self.residual_impact
        self.inherent_level = matrix.level(self.probability, self.impact)
        self.residual_level = matrix.level(self.residual_probability, self.residual_impact)
        chance = Decimal(self.probability_percent or 0) / 100
        pert = self.distribution == self.Distribution.PERT
        mean_cost = distribution_mean(
            float(self.cost_min), float(self.cost_likely), float(self.cost_max), pert=pert
        )
        mean_delay = distribution_mean(
            self.schedule_min, self.schedule_likely, self.schedule_max, pert=pert
        )
        self.emv = (chance * Decimal(str(mean_cost))).quantize(CENT, ROUND_HALF_UP)
        self.schedule_emv = (chance * Decimal(str(mean_delay))).quantize(TENTH, ROUND_HALF_UP)

    def clean(self):
        errors = {}
        orders = [
            ("cost_min", "cost_likely", _("The most likely cost cannot be below the minimum.")),
            ("cost_likely", "cost_max", _("The maximum cost cannot be below the most likely.")),
            ("schedule_min", "schedule_likely",
             _("The most likely delay cannot be below the minimum.")),
            ("schedule_likely", "schedule_max",
             _("The maximum delay cannot be below the most likely.")),
        ]  # fmt: skip
        for low, high, message in orders:
            low_value, high_value = getattr(self, low), getattr(self, high)
            if low_value is not None and high_value is not None and high_value < low_value:
                errors[high] = message
        scopes = [self.project_id, self.programme_id, self.portfolio_id]
        if sum(1 for scope in scopes if scope) > 1:
            errors["project"] = _(
                "A risk belongs to one project, one programme or one portfolio, not several."
            )
        if errors:
            raise ValidationError(errors)


class RiskResponse(models.Model):
    """What is done about a risk: a strategy and the plan that carries it out."""

    class Strategy(models.TextChoices):
        AVOID = "avoid", _("Avoid")
        MITIGATE = "mitigate", _("Mitigate")
        TRANSFER = "transfer", _("Transfer")
        EXPLOIT = "exploit", _("Exploit")
        ENHANCE = "enhance", _("Enhance")
        SHARE = "share", _("Share")
        ACCEPT = "accept", _("Accept")

    THREAT_STRATEGIES = ["avoid", "mitigate", "transfer", "accept"]
    OPPORTUNITY_STRATEGIES = ["exploit", "enhance", "share", "accept"]

    risk = models.ForeignKey(
        Risk, verbose_name=_("risk"), on_delete=models.CASCADE, related_name="responses"
    )
    strategy = models.CharField(_("strategy"), max_length=20, choices=Strategy.choices)
    plan = models.TextField(_("plan"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", editable=False
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now, editable=False)
    history = HistoricalRecords()

    class Meta:
        ordering = ["risk", "created_at", "pk"]
        verbose_name = _("risk response")
        verbose_name_plural = _("risk responses")

    def __str__(self) -> str:
        return f"{self.get_strategy_display()}: {self.plan[:60]}"

    @classmethod
    def strategies_for(cls, kind: str) -> list[str]:
        if kind == Risk.Kind.OPPORTUNITY:
            return cls.OPPORTUNITY_STRATEGIES
        return cls.THREAT_STRATEGIES

    def clean(self):
        if self.risk_id and self.strategy not in self.strategies_for(self.risk.kind):
            raise ValidationError(
                {"strategy": _("This strategy does not suit a risk of this kind.")}
            )


class RiskActionQuerySet(models.QuerySet):
    def pending(self):
        return self.filter(status__in=RiskAction.PENDING)

    def overdue(self, today):
        return self.pending().filter(due__lt=today)


class RiskAction(models.Model):
    """A step of a response plan, with an owner and a due date."""

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        IN_PROGRESS = "in_progress", _("In progress")
        DONE = "done", _("Done")
        CANCELLED = "cancelled", _("Cancelled")

    PENDING = ["open", "in_progress"]

    response = models.ForeignKey(
        RiskResponse, verbose_name=_("response"), on_delete=models.CASCADE, related_name="actions"
    )
    description = models.CharField(_("action"), max_length=300)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("owner"),
        on_delete=models.PROTECT,
        related_name="risk_actions",
    )
    due = models.DateField(_("due"))
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default="open")
    completed_on = models.DateField(_("completed"), null=True, blank=True, editable=False)
    version = models.PositiveIntegerField(_("version"), default=1, editable=False)
    history = HistoricalRecords()

    objects = RiskActionQuerySet.as_manager()

    class Meta:
        ordering = ["due", "pk"]
        verbose_name = _("risk action")
        verbose_name_plural = _("risk actions")
        indexes = [
            models.Index(fields=["owner", "status", "due"], name="risk_action_owner_due"),
            # Everyone's actions due, soonest first, and the count of those overdue.
            models.Index(
                fields=["due", "id"],
                condition=Q(status__in=["open", "in_progress"]),
                name="risk_action_due",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(status="done", completed_on__isnull=False) | ~Q(status="done"),
                name="risk_action_done_dated",
            )
        ]

    def __str__(self) -> str:
        return self.description

    def is_overdue(self, today=None) -> bool:
        return self.status in self.PENDING and self.due < (today or timezone.localdate())


class Contingency(models.Model):
    """The reserve a project holds for its risks: money (in the project's currency) and days.

    The project's budget (in `projects`) has no reserve line of its own, and its budget lines'
    categories (in `resources`) are labour, capital, operating and equipment, so the reserve is
    kept here, beside the risks whose simulation it is compared with.
    """

    project = models.OneToOneField(
        "projects.Project",
        verbose_name=_("project"),
        on_delete=models.CASCADE,
        related_name="risk_contingency",
    )
    cost_reserve = models.DecimalField(
        _("cost contingency"), max_digits=16, decimal_places=2, default=Decimal(0),
        validators=[MinValueValidator(0)],
    )  # fmt: skip
    schedule_reserve_days = models.PositiveIntegerField(_("schedule contingency (days)"), default=0)
    note = models.CharField(_("note"), max_length=300, blank=True)
    version = models.PositiveIntegerField(_("version"), default=1, editable=False)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("contingency reserve")
        verbose_name_plural = _("contingency reserves")
        constraints = [
            models.CheckConstraint(condition=Q(cost_reserve__gte=0), name="contingency_positive")
        ]

    def __str__(self) -> str:
        return f"{self.project_id}: {self.cost_reserve}"
