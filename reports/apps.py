from django.apps import AppConfig
from django.db.models.signals import post_delete, post_save
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "reports"
    verbose_name = _("Reports")

    def ready(self):
        from pmo_portal.figures import forget_figures
        from portfolio.models import Portfolio, PortfolioProject
        from projects.models import ExchangeRate, GateSubmission, Milestone, Project, ProjectPhase
        from resources.models import (
            Absence,
            ActualCost,
            Allocation,
            BudgetLine,
            Capacity,
            Resource,
        )
        from resources.signals import actual_costs_imported
        from risks.models import Risk, RiskMatrixCell

        from .dashboard import DASHBOARD_AREA
        from .models import ClosureSurvey, ReportingPeriod, ReportingSchedule, StatusReport

        # What the cached figures of the dashboard (reports/dashboard.py) and of the PMO's
        # effectiveness (reports/effectiveness.py) are made of: the projects and their phases,
        # gates, milestones, place in the portfolios, risks, people booked, budgets and costs,
        # reports and closure surveys. Writes that bypass these signals forget the figures
        # themselves (reports' services), announce themselves (the cost import) or show within
        # CACHE_SECONDS (pmo_portal/figures.py).
        def forget_dashboard_figures(**_signal):
            forget_figures(DASHBOARD_AREA)

        sources = (
            Project, ProjectPhase, GateSubmission, Milestone, ExchangeRate, Portfolio,
            PortfolioProject, Risk, RiskMatrixCell, Absence, ActualCost, Allocation, BudgetLine,
            Capacity, Resource, ReportingPeriod, ReportingSchedule, StatusReport, ClosureSurvey,
        )  # fmt: skip
        for model in sources:
            label = model._meta.label
            post_save.connect(
                forget_dashboard_figures, sender=model, dispatch_uid=f"dashboard-{label}"
            )
            post_delete.connect(
                forget_dashboard_figures, sender=model, dispatch_uid=f"dashboard-{label}-d"
            )
        actual_costs_imported.connect(forget_dashboard_figures, dispatch_uid="dashboard-costs")
