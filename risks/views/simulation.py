"""Quantified exposure: the Monte Carlo simulation of a project's or a portfolio's threats,
against the contingency held for them."""

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from pmo_portal import permissions
from pmo_portal.errors import StaleVersionError
from pmo_portal.service_forms import add_service_error
from portfolio.models import Portfolio
from projects.models import Project

from .. import figures
from ..figures import in_portfolio
from ..forms import ContingencyForm
from ..models import Contingency, Risk
from ..services import register as services

MAX_SEED = 2**31 - 1


def _seed(request) -> int:
    value = request.GET.get("seed", "1")
    return int(value) if value.isdigit() and 0 < int(value) <= MAX_SEED else 1


def _comparison(percentiles: dict, reserve) -> list[dict]:
    """Each percentile against the reserve: how much is missing (or spare)."""
    return [
        {"percent": percent, "value": value, "gap": float(reserve) - value,
         "covered": float(reserve) >= value}
        for percent, value in percentiles.items()
    ]  # fmt: skip


def project_simulation(request, pk):
    """The project's threats simulated 10,000 times: P50/P80/P90 cost and schedule reserve,
    histogram and S-curve, against the project's contingency."""
    permissions.ensure(permissions.can_view_risks(request.user))
    project = get_object_or_404(Project.objects.for_list(), pk=pk)
    seed = _seed(request)
    result = figures.simulation(
        Risk.objects.filter(project=project), key=f"project:{project.pk}", seed=seed
    )
    contingency = Contingency.objects.filter(project=project).first()
    cost_reserve = contingency.cost_reserve if contingency else 0
    days_reserve = contingency.schedule_reserve_days if contingency else 0
    return render(
        request,
        "risks/simulation.html",
        {
            "subject": project,
            "project": project,
            "result": result,
            "currency": project.currency,
            "contingency": contingency,
            "cost_rows": _comparison(result["cost"], cost_reserve),
            "schedule_rows": _comparison(result["schedule"], days_reserve),
            "can_set_contingency": permissions.can_set_contingency(request.user, project),
            "register_query": f"project={project.pk}",
        },
    )


def portfolio_simulation(request, pk):
    """The same for every threat under a portfolio (and its sub-portfolios), in the reporting
    currency, against the contingency of its projects."""
    permissions.ensure(permissions.can_view_risks(request.user))
    portfolio = get_object_or_404(Portfolio, pk=pk)
    seed = _seed(request)
    rates = figures.exchange_rates()
    result = figures.simulation(
        Risk.objects.filter(in_portfolio(portfolio)), key=f"portfolio:{portfolio.pk}",
        seed=seed, rates=rates,
    )  # fmt: skip
    cost_reserve, days_reserve = figures.portfolio_contingency(portfolio, rates)
    return render(
        request,
        "risks/simulation.html",
        {
            "subject": portfolio,
            "portfolio": portfolio,
            "result": result,
            "currency": settings.DEFAULT_CURRENCY,
            "portfolio_reserve": cost_reserve,
            "cost_rows": _comparison(result["cost"], cost_reserve),
            "schedule_rows": _comparison(result["schedule"], days_reserve),
            "register_query": f"portfolio={portfolio.pk}",
        },
    )


def contingency_set(request, pk):
    """Set the project's cost and schedule contingency."""
    permissions.ensure(permissions.can_view_risks(request.user))
    project = get_object_or_404(Project, pk=pk)
    permissions.ensure(permissions.can_set_contingency(request.user, project))
    contingency = Contingency.objects.filter(project=project).first()
    form = ContingencyForm(request.POST or None, instance=contingency)
    if request.method == "POST" and form.is_valid():
        try:
            services.contingency_set(
                project=project, by=request.user,
                version=form.cleaned_data["version"] if contingency else None,
                **form.service_fields(),
            )  # fmt: skip
        except StaleVersionError as error:
            form.add_error(None, str(error))
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("Contingency of %(code)s saved.") % {"code": project.code})
            return redirect("risks:project_simulation", pk=project.pk)
    return render(request, "risks/contingency_form.html", {"form": form, "project": project})
