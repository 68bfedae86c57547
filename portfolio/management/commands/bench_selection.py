"""`manage.py bench_selection`: time the optimal selection and the frontier on a large instance.

A benchmark, not a test: it always exits 0 and prints PASS or FAIL against the targets.
"""

import time

import numpy as np
from django.core.management.base import BaseCommand

from portfolio.selection import (
    DEFAULT_FRONTIER_TIME_LIMIT,
    DEFAULT_TIME_LIMIT,
    OPTIMALITY_GAP,
    Candidate,
    Limits,
    efficient_frontier,
    select,
)

SELECT_TARGET_SECONDS = 2.0
FRONTIER_TARGET_SECONDS = 20.0

FIRST_YEAR = 2027
YEARS = 5
ROLES = (
    "analyst",
    "architect",
    "developer",
    "tester",
    "project manager",
    "data engineer",
    "designer",
    "security",
    "operations",
    "change manager",
)
HOURLY_RATE = 120.0
# Shares of each year's and each role's total that the limits allow: the budget allows 40% of
# the total cost, so the limits below 0.4 bind and those well above do not.
YEAR_SHARES = (0.42, 0.37, 0.45, 0.36, 0.55)
ROLE_SHARES = (0.35, 0.60, 0.38, 0.70, 0.45, 0.33, 0.80, 0.50, 0.65, 0.39)


