"""Writes of the PMO's risk configuration: categories, scale descriptions, the matrix and the
review cadences."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q

from pmo_portal import permissions

from ..models import Level, ReviewCadence, Risk, RiskCategory, RiskMatrixCell, ScaleLevel


def _ensure_pmo(by) -> None:
    permissions.ensure(permissions.can_configure_risks(by))


@transaction.atomic
def category_save(*, by, category: RiskCategory | None = None, **fields) -> RiskCategory:
    _ensure_pmo(by)
    category = category or RiskCategory()
    for name, value in fields.items():
        setattr(category, name, value)
    category._history_user = by
    category.full_clean()
    category.save()
    return category


@transaction.atomic
def matrix_set(*, by, levels: dict[tuple[int, int], str]) -> int:
    """Set the level of each (probability, impact) cell and re-level the risks in the cells
    that changed, in the database; returns how many risks changed level."""
    _ensure_pmo(by)
    if any(level not in Level.values for level in levels.values()):
        raise ValidationError("Unknown level.")
    current = {(c.probability, c.impact): c for c in RiskMatrixCell.objects.select_for_update()}
    changed = 0
    for (probability, impact), level in levels.items():
        cell = current.get((probability, impact)) or RiskMatrixCell(
            probability=probability, impact=impact
        )
        if cell.pk and cell.level == level:
            continue
        cell.level = level
        cell._history_user = by
        cell.full_clean()
        cell.save()
        # A change of level is not a change of the risks' assessment: no history row each
        # (the matrix cell's own history says when and who).
        changed += (
            Risk.objects.filter(probability=probability, impact=impact)
            .exclude(inherent_level=level)
            .update(inherent_level=level)
        )
        changed += (
            Risk.objects.filter(residual_probability=probability, residual_impact=impact)
            .exclude(residual_level=level)
            .update(residual_level=level)
        )
    return changed


@transaction.atomic
def scale_levels_set(*, by, descriptions: dict[tuple[str, int], dict]) -> None:
    """Set the names and descriptions of the scale values: {(scale, value): {field: text}}."""
    _ensure_pmo(by)
    rows = {(row.scale, row.value): row for row in ScaleLevel.objects.select_for_update()}
    for (scale, value), fields in descriptions.items():
        row = rows.get((scale, value)) or ScaleLevel(scale=scale, value=value)
        for name, text in fields.items():
            setattr(row, name, text)
        row._history_user = by
        row.full_clean()
        row.save()


@transaction.atomic
def cadences_set(*, by, days: dict[str, int]) -> None:
    _ensure_pmo(by)
    for level, number in days.items():
        cadence = ReviewCadence.objects.filter(level=level).first() or ReviewCadence(level=level)
        cadence.days = number
        cadence._history_user = by
        cadence.full_clean()
        cadence.save()


def categories_in(category: RiskCategory) -> list[int]:
    """The category and every category below it (the tree is a few dozen rows)."""
    children: dict[int | None, list[int]] = {}
    for pk, parent in RiskCategory.objects.values_list("pk", "parent_id"):
        children.setdefault(parent, []).append(pk)
    found, stack = [], [category.pk]
    while stack:
        pk = stack.pop()
        if pk in found:
            continue
        found.append(pk)
        stack.extend(children.get(pk, []))
    return found


def related_categories(category: RiskCategory) -> Q:
    """Lessons and risks of the category, its sub-categories and its parent."""
    ids = categories_in(category)
    if category.parent_id:
        ids.append(category.parent_id)
    return Q(category__in=ids)
