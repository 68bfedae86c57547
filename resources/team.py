"""A project's team: who is booked on it, when, at how many hours, and what those hours cost.

The planned labour cost of an allocation is its hours per week over its whole period (days / 7)
times the resource's cost rate, in the resource's currency: rates are not converted, so the
total is given per currency. Two queries, whatever the size of the team.
"""

from decimal import Decimal

from django.db.models import DecimalField, ExpressionWrapper, F, Sum, Value
from django.db.models.functions import Cast

from .capacity import DaysBetween
from .models import Allocation

HOURS = DecimalField(max_digits=12, decimal_places=1)
MONEY = DecimalField(max_digits=18, decimal_places=2)


def _days():
    return DaysBetween(F("end"), F("start")) + Value(1)


def planned_hours():
    """Hours per week over the allocation's period, both ends included."""
    return Cast(
        ExpressionWrapper(
            F("hours_per_week") * _days() / Value(Decimal(7)),
            output_field=DecimalField(max_digits=18, decimal_places=6),
        ),
        HOURS,
    )


def planned_cost():
    """Planned hours times the resource's cost rate, rounded to the cent (multiplied before the
    division by 7, so a whole number of weeks gives an exact figure)."""
    return Cast(
        ExpressionWrapper(
            F("hours_per_week") * _days() * F("resource__cost_rate") / Value(Decimal(7)),
            output_field=DecimalField(max_digits=24, decimal_places=6),
        ),
        MONEY,
    )


def project_team(project) -> dict:
    """The context of resources/_project_team.html: the project's allocations, each with its
    planned hours and labour cost, and the planned labour cost in total per currency."""
    team = (
        Allocation.objects.filter(project=project)
        .select_related("resource", "resource__role")
        .annotate(planned_hours=planned_hours(), planned_cost=planned_cost())
        .order_by("start", "resource__name", "pk")
    )
    totals = (
        Allocation.objects.filter(project=project)
        .order_by("resource__currency")
        .values("resource__currency")
        .annotate(amount=Sum(planned_cost()))
    )
    return {
        "project": project,
        "team": list(team),
        "planned_labour_cost": [
            {"currency": row["resource__currency"], "amount": row["amount"]} for row in totals
        ],
    }
