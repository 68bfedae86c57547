"""Resource requests: open ones waiting in the resource managers' queue (a few from the `pm`
login), fulfilled ones with the bookings made for them, rejected ones with the reason, and a few
withdrawn by the project manager.

Each request's history shows it as it was asked for and, when decided, as decided, with its
skills, as the services would have recorded it.
"""

import copy
import random
from decimal import Decimal

from django.utils import timezone

from projects.demo.runner import DemoContext, moment
from projects.models import Project

from ..models import ResourceRequest
from .allocations import Planner
from .bulk import BATCH_SIZE
from .names import REJECTION_REASONS, REQUEST_NOTES, ROLES
from .people import Staffing
from .timeline import days, project_window

Status = ResourceRequest.Status
Unit = ResourceRequest.Unit

REQUEST_COUNTS = {  # size: {status: how many}
    "small": {Status.OPEN: 15, Status.FULFILLED: 20, Status.REJECTED: 5, Status.CANCELLED: 2},
    "large": {Status.OPEN: 300, Status.FULFILLED: 1500, Status.REJECTED: 150, Status.CANCELLED: 40},
}
PM_OPEN_REQUESTS = {"small": 3, "large": 8}
FTE_AMOUNTS = [Decimal("0.5"), Decimal(1), Decimal(1), Decimal(1), Decimal(2), Decimal(3)]
HOUR_AMOUNTS = [8, 12, 16, 20, 24, 32]
WANTING = [Project.Status.PROPOSED, Project.Status.APPROVED, Project.Status.ACTIVE]


def _unsent(
    rng: random.Random, context: DemoContext, project: Project, role: str, roles, skills
) -> tuple[ResourceRequest, list]:
    """A request for a role from the project's manager, for 1-6 months within its dates and,
    where the project still runs for a while, starting within the next two months."""
    today = context.today
    window_start, window_end = project_window(project)
    start = max(window_start, min(today + days(rng.randint(7, 60)), window_end - days(30)))
    end = min(start + days(rng.randint(30, 183)), window_end)
    if rng.random() < 0.6:
        amount, unit = rng.choice(FTE_AMOUNTS), Unit.FTE
    else:
        amount, unit = Decimal(rng.choice(HOUR_AMOUNTS)), Unit.HOURS
    typical = next(skill_names for key, *_rest, skill_names in ROLES if key == role)
    wanted = rng.sample(typical, min(len(typical), rng.randint(1, 3)))
    request = ResourceRequest(
        project=project, role=roles[role], amount=amount, unit=unit, start=start, end=end,
        note=rng.choice(REQUEST_NOTES), requested_by=project.manager,
        requested_at=moment(rng, today - days(rng.randint(0, 30))),
    )  # fmt: skip
    return request, [skills[name] for name in wanted]


