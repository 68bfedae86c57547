"""Review meetings for the demo: project reviews of some running projects, a portfolio review each
month, and gate reviews of some recent gate decisions; each with attendees, minutes, decisions
and action items, some of them done, some open, some overdue."""

import datetime
import random

from ..models import ActionItem, GateDecision, GateSubmission, Meeting, MeetingDecision, Project
from .runner import DemoContext, DemoStep, at, between, create_with_history, days

Status = Project.Status
Kind = Meeting.Kind
Outcome = GateDecision.Outcome

PROJECT_REVIEW_SHARE = 0.2  # of active projects
GATE_REVIEW_SHARE = 0.12  # of the gate decisions of the last year
PORTFOLIO_REVIEW_MONTHS = 6

PROJECT_DECISIONS = [
    "Continue as planned.",
    "Escalate the supplier delay to the steering committee.",
    "Raise a change request for the additional scope.",
    "Release CNY 200,000 from the contingency for additional testing.",
    "Re-plan the current phase and present the new plan at the next review.",
    "Keep the status amber until the test results are in.",
    "Bring the gate review forward by two weeks.",
]
PROJECT_ACTIONS = [  # description, who: manager, sponsor or pmo
    ("Update the schedule and send it to the PMO", "manager"),
    ("Prepare the change request for the scope change", "manager"),
    ("Confirm the key users' availability for testing", "sponsor"),
    ("Close the open audit findings", "manager"),
    ("Send the updated risk register to the PMO", "manager"),
    ("Review the resource plan with the line managers", "manager"),
    ("Check the benefit figures with Finance", "pmo"),
    ("Agree the cut-over date with Operations", "manager"),
]
RISKS = [
    "the late delivery of the vendor's interface",
    "the availability of the key users during the peak season",
    "data quality in the legacy system",
    "the permit for the construction works",
    "the budget for the second year, not yet confirmed",
]
PORTFOLIO_DECISIONS = [
    "{project} may continue into its next phase.",
    "{project} presents its revised business case before the budget review.",
    "{project} is funded from the strategic reserve.",
    "The sponsor of {project} presents a recovery plan next month.",
    "{project}: the sponsor confirms the benefit figures with Finance.",
]
PORTFOLIO_ACTIONS = [  # description, who
    ("Publish the updated portfolio dashboard", "pmo"),
    ("Chase the overdue status reports", "pmo"),
    ("Prepare the capacity review for next quarter", "admin"),
    ("Confirm the funding of the projects approved today with Finance", "sponsor"),
]
PM_ACTION = "Present the recovery plan for the projects rated red"
GATE_DECISIONS = {
    Outcome.GO: "Go: the project moves to its next phase.",
    Outcome.CONDITIONAL_GO: "Conditional go; the conditions are recorded on the gate.",
    Outcome.RECYCLE: "Recycle: {comments}",
    Outcome.HOLD: "Hold: {comments}",
    Outcome.STOP: "Stop: {comments}",
}
OUTCOME_WORDS = {
    Outcome.GO: "go", Outcome.CONDITIONAL_GO: "conditional go", Outcome.RECYCLE: "recycle",
    Outcome.HOLD: "hold", Outcome.STOP: "stop",
}  # fmt: skip
GATE_ACTIONS = {
    Outcome.GO: "Update the plan for the next phase",
    Outcome.CONDITIONAL_GO: "Meet the conditions of the gate by their dates",
    Outcome.RECYCLE: "Rework the evidence and submit the gate again",
    Outcome.HOLD: "Stop spending other than on agreed wind-down work",
    Outcome.STOP: "Wind the project down and release the team",
}


