from django.apps import AppConfig
from django.db.models.signals import post_delete, post_save
from django.utils.translation import gettext_lazy as _


class RisksConfig(AppConfig):
    name = "risks"
    verbose_name = _("Risks")

    def ready(self):
        from pmo_portal.figures import forget_figures
        from portfolio.models import Portfolio, PortfolioProject, Programme
        from projects.models import Department, Project

        from .models import Risk, RiskCategory

        # What the cached exposure figures are made of: the risks and their history, and what
        # the filters place them by (see pmo_portal/figures.py).
        def forget_risk_figures(**_signal):
            forget_figures("risks")

        for model in (Risk, RiskCategory, Project, Department, Portfolio, PortfolioProject,
                      Programme):  # fmt: skip
            post_save.connect(forget_risk_figures, sender=model, dispatch_uid=f"risks-{model}")
            post_delete.connect(forget_risk_figures, sender=model, dispatch_uid=f"risks-{model}-d")
