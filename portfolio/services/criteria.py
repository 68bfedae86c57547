"""Writes of objectives, criteria and weights (set directly or by pairwise comparison), and of
scores and score proposals. Every write that changes a score or a weight ranks the projects of
its frame again before it returns."""

from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_update_with_history

from pmo_portal import permissions
from pmo_portal.errors import StaleVersionError
from projects.models import Project

from .. import ahp
from ..models import (
    Criterion,
    CriterionLevel,
    PairwiseJudgement,
    Portfolio,
    PortfolioProject,
    Score,
    ScoreProposal,
    StrategicObjective,
)
from .ranking import rankings_recompute

WEIGHT_PLACES = Decimal("0.0001")
SAATY_JUDGEMENTS = [-9, -8, -7, -6, -5, -4, -3, -2, 1, 2, 3, 4, 5, 6, 7, 8, 9]


def _ensure_pmo(by) -> None:
    permissions.ensure(permissions.can_manage_portfolio(by))


def _top(portfolio: Portfolio) -> Portfolio:
    return portfolio if portfolio.parent_id is None else Portfolio.objects.get(pk=portfolio.top_id)


# --- objectives and criteria -----------------------------------------------------------------


@transaction.atomic
def objective_save(*, by, objective: StrategicObjective | None = None, **fields):
    _ensure_pmo(by)
    objective = objective or StrategicObjective()
    for name, value in fields.items():
        setattr(objective, name, value)
    objective._history_user = by
    objective.full_clean()
    objective.save()
    return objective


@transaction.atomic
def criterion_save(
    *,
    by,
    criterion: Criterion | None = None,
    version: int | None = None,
    levels: list[tuple[int, str, str]],
    **fields,
) -> Criterion:
    """Create or change a criterion and its scale (levels as [(value, label, description)],
    replacing the old ones; at least two). The frame is ranked again: the direction, weight
    and scale all move the weighted scores."""
    _ensure_pmo(by)
    if len(levels) < 2:
        raise ValidationError(_("A scale needs at least two levels."))
    values = [value for value, _label, _description in levels]
    if len(set(values)) != len(values):
        raise ValidationError(_("Each level of the scale is given once."))
    if criterion is None:
        criterion = Criterion()
    else:
        current = Criterion.objects.select_for_update().get(pk=criterion.pk)
        if version is not None and current.version != version:
            raise StaleVersionError(
                _("Someone else changed this criterion since you opened it. Nothing was saved.")
            )
        criterion.version = current.version + 1
    for name, value in fields.items():
        setattr(criterion, name, value)
    criterion.scale_min, criterion.scale_max = min(values), max(values)
    criterion._history_user = by
    criterion.full_clean()
    criterion.save()
    out_of_scale = Score.objects.filter(criterion=criterion).exclude(level__in=values)
    if out_of_scale.exists():
        raise ValidationError(
            _(
                "Some projects are scored at levels this scale no longer has (%(levels)s): "
                "keep those levels or score the projects again first."
            )
            % {
                "levels": ", ".join(
                    str(level)
                    for level in sorted(set(out_of_scale.values_list("level", flat=True)))
                )
            }
        )
    kept = {level.value: level for level in criterion.levels.all()}
    for level in kept.values():
        if level.value not in values:
            level._history_user = by
            level.delete()
    for value, label, description in levels:
        level = kept.get(value) or CriterionLevel(criterion=criterion, value=value)
        if level.pk and (level.label, level.description) == (label, description):
            continue
        level.label, level.description = label, description
        level._history_user = by
        level.full_clean()
        level.save()
    rankings_recompute(portfolio=_top(criterion.portfolio), period=criterion.period)
    return criterion


@transaction.atomic
def criterion_delete(*, by, criterion: Criterion) -> None:
    _ensure_pmo(by)
    portfolio, period = criterion.portfolio, criterion.period
    criterion._history_user = by
    criterion.delete()
    rankings_recompute(portfolio=portfolio, period=period)


