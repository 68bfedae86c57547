"""The models of the `risks` app, one module per concern."""

from .config import (
    Level,
    ReviewCadence,
    RiskCategory,
    RiskMatrix,
    RiskMatrixCell,
    Scale,
    ScaleLevel,
    default_level,
)
from .issues import Issue
from .lessons import FullTextIndex, Lesson
from .register import Contingency, Risk, RiskAction, RiskResponse
from .reviews import DigestRun

__all__ = [
    "Contingency", "DigestRun", "FullTextIndex", "Issue", "Lesson", "Level", "ReviewCadence",
    "Risk", "RiskAction", "RiskCategory", "RiskMatrix", "RiskMatrixCell", "RiskResponse", "Scale",
    "ScaleLevel", "default_level",
]  # fmt: skip