def random_instance(count: int, seed: int) -> tuple[list[Candidate], Limits]:
    """A portfolio shaped like a large organisation's: lognormal costs over up to three years,
    values loosely following cost, several roles per project, a few dependencies and
    exclusive alternatives, a handful of projects forced in or out."""
    rng = np.random.default_rng(seed)
    costs = np.round(rng.lognormal(mean=np.log(400_000), sigma=0.9, size=count), -2)
    size = (np.log(costs) - np.log(400_000)) / 0.9
    values = np.round(np.clip(50 + 12 * size + rng.normal(0, 18, count), 0, 100), 2)
    candidates = []
    for i in range(count):
        start = int(rng.integers(0, YEARS))
        duration = min(int(rng.integers(1, 4)), YEARS - start)
        split = rng.dirichlet(np.ones(duration)) * costs[i]
        roles = rng.choice(len(ROLES), size=int(rng.integers(2, 5)), replace=False)
        hours = rng.dirichlet(np.ones(roles.size)) * costs[i] * 0.6 / HOURLY_RATE
        candidates.append(
            Candidate(
                key=f"P{i:05d}",
                value=float(values[i]),
                cost=float(costs[i]),
                cost_by_year={
                    FIRST_YEAR + start + y: round(float(split[y]), 2) for y in range(duration)
                },
                demand_by_role={
                    ROLES[r]: round(float(h), 1) for r, h in zip(roles, hours, strict=True)
                },
            )
        )

    year_totals = {FIRST_YEAR + y: 0.0 for y in range(YEARS)}
    role_totals = dict.fromkeys(ROLES, 0.0)
    for candidate in candidates:
        for year, cost in candidate.cost_by_year.items():
            year_totals[year] += cost
        for role, hours in candidate.demand_by_role.items():
            role_totals[role] += hours

    keys = [c.key for c in candidates]
    dependencies = []
    for _ in range(max(1, count // 50)):
        a, b = sorted(rng.choice(count, size=2, replace=False))
        dependencies.append((keys[b], keys[a]))  # a later project needs an earlier one
    in_dependencies = {key for pair in dependencies for key in pair}
    free = [key for key in keys if key not in in_dependencies]
    picks = rng.choice(len(free), size=min(len(free), count // 50 * 3 + 6), replace=False)
    picked = [free[i] for i in picks]
    forced_in, forced_out, rest = picked[:3], picked[3:6], picked[6:]
    exclusive_groups = tuple(frozenset(rest[i : i + 3]) for i in range(0, len(rest) - 2, 3))
    # Force in only affordable projects, so the instance stays feasible.
    forced_in = [key for key in forced_in if costs[keys.index(key)] < 1_000_000]

    limits = Limits(
        budget=round(0.4 * float(costs.sum()), 2),
        budget_by_year={
            year: round(share * total, 2)
            for (year, total), share in zip(year_totals.items(), YEAR_SHARES, strict=True)
        },
        capacity_by_role={
            role: round(share * total, 1)
            for (role, total), share in zip(role_totals.items(), ROLE_SHARES, strict=True)
        },
        forced_in=frozenset(forced_in),
        forced_out=frozenset(forced_out),
        dependencies=tuple(dependencies),
        exclusive_groups=exclusive_groups,
    )
    return candidates, limits


class Command(BaseCommand):
    help = (
        "Time the optimal portfolio selection and the efficient frontier on a random instance "
        "of realistic shape, against the targets. Always exits 0."
    )

    def add_arguments(self, parser):
        parser.add_argument("--candidates", type=int, default=5000)
        parser.add_argument("--points", type=int, default=20)
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument(
            "--time-limit",
            type=float,
            default=None,
            help=f"Seconds for select (default {DEFAULT_TIME_LIMIT:g}).",
        )
        parser.add_argument(
            "--frontier-time-limit",
            type=float,
            default=None,
            help=f"Seconds for the whole frontier (default {DEFAULT_FRONTIER_TIME_LIMIT:g}).",
        )

    def handle(self, *args, candidates, points, seed, time_limit, frontier_time_limit, **options):
        pool, limits = random_instance(candidates, seed)
        self.stdout.write(
            f"Instance: {len(pool)} candidates, {len(limits.budget_by_year)} yearly budgets, "
            f"{len(limits.capacity_by_role)} role capacities, {len(limits.dependencies)} "
            f"dependencies, {len(limits.exclusive_groups)} exclusive groups, seed {seed}"
        )

        started = time.perf_counter()
        result = select(pool, limits, time_limit=time_limit)
        select_seconds = time.perf_counter() - started
        self.row(
            "select",
            f"{select_seconds:.2f} s (solver {result.solve_seconds:.2f} s)",
            f"< {SELECT_TARGET_SECONDS:g} s",
            select_seconds < SELECT_TARGET_SECONDS,
        )
        self.row(
            f"optimum proven (to {OPTIMALITY_GAP:.2%})",
            f"yes: within {result.gap:.4%} of the best possible"
            if result.optimal
            else f"no: within {result.gap:.4%} of the best possible",
            "yes",
            result.optimal,
        )
        self.row(
            "selected",
            f"{len(result.selected)} of {len(pool)}, value {result.total_value:,.2f}, "
            f"cost {result.total_cost:,.0f}",
        )
        binding = [
            usage.kind if usage.key is None else f"{usage.kind} {usage.key}"
            for usage in result.usage
            if usage.binding
        ]
        self.row("binding limits", f"{len(binding)}: " + ", ".join(binding))
        for problem in result.problems:
            self.row("problem", problem.message)

        started = time.perf_counter()
        frontier = efficient_frontier(pool, limits, points=points, time_limit=frontier_time_limit)
        frontier_seconds = time.perf_counter() - started
        self.row(
            f"efficient_frontier ({points} points)",
            f"{frontier_seconds:.2f} s",
            f"< {FRONTIER_TARGET_SECONDS:g} s",
            frontier_seconds < FRONTIER_TARGET_SECONDS,
        )
        values = [point.value for point in frontier]
        monotone = all(a <= b for a, b in zip(values, values[1:], strict=False))
        proven = sum(point.optimal for point in frontier)
        self.row(
            "frontier",
            f"{len(frontier)} points ({proven} proven), value {values[0]:,.2f} .. {values[-1]:,.2f}"
            if frontier
            else "empty",
            "non-decreasing",
            bool(frontier) and monotone,
        )

    def row(self, name: str, measured: str, target: str = "", passed: bool | None = None):
        verdict = "" if passed is None else ("PASS" if passed else "FAIL")
        self.stdout.write(f"{name:<32} {measured:<56} {target:<16} {verdict}".rstrip())
