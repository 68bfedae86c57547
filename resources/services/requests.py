"""Resource requests: a project manager asks for a role; a resource manager names people.

Fulfilling a request locks the people it books, then checks their free capacity month by month
with what is booked already: two resource managers booking the same hours at once are served
one after the other, and the second is told if the person would go over capacity.
"""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Q, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from pmo_portal import permissions
from pmo_portal.notifications import notify

from ..capacity import Bucket, allocated_hours, capacity_hours, month_buckets
from ..models import Allocation, Resource, ResourceRequest


class RequestAlreadyDecided(Exception):
    """Another resource manager fulfilled, rejected or cancelled the request first."""


def _resource_managers():
    return get_user_model().objects.filter(is_active=True, groups__name="resource_manager")


@transaction.atomic
def request_create(*, project, by, skills=(), **fields) -> ResourceRequest:
    permissions.ensure(permissions.can_request_resources(by, project))
    request = ResourceRequest(project=project, requested_by=by, **fields)
    request._history_user = by
    request.full_clean()
    request.save()
    request.skills.set(skills)
    notify(
        users=_resource_managers(),
        message=_("%(project)s asks for %(request)s from %(start)s to %(end)s.")
        % {
            "project": project.code,
            "request": request,
            "start": request.start,
            "end": request.end,
        },  # fmt: skip
        url=request.get_absolute_url(),
    )
    return request


def _lock_open(request: ResourceRequest) -> ResourceRequest:
    request = ResourceRequest.objects.select_for_update().get(pk=request.pk)
    if request.status != ResourceRequest.Status.OPEN:
        raise RequestAlreadyDecided(
            _("This request is %(status)s already; nothing was changed.")
            % {"status": request.get_status_display()}
        )
    return request


def _decide(request: ResourceRequest, by, status: str, reason: str = "") -> None:
    request.status = status
    request.decided_by = by
    request.decided_at = timezone.now()
    request.decision_reason = reason
    request.version += 1
    request._history_user = by
    request.save()


@transaction.atomic
def request_cancel(*, request: ResourceRequest, by) -> ResourceRequest:
    permissions.ensure(permissions.can_request_resources(by, request.project))
    request = _lock_open(request)
    _decide(request, by, ResourceRequest.Status.CANCELLED)
    return request


@transaction.atomic
def request_reject(*, request: ResourceRequest, by, reason: str) -> ResourceRequest:
    permissions.ensure(permissions.can_decide_resource_requests(by))
    if not reason.strip():
        raise ValidationError({"reason": _("Give the reason for the rejection.")})
    request = _lock_open(request)
    _decide(request, by, ResourceRequest.Status.REJECTED, reason)
    notify(
        users=[request.requested_by],
        message=_("Your request for %(request)s on %(project)s was rejected: %(reason)s")
        % {"request": request, "project": request.project.code, "reason": reason},
        url=request.get_absolute_url(),
    )
    return request


def _period_buckets(start: datetime.date, end: datetime.date) -> list[Bucket]:
    """The months from start to end, the first and last cut to the period."""
    months = month_buckets(start, (end.year - start.year) * 12 + end.month - start.month + 1)
    return [Bucket(max(b.start, start), min(b.end, end)) for b in months]


@dataclass
class Overbooking:
    resource: Resource
    month: datetime.date
    booked: Decimal
    capacity: Decimal


def overbookings(bookings: list[tuple], start, end) -> list[Overbooking]:
    """Months where the new bookings [(resource, hours_per_week)] would take a resource over
    its capacity, with what is booked already."""
    buckets = _period_buckets(start, end)
    ids = [resource.pk for resource, _hours in bookings]
    resources = Resource.objects.filter(pk__in=ids)
    capacity = capacity_hours(resources, "id", buckets)
    booked = allocated_hours(
        Allocation.objects.filter(resource__in=ids), "resource", buckets, pipeline=True
    )
    found = []
    for resource, hours_per_week in bookings:
        for bucket in buckets:
            new = Decimal(hours_per_week) * bucket.days / 7
            total = booked.get(resource.pk, {}).get(bucket.key, Decimal(0)) + new
            available = capacity.get(resource.pk, {}).get(bucket.key, Decimal(0))
            if total > available + Decimal("0.01"):
                found.append(Overbooking(resource, bucket.start, total, available))
    return found


