import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from portfolio.scoring import (
    Criterion,
    normalised,
    rank_changes,
    ranking,
    score_matrix,
    sensitivity,
    weighted_score,
    weighted_scores,
)

FIT = Criterion("fit", weight=3, benefit=True)
NPV = Criterion("npv", weight=2, benefit=True)
RISK = Criterion("risk", weight=1, benefit=False)
CRITERIA = [FIT, NPV, RISK]


def test_levels_are_normalised_with_cost_criteria_turned_round():
    assert normalised(1, FIT) == 0.0
    assert normalised(4, FIT) == 0.75
    assert normalised(5, FIT) == 1.0
    # For risk a low level is good.
    assert normalised(1, RISK) == 1.0
    assert normalised(4, RISK) == 0.25
    assert normalised(5, RISK) == 0.0
    assert normalised(3, Criterion("x", 1, scale_min=0, scale_max=10)) == 0.3


def test_a_level_outside_the_scale_is_refused():
    with pytest.raises(ValueError, match="outside its scale"):
        normalised(6, FIT)


def test_worked_example_by_hand():
    # fit 5 -> 1, npv 3 -> 0.5, risk 2 -> 0.75: (3*1 + 2*0.5 + 1*0.75) / 6 = 0.791666...
    assert weighted_score({"fit": 5, "npv": 3, "risk": 2}, CRITERIA) == 79.17
    # fit 2 -> 0.25, npv 5 -> 1, risk 5 -> 0: (0.75 + 2 + 0) / 6 = 0.458333...
    assert weighted_score({"fit": 2, "npv": 5, "risk": 5}, CRITERIA) == 45.83


def test_best_and_worst_levels_give_100_and_0():
    assert weighted_score({"fit": 5, "npv": 5, "risk": 1}, CRITERIA) == 100.0
    assert weighted_score({"fit": 1, "npv": 1, "risk": 5}, CRITERIA) == 0.0


def test_a_missing_level_counts_as_the_worst_and_its_weight_still_counts():
    # fit missing -> 0, npv 5 -> 1, risk 1 -> 1: (0 + 2 + 1) / 6.
    assert weighted_score({"fit": None, "npv": 5, "risk": 1}, CRITERIA) == 50.0
    assert weighted_score({"npv": 5, "risk": 1}, CRITERIA) == 50.0


def test_weights_summing_to_zero_give_zero():
    criteria = [Criterion("fit", 0), Criterion("npv", 0)]
    assert weighted_score({"fit": 5, "npv": 5}, criteria) == 0.0
    assert weighted_scores(np.ones((2, 2)), [0, 0]).tolist() == [0.0, 0.0]


def test_a_criterion_with_zero_weight_does_not_move_the_score():
    with_zero = [*CRITERIA, Criterion("other", 0)]
    levels = {"fit": 5, "npv": 3, "risk": 2, "other": 1}
    assert weighted_score(levels, with_zero) == weighted_score(levels, CRITERIA)


def test_bad_criteria_are_refused():
    with pytest.raises(ValueError, match="weight"):
        Criterion("fit", -1)
    with pytest.raises(ValueError, match="scale"):
        Criterion("fit", 1, scale_min=5, scale_max=5)


def test_the_score_matrix_gives_the_same_scores_as_one_by_one():
    projects = [
        {"fit": 5, "npv": 3, "risk": 2},
        {"fit": 2, "npv": 5, "risk": 5},
        {"fit": None, "npv": 5, "risk": 1},
    ]
    matrix = score_matrix(projects, CRITERIA)

    scores = weighted_scores(matrix, [c.weight for c in CRITERIA])

    assert matrix.shape == (3, 3)
    assert np.round(scores, 2).tolist() == [weighted_score(p, CRITERIA) for p in projects]


# Rows: normalised fit, npv, risk (already turned round). Weights 3:2:1 give fit a share of 0.5.
SENSITIVITY_LEVELS = np.array(
    [
        [1.00, 0.25, 0.00],  # 0: strong on fit: 58.33 now
        [0.00, 1.00, 1.00],  # 1: strong on everything but fit: 50.00 now
        [0.50, 0.50, 0.25],  # 2: middling: 45.83 now
        [0.75, 0.25, 1.00],  # 3: 62.50 now
    ]
)
SENSITIVITY_WEIGHTS = [3, 2, 1]


