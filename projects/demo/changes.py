"""Baselines, change requests and milestones for the demo.

A project is baselined when it is approved: its planned dates and budget become the baseline.
Change requests come after; an approved one moved the baseline and the plan by its schedule and
cost impact, as `change_request_decide` does, and the project's history records each move. So
the projects' current plan is where the approved changes took it, and their first history record
holds the plan as it was approved.
"""

import copy
import random
from decimal import Decimal

from ..models import ChangeRequest, Milestone, Project
from ..services.register import BASELINED_STATUSES
from .names import NAME_SLOTS
from .register import add_history_records, update_projects
from .runner import (
    DemoContext,
    DemoStep,
    at,
    between,
    create_with_history,
    days,
    moment,
    weighted,
)

Status = Project.Status
CR = ChangeRequest.Status

CHANGE_SHARE = 0.3  # of baselined projects
AWAITING_AT_LEAST = 12  # change requests in the change board's queue
# The newest request of a project still running; the ones before it are decided.
NEWEST_STATUS = {CR.SUBMITTED: 30, CR.UNDER_REVIEW: 25, CR.DRAFT: 15, CR.APPROVED: 15,
                 CR.REJECTED: 10, CR.IMPLEMENTED: 5}  # fmt: skip
DECIDED_STATUS = {CR.IMPLEMENTED: 40, CR.APPROVED: 35, CR.REJECTED: 25}
# A closed project implemented what was approved.
CLOSED_STATUS = {CR.IMPLEMENTED: 70, CR.REJECTED: 25, CR.APPROVED: 5}
# How many changes of state a request went through, as `version` counts them.
VERSIONS = {CR.DRAFT: 1, CR.SUBMITTED: 2, CR.UNDER_REVIEW: 3, CR.APPROVED: 4, CR.REJECTED: 4,
            CR.IMPLEMENTED: 5}  # fmt: skip
MOVES_BASELINE = (CR.APPROVED, CR.IMPLEMENTED)

# title, description, reason, impact on scope, schedule impact (days), cost impact (share of
# the budget); "{site}" takes a site's name.
CHANGES = [
    ("Extend user acceptance testing by three weeks",
     "Add a third test cycle for the finance and logistics processes.",
     "The second test cycle found 41 defects, six of them high; the business owner will not "
     "sign off without a re-test.", "", (21, 21), (0.02, 0.05)),
    ("Add the {site} site to the rollout",
     "Roll the solution out to the {site} site as well, with data migration and training for "
     "about 120 users.",
     "The {site} site joined the division after the merger and runs the same processes.",
     "One more site: migration, training and hypercare.", (28, 56), (0.06, 0.12)),
    ("Defer the reporting module to a later release",
     "Take the management reporting module out of scope; the current reports stay in use.",
     "The data warehouse it depends on is late; interim reports would cost more than waiting.",
     "Management reporting removed from scope.", (-21, -7), (-0.06, -0.02)),
    ("Vendor delivery delay for the core hardware",
     "Move the installation window to follow the vendor's confirmed delivery date.",
     "The vendor confirmed an eight-week delay on the core switches (component shortage).",
     "", (35, 56), (0.0, 0.01)),
    ("Keep personal data in the mainland China region",
     "Host the personal data in the mainland China region and encrypt it at rest.",
     "Legal's review under the Personal Information Protection Law requires it.",
     "Hosting region changed; encryption at rest added.", (14, 28), (0.04, 0.09)),
    ("Licence price increase for the second year",
     "Accept the vendor's revised licence price for the second contract year.",
     "The vendor raised its list prices by 12% at the renewal.", "", (0, 0), (0.03, 0.07)),
    ("Replace the implementation partner",
     "Bring in a new implementation partner for the remaining work packages.",
     "The current partner missed three milestones and could not staff the team.",
     "", (28, 63), (0.05, 0.12)),
    ("Add single sign-on",
     "Integrate the system with the group's single sign-on service.",
     "Information Security requires single sign-on for every system with confidential data.",
     "Single sign-on integration added.", (7, 21), (0.01, 0.04)),
    ("Reuse the licences of the retired platform",
     "Transfer licences from the retired platform instead of buying new ones.",
     "Retiring the old platform freed 300 licences.", "", (0, 0), (-0.05, -0.02)),
    ("Add the new quarterly regulatory report",
     "Add the quarterly report the authority asked for, with its data feeds.",
     "The authority published new reporting requirements that apply from next year.",
     "One more report and two data feeds.", (14, 35), (0.03, 0.08)),
    ("Bring go-live forward for the peak season",
     "Go live four weeks earlier with a smaller first release.",
     "Sales asked for the system to be in place before the peak season.",
     "Two minor features move to the next release.", (-35, -21), (0.02, 0.05)),
    ("Fix the penetration test findings before go-live",
     "Fix the two high findings of the penetration test before the deployment gate.",
     "Information Security will not accept go-live with high findings open.",
     "", (7, 21), (0.01, 0.03)),
]  # fmt: skip
APPROVAL_COMMENTS = [
    "Approved by the change board.", "Approved; the baseline is updated.",
    "Approved. Use the contingency first where possible.",
]  # fmt: skip
REJECTION_COMMENTS = [
    "Rejected: the benefit does not justify the cost at this stage.",
    "Rejected: raise it again with a costed alternative.",
    "Rejected: outside the agreed scope; propose it as a new project.",
]
SITES = [english for english, _chinese in NAME_SLOTS["site"]]


