"""The models of the `reports` app: status reporting in status.py, the PMO's own measures in
metrics.py, executive PDF reports sent on a schedule in executive.py."""

from .executive import ReportDelivery, ReportRun, ReportSubscription
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
    "ReportDelivery", "ReportRun", "ReportSubscription", "ReportingPeriod", "ReportingSchedule",
    "StatusReport",
]  # fmt: skip