class _Minutes:
    """The meetings, decisions, actions and attendee lists the step builds, saved together."""

    def __init__(self, rng: random.Random, context: DemoContext):
        self.rng, self.context, self.today = rng, context, context.today
        self.meetings: list[Meeting] = []
        self.attendees: list[tuple[Meeting, list]] = []
        self.decisions: list[MeetingDecision] = []
        self.actions: list[ActionItem] = []

    def meeting(self, *, kind, title, held_on, by, attendees, minutes, project=None,
                gate_submission=None) -> Meeting:  # fmt: skip
        meeting = Meeting(
            kind=kind, title=title, held_on=held_on, project=project,
            gate_submission=gate_submission, minutes=minutes, created_by=by,
        )  # fmt: skip
        meeting._history_user = by
        meeting._history_date = at(held_on, 18)
        self.meetings.append(meeting)
        self.attendees.append((meeting, list({user.pk: user for user in attendees}.values())))
        return meeting

    def decide(self, meeting: Meeting, description: str) -> None:
        decision = MeetingDecision(meeting=meeting, description=description)
        decision._history_user = meeting.created_by
        decision._history_date = meeting._history_date
        self.decisions.append(decision)

    def act(self, meeting: Meeting, description: str, owner, *, due=None, status=None) -> None:
        """An action due a week to a month after the meeting; mostly done once it is due."""
        rng, today = self.rng, self.today
        due = due or meeting.held_on + days(rng.randint(7, 30))
        finished = meeting.project is not None and meeting.project.status in (
            Status.CLOSED, Status.CANCELLED,
        )  # fmt: skip
        if status is None:
            chance = rng.random()
            if due < today and finished:
                status = "done" if chance < 0.9 else "cancelled"
            elif due < today:
                status = "done" if chance < 0.65 else "open" if chance < 0.95 else "cancelled"
            else:
                status = "open" if chance < 0.85 else "done"
        action = ActionItem(meeting=meeting, description=description, owner=owner, due_date=due)
        action.status = status
        if status == ActionItem.Status.DONE:
            done_by = min(due, today - days(1))
            action.completed_at = between(rng, at(meeting.held_on, 18), at(done_by, 18))
        action._history_user = owner
        self.actions.append(action)

    def save(self) -> None:
        pmo = self.context.logins["pmo"]
        create_with_history(Meeting, self.meetings, default_user=pmo)
        Attendance = Meeting.attendees.through
        links = Attendance.objects.bulk_create(
            Attendance(meeting_id=meeting.pk, user_id=user.pk)
            for meeting, users in self.attendees
            for user in users
        )
        history_ids = dict(
            Meeting.history.filter(id__in=[m.pk for m in self.meetings]).values_list(
                "id", "history_id"
            )
        )
        HistoricalAttendance = Meeting.history.model.attendees.model
        HistoricalAttendance.objects.bulk_create(
            HistoricalAttendance(
                history_id=history_ids[link.meeting_id],
                id=link.pk,
                meeting_id=link.meeting_id,
                user_id=link.user_id,
            )
            for link in links
        )
        create_with_history(MeetingDecision, self.decisions, default_user=pmo)
        create_with_history(ActionItem, self.actions, default_user=pmo)


def seed_meetings(context: DemoContext, rng: random.Random) -> None:
    """Project, portfolio and gate reviews of the last months, with what they decided."""
    minutes = _Minutes(rng, context)
    _project_reviews(minutes)
    _portfolio_reviews(minutes)
    _gate_reviews(minutes)
    minutes.save()
    context.summary["review meetings"] = len(minutes.meetings)
    context.summary["action items"] = len(minutes.actions)


def _project_reviews(minutes: _Minutes) -> None:
    """Reviews of a fifth of the active projects, and of every one `pm` runs."""
    rng, context, today = minutes.rng, minutes.context, minutes.today
    pm = context.logins["pm"]
    for project in context.projects:
        if project.status != Status.ACTIVE:
            continue
        if project.manager_id != pm.pk and rng.random() >= PROJECT_REVIEW_SHARE:
            continue
        held_on = today - days(rng.randint(3, 75))
        phase = next((p for p in context.project_phases[project.pk] if p.status == "active"), None)
        meeting = minutes.meeting(
            kind=Kind.PROJECT_REVIEW,
            title=f"Project review: {project.code} {project.name}",
            held_on=held_on,
            by=project.manager,
            attendees=[project.manager, context.logins["pmo"], *rng.sample(context.managers, 2)]
            + ([project.sponsor] if project.sponsor else []),
            minutes=_project_minutes(rng, project, phase),
            project=project,
        )
        for text in rng.sample(PROJECT_DECISIONS, rng.randint(1, 3)):
            minutes.decide(meeting, text)
        owners = {
            "manager": project.manager,
            "sponsor": project.sponsor or project.manager,
            "pmo": context.logins["pmo"],
        }
        for description, who in rng.sample(PROJECT_ACTIONS, rng.randint(1, 4)):
            minutes.act(meeting, description, owners[who])


def _project_minutes(rng: random.Random, project: Project, phase) -> str:
    slippage = project.end_slippage_days or 0
    if slippage > 0:
        schedule = f"The forecast end is {slippage} days behind the baseline."
    else:
        schedule = "The forecast end is in line with the baseline."
    where = (
        f'The project is in its {phase.name} phase; the gate "{phase.gate_name}" is due on '
        f"{phase.planned_end:%Y-%m-%d}."
        if phase
        else ""
    )
    return (
        f"{project.manager.get_full_name()} presented the status of the project. {where} "
        f"{schedule} The top risk is {rng.choice(RISKS)}; its response was agreed. "
        "The sponsor confirmed the priorities for the coming month."
    )


