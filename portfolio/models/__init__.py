"""The models of the `portfolio` app, one module per concern."""

from .criteria import (
    Criterion,
    CriterionLevel,
    PairwiseJudgement,
    ProjectRanking,
    Score,
    ScoreProposal,
    StrategicObjective,
)
from .reviews import PortfolioReview, ReviewDecision
from .scenarios import (
    PortfolioDecision,
    Scenario,
    ScenarioCandidate,
    ScenarioDependency,
    ScenarioRoleLimit,
    ScenarioYearLimit,
)
from .structure import RISK_SCORES, Portfolio, PortfolioProject, Programme

__all__ = [
    "RISK_SCORES", "Criterion", "CriterionLevel", "PairwiseJudgement", "Portfolio",
    "PortfolioDecision", "PortfolioProject", "PortfolioReview", "Programme", "ProjectRanking",
    "ReviewDecision", "Scenario", "ScenarioCandidate", "ScenarioDependency", "ScenarioRoleLimit",
    "ScenarioYearLimit", "Score", "ScoreProposal", "StrategicObjective",
]  # fmt: skip
