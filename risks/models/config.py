"""What the PMO configures: the risk breakdown structure, the descriptions of the probability and
impact scales, the 5x5 matrix that turns a score into a level, and the review cadence per level."""

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from projects.models import ReferenceData

SCALE_VALUES = range(1, 6)


class Level(models.TextChoices):
    """The level of a risk, from its cell in the matrix; ordered from the least to the worst."""

    LOW = "low", _("Low")
    MEDIUM = "medium", _("Medium")
    HIGH = "high", _("High")
    CRITICAL = "critical", _("Critical")

    @classmethod
    def rank(cls, value: str) -> int:
        return cls.values.index(value)


def default_level(probability: int, impact: int) -> str:
    """The usual banding of probability x impact: 1-4 low, 5-9 medium, 10-16 high, 20-25
    critical. The PMO's matrix overrides it cell by cell."""
    score = probability * impact
    if score >= 20:
        return Level.CRITICAL
    if score >= 10:
        return Level.HIGH
    if score >= 5:
        return Level.MEDIUM
    return Level.LOW


class RiskCategory(ReferenceData):
    """A node of the risk breakdown structure (RBS), e.g. Technical > Requirements."""

    code = models.CharField(_("code"), max_length=20, unique=True)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent category"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
    )
    description = models.TextField(_("description"), blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["code"]
        verbose_name = _("risk category")
        verbose_name_plural = _("risk categories")
        constraints = [
            models.CheckConstraint(
                condition=Q(parent__isnull=True) | ~Q(parent=models.F("id")),
                name="risk_category_not_own_parent",
            )
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.display_name}"

    def clean(self):
        ancestor, seen = self.parent, set()
        while ancestor is not None and ancestor.pk not in seen:
            if self.pk is not None and ancestor.pk == self.pk:
                raise ValidationError({"parent": _("A category cannot sit below itself.")})
            seen.add(ancestor.pk)
            ancestor = ancestor.parent


class Scale(models.TextChoices):
    PROBABILITY = "probability", _("Probability")
    IMPACT = "impact", _("Impact")


class ScaleLevel(models.Model):
    """What a value from 1 to 5 on the probability or the impact scale means, as the PMO
    describes it (e.g. impact 4: "more than 10% over budget or a month late")."""

    scale = models.CharField(_("scale"), max_length=20, choices=Scale.choices)
    value = models.PositiveSmallIntegerField(
        _("value"), validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    name = models.CharField(_("name (English)"), max_length=60)
    name_zh_hans = models.CharField(_("name (Chinese)"), max_length=60, blank=True)
    description = models.CharField(_("description (English)"), max_length=300, blank=True)
    description_zh_hans = models.CharField(_("description (Chinese)"), max_length=300, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["scale", "value"]
        verbose_name = _("scale level")
        verbose_name_plural = _("scale levels")
        constraints = [
            models.UniqueConstraint(fields=["scale", "value"], name="scale_level_once"),
            models.CheckConstraint(condition=Q(value__gte=1, value__lte=5), name="scale_value"),
        ]

    def __str__(self) -> str:
        return f"{self.value} – {self.display_name}"

    @property
    def in_chinese(self) -> bool:
        return (get_language() or "").lower().startswith("zh")

    @property
    def display_name(self) -> str:
        return self.name_zh_hans if self.in_chinese and self.name_zh_hans else self.name

    @property
    def display_description(self) -> str:
        if self.in_chinese and self.description_zh_hans:
            return self.description_zh_hans
        return self.description


class RiskMatrixCell(models.Model):
    """One cell of the PMO's 5x5 matrix: the level of a risk at this probability and impact."""

    probability = models.PositiveSmallIntegerField(
        _("probability"), validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    impact = models.PositiveSmallIntegerField(
        _("impact"), validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    level = models.CharField(_("level"), max_length=10, choices=Level.choices)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-probability", "impact"]
        verbose_name = _("matrix cell")
        verbose_name_plural = _("matrix cells")
        constraints = [
            models.UniqueConstraint(fields=["probability", "impact"], name="matrix_cell_once"),
            models.CheckConstraint(
                condition=Q(probability__gte=1, probability__lte=5, impact__gte=1, impact__lte=5),
                name="matrix_cell_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.probability}x{self.impact}: {self.get_level_display()}"


@dataclass(frozen=True)
class RiskMatrix:
    """The matrix as the PMO set it, read in one query; cells not set use default_level."""

    levels: dict[tuple[int, int], str]

    @classmethod
    def load(cls) -> "RiskMatrix":
        cells = RiskMatrixCell.objects.values_list("probability", "impact", "level")
        return cls({(p, i): level for p, i, level in cells})

    def level(self, probability: int, impact: int) -> str:
        return self.levels.get((probability, impact)) or default_level(probability, impact)

    def rows(self) -> list[list[tuple[int, int, str]]]:
        """The cells from probability 5 (top row) down to 1, impact 1 to 5 left to right."""
        return [[(p, i, self.level(p, i)) for i in SCALE_VALUES] for p in reversed(SCALE_VALUES)]


class ReviewCadence(models.Model):
    """How often risks of a level are reviewed, e.g. critical risks every 7 days."""

    level = models.CharField(_("level"), max_length=10, choices=Level.choices, unique=True)
    days = models.PositiveSmallIntegerField(
        _("days between reviews"), validators=[MinValueValidator(1), MaxValueValidator(366)]
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["days"]
        verbose_name = _("review cadence")
        verbose_name_plural = _("review cadences")
        constraints = [
            models.CheckConstraint(condition=Q(days__gte=1, days__lte=366), name="cadence_days")
        ]

    def __str__(self) -> str:
        return f"{self.get_level_display()}: {self.days}"


DEFAULT_CADENCE_DAYS = {Level.CRITICAL: 7, Level.HIGH: 14, Level.MEDIUM: 30, Level.LOW: 90}


def cadence_days() -> dict[str, int]:
    """The days between reviews for each level: the PMO's, else the defaults."""
    days = dict(DEFAULT_CADENCE_DAYS)
    days.update(ReviewCadence.objects.values_list("level", "days"))
    return days
