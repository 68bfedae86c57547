"""The demo's portfolio structure, objectives, criteria, pairwise judgements and scores.

- Three top-level portfolios with two or three sub-portfolios each, programmes in the
  sub-portfolios, and every project placed (most in a sub-portfolio, some in a programme),
  with the PMO's risk judgement on most;
- for this year, three strategic objectives and seven criteria per top portfolio, each on a
  1-5 scale. "Digital transformation" has pairwise judgements that agree with one another
  (consistency ratio under 0.10) and the weights they give; "Operations excellence" has
  judgements that contradict each other (a consistency warning) and weights set directly;
  "Growth and innovation" has weights set directly;
- scores for most projects (a few left partly or wholly unscored), drawn around a quality of
  each project so that the ranking has a clear top and tail; pending score proposals by the
  `pm` login; then the ranking.
"""

import random

from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from projects.demo.runner import DemoContext
from resources.demo.bulk import BATCH_SIZE, row_maker

from .. import ahp
from ..models import (
    Criterion,
    CriterionLevel,
    PairwiseJudgement,
    Portfolio,
    PortfolioProject,
    Programme,
    Score,
    ScoreProposal,
    StrategicObjective,
)
from ..services.criteria import SAATY_JUDGEMENTS
from ..services.ranking import rankings_recompute

TREES = [  # top portfolio, its sub-portfolios
    ("Digital transformation", ["Customer channels", "Data and analytics", "Core systems"]),
    ("Operations excellence", ["Supply chain", "Facilities and safety"]),
    ("Growth and innovation", ["New markets", "Product innovation"]),
]
PROGRAMMES = {"small": 1, "large": 4}  # per sub-portfolio
PROGRAMME_NAMES = ["Wave", "Horizon", "Pathfinder", "Bridge", "Catalyst", "Summit", "Atlas"]
OBJECTIVES = [  # name, description
    ("Grow revenue", "New income from products, channels and markets."),
    ("Cut operating cost", "Lower running costs through automation and consolidation."),
    ("Reduce risk and stay compliant", "Meet regulation and lower operational risk."),
]
CRITERIA = [  # name, direction, objective index, true weight, level labels
    ("Revenue impact", "benefit", 0, 0.30, ["None", "Small", "Moderate", "Large", "Very large"]),
    ("Cost savings", "benefit", 1, 0.20, ["None", "Small", "Moderate", "Large", "Very large"]),
    ("Strategic fit", "benefit", 0, 0.15, ["None", "Weak", "Partial", "Good", "Core"]),
    ("Regulatory need", "benefit", 2, 0.12, ["None", "Helpful", "Expected", "Required", "Must"]),
    ("Risk reduction", "benefit", 2, 0.10, ["None", "Small", "Moderate", "Large", "Critical"]),
    ("Implementation effort", "cost", None, 0.08, ["Trivial", "Small", "Medium", "Large", "Huge"]),
    ("Delivery risk", "cost", None, 0.05, ["Very low", "Low", "Medium", "High", "Very high"]),
]  # fmt: skip
TOP_SHARE = 0.2  # of projects placed straight in a top portfolio
PROGRAMME_SHARE = 0.55  # of projects in a sub-portfolio that are in one of its programmes
RISK_JUDGED_SHARE = 0.85
UNSCORED_SHARE = 0.06
PARTLY_SCORED_SHARE = 0.08
PROPOSALS = {"small": 4, "large": 25}
RATIONALES = [
    "Business case approved by the steering committee.",
    "Estimate from the feasibility study.",
    "Agreed with the sponsor at the scoring workshop.",
    "Based on last year's comparable project.",
    "Finance validated the figures.",
]

make_portfolio = row_maker(Portfolio, "name", "description", "parent_id", "manager_id", "path")
make_placement = row_maker(
    PortfolioProject, "project_id", "portfolio_id", "programme_id", "risk_score"
)
make_score = row_maker(
    Score, "project_id", "criterion_id", "level", "rationale", "scored_by_id", "scored_at"
)


