"""Which projects to fund: the most value within budgets and capacities (a 0/1 knapsack).

Each candidate is in (1) or out (0). The model maximises the summed value subject to the
total budget, the yearly budgets, the capacity of each role, the projects the PMO forces in
or out, dependencies (a only with b) and mutually exclusive alternatives. It is solved with
the HiGHS mixed-integer solver through `scipy.optimize.milp`, asked for a proven optimum within a
time limit. "Proven optimal" has the meaning every mixed-integer solver gives it: the solver has
shown that no selection within the limits is worth more than `OPTIMALITY_GAP` (0.01%) above the
one returned (on small portfolios: none is worth more at all); `gap` says how close the proof
came.

Before the solver sees the model, its linear relaxation fixes most candidates: the relaxation's
dual prices give a bound on the value of any selection that takes (or leaves) a candidate, and
where that bound is worse than a selection already in hand, no optimal selection can do so.
The solver then only decides among the few candidates near the margin. This is exact (the
bound is recomputed from the prices, so it does not rest on the relaxation's tolerances) and
turns seconds of presolve on a 5,000-candidate budget row into a fraction of one.

Several tight limits at once (say ten role capacities and five yearly budgets) make the problem
a multi-dimensional knapsack, whose last fraction of a value point can take far longer to prove
than to find: hence the tolerance. Should the time limit stop the search before even that is
shown, the best selection found is returned with `optimal` False and its `gap` to the best value
still possible.

Ties: two selections whose values differ by less than `TIE_TOLERANCE` times the largest
candidate value count as equally good, and the cheaper one is chosen.

Infeasible limits are explained before solving wherever the reason can be named (the forced
selection alone breaks a limit, and so on) as `Problem` objects with a machine code for the web
layer to translate and a plain English sentence.
"""

import math
import time
import warnings
from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass, field, replace

import numpy as np
from scipy import sparse
from scipy.optimize import Bounds, LinearConstraint, linprog, milp

# Relative size of the cost tie-break in the objective; far below the 0.01 resolution of scores.
TIE_TOLERANCE = 1e-5

# The optimality tolerance: the solver's proof stops once the best value still possible is within
# this fraction of the selection in hand (the default of HiGHS, Gurobi and CPLEX). On 5,000
# candidates under sixteen limits that is about a tenth of one project's score; a proof down to
# zero can take hours there and would not change a decision. Up to `EXACT_UP_TO` candidates the
# proof goes down to zero, which takes a moment there, so that ties are always settled by cost.
OPTIMALITY_GAP = 1e-4
EXACT_UP_TO = 300

# The heuristic that finds a near-optimal selection first decides this many candidates, those
# nearest the margin, in at most this many seconds (and a quarter of the caller's time limit).
CORE_SIZE = 300
CORE_TIME_LIMIT = 0.6

# Without a time limit a hard instance could keep a request busy for hours: these are used
# when the caller gives none (pass math.inf for no limit).
DEFAULT_TIME_LIMIT = 10.0
DEFAULT_FRONTIER_TIME_LIMIT = 15.0  # for all the points together

# A limit used within this fraction of itself (or 1e-9 absolute) counts as fully used.
_USAGE_TOLERANCE = 1e-9


@dataclass(frozen=True)
class Candidate:
    """A project that may be selected: its value, its cost and what it needs from the limits."""

    key: Hashable
    value: float
    cost: float
    cost_by_year: Mapping[int, float] = field(default_factory=dict)
    demand_by_role: Mapping[Hashable, float] = field(default_factory=dict)


@dataclass(frozen=True)
class Limits:
    """What a selection must respect. `dependencies` pairs (a, b) mean: a only if b."""

    budget: float | None = None
    budget_by_year: Mapping[int, float] = field(default_factory=dict)
    capacity_by_role: Mapping[Hashable, float] = field(default_factory=dict)
    forced_in: frozenset = frozenset()
    forced_out: frozenset = frozenset()
    dependencies: tuple[tuple[Hashable, Hashable], ...] = ()
    exclusive_groups: tuple[frozenset, ...] = ()


