"""A project's change history as people read it: who changed which field, from what, to what."""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.utils.formats import date_format, number_format
from django.utils.translation import gettext_lazy as _

from .models import Department, Project, ProjectType

SHOWN_FIELDS = [
    "code", "name", "description", "project_type", "department", "manager", "sponsor", "status",
    "priority", "planned_start", "planned_end", "forecast_start", "forecast_end", "actual_start",
    "actual_end", "budget", "currency",
]  # fmt: skip

RELATED_MODELS = {
    "project_type": ProjectType,
    "department": Department,
    "manager": get_user_model(),
    "sponsor": get_user_model(),
}


@dataclass
class FieldChange:
    label: str
    old: str
    new: str


@dataclass
class HistoryEntry:
    when: datetime.datetime
    who: object
    kind: str
    changes: list[FieldChange] = field(default_factory=list)


KIND_LABELS = {"+": _("Created"), "~": _("Changed"), "-": _("Deleted")}


def _display(value, name, related) -> str:
    if value is None or value == "":
        return "—"
    if name in RELATED_MODELS:
        obj = related[name].get(value)
        if obj is None:
            return f"#{value}"
        if hasattr(obj, "get_full_name"):
            return obj.get_full_name() or obj.get_username()
        return str(obj)
    model_field = Project._meta.get_field(name)
    if model_field.choices:
        return str(dict(model_field.flatchoices).get(value, value))
    if isinstance(value, datetime.date):
        return date_format(value, "SHORT_DATE_FORMAT")
    if isinstance(value, Decimal):
        return number_format(value, decimal_pos=2, use_l10n=True, force_grouping=True)
    return str(value)


def _tag_names(record) -> str:
    return ", ".join(sorted(row.tag.name for row in record.historicalproject_tags_set.all())) or "—"


def history_entries(records: list, previous) -> list[HistoryEntry]:
    """Entries for `records` (newest first); `previous` is the record just before the last one.

    Related names are fetched in one query per related model, whatever the number of records.
    """
    chain = [*records, previous] if previous is not None else list(records)
    ids_by_model = {}
    for name, model in RELATED_MODELS.items():
        ids_by_model.setdefault(model, set()).update(getattr(r, f"{name}_id") for r in chain)
    objects_by_model = {
        model: model.objects.in_bulk(ids - {None}) for model, ids in ids_by_model.items()
    }
    related = {name: objects_by_model[model] for name, model in RELATED_MODELS.items()}

    entries = []
    for index, record in enumerate(records):
        older = chain[index + 1] if index + 1 < len(chain) else None
        entry = HistoryEntry(
            when=record.history_date,
            who=record.history_user,
            kind=str(KIND_LABELS.get(record.history_type, record.history_type)),
        )
        if older is not None:
            for name in SHOWN_FIELDS:
                attname = f"{name}_id" if name in RELATED_MODELS else name
                old_value, new_value = getattr(older, attname), getattr(record, attname)
                if old_value != new_value:
                    entry.changes.append(
                        FieldChange(
                            label=str(Project._meta.get_field(name).verbose_name),
                            old=_display(old_value, name, related),
                            new=_display(new_value, name, related),
                        )
                    )
            old_tags, new_tags = _tag_names(older), _tag_names(record)
            if old_tags != new_tags:
                entry.changes.append(FieldChange(label=str(_("tags")), old=old_tags, new=new_tags))
        entries.append(entry)
    return entries


def project_history_records(project: Project):
    return project.history.select_related("history_user").prefetch_related(
        "historicalproject_tags_set__tag"
    )
