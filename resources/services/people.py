"""Writes to the resource register: resources and skills, capacity, absences, allocations."""

import datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from pmo_portal import permissions
from pmo_portal.errors import StaleVersionError

from ..models import Absence, Allocation, Capacity, Resource, ResourceSkill


def _ensure_manager(by) -> None:
    permissions.ensure(permissions.can_manage_resources(by))


@transaction.atomic
def resource_save(
    *,
    by,
    resource: Resource | None = None,
    version: int | None = None,
    skills: list[tuple] | None = None,
    **fields,
) -> Resource:
    """Create or change a resource; `skills` ([(skill, level)]) replaces its skills."""
    _ensure_manager(by)
    if resource is None:
        resource = Resource()
    else:
        current = Resource.objects.select_for_update().get(pk=resource.pk)
        if version is not None and current.version != version:
            raise StaleVersionError(
                _("Someone else changed this resource since you opened it. Nothing was saved.")
            )
        resource.version = current.version + 1
    for name, value in fields.items():
        setattr(resource, name, value)
    resource._history_user = by
    resource.full_clean()
    resource.save()
    if skills is not None:
        resource.skills.all().delete()
        ResourceSkill.objects.bulk_create(
            ResourceSkill(resource=resource, skill=skill, level=level) for skill, level in skills
        )
    return resource


@transaction.atomic
def capacity_set(
    *, resource: Resource, by, start: datetime.date, hours_per_week: Decimal
) -> Capacity:
    """Hours per week from `start` on. The rows around it are closed and reopened so the
    periods never overlap, and earlier capacity stays in the record."""
    _ensure_manager(by)
    Resource.objects.select_for_update().get(pk=resource.pk)
    rows = list(resource.capacities.order_by("start"))
    row = next((r for r in rows if r.start == start), None) or Capacity(
        resource=resource, start=start
    )
    row.hours_per_week = hours_per_week
    later = [r for r in rows if r.start > start]
    row.end = later[0].start - datetime.timedelta(days=1) if later else None
    row._history_user = by
    row.full_clean()
    row.save()
    earlier = [r for r in rows if r.start < start]
    if earlier:
        previous = earlier[-1]
        previous.end = start - datetime.timedelta(days=1)
        previous._history_user = by
        previous.save()
    return row


@transaction.atomic
def absence_add(*, resource: Resource, by, **fields) -> Absence:
    _ensure_manager(by)
    absence = Absence(resource=resource, **fields)
    absence._history_user = by
    absence.full_clean()
    absence.save()
    return absence


@transaction.atomic
def absence_delete(*, absence: Absence, by) -> None:
    _ensure_manager(by)
    absence._history_user = by
    absence.delete()


def capacity_on(resource: Resource, day: datetime.date) -> Decimal:
    """The hours per week the resource offers on `day` (0 without capacity then)."""
    row = (
        resource.capacities.filter(start__lte=day)
        .exclude(end__lt=day)
        .order_by("-start")
        .values_list("hours_per_week", flat=True)
        .first()
    )
    return row if row is not None else Decimal(0)


@transaction.atomic
def allocation_save(
    *,
    by,
    allocation: Allocation | None = None,
    version: int | None = None,
    percent: Decimal | None = None,
    hours_per_week: Decimal | None = None,
    **fields,
) -> Allocation:
    """Book a resource on a project. A share of capacity becomes hours per week at the
    capacity in force on the first day, so the booking states what it commits."""
    _ensure_manager(by)
    if (percent is None) == (hours_per_week is None):
        raise ValidationError(_("Give either a share of capacity or hours per week."))
    if allocation is None:
        allocation = Allocation()
    else:
        current = Allocation.objects.select_for_update().get(pk=allocation.pk)
        if version is not None and current.version != version:
            raise StaleVersionError(
                _("Someone else changed this allocation since you opened it. Nothing was saved.")
            )
        allocation.version = current.version + 1
    for name, value in fields.items():
        setattr(allocation, name, value)
    allocation.percent = percent
    if percent is not None:
        if not 0 <= percent <= 100:
            raise ValidationError({"percent": _("A share of capacity is between 0 and 100%.")})
        capacity = capacity_on(allocation.resource, allocation.start)
        hours_per_week = (capacity * percent / 100).quantize(Decimal("0.1"))
    allocation.hours_per_week = hours_per_week
    allocation._history_user = by
    allocation.full_clean()
    allocation.save()
    return allocation


@transaction.atomic
def allocation_delete(*, allocation: Allocation, by) -> None:
    _ensure_manager(by)
    allocation._history_user = by
    allocation.delete()
