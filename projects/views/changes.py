"""Change control pages: a project's change log, one request and its decision, the PMO's queue."""

import datetime
from decimal import Decimal

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import F, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.formats import date_format, number_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django.views.generic import CreateView, DetailView, TemplateView, UpdateView
from django_filters.views import FilterView

from pmo_portal import permissions
from pmo_portal.service_forms import ServiceFormMixin

from ..forms.changes import ChangeDecisionForm, ChangeQueueFilter, ChangeRequestForm
from ..history import KIND_LABELS, FieldChange, HistoryEntry
from ..models import ChangeRequest
from ..services import changes as services
from .register import get_project_for_user

DETAIL_TEMPLATE = "projects/changes/change_detail.html"
HISTORY_FIELDS = [
    "title", "description", "reason", "scope_impact", "schedule_impact_days", "cost_impact",
    "status", "decision_comment",
]  # fmt: skip


def get_change_for_user(user, pk, number, action=permissions.VIEW) -> ChangeRequest:
    """Fetch change request `number` of project `pk`, scoped like the project itself."""
    project = get_project_for_user(user, pk, action)
    change = get_object_or_404(
        project.change_requests.select_related("requested_by", "decided_by"), number=number
    )
    change.project = project
    return change


def _shown(name: str, value) -> str:
    if value is None or value == "":
        return "—"
    model_field = ChangeRequest._meta.get_field(name)
    if model_field.choices:
        return str(dict(model_field.flatchoices).get(value, value))
    if isinstance(value, Decimal):
        return number_format(value, decimal_pos=2, use_l10n=True, force_grouping=True)
    if isinstance(value, datetime.date):
        return date_format(value, "SHORT_DATE_FORMAT")
    return str(value)


def change_history(change: ChangeRequest) -> list[HistoryEntry]:
    """Who changed what on the request, oldest first, from one query."""
    records = change.history.select_related("history_user").order_by("history_date", "history_id")
    entries, older = [], None
    for record in records:
        entry = HistoryEntry(
            when=record.history_date,
            who=record.history_user,
            kind=str(KIND_LABELS.get(record.history_type, record.history_type)),
        )
        if older is not None:
            for name in HISTORY_FIELDS:
                old, new = getattr(older, name), getattr(record, name)
                if old != new:
                    entry.changes.append(
                        FieldChange(
                            label=str(ChangeRequest._meta.get_field(name).verbose_name),
                            old=_shown(name, old),
                            new=_shown(name, new),
                        )
                    )
        entries.append(entry)
        older = record
    return entries


def detail_context(user, change: ChangeRequest, decision_form=None) -> dict:
    """What the request's page shows, and which of its actions the user may take now."""
    status, project = ChangeRequest.Status, change.project
    can_change = permissions.can_change_project(user, project)
    can_decide = permissions.can_decide_change_requests(user)
    impact_end = impact_budget = None
    if change.status in [status.DRAFT, *ChangeRequest.AWAITING_DECISION]:
        # Where approval would put the end and the budget the change is measured against.
        end = project.baseline_end or project.planned_end
        impact_end = end + datetime.timedelta(days=change.schedule_impact_days)
        budget = project.baseline_budget if project.has_baseline else project.budget
        impact_budget = budget + change.cost_impact
    return {
        "impact_end": impact_end,
        "impact_budget": impact_budget,
        "change": change,
        "project": change.project,
        "history": change_history(change),
        "can_edit": can_change and change.status in services.EDITABLE,
        "can_submit": can_change and change.status == status.DRAFT,
        "can_start_review": can_decide and change.status == status.SUBMITTED,
        "can_decide": can_decide and change.status in ChangeRequest.AWAITING_DECISION,
        "can_implement": can_change and change.status == status.APPROVED,
        "decision_form": decision_form or ChangeDecisionForm(),
    }


class ChangeLogView(TemplateView):
    """Every change request of a project, and its baseline against the current plan."""

    template_name = "projects/changes/change_log.html"

    def get_context_data(self, **kwargs):
        project = get_project_for_user(self.request.user, self.kwargs["pk"])
        return {
            **super().get_context_data(**kwargs),
            "project": project,
            "changes": project.change_requests.select_related(
                "requested_by", "decided_by"
            ).order_by("number"),
            "can_change": permissions.can_change_project(self.request.user, project),
        }


class ChangeFormMixin(ServiceFormMixin):
    form_class = ChangeRequestForm
    template_name = "projects/changes/change_form.html"

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "project": self.project}