@dataclass(frozen=True)
class LimitUsage:
    """How much of one limit a selection uses.

    `binding` means the limit held the selection back: it is used up (to within a tiny
    tolerance), or some deferred candidate with positive value that could otherwise join
    (not forced out, prerequisites selected, no rival of its exclusive group selected) would
    break this limit if added on its own.
    """

    kind: str  # "budget", "budget_year" or "capacity"
    key: Hashable | None  # the year or the role; None for the total budget
    limit: float
    used: float
    binding: bool


@dataclass(frozen=True)
class Problem:
    """Why no selection is possible: a code and its figures for a translated message."""

    code: str
    params: dict

    @property
    def message(self) -> str:
        """The reason as a plain English sentence (the web layer translates by `code`)."""
        return _MESSAGES[self.code].format(**self.params)

    def __str__(self) -> str:
        return self.message


_MESSAGES = {
    "unknown_candidate": "{key!r} is named in the limits but is not a candidate.",
    "forced_in_and_out": "{key!r} is both forced in and forced out.",
    "forced_needs_excluded": "{key!r} is forced in but needs {requires!r}, which is forced out.",
    "forced_conflict_exclusive": (
        "{keys!r} are forced in (or needed by forced projects) but are mutually exclusive."
    ),
    "forced_over_budget": (
        "The forced projects and their prerequisites cost {cost:,.2f}, over the budget of "
        "{budget:,.2f}."
    ),
    "forced_over_year_budget": (
        "In {year} the forced projects and their prerequisites cost {cost:,.2f}, over that "
        "year's budget of {budget:,.2f}."
    ),
    "forced_over_capacity": (
        "The forced projects and their prerequisites need {demand:,.2f} of {role!r}, over its "
        "capacity of {capacity:,.2f}."
    ),
    "solver_infeasible": "The solver found no selection that respects every limit.",
    "solver_no_solution": "The solver stopped without a selection: {reason}",
}


@dataclass(frozen=True)
class Selection:
    """The chosen candidates and how they use the limits; why not, when infeasible.

    When infeasible, nothing is selected, `usage` is empty and `problems` says why.
    """

    feasible: bool
    selected: tuple  # keys, in input order
    deferred: tuple  # keys not selected, in input order
    total_value: float
    total_cost: float
    usage: tuple[LimitUsage, ...]
    problems: tuple[Problem, ...]
    optimal: bool  # proven optimum
    solve_seconds: float
    # How far the value might be below the best possible, relative (0 when proven optimal).
    gap: float = 0.0


@dataclass(frozen=True)
class FrontierPoint:
    """The best selection for one total budget (`optimal` False: best found in the time)."""

    budget: float
    value: float
    cost: float
    selected: tuple
    optimal: bool = True


@dataclass(frozen=True)
class _Row:
    """One resource limit of the model: what it is and its upper bound."""

    kind: str
    key: Hashable | None
    limit: float


@dataclass
class _Model:
    """The matrices of one instance, built once and solved for one or more budgets."""

    keys: list
    values: np.ndarray
    costs: np.ndarray
    objective: np.ndarray
    lower: np.ndarray
    upper: np.ndarray
    # Resource rows (budget, years, roles): dense rows x candidates, for usage too.
    rows: list[_Row]
    usage_matrix: np.ndarray
    # Structural rows (dependencies, exclusive groups) as a sparse matrix with upper bounds.
    structure: sparse.csr_array
    structure_upper: np.ndarray
    dependencies: list[tuple[int, int]]
    groups: list[list[int]]


@dataclass(frozen=True)
class _Solved:
    """What one solve found, before it is turned into keys."""

    chosen: np.ndarray  # bool per candidate
    optimal: bool
    gap: float
    seconds: float


def select(
    candidates: Sequence[Candidate], limits: Limits, *, time_limit: float | None = None
) -> Selection:
    """The selection of the highest total value that respects every limit.

    `time_limit` in seconds, DEFAULT_TIME_LIMIT when None; when it stops the search, the best
    selection found comes back with `optimal` False.
    """
    model, problems = _build(candidates, limits)
    if problems:
        return _infeasible(model, problems, 0.0)
    solved = _solve(model, _resource_upper(model), _or_default(time_limit, DEFAULT_TIME_LIMIT))
    if isinstance(solved, Problem):
        return _infeasible(model, (solved,), 0.0)
    chosen = solved.chosen
    return Selection(
        feasible=True,
        selected=tuple(k for k, x in zip(model.keys, chosen, strict=True) if x),
        deferred=tuple(k for k, x in zip(model.keys, chosen, strict=True) if not x),
        total_value=float(model.values[chosen].sum()),
        total_cost=float(model.costs[chosen].sum()),
        usage=_usage(model, chosen),
        problems=(),
        optimal=solved.optimal,
        solve_seconds=solved.seconds,
        gap=solved.gap,
    )


