"""Criteria weights from pairwise comparisons: Saaty's Analytic Hierarchy Process (AHP).

A PMO compares criteria two at a time ("strategic fit is 3 times as important as risk"),
and the principal eigenvector of the comparison matrix gives the weights. The consistency
ratio says whether the judgements hang together well enough to trust those weights.

References: T. L. Saaty, *The Analytic Hierarchy Process*, McGraw-Hill, 1980;
T. L. Saaty, "How to make a decision: the Analytic Hierarchy Process",
European Journal of Operational Research 48 (1990) 9-26.
"""

from dataclasses import dataclass

import numpy as np

# Saaty's random consistency index: the mean consistency index of random reciprocal matrices
# of order n (Saaty 1980). Orders 1 and 2 are always consistent, hence 0.
RANDOM_INDEX: dict[int, float] = {
    1: 0.0,
    2: 0.0,
    3: 0.58,
    4: 0.90,
    5: 1.12,
    6: 1.24,
    7: 1.32,
    8: 1.41,
    9: 1.45,
    10: 1.49,
    11: 1.51,
    12: 1.48,
    13: 1.56,
    14: 1.57,
    15: 1.59,
}

# The fundamental scale: 1 equal, 3 moderate, 5 strong, 7 very strong, 9 extreme importance
# (2, 4, 6, 8 in between), and the reciprocals for the other direction of the comparison.
SAATY_SCALE: tuple[float, ...] = tuple(1 / v for v in range(9, 1, -1)) + tuple(
    float(v) for v in range(1, 10)
)

# Saaty's threshold: above 10% the judgements should be revised.
CONSISTENCY_THRESHOLD = 0.10

_RECIPROCAL_TOLERANCE = 1e-6


@dataclass(frozen=True)
class AhpResult:
    """The weights derived from a comparison matrix and how consistent the judgements were.

    `consistency_ratio` is 0.0 for one or two items: such a matrix cannot be inconsistent.
    """

    weights: tuple[float, ...]
    lambda_max: float
    consistency_index: float
    consistency_ratio: float | None

    @property
    def is_consistent(self) -> bool:
        """True when the consistency ratio is within Saaty's 10% threshold."""
        return self.consistency_ratio is not None and (
            self.consistency_ratio <= CONSISTENCY_THRESHOLD
        )


def reciprocal_matrix(n: int, judgements: dict[tuple[int, int], float]) -> np.ndarray:
    """Build the full n x n comparison matrix from the judgements above the diagonal.

    `judgements[(i, j)]` with i < j says how many times item i matters more than item j.
    A pair without a judgement counts as equal importance (1).
    """
    if n < 1:
        raise ValueError(f"A comparison matrix needs at least one item, got {n}.")
    matrix = np.ones((n, n))
    for (i, j), value in judgements.items():
        if not (0 <= i < j < n):
            raise ValueError(
                f"Judgement ({i}, {j}) must compare item i with a later item j, "
                f"both between 0 and {n - 1}."
            )
        if not (np.isfinite(value) and value > 0):
            raise ValueError(f"Judgement ({i}, {j}) must be a positive number, got {value}.")
        matrix[i, j] = value
        matrix[j, i] = 1 / value
    return matrix


def _validate(matrix: np.ndarray) -> None:
    if matrix.ndim != 2 or matrix.shape[0] != matrix.shape[1]:
        raise ValueError(f"A comparison matrix must be square, got shape {matrix.shape}.")
    n = matrix.shape[0]
    if n < 1:
        raise ValueError("A comparison matrix needs at least one item.")
    if n > max(RANDOM_INDEX):
        raise ValueError(
            f"AHP compares at most {max(RANDOM_INDEX)} items at once, got {n}: "
            "group the criteria and compare within each group."
        )
    if not np.all(np.isfinite(matrix)) or np.any(matrix <= 0):
        raise ValueError("Every entry of a comparison matrix must be a positive number.")
    if not np.allclose(matrix * matrix.T, 1.0, rtol=_RECIPROCAL_TOLERANCE, atol=0):
        raise ValueError(
            "A comparison matrix must be reciprocal: a[j][i] = 1 / a[i][j] and 1 on the diagonal."
        )


def ahp_weights(matrix) -> AhpResult:
    """Weights (summing to 1) and consistency of a positive reciprocal comparison matrix.

    The weights are the principal right eigenvector; CI = (lambda_max - n) / (n - 1) and
    CR = CI / RI[n].
    """
    matrix = np.asarray(matrix, dtype=float)
    _validate(matrix)
    n = matrix.shape[0]
    eigenvalues, eigenvectors = np.linalg.eig(matrix)
    principal = int(np.argmax(eigenvalues.real))
    lambda_max = float(eigenvalues[principal].real)
    # The Perron vector of a positive matrix has entries of one sign; eig may return it negated.
    vector = np.abs(eigenvectors[:, principal].real)
    weights = vector / vector.sum()
    if n <= 2:
        consistency_index = 0.0
        consistency_ratio = 0.0
    else:
        # lambda_max >= n in exact arithmetic; clamp the rounding noise of consistent matrices.
        consistency_index = max(0.0, (lambda_max - n) / (n - 1))
        consistency_ratio = consistency_index / RANDOM_INDEX[n]
    return AhpResult(
        weights=tuple(float(w) for w in weights),
        lambda_max=lambda_max,
        consistency_index=consistency_index,
        consistency_ratio=consistency_ratio,
    )
