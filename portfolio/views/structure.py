"""The portfolio tree with its roll-ups, a portfolio's and a programme's pages, their forms, and
the placement of a project."""

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _
from django.views.generic import CreateView, UpdateView

from pmo_portal import permissions
from pmo_portal.service_forms import ServiceFormMixin, add_service_error
from projects.models import Project, budget_in_reporting_currency

from ..figures import latest_rank, latest_score, subtree_figures, tree_figures
from ..forms.structure import PlacementForm, PortfolioForm, ProgrammeForm
from ..models import Portfolio, PortfolioProject, Programme
from ..services import structure as services

PROJECTS_PER_PAGE = 25


def ensure_reader(user) -> None:
    permissions.ensure(permissions.can_view_portfolio(user))


def ensure_pmo(user) -> None:
    ensure_reader(user)
    permissions.ensure(permissions.can_manage_portfolio(user))


def visible(queryset, user, path: str = "project"):
    """`queryset` narrowed to the rows whose project (at `path`) `user` may see. Reading
    projects is all or nothing today: when the user reads them all, no subquery is added
    (PostgreSQL would join every project for nothing on every list)."""
    projects = Project.objects.visible_to(user)
    if projects.query.is_empty():
        return queryset.none()
    if not projects.query.has_filters():
        return queryset
    return queryset.filter(**{f"{path}__in": projects})


def placed_projects(placements, user):
    """The placements' projects for a list: one query for a page, with their latest score."""
    return (
        visible(placements, user)
        .select_related(
            "project", "project__department", "project__manager", "programme", "portfolio"
        )
        .annotate(
            budget_rc=budget_in_reporting_currency("project__"),
            score=latest_score(),
            rank=latest_rank(),
        )
        .order_by("project__code")
    )


def portfolio_tree(request):
    """Every portfolio in its tree with the count, budget and status of its projects, those of
    its sub-portfolios included."""
    ensure_reader(request.user)
    return render(
        request,
        "portfolio/structure/tree.html",
        {
            "rows": tree_figures(Project.objects.visible_to(request.user)),
            "currency": settings.DEFAULT_CURRENCY,
            "can_manage": permissions.can_manage_portfolio(request.user),
        },
    )


def portfolio_detail(request, pk):
    """A portfolio: its figures (sub-portfolios included), its sub-portfolios and programmes,
    and its projects, page by page."""
    ensure_reader(request.user)
    portfolio = get_object_or_404(Portfolio.objects.select_related("parent", "manager"), pk=pk)
    projects = Project.objects.visible_to(request.user)
    placements = placed_projects(PortfolioProject.objects.in_subtree(portfolio), request.user)
    page = Paginator(placements, PROJECTS_PER_PAGE).get_page(request.GET.get("page"))
    ancestors = Portfolio.objects.filter(pk__in=portfolio.ancestor_ids[:-1]).order_by("path")
    return render(
        request,
        "portfolio/structure/portfolio_detail.html",
        {
            "portfolio": portfolio,
            "ancestors": ancestors,
            "figures": subtree_figures(portfolio, projects),
            "children": portfolio.children.order_by("name"),
            "programmes": portfolio.programmes.select_related("manager").order_by("name"),
            "page_obj": page,
            "currency": settings.DEFAULT_CURRENCY,
            "can_manage": permissions.can_manage_portfolio(request.user),
        },
    )


class PortfolioFormMixin(ServiceFormMixin):
    model = Portfolio
    form_class = PortfolioForm
    template_name = "portfolio/structure/portfolio_form.html"

    def dispatch(self, request, *args, **kwargs):
        ensure_pmo(request.user)
        return super().dispatch(request, *args, **kwargs)


class PortfolioCreateView(PortfolioFormMixin, CreateView):
    def get_initial(self):
        parent = self.request.GET.get("parent", "")
        return {"parent": int(parent)} if parent.isdigit() else {}

    def form_valid(self, form):
        return self.save_with(
            form, lambda: services.portfolio_save(by=self.request.user, **form.service_fields())
        )


class PortfolioUpdateView(PortfolioFormMixin, UpdateView):
    def form_valid(self, form):
        return self.save_with(
            form,
            lambda: services.portfolio_save(
                by=self.request.user,
                portfolio=Portfolio.objects.get(pk=self.object.pk),
                version=form.cleaned_data["version"] or 0,
                **form.service_fields(),
            ),
        )


def programme_detail(request, pk):
    ensure_reader(request.user)
    programme = get_object_or_404(Programme.objects.select_related("portfolio", "manager"), pk=pk)
    placements = placed_projects(programme.placements.all(), request.user)
    page = Paginator(placements, PROJECTS_PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "portfolio/structure/programme_detail.html",
        {
            "programme": programme,
            "page_obj": page,
            "currency": settings.DEFAULT_CURRENCY,
            "can_manage": permissions.can_manage_portfolio(request.user),
        },
    )


class ProgrammeFormMixin(ServiceFormMixin):
    model = Programme
    form_class = ProgrammeForm
    template_name = "portfolio/structure/programme_form.html"

    def dispatch(self, request, *args, **kwargs):
        ensure_pmo(request.user)
        return super().dispatch(request, *args, **kwargs)

    def form_valid(self, form):
        programme = Programme.objects.get(pk=self.object.pk) if self.object else None
        return self.save_with(
            form,
            lambda: services.programme_save(
                by=self.request.user, programme=programme, **form.cleaned_data
            ),
        )


class ProgrammeCreateView(ProgrammeFormMixin, CreateView):
    def get_initial(self):
        portfolio = self.request.GET.get("portfolio", "")
        return {"portfolio": int(portfolio)} if portfolio.isdigit() else {}


class ProgrammeUpdateView(ProgrammeFormMixin, UpdateView):
    pass


def project_placement(request, pk):
    """Put a project in a portfolio and programme, or move it, with the PMO's risk score."""
    ensure_pmo(request.user)
    project = get_object_or_404(Project.objects.visible_to(request.user), pk=pk)
    placement = PortfolioProject.objects.filter(project=project).first()
    initial = (
        {
            "portfolio": placement.portfolio_id,
            "programme": placement.programme_id,
            "risk_score": placement.risk_score,
        }
        if placement
        else {}
    )
    form = PlacementForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.project_place(by=request.user, project=project, **form.cleaned_data)
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(
                request,
                _("%(code)s placed in %(portfolio)s.")
                % {"code": project.code, "portfolio": form.cleaned_data["portfolio"]},
            )
            return HttpResponseRedirect(project.get_absolute_url())
    return render(
        request,
        "portfolio/structure/placement_form.html",
        {"project": project, "placement": placement, "form": form},
    )
