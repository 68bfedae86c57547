"""How well each project follows the PMO's lifecycle, computed in the database.

The compliance score starts at 100 and loses points for what a gate review would object to:

- the current gate is overdue (its due date has passed, it is not approved and the project
  is neither held nor stopped at it): -30;
- each mandatory deliverable or criterion of the current phase without evidence: -10, at most -40;
- each open gate condition past its due date: -10, at most -20;
- each gate passed without approval (a supportive PMO allows it): -10, at most -20;

and never goes below 0. Everything is an annotation, so the list sorts and pages on the score,
and the roll-up by department is one GROUP BY, whatever the number of projects.
"""

from django.db.models import (
    Avg,
    BooleanField,
    Case,
    Count,
    ExpressionWrapper,
    F,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce, Greatest, Least
from django.utils import timezone

from .models import GateCondition, ProjectChecklistItem, ProjectPhase

GATE_OVERDUE_PENALTY = 30
MISSING_ITEM_PENALTY, MISSING_ITEM_CAP = 10, 40
OVERDUE_CONDITION_PENALTY, OVERDUE_CONDITION_CAP = 10, 20
SKIPPED_GATE_PENALTY, SKIPPED_GATE_CAP = 10, 20

# A gate that passed, or one whose project is held or stopped, is not waiting on anyone.
NOT_AWAITED = [
    ProjectPhase.GateStatus.APPROVED,
    ProjectPhase.GateStatus.CONDITIONAL,
    ProjectPhase.GateStatus.ON_HOLD,
    ProjectPhase.GateStatus.STOPPED,
]


def _count(queryset: QuerySet, group_by: str):
    """A correlated COUNT over `queryset` for the outer project, 0 when there is none."""
    counted = queryset.order_by().values(group_by).annotate(total=Count("pk")).values("total")
    return Coalesce(Subquery(counted, output_field=IntegerField()), Value(0))


def with_compliance(projects: QuerySet) -> QuerySet:
    """Annotate projects on a lifecycle with their compliance figures and score."""
    today = timezone.localdate()
    missing_mandatory = _count(
        ProjectChecklistItem.objects.filter(
            phase=OuterRef("current_phase"), mandatory=True, met_at__isnull=True
        ),
        "phase",
    )
    open_conditions = _count(
        GateCondition.objects.filter(
            decision__submission__phase__project=OuterRef("pk"), status=GateCondition.Status.OPEN
        ),
        "decision__submission__phase__project",
    )
    overdue_conditions = _count(
        GateCondition.objects.filter(
            decision__submission__phase__project=OuterRef("pk"),
            status=GateCondition.Status.OPEN,
            due_date__lt=today,
        ),
        "decision__submission__phase__project",
    )
    skipped_gates = _count(
        ProjectPhase.objects.filter(
            project=OuterRef("pk"), gate_status=ProjectPhase.GateStatus.SKIPPED
        ),
        "project",
    )
    gate_overdue = Q(current_phase__planned_end__lt=today) & ~Q(
        current_phase__gate_status__in=NOT_AWAITED
    )
    return projects.filter(current_phase__isnull=False).annotate(
        missing_mandatory=missing_mandatory,
        open_conditions=open_conditions,
        overdue_conditions=overdue_conditions,
        skipped_gates=skipped_gates,
        gate_overdue=ExpressionWrapper(gate_overdue, output_field=BooleanField()),
        compliance_score=Greatest(
            Value(100)
            - Case(When(gate_overdue, then=Value(GATE_OVERDUE_PENALTY)), default=Value(0))
            - Least(F("missing_mandatory") * MISSING_ITEM_PENALTY, Value(MISSING_ITEM_CAP))
            - Least(
                F("overdue_conditions") * OVERDUE_CONDITION_PENALTY,
                Value(OVERDUE_CONDITION_CAP),
            )
            - Least(F("skipped_gates") * SKIPPED_GATE_PENALTY, Value(SKIPPED_GATE_CAP)),
            Value(0),
            output_field=IntegerField(),
        ),
    )


def department_rollup(compliance: QuerySet) -> QuerySet:
    """One row per department: projects, average score, overdue gates, missing items."""
    return (
        compliance.order_by()
        .values(
            "department__id", "department__code", "department__name", "department__name_zh_hans"
        )  # fmt: skip
        .annotate(
            project_count=Count("pk"),
            average_score=Avg("compliance_score"),
            overdue_gates=Count("pk", filter=Q(gate_overdue=True)),
            missing_items=Sum("missing_mandatory"),
            open_conditions_total=Sum("open_conditions"),
        )
        .order_by("average_score", "department__code")
    )
