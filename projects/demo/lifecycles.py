"""Every project past its proposal on a lifecycle, moved along as far as its status and dates say.

The phases and gate checklists are copied from the template as `project_join_lifecycle` copies
them (in bulk here). The phases before the current one are completed: their evidence given,
their gates submitted and decided (go, or conditional go with conditions; now and then recycled
once first). The current phase's gate says where the project stands: open with evidence still
missing, submitted and awaiting a decision, recycled, on hold, or stopped. A closed project has
completed every phase.

The governance is controlling, so no gate was ever submitted with a mandatory item missing.
"""

import datetime
import random
from dataclasses import dataclass, field

from ..models import (
    EvidenceKind,
    GateCondition,
    GateDecision,
    GateSubmission,
    Project,
    ProjectChecklistItem,
    ProjectPhase,
    TemplatePhase,
)
from ..services.lifecycle import _phase_due_dates
from .register import update_projects
from .runner import (
    BATCH_SIZE,
    DemoContext,
    DemoStep,
    at,
    between,
    create_with_history,
    days,
    moment,
    slug,
    weighted,
)
from .standards import evidence_file_name

Status = Project.Status
Gate = ProjectPhase.GateStatus
Outcome = GateDecision.Outcome

METHODOLOGY_SHARES = {  # project type: {methodology: weight}
    "IT system": {"agile": 40, "hybrid": 35, "waterfall": 25},
    "Infrastructure": {"waterfall": 70, "hybrid": 30},
    "Product development": {"hybrid": 45, "agile": 35, "waterfall": 20},
    "Process improvement": {"waterfall": 40, "agile": 35, "hybrid": 25},
    "Compliance": {"waterfall": 80, "hybrid": 20},
    "Business change": {"hybrid": 50, "waterfall": 50},
    "Research": {"agile": 70, "hybrid": 30},
    "Facilities": {"waterfall": 100},
}

# Where the current phase's gate stands, by the project's status.
CURRENT_GATE = {
    Status.APPROVED: {"open": 65, "submitted": 35},
    Status.ACTIVE: {"open": 74, "submitted": 16, "recycled": 10},
    Status.ON_HOLD: {"on_hold": 1},
    Status.CANCELLED: {"stopped": 1},
}
CONDITIONAL_SHARE = 0.22
RECYCLED_FIRST_SHARE = 0.08
OPTIONAL_MET_SHARE = 0.6

SUBMISSION_NOTES = [
    "", "", "All mandatory evidence is attached.",
    "The sponsor has reviewed the documents and supports the submission.",
    "Ready for review. Two optional items will follow next week.",
]  # fmt: skip
GO_COMMENTS = [
    "", "", "", "Evidence complete; proceed as planned.", "Well prepared. Proceed.",
    "Proceed, and keep the sponsor informed of the supplier risk.",
]  # fmt: skip
CONDITIONAL_COMMENTS = [
    "Proceed, subject to the conditions below.",
    "Go, on condition that the open points are closed by the dates given.",
    "The evidence is sufficient to continue; the conditions must be met before the next gate.",
]
RECYCLE_COMMENTS = [
    "The test report still shows open high-severity defects. Re-test and resubmit.",
    "The risk register has no owners for the top risks. Complete it and resubmit.",
    "The budget baseline does not match the approved business case; reconcile it with Finance.",
    "The requirements sign-off from the business owner is missing.",
    "The deployment plan has no rollback steps. Add them and resubmit.",
]
HOLD_COMMENTS = [
    "Funding is frozen until the next budget review.",
    "The key supplier is in administration; hold until a replacement is contracted.",
    "The sponsor asked for a pause while the operating model decision is pending.",
    "Hold until the regulator publishes the final rules.",
]
STOP_COMMENTS = [
    "The business case no longer holds after the change in market conditions.",
    "Superseded by the group-wide programme; the scope moves there.",
    "Costs grew beyond the approved tolerance with no offsetting benefit.",
    "The sponsor withdrew support after the strategy review.",
]
CONDITIONS = [
    "Close the two open high risks or agree their mitigation with the sponsor",
    "Sign the support contract with the vendor",
    "Fill the vacant business analyst role",
    "Send the updated cost plan to Finance",
    "Complete the privacy impact assessment",
    "Agree the data migration approach with the data owners",
    "Get the works council's opinion on the new roles",
    "Add the performance test results to the test report",
]