def _saaty(ratio: float) -> int:
    """The judgement on Saaty's scale closest to a ratio of weights."""

    def distance(judgement):
        value = judgement if judgement >= 1 else 1 / -judgement
        return abs(value - ratio) if ratio >= 1 else abs(1 / value - 1 / ratio)

    return min(SAATY_JUDGEMENTS, key=distance)


def _judgements(weights: list[float], *, contradict: bool) -> dict[tuple[int, int], int]:
    """Judgements (by criterion position) from true weights; `contradict` turns some around."""
    judgements = {}
    for i in range(len(weights)):
        for j in range(i + 1, len(weights)):
            judgements[(i, j)] = _saaty(weights[i] / weights[j])
    if contradict:
        pairs = list(judgements)
        for pair in pairs[1:6:2] + pairs[-3:]:
            value = judgements[pair]
            judgements[pair] = {1: 5, 2: -3, -2: 3}.get(value, -value)
    return judgements


def _ahp_weights(count: int, judgements: dict) -> tuple[float, ...]:
    matrix = ahp.reciprocal_matrix(
        count, {pair: float(j) if j >= 1 else 1 / -j for pair, j in judgements.items()}
    )
    return ahp.ahp_weights(matrix).weights


def _save_structure(context: DemoContext, rng: random.Random) -> tuple[list, list]:
    """The portfolios (paths set after their ids are known) and programmes."""
    pmo = context.logins["pmo"]
    tops, subs = [], []
    for name, children in TREES:
        top = Portfolio.objects.create(name=name, manager=pmo, path="/")
        top.path = f"/{top.pk}/"
        tops.append(top)
        rows = Portfolio.objects.bulk_create(
            make_portfolio(child, "", top.pk, rng.choice(context.managers).pk, "/")
            for child in children
        )
        for row in rows:
            row.path = f"{top.path}{row.pk}/"
        subs += rows
    Portfolio.objects.bulk_update(tops + subs, ["path"])
    Portfolio.history.bulk_history_create(tops + subs, default_user=pmo)
    programmes = []
    names = iter(PROGRAMME_NAMES * 20)
    for sub in subs:
        for _ in range(PROGRAMMES[context.size]):
            programmes.append(
                Programme(
                    portfolio=sub, name=f"{sub.name} {next(names)}",
                    manager=rng.choice(context.managers),
                )
            )  # fmt: skip
    programmes = bulk_create_with_history(programmes, Programme, default_user=pmo)
    return tops, subs, programmes


def _place(context, rng, tops, subs, programmes) -> dict[int, Portfolio]:
    """Every project in a portfolio; returns each project's top portfolio."""
    by_sub = {}
    for programme in programmes:
        by_sub.setdefault(programme.portfolio_id, []).append(programme)
    top_of = {top.pk: top for top in tops}
    placements, frame = [], {}
    for project in context.projects:
        if rng.random() < TOP_SHARE:
            portfolio, programme = rng.choice(tops), None
        else:
            portfolio = rng.choice(subs)
            choices = by_sub.get(portfolio.pk, [])
            programme = rng.choice(choices) if choices and rng.random() < PROGRAMME_SHARE else None
        risk = rng.randint(1, 5) if rng.random() < RISK_JUDGED_SHARE else None
        placements.append(
            make_placement(project.pk, portfolio.pk, programme.pk if programme else None, risk)
        )
        frame[project.pk] = top_of[portfolio.top_id]
    # Thousands of rows: their creation records would only say "placed by the demo".
    PortfolioProject.objects.bulk_create(placements, batch_size=BATCH_SIZE)
    context.summary["portfolio placements"] = len(placements)
    return frame