def _portfolio_reviews(minutes: _Minutes) -> None:
    """The PMO's monthly portfolio review, on the first Tuesday of each month."""
    rng, context, today = minutes.rng, minutes.context, minutes.today
    logins = context.logins
    running = [p for p in context.projects if p.status == Status.ACTIVE]
    dates = _first_tuesdays(before=today, count=PORTFOLIO_REVIEW_MONTHS)
    for months_ago, held_on in enumerate(reversed(dates)):
        meeting = minutes.meeting(
            kind=Kind.PORTFOLIO_REVIEW,
            title=f"Portfolio review {held_on:%B %Y}",
            held_on=held_on,
            by=logins["pmo"],
            attendees=[logins["pmo"], logins["admin"], logins["exec"], logins["pm"]]
            + rng.sample(context.sponsors, 3),
            minutes=(
                "The PMO presented the portfolio dashboard: the projects rated red, the gates "
                "overdue and the change requests awaiting the board. The board reviewed the "
                "capacity for next quarter and the projects asking for funding."
            ),
        )
        for text in rng.sample(PORTFOLIO_DECISIONS, rng.randint(1, 3)):
            project = rng.choice(running)
            minutes.decide(meeting, text.format(project=f"{project.code} {project.name}"))
        owners = {"pmo": logins["pmo"], "admin": logins["admin"],
                  "sponsor": rng.choice(context.sponsors)}  # fmt: skip
        for description, who in rng.sample(PORTFOLIO_ACTIONS, rng.randint(1, 3)):
            minutes.act(meeting, description, owners[who])
        # `pm` has one action each month: the latest open, the one before overdue, older done.
        due = held_on + days(21)
        if months_ago == 0:
            pm_status, due = ActionItem.Status.OPEN, max(due, today + days(7))
        elif months_ago == 1:
            pm_status = ActionItem.Status.OPEN
        else:
            pm_status = ActionItem.Status.DONE
        minutes.act(meeting, PM_ACTION, logins["pm"], due=due, status=pm_status)


def _first_tuesdays(*, before: datetime.date, count: int) -> list[datetime.date]:
    """The first Tuesday of each of the last `count` months, all before `before`."""
    dates = []
    year, month = before.year, before.month
    while len(dates) < count:
        first = datetime.date(year, month, 1)
        tuesday = first + days((1 - first.weekday()) % 7)
        if tuesday < before:
            dates.append(tuesday)
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    return sorted(dates)


def _gate_reviews(minutes: _Minutes) -> None:
    """Gate reviews for some of the gate decisions of the last year."""
    rng, context, today = minutes.rng, minutes.context, minutes.today
    pmo = context.logins["pmo"]
    for submission in context.gate_submissions:
        if submission.status != GateSubmission.Status.DECIDED:
            continue
        decision = submission.decision
        if decision.decided_at.date() < today - days(365) or rng.random() >= GATE_REVIEW_SHARE:
            continue
        phase = submission.phase
        project = phase.project
        meeting = minutes.meeting(
            kind=Kind.GATE_REVIEW,
            title=f"Gate review: {project.code} – {phase.gate_name}",
            held_on=decision.decided_at.date(),
            by=pmo,
            attendees=[project.manager, decision.decided_by, pmo]
            + ([project.sponsor] if project.sponsor else []),
            minutes=(
                f"{project.manager.get_full_name()} presented the evidence for the gate "
                f'"{phase.gate_name}" and answered the approvers\' questions. '
                f"{decision.decided_by.get_full_name()} gave the decision: "
                f"{OUTCOME_WORDS[decision.outcome]}."
            ),
            project=project,
            gate_submission=submission,
        )
        minutes.decide(meeting, GATE_DECISIONS[decision.outcome].format(comments=decision.comments))
        minutes.act(meeting, GATE_ACTIONS[decision.outcome], project.manager)


def flush_meetings() -> None:
    Meeting.history.model.attendees.model.objects.all().delete()
    ActionItem.history.all().delete()
    MeetingDecision.history.all().delete()
    Meeting.history.all().delete()
    Meeting.objects.all().delete()


DEMO_STEPS = [DemoStep("review meetings", seed_meetings, flush_meetings)]
