"""The portfolio health dashboard (the portal's home page) and the lists its figures open:
projects needing attention, and milestones due or slipped."""

from urllib.parse import urlencode

from django.conf import settings
from django.core.paginator import Paginator
from django.shortcuts import render
from django.utils import timezone

from pmo_portal import permissions
from projects.models import Project
from resources.costs import department_totals

from .. import dashboard as figures
from ..forms import DashboardFilterForm
from ..models import RAG

MILESTONES_SHOWN = 8
MY_PROJECTS_SHOWN = 10
LIST_PAGE_SIZE = 25


def _filtered(request):
    """The open projects the user sees, narrowed by the filter form; the form and the filters
    as a query string for the links."""
    form = DashboardFilterForm(request.GET or None)
    chosen = form.filters()
    projects = figures.filter_projects(
        figures.open_projects(Project.objects.visible_to(request.user)), **chosen
    )
    query = urlencode({name: value.pk for name, value in chosen.items()})
    return form, projects, query


def dashboard(request):
    """Portfolio health: projects by RAG now and month by month, those needing attention and
    why, milestones due and slipped, budget against actual and forecast, CPI against SPI."""
    user = request.user
    today = timezone.localdate()
    form, projects, query = _filtered(request)
    sources = figures.AttentionSources.load(today)
    counts = figures.rag_counts(projects)
    attention = list(figures.needing_attention(projects, today, sources=sources)[
        : figures.ATTENTION_SHOWN
    ])  # fmt: skip
    for project in attention:
        project.reasons = figures.reasons_of(project)
    points = figures.cpi_spi_points(projects)
    trend = figures.rag_trend(projects, today)
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
        "attention": attention,
        "attention_counts": figures.attention_counts(projects, today, sources=sources),
        "reasons": figures.ATTENTION_REASONS,
        "milestone_counts": figures.milestone_counts(projects, today),
        "milestones_due": figures.milestones_due(projects, today).select_related("project")[
            :MILESTONES_SHOWN
        ],
        "milestones_slipped": figures.milestones_slipped(projects).select_related("project")[
            :MILESTONES_SHOWN
        ],
        "milestone_days": figures.MILESTONE_DAYS,
        "costs": department_totals(projects, today),
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
    form, projects, query = _filtered(request)
    reason = request.GET.get("reason", "")
    if reason == "unreported":
        found = figures.with_attention(projects, today).filter(latest_rag__isnull=True)
        found = found.order_by("code").select_related("manager", "department")
    else:
        found = figures.needing_attention(projects, today, reason=reason or None)
    page = Paginator(found, LIST_PAGE_SIZE).get_page(request.GET.get("page"))
    for project in page.object_list:
        project.reasons = figures.reasons_of(project)
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
    form, projects, query = _filtered(request)
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