@dataclass
class Rows:
    """Everything the step creates, built in memory and saved table by table."""

    phases: list[ProjectPhase] = field(default_factory=list)
    items: list[ProjectChecklistItem] = field(default_factory=list)
    submissions: list[GateSubmission] = field(default_factory=list)
    decisions: list[GateDecision] = field(default_factory=list)
    conditions: list[GateCondition] = field(default_factory=list)
    current: dict[int, ProjectPhase] = field(default_factory=dict)


def seed_lifecycles(context: DemoContext, rng: random.Random) -> None:
    """Put every project that is not proposed on a lifecycle, as far along as it is."""
    templates = context.templates
    retired_until = templates["waterfall"].created_at.date()
    forced = _pm_showcase(context)
    rows = Rows()
    on_lifecycle = []
    for project in context.projects:
        if project.status == Status.PROPOSED:
            continue
        method = weighted(rng, METHODOLOGY_SHARES[project.project_type.name])
        template = templates[method]
        started = project.actual_start or project.planned_start
        if method == "waterfall" and started < retired_until:
            template = templates["waterfall_v1"]  # projects keep the version they started on
        project.methodology = template.methodology
        project.lifecycle_template = template
        _Lifecycle(rng, context, rows, project).build(
            context.template_phases[template.pk], forced.get(project.pk)
        )
        on_lifecycle.append(project)

    pmo = context.logins["pmo"]
    create_with_history(ProjectPhase, rows.phases, default_user=pmo)
    create_with_history(ProjectChecklistItem, rows.items, default_user=pmo)
    GateSubmission.objects.bulk_create(rows.submissions, batch_size=BATCH_SIZE)
    GateDecision.objects.bulk_create(rows.decisions, batch_size=BATCH_SIZE)
    create_with_history(GateCondition, rows.conditions, default_user=pmo)
    for project in on_lifecycle:
        project.current_phase = rows.current.get(project.pk)
    update_projects(on_lifecycle, ["methodology", "lifecycle_template", "current_phase"])

    for phase in rows.phases:
        context.project_phases.setdefault(phase.project_id, []).append(phase)
    context.gate_submissions = rows.submissions
    context.summary["project phases"] = len(rows.phases)
    context.summary["checklist items"] = len(rows.items)
    context.summary["gate submissions"] = len(rows.submissions)


def _pm_showcase(context: DemoContext) -> dict[int, str]:
    """The `pm` login's open projects show a gate with evidence missing and one submitted."""
    pm = context.logins["pm"]
    candidates = sorted(
        (
            project
            for project in context.projects
            if project.manager_id == pm.pk and project.status in (Status.ACTIVE, Status.APPROVED)
        ),
        key=lambda project: (project.status != Status.ACTIVE, project.code),
    )
    return {
        project.pk: state
        for project, state in zip(candidates, ["missing", "submitted"], strict=False)
    }


