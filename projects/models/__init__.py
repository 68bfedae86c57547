"""The models of the `projects` app, one module per concern."""

from .changes import ChangeRequest
from .lifecycle import (
    GateCondition,
    GateDecision,
    GateSubmission,
    Milestone,
    ProjectChecklistItem,
    ProjectPhase,
)
from .meetings import ActionItem, Meeting, MeetingDecision
from .register import (
    OPEN_STATUSES,
    Currency,
    Department,
    ExchangeRate,
    Project,
    ProjectType,
    ReferenceData,
    Tag,
    budget_in_reporting_currency,
)
from .standards import (
    ApproverRole,
    ChecklistKind,
    EvidenceKind,
    GovernanceMode,
    GovernanceSettings,
    LifecycleTemplate,
    Methodology,
    Standard,
    StandardAttachment,
    TemplateChecklistItem,
    TemplatePhase,
)

__all__ = [
    "OPEN_STATUSES", "ActionItem", "ApproverRole", "ChangeRequest", "ChecklistKind", "Currency",
    "Department", "EvidenceKind", "ExchangeRate", "GateCondition", "GateDecision",
    "GateSubmission", "GovernanceMode", "GovernanceSettings", "LifecycleTemplate", "Meeting",
    "MeetingDecision", "Methodology", "Milestone", "Project", "ProjectChecklistItem",
    "ProjectPhase", "ProjectType", "ReferenceData", "Standard", "StandardAttachment", "Tag",
    "TemplateChecklistItem", "TemplatePhase", "budget_in_reporting_currency",
]  # fmt: skip
