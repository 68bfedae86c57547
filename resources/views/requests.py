"""Resource request pages: a project manager asks for a role, resource managers decide.

The list is the resource managers' queue (open requests, oldest first) and a project manager's
view of their projects' requests; one request's page shows its history, the people it booked,
and, to those who decide while it is open, the ranked suggestions and the fulfil and reject
forms.
"""

import datetime
from collections import defaultdict
from decimal import Decimal

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.formats import date_format, number_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django.views.generic import CreateView, DetailView
from django_filters.views import FilterView

from pmo_portal import permissions
from pmo_portal.service_forms import ServiceFormMixin, add_service_error
from projects.history import KIND_LABELS, FieldChange, HistoryEntry
from projects.views.register import get_project_for_user

from ..forms.requests import RequestForm, RequestFulfilForm, RequestQueueFilter, RequestRejectForm
from ..models import ResourceRequest, ResourceSkill
from ..services import requests as services

DETAIL_TEMPLATE = "resources/requests/request_detail.html"
HISTORY_FIELDS = ["status", "decision_reason", "amount", "unit", "start", "end", "note"]
Status = ResourceRequest.Status


def requests_visible_to(user) -> QuerySet:
    return permissions.restrict_resource_requests(ResourceRequest.objects.all(), user)


def get_request_for_user(user, pk) -> ResourceRequest:
    """Fetch a request the user may read (404 otherwise), with what its page shows."""
    return get_object_or_404(
        requests_visible_to(user).select_related(
            "project", "project__department", "project__manager", "role", "requested_by",
            "decided_by",
        ),
        pk=pk,
    )  # fmt: skip


def _shown(name: str, value) -> str:
    if value is None or value == "":
        return "—"
    model_field = ResourceRequest._meta.get_field(name)
    if model_field.choices:
        return str(dict(model_field.flatchoices).get(value, value))
    if isinstance(value, Decimal):
        return number_format(value, decimal_pos=1, use_l10n=True)
    if isinstance(value, datetime.date):
        return date_format(value, "SHORT_DATE_FORMAT")
    return str(value)


def request_history(resource_request: ResourceRequest) -> list[HistoryEntry]:
    """Who created and decided the request and what changed, oldest first, from one query."""
    records = resource_request.history.select_related("history_user").order_by(
        "history_date", "history_id"
    )
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
                            label=str(ResourceRequest._meta.get_field(name).verbose_name),
                            old=_shown(name, old),
                            new=_shown(name, new),
                        )
                    )
        older = record
        if record.history_type != "~" or entry.changes:
            # Setting the skills saves a record with no field of ours changed: not news.
            entries.append(entry)
    return entries


def _with_skill_names(resource_request: ResourceRequest, suggestions) -> list:
    """Add to each suggestion the requested skills the person has, at their levels (one query)."""
    wanted = [skill.pk for skill in resource_request.skills.all()]
    held = defaultdict(list)
    if wanted and suggestions:
        for row in (
            ResourceSkill.objects.filter(
                resource__in=[s.resource.pk for s in suggestions], skill__in=wanted
            )
            .select_related("skill")
            .order_by("-level", "skill__name")
        ):
            held[row.resource_id].append(row)
    for suggestion in suggestions:
        suggestion.skills = held[suggestion.resource.pk]
    return suggestions


def detail_context(
    user, resource_request: ResourceRequest, *, fulfil_form=None, reject_form=None,
    show_overbooking=False,
) -> dict:  # fmt: skip
    """What the request's page shows, and which of its actions the user may take now."""
    is_open = resource_request.status == Status.OPEN
    can_decide = is_open and permissions.can_decide_resource_requests(user)
    context = {
        "resource_request": resource_request,
        "project": resource_request.project,
        "skills": list(resource_request.skills.all()),
        "history": request_history(resource_request),
        "allocations": resource_request.allocations.select_related(
            "resource", "resource__department"
        ),
        "can_decide": can_decide,
        "can_cancel": is_open and permissions.can_request_resources(user, resource_request.project),
        "standard_hours": settings.STANDARD_HOURS_PER_WEEK,
        "show_overbooking": show_overbooking,
    }
    if can_decide:
        if fulfil_form is None:
            suggestions = _with_skill_names(
                resource_request, services.suggestions(resource_request)
            )
            fulfil_form = RequestFulfilForm(
                resource_request=resource_request, suggestions=suggestions
            )
        context["fulfil_form"] = fulfil_form
        context["reject_form"] = reject_form or RequestRejectForm()
    return context


class RequestCreateView(ServiceFormMixin, CreateView):
    """A project manager asks for people of a role on one of their projects."""

    form_class = RequestForm
    template_name = "resources/requests/request_form.html"

    def dispatch(self, request, *args, **kwargs):
        self.project = get_project_for_user(request.user, kwargs["pk"])
        permissions.ensure(permissions.can_request_resources(request.user, self.project))
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        return {
            **super().get_context_data(**kwargs),
            "project": self.project,
            "standard_hours": settings.STANDARD_HOURS_PER_WEEK,
        }

    def form_valid(self, form):
        def save():
            resource_request = services.request_create(
                project=self.project, by=self.request.user, **form.service_fields()
            )
            messages.success(
                self.request,
                _("Your request for %(request)s was sent to the resource managers.")
                % {"request": resource_request},
            )
            return resource_request

        return self.save_with(form, save)


