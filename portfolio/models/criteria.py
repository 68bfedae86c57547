"""Strategic objectives, scoring criteria and their weights, scores, and the ranking.

Objectives and criteria belong to a top-level portfolio and a planning period (a fiscal year,
the calendar year here); they apply to every project placed anywhere in that portfolio's tree.
"""

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from .structure import Portfolio

WEIGHT_DIGITS = {"max_digits": 9, "decimal_places": 4}


def period_field():
    return models.PositiveSmallIntegerField(
        _("planning period"),
        validators=[MinValueValidator(2000), MaxValueValidator(2100)],
        help_text=_("The fiscal year, e.g. 2026."),
    )


def _top_portfolio_only(portfolio: Portfolio | None) -> None:
    if portfolio is not None and portfolio.parent_id is not None:
        raise ValidationError(
            {
                "portfolio": _(
                    "Objectives and criteria are set on a top-level portfolio; they apply to "
                    "its sub-portfolios too."
                )
            }
        )


class StrategicObjective(models.Model):
    """What the organisation wants to achieve in a period; criteria can point at one."""

    portfolio = models.ForeignKey(
        Portfolio, verbose_name=_("portfolio"), on_delete=models.CASCADE, related_name="objectives"
    )
    period = period_field()
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    weight = models.DecimalField(
        _("weight"), **WEIGHT_DIGITS, default=Decimal(1), validators=[MinValueValidator(0)]
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["portfolio", "period", "name"]
        verbose_name = _("strategic objective")
        verbose_name_plural = _("strategic objectives")
        constraints = [
            models.UniqueConstraint(
                fields=["portfolio", "period", "name"], name="objective_name_once"
            ),
            models.CheckConstraint(condition=Q(weight__gte=0), name="objective_weight_positive"),
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self):
        _top_portfolio_only(getattr(self, "portfolio", None))


class Criterion(models.Model):
    """A scoring criterion with its weight and scale: a benefit criterion rewards a high level,
    a cost criterion (e.g. "implementation effort") a low one."""

    class Direction(models.TextChoices):
        BENEFIT = "benefit", _("Benefit: higher is better")
        COST = "cost", _("Cost: lower is better")

    portfolio = models.ForeignKey(
        Portfolio, verbose_name=_("portfolio"), on_delete=models.CASCADE, related_name="criteria"
    )
    period = period_field()
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    direction = models.CharField(
        _("direction"), max_length=10, choices=Direction.choices, default=Direction.BENEFIT
    )
    weight = models.DecimalField(
        _("weight"), **WEIGHT_DIGITS, default=Decimal(1), validators=[MinValueValidator(0)]
    )
    objective = models.ForeignKey(
        StrategicObjective,
        verbose_name=_("strategic objective"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="criteria",
    )
    # Kept from the levels when they are saved, so that queries can compare a level with the
    # middle of the scale.
    scale_min = models.SmallIntegerField(_("lowest level"), default=1, editable=False)
    scale_max = models.SmallIntegerField(_("highest level"), default=5, editable=False)
    version = models.PositiveIntegerField(_("version"), default=1, editable=False)
    history = HistoricalRecords()

    class Meta:
        ordering = ["portfolio", "period", "pk"]
        verbose_name = _("criterion")
        verbose_name_plural = _("criteria")
        constraints = [
            models.UniqueConstraint(
                fields=["portfolio", "period", "name"], name="criterion_name_once"
            ),
            models.CheckConstraint(condition=Q(weight__gte=0), name="criterion_weight_positive"),
            models.CheckConstraint(
                condition=Q(scale_max__gt=F("scale_min")), name="criterion_scale_order"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("portfolio:criterion_update", args=[self.pk])

    @property
    def is_benefit(self) -> bool:
        return self.direction == self.Direction.BENEFIT

    def clean(self):
        _top_portfolio_only(getattr(self, "portfolio", None))
        if self.objective_id and (
            self.objective.portfolio_id != self.portfolio_id or self.objective.period != self.period
        ):
            raise ValidationError(
                {"objective": _("The objective belongs to another portfolio or period.")}
            )


class CriterionLevel(models.Model):
    """One level of a criterion's scale and what it means, e.g. 5: "saves over 1 M a year"."""

    criterion = models.ForeignKey(
        Criterion, verbose_name=_("criterion"), on_delete=models.CASCADE, related_name="levels"
    )
    value = models.SmallIntegerField(
        _("level"), validators=[MinValueValidator(0), MaxValueValidator(10)]
    )
    label = models.CharField(_("label"), max_length=100)
    description = models.TextField(_("description"), blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["criterion", "value"]
        verbose_name = _("criterion level")
        verbose_name_plural = _("criterion levels")
        constraints = [
            models.UniqueConstraint(fields=["criterion", "value"], name="criterion_level_once"),
            models.CheckConstraint(
                condition=Q(value__gte=0, value__lte=10), name="criterion_level_range"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.value} – {self.label}"


class PairwiseJudgement(models.Model):
    """How much more important the first criterion is than the second, on Saaty's scale.

    `judgement` 1 means equally important; 2..9: the first is that many times as important;
    -2..-9: the second is. The matrix entry a[first][second] is then j or 1/-j.
    """

    first = models.ForeignKey(
        Criterion, verbose_name=_("criterion"), on_delete=models.CASCADE, related_name="+"
    )
    second = models.ForeignKey(
        Criterion, verbose_name=_("compared with"), on_delete=models.CASCADE, related_name="+"
    )
    judgement = models.SmallIntegerField(_("judgement"), default=1)
    history = HistoricalRecords()

    class Meta:
        ordering = ["first", "second"]
        verbose_name = _("pairwise judgement")
        verbose_name_plural = _("pairwise judgements")
        constraints = [
            models.UniqueConstraint(fields=["first", "second"], name="judgement_pair_once"),
            models.CheckConstraint(
                condition=Q(first__lt=F("second")), name="judgement_pair_ordered"
            ),
            models.CheckConstraint(
                condition=Q(judgement__gte=1, judgement__lte=9)
                | Q(judgement__gte=-9, judgement__lte=-2),
                name="judgement_saaty_scale",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.first_id}:{self.second_id} = {self.judgement}"

    @property
    def value(self) -> float:
        return float(self.judgement) if self.judgement >= 1 else 1 / -self.judgement


class Score(models.Model):
    """A project's level on a criterion, with the reason; its history is the score history."""

    project = models.ForeignKey(
        "projects.Project",
        verbose_name=_("project"),
        on_delete=models.CASCADE,
        related_name="portfolio_scores",
    )
    criterion = models.ForeignKey(
        Criterion, verbose_name=_("criterion"), on_delete=models.CASCADE, related_name="scores"
    )
    level = models.SmallIntegerField(_("level"))
    rationale = models.TextField(_("rationale"))
    scored_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("scored by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    scored_at = models.DateTimeField(_("scored"))
    history = HistoricalRecords()

    class Meta:
        ordering = ["project", "criterion"]
        verbose_name = _("score")
        verbose_name_plural = _("scores")
        constraints = [models.UniqueConstraint(fields=["project", "criterion"], name="score_once")]

    def __str__(self) -> str:
        return f"{self.criterion}: {self.level}"


class ScoreProposal(models.Model):
    """A project manager's proposed score for their project, until the PMO accepts or
    rejects it."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        ACCEPTED = "accepted", _("Accepted")
        REJECTED = "rejected", _("Rejected")

    project = models.ForeignKey(
        "projects.Project",
        verbose_name=_("project"),
        on_delete=models.CASCADE,
        related_name="score_proposals",
    )
    criterion = models.ForeignKey(
        Criterion, verbose_name=_("criterion"), on_delete=models.CASCADE, related_name="proposals"
    )
    level = models.SmallIntegerField(_("level"))
    rationale = models.TextField(_("rationale"))
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("proposed by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    proposed_at = models.DateTimeField(_("proposed"), auto_now_add=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    decision_note = models.TextField(_("reason"), blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-proposed_at", "-pk"]
        verbose_name = _("score proposal")
        verbose_name_plural = _("score proposals")
        constraints = [
            models.UniqueConstraint(
                fields=["project", "criterion"],
                condition=Q(status="pending"),
                name="one_pending_proposal",
            )
        ]
        indexes = [models.Index(fields=["status", "proposed_at"], name="score_proposal_queue")]

    def __str__(self) -> str:
        return f"{self.criterion}: {self.level} ({self.get_status_display()})"


class ProjectRanking(models.Model):
    """A project's weighted score (0-100) and rank among the projects scored on the same
    criteria (a top-level portfolio and period), kept up to date by the scoring services."""

    project = models.ForeignKey(
        "projects.Project",
        verbose_name=_("project"),
        on_delete=models.CASCADE,
        related_name="portfolio_rankings",
    )
    portfolio = models.ForeignKey(
        Portfolio, verbose_name=_("portfolio"), on_delete=models.CASCADE, related_name="rankings"
    )
    period = period_field()
    weighted_score = models.DecimalField(_("weighted score"), max_digits=5, decimal_places=2)
    rank = models.PositiveIntegerField(_("rank"))
    scored_criteria = models.PositiveSmallIntegerField(_("criteria scored"), default=0)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["portfolio", "period", "rank"]
        verbose_name = _("project ranking")
        verbose_name_plural = _("project rankings")
        constraints = [
            models.UniqueConstraint(fields=["project", "period"], name="ranking_once_per_period")
        ]
        indexes = [models.Index(fields=["portfolio", "period", "rank"], name="ranking_order")]

    def __str__(self) -> str:
        return f"#{self.rank} {self.project_id}: {self.weighted_score}"