def efficient_frontier(
    candidates: Sequence[Candidate],
    limits: Limits,
    *,
    points: int = 20,
    time_limit: float | None = None,
) -> list[FrontierPoint]:
    """The best value at `points` total budgets, evenly spaced, other limits kept.

    From the cheapest feasible selection (the forced projects and their prerequisites) to the
    cost of every candidate, so that the value of going beyond the budget limit shows too.
    Empty when even that cheapest selection breaks another limit (`select` says why).
    `time_limit` is for all the points together (DEFAULT_FRONTIER_TIME_LIMIT when None).
    """
    if points < 1:
        raise ValueError("The frontier needs at least one point.")
    model, problems = _build(candidates, replace(limits, budget=None), with_budget_row=True)
    if problems:
        return []
    lowest = float(model.costs[model.lower > 0].sum())
    highest = float(model.costs.sum())
    upper = _resource_upper(model)
    deadline = time.perf_counter() + _or_default(time_limit, DEFAULT_FRONTIER_TIME_LIMIT)
    frontier: list[FrontierPoint] = []
    best: np.ndarray | None = None
    for number, budget in enumerate(np.linspace(lowest, highest, points)):
        upper[0] = budget
        # An even share of the time left, so that one slow point does not starve the rest.
        share = (deadline - time.perf_counter()) / (points - number)
        # The previous point's selection fits the larger budget: a head start for this one.
        solved = _solve(model, upper, share, incumbent=best)
        if isinstance(solved, Problem):
            continue
        chosen, optimal = solved.chosen, solved.optimal
        # Never report less value than the last point (a time limit could otherwise).
        if best is not None and model.values[chosen].sum() < model.values[best].sum():
            chosen, optimal = best, False
        best = chosen
        frontier.append(
            FrontierPoint(
                budget=float(budget),
                value=float(model.values[chosen].sum()),
                cost=float(model.costs[chosen].sum()),
                selected=tuple(k for k, x in zip(model.keys, chosen, strict=True) if x),
                optimal=optimal,
            )
        )
    return frontier


def _or_default(time_limit: float | None, default: float) -> float:
    return default if time_limit is None else time_limit


def _check_number(name: str, number: float, *, non_negative: bool) -> None:
    if not math.isfinite(number) or (non_negative and number < 0):
        wanted = "a number of zero or more" if non_negative else "a finite number"
        raise ValueError(f"{name} must be {wanted}, got {number!r}.")


def _validate(candidates: Sequence[Candidate], limits: Limits) -> None:
    """Bad data (not infeasible limits) is a programming error: raise."""
    seen = set()
    for c in candidates:
        if c.key in seen:
            raise ValueError(f"Candidate {c.key!r} appears twice.")
        seen.add(c.key)
        _check_number(f"The value of {c.key!r}", c.value, non_negative=False)
        _check_number(f"The cost of {c.key!r}", c.cost, non_negative=True)
        for year, cost in c.cost_by_year.items():
            _check_number(f"The {year} cost of {c.key!r}", cost, non_negative=True)
        for role, demand in c.demand_by_role.items():
            _check_number(f"The demand of {c.key!r} for {role!r}", demand, non_negative=True)
    if limits.budget is not None:
        _check_number("The budget", limits.budget, non_negative=False)
    for year, budget in limits.budget_by_year.items():
        _check_number(f"The {year} budget", budget, non_negative=False)
    for role, capacity in limits.capacity_by_role.items():
        _check_number(f"The capacity of {role!r}", capacity, non_negative=False)


