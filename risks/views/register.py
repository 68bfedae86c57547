"""The risk register: the list with its filters and export, a risk's page with its score history,
responses and actions, logging and editing risks, reviews, and an occurred risk's issue."""

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_filters.views import FilterView
from django_tables2 import SingleTableMixin
from django_tables2.export import ExportMixin

from pmo_portal import permissions
from pmo_portal.errors import StaleVersionError
from pmo_portal.service_forms import add_service_error
from portfolio.models import Portfolio, Programme
from projects.models import OPEN_STATUSES, Project

from ..filters import RiskFilter
from ..forms import ActionForm, RaiseIssueForm, ResponseForm, ReviewForm, RiskForm
from ..models import Issue, Risk, RiskAction, RiskCategory, RiskResponse, ScaleLevel
from ..services import register as services
from ..services.lessons import suggested_lessons
from ..tables import RiskExportTable, RiskTable
from .common import CHANGE, get_risk_for_user, next_url, query_without

HISTORY_SIZE = 50


class RiskListView(ExportMixin, SingleTableMixin, FilterView):
    """The register: filter, sort, page through and export risks (CSV or Excel)."""

    model = Risk
    table_class = RiskTable
    filterset_class = RiskFilter
    template_name = "risks/risk_list.html"
    table_pagination = {"per_page": 50}
    export_formats = ("csv", "xlsx")
    export_name = "risks"

    def get_queryset(self):
        permissions.ensure(permissions.can_view_risks(self.request.user))
        return Risk.objects.visible_to(self.request.user).for_list()

    def get_table_class(self):
        if self.request.GET.get(self.export_trigger_param):
            return RiskExportTable
        return RiskTable

    def get_template_names(self):
        if self.request.htmx and not self.request.htmx.boosted:
            return [f"{self.template_name}#results"]
        return [self.template_name]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        context["can_log"] = permissions.can_log_risks(user) or (
            user.has_perm("risks.add_risk") and permissions.can_manage_projects(user)
        )
        context["export_query"] = query_without(self.request, "page", "sort")
        context["heat_map_query"] = query_without(self.request, "page", "sort", "p", "i")
        project_id = self.request.GET.get("project")
        context["project_query"] = project_id if project_id and project_id.isdigit() else ""
        context["today"] = timezone.localdate()
        return context


def score_history(risk: Risk, size: int = HISTORY_SIZE) -> list:
    """The risk's history, newest first, each record marked where its assessment changed from
    the record before: one query."""
    records = list(
        risk.history.select_related("history_user").order_by("-history_date", "-history_id")[
            : size + 1
        ]
    )
    assessed = ("probability", "impact", "residual_probability", "residual_impact",
                "probability_percent", "emv", "status")  # fmt: skip
    entries = []
    for index, record in enumerate(records[:size]):
        older = records[index + 1] if index + 1 < len(records) else None
        record.changed = {
            name
            for name in assessed
            if older is None or getattr(older, name) != getattr(record, name)
        }
        record.score_changed = bool(record.changed & set(assessed[:4])) or older is None
        entries.append(record)
    return entries


def risk_detail(request, pk):
    """One risk: its assessment, quantified impact, responses and actions, issue, and the
    history of its scores."""
    risk = get_risk_for_user(request.user, pk)
    today = timezone.localdate()
    responses = list(
        RiskResponse.objects.filter(risk=risk).prefetch_related(
            Prefetch("actions", queryset=RiskAction.objects.select_related("owner"))
        )
    )
    can_change = permissions.can_change_risk(request.user, risk)
    for response in responses:
        for action in response.actions.all():
            action.overdue = action.is_overdue(today)
            action.can_update = can_change or action.owner_id == request.user.pk
    scales = {(row.scale, row.value): row for row in ScaleLevel.objects.all()}
    issue = Issue.objects.filter(risk=risk).only("pk", "title", "status").first()
    return render(
        request,
        "risks/risk_detail.html",
        {
            "risk": risk,
            "responses": responses,
            "issue": issue,
            "history": score_history(risk),
            "can_change": can_change,
            "review_overdue": risk.review_is_overdue(today),
            "probability_scale": scales.get(("probability", risk.probability)),
            "impact_scale": scales.get(("impact", risk.impact)),
            "residual_probability_scale": scales.get(("probability", risk.residual_probability)),
            "residual_impact_scale": scales.get(("impact", risk.residual_impact)),
            "review_form": ReviewForm(),
            "issue_form": RaiseIssueForm(initial={"owner": risk.owner_id}),
        },
    )


