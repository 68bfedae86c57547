"""The demo's scenarios and portfolio reviews.

- "Digital transformation": a base case (total budget at 40% of what its candidates cost, a
  budget for this year and next, limits on the hours of three roles, a dependency and a pair of
  alternatives), solved with its efficient frontier and committed, so its projects carry
  portfolio decisions; and a leaner copy at 25% of the cost, solved, not committed;
- "Operations excellence": a capacity-led scenario (role limits only), solved;
- two reviews of "Digital transformation" (last quarter, closed; this quarter, held), each
  linked to one of the projects area's portfolio review meetings, with decisions on about a
  third of its projects.
"""

import datetime
import random
from decimal import Decimal

from django.db.models import Sum
from simple_history.utils import bulk_create_with_history

from projects.demo.runner import DemoContext
from projects.models import Meeting, Project
from resources.models import ResourceRole

from ..models import Portfolio, PortfolioProject, PortfolioReview, ReviewDecision, Scenario
from ..services import scenarios
from ..services.scenarios import demand_by_role, solve_inputs

# The demo's solves stop early: at the large size a proof of optimality can take the solver
# several seconds per scenario, and the seed must stay quick (the pages say when a selection
# is not proven optimal; solving again from the page runs to the proof).
SOLVE_SECONDS = 1.0
FRONTIER_SECONDS = 4.0
ROLE_LIMITED = ["Backend developer", "Business analyst", "Project manager"]
REVIEWED_SHARE = 0.35
REVIEW_RATIONALES = {
    "continue": ["On track against its business case.", "Benefits confirmed by the sponsor."],
    "accelerate": ["Bring forward: the benefits are larger than planned."],
    "hold": ["Wait for the budget review.", "Pause until the vendor contract is signed."],
    "stop": ["The business case no longer holds.", "Superseded by another project."],
}


def _quarter(day: datetime.date) -> tuple[str, datetime.date]:
    quarter = (day.month - 1) // 3 + 1
    return f"{day.year} Q{quarter}", datetime.date(day.year, 3 * quarter, 1)


def _role_demand(scenario: Scenario, roles) -> dict[int, float]:
    """The hours of each role all the scenario's candidates ask for in its period."""
    by_project = demand_by_role(scenario, [role.pk for role in roles])
    return {role.pk: sum(hours.get(role.pk, 0) for hours in by_project.values()) for role in roles}


def _base_case(context: DemoContext, top: Portfolio) -> Scenario:
    pmo, year = context.logins["pmo"], context.today.year
    scenario = scenarios.scenario_create(
        by=pmo, portfolio=top, period=year, name=f"Base case {year}",
        description="The projects we can fund this year within the agreed budget.",
    )  # fmt: skip
    inputs = solve_inputs(scenario)
    total = sum(c.cost for c in inputs.candidates)
    this_year = sum(c.cost_by_year.get(year, 0) for c in inputs.candidates)
    next_year = sum(c.cost_by_year.get(year + 1, 0) for c in inputs.candidates)
    roles = ResourceRole.objects.filter(name__in=ROLE_LIMITED)
    demand = _role_demand(scenario, roles)
    candidates = sorted(inputs.candidates, key=lambda c: -c.value)
    dependencies = []
    if len(candidates) > 3:
        # The fourth most valuable project builds on the second.
        needed, needing = Project.objects.in_bulk([candidates[1].key, candidates[3].key]).values()
        dependencies = [(needing, needed)]
    scenario = scenarios.scenario_save(
        by=pmo,
        scenario=scenario,
        total_budget=Decimal(round(total * 0.4)),
        year_limits=[
            (year, Decimal(round(this_year * 0.45))),
            (year + 1, Decimal(round(next_year * 0.45))),
        ],
        role_limits=[
            (role, Decimal(round(demand[role.pk] * 0.5))) for role in roles if demand[role.pk]
        ],
        dependencies=dependencies,
    )
    if len(candidates) > 6:
        group = {candidates[5].key, candidates[6].key}
        scenario.candidates.filter(project__in=group).update(exclusive_group="Alternatives A")
    return scenario


