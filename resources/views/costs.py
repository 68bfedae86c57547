"""Budget against actual cost: a project's months and categories, the import of actual costs,
and the roll-up by department."""

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from django.views.generic import ListView, TemplateView

from pmo_portal import permissions
from pmo_portal.service_forms import add_service_error
from projects.models import OPEN_STATUSES, Project

from ..costs import (
    DepartmentTree,
    current_month,
    department_rollup,
    department_totals,
    project_cost_table,
    with_cost_figures,
)
from ..forms.costs import (
    ActualCostForm,
    BudgetLineForm,
    CostImportForm,
    DepartmentCostsFilterForm,
    RollupFilterForm,
)
from ..models import CostCategory
from ..services import costs as services

MAX_ERRORS_SHOWN = 200
MAX_PROJECTS_LISTED = 50


def _projects_for(user, filter_form) -> QuerySet:
    permissions.ensure(permissions.can_view_projects(user))
    projects = Project.objects.visible_to(user)
    if filter_form.is_valid() and filter_form.cleaned_data["open_only"]:
        projects = projects.filter(status__in=OPEN_STATUSES)
    return projects


class ProjectCostsView(TemplateView):
    """A project's budget and actual cost by month and category, with its totals, forecast at
    completion and variance; those who manage its costs set budget lines and actual costs."""

    template_name = "resources/costs/project_costs.html"
    forms = {"budget": BudgetLineForm, "actual": ActualCostForm}

    def dispatch(self, request, *args, **kwargs):
        # The project and its cost figures in one query.
        projects = Project.objects.visible_to(request.user).select_related("department")
        self.project = get_object_or_404(with_cost_figures(projects), pk=kwargs["pk"])
        self.can_manage = permissions.can_manage_costs(request.user, self.project)
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        if self.can_manage:
            for name, form_class in self.forms.items():
                context.setdefault(
                    f"{name}_form", form_class(prefix=name, initial={"period": current_month()})
                )
        return {
            **context,
            "project": self.project,
            "figures": self.project,
            "table": project_cost_table(self.project),
            "can_manage": self.can_manage,
            "can_import": permissions.can_import_costs(self.request.user),
        }

    def post(self, request, *args, **kwargs):
        permissions.ensure(self.can_manage)
        name = request.POST.get("form")
        if name not in self.forms:
            return HttpResponse(status=400)
        form = self.forms[name](request.POST, prefix=name)
        if form.is_valid():
            try:
                self.save(name, form.cleaned_data)
            except ValidationError as error:
                add_service_error(form, error)
            else:
                return HttpResponseRedirect(request.path)
        return self.render_to_response(self.get_context_data(**{f"{name}_form": form}))

    def save(self, name: str, data: dict) -> None:
        month = data["period"].strftime("%Y-%m")
        if name == "budget":
            line = services.budget_line_set(project=self.project, by=self.request.user, **data)
            messages.success(
                self.request,
                _("Budget for %(category)s in %(month)s set.")
                % {"category": line.get_category_display(), "month": month},
            )
        else:
            cost = services.actual_cost_set(project=self.project, by=self.request.user, **data)
            messages.success(
                self.request,
                _("Actual cost for %(category)s in %(month)s recorded.")
                % {"category": cost.get_category_display(), "month": month},
            )


class CostImportView(TemplateView):
    """Upload actual costs as CSV or XLSX: every row is checked, and either all are imported
    or none is and each bad row is named."""

    template_name = "resources/costs/cost_import.html"

    def dispatch(self, request, *args, **kwargs):
        permissions.ensure(permissions.can_import_costs(request.user))
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        kwargs.setdefault("form", CostImportForm())
        return {
            **super().get_context_data(**kwargs),
            "columns": services.IMPORT_COLUMNS,
            "categories": CostCategory.choices,
        }

    def post(self, request, *args, **kwargs):
        form = CostImportForm(request.POST, request.FILES)
        result = None
        if form.is_valid():
            upload = form.cleaned_data["file"]
            result = services.actual_costs_import_file(
                by=request.user, name=upload.name, content=upload.read()
            )
        return self.render_to_response(
            self.get_context_data(
                form=form,
                result=result,
                errors_shown=result.errors[:MAX_ERRORS_SHOWN] if result else [],
                errors_hidden=max(0, len(result.errors) - MAX_ERRORS_SHOWN) if result else 0,
                projects_shown=result.projects[:MAX_PROJECTS_LISTED] if result else [],
            )
        )


def cost_import_example(request):
    """A small CSV file to start an import from."""
    permissions.ensure(permissions.can_import_costs(request.user))
    response = HttpResponse(services.example_csv(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="actual-costs-example.csv"'
    return response


class CostRollupView(TemplateView):
    """Budget against actual by top-level department, in the reporting currency, optionally
    with each of its departments below it."""

    template_name = "resources/costs/rollup.html"

    def get_context_data(self, **kwargs):
        filter_form = RollupFilterForm(self.request.GET or None)
        projects = _projects_for(self.request.user, filter_form)
        rows, total = department_rollup(projects, tree=DepartmentTree.load())
        return {
            **super().get_context_data(**kwargs),
            "filter_form": filter_form,
            "show_sub_departments": filter_form.is_valid()
            and filter_form.cleaned_data["sub_departments"],
            "open_only": filter_form.is_valid() and filter_form.cleaned_data["open_only"],
            "rows": rows,
            "total": total,
            "currency": settings.DEFAULT_CURRENCY,
            "month": current_month(),
            "can_import": permissions.can_import_costs(self.request.user),
        }


class DepartmentCostsView(ListView):
    """The projects of a department and its sub-departments with budget, actual, forecast at
    completion and variance, largest overrun first; and the department's totals."""

    template_name = "resources/costs/department_costs.html"
    context_object_name = "projects"
    paginate_by = 25

    def get_queryset(self):
        permissions.ensure(permissions.can_view_projects(self.request.user))
        self.tree = DepartmentTree.load()
        self.department = self.tree.departments.get(self.kwargs["pk"])
        if self.department is None:
            raise Http404
        self.filter_form = DepartmentCostsFilterForm(self.request.GET or None)
        self.projects = _projects_for(self.request.user, self.filter_form).filter(
            department__in=self.tree.subtree(self.department.pk)
        )
        return (
            with_cost_figures(self.projects)
            .select_related("department", "manager")
            .order_by(*self.filter_form.ordering())
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        tree, department = self.tree, self.department
        children = tree.children.get(department.pk, ())
        ancestors = []
        parent_id = department.parent_id
        while parent_id is not None and len(ancestors) < len(tree.departments):
            ancestors.insert(0, tree.departments[parent_id])
            parent_id = tree.departments[parent_id].parent_id
        return {
            **context,
            "department": department,
            "ancestors": ancestors,
            "sub_departments": [tree.departments[pk] for pk in children],
            "totals": department_totals(self.projects),
            "filter_form": self.filter_form,
            "currency": settings.DEFAULT_CURRENCY,
            "month": current_month(),
        }