class ChangeCreateView(ChangeFormMixin, CreateView):
    def dispatch(self, request, *args, **kwargs):
        self.project = get_project_for_user(request.user, kwargs["pk"], permissions.CHANGE)
        return super().dispatch(request, *args, **kwargs)

    def form_valid(self, form):
        def save():
            change = services.change_request_create(
                project=self.project, by=self.request.user, **form.service_fields()
            )
            messages.success(
                self.request,
                _("%(code)s saved as a draft. Submit it when it is ready for the change board.")
                % {"code": change.code},
            )
            return change

        return self.save_with(form, save)


class ChangeUpdateView(ChangeFormMixin, UpdateView):
    context_object_name = "change"

    def dispatch(self, request, *args, **kwargs):
        self.object = get_change_for_user(
            request.user, kwargs["pk"], kwargs["number"], permissions.CHANGE
        )
        self.project = self.object.project
        if request.method == "GET" and self.object.status not in services.EDITABLE:
            messages.error(request, _("Only a draft change request can be edited."))
            return redirect(self.object)
        return super().dispatch(request, *args, **kwargs)

    def get_object(self, queryset=None):
        return self.object

    def form_valid(self, form):
        def save():
            change = services.change_request_update(
                change=self.object,
                by=self.request.user,
                version=form.cleaned_data["version"] or 0,
                **form.service_fields(),
            )
            messages.success(self.request, _("%(code)s saved.") % {"code": change.code})
            return change

        return self.save_with(form, save)


class ChangeDetailView(DetailView):
    """One change request: its content, its decision, its history and the next steps."""

    template_name = DETAIL_TEMPLATE

    def get_object(self, queryset=None):
        return get_change_for_user(self.request.user, self.kwargs["pk"], self.kwargs["number"])

    def get_context_data(self, **kwargs):
        return {
            **super().get_context_data(**kwargs),
            **detail_context(self.request.user, self.object),
        }


ACTIONS = {
    "submit": lambda change, by, comment: services.change_request_submit(change=change, by=by),
    "review": lambda change, by, comment: services.change_request_start_review(
        change=change, by=by
    ),
    "approve": lambda change, by, comment: services.change_request_decide(
        change=change, by=by, approve=True, comment=comment
    ),
    "reject": lambda change, by, comment: services.change_request_decide(
        change=change, by=by, approve=False, comment=comment
    ),
    "implement": lambda change, by, comment: services.change_request_mark_implemented(
        change=change, by=by
    ),
}


def _done_message(action: str, change: ChangeRequest) -> str:
    messages_by_action = {
        "submit": _("%(code)s submitted to the change board."),
        "review": _("%(code)s is under review."),
        "approve": _("%(code)s approved. The project's dates and budget have moved with it."),
        "reject": _("%(code)s rejected."),
        "implement": _("%(code)s marked as implemented."),
    }
    return messages_by_action[action] % {"code": change.code}


@require_POST
def change_action(request, pk, number, action):
    """Move a change request on: submit, start review, approve, reject, mark implemented."""
    change = get_change_for_user(request.user, pk, number)
    if action not in ACTIONS:
        raise Http404
    form = ChangeDecisionForm(request.POST)
    comment = form.cleaned_data["comment"] if form.is_valid() else ""
    try:
        change = ACTIONS[action](change, request.user, comment)
    except services.ChangeAlreadyDecided:
        change.refresh_from_db()
        messages.warning(
            request,
            _("%(code)s was decided already (%(status)s). Nothing was changed.")
            % {"code": change.code, "status": change.get_status_display()},
        )
    except ValidationError as error:
        if hasattr(error, "error_dict") and "comment" in error.error_dict:
            form.add_error("comment", error.error_dict["comment"])
            return render(request, DETAIL_TEMPLATE, detail_context(request.user, change, form))
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _done_message(action, change))
    return redirect("projects:change_detail", pk=pk, number=number)


class ChangeQueueView(FilterView):
    """The change board's queue: requests awaiting a decision across all projects, oldest first."""

    filterset_class = ChangeQueueFilter
    template_name = "projects/changes/change_queue.html"
    paginate_by = 25

    def get_queryset(self):
        permissions.ensure(permissions.can_view_projects(self.request.user))
        # Waiting starts when the request reached the board, not when its draft was begun.
        submitted = (
            ChangeRequest.history.filter(id=OuterRef("pk"), status=ChangeRequest.Status.SUBMITTED)
            .order_by("history_date")
            .values("history_date")[:1]
        )
        return (
            ChangeRequest.objects.awaiting_decision()
            .select_related("project", "project__department", "requested_by")
            .annotate(waiting_since=Coalesce(Subquery(submitted), F("requested_at")))
            .order_by("waiting_since", "pk")
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        today = timezone.localdate()
        for change in context["object_list"]:
            change.days_waiting = (today - timezone.localdate(change.waiting_since)).days
        context["can_decide"] = permissions.can_decide_change_requests(self.request.user)
        return context
