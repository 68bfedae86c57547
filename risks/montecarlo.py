"""Monte Carlo simulation of the cost and schedule a set of risks may add: pure numpy.

Each iteration asks of every risk: does it happen (with its probability), and if so how much does
it cost and delay (drawn from its triangular or PERT distribution between minimum, most likely
and maximum)? The totals over 10,000 iterations give the reserve that covers 50%, 80% or 90% of
outcomes (P50, P80, P90).

How it is made fast and bounded in memory:

- One uniform number per risk and iteration decides both: the risk happens when u < p, and then
  u / p is again uniform on [0, 1), so it also picks the impact (by the inverse of the
  distribution). Cost and schedule impacts of a risk use the same number: a worse event both
  costs more and lasts longer (they are fully correlated within a risk, independent between
  risks).
- The uniform numbers are 16-bit integers, four from each 64-bit draw of the generator, and their
  top LEVEL_BITS bits pick one of LEVELS equally likely slices of [0, 1). For each risk a table
  gives the impact of every slice (zero for the slices above its probability), so an iteration's
  draw for a risk is one table look-up. A probability is thereby applied to the nearest 1/LEVELS
  (0.05%), and an impact is the value at the middle of its slice.
- Risks are handled RISKS_PER_BLOCK at a time and iterations ITERATIONS_PER_BLOCK at a time, so
  the working memory is a few megabytes whatever the number of risks; the blocks are spread over
  STRIPES independent random streams, which threads work through side by side (numpy releases
  the interpreter lock). The same seed and risks give the same result on any number of threads.
"""

import os
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from functools import cache

import numpy as np

ITERATIONS = 10_000
PERCENTILES = (50, 80, 90)
LEVEL_BITS = 11
LEVELS = 1 << LEVEL_BITS
RISKS_PER_BLOCK = 32  # RISKS_PER_BLOCK * LEVELS must fit the 16-bit table index
ITERATIONS_PER_BLOCK = 1024
STRIPES = 8
SHAPES = 201  # quantile rows per distribution: the mode's position in steps of 0.5%
QUANTILES = 4096  # quantiles per row

assert RISKS_PER_BLOCK * LEVELS <= 1 << 16


def distribution_mean(minimum: float, likely: float, maximum: float, *, pert: bool) -> float:
    """The mean of a triangular ((a + m + b) / 3) or PERT ((a + 4m + b) / 6) distribution."""
    if pert:
        return (minimum + 4 * likely + maximum) / 6
    return (minimum + likely + maximum) / 3


def pert_shape(minimum: float, likely: float, maximum: float) -> tuple[float, float]:
    """The beta parameters of a PERT distribution (lambda = 4): alpha = 1 + 4 (m - a) / (b - a),
    beta = 1 + 4 (b - m) / (b - a)."""
    span = maximum - minimum
    if span <= 0:
        return 3.0, 3.0
    return 1 + 4 * (likely - minimum) / span, 1 + 4 * (maximum - likely) / span


@cache
def standard_quantile_rows() -> np.ndarray:
    """Quantiles of the standard triangular (rows 0 to SHAPES - 1) and PERT (rows SHAPES to
    2 SHAPES - 1) distributions on [0, 1], as float32: row k for the mode at k / (SHAPES - 1),
    column j for the probability (j + 0.5) / QUANTILES.

    Triangular quantiles are in closed form; the beta density of PERT is integrated
    numerically on a fine grid and its cumulative distribution inverted by interpolation:
    numpy only, a few milliseconds, once per process.
    """
    modes = np.linspace(0.0, 1.0, SHAPES)[:, None]
    w = ((np.arange(QUANTILES) + 0.5) / QUANTILES)[None, :]
    triangular = np.where(w < modes, np.sqrt(w * modes), 1 - np.sqrt((1 - w) * (1 - modes)))
    x = np.linspace(0.0, 1.0, 16385)
    alpha, beta = 1 + 4 * modes, 1 + 4 * (1 - modes)
    with np.errstate(divide="ignore", invalid="ignore"):
        density = np.exp((alpha - 1) * np.log(x) + (beta - 1) * np.log1p(-x))
    density = np.nan_to_num(density, nan=0.0, posinf=0.0)
    steps = (density[:, 1:] + density[:, :-1]) / 2 * np.diff(x)
    cumulative = np.concatenate([np.zeros((SHAPES, 1)), np.cumsum(steps, axis=1)], axis=1)
    cumulative /= cumulative[:, -1:]
    pert = np.stack([np.interp(w[0], row, x) for row in cumulative])
    return np.concatenate([triangular, pert]).astype(np.float32)


