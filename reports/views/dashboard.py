"""The portfolio health dashboard (the portal's home page) and the lists its figures open:
projects needing attention, and milestones due or slipped."""

from urllib.parse import urlencode

from django.conf import settings
from django.core.paginator import Paginator
from django.shortcuts import render
from django.utils import timezone

from pmo_portal import permissions
from projects.models import Project

from .. import dashboard as figures
from ..forms import DashboardFilterForm
from ..models import RAG

MY_PROJECTS_SHOWN = 10
LIST_PAGE_SIZE = 25


def _filtered(request):
    """The open projects the user sees, narrowed by the filter form; the form, the filters as
    a query string for the links, and the scope that names these projects in the cache."""
    form = DashboardFilterForm(request.GET or None)
    chosen = form.filters()
    projects = figures.filter_projects(
        figures.open_projects(Project.objects.visible_to(request.user)), **chosen
    )
    query = urlencode({name: value.pk for name, value in chosen.items()})
    # Who sees projects sees them all (pmo_portal.permissions.restrict_projects).
    scope = f"{int(permissions.can_view_projects(request.user))}?{query}"
    return form, projects, query, scope


def dashboard(request):
    """Portfolio health: projects by RAG now and month by month, those needing attention and
    why, milestones due and slipped, budget against actual and forecast, CPI against SPI."""
    user = request.user
    today = timezone.localdate()
    form, projects, query, scope = _filtered(request)
    health = figures.portfolio_health(projects, today, scope)
    attention_counts, attention = figures.attention_summary(projects, today, scope)
    counts, trend, points = health.rag_counts, health.trend, health.points
    shows_my_projects = permissions.can_manage_projects(user)
    my_projects = (
        projects.filter(manager=user)
        .select_related("reporting__latest_report__period")
        .order_by("code")
        if shows_my_projects
        else Project.objects.none()
    )
    context = {
        "form": form,
        "query": query,
        "rag_counts": [(value, label, counts[value]) for value, label in RAG.choices],
        "unreported_count": counts[None],
        "project_count": sum(counts.values()),
        "trend": trend,
        "trend_chart": {
            "labels": [item.month.strftime("%Y-%m") for item in trend],
            "series": {value: [item.counts[value] for item in trend] for value in RAG.values},
            "names": dict((value, str(label)) for value, label in RAG.choices),
        },
        "attention": figures.projects_of(attention),
        "attention_counts": attention_counts,
        "reasons": figures.ATTENTION_REASONS,
        "milestone_counts": health.milestone_counts,
        "milestones_due": health.milestones_due,
        "milestones_slipped": health.milestones_slipped,
        "milestone_days": figures.MILESTONE_DAYS,
        "costs": health.costs,
        "points": {"points": points},
        "point_count": len(points),
        "quadrants": figures.quadrant_counts(points),
        "shows_my_projects": shows_my_projects,
        "my_projects": my_projects[:MY_PROJECTS_SHOWN],
        "my_project_count": my_projects.count() if shows_my_projects else 0,
        "currency": settings.DEFAULT_CURRENCY,
        "can_view_reports": permissions.can_view_reports(user),
    }
    return render(request, "reports/dashboard/dashboard.html", context)


def attention_list(request):
    """Every project needing attention for one reason (or any), with its reasons."""
    permissions.ensure(permissions.can_view_projects(request.user))
    today = timezone.localdate()
    form, projects, query, scope = _filtered(request)
    reason = request.GET.get("reason", "")
    if reason == "unreported":
        rows = figures.unreported_rows(projects, today, scope)
    else:
        rows = figures.with_reason(figures.attention_rows(projects, today, scope), reason)
    page = Paginator(rows, LIST_PAGE_SIZE).get_page(request.GET.get("page"))
    page.object_list = figures.projects_of(page.object_list)
    return render(
        request,
        "reports/dashboard/attention_list.html",
        {
            "form": form,
            "query": query,
            "page_obj": page,
            "reason": reason,
            "reason_label": figures.ATTENTION_REASONS.get(reason, ""),
            "reasons": figures.ATTENTION_REASONS,
        },
    )


def milestone_list(request):
    """The open milestones of the projects in view due in the next days, or slipped."""
    permissions.ensure(permissions.can_view_projects(request.user))
    today = timezone.localdate()
    form, projects, query, _scope = _filtered(request)
    which = "slipped" if request.GET.get("which") == "slipped" else "due"
    milestones = (
        figures.milestones_slipped(projects)
        if which == "slipped"
        else figures.milestones_due(projects, today)
    ).select_related("project", "project__manager")
    page = Paginator(milestones, LIST_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "reports/dashboard/milestone_list.html",
        {
            "form": form,
            "query": query,
            "page_obj": page,
            "which": which,
            "milestone_days": figures.MILESTONE_DAYS,
        },
    )
