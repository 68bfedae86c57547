"""The resource register: people and other resources, their skills, capacity and absences, and
their allocations to projects."""

import datetime
from decimal import Decimal

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db.models import OuterRef, Q, Subquery
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.formats import date_format, number_format
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django.views.generic import CreateView, DetailView, FormView, UpdateView
from django_filters.views import FilterView
from django_tables2 import SingleTableMixin
from django_tables2.export import ExportMixin

from pmo_portal import permissions
from pmo_portal.errors import StaleVersionError
from pmo_portal.service_forms import add_service_error
from projects.history import KIND_LABELS, FieldChange, HistoryEntry
from projects.models import Department, Project

from ..capacity import allocated_hours, capacity_hours, month_buckets
from ..filters import ResourceFilter
from ..forms.register import (
    AbsenceForm,
    AllocationForm,
    CapacityForm,
    ResourceForm,
    SkillFormSet,
    skill_initial,
)
from ..models import Absence, Allocation, Capacity, Resource, ResourceRole
from ..services import people as services
from ..tables import ResourceTable, utilisation_badge, utilisation_percent

SKILLS_PREFIX = "skills"
UTILISATION_MONTHS = 6
HISTORY_SIZE = 20
ABSENCES_SINCE = datetime.timedelta(days=365)
HISTORY_FIELDS = [
    "name", "kind", "user", "email", "role", "department", "cost_rate", "currency", "is_active",
]  # fmt: skip
HISTORY_RELATED = {"user": get_user_model(), "role": ResourceRole, "department": Department}


def get_resource_for_user(user, pk, action=permissions.VIEW) -> Resource:
    """Fetch a resource for anyone who reads the register; raise PermissionDenied when they may
    not change it."""
    permissions.ensure(permissions.can_view_resources(user))
    if action == permissions.CHANGE:
        permissions.ensure(permissions.can_manage_resources(user))
    return get_object_or_404(Resource.objects.for_list(), pk=pk)


def ensure_manager(user) -> None:
    permissions.ensure(permissions.can_manage_resources(user))


def next_url(request, default: str) -> str:
    """The page to go back to: the `next` the form carried when it is on this site."""
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return default


def current_capacity(day: datetime.date):
    """The hours per week of the capacity row in force on `day`, as a subquery per resource."""
    return Subquery(
        Capacity.objects.filter(resource=OuterRef("pk"), start__lte=day)
        .filter(Q(end__isnull=True) | Q(end__gte=day))
        .order_by("-start")
        .values("hours_per_week")[:1]
    )


class ResourceListView(ExportMixin, SingleTableMixin, FilterView):
    """The register: filter, sort, page through and export people and other resources, with
    this month's booked hours against the hours they have."""

    model = Resource
    table_class = ResourceTable
    filterset_class = ResourceFilter
    template_name = "resources/register/resource_list.html"
    # 25 rows, as the project register: each row's cells cost django-tables2 several
    # milliseconds to render, which at 50 rows took the page past 300 ms.
    table_pagination = {"per_page": 25}
    export_formats = ("csv",)
    export_name = "resources"

    def get_queryset(self):
        permissions.ensure(permissions.can_view_resources(self.request.user))
        return Resource.objects.for_list().annotate(
            current_capacity=current_capacity(timezone.localdate())
        )

    def get_template_names(self):
        if self.request.htmx and not self.request.htmx.boosted:
            return [f"{self.template_name}#results"]
        return [self.template_name]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["can_manage"] = permissions.can_manage_resources(self.request.user)
        query = self.request.GET.copy()
        query.pop("page", None)
        context["export_query"] = query.urlencode()
        context["month"] = context["table"].month
        return context


def _shown(name: str, value, related: dict) -> str:
    if value is None or value == "":
        return "—"
    if name in HISTORY_RELATED:
        obj = related[name].get(value)
        if obj is None:
            return f"#{value}"
        if hasattr(obj, "get_full_name"):
            return obj.get_full_name() or obj.get_username()
        return str(obj)
    model_field = Resource._meta.get_field(name)
    if model_field.choices:
        return str(dict(model_field.flatchoices).get(value, value))
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, Decimal):
        return number_format(value, decimal_pos=2, use_l10n=True, force_grouping=True)
    return str(value)


def resource_history(resource: Resource, size: int = HISTORY_SIZE) -> list[HistoryEntry]:
    """The latest changes to the resource, newest first, each field from what to what.

    One query for the records (and the one before the oldest shown) and one per related model.
    """
    records = list(
        resource.history.select_related("history_user").order_by("-history_date", "-history_id")[
            : size + 1
        ]
    )
    related = {}
    for name, model in HISTORY_RELATED.items():
        ids = {getattr(r, f"{name}_id") for r in records} - {None}
        related[name] = model.objects.in_bulk(ids) if ids else {}
    entries = []
    for index, record in enumerate(records[:size]):
        older = records[index + 1] if index + 1 < len(records) else None
        entry = HistoryEntry(
            when=record.history_date,
            who=record.history_user,
            kind=str(KIND_LABELS.get(record.history_type, record.history_type)),
        )
        if older is not None:
            for name in HISTORY_FIELDS:
                attname = f"{name}_id" if name in HISTORY_RELATED else name
                old, new = getattr(older, attname), getattr(record, attname)
                if old != new:
                    entry.changes.append(
                        FieldChange(
                            label=capfirst(Resource._meta.get_field(name).verbose_name),
                            old=_shown(name, old, related),
                            new=_shown(name, new, related),
                        )
                    )
        entries.append(entry)
    return entries