@transaction.atomic
def weights_set(*, by, portfolio: Portfolio, period: int, weights: dict[int, Decimal]) -> None:
    """Set the weights of the frame's criteria (by criterion id) and rank its projects again."""
    _ensure_pmo(by)
    criteria = list(
        Criterion.objects.select_for_update().filter(portfolio=portfolio, period=period)
    )
    if any(weight < 0 for weight in weights.values()):
        raise ValidationError(_("A weight cannot be negative."))
    changed = []
    for criterion in criteria:
        if criterion.pk in weights and criterion.weight != weights[criterion.pk]:
            criterion.weight = weights[criterion.pk]
            criterion.version += 1
            changed.append(criterion)
    bulk_update_with_history(changed, Criterion, ["weight", "version"], default_user=by)
    rankings_recompute(portfolio=portfolio, period=period)


# --- pairwise comparison ---------------------------------------------------------------------


@dataclass
class PairwiseResult:
    """The frame's criteria, the judgement of each pair, and the weights AHP derives."""

    criteria: list[Criterion]
    judgements: dict[tuple[int, int], int]  # (first id, second id) -> judgement
    result: ahp.AhpResult | None

    @property
    def weights(self) -> dict[int, float]:
        if self.result is None:
            return {}
        return dict(zip((c.pk for c in self.criteria), self.result.weights, strict=True))

    @property
    def warns(self) -> bool:
        ratio = self.result.consistency_ratio if self.result else None
        return ratio is not None and ratio > ahp.CONSISTENCY_THRESHOLD


def judgement_value(judgement: int) -> float:
    return float(judgement) if judgement >= 1 else 1 / -judgement


def pairwise_result(portfolio: Portfolio, period: int) -> PairwiseResult:
    """Two queries: the criteria and their judgements; pairs without one count as equal."""
    criteria = list(Criterion.objects.filter(portfolio=portfolio, period=period).order_by("pk"))
    judgements = {
        (first, second): judgement
        for first, second, judgement in PairwiseJudgement.objects.filter(
            first__in=criteria
        ).values_list("first", "second", "judgement")
    }
    if len(criteria) < 2:
        return PairwiseResult(criteria, judgements, None)
    index = {criterion.pk: number for number, criterion in enumerate(criteria)}
    matrix = ahp.reciprocal_matrix(
        len(criteria),
        {
            (index[first], index[second]): judgement_value(judgement)
            for (first, second), judgement in judgements.items()
            if first in index and second in index
        },
    )
    return PairwiseResult(criteria, judgements, ahp.ahp_weights(matrix))


@transaction.atomic
def judgements_save(
    *, by, portfolio: Portfolio, period: int, judgements: dict[tuple[int, int], int]
) -> PairwiseResult:
    """Record the judgement of each pair (criterion ids, lower id first) of the frame."""
    _ensure_pmo(by)
    ids = set(
        Criterion.objects.filter(portfolio=portfolio, period=period).values_list("pk", flat=True)
    )
    existing = {
        (row.first_id, row.second_id): row
        for row in PairwiseJudgement.objects.select_for_update().filter(first__in=ids)
    }
    for (first, second), judgement in judgements.items():
        if first not in ids or second not in ids or first >= second:
            raise ValidationError(_("These criteria are not a pair of this portfolio and period."))
        if judgement not in SAATY_JUDGEMENTS:
            raise ValidationError(_("A judgement is on Saaty's scale from 1/9 to 9."))
        row = existing.get((first, second)) or PairwiseJudgement(first_id=first, second_id=second)
        if row.pk and row.judgement == judgement:
            continue
        row.judgement = judgement
        row._history_user = by
        row.save()
    return pairwise_result(portfolio, period)


@transaction.atomic
def weights_apply_pairwise(*, by, portfolio: Portfolio, period: int) -> PairwiseResult:
    """Write the weights derived from the pairwise judgements to the criteria (rounded to
    four places; their history keeps the earlier weights)."""
    _ensure_pmo(by)
    result = pairwise_result(portfolio, period)
    if result.result is None:
        raise ValidationError(_("Pairwise weights need at least two criteria."))
    weights_set(
        by=by,
        portfolio=portfolio,
        period=period,
        weights={
            pk: Decimal(str(weight)).quantize(WEIGHT_PLACES)
            for pk, weight in result.weights.items()
        },
    )
    return result


# --- scores ----------------------------------------------------------------------------------


def _check_level(criterion: Criterion, level: int) -> None:
    if not criterion.levels.filter(value=level).exists():
        raise ValidationError({"level": _("Choose one of the levels of this criterion's scale.")})


