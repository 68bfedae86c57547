from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from django.views.generic import CreateView, DetailView, UpdateView
from django_filters.views import FilterView
from django_tables2 import SingleTableMixin
from django_tables2.export import ExportMixin

from pmo_portal import permissions
from pmo_portal.service_forms import ServiceFormMixin

from ..filters import ProjectFilter
from ..forms.register import ProjectForm
from ..history import history_entries, project_history_records
from ..models import Project
from ..services import register as services
from ..tables import ProjectTable

HISTORY_PAGE_SIZE = 15


def get_project_for_user(user, pk, action=permissions.VIEW) -> Project:
    """Fetch a project the user may see; raise PermissionDenied when they may not act on it."""
    project = get_object_or_404(Project.objects.visible_to(user).for_detail(), pk=pk)
    if action == permissions.CHANGE:
        permissions.ensure(permissions.can_change_project(user, project))
    return project


class ProjectListView(ExportMixin, SingleTableMixin, FilterView):
    """The project register: filter, sort, page through and export every project."""

    model = Project
    table_class = ProjectTable
    filterset_class = ProjectFilter
    template_name = "projects/project_list.html"
    table_pagination = {"per_page": 25}
    export_formats = ("csv", "xlsx")
    export_name = "projects"

    def get_queryset(self):
        permissions.ensure(permissions.can_view_projects(self.request.user))
        return Project.objects.visible_to(self.request.user).for_list()

    def get_template_names(self):
        if self.request.htmx and not self.request.htmx.boosted:
            return [f"{self.template_name}#results"]
        return [self.template_name]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["can_create"] = permissions.can_create_project(self.request.user)
        query = self.request.GET.copy()
        query.pop("page", None)
        context["export_query"] = query.urlencode()
        return context


class ProjectDetailView(DetailView):
    """One project with its data and the history of every change made to it."""

    template_name = "projects/project_detail.html"
    context_object_name = "project"

    def get_object(self, queryset=None):
        return get_project_for_user(self.request.user, self.kwargs["pk"])

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        project = self.object
        history = project_history_records(project)
        paginator = Paginator(history, HISTORY_PAGE_SIZE)
        page = paginator.get_page(self.request.GET.get("history_page"))
        # One query for the page and the record before it, which the oldest change is diffed to.
        shown = page.end_index() - page.start_index() + 1 if paginator.count else 0
        rows = list(history[page.start_index() - 1 : page.end_index() + 1]) if shown else []
        records, previous = rows[:shown], (rows[shown] if len(rows) > shown else None)
        context["history_page"] = page
        context["history"] = history_entries(records, previous)
        context["can_change"] = permissions.can_change_project(self.request.user, project)
        context["phases"] = project.phases.with_checklist_counts()
        context["milestones"] = project.milestones.all()
        context["recent_changes"] = project.change_requests.for_list()[:5]
        return context


class ProjectFormMixin(ServiceFormMixin):
    model = Project
    form_class = ProjectForm
    template_name = "projects/project_form.html"

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "user": self.request.user}


class ProjectCreateView(ProjectFormMixin, CreateView):
    def dispatch(self, request, *args, **kwargs):
        permissions.ensure(permissions.can_create_project(request.user))
        return super().dispatch(request, *args, **kwargs)

    def get_initial(self):
        return {"manager": self.request.user.pk}

    def form_valid(self, form):
        def save():
            project = services.project_create(
                by=self.request.user,
                tag_names=form.cleaned_data["tag_names"],
                **form.service_fields(),
            )
            messages.success(self.request, _("Project %(code)s created.") % {"code": project.code})
            return project

        return self.save_with(form, save)


class ProjectUpdateView(ProjectFormMixin, UpdateView):
    def get_object(self, queryset=None):
        return get_project_for_user(self.request.user, self.kwargs["pk"], permissions.CHANGE)

    def form_valid(self, form):
        def save():
            project = services.project_update(
                project=get_project_for_user(
                    self.request.user, self.kwargs["pk"], permissions.CHANGE
                ),
                by=self.request.user,
                version=form.cleaned_data["version"] or 0,
                tag_names=form.cleaned_data["tag_names"],
                **form.service_fields(),
            )
            messages.success(self.request, _("Project %(code)s saved.") % {"code": project.code})
            return project

        return self.save_with(form, save)
