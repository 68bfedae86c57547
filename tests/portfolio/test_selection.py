from dataclasses import replace
from io import StringIO

import numpy as np
import pytest
from django.core.management import call_command
from hypothesis import given, settings
from hypothesis import strategies as st

from portfolio import selection
from portfolio.management.commands.bench_selection import random_instance
from portfolio.selection import Candidate, Limits, efficient_frontier, select

# The knapsack every textbook starts with: the best value per cost (A) is not in the optimum.
A = Candidate("A", value=60, cost=10)
B = Candidate("B", value=100, cost=20)
C = Candidate("C", value=120, cost=30)


def usage_of(result, kind, key=None):
    (usage,) = [u for u in result.usage if u.kind == kind and u.key == key]
    return usage


def test_the_textbook_knapsack_takes_b_and_c_not_the_best_ratio():
    result = select([A, B, C], Limits(budget=50))

    assert result.feasible
    assert result.optimal
    assert result.gap == 0.0
    assert result.selected == ("B", "C")
    assert result.deferred == ("A",)
    assert result.total_value == 220
    assert result.total_cost == 50
    budget = usage_of(result, "budget")
    assert (budget.limit, budget.used, budget.binding) == (50, 50, True)


def test_without_limits_every_candidate_with_value_is_selected():
    zero = Candidate("Z", value=0, cost=5)

    result = select([A, zero, B], Limits())

    assert result.selected == ("A", "B")
    assert result.usage == ()


def test_no_candidates_give_an_empty_feasible_selection():
    result = select([], Limits(budget=10))

    assert result.feasible
    assert result.selected == ()
    assert result.total_value == 0


def test_a_yearly_budget_binds_and_is_reported_while_the_total_has_room():
    first = Candidate("first", 50, 10, cost_by_year={2027: 10})
    second = Candidate("second", 40, 10, cost_by_year={2027: 5, 2028: 5})
    third = Candidate("third", 30, 10, cost_by_year={2027: 8, 2028: 2})

    result = select(
        [first, second, third], Limits(budget=100, budget_by_year={2027: 16, 2028: 100})
    )

    assert result.selected == ("first", "second")
    assert usage_of(result, "budget_year", 2027).used == 15
    assert usage_of(result, "budget_year", 2027).binding  # third would break it
    assert not usage_of(result, "budget_year", 2028).binding
    assert not usage_of(result, "budget").binding


def test_a_role_capacity_binds_and_is_reported():
    heavy = Candidate("heavy", 90, 10, demand_by_role={"dev": 800})
    light = [Candidate(f"light{i}", 40, 10, demand_by_role={"dev": 300}) for i in range(3)]

    result = select([heavy, *light], Limits(capacity_by_role={"dev": 900, "qa": 100}))

    # Three light projects (120) beat the heavy one with the one light that fits beside it.
    assert result.selected == ("light0", "light1", "light2")
    assert usage_of(result, "capacity", "dev").used == 900
    assert usage_of(result, "capacity", "dev").binding
    assert not usage_of(result, "capacity", "qa").binding


def test_a_limit_with_room_left_still_binds_when_it_keeps_a_valuable_project_out():
    result = select([A, C], Limits(budget=35))

    assert result.selected == ("C",)
    budget = usage_of(result, "budget")
    assert budget.used == 30
    assert budget.binding  # A (10) would not fit in the 5 left


def test_a_limit_that_keeps_nothing_out_does_not_bind():
    result = select([A, B], Limits(budget=1000, capacity_by_role={"dev": 5}))

    assert not usage_of(result, "budget").binding
    assert not usage_of(result, "capacity", "dev").binding


def test_forced_in_and_forced_out_override_the_value():
    result = select([A, B, C], Limits(budget=50, forced_in=frozenset({"A"})))
    assert result.selected == ("A", "C")  # A is in, C (120) is then better than B (100)

    result = select([A, B, C], Limits(budget=50, forced_out=frozenset({"C"})))
    assert result.selected == ("A", "B")


def test_a_project_is_only_selected_with_its_prerequisite():
    platform = Candidate("platform", value=5, cost=40)
    app = Candidate("app", value=100, cost=20)

    assert select([platform, app], Limits(budget=50)).selected == ("app",)

    result = select([platform, app], Limits(budget=50, dependencies=(("app", "platform"),)))
    # Both do not fit: the app alone is not allowed, the platform alone is worth 5.
    assert result.selected == ("platform",)

    result = select([platform, app], Limits(budget=60, dependencies=(("app", "platform"),)))
    assert result.selected == ("platform", "app")