def _form_projects(user):
    projects = Project.objects.filter(status__in=OPEN_STATUSES)
    if not permissions.can_change_any_risk(user):
        projects = projects.editable_by(user)
    return projects.only("pk", "code", "name").order_by("code")


def _scope_fields(form, user, risk: Risk | None = None) -> None:
    """The PMO may put a risk on a portfolio or a programme; others log project risks."""
    if permissions.can_change_any_risk(user):
        form.fields["portfolio"] = forms.ModelChoiceField(
            label=_("Portfolio"), queryset=Portfolio.objects.order_by("path"), required=False,
            initial=risk.portfolio_id if risk else None,
        )  # fmt: skip
        form.fields["programme"] = forms.ModelChoiceField(
            label=_("Programme"), queryset=Programme.objects.order_by("name"), required=False,
            initial=risk.programme_id if risk else None,
        )  # fmt: skip
    else:
        form.fields["project"].required = True
        form.fields["project"].empty_label = "---------"


def _suggestions(category_id, title: str) -> dict:
    """The lessons to suggest for the category chosen, and whether one is chosen at all."""
    category = (
        RiskCategory.objects.filter(pk=category_id).first()
        if str(category_id or "").isdigit()
        else None
    )
    return {
        "suggestions": suggested_lessons(category, title or ""),
        "category_chosen": category is not None,
    }


def _render_form(request, form, risk=None, status=200):
    category = form["category"].value()
    return render(
        request,
        "risks/risk_form.html",
        {
            "form": form,
            "risk": risk,
            **_suggestions(category, form["title"].value()),
            "scales": ScaleLevel.objects.all(),
        },
        status=status,
    )


def risk_create(request):
    """Log a risk; lessons of the chosen category are suggested beside the form."""
    user = request.user
    permissions.ensure(permissions.can_view_risks(user))
    permissions.ensure(
        permissions.can_change_any_risk(user)
        or (user.has_perm("risks.add_risk") and permissions.can_manage_projects(user))
    )
    projects = _form_projects(user)
    initial = {"owner": user.pk, "kind": Risk.Kind.THREAT, "status": Risk.Status.OPEN}
    if request.GET.get("project", "").isdigit():
        initial["project"] = int(request.GET["project"])
    form = RiskForm(request.POST or None, projects=projects, initial=initial)
    form.set_suggestion_url(reverse("risks:lesson_suggestions"))
    _scope_fields(form, user)
    if request.method == "POST" and form.is_valid():
        fields = form.service_fields()
        project = fields.pop("project")
        try:
            risk = services.risk_create(by=user, project=project, **fields)
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(
                request, _("Risk %(reference)s logged.") % {"reference": risk.reference}
            )
            return redirect(risk)
    return _render_form(request, form)


def risk_update(request, pk):
    """Edit a risk's details and assessment; a form loaded before someone else's change is
    refused."""
    risk = get_risk_for_user(request.user, pk, CHANGE)
    form = RiskForm(request.POST or None, instance=risk, projects=_form_projects(request.user)
                    | Project.objects.filter(pk=risk.project_id))  # fmt: skip
    form.set_suggestion_url(reverse("risks:lesson_suggestions"))
    _scope_fields(form, request.user, risk)
    if request.method == "POST" and form.is_valid():
        fields = form.service_fields()
        if not permissions.can_log_risks(request.user, risk.project if risk.project_id else None):
            # An owner who does not run the project updates the assessment, not where it sits.
            for name in ("project", "portfolio", "programme", "owner"):
                fields.pop(name, None)
        try:
            saved = services.risk_update(
                risk=risk, by=request.user, version=form.cleaned_data["version"] or 0, **fields
            )
        except StaleVersionError as error:
            form.add_error(None, str(error))
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(
                request, _("Risk %(reference)s saved.") % {"reference": saved.reference}
            )
            return redirect(saved)
    return _render_form(request, form, risk)