@transaction.atomic
def request_fulfil(
    *,
    request: ResourceRequest,
    by,
    bookings: list[tuple],
    booking: str = Allocation.Booking.SOFT,
    allow_overbooking: bool = False,
) -> list[Allocation]:
    """Name the people for a request: [(resource, hours_per_week)], booked over its period."""
    permissions.ensure(permissions.can_decide_resource_requests(by))
    if not bookings:
        raise ValidationError(_("Choose at least one person."))
    request = _lock_open(request)
    # Lock the people in a fixed order, so concurrent fulfilments queue instead of deadlocking.
    locked = list(
        Resource.objects.select_for_update()
        .filter(pk__in=[resource.pk for resource, _hours in bookings])
        .order_by("pk")
    )
    if len(locked) != len({resource.pk for resource, _hours in bookings}):
        raise ValidationError(_("A chosen resource no longer exists."))
    if not allow_overbooking:
        over = overbookings(bookings, request.start, request.end)
        if over:
            raise ValidationError(
                _("This would book over capacity: %(details)s. Nothing was booked.")
                % {
                    "details": "; ".join(
                        _("%(name)s in %(month)s (%(booked)s of %(capacity)s h)")
                        % {
                            "name": o.resource.name,
                            "month": o.month.strftime("%Y-%m"),
                            "booked": round(o.booked),
                            "capacity": round(o.capacity),
                        }  # fmt: skip
                        for o in over
                    )
                }
            )
    allocations = []
    for resource, hours_per_week in bookings:
        allocation = Allocation(
            resource=resource,
            project=request.project,
            request=request,
            start=request.start,
            end=request.end,
            hours_per_week=hours_per_week,
            booking=booking,
        )
        allocation._history_user = by
        allocation.full_clean()
        allocation.save()
        allocations.append(allocation)
    _decide(request, by, ResourceRequest.Status.FULFILLED)
    notify(
        users=[request.requested_by],
        message=_("Your request for %(request)s on %(project)s was fulfilled: %(names)s.")
        % {
            "request": request,
            "project": request.project.code,
            "names": ", ".join(resource.name for resource, _hours in bookings),
        },
        url=request.get_absolute_url(),
    )
    return allocations


@dataclass
class Suggestion:
    resource: Resource
    matched_skills: int
    skill_levels: int
    free_hours_per_week: Decimal


def suggestions(request: ResourceRequest, limit: int = 10) -> list[Suggestion]:
    """People of the requested role, best fit first: most of the requested skills, at the
    highest levels, then the most free hours per week over the request's period.

    Three queries whatever the number of people: the candidates with their skill match, and the
    capacity and bookings of all of them over the period.
    """
    wanted = list(request.skills.values_list("pk", flat=True))
    candidates = list(
        Resource.objects.people()
        .filter(is_active=True, role=request.role_id)
        .annotate(
            matched_skills=Count("skills", filter=Q(skills__skill__in=wanted), distinct=True),
            skill_levels=Sum("skills__level", filter=Q(skills__skill__in=wanted)),
        )
        .select_related("department")
    )
    if not candidates:
        return []
    period = [Bucket(request.start, request.end)]
    ids = [c.pk for c in candidates]
    capacity = capacity_hours(Resource.objects.filter(pk__in=ids), "id", period)
    booked = allocated_hours(
        Allocation.objects.filter(resource__in=ids), "resource", period, pipeline=True
    )
    weeks = Decimal(period[0].days) / 7
    ranked = []
    for person in candidates:
        free = capacity.get(person.pk, {}).get(period[0].key, Decimal(0)) - booked.get(
            person.pk, {}
        ).get(period[0].key, Decimal(0))
        ranked.append(
            Suggestion(
                resource=person,
                matched_skills=person.matched_skills,
                skill_levels=person.skill_levels or 0,
                free_hours_per_week=max(free / weeks, Decimal(0)).quantize(Decimal("0.1")),
            )
        )
    ranked.sort(key=lambda s: (-s.matched_skills, -s.skill_levels, -s.free_hours_per_week))
    return ranked[:limit]
