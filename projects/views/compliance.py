import csv

from django import forms
from django.http import StreamingHttpResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import ListView

from pmo_portal import permissions
from pmo_portal.forms import UserChoiceField
from pmo_portal.roles import Role, users_in_roles
from pmo_portal.widgets import QuickSelect

from ..compliance import department_rollup, with_compliance
from ..models import Department, Project


class ComplianceFilterForm(forms.Form):
    department = forms.ModelChoiceField(
        label=gettext_lazy("Department"),
        queryset=Department.objects.all(),
        required=False,
        empty_label=gettext_lazy("All"),
        widget=QuickSelect,
    )
    manager = UserChoiceField(
        label=gettext_lazy("Project manager"),
        queryset=users_in_roles(Role.PROJECT_MANAGER),
        required=False,
        empty_label=gettext_lazy("All"),
        widget=QuickSelect,
    )
    below = forms.BooleanField(label=gettext_lazy("Only projects below 100"), required=False)


class EchoBuffer:
    """csv.writer writes into this; each row goes straight to the response."""

    def write(self, value):
        return value


class ComplianceView(ListView):
    """Per project: phase, days in phase, overdue gate, missing mandatory items, open
    conditions and the compliance score, worst first; and the roll-up by department."""

    template_name = "projects/compliance.html"
    context_object_name = "rows"
    paginate_by = 50

    def get_queryset(self):
        permissions.ensure(permissions.can_view_projects(self.request.user))
        self.filter_form = ComplianceFilterForm(self.request.GET or None)
        projects = Project.objects.visible_to(self.request.user).exclude(
            status__in=[Project.Status.CLOSED, Project.Status.CANCELLED]
        )
        if self.filter_form.is_valid():
            data = self.filter_form.cleaned_data
            if data["department"]:
                projects = projects.filter(department=data["department"])
            if data["manager"]:
                projects = projects.filter(manager=data["manager"])
        rows = with_compliance(projects)
        if self.filter_form.is_valid() and self.filter_form.cleaned_data["below"]:
            rows = rows.filter(compliance_score__lt=100)
        self.compliance = rows
        return rows.select_related("current_phase", "department", "manager").order_by(
            "compliance_score", "code"
        )

    def get(self, request, *args, **kwargs):
        if request.GET.get("export") == "csv":
            return self.export_csv()
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["filter_form"] = self.filter_form
        context["departments"] = department_rollup(self.compliance)
        query = self.request.GET.copy()
        query.pop("page", None)
        context["query"] = query.urlencode()
        return context

    def export_csv(self):
        rows = self.get_queryset().values_list(
            "code", "name", "department__code", "manager__username", "current_phase__name",
            "current_phase__started_on", "current_phase__planned_end", "gate_overdue",
            "missing_mandatory", "open_conditions", "overdue_conditions", "skipped_gates",
            "compliance_score",
        )  # fmt: skip
        header = [
            _("Code"), _("Name"), _("Department"), _("Project manager"), _("Phase"),
            _("Phase started"), _("Gate due"), _("Gate overdue"), _("Missing mandatory items"),
            _("Open conditions"), _("Overdue conditions"), _("Gates passed without approval"),
            _("Compliance score"),
        ]  # fmt: skip
        writer = csv.writer(EchoBuffer())
        lines = (writer.writerow(row) for row in [header, *rows.iterator()])
        response = StreamingHttpResponse(lines, content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = 'attachment; filename="compliance.csv"'
        return response
