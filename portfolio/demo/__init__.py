"""Demo data for the portfolio area, run by `manage.py seed_demo` after the resources steps
(the scenarios read the bookings and requests): the structure, objectives, criteria and scores
(structure.py), then scenarios, portfolio decisions and reviews (decisions.py)."""

from projects.demo.runner import DemoStep
from resources.demo.bulk import delete_all

from ..models import (
    Criterion,
    CriterionLevel,
    PairwiseJudgement,
    Portfolio,
    PortfolioDecision,
    PortfolioProject,
    PortfolioReview,
    Programme,
    ProjectRanking,
    ReviewDecision,
    Scenario,
    ScenarioCandidate,
    ScenarioDependency,
    ScenarioRoleLimit,
    ScenarioYearLimit,
    Score,
    ScoreProposal,
    StrategicObjective,
)
from .decisions import seed_portfolio_decisions
from .structure import seed_portfolio_structure


def _with_history(*models):
    return [table for model in models for table in (model.history.model, model)]


def flush_portfolio_decisions() -> None:
    delete_all(
        *_with_history(ReviewDecision, PortfolioReview),
        PortfolioDecision,
        *_with_history(
            ScenarioDependency, ScenarioRoleLimit, ScenarioYearLimit, ScenarioCandidate, Scenario
        ),
    )


def flush_portfolio_structure() -> None:
    delete_all(
        ProjectRanking,
        *_with_history(
            ScoreProposal, Score, PairwiseJudgement, CriterionLevel, Criterion,
            StrategicObjective, PortfolioProject, Programme, Portfolio,
        ),
    )  # fmt: skip


DEMO_STEPS = [
    DemoStep("portfolio structure and scores", seed_portfolio_structure, flush_portfolio_structure),
    DemoStep(
        "portfolio scenarios and reviews", seed_portfolio_decisions, flush_portfolio_decisions
    ),
]
