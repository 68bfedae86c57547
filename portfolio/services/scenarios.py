"""Scenarios: their candidates and limits, the optimal selection and the efficient frontier,
copies, and the commit that records portfolio decisions on the projects.

What the optimiser is given for each candidate project:

- value: its weighted score (0-100) in the scenario's planning period (0 when not ranked);
- cost: its budget in the reporting currency: the sum of its budget lines, or its budget when
  it has none (as the cost roll-ups count it);
- cost per fiscal year: its budget lines by the year of their month; without lines, the
  budget spread evenly over the months from its planned start to its planned end;
- demand per role: the hours its bookings (by the booked person's role) and its open resource
  requests ask for within the scenario's planning period (a calendar year).

A project whose currency has no exchange rate cannot be costed: it is left out of the solve
and named on the scenario's page.
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models import Case, DecimalField, F, Q, Sum, Value, When
from django.db.models.functions import ExtractYear
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from pmo_portal import permissions
from pmo_portal.errors import StaleVersionError
from projects.models import OPEN_STATUSES, ExchangeRate, Project
from resources.capacity import Bucket, hours_by_bucket
from resources.models import Allocation, BudgetLine, ResourceRequest

from .. import selection
from ..models import (
    PortfolioDecision,
    PortfolioProject,
    ProjectRanking,
    Scenario,
    ScenarioCandidate,
    ScenarioDependency,
    ScenarioRoleLimit,
    ScenarioYearLimit,
)

BATCH_SIZE = 1000
FRONTIER_POINTS = 20
CENT = Decimal("0.01")
HOURS = DecimalField(max_digits=14, decimal_places=2)


def _ensure_pmo(by) -> None:
    permissions.ensure(permissions.can_manage_scenarios(by))


def _locked_draft(scenario: Scenario, version: int | None = None) -> Scenario:
    """The scenario's row, locked; a committed scenario is read-only."""
    current = Scenario.objects.select_for_update().get(pk=scenario.pk)
    if current.is_committed:
        raise ValidationError(_("This scenario is committed: it can no longer be changed."))
    if version is not None and current.version != version:
        raise StaleVersionError(
            _("Someone else changed this scenario since you opened it. Nothing was saved.")
        )
    return current


def _clear_result(scenario: Scenario) -> None:
    """The inputs changed: the last solve and frontier no longer hold."""
    Scenario.objects.filter(pk=scenario.pk).update(
        solved_at=None, feasible=None, optimal=None, total_value=None, total_cost=None,
        solve_seconds=None, usage=[], problems=[], frontier=[], frontier_at=None,
    )  # fmt: skip
    scenario.candidates.update(selected=None, value=None, cost=None)
    scenario.refresh_from_db()


# --- writes of the inputs --------------------------------------------------------------------


@transaction.atomic
def scenario_create(
    *, by, portfolio, period: int, name: str, description: str = "",
    total_budget: Decimal | None = None, statuses=tuple(OPEN_STATUSES),
) -> Scenario:  # fmt: skip
    """A draft scenario whose candidates are the projects of `statuses` placed anywhere in
    the portfolio's tree."""
    _ensure_pmo(by)
    scenario = Scenario(
        portfolio=portfolio, period=period, name=name, description=description,
        total_budget=total_budget, created_by=by,
    )  # fmt: skip
    scenario._history_user = by
    scenario.full_clean()
    scenario.save()
    projects = (
        PortfolioProject.objects.in_subtree(portfolio)
        .filter(project__status__in=statuses)
        .values_list("project_id", flat=True)
    )
    bulk_create_with_history(
        [ScenarioCandidate(scenario=scenario, project_id=pk) for pk in projects],
        ScenarioCandidate,
        batch_size=BATCH_SIZE,
        default_user=by,
    )
    return scenario


@transaction.atomic
def scenario_save(
    *,
    by,
    scenario: Scenario,
    version: int | None = None,
    year_limits: list[tuple[int, Decimal]] | None = None,
    role_limits: list[tuple[object, Decimal]] | None = None,
    dependencies: list[tuple[Project, Project]] | None = None,
    **fields,
) -> Scenario:
    """Change a draft scenario and replace its limits and dependencies (when given); the last
    solve is cleared."""
    _ensure_pmo(by)
    current = _locked_draft(scenario, version)
    for name, value in fields.items():
        setattr(current, name, value)
    current.version += 1
    current._history_user = by
    current.full_clean()
    current.save()
    if year_limits is not None:
        current.year_limits.all().delete()
        bulk_create_with_history(
            [ScenarioYearLimit(scenario=current, year=y, budget=b) for y, b in year_limits],
            ScenarioYearLimit,
            default_user=by,
        )
    if role_limits is not None:
        current.role_limits.all().delete()
        bulk_create_with_history(
            [ScenarioRoleLimit(scenario=current, role=r, hours=h) for r, h in role_limits],
            ScenarioRoleLimit,
            default_user=by,
        )
    if dependencies is not None:
        candidates = set(current.candidates.values_list("project_id", flat=True))
        rows = []
        for project, requires in dependencies:
            if project.pk == requires.pk:
                raise ValidationError(_("A project cannot depend on itself."))
            if project.pk not in candidates or requires.pk not in candidates:
                raise ValidationError(
                    _("%(code)s is not a candidate of this scenario.")
                    % {"code": (project if project.pk not in candidates else requires).code}
                )
            rows.append(ScenarioDependency(scenario=current, project=project, requires=requires))
        current.dependencies.all().delete()
        bulk_create_with_history(rows, ScenarioDependency, default_user=by)
    _clear_result(current)
    return current