class _Lifecycle:
    """One project's phases, evidence and gates."""

    def __init__(self, rng: random.Random, context: DemoContext, rows: Rows, project: Project):
        self.rng, self.context, self.rows, self.project = rng, context, rows, project
        self.today = context.today

    def build(self, sources: list[TemplatePhase], forced_state: str | None) -> None:
        rng, project = self.rng, self.project
        due_dates = _phase_due_dates(project, sources)
        current, completions, first_start = self._progress(sources, due_dates)
        started, opened = first_start, at(first_start, 9)
        for index, (source, due) in enumerate(zip(sources, due_dates, strict=True)):
            phase = ProjectPhase(
                project=project, source=source, order=source.order, name=source.name,
                name_zh_hans=source.name_zh_hans, planned_end=due, gate_name=source.gate_name,
                gate_approver=source.gate_approver,
            )  # fmt: skip
            self.rows.phases.append(phase)
            items = [
                ProjectChecklistItem(phase=phase, order=item.order, title=item.title,
                                     kind=item.kind, mandatory=item.mandatory,
                                     evidence=item.evidence)
                for item in self.context.template_checklists[source.pk]
            ]  # fmt: skip
            self.rows.items += items
            if index < current:
                phase.status = ProjectPhase.Status.COMPLETED
                phase.started_on, phase.completed_on = started, completions[index]
                opened = self._decided_gate(phase, items, opened)
                started = phase.completed_on
            elif index == current:
                phase.status = ProjectPhase.Status.ACTIVE
                phase.started_on = started
                state = forced_state or weighted(rng, CURRENT_GATE[project.status])
                self._current_gate(phase, items, state, opened)
                self.rows.current[project.pk] = phase

    def _progress(
        self, sources: list[TemplatePhase], due_dates: list[datetime.date]
    ) -> tuple[int, list[datetime.date], datetime.date]:
        """(index of the current phase, completion dates of the phases before it, the day the
        first phase started). A closed project's current index is past its last phase.

        The first gate passes on the day the project actually starts, as it does in the portal.
        """
        rng, project, today = self.rng, self.project, self.today
        count = len(sources)
        if project.actual_start is None:  # approved, or cancelled before it started
            first_start = min(project.planned_start, today) - days(rng.randint(20, 70))
            return 0, [], first_start
        first_start = project.actual_start - days(rng.randint(21, 60))
        if project.status == Status.CLOSED:
            weeks = [max(source.typical_weeks, 1) for source in sources[1:]]
            span = (project.actual_end - project.actual_start).days
            completions, elapsed = [project.actual_start], 0
            for length in weeks:
                elapsed += length
                completions.append(project.actual_start + days(round(span * elapsed / sum(weeks))))
            return count, completions, first_start
        end = project.actual_end if project.status == Status.CANCELLED else today
        reached = sum(1 for due in due_dates if due < end)
        if project.status == Status.ACTIVE:
            current = min(max(reached, 1), count - 1)
            late = project.forecast_end and (project.forecast_end - project.planned_end).days > 30
            if late and rng.random() < 0.5:
                current = max(current - 1, 1)  # still in a phase whose gate is overdue
        else:  # on hold or stopped, somewhere in the middle
            current = min(max(reached, 1), count - 2)
        # A week at least for each phase completed since the start.
        current = max(min(current, 1 + (end - project.actual_start).days // 7), 1)
        targets = [due_dates[i] + days(rng.randint(-5, 20)) for i in range(1, current)]
        completions = [project.actual_start] + _spread(
            targets, after=project.actual_start, before=end
        )
        return current, completions, first_start

    # Gates ----------------------------------------------------------------------------------

    def _decided_gate(
        self, phase: ProjectPhase, items: list[ProjectChecklistItem], opened: datetime.datetime
    ) -> datetime.datetime:
        """A completed phase: evidence given, gate approved (perhaps recycled once first).
        `opened` is when the phase began; returns when its gate was approved."""
        rng = self.rng
        decided_at = _later(moment(rng, phase.completed_on), opened)
        if (
            rng.random() < RECYCLED_FIRST_SHARE
            and (phase.completed_on - phase.started_on).days > 20
        ):
            recycled_on = phase.started_on + days((phase.completed_on - phase.started_on).days // 2)
            recycled_at = moment(rng, recycled_on)
            first = self._submission(phase, opened, recycled_at)
            self._decision(first, Outcome.RECYCLE, recycled_at, rng.choice(RECYCLE_COMMENTS))
            opened = recycled_at
        submission = self._submission(phase, opened, decided_at)
        self._give_evidence(items, opened, submission.submitted_at, everything_mandatory=True)
        if rng.random() < CONDITIONAL_SHARE:
            decision = self._decision(
                submission, Outcome.CONDITIONAL_GO, decided_at, rng.choice(CONDITIONAL_COMMENTS)
            )
            self._conditions(decision, phase.completed_on)
            phase.gate_status = Gate.CONDITIONAL
        else:
            self._decision(submission, Outcome.GO, decided_at, rng.choice(GO_COMMENTS))
            phase.gate_status = Gate.APPROVED
        return decided_at

    def _current_gate(
        self,
        phase: ProjectPhase,
        items: list[ProjectChecklistItem],
        state: str,
        opened: datetime.datetime,
    ) -> None:
        rng, today = self.rng, self.today
        yesterday = today - days(1)
        if state in ("open", "missing"):
            phase.gate_status = Gate.OPEN
            length = max((phase.planned_end - phase.started_on).days, 1)
            progress = min(max((today - phase.started_on).days / length, 0.1), 1.0)
            self._give_evidence(items, opened, at(yesterday, 18), share=0.25 + 0.6 * progress)
            mandatory = [item for item in items if item.mandatory]
            if state == "missing" and all(item.met_at for item in mandatory):
                self._withdraw(mandatory[-1])
            return
        if state == "submitted":
            submitted_on = _clamp(today - days(rng.randint(1, 12)), phase.started_on, yesterday)
            submitted_at = _later(moment(rng, submitted_on), opened)
            submission = self._submission(phase, opened, submitted_at, pending=True)
            self._give_evidence(items, opened, submission.submitted_at, everything_mandatory=True)
            phase.gate_status = Gate.SUBMITTED
            return
        # Decided, and the phase is still current: recycled, on hold or stopped.
        if state == "recycled":
            decided_on = today - days(rng.randint(3, 30))
            outcome, comments, gate = Outcome.RECYCLE, RECYCLE_COMMENTS, Gate.RECYCLED
        elif state == "on_hold":
            decided_on = today - days(rng.randint(14, 120))
            outcome, comments, gate = Outcome.HOLD, HOLD_COMMENTS, Gate.ON_HOLD
        else:
            stopped = self.project.actual_end or phase.started_on + days(rng.randint(10, 60))
            decided_on = stopped
            outcome, comments, gate = Outcome.STOP, STOP_COMMENTS, Gate.STOPPED
        decided_at = _later(moment(rng, _clamp(decided_on, phase.started_on, yesterday)), opened)
        submission = self._submission(phase, opened, decided_at)
        self._give_evidence(items, opened, submission.submitted_at, everything_mandatory=True)
        self._decision(submission, outcome, decided_at, rng.choice(comments))
        phase.gate_status = gate
        if state == "recycled":  # the manager is reworking what the approver sent back
            for item in rng.sample([i for i in items if i.mandatory], rng.randint(1, 2)):
                self._withdraw(item)

    def _submission(
        self,
        phase: ProjectPhase,
        opened: datetime.datetime,
        decided_at: datetime.datetime,
        pending: bool = False,
    ) -> GateSubmission:
        """A submission made a few days before `decided_at` (or at it, when pending)."""
        rng = self.rng
        if pending:
            submitted_at = decided_at
        else:
            earliest = max(opened, decided_at - datetime.timedelta(days=rng.randint(2, 10)))
            submitted_at = between(rng, earliest, decided_at - datetime.timedelta(hours=1))
        submission = GateSubmission(
            phase=phase,
            submitted_by=self.project.manager,
            submitted_at=submitted_at,
            note=rng.choice(SUBMISSION_NOTES),
            status=GateSubmission.Status.PENDING if pending else GateSubmission.Status.DECIDED,
        )
        self.rows.submissions.append(submission)
        return submission

    def _decision(self, submission, outcome, decided_at, comments) -> GateDecision:
        decision = GateDecision(
            submission=submission,
            outcome=outcome,
            comments=comments,
            decided_by=self._approver(submission.phase),
            decided_at=decided_at,
        )
        self.rows.decisions.append(decision)
        return decision

    def _approver(self, phase: ProjectPhase):
        """The sponsor decides the gates that name them; the PMO, mostly `pmo`, decides others."""
        if phase.gate_approver == "sponsor" and self.project.sponsor is not None:
            return self.project.sponsor
        logins = self.context.logins
        return logins["pmo"] if self.rng.random() < 0.85 else logins["admin"]

    def _conditions(self, decision: GateDecision, decided_on: datetime.date) -> None:
        rng, project, today = self.rng, self.project, self.today
        for description in rng.sample(CONDITIONS, rng.randint(1, 2)):
            due = decided_on + days(rng.randint(14, 45))
            owner = project.manager if rng.random() < 0.7 else (project.sponsor or project.manager)
            # Most are met by their date; the older a condition, the likelier it is met.
            overdue_days = (today - due).days
            chance = 0.25 if overdue_days < 0 else 0.5 if overdue_days < 60 else 0.95
            met = project.status == Status.CLOSED or rng.random() < chance
            condition = GateCondition(
                decision=decision, description=description, owner=owner, due_date=due
            )
            if met:
                condition.status = GateCondition.Status.MET
                last = min(due, today - days(1))
                condition.met_at = between(rng, decision.decided_at, at(last, 18))
            self.rows.conditions.append(condition)

    # Evidence -------------------------------------------------------------------------------

    def _give_evidence(
        self,
        items: list[ProjectChecklistItem],
        start: datetime.datetime,
        end: datetime.datetime,
        *,
        everything_mandatory: bool = False,
        share: float = 1.0,
    ) -> None:
        """Evidence on the mandatory items (all of them, or each with the chance `share`)
        and on some optional ones, given by the manager between `start` and `end`."""
        rng, project = self.rng, self.project
        for item in items:
            if item.mandatory:
                chance = 1.0 if everything_mandatory else share
            else:
                chance = OPTIONAL_MET_SHARE * (1.0 if everything_mandatory else share)
            if rng.random() >= chance:
                continue
            item.met_by = project.manager
            item.met_at = between(rng, start, end)
            if item.evidence == EvidenceKind.LINK:
                item.evidence_link = (
                    f"https://dms.example.com/projects/{project.code}/{slug(item.title)}"
                )
            elif item.evidence == EvidenceKind.FILE:
                item.evidence_file = evidence_file_name(item.title)

    @staticmethod
    def _withdraw(item: ProjectChecklistItem) -> None:
        item.met_by = item.met_at = None
        item.evidence_link = item.evidence_file = ""


def _later(when: datetime.datetime, opened: datetime.datetime) -> datetime.datetime:
    """`when`, or two hours after `opened` when it came before (both on one day)."""
    return max(when, opened + datetime.timedelta(hours=2))


def _clamp(day: datetime.date, low: datetime.date, high: datetime.date) -> datetime.date:
    """`day` within [low, high]; `high` wins when the two cross."""
    return min(max(day, low), high)


def _spread(
    targets: list[datetime.date], *, after: datetime.date, before: datetime.date
) -> list[datetime.date]:
    """Dates near `targets`, in order, after `after` and before `before` as far as room allows."""
    dates, previous = [], after
    for index, target in enumerate(targets):
        latest = before - days(len(targets) - index)
        value = min(max(min(target, latest), previous + days(1)), before - days(1))
        value = max(value, previous)
        dates.append(value)
        previous = value
    return dates


def flush_lifecycles() -> None:
    GateCondition.history.all().delete()
    GateCondition.objects.all().delete()
    GateDecision.objects.all().delete()
    GateSubmission.objects.all().delete()
    ProjectChecklistItem.history.all().delete()
    ProjectChecklistItem.objects.all().delete()
    # The projects go later, and they protect their lifecycle: let go of it first.
    Project.objects.update(current_phase=None, lifecycle_template=None, methodology=None)
    ProjectPhase.history.all().delete()
    ProjectPhase.objects.all().delete()


DEMO_STEPS = [DemoStep("lifecycles", seed_lifecycles, flush_lifecycles)]