class RequestListView(FilterView):
    """The resource managers' queue of open requests, oldest first; a project manager's own
    projects' requests; filtered by status, role and department."""

    filterset_class = RequestQueueFilter
    template_name = "resources/requests/request_list.html"
    paginate_by = 25

    def status_shown(self) -> str:
        """The status filter in force: as chosen, else the open queue for those who decide."""
        if "status" in self.request.GET:
            return self.request.GET["status"]
        if permissions.can_decide_resource_requests(self.request.user):
            return Status.OPEN
        return ""

    def get_filterset_kwargs(self, filterset_class):
        kwargs = super().get_filterset_kwargs(filterset_class)
        if "status" not in self.request.GET and self.status_shown():
            # Those who decide start from their queue; "All" is one choice away.
            data = self.request.GET.copy()
            data["status"] = self.status_shown()
            kwargs["data"] = data
        return kwargs

    def get_queryset(self):
        permissions.ensure(permissions.can_view_resources(self.request.user))
        # The queue is served oldest first; every other view of the requests newest first.
        if self.status_shown() == Status.OPEN:
            order = ["requested_at", "pk"]
        else:
            order = ["-requested_at", "-pk"]
        return (
            requests_visible_to(self.request.user)
            .select_related("project", "project__department", "role", "requested_by")
            .prefetch_related("skills")
            .order_by(*order)
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["is_queue"] = self.status_shown() == Status.OPEN
        return context


class RequestDetailView(DetailView):
    """One request: what was asked, its history, the people booked, and the decision."""

    template_name = DETAIL_TEMPLATE
    context_object_name = "resource_request"

    def get_object(self, queryset=None):
        return get_request_for_user(self.request.user, self.kwargs["pk"])

    def get_context_data(self, **kwargs):
        return detail_context(self.request.user, self.object)


def _decided_already(request, resource_request: ResourceRequest):
    resource_request.refresh_from_db()
    messages.warning(
        request,
        _("This request was decided already (%(status)s). Nothing was changed.")
        % {"status": resource_request.get_status_display()},
    )
    return redirect(resource_request)


@require_POST
def request_fulfil(request, pk):
    """Book the chosen people for the request; over capacity only when confirmed."""
    resource_request = get_request_for_user(request.user, pk)
    permissions.ensure(permissions.can_decide_resource_requests(request.user))
    if resource_request.status != Status.OPEN:
        return _decided_already(request, resource_request)
    suggestions = _with_skill_names(resource_request, services.suggestions(resource_request))
    form = RequestFulfilForm(
        request.POST, resource_request=resource_request, suggestions=suggestions
    )
    show_overbooking = bool(request.POST.get("allow_overbooking"))
    if form.is_valid():
        bookings = form.cleaned_data["bookings"]
        try:
            allocations = services.request_fulfil(
                request=resource_request,
                by=request.user,
                bookings=bookings,
                booking=form.cleaned_data["booking"],
                allow_overbooking=form.cleaned_data["allow_overbooking"],
            )
        except services.RequestAlreadyDecided:
            return _decided_already(request, resource_request)
        except ValidationError as error:
            add_service_error(form, error)
            # Offer to book anyway only where capacity was the reason for the refusal.
            show_overbooking = show_overbooking or bool(
                services.overbookings(bookings, resource_request.start, resource_request.end)
            )
        else:
            messages.success(
                request,
                _("Request fulfilled: %(names)s booked on %(project)s.")
                % {
                    "names": ", ".join(a.resource.name for a in allocations),
                    "project": resource_request.project.code,
                },
            )
            return redirect(resource_request)
    context = detail_context(
        request.user, resource_request, fulfil_form=form, show_overbooking=show_overbooking
    )
    return render(request, DETAIL_TEMPLATE, context)


@require_POST
def request_reject(request, pk):
    """Turn the request down, with the reason the requester will read."""
    resource_request = get_request_for_user(request.user, pk)
    permissions.ensure(permissions.can_decide_resource_requests(request.user))
    if resource_request.status != Status.OPEN:
        return _decided_already(request, resource_request)
    form = RequestRejectForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    try:
        services.request_reject(request=resource_request, by=request.user, reason=reason)
    except services.RequestAlreadyDecided:
        return _decided_already(request, resource_request)
    except ValidationError as error:
        add_service_error(form, error)
        context = detail_context(request.user, resource_request, reject_form=form)
        return render(request, DETAIL_TEMPLATE, context)
    messages.success(request, _("Request rejected. The requester has been told why."))
    return redirect(resource_request)


@require_POST
def request_cancel(request, pk):
    """The requester withdraws an open request."""
    resource_request = get_request_for_user(request.user, pk)
    permissions.ensure(permissions.can_request_resources(request.user, resource_request.project))
    try:
        services.request_cancel(request=resource_request, by=request.user)
    except services.RequestAlreadyDecided:
        return _decided_already(request, resource_request)
    messages.success(request, _("Request cancelled."))
    return redirect(resource_request)