@transaction.atomic
def candidates_update(*, by, scenario: Scenario, changes: dict[int, tuple[str, str]]) -> int:
    """Set the forced flag and exclusive group of candidates (by candidate id); the last solve
    is cleared when anything changed. Returns the number changed."""
    _ensure_pmo(by)
    current = _locked_draft(scenario)
    rows = list(current.candidates.filter(pk__in=list(changes)))
    changed = []
    for row in rows:
        forced, group = changes[row.pk]
        if forced not in ScenarioCandidate.Forced.values:
            raise ValidationError(_("Choose whether the project is forced in or out."))
        if (row.forced, row.exclusive_group) != (forced, group.strip()):
            row.forced, row.exclusive_group = forced, group.strip()
            changed.append(row)
    if changed:
        bulk_update_with_history(
            changed, ScenarioCandidate, ["forced", "exclusive_group"], default_user=by
        )
        _clear_result(current)
    return len(changed)


# --- what the optimiser is given -------------------------------------------------------------


@dataclass
class SolveInputs:
    candidates: list[selection.Candidate]
    limits: selection.Limits
    uncosted: list[int] = field(default_factory=list)  # project ids without an exchange rate
    costs: dict[int, Decimal] = field(default_factory=dict)
    values: dict[int, Decimal] = field(default_factory=dict)


def _rates() -> dict[str, Decimal]:
    rates = dict(ExchangeRate.objects.values_list("currency", "rate"))
    rates[settings.DEFAULT_CURRENCY] = Decimal(1)
    return rates


def _months_by_year(start: datetime.date, end: datetime.date) -> dict[int, int]:
    months: dict[int, int] = defaultdict(int)
    year, month = start.year, start.month
    while (year, month) <= (end.year, end.month):
        months[year] += 1
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return months


def demand_by_role(scenario: Scenario, role_ids: list[int]) -> dict[int, dict[int, float]]:
    """{project id: {role id: hours}} booked or requested within the planning period."""
    if not role_ids:
        return {}
    year = Bucket(datetime.date(scenario.period, 1, 1), datetime.date(scenario.period, 12, 31))
    in_year = Q(start__lte=year.end, end__gte=year.start)
    projects = scenario.candidates.values("project")
    booked = hours_by_bucket(
        Allocation.objects.filter(in_year, project__in=projects, resource__role__in=role_ids),
        ("project", "resource__role"),
        [year],
        hours="hours_per_week",
    )
    weekly = Case(
        When(
            unit=ResourceRequest.Unit.FTE,
            then=F("amount") * Value(Decimal(settings.STANDARD_HOURS_PER_WEEK)),
        ),
        default=F("amount"),
        output_field=HOURS,
    )
    requested = hours_by_bucket(
        ResourceRequest.objects.filter(
            in_year, project__in=projects, role__in=role_ids, status=ResourceRequest.Status.OPEN
        ).alias(weekly_hours=weekly),
        ("project", "role"),
        [year],
        hours="weekly_hours",
    )
    demand: dict[int, dict[int, float]] = defaultdict(lambda: defaultdict(float))
    for table in (booked, requested):
        for (project_id, role_id), hours in table.items():
            demand[project_id][role_id] += float(hours[year.key])
    return demand


