"""Portfolios (nestable), their programmes, and where each project sits among them."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

RISK_SCORES = [
    (1, _("1 – very low")),
    (2, _("2 – low")),
    (3, _("3 – medium")),
    (4, _("4 – high")),
    (5, _("5 – very high")),
]


class PortfolioQuerySet(models.QuerySet):
    def tops(self):
        return self.filter(parent__isnull=True)

    def subtree(self, portfolio: "Portfolio"):
        """The portfolio and every portfolio below it, at any depth."""
        return self.filter(path__startswith=portfolio.path)


class Portfolio(models.Model):
    """A collection of projects and programmes managed together; portfolios nest.

    `path` lists the ids from the top portfolio down to this one ("/3/12/"), so the whole
    subtree of a portfolio is one `path__startswith` filter and its figures one aggregate.
    """

    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent portfolio"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
    )
    manager = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("portfolio manager"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="managed_portfolios",
    )
    path = models.CharField(_("tree path"), max_length=255, editable=False, db_index=True)
    version = models.PositiveIntegerField(_("version"), default=1, editable=False)
    history = HistoricalRecords()

    objects = PortfolioQuerySet.as_manager()

    class Meta:
        ordering = ["path"]
        verbose_name = _("portfolio")
        verbose_name_plural = _("portfolios")
        constraints = [
            models.CheckConstraint(
                condition=Q(parent__isnull=True) | ~Q(parent=F("id")),
                name="portfolio_not_own_parent",
            )
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("portfolio:detail", args=[self.pk])

    @property
    def depth(self) -> int:
        return max(self.path.count("/") - 2, 0)

    @property
    def top_id(self) -> int | None:
        """The id of the top portfolio of this one's tree (itself at the top)."""
        ids = self.ancestor_ids
        return ids[0] if ids else self.pk

    @property
    def ancestor_ids(self) -> list[int]:
        """The ids from the top portfolio down to this one, itself included."""
        return [int(part) for part in self.path.strip("/").split("/") if part]

    def clean(self):
        if self.parent_id is None:
            return
        if self.pk is not None and self.parent_id == self.pk:
            raise ValidationError({"parent": _("A portfolio cannot sit below itself.")})
        ancestor, seen = self.parent, set()
        while ancestor is not None and ancestor.pk not in seen:
            if self.pk is not None and ancestor.pk == self.pk:
                raise ValidationError(
                    {"parent": _("A portfolio cannot sit below one of its own sub-portfolios.")}
                )
            seen.add(ancestor.pk)
            ancestor = ancestor.parent


class Programme(models.Model):
    """Related projects in a portfolio, run together by a programme manager."""

    portfolio = models.ForeignKey(
        Portfolio,
        verbose_name=_("portfolio"),
        on_delete=models.PROTECT,
        related_name="programmes",
    )
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    manager = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("programme manager"),
        on_delete=models.PROTECT,
        related_name="managed_programmes",
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        verbose_name = _("programme")
        verbose_name_plural = _("programmes")
        constraints = [
            models.UniqueConstraint(fields=["portfolio", "name"], name="programme_name_once")
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("portfolio:programme_detail", args=[self.pk])


class PlacementQuerySet(models.QuerySet):
    def in_subtree(self, portfolio: Portfolio):
        return self.filter(portfolio__path__startswith=portfolio.path)


class PortfolioProject(models.Model):
    """Where a project sits: in a portfolio, and optionally in one of its programmes.

    `risk_score` (1-5) is the PMO's overall judgement of the project's risk, the risk axis of
    the value-against-risk chart until the risk register can give an exposure figure.
    """

    project = models.OneToOneField(
        "projects.Project",
        verbose_name=_("project"),
        on_delete=models.CASCADE,
        related_name="portfolio_placement",
    )
    portfolio = models.ForeignKey(
        Portfolio, verbose_name=_("portfolio"), on_delete=models.PROTECT, related_name="placements"
    )
    programme = models.ForeignKey(
        Programme,
        verbose_name=_("programme"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="placements",
    )
    risk_score = models.PositiveSmallIntegerField(
        _("risk (1-5)"),
        choices=RISK_SCORES,
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(5)],
        help_text=_("The PMO's overall judgement of the project's risk."),
    )
    history = HistoricalRecords()

    objects = PlacementQuerySet.as_manager()

    class Meta:
        ordering = ["project__code"]
        verbose_name = _("portfolio placement")
        verbose_name_plural = _("portfolio placements")
        constraints = [
            models.CheckConstraint(
                condition=Q(risk_score__isnull=True) | Q(risk_score__gte=1, risk_score__lte=5),
                name="placement_risk_range",
            )
        ]

    def __str__(self) -> str:
        return f"{self.project_id} in {self.portfolio_id}"

    def clean(self):
        if self.programme_id and self.programme.portfolio_id != self.portfolio_id:
            raise ValidationError({"programme": _("The programme belongs to another portfolio.")})