@dataclass(frozen=True)
class RiskInputs:
    """The risks to simulate, one entry per risk: probability in [0, 1], cost and schedule
    minimum / most likely / maximum, and whether the impact is PERT (else triangular)."""

    probability: np.ndarray
    cost_min: np.ndarray
    cost_likely: np.ndarray
    cost_max: np.ndarray
    schedule_min: np.ndarray
    schedule_likely: np.ndarray
    schedule_max: np.ndarray
    pert: np.ndarray

    @classmethod
    def from_rows(cls, rows) -> "RiskInputs":
        """From (probability, cost_min, cost_likely, cost_max, schedule_min, schedule_likely,
        schedule_max, pert) tuples."""
        columns = list(zip(*rows, strict=True)) if rows else [()] * 8
        floats = [np.asarray(column, dtype=np.float64) for column in columns[:7]]
        return cls(*floats, pert=np.asarray(columns[7], dtype=bool))

    def __len__(self) -> int:
        return len(self.probability)


def _impact_table(inputs: RiskInputs, risks: slice) -> np.ndarray:
    """The look-up table of a block of risks: entry [risk * LEVELS + slice] holds the cost (real
    part) and delay (imaginary part) when the draw falls in that slice, zero above the risk's
    probability. Cost and delay travel as one complex64 so that one gather fetches both. A
    short last block is padded with risks that never happen.

    Only the slices up to the block's highest probability are worked out: the risks are sorted
    by probability (see simulate), so a block's probabilities are alike and the rest is zero.
    """
    pad = RISKS_PER_BLOCK - (risks.stop - risks.start)

    def column(values: np.ndarray) -> np.ndarray:
        padded = np.concatenate([values[risks].astype(np.float64), np.zeros(pad)])
        return padded[:, None]

    happens = np.rint(np.clip(column(inputs.probability), 0, 1) * LEVELS)
    table = np.zeros((RISKS_PER_BLOCK, LEVELS), dtype=np.complex64)
    width = int(happens.max())
    if width == 0:
        return table.ravel()
    middles = (np.arange(width, dtype=np.float32) + np.float32(0.5))[None, :]
    # The quantile column of each slice: its share of the way through the risk's slices.
    position = middles * (QUANTILES / np.maximum(happens, 1)).astype(np.float32)
    np.minimum(position, QUANTILES - 1, out=position)
    quantile_column = position.astype(np.int32)
    occurred = (middles < happens).astype(np.float32)
    pert_rows = column(inputs.pert) * SHAPES
    rows = standard_quantile_rows().ravel()
    for part, (low, likely, high) in (
        ("real", (inputs.cost_min, inputs.cost_likely, inputs.cost_max)),
        ("imag", (inputs.schedule_min, inputs.schedule_likely, inputs.schedule_max)),
    ):
        a, m, b = column(low), column(likely), column(high)
        span = b - a
        mode = np.divide(m - a, span, out=np.full_like(span, 0.5), where=span > 0)
        row = pert_rows + np.rint(np.clip(mode, 0, 1) * (SHAPES - 1))
        index = quantile_column + (row * QUANTILES).astype(np.int32)
        impact = np.take(rows, index)
        impact *= span.astype(np.float32)
        impact += a.astype(np.float32)
        impact *= occurred
        getattr(table[:, :width], part)[:] = impact
    return table.ravel()