def solve_inputs(scenario: Scenario) -> SolveInputs:
    """The candidates and limits of a scenario, as the optimiser takes them: a fixed number of
    queries whatever the number of candidates."""
    rows = list(
        scenario.candidates.values_list(
            "project_id", "forced", "exclusive_group", "project__budget", "project__currency",
            "project__planned_start", "project__planned_end",
        )
    )  # fmt: skip
    values = dict(
        ProjectRanking.objects.filter(
            project__in=scenario.candidates.values("project"), period=scenario.period
        ).values_list("project_id", "weighted_score")
    )
    lines: dict[int, dict[int, Decimal]] = defaultdict(dict)
    for project_id, year, total in (
        BudgetLine.objects.filter(project__in=scenario.candidates.values("project"))
        .annotate(year=ExtractYear("period"))
        .order_by()
        .values_list("project", "year")
        .annotate(total=Sum("amount"))
    ):
        lines[project_id][year] = total
    role_limits = dict(scenario.role_limits.values_list("role_id", "hours"))
    demand = demand_by_role(scenario, list(role_limits))
    rates = _rates()

    inputs = SolveInputs(candidates=[], limits=selection.Limits())
    forced_in, forced_out, groups = set(), set(), defaultdict(set)
    for project_id, forced, group, budget, currency, start, end in rows:
        rate = rates.get(currency)
        if rate is None:
            inputs.uncosted.append(project_id)
            continue
        by_year = lines.get(project_id)
        if by_year:
            cost_by_year = {year: float(amount * rate) for year, amount in by_year.items()}
            cost = sum(by_year.values()) * rate
        else:
            cost = budget * rate
            months = _months_by_year(start, end)
            count = sum(months.values())
            cost_by_year = {year: float(cost) * n / count for year, n in months.items()}
        value = values.get(project_id, Decimal(0))
        inputs.costs[project_id], inputs.values[project_id] = cost.quantize(CENT), value
        inputs.candidates.append(
            selection.Candidate(
                key=project_id,
                value=float(value),
                cost=float(cost),
                cost_by_year=cost_by_year,
                demand_by_role=dict(demand.get(project_id, {})),
            )
        )
        if forced == ScenarioCandidate.Forced.IN:
            forced_in.add(project_id)
        elif forced == ScenarioCandidate.Forced.OUT:
            forced_out.add(project_id)
        if group:
            groups[group].add(project_id)
    costed = set(inputs.costs)
    inputs.limits = selection.Limits(
        budget=float(scenario.total_budget) if scenario.total_budget is not None else None,
        budget_by_year={
            year: float(budget)
            for year, budget in scenario.year_limits.values_list("year", "budget")
        },
        capacity_by_role={role: float(hours) for role, hours in role_limits.items()},
        forced_in=frozenset(forced_in),
        forced_out=frozenset(forced_out),
        dependencies=tuple(
            (a, b)
            for a, b in scenario.dependencies.values_list("project_id", "requires_id")
            if a in costed and b in costed
        ),
        exclusive_groups=tuple(
            frozenset(members) for _name, members in sorted(groups.items()) if len(members) > 1
        ),
    )
    return inputs


# --- solving ---------------------------------------------------------------------------------


def _jsonable(value):
    if isinstance(value, frozenset | set | tuple | list):
        return [_jsonable(item) for item in value]
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, Decimal):
        return float(value)
    return value


def _write_candidate_results(rows: list[tuple[int, bool, Decimal | None, Decimal | None]]):
    """Set (selected, value, cost) of candidates by id, a thousand rows per UPDATE.

    Django's bulk_update writes a CASE expression per field and row, which PostgreSQL takes
    seconds to plan for a few thousand candidates; joining a VALUES list takes milliseconds,
    and both SQLite (3.33+) and PostgreSQL accept this form.
    """
    table = ScenarioCandidate._meta.db_table
    placeholder = "(%s, %s, %s, %s)"
    if connection.vendor == "postgresql":
        placeholder = "(%s::bigint, %s::boolean, %s::numeric, %s::numeric)"
    with connection.cursor() as cursor:
        for start in range(0, len(rows), BATCH_SIZE):
            batch = rows[start : start + BATCH_SIZE]
            cursor.execute(
                f"WITH result (id, selected, value, cost) AS (VALUES "
                f"{', '.join([placeholder] * len(batch))}) "
                f"UPDATE {table} SET selected = result.selected, value = result.value, "
                f"cost = result.cost FROM result WHERE {table}.id = result.id",
                [value for row in batch for value in row],
            )


@transaction.atomic
def scenario_solve(*, by, scenario: Scenario, time_limit: float | None = None) -> Scenario:
    """Solve the scenario and keep the result on it and its candidates. The solver stops
    after `time_limit` seconds (the selection module's default when None) with the best
    selection found, which the page then says is not proven optimal."""
    _ensure_pmo(by)
    current = _locked_draft(scenario)
    inputs = solve_inputs(current)
    result = selection.select(inputs.candidates, inputs.limits, time_limit=time_limit)
    chosen = set(result.selected)
    _write_candidate_results(
        [
            (pk, project_id in chosen, inputs.values.get(project_id), inputs.costs.get(project_id))
            for pk, project_id in current.candidates.values_list("pk", "project_id")
        ]
    )
    current.solved_at = timezone.now()
    current.feasible, current.optimal = result.feasible, result.optimal
    current.total_value = Decimal(str(round(result.total_value, 2)))
    current.total_cost = Decimal(str(round(result.total_cost, 2)))
    current.solve_seconds = result.solve_seconds
    current.usage = [
        {
            "kind": usage.kind,
            "key": _jsonable(usage.key),
            "limit": usage.limit,
            "used": usage.used,
            "binding": usage.binding,
        }
        for usage in result.usage
    ]
    current.problems = [
        {"code": problem.code, "params": _jsonable(problem.params)} for problem in result.problems
    ]
    current.problems += [
        {"code": "no_exchange_rate", "params": {"project": pk}} for pk in inputs.uncosted
    ]
    # The result is not an edit of the scenario: no history record, no new version.
    Scenario.objects.filter(pk=current.pk).update(
        **{name: getattr(current, name) for name in (
            "solved_at", "feasible", "optimal", "total_value", "total_cost", "solve_seconds",
            "usage", "problems",
        )}
    )  # fmt: skip
    return current


