"""Periodic portfolio reviews and the decision taken on each project in them."""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from .structure import Portfolio


class PortfolioReview(models.Model):
    """A review of a portfolio for a period (e.g. "2026 Q2"), optionally held in one of the
    projects area's portfolio review meetings."""

    class Status(models.TextChoices):
        PLANNED = "planned", _("Planned")
        HELD = "held", _("Held")
        CLOSED = "closed", _("Closed")

    portfolio = models.ForeignKey(
        Portfolio, verbose_name=_("portfolio"), on_delete=models.PROTECT, related_name="reviews"
    )
    period = models.CharField(
        _("period"), max_length=20, help_text=_("The period reviewed, e.g. 2026 Q2.")
    )
    held_on = models.DateField(_("date"))
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PLANNED
    )
    notes = models.TextField(_("notes"), blank=True)
    meeting = models.ForeignKey(
        "projects.Meeting",
        verbose_name=_("review meeting"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="portfolio_reviews",
        limit_choices_to={"kind": "portfolio_review"},
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    version = models.PositiveIntegerField(_("version"), default=1, editable=False)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-held_on", "-pk"]
        verbose_name = _("portfolio review")
        verbose_name_plural = _("portfolio reviews")

    def __str__(self) -> str:
        return f"{self.portfolio} · {self.period}"

    def get_absolute_url(self) -> str:
        return reverse("portfolio:review_detail", args=[self.pk])


class ReviewDecision(models.Model):
    """What a portfolio review decided about one project, and why."""

    class Decision(models.TextChoices):
        CONTINUE = "continue", _("Continue")
        ACCELERATE = "accelerate", _("Accelerate")
        HOLD = "hold", _("Hold")
        STOP = "stop", _("Stop")

    review = models.ForeignKey(
        PortfolioReview,
        verbose_name=_("review"),
        on_delete=models.CASCADE,
        related_name="decisions",
    )
    project = models.ForeignKey(
        "projects.Project",
        verbose_name=_("project"),
        on_delete=models.CASCADE,
        related_name="review_decisions",
    )
    decision = models.CharField(_("decision"), max_length=10, choices=Decision.choices)
    rationale = models.TextField(_("rationale"), blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["review", "project__code"]
        verbose_name = _("review decision")
        verbose_name_plural = _("review decisions")
        constraints = [
            models.UniqueConstraint(fields=["review", "project"], name="review_decision_once")
        ]

    def __str__(self) -> str:
        return f"{self.get_decision_display()} {self.project_id}"
