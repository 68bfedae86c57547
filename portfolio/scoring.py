"""Weighted scoring of projects against criteria, and how the ranking reacts to a weight.

Each project gets a level on each criterion's scale (1..5 by default). A level is normalised to
0..1 (for a cost criterion such as risk, lower is better, so the scale is turned round), and the
score is the weighted mean of the normalised levels, on 0..100.

Sensitivity: moving one criterion's share of the total weight from 0 to 1 while the other
criteria keep their proportions among themselves. Every project's score is then a straight line
in that share, which makes the exact points where the top of the ranking changes computable.
"""

from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np

# Scores equal to this many decimals count as tied, so that rounding noise of the matrix
# products never decides between two projects with the same levels.
_TIE_DECIMALS = 9
_CROSSING_TOLERANCE = 1e-9


@dataclass(frozen=True)
class Criterion:
    """A scoring criterion: its weight, direction and the scale its levels are given on."""

    key: Hashable
    weight: float
    benefit: bool = True
    scale_min: int = 1
    scale_max: int = 5

    def __post_init__(self):
        if not (np.isfinite(self.weight) and self.weight >= 0):
            raise ValueError(f"The weight of {self.key!r} must be zero or more, got {self.weight}.")
        if self.scale_max <= self.scale_min:
            raise ValueError(
                f"The scale of {self.key!r} must run upwards, "
                f"got {self.scale_min}..{self.scale_max}."
            )


@dataclass(frozen=True)
class SensitivityStep:
    """The ranking at one weight share of the criterion being moved.

    `top` holds row indexes of the normalised matrix, best first; `scores` their scores (0..100).
    """

    weight_share: float
    top: list[int]
    scores: list[float]


@dataclass(frozen=True)
class TopInterval:
    """The range of weight shares over which a project stays in the top N.

    The interval contains the current share; at its ends the project ties with the one that
    takes its place (or the end is 0 or 1).
    """

    row: int
    rank: int
    share_low: float
    share_high: float


def normalised(level: int | None, criterion: Criterion) -> float:
    """A level on the criterion's scale as 0..1, where 1 is best.

    A missing level (None) gives 0, the worst, so an unscored project never outranks a scored one.
    """
    if level is None:
        return 0.0
    if not (criterion.scale_min <= level <= criterion.scale_max):
        raise ValueError(
            f"Level {level} of {criterion.key!r} is outside its scale "
            f"{criterion.scale_min}..{criterion.scale_max}."
        )
    span = criterion.scale_max - criterion.scale_min
    if criterion.benefit:
        return (level - criterion.scale_min) / span
    return (criterion.scale_max - level) / span


def weighted_score(levels: Mapping[Hashable, int | None], criteria: Sequence[Criterion]) -> float:
    """The score of one project on 0..100, rounded to 2 decimals.

    A criterion without a level counts as the worst level (0), and its weight still counts, so
    missing scores pull the total down. Weights summing to 0 give 0.
    """
    total_weight = sum(c.weight for c in criteria)
    if total_weight == 0:
        return 0.0
    weighted = sum(c.weight * normalised(levels.get(c.key), c) for c in criteria)
    return round(100 * weighted / total_weight, 2)


def score_matrix(
    levels_by_project: Sequence[Mapping[Hashable, int | None]], criteria: Sequence[Criterion]
) -> np.ndarray:
    """The normalised levels (projects x criteria, each 0..1) for `weighted_scores`."""
    matrix = np.zeros((len(levels_by_project), len(criteria)))
    for row, levels in enumerate(levels_by_project):
        for column, criterion in enumerate(criteria):
            matrix[row, column] = normalised(levels.get(criterion.key), criterion)
    return matrix


def weighted_scores(normalised_levels: np.ndarray, weights: Sequence[float]) -> np.ndarray:
    """Every project's score on 0..100 (unrounded); 0 for all when the weights sum to 0."""
    weights = _checked_weights(normalised_levels, weights)
    total = weights.sum()
    if total == 0:
        return np.zeros(normalised_levels.shape[0])
    return 100 * normalised_levels @ weights / total


def ranking(scores: np.ndarray) -> np.ndarray:
    """Row indexes best first; equal scores keep row order."""
    return np.argsort(-np.round(scores, _TIE_DECIMALS), kind="stable")


def _checked_weights(normalised_levels: np.ndarray, weights: Sequence[float]) -> np.ndarray:
    weights = np.asarray(weights, dtype=float)
    if normalised_levels.ndim != 2 or weights.shape != (normalised_levels.shape[1],):
        raise ValueError(
            f"Need one weight per criterion: {normalised_levels.shape} levels, "
            f"{weights.shape} weights."
        )
    if not np.all(np.isfinite(weights)) or np.any(weights < 0):
        raise ValueError("Weights must be zero or more.")
    return weights