def _build(
    candidates: Sequence[Candidate], limits: Limits, *, with_budget_row: bool = False
) -> tuple[_Model, tuple[Problem, ...]]:
    """The model of the instance and the problems that make it infeasible before solving."""
    _validate(candidates, limits)
    keys = [c.key for c in candidates]
    index = {key: i for i, key in enumerate(keys)}
    n = len(keys)
    values = np.array([c.value for c in candidates], dtype=float)
    costs = np.array([c.cost for c in candidates], dtype=float)

    rows: list[_Row] = []
    row_values: list[np.ndarray] = []
    if limits.budget is not None or with_budget_row:
        budget = float(limits.budget) if limits.budget is not None else math.inf
        rows.append(_Row("budget", None, budget))
        row_values.append(costs)
    for year in sorted(limits.budget_by_year):
        rows.append(_Row("budget_year", year, float(limits.budget_by_year[year])))
        row_values.append(np.array([c.cost_by_year.get(year, 0.0) for c in candidates]))
    for role, capacity in limits.capacity_by_role.items():
        rows.append(_Row("capacity", role, float(capacity)))
        row_values.append(np.array([c.demand_by_role.get(role, 0.0) for c in candidates]))
    usage_matrix = np.array(row_values, dtype=float).reshape(len(rows), n)

    problems: list[Problem] = []
    named = [*limits.forced_in, *limits.forced_out]
    named += [key for pair in limits.dependencies for key in pair]
    named += [key for group in limits.exclusive_groups for key in group]
    for key in dict.fromkeys(named):
        if key not in index:
            problems.append(Problem("unknown_candidate", {"key": key}))
    known = [(index[a], index[b]) for a, b in limits.dependencies if a in index and b in index]
    dependencies = [(a, b) for a, b in known if a != b]
    groups = [
        sorted(index[key] for key in group if key in index) for group in limits.exclusive_groups
    ]
    groups = [group for group in groups if len(group) > 1]

    forced_in = sorted(index[key] for key in limits.forced_in if key in index)
    forced_out = {index[key] for key in limits.forced_out if key in index}
    needed_by = _prerequisite_closure(forced_in, dependencies)
    lower = np.zeros(n)
    upper = np.ones(n)
    lower[list(needed_by)] = 1
    upper[list(forced_out)] = 0
    problems += _forced_problems(keys, needed_by, forced_out, groups, rows, usage_matrix)

    # Maximise value, i.e. minimise -value; a tie-break far below the values' resolution
    # prefers the cheaper of two equally valuable selections.
    scale = float(np.abs(values).max()) if n else 1.0
    tie_break = TIE_TOLERANCE * (scale or 1.0) * costs / (costs.sum() or 1.0)
    objective = -values + tie_break

    structure, structure_upper = _structure_rows(n, dependencies, groups)
    model = _Model(
        keys=keys,
        values=values,
        costs=costs,
        objective=objective,
        lower=lower,
        upper=upper,
        rows=rows,
        usage_matrix=usage_matrix,
        structure=structure,
        structure_upper=structure_upper,
        dependencies=dependencies,
        groups=groups,
    )
    return model, tuple(problems)


def _prerequisite_closure(forced: list[int], dependencies: list[tuple[int, int]]) -> dict:
    """Every candidate the forced ones need, transitively: {needed: the forced one needing it}."""
    prerequisites: dict[int, list[int]] = {}
    for a, b in dependencies:
        prerequisites.setdefault(a, []).append(b)
    # A forced candidate is its own reason even when another forced one needs it too.
    needed_by = {root: root for root in forced}
    for root in forced:
        stack = list(prerequisites.get(root, ()))
        while stack:
            item = stack.pop()
            if item in needed_by:
                continue
            needed_by[item] = root
            stack.extend(prerequisites.get(item, ()))
    return needed_by


def _forced_problems(keys, needed_by, forced_out, groups, rows, usage_matrix) -> list[Problem]:
    """The reasons the forced selection (with its prerequisites) alone is impossible."""
    problems = []
    for item in sorted(needed_by):
        if item not in forced_out:
            continue
        root = needed_by[item]
        if root == item:
            problems.append(Problem("forced_in_and_out", {"key": keys[item]}))
        else:
            problems.append(
                Problem("forced_needs_excluded", {"key": keys[root], "requires": keys[item]})
            )
    for group in groups:
        clash = [i for i in group if i in needed_by]
        if len(clash) > 1:
            problems.append(
                Problem("forced_conflict_exclusive", {"keys": [keys[i] for i in clash]})
            )
    mask = np.zeros(len(keys), dtype=bool)
    mask[list(needed_by)] = True
    for row, used in zip(rows, usage_matrix[:, mask].sum(axis=1), strict=True):
        if used <= row.limit + _tolerance(row.limit):
            continue
        if row.kind == "budget":
            params = {"cost": float(used), "budget": row.limit}
            problems.append(Problem("forced_over_budget", params))
        elif row.kind == "budget_year":
            params = {"year": row.key, "cost": float(used), "budget": row.limit}
            problems.append(Problem("forced_over_year_budget", params))
        else:
            params = {"role": row.key, "demand": float(used), "capacity": row.limit}
            problems.append(Problem("forced_over_capacity", params))
    return problems