def _run_stripe(inputs: RiskInputs, stripe: int, iterations: int, seed: int):
    """Cost and schedule totals per iteration of the blocks of risks that fall to `stripe`."""
    generator = np.random.SFC64(np.random.SeedSequence(entropy=seed, spawn_key=(stripe,)))
    totals = np.zeros(iterations, dtype=np.complex128)
    offsets = (np.arange(RISKS_PER_BLOCK, dtype=np.uint16) << LEVEL_BITS)[:, None]
    index = np.empty((RISKS_PER_BLOCK, ITERATIONS_PER_BLOCK), dtype=np.uint16)
    drawn = np.empty((RISKS_PER_BLOCK, ITERATIONS_PER_BLOCK), dtype=np.complex64)
    shift = 16 - LEVEL_BITS
    for start in range(stripe * RISKS_PER_BLOCK, len(inputs), STRIPES * RISKS_PER_BLOCK):
        table = _impact_table(inputs, slice(start, min(start + RISKS_PER_BLOCK, len(inputs))))
        for first in range(0, iterations, ITERATIONS_PER_BLOCK):
            columns = min(ITERATIONS_PER_BLOCK, iterations - first)
            words = -(-columns * RISKS_PER_BLOCK // 4)
            bits = generator.random_raw(words).view(np.uint16)[: columns * RISKS_PER_BLOCK]
            idx, out = index[:, :columns], drawn[:, :columns]
            np.right_shift(bits.reshape(RISKS_PER_BLOCK, columns), shift, out=idx)
            np.bitwise_or(idx, offsets, out=idx)
            np.take(table, idx, out=out, mode="clip")
            totals[first : first + columns] += np.add.reduce(out, axis=0)
    return totals


@dataclass(frozen=True)
class SimulationResult:
    """The simulated totals: cost and schedule impact of each iteration."""

    cost: np.ndarray
    schedule: np.ndarray
    seed: int
    risk_count: int

    @property
    def iterations(self) -> int:
        return len(self.cost)

    def cost_percentiles(self, percents=PERCENTILES) -> dict[int, float]:
        return _percentiles(self.cost, percents)

    def schedule_percentiles(self, percents=PERCENTILES) -> dict[int, float]:
        return _percentiles(self.schedule, percents)


def _percentiles(samples: np.ndarray, percents) -> dict[int, float]:
    if not len(samples):
        return {percent: 0.0 for percent in percents}
    values = np.percentile(samples, percents)
    return {percent: float(value) for percent, value in zip(percents, values, strict=True)}


def simulate(
    inputs: RiskInputs,
    *,
    iterations: int = ITERATIONS,
    seed: int = 1,
    workers: int | None = None,
) -> SimulationResult:
    """Simulate the risks' total cost and schedule impact `iterations` times; the same seed
    gives the same result."""
    if iterations < 1:
        raise ValueError("iterations must be at least 1")
    workers = workers or min(STRIPES, os.cpu_count() or 1)
    if len(inputs) == 0:
        empty = np.zeros(iterations)
        return SimulationResult(empty, empty.copy(), seed, 0)
    # Sorted by probability, each block of risks needs its table only up to a similar height.
    order = np.argsort(inputs.probability, kind="stable")
    inputs = RiskInputs(*(np.asarray(values)[order] for values in vars(inputs).values()))
    stripes = range(min(STRIPES, -(-len(inputs) // RISKS_PER_BLOCK)))
    if workers == 1 or len(stripes) == 1:
        parts = [_run_stripe(inputs, stripe, iterations, seed) for stripe in stripes]
    else:
        with ThreadPoolExecutor(max_workers=workers) as pool:
            parts = list(
                pool.map(lambda stripe: _run_stripe(inputs, stripe, iterations, seed), stripes)
            )
    # Added in stripe order, so the sums do not depend on which thread finished first.
    totals = np.sum(parts, axis=0)
    return SimulationResult(totals.real.copy(), totals.imag.copy(), seed, len(inputs))


def histogram(samples: np.ndarray, bins: int = 30) -> dict:
    """Bin edges' midpoints and the share of iterations (%) in each bin, for a bar chart."""
    if not len(samples) or float(np.ptp(samples)) == 0.0:
        value = float(samples[0]) if len(samples) else 0.0
        return {"centres": [value], "shares": [100.0]}
    counts, edges = np.histogram(samples, bins=bins)
    centres = (edges[:-1] + edges[1:]) / 2
    shares = counts * 100.0 / len(samples)
    return {"centres": centres.round(2).tolist(), "shares": shares.round(3).tolist()}


def s_curve(samples: np.ndarray, points: int = 41) -> dict:
    """The cumulative distribution: the value below which each share (0-100%) of iterations
    fall, for a line chart."""
    shares = np.linspace(0, 100, points)
    values = np.percentile(samples, shares) if len(samples) else np.zeros(points)
    return {"values": values.round(2).tolist(), "shares": shares.round(1).tolist()}
