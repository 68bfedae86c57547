"""Writes of portfolio reviews and of the decision each takes on a project."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from pmo_portal import permissions
from pmo_portal.errors import StaleVersionError
from projects.models import Project

from ..models import PortfolioProject, PortfolioReview, ReviewDecision


def _ensure_pmo(by) -> None:
    permissions.ensure(permissions.can_manage_reviews(by))


@transaction.atomic
def review_save(
    *, by, review: PortfolioReview | None = None, version: int | None = None, **fields
) -> PortfolioReview:
    _ensure_pmo(by)
    if review is None:
        review = PortfolioReview(created_by=by)
    else:
        current = PortfolioReview.objects.select_for_update().get(pk=review.pk)
        if version is not None and current.version != version:
            raise StaleVersionError(
                _("Someone else changed this review since you opened it. Nothing was saved.")
            )
        review.version = current.version + 1
    for name, value in fields.items():
        setattr(review, name, value)
    review._history_user = by
    review.full_clean()
    review.save()
    return review


@transaction.atomic
def review_decisions_save(
    *, by, review: PortfolioReview, decisions: dict[int, tuple[str, str]]
) -> int:
    """Record the review's decision on projects ({project id: (decision, rationale)}); an empty
    decision removes the project's. Every project must sit in the review's portfolio tree.
    Returns the number of decisions written or removed."""
    _ensure_pmo(by)
    PortfolioReview.objects.select_for_update().get(pk=review.pk)
    in_tree = set(
        PortfolioProject.objects.in_subtree(review.portfolio)
        .filter(project__in=list(decisions))
        .values_list("project_id", flat=True)
    )
    outside = set(decisions) - in_tree
    if outside:
        codes = Project.objects.filter(pk__in=outside).values_list("code", flat=True)
        raise ValidationError(
            _("%(codes)s are not in this review's portfolio.") % {"codes": ", ".join(codes)}
        )
    existing = {row.project_id: row for row in review.decisions.filter(project__in=list(decisions))}
    count = 0
    for project_id, (decision, rationale) in decisions.items():
        row = existing.get(project_id)
        if not decision:
            if row is not None:
                row._history_user = by
                row.delete()
                count += 1
            continue
        if row is not None and (row.decision, row.rationale) == (decision, rationale):
            continue
        row = row or ReviewDecision(review=review, project_id=project_id)
        row.decision, row.rationale, row.decided_by = decision, rationale, by
        row._history_user = by
        row.full_clean(exclude=["project", "review"])
        row.save()
        count += 1
    return count
