"""The utilisation the PMO aims at: one portal-wide target and, where a role differs, its own."""

from decimal import Decimal

from django.db import transaction

from pmo_portal import permissions

from ..models import ResourceRole, UtilisationTarget


@transaction.atomic
def utilisation_target_set(
    *, by, role: ResourceRole | None = None, percent: Decimal
) -> UtilisationTarget:
    """Set the portal-wide target (no role) or a role's own target, from 0 to 100%."""
    permissions.ensure(permissions.can_set_utilisation_target(by))
    target = UtilisationTarget.objects.select_for_update().filter(role=role).first()
    if target is None:
        target = UtilisationTarget(role=role)
    target.percent = percent
    target.full_clean()
    target._history_user = by
    target.save()
    return target