def utilisation_by_month(resource: Resource, first: datetime.date, count: int) -> list[dict]:
    """Available and booked hours and the utilisation of each month from `first` on: three
    queries from the capacity engine."""
    buckets = month_buckets(first, count)
    available = capacity_hours(Resource.objects.filter(pk=resource.pk), "id", buckets).get(
        resource.pk, {}
    )
    booked = allocated_hours(Allocation.objects.filter(resource=resource), "resource", buckets).get(
        resource.pk, {}
    )
    rows = []
    for bucket in buckets:
        hours_available = available.get(bucket.key, Decimal(0))
        hours_booked = booked.get(bucket.key, Decimal(0))
        rows.append(
            {
                "month": bucket.start,
                "available": hours_available,
                "booked": hours_booked,
                "utilisation": utilisation_badge(
                    utilisation_percent(hours_booked, hours_available)
                ),
            }
        )
    return rows


class ResourceDetailView(DetailView):
    """One resource: skills, capacity over time, absences, bookings, the coming months'
    utilisation and the history of changes to it."""

    template_name = "resources/register/resource_detail.html"
    context_object_name = "resource"

    def get_object(self, queryset=None):
        return get_resource_for_user(self.request.user, self.kwargs["pk"])

    def get_context_data(self, **kwargs):
        resource, today = self.object, timezone.localdate()
        capacities = list(resource.capacities.order_by("-start"))
        in_force = next(
            (c for c in capacities if c.start <= today and (c.end is None or c.end >= today)),
            None,
        )
        return {
            **super().get_context_data(**kwargs),
            "today": today,
            "skills": resource.skills.select_related("skill").order_by("skill__name"),
            "capacities": capacities,
            "capacity_now": in_force,
            "absences": resource.absences.filter(end__gte=today - ABSENCES_SINCE).order_by("start"),
            "allocations": resource.allocations.filter(end__gte=today)
            .select_related("project")
            .order_by("start", "pk"),
            "utilisation": utilisation_by_month(resource, today, UTILISATION_MONTHS),
            "history": resource_history(resource),
            "can_manage": permissions.can_manage_resources(self.request.user),
        }


class ResourceFormMixin:
    """The resource form with its skills, saved together through the service or not at all."""

    model = Resource
    form_class = ResourceForm
    template_name = "resources/register/resource_form.html"

    def dispatch(self, request, *args, **kwargs):
        permissions.ensure(permissions.can_view_resources(request.user))
        ensure_manager(request.user)
        return super().dispatch(request, *args, **kwargs)

    def skills_formset(self, data=None):
        return SkillFormSet(data, prefix=SKILLS_PREFIX, initial=skill_initial(self.object))

    def get_context_data(self, **kwargs):
        kwargs.setdefault("skills_formset", self.skills_formset())
        return super().get_context_data(**kwargs)

    def post(self, request, *args, **kwargs):
        form = self.get_form()
        formset = self.skills_formset(request.POST)
        if all([form.is_valid(), formset.is_valid()]):
            try:
                resource = self.save(form, formset)
            except StaleVersionError as error:
                form.add_error(None, str(error))
            except ValidationError as error:
                add_service_error(form, error)
            else:
                return HttpResponseRedirect(resource.get_absolute_url())
        return self.render_to_response(self.get_context_data(form=form, skills_formset=formset))


class ResourceCreateView(ResourceFormMixin, CreateView):
    def get_initial(self):
        return {"currency": Resource._meta.get_field("currency").default}

    def post(self, request, *args, **kwargs):
        self.object = None
        return super().post(request, *args, **kwargs)

    def save(self, form, formset) -> Resource:
        resource = services.resource_save(
            by=self.request.user, skills=formset.skill_levels(), **form.service_fields()
        )
        messages.success(self.request, _("%(name)s added to the register.") % {"name": resource})
        return resource


class ResourceUpdateView(ResourceFormMixin, UpdateView):
    def get_object(self, queryset=None):
        return get_resource_for_user(self.request.user, self.kwargs["pk"], permissions.CHANGE)

    def post(self, request, *args, **kwargs):
        self.object = self.get_object()
        return super().post(request, *args, **kwargs)

    def save(self, form, formset) -> Resource:
        resource = services.resource_save(
            by=self.request.user,
            resource=Resource.objects.get(pk=self.object.pk),
            version=form.cleaned_data["version"] or 0,
            skills=formset.skill_levels(),
            **form.service_fields(),
        )
        messages.success(self.request, _("%(name)s saved.") % {"name": resource})
        return resource