def _structure_rows(n, dependencies, groups) -> tuple[sparse.csr_array, np.ndarray]:
    """x_a - x_b <= 0 for each dependency, sum(x) <= 1 for each exclusive group."""
    row_index, column_index, coefficient = [], [], []
    for row, (a, b) in enumerate(dependencies):
        row_index += [row, row]
        column_index += [a, b]
        coefficient += [1.0, -1.0]
    for offset, group in enumerate(groups):
        row = len(dependencies) + offset
        row_index += [row] * len(group)
        column_index += group
        coefficient += [1.0] * len(group)
    count = len(dependencies) + len(groups)
    matrix = sparse.csr_array(
        sparse.coo_array((coefficient, (row_index, column_index)), shape=(count, n))
    )
    upper = np.concatenate([np.zeros(len(dependencies)), np.ones(len(groups))])
    return matrix, upper


def _tolerance(limit: float) -> float:
    return _USAGE_TOLERANCE * max(1.0, abs(limit))


def _resource_upper(model: _Model) -> np.ndarray:
    return np.array([row.limit for row in model.rows], dtype=float)


def _solve(
    model: _Model,
    resource_upper: np.ndarray,
    time_limit: float,
    incumbent: np.ndarray | None = None,
) -> _Solved | Problem:
    """The best selection for the given limits of the resource rows.

    `incumbent`, a selection known to respect the limits, gives the search a head start.
    """
    started = time.perf_counter()
    n = len(model.keys)
    tolerance = _tolerance_for(n)
    if n == 0:
        return _Solved(np.zeros(0, dtype=bool), True, 0.0, 0.0)
    finite = np.isfinite(resource_upper)
    matrix = sparse.vstack(
        [sparse.csr_array(model.usage_matrix[finite]), model.structure], format="csr"
    )
    upper = np.concatenate([resource_upper[finite], model.structure_upper])
    cost = model.objective

    relaxed = linprog(
        cost,
        A_ub=matrix if upper.size else None,
        b_ub=upper if upper.size else None,
        bounds=np.column_stack([model.lower, model.upper]),
        method="highs",
    )
    if relaxed.status == 2:
        return Problem("solver_infeasible", {})
    if relaxed.status != 0:
        return _solve_whole(model, matrix, upper, time_limit, started)

    # Dual prices of the limits (<= 0 for these <= rows), clipped to be exactly valid.
    prices = np.minimum(relaxed.ineqlin.marginals, 0.0) if upper.size else np.zeros(0)
    reduced = cost - matrix.T @ prices
    # A bound on the objective of every selection within the limits (Lagrangian relaxation);
    # taking the candidate against its reduced cost's sign raises it by |reduced|.
    bound = prices @ upper + np.minimum(reduced * model.lower, reduced * model.upper).sum()

    best = _greedy(model, resource_upper, relaxed.x > 1 - 1e-6, order=np.argsort(reduced))
    if incumbent is not None and cost @ incumbent < cost @ best:
        best = incumbent
    best_objective = cost @ best
    if best_objective - bound > tolerance * abs(best_objective):
        core_time = min(CORE_TIME_LIMIT, time_limit / 4)
        core = _core_selection(model, matrix, upper, relaxed, reduced, core_time)
        if core is not None and cost @ core < best_objective:
            best, best_objective = core, cost @ core
    # What a selection must be worth above `best` to count as better: the optimality tolerance.
    allowed = tolerance * abs(best_objective)
    if best_objective - bound <= allowed:
        return _Solved(best, True, _gap(best_objective, bound), time.perf_counter() - started)
    # Rounding in the sums above, far below any difference in value that matters.
    margin = 1e-9 * (np.abs(prices) @ np.abs(upper) + np.abs(reduced).sum() + abs(bound) + 1)
    # A candidate whose other side cannot beat `best` by more than the tolerance is fixed.
    beaten = best_objective - allowed
    fixed = (model.lower < model.upper) & (bound + np.abs(reduced) > beaten + margin)
    lower, upper_bounds = model.lower.copy(), model.upper.copy()
    keep_one = fixed & (reduced < 0)
    keep_zero = fixed & (reduced > 0)
    lower[keep_one] = 1
    upper_bounds[keep_zero] = 0
    free = lower < upper_bounds

    if not free.any():
        proven = max(bound, beaten)
        return _Solved(best, True, _gap(best_objective, proven), time.perf_counter() - started)
    base = lower.copy()
    base[free] = 0
    base_objective = cost @ base
    remaining = max(0.05, time_limit - (time.perf_counter() - started))
    # The solver measures its gap against the free candidates' part of the value alone: allow
    # it the same margin in value points as the whole selection has.
    part = abs(best_objective - base_objective)
    part_gap = min(1.0, allowed / part) if part > 0 else tolerance
    # HiGHS's own `objective_bound`: search only selections that beat `best` by more than the
    # tolerance.
    result = _solve_part(
        cost, free, lower, upper_bounds, base, matrix, upper,
        {"mip_rel_gap": part_gap, "time_limit": remaining,
         "objective_bound": beaten - base_objective},
    )  # fmt: skip
    # Optimal, or infeasible: nothing beats `best` by more than the tolerance.
    solved = result.status in (0, 2)
    if result.x is not None:
        found = base > 0.5
        found[free] = result.x > 0.5
        if cost @ found <= best_objective:
            best = found
    best_objective = cost @ best
    dual_bound = result.get("mip_dual_bound")
    if dual_bound is not None and not np.isnan(dual_bound):
        bound = max(bound, min(base_objective + dual_bound, beaten))
    elif solved:
        bound = max(bound, beaten)
    gap = _gap(best_objective, bound)
    optimal = solved or gap <= tolerance
    return _Solved(best, optimal, gap, time.perf_counter() - started)


