"""Writes to the PMO's standards: methodologies, the standards library and its files, and the
governance mode. Lifecycle templates are written by `lifecycle.py`.

Only the PMO keeps standards (`can_manage_standards`); only the PMO admin sets the governance
mode. Each function is atomic, validates, and records who changed what.
"""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from pmo_portal import permissions
from pmo_portal.errors import StaleVersionError

from ..models import GovernanceMode, GovernanceSettings, Methodology, Standard, StandardAttachment

MAX_ATTACHMENT_BYTES = 20 * 1024 * 1024


# Methodologies ---------------------------------------------------------------------------


@transaction.atomic
def methodology_create(*, by, **fields) -> Methodology:
    permissions.ensure(permissions.can_manage_standards(by))
    methodology = Methodology(**fields)
    methodology.full_clean()
    methodology._history_user = by
    methodology.save()
    return methodology


@transaction.atomic
def methodology_update(*, methodology: Methodology, by, **fields) -> Methodology:
    permissions.ensure(permissions.can_manage_standards(by))
    methodology = Methodology.objects.select_for_update().get(pk=methodology.pk)
    for name, value in fields.items():
        setattr(methodology, name, value)
    methodology.full_clean()
    methodology._history_user = by
    methodology.save()
    return methodology


# The standards library -------------------------------------------------------------------


@transaction.atomic
def standard_create(*, by, **fields) -> Standard:
    permissions.ensure(permissions.can_manage_standards(by))
    standard = Standard(**fields)
    standard.full_clean()
    standard._history_user = by
    standard.save()
    return standard


@transaction.atomic
def standard_update(*, standard: Standard, by, updated_at: datetime.datetime, **fields) -> Standard:
    """Save changes made on a form loaded when the standard was last saved at `updated_at`;
    refuse if someone saved since. (Its `version` is the document's own, not a lock.)"""
    permissions.ensure(permissions.can_manage_standards(by))
    current = Standard.objects.select_for_update().get(pk=standard.pk)
    if current.updated_at != updated_at:
        raise StaleVersionError(
            _("Someone else changed this standard since you opened it. Nothing was saved.")
        )
    for name, value in fields.items():
        setattr(current, name, value)
    current.full_clean()
    current._history_user = by
    current.save()
    return current


@transaction.atomic
def standard_attachment_add(*, standard: Standard, by, file) -> StandardAttachment:
    permissions.ensure(permissions.can_manage_standards(by))
    if file is None:
        raise ValidationError({"file": _("Choose a file to upload.")})
    if file.size > MAX_ATTACHMENT_BYTES:
        raise ValidationError(
            {
                "file": _("A file can be at most %(limit)s; this one is larger (%(size)s).")
                % {
                    "limit": filesizeformat(MAX_ATTACHMENT_BYTES),
                    "size": filesizeformat(file.size),
                }
            }
        )
    attachment = StandardAttachment(standard=standard, file=file, uploaded_by=by)
    attachment.full_clean()
    attachment.save()
    return attachment


# Governance ------------------------------------------------------------------------------


@transaction.atomic
def governance_mode_set(*, by, mode: str) -> GovernanceSettings:
    """Change how strictly the lifecycle is enforced, for every project from now on."""
    permissions.ensure(permissions.can_set_governance_mode(by))
    if mode not in GovernanceMode.values:
        raise ValidationError({"mode": _("Choose one of the governance modes.")})
    GovernanceSettings.current()  # the single row exists before it is locked
    settings_row = GovernanceSettings.objects.select_for_update().get(pk=1)
    settings_row.mode = mode
    settings_row.full_clean()
    settings_row._history_user = by
    settings_row.save()
    return settings_row
