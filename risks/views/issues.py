"""The issues log: list, log, change, resolve and escalate issues."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_filters.views import FilterView
from django_tables2 import SingleTableMixin

from pmo_portal import permissions
from pmo_portal.errors import StaleVersionError
from pmo_portal.service_forms import add_service_error
from projects.models import OPEN_STATUSES, Project

from ..filters import IssueFilter
from ..forms import EscalateForm, IssueForm
from ..models import Issue
from ..services import issues as services
from ..tables import IssueTable
from .common import CHANGE, get_issue_for_user


class IssueListView(SingleTableMixin, FilterView):
    """The issues log: unresolved issues first by default; overdue ones stand out."""

    model = Issue
    filterset_class = IssueFilter
    table_class = IssueTable
    template_name = "risks/issue_list.html"
    table_pagination = {"per_page": 50}

    def get_queryset(self):
        permissions.ensure(permissions.can_view_issues(self.request.user))
        return Issue.objects.visible_to(self.request.user).for_list()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        context["can_log"] = permissions.can_log_issues(user) or (
            user.has_perm("risks.add_issue") and permissions.can_manage_projects(user)
        )
        context["today"] = timezone.localdate()
        return context


def _projects(user):
    projects = Project.objects.filter(status__in=OPEN_STATUSES)
    if not user.has_perm("risks.change_issue"):
        projects = projects.editable_by(user)
    return projects.only("pk", "code", "name").order_by("code")


def issue_create(request):
    user = request.user
    permissions.ensure(permissions.can_view_issues(user))
    permissions.ensure(
        permissions.can_log_issues(user)
        or (user.has_perm("risks.add_issue") and permissions.can_manage_projects(user))
    )
    initial = {"owner": user.pk}
    if request.GET.get("project", "").isdigit():
        initial["project"] = int(request.GET["project"])
    form = IssueForm(request.POST or None, projects=_projects(user), initial=initial)
    if not user.has_perm("risks.change_issue"):
        form.fields["project"].required = True
    if request.method == "POST" and form.is_valid():
        fields = form.service_fields()
        project = fields.pop("project")
        try:
            issue = services.issue_create(by=user, project=project, **fields)
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(
                request, _("Issue %(reference)s logged.") % {"reference": issue.reference}
            )
            return redirect(issue)
    return render(request, "risks/issue_form.html", {"form": form, "issue": None})


def issue_detail(request, pk):
    issue = get_issue_for_user(request.user, pk)
    return render(
        request,
        "risks/issue_detail.html",
        {
            "issue": issue,
            "can_change": permissions.can_change_issue(request.user, issue),
            "escalate_form": EscalateForm(),
            "history": issue.history.select_related("history_user").order_by("-history_date")[:20],
        },
    )


def issue_update(request, pk):
    issue = get_issue_for_user(request.user, pk, CHANGE)
    projects = _projects(request.user) | Project.objects.filter(pk=issue.project_id)
    form = IssueForm(request.POST or None, instance=issue, projects=projects)
    if request.method == "POST" and form.is_valid():
        fields = form.service_fields()
        if not permissions.can_log_issues(request.user, issue.project):
            fields.pop("project", None)
        try:
            saved = services.issue_update(
                issue=issue, by=request.user, version=form.cleaned_data["version"] or 0, **fields
            )
        except StaleVersionError as error:
            form.add_error(None, str(error))
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(
                request, _("Issue %(reference)s saved.") % {"reference": saved.reference}
            )
            return redirect(saved)
    return render(request, "risks/issue_form.html", {"form": form, "issue": issue})


@require_POST
def issue_escalate(request, pk):
    issue = get_issue_for_user(request.user, pk, CHANGE)
    form = EscalateForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Say what you need from the PMO. Nothing was escalated."))
        return redirect(issue)
    try:
        services.issue_escalate(issue=issue, by=request.user, note=form.cleaned_data["note"])
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Escalated: the PMO has been told."))
    return redirect(issue)