def _check_in_frame(project: Project, criterion: Criterion) -> None:
    placement = PortfolioProject.objects.filter(project=project).select_related("portfolio").first()
    if placement is None or placement.portfolio.top_id != criterion.portfolio_id:
        raise ValidationError(_("The project is not in the portfolio this criterion belongs to."))


def _score_write(*, by, project: Project, criterion: Criterion, level: int, rationale: str):
    _check_in_frame(project, criterion)
    _check_level(criterion, level)
    if not rationale.strip():
        raise ValidationError({"rationale": _("Give the reason for the score.")})
    score = Score.objects.select_for_update().filter(
        project=project, criterion=criterion
    ).first() or Score(project=project, criterion=criterion)
    score.level, score.rationale = level, rationale
    score.scored_by, score.scored_at = by, timezone.now()
    score._history_user = by
    score.full_clean()
    score.save()
    return score


@transaction.atomic
def score_set(*, by, project: Project, criterion: Criterion, level: int, rationale: str) -> Score:
    """PMO staff set a project's score on a criterion; its weighted score and the frame's
    ranks update at once."""
    permissions.ensure(permissions.can_set_scores(by))
    score = _score_write(
        by=by, project=project, criterion=criterion, level=level, rationale=rationale
    )
    # A direct score settles what was proposed for the same criterion.
    ScoreProposal.objects.filter(
        project=project, criterion=criterion, status=ScoreProposal.Status.PENDING
    ).update(status=ScoreProposal.Status.REJECTED, decided_by=by, decided_at=timezone.now(),
             decision_note=_("Superseded by a score set by the PMO."))  # fmt: skip
    rankings_recompute(portfolio=criterion.portfolio, period=criterion.period)
    return score


@transaction.atomic
def score_propose(
    *, by, project: Project, criterion: Criterion, level: int, rationale: str
) -> ScoreProposal:
    """A project manager proposes a score; a pending proposal on the same criterion is
    replaced."""
    permissions.ensure(permissions.can_propose_scores(by, project))
    _check_in_frame(project, criterion)
    _check_level(criterion, level)
    if not rationale.strip():
        raise ValidationError({"rationale": _("Give the reason for the score.")})
    proposal = (
        ScoreProposal.objects.select_for_update()
        .filter(project=project, criterion=criterion, status=ScoreProposal.Status.PENDING)
        .first()
    ) or ScoreProposal(project=project, criterion=criterion)
    proposal.level, proposal.rationale, proposal.proposed_by = level, rationale, by
    proposal._history_user = by
    proposal.full_clean()
    proposal.save()
    return proposal


def _pending(proposal: ScoreProposal) -> ScoreProposal:
    current = (
        ScoreProposal.objects.select_for_update()
        .select_related("project", "criterion", "criterion__portfolio")
        .get(pk=proposal.pk)
    )
    if current.status != ScoreProposal.Status.PENDING:
        raise ValidationError(_("This proposal has been decided already."))
    return current


@transaction.atomic
def proposal_accept(*, by, proposal: ScoreProposal, note: str = "") -> Score:
    """The proposed level becomes the project's score, with the proposer's rationale."""
    permissions.ensure(permissions.can_decide_score_proposals(by))
    proposal = _pending(proposal)
    score = _score_write(
        by=by,
        project=proposal.project,
        criterion=proposal.criterion,
        level=proposal.level,
        rationale=proposal.rationale,
    )
    proposal.status, proposal.decided_by, proposal.decided_at = (
        ScoreProposal.Status.ACCEPTED, by, timezone.now(),
    )  # fmt: skip
    proposal.decision_note = note
    proposal._history_user = by
    proposal.save()
    rankings_recompute(portfolio=proposal.criterion.portfolio, period=proposal.criterion.period)
    return score


@transaction.atomic
def proposal_reject(*, by, proposal: ScoreProposal, note: str) -> ScoreProposal:
    permissions.ensure(permissions.can_decide_score_proposals(by))
    if not note.strip():
        raise ValidationError({"note": _("Say why the proposal is rejected.")})
    proposal = _pending(proposal)
    proposal.status, proposal.decided_by, proposal.decided_at = (
        ScoreProposal.Status.REJECTED, by, timezone.now(),
    )  # fmt: skip
    proposal.decision_note = note
    proposal._history_user = by
    proposal.save()
    return proposal