def test_sensitivity_at_the_current_share_reproduces_the_current_ranking():
    steps = sensitivity(SENSITIVITY_LEVELS, SENSITIVITY_WEIGHTS, criterion=0, steps=11, top=4)
    current = weighted_scores(SENSITIVITY_LEVELS, SENSITIVITY_WEIGHTS)

    at_half = steps[5]
    assert at_half.weight_share == 0.5
    assert at_half.top == ranking(current).tolist() == [3, 0, 1, 2]
    assert at_half.scores == [round(s, 2) for s in sorted(current, reverse=True)]


def test_sensitivity_extremes_rank_by_the_other_criteria_and_by_the_criterion_alone():
    steps = sensitivity(SENSITIVITY_LEVELS, SENSITIVITY_WEIGHTS, criterion=0, steps=3, top=4)

    assert [s.weight_share for s in steps] == [0.0, 0.5, 1.0]
    # Share 0: npv and risk only, 2:1.
    assert steps[0].top == [1, 3, 2, 0]
    assert steps[0].scores == [100.0, 50.0, 41.67, 16.67]
    # Share 1: fit alone.
    assert steps[-1].top == [0, 3, 2, 1]
    assert steps[-1].scores == [100.0, 75.0, 50.0, 0.0]


def test_sensitivity_keeps_only_the_top_n():
    steps = sensitivity(SENSITIVITY_LEVELS, SENSITIVITY_WEIGHTS, criterion=2, steps=5, top=2)

    assert all(len(step.top) == 2 for step in steps)
    assert steps[-1].top == [1, 3]  # risk alone: both at 1.0, row order


def test_the_top_interval_ends_where_two_score_lines_cross():
    # Score of 0 is 100*s, of 1 is 50*(1 - s): they cross at s = 1/3. Now s = 0.5.
    levels = np.array([[1.0, 0.0], [0.0, 0.5]])

    (first,) = rank_changes(levels, [1, 1], criterion=0, top=1)

    assert first.row == 0
    assert first.rank == 1
    assert first.share_low == pytest.approx(1 / 3)
    assert first.share_high == 1.0


def test_the_leader_keeps_the_lead_between_the_shares_where_its_rivals_overtake_it():
    # Project 3 scores 50 + 25s; project 1 (100 - 100s) overtakes below s = 0.4,
    # project 0 (16.67 + 83.33s) above s = 4/7.
    (leader,) = rank_changes(SENSITIVITY_LEVELS, SENSITIVITY_WEIGHTS, criterion=0, top=1)

    assert leader.row == 3
    assert leader.share_low == pytest.approx(0.4)
    assert leader.share_high == pytest.approx(4 / 7)


def test_everyone_stays_in_a_top_as_large_as_the_portfolio():
    intervals = rank_changes(SENSITIVITY_LEVELS, SENSITIVITY_WEIGHTS, criterion=0, top=4)

    assert [i.row for i in intervals] == [3, 0, 1, 2]
    assert [i.rank for i in intervals] == [1, 2, 3, 4]
    assert all((i.share_low, i.share_high) == (0.0, 1.0) for i in intervals)


def in_top(levels, weights, criterion, share, top):
    """Rows in the top N at one share, by the plain definition of the share."""
    weights = np.asarray(weights, dtype=float)
    others = np.delete(weights, criterion)
    others = others / others.sum() * (1 - share) if others.sum() else others
    moved = np.insert(others, criterion, share)
    return set(ranking(weighted_scores(levels, moved))[:top].tolist())


@settings(max_examples=60, deadline=None, derandomize=True, database=None)
@given(
    seed=st.integers(0, 2**32 - 1),
    projects=st.integers(2, 12),
    criteria=st.integers(2, 4),
    top=st.integers(1, 4),
)
def test_the_top_intervals_agree_with_a_fine_sweep_of_the_share(seed, projects, criteria, top):
    rng = np.random.default_rng(seed)
    # Levels on a 1..5 scale, as in use: many ties.
    levels = rng.integers(0, 5, size=(projects, criteria)) / 4
    weights = rng.integers(1, 10, size=criteria).astype(float)
    criterion = int(rng.integers(0, criteria))

    for interval in rank_changes(levels, weights, criterion, top=top):
        low, high = interval.share_low, interval.share_high
        assert low <= weights[criterion] / weights.sum() <= high
        for share in np.linspace(low, high, 7)[1:-1]:
            assert interval.row in in_top(levels, weights, criterion, share, top)
        if low > 1e-6:
            assert interval.row not in in_top(levels, weights, criterion, low - 1e-6, top)
        if high < 1 - 1e-6:
            assert interval.row not in in_top(levels, weights, criterion, high + 1e-6, top)
