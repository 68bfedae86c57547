"""The models of the `reports` app: status reporting in status.py, the PMO's own measures in
metrics.py (executive PDF reports will sit beside them)."""

from .metrics import ClosureSurvey, EffectivenessTarget, Metric
from .status import (
    RAG,
    RagThresholds,
    ReminderClaim,
    ReportingPeriod,
    ReportingSchedule,
    StatusReport,
)

__all__ = [
    "RAG", "ClosureSurvey", "EffectivenessTarget", "Metric", "RagThresholds", "ReminderClaim",
    "ReportingPeriod", "ReportingSchedule", "StatusReport",
]  # fmt: skip
