"""What reports reads from the risk register: the open critical threats of a project.

A risk counts when it is a threat, still watched (open or monitoring), and critical after its
responses (its residual level): the exposure the project carries now.
"""

from risks.models import Risk
from risks.models.register import ACTIVE_STATUSES

CRITICAL_LEVEL = "critical"


def critical_risks():
    return Risk.objects.filter(
        kind=Risk.Kind.THREAT, status__in=ACTIVE_STATUSES, residual_level=CRITICAL_LEVEL
    )


def critical_risks_of(project) -> int:
    return critical_risks().filter(project=project).count()


def critical_risk_projects() -> list[int]:
    """The projects with open critical risks, in one query."""
    return list(
        critical_risks()
        .filter(project__isnull=False)
        .order_by()
        .values_list("project_id", flat=True)
        .distinct()
    )