def _criteria(context, tops) -> dict[int, list[Criterion]]:
    """Objectives, criteria with their scales, judgements and weights per top portfolio."""
    pmo, period = context.logins["pmo"], context.today.year
    by_top = {}
    for number, top in enumerate(tops):
        objectives = bulk_create_with_history(
            [StrategicObjective(portfolio=top, period=period, name=name, description=text)
             for name, text in OBJECTIVES],
            StrategicObjective, default_user=pmo,
        )  # fmt: skip
        # Each tree weighs the criteria a little differently.
        shift = [1.0, 0.8, 1.3][number]
        criteria, true_weights = [], []
        for position, (name, direction, goal, weight, _labels) in enumerate(CRITERIA):
            criteria.append(
                Criterion(
                    portfolio=top, period=period, name=name, direction=direction,
                    objective=objectives[goal] if goal is not None else None,
                    scale_min=1, scale_max=5,
                )
            )  # fmt: skip
            true_weights.append(weight * (shift if position % 2 else 1))
        judgements = _judgements(true_weights, contradict=number == 1) if number < 2 else {}
        weights = _ahp_weights(len(criteria), judgements) if number == 0 else true_weights
        for criterion, weight in zip(criteria, weights, strict=True):
            criterion.weight = round(weight, 4)
        criteria = bulk_create_with_history(criteria, Criterion, default_user=pmo)
        levels = [
            CriterionLevel(criterion=criterion, value=value, label=label)
            for criterion, (*_rest, labels) in zip(criteria, CRITERIA, strict=True)
            for value, label in enumerate(labels, start=1)
        ]
        bulk_create_with_history(levels, CriterionLevel, default_user=pmo)
        if judgements:
            rows = [
                PairwiseJudgement(first_id=criteria[i].pk, second_id=criteria[j].pk, judgement=k)
                for (i, j), k in judgements.items()
            ]
            bulk_create_with_history(rows, PairwiseJudgement, default_user=pmo)
        by_top[top.pk] = criteria
    return by_top


def _scores(context, rng, frame, by_top) -> None:
    pmo, now = context.logins["pmo"], timezone.now()
    scores = []
    for project in context.projects:
        draw = rng.random()
        if draw < UNSCORED_SHARE:
            continue
        quality = rng.gauss(3, 0.9)
        for criterion in by_top[frame[project.pk].pk]:
            if draw < UNSCORED_SHARE + PARTLY_SCORED_SHARE and rng.random() < 0.5:
                continue
            level = quality + rng.gauss(0, 1.0)
            if criterion.direction == "cost":
                level = 6 - level
            level = min(5, max(1, round(level)))
            scores.append(
                make_score(project.pk, criterion.pk, level, rng.choice(RATIONALES), pmo.pk, now)
            )
    Score.objects.bulk_create(scores, batch_size=BATCH_SIZE)
    # Tens of thousands of creation records would only say "scored by the demo"; the `pm`
    # login's projects get theirs, so that their score history shows.
    own = {p.pk for p in context.projects if p.manager_id == context.logins["pm"].pk}
    Score.history.bulk_history_create(
        [row for row in scores if row.project_id in own], batch_size=BATCH_SIZE, default_user=pmo
    )
    context.summary["portfolio scores"] = len(scores)


def _proposals(context, rng, frame, by_top) -> None:
    pm = context.logins["pm"]
    own = [p for p in context.projects if p.manager_id == pm.pk]
    proposals, seen = [], set()
    for _ in range(PROPOSALS[context.size]):
        if not own:
            break
        project = rng.choice(own)
        criterion = rng.choice(by_top[frame[project.pk].pk])
        if (project.pk, criterion.pk) in seen:
            continue
        seen.add((project.pk, criterion.pk))
        proposals.append(
            ScoreProposal(
                project=project, criterion=criterion, level=rng.randint(1, 5),
                rationale="The latest estimate from the project team.", proposed_by=pm,
            )
        )  # fmt: skip
    bulk_create_with_history(proposals, ScoreProposal, default_user=pm)


def seed_portfolio_structure(context: DemoContext, rng: random.Random) -> None:
    tops, subs, programmes = _save_structure(context, rng)
    frame = _place(context, rng, tops, subs, programmes)
    by_top = _criteria(context, tops)
    _scores(context, rng, frame, by_top)
    _proposals(context, rng, frame, by_top)
    for top in tops:
        rankings_recompute(portfolio=top, period=context.today.year)
    context.summary["portfolios"] = len(tops) + len(subs)
