"""The section that portfolio adds to a project's page, so projects never imports portfolio."""

from django import template
from django.template.loader import render_to_string

from pmo_portal import permissions

from ..figures import latest_rank, latest_score
from ..models import PortfolioDecision, PortfolioProject, ReviewDecision

register = template.Library()
DECISIONS_SHOWN = 5


@register.simple_tag(takes_context=True)
def project_portfolio_section(context, project):
    """Where the project sits, its latest weighted score and rank, and the portfolio decisions
    taken on it: one query for a project in no portfolio, three for one placed."""
    user = context["request"].user
    if not permissions.can_view_portfolio(user):
        return ""
    placement = (
        PortfolioProject.objects.filter(project=project)
        .select_related("portfolio", "programme")
        .annotate(score=latest_score(), rank=latest_rank())
        .first()
    )
    decisions = review_decisions = []
    if placement is not None:
        decisions = list(
            PortfolioDecision.objects.filter(project=project)
            .select_related("scenario", "decided_by")
            .order_by("-decided_on", "-pk")[:DECISIONS_SHOWN]
        )
        review_decisions = list(
            ReviewDecision.objects.filter(project=project)
            .select_related("review")
            .order_by("-review__held_on", "-pk")[:DECISIONS_SHOWN]
        )
    return render_to_string(
        "portfolio/_project_portfolio.html",
        {
            "project": project,
            "placement": placement,
            "decisions": decisions,
            "review_decisions": review_decisions,
            "can_place": permissions.can_manage_portfolio(user),
        },
    )
