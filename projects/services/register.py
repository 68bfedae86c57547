"""Writes to the project register. Each function is atomic, validates, and records history."""

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from pmo_portal.errors import StaleVersionError

from ..models import Project, Tag

__all__ = ["StaleVersionError", "project_create", "project_update"]


def _set_tags(project: Project, tag_names: list[str]) -> None:
    Tag.objects.bulk_create([Tag(name=name) for name in tag_names], ignore_conflicts=True)
    project.tags.set(Tag.objects.filter(name__in=tag_names))


BASELINED_STATUSES = [
    Project.Status.APPROVED, Project.Status.ACTIVE, Project.Status.ON_HOLD, Project.Status.CLOSED,
]  # fmt: skip
BASELINE_FIELDS = {"planned_start": "baseline_start", "planned_end": "baseline_end",
                   "budget": "baseline_budget"}  # fmt: skip


def _baseline_when_approved(project: Project) -> None:
    """Fix the baseline (dates, budget, milestone dates) the first time a project is approved."""
    if project.has_baseline or project.status not in BASELINED_STATUSES:
        return
    for planned, baseline in BASELINE_FIELDS.items():
        setattr(project, baseline, getattr(project, planned))
    project.baselined_at = timezone.now()
    if project.pk:
        project.milestones.filter(baseline_date__isnull=True).update(
            baseline_date=models.F("forecast_date")
        )


def _refuse_baseline_changes(project: Project, current: Project) -> None:
    if not current.has_baseline:
        return
    moved = [name for name in BASELINE_FIELDS if getattr(project, name) != getattr(current, name)]
    if moved:
        raise ValidationError(
            {
                name: _("The baseline moves only through an approved change request.")
                for name in moved
            }
        )


@transaction.atomic
def project_create(*, by, tag_names: list[str] | None = None, **fields) -> Project:
    project = Project(**fields)
    _baseline_when_approved(project)
    project.full_clean()
    project._history_user = by
    project.save()
    if tag_names:
        _set_tags(project, tag_names)
    return project


@transaction.atomic
def project_update(
    *, project: Project, by, version: int, tag_names: list[str] | None = None, **fields
) -> Project:
    """Save changes made on a form loaded at `version`; refuse if someone saved since."""
    current = Project.objects.select_for_update().get(pk=project.pk)
    if current.version != version:
        raise StaleVersionError(
            _("Someone else changed this project since you opened it. Nothing was saved.")
        )
    for name, value in fields.items():
        setattr(project, name, value)
    project.version = current.version + 1
    _refuse_baseline_changes(project, current)
    _baseline_when_approved(project)
    project.full_clean()
    project._history_user = by
    project.save()
    if tag_names is not None:
        _set_tags(project, tag_names)
    return project
