"""The views across risks: the heat map, the roll-ups, exposure over time and the reviews and
actions that are due."""

from django.conf import settings
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from pmo_portal import permissions

from .. import figures
from ..filters import RiskFilter
from ..models import Risk, RiskAction
from .common import query_without

ROLLUPS = {"category", "department", "portfolio"}
LISTED = 100  # reviews and actions listed on the page; the counts say how many are overdue
OWNER_FIELDS = ("owner__username", "owner__first_name", "owner__last_name")
# What the reviews page shows, and no more: the register's rows are wide.
REVIEW_FIELDS = (
    "title", "next_review", "residual_level", "project__code", "programme__name",
    "portfolio__name", *OWNER_FIELDS,
)  # fmt: skip
ACTION_FIELDS = ("description", "due", "status", "response__risk__id", *OWNER_FIELDS)


def _groupings() -> list[tuple[str, str, str]]:
    return [
        ("category", _("Category"), _("category")),
        ("department", _("Department"), _("department")),
        ("portfolio", _("Portfolio"), _("portfolio")),
    ]


def _filtered(request, status: str = "active") -> RiskFilter:
    permissions.ensure(permissions.can_view_risks(request.user))
    data = request.GET.copy()
    data.setdefault("status", status)
    return RiskFilter(data, queryset=Risk.objects.visible_to(request.user), request=request)


def heat_map(request):
    """The 5x5 heat map of the filtered risks, inherent or residual; a cell opens its risks in
    the register."""
    risk_filter = _filtered(request)
    risks = risk_filter.qs
    residual = request.GET.get("view") != "inherent"
    cells = figures.heat_map(risks, residual=residual)
    top = list(risks.select_related("project", "owner", "category").order_by(
        "-residual_score" if residual else "-inherent_score", "-emv", "pk"
    )[: figures.TOP_RISKS])  # fmt: skip
    return render(
        request,
        "risks/heat_map.html",
        {
            "filter": risk_filter,
            "cells": cells,
            "residual": residual,
            "total": sum(cell.count for row in cells for cell in row),
            "top_risks": top,
            "cell_query": query_without(request, "p", "i", "page", "view"),
            "view_query": query_without(request, "view"),
            "hidden": [("view", "residual" if residual else "inherent")],
        },
    )


def rollup(request):
    """Risks added up by category, department or portfolio, each with what lies below it."""
    risk_filter = _filtered(request)
    by = request.GET.get("by")
    by = by if by in ROLLUPS else "category"
    rates = figures.exchange_rates()
    if by == "category":
        rows, total = figures.rollup_by_category(risk_filter.qs, rates)
    elif by == "department":
        rows, total = figures.rollup_by_department(
            risk_filter.qs, rates, _("No department (portfolio and enterprise risks)")
        )
    else:
        rows, total = figures.rollup_by_portfolio(risk_filter.qs, rates, _("Not in a portfolio"))
    return render(
        request,
        "risks/rollup.html",
        {
            "filter": risk_filter,
            "by": by,
            "rows": rows,
            "total": total,
            "currency": settings.DEFAULT_CURRENCY,
            "query": query_without(request, "by"),
            "groupings": [(key, label) for key, label, _name in _groupings()],
            "by_label": next(name for key, _label, name in _groupings() if key == by),
            "hidden": [("by", by)],
        },
    )


def exposure(request):
    """Exposure over the last twelve months, from the score history of the filtered risks."""
    # Closed and occurred risks were exposure once: their history counts in the months before.
    risk_filter = _filtered(request, status="all")
    points = figures.cached_exposure_over_time(risk_filter.qs, figures.exchange_rates())
    chart = {
        "labels": [point.month_end.strftime("%Y-%m") for point in points],
        "emv": [float(point.threat_emv) for point in points],
        "active": [point.active_count for point in points],
        "severe": [point.severe_count for point in points],
    }
    return render(
        request,
        "risks/exposure.html",
        {
            "filter": risk_filter,
            "points": points,
            "chart": chart,
            "currency": settings.DEFAULT_CURRENCY,
        },
    )


def my_reviews(request):
    """The reviews and actions due: the user's own, or everyone's for the PMO (?all=1), the
    overdue ones first and marked."""
    permissions.ensure(permissions.can_view_risks(request.user))
    today = timezone.localdate()
    everyone = request.GET.get("all") == "1" and permissions.can_change_any_risk(request.user)
    risks = Risk.objects.active().filter(next_review__isnull=False)
    actions = RiskAction.objects.pending()
    if not everyone:
        risks, actions = risks.filter(owner=request.user), actions.filter(owner=request.user)
    horizon = today + timezone.timedelta(days=14)
    reviews = list(
        risks.filter(next_review__lte=horizon)
        .select_related("project", "programme", "portfolio", "owner")
        .only(*REVIEW_FIELDS)
        .order_by("next_review", "pk")[:LISTED]
    )
    due_actions = list(
        actions.filter(due__lte=horizon)
        .select_related("response__risk", "owner")
        .only(*ACTION_FIELDS)
        .order_by("due", "pk")[:LISTED]
    )
    return render(
        request,
        "risks/my_reviews.html",
        {
            "reviews": reviews,
            "actions": due_actions,
            "today": today,
            "everyone": everyone,
            "can_see_everyone": permissions.can_change_any_risk(request.user),
            "overdue_reviews": risks.filter(next_review__lt=today).count(),
            "listed": LISTED,
            "overdue_actions": actions.filter(due__lt=today).count(),
        },
    )