def lesson_suggestions(request):
    """The lessons beside the risk form, for the category chosen (an htmx fragment)."""
    permissions.ensure(permissions.can_view_risks(request.user))
    return render(
        request,
        "risks/risk_form.html#suggestions",
        _suggestions(request.GET.get("category"), request.GET.get("title")),
    )


@require_POST
def risk_review(request, pk):
    risk = get_risk_for_user(request.user, pk, CHANGE)
    form = ReviewForm(request.POST)
    if form.is_valid():
        risk = services.risk_review(risk=risk, by=request.user, note=form.cleaned_data["note"])
        messages.success(
            request,
            _("Review recorded; the next one is due on %(date)s.")
            % {"date": risk.next_review.isoformat()},
        )
    else:
        messages.error(request, _("The review note is too long. Nothing was saved."))
    return redirect(risk)


@require_POST
def risk_raise_issue(request, pk):
    risk = get_risk_for_user(request.user, pk, CHANGE)
    form = RaiseIssueForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Please correct the owner or due date. Nothing was saved."))
        return redirect(risk)
    try:
        issue = services.risk_raise_issue(risk=risk, by=request.user, **form.cleaned_data)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(risk)
    messages.success(
        request,
        _("The risk occurred: issue %(reference)s is open.") % {"reference": issue.reference},
    )
    return redirect(issue)


def response_form(request, pk, response_pk=None):
    """Add a response to a risk, or change one."""
    risk = get_risk_for_user(request.user, pk, CHANGE)
    response = get_object_or_404(RiskResponse, pk=response_pk, risk=risk) if response_pk else None
    form = ResponseForm(request.POST or None, instance=response, risk=risk)
    if request.method == "POST" and form.is_valid():
        try:
            services.response_save(risk=risk, by=request.user, response=response,
                                   **form.cleaned_data)  # fmt: skip
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("Response saved."))
            return redirect(risk)
    return render(
        request, "risks/response_form.html", {"form": form, "risk": risk, "response": response}
    )


def action_create(request, pk):
    """Add an action to a response plan."""
    response = get_object_or_404(RiskResponse.objects.select_related("risk"), pk=pk)
    risk = get_risk_for_user(request.user, response.risk_id, CHANGE)
    form = ActionForm(request.POST or None, initial={"owner": risk.owner_id})
    del form.fields["status"]
    if request.method == "POST" and form.is_valid():
        fields = form.service_fields()
        try:
            services.action_create(response=response, by=request.user, **fields)
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("Action added."))
            return redirect(risk)
    return render(
        request,
        "risks/action_form.html",
        {"form": form, "risk": risk, "response": response, "action": None},
    )


def action_update(request, pk):
    """Change an action; its owner, if they do not change the risk, reports its status only."""
    action = get_object_or_404(RiskAction.objects.select_related("response__risk"), pk=pk)
    risk = get_risk_for_user(request.user, action.response.risk_id)
    can_change = permissions.can_change_risk(request.user, risk)
    permissions.ensure(permissions.can_update_risk_action(request.user, action, risk))
    form = ActionForm(request.POST or None, instance=action, owner_only=not can_change)
    if request.method == "POST" and form.is_valid():
        try:
            services.action_update(
                action=action, by=request.user, version=form.cleaned_data["version"] or 0,
                **form.service_fields(),
            )  # fmt: skip
        except StaleVersionError as error:
            form.add_error(None, str(error))
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("Action saved."))
            return HttpResponseRedirect(next_url(request, risk.get_absolute_url()))
    return render(
        request,
        "risks/action_form.html",
        {"form": form, "risk": risk, "response": action.response, "action": action},
    )