def is_baselined(project: Project) -> bool:
    """Approved at some time: a project that was cancelled after it started was, too."""
    return project.status in BASELINED_STATUSES or (
        project.status == Status.CANCELLED and project.actual_start is not None
    )


def seed_change_requests(context: DemoContext, rng: random.Random) -> None:
    """Baselines for the approved projects, and change requests for some of them."""
    baselined = [project for project in context.projects if is_baselined(project)]
    open_projects = [p for p in baselined if p.status not in (Status.CLOSED, Status.CANCELLED)]
    pm = context.logins["pm"]
    # `pm` has a draft on one of their projects, an active one if they can.
    pm_draft = min(
        (p for p in open_projects if p.manager_id == pm.pk),
        key=lambda p: (p.status != Status.ACTIVE, p.code),
        default=None,
    )
    changes: dict[int, list[ChangeRequest]] = {}
    for project in baselined:
        approved_on = _approved_on(rng, project, context.today)
        project.baselined_at = moment(rng, approved_on)
        if project is pm_draft or (
            project.status != Status.CANCELLED and rng.random() < CHANGE_SHARE
        ):
            changes[project.pk] = _change_requests(rng, context, project, draft=project is pm_draft)

    # The change board's queue is never short: add requests to projects with none waiting.
    awaiting = sum(_awaits(requests) for requests in changes.values())
    queue_candidates = [p for p in open_projects if not _awaits(changes.get(p.pk, []))]
    for project in rng.sample(queue_candidates, min(len(queue_candidates), AWAITING_AT_LEAST)):
        if awaiting >= AWAITING_AT_LEAST:
            break
        earlier = changes.setdefault(project.pk, [])
        request = _change_request(rng, context, project, len(earlier) + 1)
        _make_awaiting(rng, request, context.today, after=earlier[-1] if earlier else project)
        earlier.append(request)
        awaiting += 1

    as_created, later_states = {}, []
    for project in baselined:
        as_created[project.pk], states = _baseline(project, changes.get(project.pk, []))
        later_states += states
    update_projects(
        baselined,
        ["baseline_start", "baseline_end", "baseline_budget", "baselined_at", "version"],
        as_created=as_created,
    )
    add_history_records(later_states)
    requests = [request for project_changes in changes.values() for request in project_changes]
    create_with_history(
        ChangeRequest, requests, default_user=context.admin, dated=("requested_at",)
    )
    context.summary["change requests"] = len(requests)


def _approved_on(rng: random.Random, project: Project, today):
    """The day the project was approved: shortly before it started, or lately if it has not."""
    if project.actual_start is not None:
        return project.actual_start - days(rng.randint(3, 20))
    return min(project.planned_start, today) - days(rng.randint(5, 60))


def _awaits(requests: list[ChangeRequest]) -> bool:
    return any(request.status in ChangeRequest.AWAITING_DECISION for request in requests)