def _core_selection(model, matrix, upper, relaxed, reduced, time_limit) -> np.ndarray | None:
    """A selection within the limits, found by deciding only the candidates nearest the margin.

    The candidates with the smallest reduced costs (the "core") are left to the solver; the
    others keep their side in the relaxation. A heuristic that usually lands within a few value
    points of the optimum in a fraction of a second, so that the proof above needs no search.
    """
    n = len(model.keys)
    if time_limit <= 0 or n <= CORE_SIZE:
        return None
    open_ = model.lower < model.upper
    order = np.argsort(np.where(open_, np.abs(reduced), np.inf))
    core = np.zeros(n, dtype=bool)
    core[order[:CORE_SIZE]] = True
    core &= open_
    base = np.where(core, 0.0, np.where(open_, (relaxed.x > 0.5).astype(float), model.lower))
    # A limit that no core candidate touches must hold already (the solver never sees it).
    untouched = np.diff(matrix[:, np.nonzero(core)[0]].indptr) == 0
    if np.any((upper - matrix @ base)[untouched] < -1e-9):
        return None
    part = abs(relaxed.fun - model.objective @ base)
    # Half the tolerance of the whole selection, in value points, leaves the other half for the
    # relaxation's own distance from the optimum.
    part_gap = min(1.0, 0.5 * OPTIMALITY_GAP * abs(relaxed.fun) / part) if part else 0.0
    result = _solve_part(
        model.objective, core, model.lower, model.upper, base, matrix, upper,
        {"mip_rel_gap": part_gap, "time_limit": time_limit},
    )  # fmt: skip
    if result.x is None:
        return None
    chosen = base > 0.5
    chosen[core] = result.x > 0.5
    return chosen


def _solve_part(cost, free, lower, upper_bounds, base, matrix, upper, options):
    """HiGHS on the `free` candidates only, the others fixed as in `base`."""
    sub_matrix = matrix[:, np.nonzero(free)[0]]
    sub_upper = upper - matrix @ base
    used_rows = np.diff(sub_matrix.indptr) > 0
    with warnings.catch_warnings():
        # Options scipy does not know (objective_bound) go on to HiGHS with a warning.
        warnings.filterwarnings("ignore", "Unrecognized options", RuntimeWarning)
        return milp(
            cost[free],
            integrality=np.ones(int(free.sum())),
            bounds=Bounds(lower[free], upper_bounds[free]),
            constraints=(
                [LinearConstraint(sub_matrix[used_rows], -np.inf, sub_upper[used_rows])]
                if used_rows.any()
                else []
            ),
            options={"presolve": True, **options},
        )