@transaction.atomic
def scenario_frontier(
    *, by, scenario: Scenario, points: int = FRONTIER_POINTS, time_limit: float | None = None
) -> Scenario:
    """The best value at `points` budget levels, the scenario's other limits kept; stored."""
    _ensure_pmo(by)
    current = Scenario.objects.select_for_update().get(pk=scenario.pk)
    inputs = solve_inputs(current)
    frontier = selection.efficient_frontier(
        inputs.candidates, inputs.limits, points=points, time_limit=time_limit
    )
    current.frontier = [
        {
            "budget": round(point.budget, 2),
            "value": round(point.value, 2),
            "cost": round(point.cost, 2),
            "count": len(point.selected),
        }
        for point in frontier
    ]
    current.frontier_at = timezone.now()
    Scenario.objects.filter(pk=current.pk).update(
        frontier=current.frontier, frontier_at=current.frontier_at
    )
    return current


# --- copy and commit -------------------------------------------------------------------------


@transaction.atomic
def scenario_copy(*, by, scenario: Scenario, name: str | None = None) -> Scenario:
    """A draft copy of the scenario's inputs (not its result), to try other limits on."""
    _ensure_pmo(by)
    copy = Scenario(
        portfolio=scenario.portfolio, period=scenario.period,
        name=name or _("Copy of %(name)s") % {"name": scenario.name},
        description=scenario.description, total_budget=scenario.total_budget, created_by=by,
    )  # fmt: skip
    copy.name = copy.name[: Scenario._meta.get_field("name").max_length]
    copy._history_user = by
    copy.full_clean()
    copy.save()
    bulk_create_with_history(
        [
            ScenarioCandidate(
                scenario=copy, project_id=row.project_id, forced=row.forced,
                exclusive_group=row.exclusive_group,
            )
            for row in scenario.candidates.all()
        ],
        ScenarioCandidate, batch_size=BATCH_SIZE, default_user=by,
    )  # fmt: skip
    bulk_create_with_history(
        [ScenarioYearLimit(scenario=copy, year=r.year, budget=r.budget)
         for r in scenario.year_limits.all()],
        ScenarioYearLimit, default_user=by,
    )  # fmt: skip
    bulk_create_with_history(
        [ScenarioRoleLimit(scenario=copy, role_id=r.role_id, hours=r.hours)
         for r in scenario.role_limits.all()],
        ScenarioRoleLimit, default_user=by,
    )  # fmt: skip
    bulk_create_with_history(
        [ScenarioDependency(scenario=copy, project_id=r.project_id, requires_id=r.requires_id)
         for r in scenario.dependencies.all()],
        ScenarioDependency, default_user=by,
    )  # fmt: skip
    return copy


@transaction.atomic
def scenario_commit(*, by, scenario: Scenario, note: str = "") -> list[PortfolioDecision]:
    """Record the solved selection as portfolio decisions, once: selected projects are
    approved, forced-out ones stopped, the others deferred. The scenario's row is locked, so a
    second commit at the same moment waits and is then refused."""
    _ensure_pmo(by)
    current = _locked_draft(scenario)
    if not current.is_solved:
        raise ValidationError(_("Solve the scenario before committing it."))
    if not current.feasible:
        raise ValidationError(_("An infeasible scenario cannot be committed."))
    today = timezone.localdate()
    decisions = []
    for row in current.candidates.all():
        if row.selected:
            decision = PortfolioDecision.Decision.APPROVE
        elif row.forced == ScenarioCandidate.Forced.OUT:
            decision = PortfolioDecision.Decision.STOP
        else:
            decision = PortfolioDecision.Decision.DEFER
        decisions.append(
            PortfolioDecision(
                project_id=row.project_id, scenario=current, decision=decision,
                decided_by=by, decided_on=today, note=note,
            )
        )  # fmt: skip
    PortfolioDecision.objects.bulk_create(decisions, batch_size=BATCH_SIZE)
    current.status = Scenario.Status.COMMITTED
    current.committed_by, current.committed_at = by, timezone.now()
    current.version += 1
    current._history_user = by
    current.save()
    return decisions