def test_a_forced_project_pulls_in_its_whole_chain_of_prerequisites():
    chain = [Candidate(k, value=1, cost=10) for k in "abcd"]
    limits = Limits(
        budget=40,
        forced_in=frozenset({"a"}),
        dependencies=(("a", "b"), ("b", "c")),
    )

    result = select(chain, limits)

    assert result.selected == ("a", "b", "c", "d")
    result = select(chain, replace(limits, budget=30))
    assert result.selected == ("a", "b", "c")


def test_at_most_one_of_an_exclusive_group_is_selected():
    on_premise = Candidate("on-premise", value=70, cost=30)
    cloud = Candidate("cloud", value=80, cost=30)

    result = select(
        [on_premise, cloud, A],
        Limits(budget=100, exclusive_groups=(frozenset({"on-premise", "cloud"}),)),
    )

    assert result.selected == ("cloud", "A")


def test_of_two_equally_valuable_projects_the_cheaper_is_chosen():
    dear = Candidate("dear", value=50, cost=30)
    cheap = Candidate("cheap", value=50, cost=20)

    assert select([dear, cheap], Limits(budget=30)).selected == ("cheap",)
    # A project worth nothing is never bought.
    assert select([Candidate("nothing", 0, 5)], Limits()).selected == ()


@pytest.mark.parametrize(
    ("limits", "code", "params"),
    [
        (Limits(forced_in=frozenset({"X"})), "unknown_candidate", {"key": "X"}),
        (Limits(dependencies=(("A", "X"),)), "unknown_candidate", {"key": "X"}),
        (
            Limits(forced_in=frozenset({"A"}), forced_out=frozenset({"A"})),
            "forced_in_and_out",
            {"key": "A"},
        ),
        (
            Limits(
                forced_in=frozenset({"A", "B"}),
                forced_out=frozenset({"B"}),
                dependencies=(("A", "B"),),
            ),
            "forced_in_and_out",
            {"key": "B"},
        ),
        (
            Limits(
                forced_in=frozenset({"A"}),
                forced_out=frozenset({"C"}),
                dependencies=(("A", "B"), ("B", "C")),
            ),
            "forced_needs_excluded",
            {"key": "A", "requires": "C"},
        ),
        (
            Limits(forced_in=frozenset({"A", "B"}), exclusive_groups=(frozenset({"A", "B"}),)),
            "forced_conflict_exclusive",
            {"keys": ["A", "B"]},
        ),
        (
            Limits(budget=25, forced_in=frozenset({"A"}), dependencies=(("A", "B"),)),
            "forced_over_budget",
            {"cost": 30.0, "budget": 25},
        ),
        (
            Limits(budget_by_year={2027: 5}, forced_in=frozenset({"A"})),
            "forced_over_year_budget",
            {"year": 2027, "cost": 10.0, "budget": 5},
        ),
        (
            Limits(capacity_by_role={"dev": 100}, forced_in=frozenset({"A"})),
            "forced_over_capacity",
            {"role": "dev", "demand": 200.0, "capacity": 100},
        ),
    ],
)
def test_impossible_limits_are_explained_with_a_code_not_an_exception(limits, code, params):
    candidates = [
        Candidate("A", 60, 10, cost_by_year={2027: 10}, demand_by_role={"dev": 200}),
        B,
        C,
    ]

    result = select(candidates, limits)

    assert not result.feasible
    assert result.selected == ()
    assert result.deferred == ("A", "B", "C")
    assert [(p.code, p.params) for p in result.problems] == [(code, params)]
    assert result.problems[0].message.endswith(".")


def test_several_reasons_are_all_given():
    limits = Limits(budget=5, budget_by_year={2027: 5}, forced_in=frozenset({"A"}))

    result = select([Candidate("A", 60, 10, cost_by_year={2027: 10})], limits)

    codes = [p.code for p in result.problems]
    assert codes == ["forced_over_budget", "forced_over_year_budget"]
    assert str(result.problems[0]) == (
        "The forced projects and their prerequisites cost 10.00, over the budget of 5.00."
    )


def test_infeasibility_found_only_by_the_solver_is_reported_too(monkeypatch):
    monkeypatch.setattr(selection, "_forced_problems", lambda *args: [])

    result = select([A], Limits(budget=5, forced_in=frozenset({"A"})))

    assert not result.feasible
    assert [p.code for p in result.problems] == ["solver_infeasible"]


@pytest.mark.parametrize(
    "candidates",
    [
        [A, A],
        [Candidate("A", 1, -5)],
        [Candidate("A", float("nan"), 5)],
        [Candidate("A", 1, 5, demand_by_role={"dev": -1})],
    ],
)
def test_bad_candidates_are_a_programming_error(candidates):
    with pytest.raises(ValueError):
        select(candidates, Limits())


def test_a_time_limit_returns_the_best_selection_found_within_every_limit():
    candidates, limits = random_instance(1500, seed=3)

    result = select(candidates, limits, time_limit=0.5)

    assert result.feasible
    assert result.solve_seconds < 5
    assert_respects(candidates, limits, result.selected)
    assert result.optimal or result.gap > 0
    assert result.gap < 0.01