def seed_portfolio_decisions(context: DemoContext, rng: random.Random) -> None:
    pmo, year = context.logins["pmo"], context.today.year
    tops = list(Portfolio.objects.tops().order_by("pk"))
    if not tops:
        return
    digital = tops[0]
    base = _base_case(context, digital)
    scenarios.scenario_solve(by=pmo, scenario=base, time_limit=SOLVE_SECONDS)
    scenarios.scenario_frontier(by=pmo, scenario=base, time_limit=FRONTIER_SECONDS)
    lean = scenarios.scenario_copy(by=pmo, scenario=base, name=f"Lean {year}")
    cost = lean.candidates.aggregate(total=Sum("project__budget"))["total"] or 0
    lean = scenarios.scenario_save(
        by=pmo, scenario=lean, total_budget=Decimal(round(cost * Decimal("0.25")))
    )
    scenarios.scenario_solve(by=pmo, scenario=lean, time_limit=SOLVE_SECONDS)
    base.refresh_from_db()
    decisions = scenarios.scenario_commit(
        by=pmo, scenario=base, note="Agreed at the portfolio board."
    )
    context.summary["portfolio decisions"] = len(decisions)
    if len(tops) > 1:
        capacity = scenarios.scenario_create(
            by=pmo, portfolio=tops[1], period=year, name=f"Capacity-led {year}",
            description="What the teams can deliver this year, whatever the budget.",
        )  # fmt: skip
        roles = ResourceRole.objects.filter(name__in=ROLE_LIMITED)
        demand = _role_demand(capacity, roles)
        limits = [
            (role, Decimal(round(demand[role.pk] * 0.6))) for role in roles if demand[role.pk]
        ]
        capacity = scenarios.scenario_save(by=pmo, scenario=capacity, role_limits=limits)
        scenarios.scenario_solve(by=pmo, scenario=capacity, time_limit=SOLVE_SECONDS)
    _reviews(context, rng, digital)


def _reviews(context: DemoContext, rng: random.Random, top: Portfolio) -> None:
    pmo = context.logins["pmo"]
    meetings = list(
        Meeting.objects.filter(kind=Meeting.Kind.PORTFOLIO_REVIEW).order_by("-held_on")[:2]
    )
    this_quarter, this_start = _quarter(context.today)
    last_quarter, _start = _quarter(this_start - datetime.timedelta(days=1))
    plans = [
        (last_quarter, this_start - datetime.timedelta(days=7), "closed"),
        (this_quarter, context.today - datetime.timedelta(days=3), "held"),
    ]
    projects = list(
        PortfolioProject.objects.in_subtree(top)
        .filter(project__status__in=["approved", "active", "on_hold"])
        .values_list("project_id", flat=True)
    )
    decisions = []
    for number, (period, day, status) in enumerate(plans):
        meeting = meetings[number] if number < len(meetings) else None
        review = PortfolioReview(
            portfolio=top, period=period, held_on=meeting.held_on if meeting else day,
            status=status, meeting=meeting, created_by=pmo,
            notes="Quarterly review of the portfolio's projects against the strategy.",
        )  # fmt: skip
        review = bulk_create_with_history([review], PortfolioReview, default_user=pmo)[0]
        for project_id in rng.sample(projects, k=round(len(projects) * REVIEWED_SHARE)):
            decision = rng.choices(
                ["continue", "accelerate", "hold", "stop"], weights=[70, 10, 14, 6]
            )[0]
            decisions.append(
                ReviewDecision(
                    review=review, project_id=project_id, decision=decision,
                    rationale=rng.choice(REVIEW_RATIONALES[decision]), decided_by=pmo,
                )
            )  # fmt: skip
    bulk_create_with_history(decisions, ReviewDecision, default_user=pmo, batch_size=2000)
    context.summary["portfolio review decisions"] = len(decisions)