def capacity_set(request, pk):
    """Set the hours per week a resource offers from a date on; earlier capacity stays."""
    resource = get_resource_for_user(request.user, pk, permissions.CHANGE)
    form = CapacityForm(request.POST or None, initial={"start": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            row = services.capacity_set(resource=resource, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(
                request,
                _("%(name)s offers %(hours)s hours a week from %(start)s.")
                % {
                    "name": resource,
                    "hours": number_format(row.hours_per_week, decimal_pos=1, use_l10n=True),
                    "start": date_format(row.start, "SHORT_DATE_FORMAT"),
                },
            )
            return redirect(resource)
    return render(
        request,
        "resources/register/capacity_form.html",
        {"resource": resource, "form": form, "capacities": resource.capacities.order_by("start")},
    )


def absence_create(request, pk):
    """Record leave, a holiday, training or maintenance: the resource's capacity drops then."""
    resource = get_resource_for_user(request.user, pk, permissions.CHANGE)
    form = AbsenceForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.absence_add(resource=resource, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("Absence recorded for %(name)s.") % {"name": resource})
            return redirect(resource)
    return render(
        request, "resources/register/absence_form.html", {"resource": resource, "form": form}
    )


@require_POST
def absence_delete(request, pk):
    permissions.ensure(permissions.can_view_resources(request.user))
    ensure_manager(request.user)
    absence = get_object_or_404(Absence.objects.select_related("resource"), pk=pk)
    resource = absence.resource
    services.absence_delete(absence=absence, by=request.user)
    messages.success(request, _("Absence removed from %(name)s.") % {"name": resource})
    return redirect(resource)


class AllocationFormMixin:
    """Book a resource on a project, through the service; back to where the manager came from."""

    form_class = AllocationForm
    template_name = "resources/register/allocation_form.html"
    allocation: Allocation | None = None

    def dispatch(self, request, *args, **kwargs):
        permissions.ensure(permissions.can_view_resources(request.user))
        ensure_manager(request.user)
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "allocation": self.allocation}

    def get_context_data(self, **kwargs):
        return {
            **super().get_context_data(**kwargs),
            "allocation": self.allocation,
            "next": next_url(self.request, ""),
        }

    def form_valid(self, form):
        try:
            allocation = self.save(form)
        except StaleVersionError as error:
            form.add_error(None, str(error))
            return self.form_invalid(form)
        except ValidationError as error:
            add_service_error(form, error)
            return self.form_invalid(form)
        return redirect(next_url(self.request, allocation.resource.get_absolute_url()))


def _id(value) -> int | None:
    return int(value) if value and str(value).isdigit() else None


class AllocationCreateView(AllocationFormMixin, FormView):
    def get_initial(self):
        initial = {"booking": Allocation.Booking.SOFT}
        resource, project_id = (
            _id(self.request.GET.get("resource")),
            _id(self.request.GET.get("project")),
        )
        if resource:
            initial["resource"] = resource
        if project_id:
            initial["project"] = project_id
            # A booking on a project usually spans the project's planned dates.
            project = Project.objects.filter(pk=project_id).only("planned_start", "planned_end")
            for row in project:
                initial.update(start=row.planned_start, end=row.planned_end)
        return initial

    def save(self, form) -> Allocation:
        allocation = services.allocation_save(by=self.request.user, **form.service_fields())
        messages.success(
            self.request,
            _("%(resource)s booked on %(project)s.")
            % {"resource": allocation.resource, "project": allocation.project.code},
        )
        return allocation


class AllocationUpdateView(AllocationFormMixin, FormView):
    def dispatch(self, request, *args, **kwargs):
        permissions.ensure(permissions.can_view_resources(request.user))
        ensure_manager(request.user)
        self.allocation = get_object_or_404(
            Allocation.objects.select_related("resource", "project"), pk=kwargs["pk"]
        )
        return super().dispatch(request, *args, **kwargs)

    def get_initial(self):
        allocation = self.allocation
        return {
            "resource": allocation.resource_id,
            "project": allocation.project_id,
            "start": allocation.start,
            "end": allocation.end,
            "percent": allocation.percent,
            # A share of capacity states the booking; its hours follow from it.
            "hours_per_week": allocation.hours_per_week if allocation.percent is None else None,
            "booking": allocation.booking,
            "version": allocation.version,
        }

    def save(self, form) -> Allocation:
        allocation = services.allocation_save(
            by=self.request.user,
            allocation=Allocation.objects.get(pk=self.allocation.pk),
            version=form.cleaned_data["version"] or 0,
            **form.service_fields(),
        )
        messages.success(
            self.request,
            _("Booking of %(resource)s on %(project)s saved.")
            % {"resource": allocation.resource, "project": allocation.project.code},
        )
        return allocation


@require_POST
def allocation_delete(request, pk):
    permissions.ensure(permissions.can_view_resources(request.user))
    ensure_manager(request.user)
    allocation = get_object_or_404(Allocation.objects.select_related("resource", "project"), pk=pk)
    resource, project = allocation.resource, allocation.project
    services.allocation_delete(allocation=allocation, by=request.user)
    messages.success(
        request,
        _("Booking of %(resource)s on %(project)s removed.")
        % {"resource": resource, "project": project.code},
    )
    return redirect(next_url(request, resource.get_absolute_url()))
