import numpy as np
import pytest

from portfolio.ahp import RANDOM_INDEX, SAATY_SCALE, ahp_weights, reciprocal_matrix

PUBLISHED_TOLERANCE = 0.005

# Saaty (1990), "How to make a decision: the Analytic Hierarchy Process", EJOR 48, 9-26,
# choosing a house (also in Saaty 1980, ch. 2): the eight criteria are size of house,
# transportation, neighbourhood, age of house, yard space, modern facilities, general condition
# and financing.
HOUSE_CRITERIA = [
    [1, 5, 3, 7, 6, 6, 1 / 3, 1 / 4],
    [1 / 5, 1, 1 / 3, 5, 3, 3, 1 / 5, 1 / 7],
    [1 / 3, 3, 1, 6, 3, 4, 6, 1 / 5],
    [1 / 7, 1 / 5, 1 / 6, 1, 1 / 3, 1 / 4, 1 / 7, 1 / 8],
    [1 / 6, 1 / 3, 1 / 3, 3, 1, 1 / 2, 1 / 5, 1 / 6],
    [1 / 6, 1 / 3, 1 / 4, 4, 2, 1, 1 / 5, 1 / 6],
    [3, 5, 1 / 6, 7, 5, 5, 1, 1 / 2],
    [4, 7, 5, 8, 6, 6, 2, 1],
]


def test_saatys_house_criteria_give_the_published_weights_and_consistency():
    """Saaty (1990), EJOR 48, p. 15: priorities .173 .054 .188 .018 .031 .036 .167 .333,
    lambda_max 9.669, C.I. 0.238, C.R. 0.169 (inconsistent: above 0.10)."""
    result = ahp_weights(HOUSE_CRITERIA)

    published = [0.173, 0.054, 0.188, 0.018, 0.031, 0.036, 0.167, 0.333]
    assert result.weights == pytest.approx(published, abs=PUBLISHED_TOLERANCE)
    assert result.lambda_max == pytest.approx(9.669, abs=PUBLISHED_TOLERANCE)
    assert result.consistency_index == pytest.approx(0.238, abs=PUBLISHED_TOLERANCE)
    assert result.consistency_ratio == pytest.approx(0.169, abs=PUBLISHED_TOLERANCE)
    assert not result.is_consistent


def test_saatys_house_sizes_give_the_published_weights_and_consistency():
    """Saaty (1990), EJOR 48, p. 16, houses A, B, C compared on size of house:
    priorities .754 .181 .065, lambda_max 3.136, C.I. 0.068, C.R. 0.117."""
    matrix = reciprocal_matrix(3, {(0, 1): 6, (0, 2): 8, (1, 2): 4})

    result = ahp_weights(matrix)

    assert result.weights == pytest.approx([0.754, 0.181, 0.065], abs=PUBLISHED_TOLERANCE)
    assert result.lambda_max == pytest.approx(3.136, abs=PUBLISHED_TOLERANCE)
    assert result.consistency_index == pytest.approx(0.068, abs=PUBLISHED_TOLERANCE)
    assert result.consistency_ratio == pytest.approx(0.117, abs=PUBLISHED_TOLERANCE)
    assert not result.is_consistent


def test_a_perfectly_consistent_matrix_gives_the_ratios_and_zero_inconsistency():
    true_weights = np.array([4.0, 2.0, 1.0, 1.0])
    matrix = true_weights[:, None] / true_weights[None, :]

    result = ahp_weights(matrix)

    assert result.weights == pytest.approx([0.5, 0.25, 0.125, 0.125], abs=1e-12)
    assert result.lambda_max == pytest.approx(4.0, abs=1e-9)
    assert result.consistency_ratio == 0.0
    assert result.is_consistent


def test_judgements_fill_the_reciprocal_and_missing_pairs_count_as_equal():
    matrix = reciprocal_matrix(3, {(0, 1): 3, (1, 2): 1 / 5})

    expected = [[1, 3, 1], [1 / 3, 1, 1 / 5], [1, 5, 1]]
    assert np.allclose(matrix, expected, rtol=0, atol=1e-12)


def test_no_judgements_at_all_give_equal_weights():
    result = ahp_weights(reciprocal_matrix(5, {}))

    assert result.weights == pytest.approx([0.2] * 5, abs=1e-12)
    assert result.consistency_ratio == 0.0


def test_one_or_two_items_are_consistent_by_definition():
    assert ahp_weights([[1.0]]).weights == (1.0,)
    two = ahp_weights(reciprocal_matrix(2, {(0, 1): 9}))
    assert two.weights == pytest.approx([0.9, 0.1], abs=1e-12)
    assert two.consistency_ratio == 0.0
    assert two.is_consistent


def test_a_mildly_inconsistent_matrix_is_still_acceptable():
    # 1 > 2 by 3 and 2 > 3 by 3 would make 1 > 3 by 9; judging 5 is off, but within 10%.
    result = ahp_weights(reciprocal_matrix(3, {(0, 1): 3, (1, 2): 3, (0, 2): 5}))

    assert 0 < result.consistency_ratio <= 0.10
    assert result.is_consistent
    assert result.weights[0] > result.weights[1] > result.weights[2]


@pytest.mark.parametrize(
    ("matrix", "message"),
    [
        ([[1, 2, 3], [0.5, 1, 4]], "square"),
        ([[1, -2], [-0.5, 1]], "positive"),
        ([[1, 0], [0, 1]], "positive"),
        ([[1, float("nan")], [1, 1]], "positive"),
        ([[1, 3], [3, 1]], "reciprocal"),
        ([[2, 1], [1, 1]], "reciprocal"),
        (np.ones((16, 16)), "at most 15"),
    ],
)
def test_bad_matrices_are_refused_with_a_clear_message(matrix, message):
    with pytest.raises(ValueError, match=message):
        ahp_weights(matrix)


@pytest.mark.parametrize(
    "judgements", [{(1, 0): 3}, {(0, 0): 3}, {(0, 3): 3}, {(0, 1): 0}, {(0, 1): -3}]
)
def test_bad_judgements_are_refused(judgements):
    with pytest.raises(ValueError):
        reciprocal_matrix(3, judgements)


def test_the_scale_runs_from_one_ninth_to_nine_and_is_closed_under_reciprocals():
    assert len(SAATY_SCALE) == 17
    assert SAATY_SCALE[0] == pytest.approx(1 / 9)
    assert SAATY_SCALE[-1] == 9
    assert list(SAATY_SCALE) == sorted(SAATY_SCALE)
    assert sorted(1 / v for v in SAATY_SCALE) == pytest.approx(list(SAATY_SCALE))


def test_the_random_index_covers_up_to_fifteen_items():
    assert sorted(RANDOM_INDEX) == list(range(1, 16))
    assert RANDOM_INDEX[3] == 0.58
    assert RANDOM_INDEX[8] == 1.41