def _tolerance_for(candidates: int) -> float:
    return 0.0 if candidates <= EXACT_UP_TO else OPTIMALITY_GAP


def _gap(objective: float, bound: float) -> float:
    """How far the best value still possible lies above the selection's, as a fraction of it."""
    return float(max(0.0, objective - bound) / max(abs(objective), 1e-9))


def _solve_whole(model, matrix, upper, time_limit, started) -> _Solved | Problem:
    """The plain model, should its relaxation fail for numerical reasons."""
    result = milp(
        model.objective,
        integrality=np.ones(len(model.keys)),
        bounds=Bounds(model.lower, model.upper),
        constraints=[LinearConstraint(matrix, -np.inf, upper)] if upper.size else [],
        options={
            "mip_rel_gap": _tolerance_for(len(model.keys)),
            "presolve": True,
            "time_limit": time_limit,
        },
    )
    seconds = time.perf_counter() - started
    if result.x is None:
        if result.status == 2:
            return Problem("solver_infeasible", {})
        return Problem("solver_no_solution", {"reason": result.message})
    gap = 0.0 if result.status == 0 else float(result.mip_gap or 0.0)
    return _Solved(result.x > 0.5, result.status == 0, gap, seconds)


def _greedy(
    model: _Model, resource_upper: np.ndarray, start: np.ndarray, order: np.ndarray
) -> np.ndarray:
    """A selection within the limits: `start` less what breaks a dependency, then candidates
    added in `order` while they fit (the relaxation rounded down, then topped up)."""
    chosen = start | (model.lower > 0)
    prerequisites: dict[int, list[int]] = {}
    for a, b in model.dependencies:
        prerequisites.setdefault(a, []).append(b)
    changed = True
    while changed:
        changed = False
        for a, b in model.dependencies:
            if chosen[a] and not chosen[b]:
                chosen[a] = False
                changed = True
    groups_of: dict[int, list[int]] = {}
    for number, group in enumerate(model.groups):
        for item in group:
            groups_of.setdefault(item, []).append(number)
    group_taken = np.array([chosen[group].any() for group in model.groups], dtype=bool)
    finite = np.isfinite(resource_upper)
    rows, limits = model.usage_matrix[finite], resource_upper[finite]
    room = limits - rows[:, chosen].sum(axis=1) + np.array([_tolerance(x) for x in limits])
    for item in order:
        if chosen[item] or model.upper[item] == 0 or model.objective[item] >= 0:
            continue
        if any(not chosen[b] for b in prerequisites.get(item, ())):
            continue
        if any(group_taken[g] for g in groups_of.get(item, ())):
            continue
        if np.all(rows[:, item] <= room):
            chosen[item] = True
            room -= rows[:, item]
            for g in groups_of.get(item, ()):
                group_taken[g] = True
    return chosen


def _usage(model: _Model, chosen: np.ndarray) -> tuple[LimitUsage, ...]:
    used = model.usage_matrix[:, chosen].sum(axis=1)
    # Deferred candidates that could join but for the resource limits.
    could_join = ~chosen & (model.values > 0) & (model.upper > 0)
    for a, b in model.dependencies:
        if not chosen[b]:
            could_join[a] = False
    for group in model.groups:
        if chosen[group].any():
            could_join[group] = False
    usage = []
    for number, row in enumerate(model.rows):
        slack = row.limit - used[number]
        tolerance = _tolerance(row.limit)
        blocks = model.usage_matrix[number, could_join] > slack + tolerance
        binding = bool(slack <= tolerance or blocks.any())
        usage.append(
            LimitUsage(
                kind=row.kind,
                key=row.key,
                limit=row.limit,
                used=float(used[number]),
                binding=binding,
            )
        )
    return tuple(usage)


def _infeasible(model: _Model, problems: tuple[Problem, ...], seconds: float) -> Selection:
    return Selection(
        feasible=False,
        selected=(),
        deferred=tuple(model.keys),
        total_value=0.0,
        total_cost=0.0,
        usage=(),
        problems=problems,
        optimal=False,
        solve_seconds=seconds,
    )