def _change_requests(
    rng: random.Random, context: DemoContext, project: Project, *, draft: bool
) -> list[ChangeRequest]:
    """1-3 requests after the approval, in order; the newest may be undecided if still open."""
    today = context.today
    running = project.status not in (Status.CLOSED, Status.CANCELLED)
    end = today - days(1) if running else project.actual_end
    first = project.baselined_at.date() + days(14)
    room = (end - first).days
    count = min(rng.choice([1, 1, 2, 2, 3]), max(room // 30, 1))
    requested = sorted(first + days(rng.randint(0, max(room, 0))) for _ in range(count))
    requests = []
    for number, requested_on in enumerate(requested, start=1):
        request = _change_request(rng, context, project, number)
        newest = number == count
        if newest and draft:
            request.status = CR.DRAFT
        elif newest and running:
            request.status = weighted(rng, NEWEST_STATUS)
        else:
            request.status = weighted(rng, DECIDED_STATUS if running else CLOSED_STATUS)
        if request.status in ChangeRequest.AWAITING_DECISION or request.status == CR.DRAFT:
            after = requests[-1] if requests else project
            _make_awaiting(rng, request, today, after=after, status=request.status)
        else:
            request.requested_at = moment(rng, min(requested_on, end))
            decided_on = min(requested_on + days(rng.randint(3, 21)), end)
            request.decided_at = between(
                rng, request.requested_at, at(decided_on, 18)
            ) if decided_on > requested_on else request.requested_at  # fmt: skip
            _decide(rng, context, request)
        requests.append(request)
    return requests


def _change_request(
    rng: random.Random, context: DemoContext, project: Project, number: int
) -> ChangeRequest:
    title, description, reason, scope, (low, high), (least, most) = rng.choice(CHANGES)
    site = rng.choice(SITES)
    duration = (project.planned_end - project.planned_start).days
    # No change moves the end by more than a quarter of the project's length.
    schedule = max(min(rng.randint(low, high), duration // 4), -(duration // 4))
    cost = Decimal(round(float(project.budget) * rng.uniform(least, most), -3)).quantize(
        Decimal("0.01")
    )
    request = ChangeRequest(
        project=project, number=number, title=title.format(site=site),
        description=description.format(site=site), reason=reason.format(site=site),
        scope_impact=scope, schedule_impact_days=schedule, cost_impact=cost,
        requested_by=project.manager,
    )  # fmt: skip
    request._history_user = project.manager
    return request


def _make_awaiting(
    rng: random.Random, request: ChangeRequest, today, *, after, status=None
) -> None:
    """A recent request, not decided yet: a draft, or in the change board's queue. It comes
    `after` the project's approval or its request before (whichever is given)."""
    request.status = status or (CR.SUBMITTED if rng.random() < 0.55 else CR.UNDER_REVIEW)
    earliest = after.requested_at if isinstance(after, ChangeRequest) else after.baselined_at
    requested_on = max(today - days(rng.randint(1, 30)), earliest.date())
    request.requested_at = moment(rng, min(requested_on, today - days(1)))
    request._history_date = request.requested_at
    request.version = VERSIONS[request.status]


def _decide(rng: random.Random, context: DemoContext, request: ChangeRequest) -> None:
    request.decided_by = context.logins["pmo"] if rng.random() < 0.8 else context.admin
    request.decision_comment = rng.choice(
        APPROVAL_COMMENTS if request.status in MOVES_BASELINE else REJECTION_COMMENTS
    )
    request._history_date = request.requested_at
    request.version = VERSIONS[request.status]


def _baseline(project: Project, requests: list[ChangeRequest]) -> tuple[dict, list[Project]]:
    """Set the project's baseline where its approved changes took it. Returns what its first
    history record holds (the plan as approved) and the project as each approval left it."""
    approved = sorted(
        (r for r in requests if r.status in MOVES_BASELINE), key=lambda r: r.decided_at
    )
    shift = sum(request.schedule_impact_days for request in approved)
    cost = sum((request.cost_impact for request in approved), Decimal(0))
    project.baseline_start = project.planned_start
    project.baseline_end = project.planned_end
    project.baseline_budget = project.budget
    project.version = 1 + len(approved)

    state = copy.copy(project)
    state.planned_end = state.baseline_end = project.planned_end - days(shift)
    state.budget = state.baseline_budget = project.budget - cost
    if project.forecast_end is not None:
        state.forecast_end = max(project.forecast_end - days(shift), project.forecast_start)
    as_created = {
        "history_date": project.baselined_at,
        "planned_end": state.planned_end,
        "baseline_end": state.baseline_end,
        "forecast_end": state.forecast_end,
        "budget": state.budget,
        "baseline_budget": state.baseline_budget,
        "version": 1,
    }
    later_states = []
    for request in approved:
        state = copy.copy(state)
        moved = days(request.schedule_impact_days)
        state.planned_end += moved
        state.baseline_end += moved
        if state.forecast_end is not None:
            state.forecast_end += moved
        state.budget += request.cost_impact
        state.baseline_budget += request.cost_impact
        state.version += 1
        state._history_user = request.decided_by
        state._history_date = request.decided_at
        state._change_reason = f"{request.code} approved: {request.title}"
        later_states.append(state)
    return as_created, later_states


def flush_change_requests() -> None:
    ChangeRequest.history.all().delete()
    ChangeRequest.objects.all().delete()


# --- milestones ---------------------------------------------------------------------------

# Key dates as a share of the project's length, by methodology, or by type where it differs.
MILESTONES = {
    "Waterfall": [
        ("Project charter signed", 0.05), ("Requirements signed off", 0.2),
        ("Design approved", 0.3), ("Build complete", 0.6), ("Testing complete", 0.75),
        ("Go-live", 0.85), ("Handover to operations", 0.95), ("Project closed", 1.0),
    ],
    "Agile": [
        ("Product vision agreed", 0.08), ("First increment in production", 0.3),
        ("Minimum viable product live", 0.5), ("Feature-complete release", 0.8),
        ("Final release", 0.93), ("Project closed", 1.0),
    ],
    "Hybrid": [
        ("Business case approved", 0.05), ("Architecture approved", 0.18),
        ("First sprint review", 0.3), ("Solution accepted", 0.7), ("Go-live", 0.85),
        ("Project closed", 1.0),
    ],
    "Facilities": [
        ("Building permit granted", 0.12), ("Contractor appointed", 0.25),
        ("Construction started", 0.35), ("Construction complete", 0.8),
        ("Handover of the premises", 0.95), ("Project closed", 1.0),
    ],
    "Research": [
        ("Research plan approved", 0.1), ("Lab results available", 0.5),
        ("Pilot complete", 0.8), ("Findings presented to the board", 1.0),
    ],
}  # fmt: skip
MILESTONE_SHAPES = {"Facilities", "Research"}


def seed_milestones(context: DemoContext, rng: random.Random) -> None:
    """2-5 key dates per project under way, with baseline, forecast and (when past) actual."""
    today = context.today
    milestones = []
    for project in context.projects:
        if project.status == Status.PROPOSED:
            continue
        shape = project.project_type.name
        options = MILESTONES[shape if shape in MILESTONE_SHAPES else project.methodology.name]
        chosen = sorted(rng.sample(options, rng.randint(2, min(5, len(options)))),
                        key=lambda option: option[1])  # fmt: skip
        for name, share in chosen:
            milestone = _milestone(rng, project, name, share, today)
            if milestone is not None:
                milestones.append(milestone)
    create_with_history(Milestone, milestones, default_user=context.admin)
    context.summary["milestones"] = len(milestones)


def _milestone(rng: random.Random, project: Project, name: str, share: float, today):
    """A key date at `share` of the planned length, on time or slipped by 5 to 60 days (or a
    little early). A running project reached it if its own forecast says so (mostly on the day;
    sometimes it is late); a date still ahead is forecast no sooner than the project's forecast
    puts it. A stopped project keeps the dates before its stop; a closed one reached them all,
    the last on the day it closed."""
    planned = _at_share(project.planned_start, project.planned_end, share)
    milestone = Milestone(project=project, name=name)
    milestone._history_user = project.manager
    milestone.baseline_date = planned if is_baselined(project) else None
    chance = rng.random()
    slip = 0 if chance < 0.55 else rng.randint(5, 60) if chance < 0.9 else rng.randint(-7, 4)
    forecast = planned + days(slip)
    if project.status in (Status.CLOSED, Status.CANCELLED):
        ended = project.actual_end
        if project.status == Status.CANCELLED and (ended is None or planned > ended):
            return None  # a project stopped before it started, or this date came after the stop
        reached = ended if project.status == Status.CLOSED and share == 1.0 else forecast
        milestone.forecast_date = milestone.actual_date = min(reached, ended)
        return milestone
    expected = _at_share(project.forecast_start, project.forecast_end, share)
    yesterday = today - days(1)
    if expected > yesterday:
        milestone.forecast_date = max(forecast, expected)
    elif rng.random() < 0.85:
        milestone.forecast_date = milestone.actual_date = min(forecast, yesterday)
    else:  # late: the forecast has passed and the date is not reached
        milestone.forecast_date = min(forecast, yesterday)
    return milestone


def _at_share(start, end, share: float):
    return start + days(round((end - start).days * share))


def flush_milestones() -> None:
    Milestone.history.all().delete()
    Milestone.objects.all().delete()


DEMO_STEPS = [
    DemoStep("change requests", seed_change_requests, flush_change_requests),
    DemoStep("milestones", seed_milestones, flush_milestones),
]