def test_a_large_portfolio_is_proven_optimal_to_the_tolerance():
    # 5,000 candidates under a budget, 5 yearly budgets and 10 role capacities, as in the
    # benchmark (which times it); the time limit here only keeps a slow machine from failing.
    candidates, limits = random_instance(5000, seed=2)

    result = select(candidates, limits, time_limit=120)

    assert result.optimal
    assert 0 <= result.gap <= selection.OPTIMALITY_GAP
    assert_respects(candidates, limits, result.selected)


def test_a_small_portfolio_is_proven_optimal_exactly():
    candidates, limits = random_instance(selection.EXACT_UP_TO, seed=4)

    result = select(candidates, limits, time_limit=120)

    assert result.optimal
    assert result.gap == pytest.approx(0, abs=1e-9)


def test_the_core_heuristic_finds_a_selection_within_every_limit(monkeypatch):
    candidates, limits = random_instance(2000, seed=5)
    found = []
    core_selection = selection._core_selection

    def recording(*args):
        chosen = core_selection(*args)
        found.append(chosen)
        return chosen

    monkeypatch.setattr(selection, "_core_selection", recording)

    select(candidates, limits, time_limit=120)

    assert found and found[0] is not None
    keys = [c.key for c in candidates]
    assert_respects(candidates, limits, [k for k, x in zip(keys, found[0], strict=True) if x])


def assert_respects(candidates, limits, selected):
    chosen = set(selected)
    picked = [c for c in candidates if c.key in chosen]
    tolerance = 1e-6
    if limits.budget is not None:
        assert sum(c.cost for c in picked) <= limits.budget + tolerance
    for year, budget in limits.budget_by_year.items():
        assert sum(c.cost_by_year.get(year, 0) for c in picked) <= budget + tolerance
    for role, capacity in limits.capacity_by_role.items():
        assert sum(c.demand_by_role.get(role, 0) for c in picked) <= capacity + tolerance
    assert limits.forced_in <= chosen
    assert not limits.forced_out & chosen
    for a, b in limits.dependencies:
        assert a not in chosen or b in chosen
    for group in limits.exclusive_groups:
        assert len(group & chosen) <= 1


# --- against brute force: every subset of up to 10 candidates --------------------------------


@st.composite
def instances(draw, max_candidates=10):
    rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
    n = int(rng.integers(1, max_candidates + 1))
    # Coarse values make many selections equally valuable: the cheapest must win. With one
    # decimal, any two different totals differ far more than the tie-break.
    coarse = draw(st.booleans())
    candidates = []
    for i in range(n):
        first_year = int(rng.integers(0, 20))
        cost = first_year + int(rng.integers(0, 20))
        value = rng.choice([0, 10, 20, 30]) if coarse else round(rng.uniform(0, 100), 1)
        candidates.append(
            Candidate(
                key=f"p{i}",
                value=float(value),
                cost=float(cost),
                cost_by_year={2027: float(first_year), 2028: float(cost - first_year)},
                demand_by_role={"dev": float(rng.integers(0, 10)), "qa": float(rng.integers(0, 5))},
            )
        )
    keys = [c.key for c in candidates]
    total = sum(c.cost for c in candidates)

    def some(count):
        return frozenset(rng.choice(keys, size=min(count, n), replace=False).tolist())

    dependencies, groups = (), ()
    if n > 1:
        dependencies = tuple(
            tuple(rng.choice(keys, size=2, replace=False).tolist())
            for _ in range(draw(st.integers(0, 3)))
        )
        groups = tuple(some(int(rng.integers(2, 4))) for _ in range(draw(st.integers(0, 2))))
    share = draw(st.sampled_from([None, 0.3, 0.5, 0.8]))
    year_share = draw(st.sampled_from([None, 0.2, 0.5]))
    capacity = draw(st.sampled_from([None, 10, 25]))
    limits = Limits(
        budget=None if share is None else round(share * total),
        budget_by_year={} if year_share is None else {2027: round(year_share * total / 2)},
        capacity_by_role={} if capacity is None else {"dev": capacity, "qa": capacity / 2},
        forced_in=some(draw(st.integers(0, 2))),
        forced_out=some(draw(st.integers(0, 2))),
        dependencies=dependencies,
        exclusive_groups=groups,
    )
    return candidates, limits


