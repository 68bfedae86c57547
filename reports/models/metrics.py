"""The PMO's measures of its own effectiveness: the survey taken when a project closes, and the
targets the PMO sets for each measure."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class Metric(models.TextChoices):
    """The effectiveness measures, each computed per quarter (reports/effectiveness.py)."""

    SUCCESS_RATE = "success_rate", _("Projects closed on time, on budget and on scope (%)")
    ON_TIME = "on_time", _("Projects closed on time (%)")
    ON_BUDGET = "on_budget", _("Projects closed on budget (%)")
    ON_SCOPE = "on_scope", _("Projects closed on scope (%)")
    AVERAGE_CPI = "average_cpi", _("Average CPI")
    AVERAGE_SPI = "average_spi", _("Average SPI")
    UTILISATION = "utilisation", _("Resource utilisation (%)")
    SATISFACTION = "satisfaction", _("Stakeholder satisfaction (1-5)")
    TIMELINESS = "timeliness", _("Status reports on time (%)")
    GATE_COMPLIANCE = "gate_compliance", _("Gates submitted complete (%)")


class EffectivenessTarget(models.Model):
    """What the PMO aims at for one measure, every quarter."""

    metric = models.CharField(_("measure"), max_length=30, choices=Metric.choices, unique=True)
    target = models.DecimalField(
        _("target"), max_digits=7, decimal_places=2, validators=[MinValueValidator(0)]
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["metric"]
        verbose_name = _("effectiveness target")
        verbose_name_plural = _("effectiveness targets")
        constraints = [
            models.CheckConstraint(condition=Q(target__gte=0), name="effectiveness_target_positive")
        ]

    def __str__(self) -> str:
        return f"{self.get_metric_display()}: {self.target}"


class ClosureSurvey(models.Model):
    """The short survey recorded when a project closes: how satisfied its stakeholders are,
    whether it delivered the agreed scope, and the value it delivered, for the PMO's measures."""

    project = models.OneToOneField(
        "projects.Project",
        verbose_name=_("project"),
        on_delete=models.CASCADE,
        related_name="closure_survey",
    )
    satisfaction = models.PositiveSmallIntegerField(
        _("stakeholder satisfaction"),
        validators=[MinValueValidator(1), MaxValueValidator(5)],
        help_text=_("1 very dissatisfied to 5 very satisfied."),
    )
    on_scope = models.BooleanField(
        _("delivered the agreed scope"),
        default=True,
        help_text=_("The scope as baselined, with the changes approved since."),
    )
    value_delivered = models.DecimalField(
        _("value delivered"),
        max_digits=16,
        decimal_places=2,
        default=0,
        validators=[MinValueValidator(0)],
        help_text=_("The benefits the project delivered, in the reporting currency."),
    )
    comments = models.TextField(_("comments"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    recorded_on = models.DateField(_("recorded"))
    history = HistoricalRecords()

    class Meta:
        ordering = ["-recorded_on", "-pk"]
        verbose_name = _("closure survey")
        verbose_name_plural = _("closure surveys")
        constraints = [
            models.CheckConstraint(
                condition=Q(satisfaction__gte=1, satisfaction__lte=5),
                name="closure_survey_satisfaction_range",
            ),
            models.CheckConstraint(
                condition=Q(value_delivered__gte=0), name="closure_survey_value_positive"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.project}: {self.satisfaction}/5"

    def get_absolute_url(self) -> str:
        return reverse("reports:project_reports", args=[self.project_id])
