"""Writes to the project register. Each function is atomic, validates, and records history."""

from django.db import transaction
from django.utils.translation import gettext as _

from .models import Project, Tag


class StaleVersionError(Exception):
    """The record changed since the form was loaded; saving would overwrite someone's work."""


def _set_tags(project: Project, tag_names: list[str]) -> None:
    Tag.objects.bulk_create([Tag(name=name) for name in tag_names], ignore_conflicts=True)
    project.tags.set(Tag.objects.filter(name__in=tag_names))


@transaction.atomic
def project_create(*, by, tag_names: list[str] | None = None, **fields) -> Project:
    project = Project(**fields)
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
    project.full_clean()
    project._history_user = by
    project.save()
    if tag_names is not None:
        _set_tags(project, tag_names)
    return project