def brute_force(candidates, limits):
    """(value, cost, chosen keys) of every subset that respects the limits, all at once."""
    keys = [c.key for c in candidates]
    n = len(keys)
    subsets = ((np.arange(2**n)[:, None] >> np.arange(n)) & 1).astype(bool)
    ok = np.ones(len(subsets), dtype=bool)

    def column(numbers):
        return np.array(numbers, dtype=float).reshape(n)

    costs = column([c.cost for c in candidates])
    if limits.budget is not None:
        ok &= subsets @ costs <= limits.budget + 1e-6
    for year, budget in limits.budget_by_year.items():
        ok &= subsets @ column([c.cost_by_year.get(year, 0) for c in candidates]) <= budget + 1e-6
    for role, capacity in limits.capacity_by_role.items():
        demand = column([c.demand_by_role.get(role, 0) for c in candidates])
        ok &= subsets @ demand <= capacity + 1e-6
    index = {key: i for i, key in enumerate(keys)}
    for key in limits.forced_in:
        ok &= subsets[:, index[key]]
    for key in limits.forced_out:
        ok &= ~subsets[:, index[key]]
    for a, b in limits.dependencies:
        ok &= ~subsets[:, index[a]] | subsets[:, index[b]]
    for group in limits.exclusive_groups:
        ok &= subsets[:, [index[key] for key in group]].sum(axis=1) <= 1
    values = column([c.value for c in candidates])
    return [
        (
            float(subset @ values),
            float(subset @ costs),
            {k for k, x in zip(keys, subset, strict=True) if x},
        )
        for subset in subsets[ok]
    ]


@settings(max_examples=300, deadline=None, derandomize=True, database=None)
@given(instances())
def test_select_matches_brute_force(instance):
    candidates, limits = instance

    result = select(candidates, limits)

    feasible = brute_force(candidates, limits)
    if not feasible:
        assert not result.feasible
        # Named before solving, never left to the solver.
        assert result.problems
        assert not {p.code for p in result.problems} & {"solver_infeasible", "solver_no_solution"}
        return
    assert result.feasible, result.problems
    assert result.optimal
    assert_respects(candidates, limits, result.selected)
    best = max(value for value, _, _ in feasible)
    assert result.total_value == pytest.approx(best, abs=1e-6)
    cheapest_best = min(cost for value, cost, _ in feasible if value >= best - 1e-6)
    assert result.total_cost == pytest.approx(cheapest_best, abs=1e-6)


@settings(max_examples=60, deadline=None, derandomize=True, database=None)
@given(instances(max_candidates=8))
def test_the_frontier_rises_and_each_point_is_the_best_at_its_budget(instance):
    candidates, limits = instance

    frontier = efficient_frontier(candidates, limits, points=4)

    unbudgeted = replace(limits, budget=None)
    if not brute_force(candidates, unbudgeted):
        assert frontier == []
        return
    assert len(frontier) == 4
    assert frontier[-1].budget == pytest.approx(sum(c.cost for c in candidates))
    values = [point.value for point in frontier]
    assert values == sorted(values)
    for point in frontier:
        at_budget = replace(limits, budget=point.budget)
        assert point.optimal
        assert point.cost <= point.budget + 1e-6
        assert_respects(candidates, at_budget, point.selected)
        best = max(value for value, _, _ in brute_force(candidates, at_budget))
        assert point.value == pytest.approx(best, abs=1e-6)


def test_the_frontier_starts_at_the_cost_of_the_forced_projects_and_looks_past_the_budget():
    limits = Limits(budget=30, forced_in=frozenset({"A"}), dependencies=(("A", "B"),))

    frontier = efficient_frontier([A, B, C], limits, points=3)

    assert [point.budget for point in frontier] == [30, 45, 60]
    assert [point.selected for point in frontier] == [("A", "B"), ("A", "B"), ("A", "B", "C")]
    assert [point.value for point in frontier] == [160, 160, 280]


def test_the_frontier_is_empty_when_even_the_forced_projects_break_a_limit():
    limits = Limits(capacity_by_role={"dev": 1}, forced_in=frozenset({"A"}))

    assert efficient_frontier([Candidate("A", 1, 1, demand_by_role={"dev": 2})], limits) == []


def test_the_benchmark_prints_a_row_per_figure():
    out = StringIO()

    call_command(
        "bench_selection",
        *("--candidates", "200", "--points", "3"),
        *("--time-limit", "0.5", "--frontier-time-limit", "1"),
        stdout=out,
    )

    lines = out.getvalue().splitlines()
    assert lines[0].startswith("Instance: 200 candidates")
    rows = {line.split("  ")[0]: line for line in lines[1:]}
    assert rows["select"].endswith(("PASS", "FAIL"))
    assert rows["optimum proven (to 0.01%)"].endswith(("PASS", "FAIL"))
    assert " of 200" in rows["selected"]
    assert "budget" in rows["binding limits"]
    assert rows["efficient_frontier (3 points)"].endswith(("PASS", "FAIL"))
    assert rows["frontier"].startswith("frontier") and "3 points" in rows["frontier"]