def _score_lines(
    normalised_levels: np.ndarray, weights: Sequence[float], criterion: int
) -> tuple[np.ndarray, np.ndarray]:
    """Each project's score as `share * alone + (1 - share) * others` (both 0..100).

    `alone` is the score on the moved criterion only; `others` the score on the other criteria
    with their weights in their current proportions (equal weights if those are all 0).
    """
    weights = _checked_weights(normalised_levels, weights)
    if not 0 <= criterion < weights.size:
        raise ValueError(f"No criterion at column {criterion}.")
    alone = 100 * normalised_levels[:, criterion]
    other_weights = np.delete(weights, criterion)
    if other_weights.size == 0:
        return alone, alone
    if other_weights.sum() == 0:
        other_weights = np.ones_like(other_weights)
    others = 100 * np.delete(normalised_levels, criterion, axis=1) @ other_weights
    return alone, others / other_weights.sum()


def current_share(weights: Sequence[float], criterion: int) -> float:
    """The criterion's share of the total weight (0 when all weights are 0)."""
    weights = np.asarray(weights, dtype=float)
    total = weights.sum()
    return float(weights[criterion] / total) if total else 0.0


def sensitivity(
    normalised_levels: np.ndarray,
    weights: Sequence[float],
    criterion: int,
    steps: int = 11,
    top: int = 10,
) -> list[SensitivityStep]:
    """The top of the ranking as criterion `criterion`'s weight share moves from 0 to 1.

    At each of `steps` evenly spaced shares, the other criteria share the rest of the weight
    in their current proportions.
    """
    if steps < 2:
        raise ValueError("Sensitivity needs at least 2 steps (share 0 and share 1).")
    alone, others = _score_lines(normalised_levels, weights, criterion)
    shares = np.linspace(0.0, 1.0, steps)
    # projects x steps: all the scores at once.
    scores = np.outer(alone, shares) + np.outer(others, 1 - shares)
    result = []
    for step, share in enumerate(shares):
        order = ranking(scores[:, step])[:top]
        result.append(
            SensitivityStep(
                weight_share=float(share),
                top=[int(row) for row in order],
                scores=[round(float(s), 2) for s in scores[order, step]],
            )
        )
    return result


def rank_changes(
    normalised_levels: np.ndarray, weights: Sequence[float], criterion: int, top: int = 10
) -> list[TopInterval]:
    """For each project in the current top N, the weight-share interval it stays in the top N.

    Exact: each score is a straight line in the share, so the project's count of better
    projects only changes where its line crosses another; walking the crossings outwards from
    the current share finds where that count first reaches N.
    """
    alone, others = _score_lines(normalised_levels, weights, criterion)
    alone = np.round(alone, _TIE_DECIMALS)
    others = np.round(others, _TIE_DECIMALS)
    share_now = current_share(weights, criterion)
    scores_now = share_now * alone + (1 - share_now) * others
    slopes = alone - others
    rows = np.arange(alone.size)
    intervals = []
    for rank, row in enumerate(ranking(scores_now)[:top], start=1):
        row = int(row)
        high = _stays_in_top_until(
            share_now, row, rows, scores_now, slopes, alone, others, top, direction=1
        )
        low = _stays_in_top_until(
            share_now, row, rows, scores_now, slopes, alone, others, top, direction=-1
        )
        intervals.append(TopInterval(row=row, rank=rank, share_low=low, share_high=high))
    return intervals


def _stays_in_top_until(share_now, row, rows, scores_now, slopes, alone, others, top, direction):
    """The share where `row` leaves the top N, walking from `share_now` in `direction` (+1/-1)."""
    # Slope in the walking direction: who gains on `row` as we walk.
    own_slope, their_slopes = direction * slopes[row], direction * slopes
    score_now_rounded = np.round(scores_now, _TIE_DECIMALS)
    own_rounded = score_now_rounded[row]
    others_mask = rows != row
    # Just after leaving share_now, q is ahead if it is ahead now, or tied now and gaining,
    # or tied and level and earlier in row order.
    ahead = others_mask & (
        (score_now_rounded > own_rounded)
        | (
            (score_now_rounded == own_rounded)
            & ((their_slopes > own_slope) | ((their_slopes == own_slope) & (rows < row)))
        )
    )
    count = int(ahead.sum())
    end = 1.0 if direction > 0 else 0.0
    if count >= top:
        return share_now
    # Crossing share of q's line with row's line: alone*s + others*(1-s) equal.
    gain = slopes - slopes[row]
    with np.errstate(divide="ignore", invalid="ignore"):
        crossing = (others[row] - others) / gain
    distance = direction * (crossing - share_now)
    # A crossing at the current share is already in `ahead` (ties are decided by the slope).
    at_crossing = (
        others_mask
        & (gain != 0)
        & (distance > _CROSSING_TOLERANCE)
        & (direction * (end - crossing) >= 0)
    )
    candidates = np.nonzero(at_crossing)[0]
    if candidates.size == 0:
        return end
    order = np.argsort(distance[candidates], kind="stable")
    candidates = candidates[order]
    # At a crossing q overtakes row if it was behind (and so gains), or falls behind otherwise.
    change = np.where(ahead[candidates], -1, 1)
    counts = count + np.cumsum(change)
    # Several lines can cross at one share: only the count after the whole group matters.
    crossing_shares = np.round(crossing[candidates], _TIE_DECIMALS)
    last_of_group = np.append(crossing_shares[1:] != crossing_shares[:-1], True)
    leaving = np.nonzero(last_of_group & (counts >= top))[0]
    if leaving.size == 0:
        return end
    return float(np.clip(crossing[candidates[leaving[0]]], 0.0, 1.0))