def plan_requests(
    context: DemoContext,
    rng: random.Random,
    planner: Planner,
    staffing: Staffing,
    roles: dict,
    skills: dict,
) -> list[tuple[ResourceRequest, list]]:
    """The requests with their skills; fulfilled ones are linked to bookings in the planner.
    Requests ask for roles the project's division has; `roles` and `skills` map the keys of
    names.ROLES and the skills' names to their rows."""
    counts = REQUEST_COUNTS[context.size]
    today, now = context.today, timezone.now()
    resource_manager = context.logins["resource"]
    wanting = [
        p for p in context.projects
        if p.status in WANTING and (project_window(p)[1] - today).days >= 45
    ]  # fmt: skip
    by_pm = [p for p in wanting if p.manager_id == context.logins["pm"].pk] or wanting
    planned = []

    def decide(request, status, by, reason=""):
        request.status, request.decided_by, request.decision_reason = status, by, reason
        request.decided_at = min(request.requested_at + days(rng.randint(1, 6)), now)
        request.version = 2

    def unsent(projects):
        project = rng.choice(projects)
        role = staffing.role(rng, project.department)
        return _unsent(rng, context, project, role, roles, skills)

    for number in range(counts[Status.OPEN]):
        planned.append(unsent(by_pm if number < PM_OPEN_REQUESTS[context.size] else wanting))
    for _ in range(counts[Status.REJECTED]):
        request, wanted = unsent(wanting)
        request.requested_at -= days(rng.randint(10, 120))
        decide(request, Status.REJECTED, resource_manager, rng.choice(REJECTION_REASONS))
        planned.append((request, wanted))
    for _ in range(counts[Status.CANCELLED]):
        request, wanted = unsent(wanting)
        request.requested_at -= days(rng.randint(5, 60))
        decide(request, Status.CANCELLED, request.project.manager)
        planned.append((request, wanted))

    # Fulfilled: a booking of a named person on a project under way, asked for before it began.
    candidates = [
        (allocation, member, project)
        for allocation, member, project in planner.bookings
        if project.status in (Project.Status.APPROVED, Project.Status.ACTIVE)
        and member.role and member.resource.user_id is None
        and allocation.booking != "requested" and allocation.start >= today - days(365)
    ]  # fmt: skip
    for allocation, member, project in rng.sample(
        candidates, min(counts[Status.FULFILLED], len(candidates))
    ):
        hours = allocation.hours_per_week
        if hours in (20, 40) and rng.random() < 0.6:
            amount, unit = hours / 40, Unit.FTE
        else:
            amount, unit = hours, Unit.HOURS
        asked = min(allocation.start - days(rng.randint(10, 45)), today - days(2))
        request = ResourceRequest(
            project=project, role=roles[member.role], amount=amount, unit=unit,
            start=allocation.start, end=allocation.end, note=rng.choice(REQUEST_NOTES),
            requested_by=project.manager, requested_at=moment(rng, asked),
        )  # fmt: skip
        decide(request, Status.FULFILLED, resource_manager)
        request._allocation = allocation
        top = [name for name, _level in member.skills[: rng.randint(1, 2)]]
        planned.append((request, [skills[name] for name in top]))
    return planned


def save_requests(context: DemoContext, planned: list[tuple[ResourceRequest, list]]) -> None:
    """Write the requests, their skills and history, and link the bookings made for them."""
    requests = [request for request, _skills in planned]
    asked_at = [request.requested_at for request in requests]
    ResourceRequest.objects.bulk_create(requests, batch_size=BATCH_SIZE)
    for request, when in zip(requests, asked_at, strict=True):
        request.requested_at = when  # bulk_create stamped them now (auto_now_add)
    ResourceRequest.objects.bulk_update(requests, ["requested_at"], batch_size=BATCH_SIZE)
    for request in requests:
        allocation = getattr(request, "_allocation", None)
        if allocation is not None:
            allocation.request_id = request.pk

    Through = ResourceRequest.skills.through
    links = Through.objects.bulk_create(
        [
            Through(resourcerequest_id=request.pk, skill_id=skill.pk)
            for request, wanted in planned
            for skill in wanted
        ],
        batch_size=BATCH_SIZE,
    )
    _write_history(requests, links)
    context.summary["resource requests"] = len(requests)


def _write_history(requests: list[ResourceRequest], links: list) -> None:
    """Each request as asked for (by its requester, when asked) and, if decided, as decided."""
    as_asked = []
    for request in requests:
        state = copy.copy(request)
        state.status, state.decided_by, state.decided_at = Status.OPEN, None, None
        state.decision_reason, state.version = "", 1
        state._history_user, state._history_date = request.requested_by, request.requested_at
        as_asked.append(state)
    decided = [request for request in requests if request.status != Status.OPEN]
    for request in decided:
        request._history_user, request._history_date = request.decided_by, request.decided_at
    records = ResourceRequest.history.bulk_history_create(as_asked, batch_size=BATCH_SIZE)
    records += ResourceRequest.history.bulk_history_create(
        decided, batch_size=BATCH_SIZE, update=True
    )
    skills_of: dict[int, list] = {}
    for link in links:
        skills_of.setdefault(link.resourcerequest_id, []).append(link)
    HistoricalSkills = ResourceRequest.history.model.skills.model
    HistoricalSkills.objects.bulk_create(
        [
            HistoricalSkills(
                history_id=record.history_id,
                id=link.pk,
                resourcerequest_id=link.resourcerequest_id,
                skill_id=link.skill_id,
            )
            for record in records
            for link in skills_of.get(record.id, [])
        ],
        batch_size=BATCH_SIZE,
    )
