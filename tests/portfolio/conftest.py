"""A small portfolio for the portfolio area's tests: two portfolio trees, a programme, two
placed projects scored on two criteria, an objective, a scenario, a review, a proposal."""

import datetime

import pytest

from portfolio.models import ScoreProposal
from portfolio.services import reviews, scenarios
from tests.portfolio.factories import (
    PERIOD,
    PortfolioFactory,
    ProgrammeFactory,
    criterion,
    objective,
    place,
    rank,
    score,
)


@pytest.fixture
def world(pmo, pm, project, others_project):
    """`project` (pm's) in the sub-portfolio "Customer" of "Digital", in its programme;
    `others_project` straight in "Digital". Both scored on Digital's 2026 criteria."""
    top = PortfolioFactory(name="Digital")
    sub = PortfolioFactory(name="Customer", parent=top)
    other_top = PortfolioFactory(name="Operations")
    programme = ProgrammeFactory(portfolio=sub, name="Omnichannel", manager=pm)
    place(project, sub, programme, risk_score=2)
    place(others_project, top, risk_score=4)
    growth = objective(top, "Grow revenue")
    value = criterion(top, "Revenue", weight=3, objective=growth)
    effort = criterion(top, "Effort", weight=1, direction="cost")
    score(project, value, 5, pmo)
    score(project, effort, 1, pmo)
    score(others_project, value, 2, pmo)
    score(others_project, effort, 4, pmo)
    rank(top)
    proposal = ScoreProposal.objects.create(
        project=project, criterion=effort, level=2, rationale="Smaller than we thought.",
        proposed_by=pm,
    )  # fmt: skip
    scenario = scenarios.scenario_create(by=pmo, portfolio=top, period=PERIOD, name="Base case")
    second = scenarios.scenario_create(by=pmo, portfolio=top, period=PERIOD, name="Lean")
    review = reviews.review_save(
        by=pmo, portfolio=top, period="2026 Q1", held_on=datetime.date(2026, 3, 31),
        status="held",
    )  # fmt: skip
    return {
        "top": top,
        "sub": sub,
        "other_top": other_top,
        "programme": programme,
        "objective": growth,
        "value": value,
        "effort": effort,
        "proposal": proposal,
        "scenario": scenario,
        "second": second,
        "review": review,
        "project": project,
        "others_project": others_project,
    }


@pytest.fixture
def ids(world):
    """The primary keys of `world`, for URL templates."""
    return {
        "top": world["top"].pk,
        "programme": world["programme"].pk,
        "criterion": world["value"].pk,
        "objective": world["objective"].pk,
        "proposal": world["proposal"].pk,
        "scenario": world["scenario"].pk,
        "second": world["second"].pk,
        "review": world["review"].pk,
        "own": world["project"].pk,
        "other": world["others_project"].pk,
        "period": PERIOD,
    }
