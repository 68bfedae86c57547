"""Lifecycles and stage gates: templates and their versions, projects put on a lifecycle,
evidence, gate submissions and decisions, and moving from phase to phase.

The governance mode is enforced here, whatever the pages show: a controlling or directive PMO
never lets a project leave a phase without an approved gate.
"""

import datetime
import uuid
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from pmo_portal import permissions
from pmo_portal.errors import StaleVersionError

from ..models import (
    GateCondition,
    GateDecision,
    GateSubmission,
    GovernanceMode,
    GovernanceSettings,
    LifecycleTemplate,
    Methodology,
    Milestone,
    Project,
    ProjectChecklistItem,
    ProjectPhase,
    TemplateChecklistItem,
    TemplatePhase,
)


class GateAlreadyDecided(Exception):
    """Two approvers decided the same gate at once; the other one's decision stands."""


# Templates -------------------------------------------------------------------------------


@transaction.atomic
def template_create(
    *, by, methodology: Methodology, name: str, description: str = ""
) -> LifecycleTemplate:
    template = LifecycleTemplate(
        methodology=methodology,
        name=name,
        description=description,
        family=uuid.uuid4(),
        version=1,
        created_by=by,
    )
    template.full_clean()
    template._history_user = by
    template.save()
    return template


@transaction.atomic
def template_editable(*, template: LifecycleTemplate, by) -> LifecycleTemplate:
    """The template an edit applies to: this one while no project uses it, otherwise a new
    draft version with the same phases and checklists, so projects keep what they started on."""
    template = LifecycleTemplate.objects.select_for_update().get(pk=template.pk)
    if template.status == LifecycleTemplate.Status.RETIRED:
        raise ValidationError(
            _("A retired version stays as it was; edit the current version instead.")
        )
    if not template.is_in_use:
        return template
    existing_draft = LifecycleTemplate.objects.filter(
        family=template.family, status=LifecycleTemplate.Status.DRAFT
    ).first()
    if existing_draft is not None:
        return existing_draft
    newest = LifecycleTemplate.objects.filter(family=template.family).order_by("-version").first()
    copy = LifecycleTemplate.objects.create(
        methodology=template.methodology,
        name=template.name,
        description=template.description,
        family=template.family,
        version=newest.version + 1,
        previous_version=newest,
        created_by=by,
    )
    for phase in template.phases.prefetch_related("checklist", "standards"):
        items = list(phase.checklist.all())
        standards = list(phase.standards.all())
        phase.pk = None
        phase.template = copy
        phase.save()
        phase.standards.set(standards)
        for item in items:
            item.pk = None
            item.phase = phase
        TemplateChecklistItem.objects.bulk_create(items)
    return copy


def _check_phase_fields(fields: dict) -> None:
    if not (fields.get("gate_name") or "").strip():
        raise ValidationError({"gate_name": _("Every phase ends in a gate: give the gate a name.")})


@transaction.atomic
def template_phase_save(
    *, template: LifecycleTemplate, by, phase: TemplatePhase | None = None, **fields
) -> TemplatePhase:
    """Add a phase to a template, or change one; a template in use gets a new version."""
    _check_phase_fields(fields)
    editable = template_editable(template=template, by=by)
    if phase is None:
        last = editable.phases.order_by("-order").values_list("order", flat=True).first()
        phase = TemplatePhase(template=editable, order=(last or 0) + 1)
    elif editable.pk != template.pk:
        phase = editable.phases.get(order=phase.order)
    standards = fields.pop("standards", None)
    for name, value in fields.items():
        setattr(phase, name, value)
    phase.full_clean()
    phase.save()
    if standards is not None:
        phase.standards.set(standards)
    return phase


@transaction.atomic
def template_phase_delete(*, template: LifecycleTemplate, by, phase: TemplatePhase) -> None:
    editable = template_editable(template=template, by=by)
    if editable.phases.count() <= 1:
        raise ValidationError(_("A lifecycle needs at least one phase."))
    editable.phases.filter(order=phase.order).delete()


@transaction.atomic
def template_checklist_item_save(
    *,
    template: LifecycleTemplate,
    by,
    phase: TemplatePhase,
    item: TemplateChecklistItem | None = None,
    **fields,
) -> TemplateChecklistItem:
    editable = template_editable(template=template, by=by)
    target_phase = editable.phases.get(order=phase.order)
    if item is None:
        last = target_phase.checklist.order_by("-order").values_list("order", flat=True).first()
        item = TemplateChecklistItem(phase=target_phase, order=(last or 0) + 1)
    elif editable.pk != template.pk:
        item = target_phase.checklist.get(order=item.order)
    for name, value in fields.items():
        setattr(item, name, value)
    item.full_clean()
    item.save()
    return item


@transaction.atomic
def template_checklist_item_delete(
    *, template: LifecycleTemplate, by, item: TemplateChecklistItem
) -> None:
    editable = template_editable(template=template, by=by)
    editable.phases.get(order=item.phase.order).checklist.filter(order=item.order).delete()


@transaction.atomic
def template_publish(*, template: LifecycleTemplate, by) -> LifecycleTemplate:
    """Make a draft the version new projects start on; the version it replaces is retired."""
    template = LifecycleTemplate.objects.select_for_update().get(pk=template.pk)
    phases = list(template.phases.all())
    if not phases:
        raise ValidationError(_("Add at least one phase before publishing."))
    without_gate = [p.name for p in phases if not p.gate_name.strip()]
    if without_gate:
        raise ValidationError(
            _("These phases have no gate: %(phases)s.") % {"phases": ", ".join(without_gate)}
        )
    LifecycleTemplate.objects.filter(
        family=template.family, status=LifecycleTemplate.Status.PUBLISHED
    ).exclude(pk=template.pk).update(status=LifecycleTemplate.Status.RETIRED)
    template.status = LifecycleTemplate.Status.PUBLISHED
    template._history_user = by
    template.save()
    return template


# Projects on a lifecycle ------------------------------------------------------------------


def _phase_due_dates(project: Project, phases: list[TemplatePhase]) -> list[datetime.date]:
    """Spread the project's planned duration over its phases, by their typical lengths."""
    total_days = max((project.planned_end - project.planned_start).days, len(phases))
    total_weeks = sum(max(p.typical_weeks, 1) for p in phases)
    due_dates, elapsed_weeks = [], 0
    for phase in phases:
        elapsed_weeks += max(phase.typical_weeks, 1)
        offset = round(total_days * elapsed_weeks / total_weeks)
        due_dates.append(project.planned_start + datetime.timedelta(days=offset))
    return due_dates


@transaction.atomic
def project_join_lifecycle(
    *, project: Project, by, template: LifecycleTemplate | None = None
) -> list[ProjectPhase]:
    """Copy a template's phases and gate checklists to the project, the first phase current.

    Without `template`, the current template of the project's methodology is used.
    """
    project = Project.objects.select_for_update().get(pk=project.pk)
    permissions.ensure(permissions.can_change_project(by, project))
    if project.phases.exists():
        raise ValidationError(_("This project is on a lifecycle already."))
    if template is None:
        template = project.methodology.current_template() if project.methodology else None
        if template is None:
            raise ValidationError(_("Choose a lifecycle: the project's methodology has none."))
    if template.status != LifecycleTemplate.Status.PUBLISHED:
        raise ValidationError(_("Only a published lifecycle can be used."))
    template_phases = list(template.phases.prefetch_related("checklist"))
    today = timezone.localdate()
    phases = ProjectPhase.objects.bulk_create(
        ProjectPhase(
            project=project,
            source=source,
            order=source.order,
            name=source.name,
            name_zh_hans=source.name_zh_hans,
            planned_end=due,
            gate_name=source.gate_name,
            gate_approver=source.gate_approver,
            status=ProjectPhase.Status.ACTIVE if index == 0 else ProjectPhase.Status.PENDING,
            started_on=today if index == 0 else None,
        )
        for index, (source, due) in enumerate(
            zip(template_phases, _phase_due_dates(project, template_phases), strict=True)
        )
    )
    ProjectChecklistItem.objects.bulk_create(
        ProjectChecklistItem(
            phase=phase,
            order=item.order,
            title=item.title,
            kind=item.kind,
            mandatory=item.mandatory,
            evidence=item.evidence,
        )
        for phase, source in zip(phases, template_phases, strict=True)
        for item in source.checklist.all()
    )
    project.lifecycle_template = template
    project.methodology = project.methodology or template.methodology
    project.current_phase = phases[0] if phases else None
    project._history_user = by
    project._change_reason = _("Put on the lifecycle %(template)s") % {"template": template}
    project.save()
    return phases


def _ensure_can_work_on(by, phase: ProjectPhase) -> None:
    permissions.ensure(permissions.can_change_project(by, phase.project))


@transaction.atomic
def checklist_item_give_evidence(
    *, item: ProjectChecklistItem, by, file=None, link: str = "", note: str = ""
) -> ProjectChecklistItem:
    """Attach the evidence a gate item asks for (a file, a link, or a confirmation)."""
    item = ProjectChecklistItem.objects.select_related("phase__project").get(pk=item.pk)
    _ensure_can_work_on(by, item.phase)
    if item.phase.gate_passed:
        raise ValidationError(_("This gate was approved already; its evidence is closed."))
    if item.evidence == "file" and not (file or item.evidence_file):
        raise ValidationError({"file": _("This item asks for a file.")})
    if item.evidence == "link" and not (link or item.evidence_link):
        raise ValidationError({"link": _("This item asks for a link.")})
    if file:
        item.evidence_file = file
    if link:
        item.evidence_link = link
    item.note = note or item.note
    item.met_by = by
    item.met_at = timezone.now()
    item._history_user = by
    item.full_clean()
    item.save()
    return item


@transaction.atomic
def checklist_item_withdraw_evidence(*, item: ProjectChecklistItem, by) -> ProjectChecklistItem:
    item = ProjectChecklistItem.objects.select_related("phase__project").get(pk=item.pk)
    _ensure_can_work_on(by, item.phase)
    if item.phase.gate_passed:
        raise ValidationError(_("This gate was approved already; its evidence is closed."))
    item.evidence_file = ""
    item.evidence_link = ""
    item.met_by = None
    item.met_at = None
    item._history_user = by
    item.save()
    return item


def missing_mandatory_items(phase: ProjectPhase) -> list[str]:
    return list(
        phase.checklist.filter(mandatory=True, met_at__isnull=True).values_list("title", flat=True)
    )


SUBMITTABLE = [
    ProjectPhase.GateStatus.OPEN,
    ProjectPhase.GateStatus.RECYCLED,
    ProjectPhase.GateStatus.ON_HOLD,
]


@transaction.atomic
def gate_submit(*, phase: ProjectPhase, by, note: str = "") -> GateSubmission:
    """Ask for the gate decision. A controlling or directive PMO refuses a gate with mandatory
    items missing; a supportive one records what was missing and lets it go forward."""
    phase = (
        ProjectPhase.objects.select_for_update(of=("self",))
        .select_related("project")
        .get(pk=phase.pk)
    )
    _ensure_can_work_on(by, phase)
    if phase.status != ProjectPhase.Status.ACTIVE:
        raise ValidationError(_("Only the current phase's gate can be submitted."))
    if phase.gate_status not in SUBMITTABLE:
        raise ValidationError(_("This gate is awaiting a decision or decided already."))
    missing = missing_mandatory_items(phase)
    if missing and GovernanceSettings.current().is_controlling:
        raise ValidationError(
            _("Mandatory items are missing: %(items)s. Attach their evidence first.")
            % {"items": ", ".join(missing)}
        )
    submission = GateSubmission.objects.create(
        phase=phase, submitted_by=by, note=note, missing_mandatory="\n".join(missing)
    )
    phase.gate_status = ProjectPhase.GateStatus.SUBMITTED
    phase._history_user = by
    phase.save()
    return submission


@dataclass
class ConditionInput:
    description: str
    owner: object
    due_date: datetime.date


OUTCOME_GATE_STATUS = {
    GateDecision.Outcome.GO: ProjectPhase.GateStatus.APPROVED,
    GateDecision.Outcome.CONDITIONAL_GO: ProjectPhase.GateStatus.CONDITIONAL,
    GateDecision.Outcome.HOLD: ProjectPhase.GateStatus.ON_HOLD,
    GateDecision.Outcome.RECYCLE: ProjectPhase.GateStatus.RECYCLED,
    GateDecision.Outcome.STOP: ProjectPhase.GateStatus.STOPPED,
}


@transaction.atomic
def gate_decide(
    *,
    submission: GateSubmission,
    by,
    outcome: str,
    comments: str = "",
    conditions: list[ConditionInput] | None = None,
) -> GateDecision:
    """Record the approver's decision and its effect on the project.

    Go and conditional go move the project to the next phase (or close it after the last);
    hold puts it on hold; recycle sends the phase back for rework; stop cancels the project.
    """
    conditions = conditions or []
    submission = (
        GateSubmission.objects.select_for_update(of=("self",))
        .select_related("phase__project__sponsor")
        .get(pk=submission.pk)
    )
    if submission.status != GateSubmission.Status.PENDING:
        raise GateAlreadyDecided(_("Someone else decided this gate first. Their decision stands."))
    phase = submission.phase
    directive = GovernanceSettings.current().mode == GovernanceMode.DIRECTIVE
    if not permissions.can_decide_gate(by, phase, directive=directive):
        raise PermissionDenied(_("You may not decide this gate."))
    if outcome not in GateDecision.Outcome.values:
        raise ValidationError({"outcome": _("Choose a decision.")})
    if outcome == GateDecision.Outcome.CONDITIONAL_GO and not conditions:
        raise ValidationError({"conditions": _("A conditional go needs at least one condition.")})
    if outcome != GateDecision.Outcome.GO and not comments.strip():
        raise ValidationError({"comments": _("Explain the decision in a comment.")})
    try:
        with transaction.atomic():
            decision = GateDecision.objects.create(
                submission=submission, outcome=outcome, comments=comments, decided_by=by
            )
    except IntegrityError as error:
        raise GateAlreadyDecided(
            _("Someone else decided this gate first. Their decision stands.")
        ) from error
    for condition in conditions:
        GateCondition(
            decision=decision,
            description=condition.description,
            owner=condition.owner,
            due_date=condition.due_date,
        ).full_clean(exclude=["decision"])
    GateCondition.objects.bulk_create(
        GateCondition(
            decision=decision,
            description=c.description,
            owner=c.owner,
            due_date=c.due_date,
        )
        for c in conditions
    )
    submission.status = GateSubmission.Status.DECIDED
    submission.save(update_fields=["status"])
    phase.gate_status = OUTCOME_GATE_STATUS[outcome]
    phase._history_user = by
    phase.save()

    project = phase.project
    reason = _("Gate %(gate)s: %(decision)s") % {
        "gate": phase.gate_name,
        "decision": decision.get_outcome_display(),
    }
    if outcome in (GateDecision.Outcome.GO, GateDecision.Outcome.CONDITIONAL_GO):
        _move_to_next_phase(project, phase, by=by, reason=reason)
    elif outcome == GateDecision.Outcome.HOLD:
        _set_project_status(project, Project.Status.ON_HOLD, by=by, reason=reason)
    elif outcome == GateDecision.Outcome.STOP:
        _set_project_status(project, Project.Status.CANCELLED, by=by, reason=reason)
    return decision


def _set_project_status(project: Project, status: str, *, by, reason: str) -> None:
    project.status = status
    project.version += 1
    project._history_user = by
    project._change_reason = reason
    project.save()


def _move_to_next_phase(project: Project, phase: ProjectPhase, *, by, reason: str) -> None:
    today = timezone.localdate()
    phase.status = ProjectPhase.Status.COMPLETED
    phase.completed_on = today
    phase._history_user = by
    phase.save()
    following = project.phases.filter(order__gt=phase.order).order_by("order").first()
    if following is None:
        project.status = Project.Status.CLOSED
        project.actual_end = project.actual_end or today
        project.current_phase = None
    else:
        following.status = ProjectPhase.Status.ACTIVE
        following.started_on = today
        following._history_user = by
        following.save()
        project.current_phase = following
        if project.status in (Project.Status.APPROVED, Project.Status.ON_HOLD):
            project.status = Project.Status.ACTIVE
        project.actual_start = project.actual_start or today
    project.version += 1
    project._history_user = by
    project._change_reason = reason
    project.save()


@transaction.atomic
def phase_advance_without_gate(*, project: Project, by, reason: str) -> ProjectPhase:
    """Leave the current phase before its gate is approved: only a supportive PMO allows it,
    and the record keeps that the gate was passed without approval, and why."""
    project = Project.objects.select_for_update().get(pk=project.pk)
    permissions.ensure(permissions.can_change_project(by, project))
    if GovernanceSettings.current().is_controlling:
        raise ValidationError(
            _(
                "The PMO's governance is controlling: a project leaves a phase only through an "
                "approved gate."
            )  # fmt: skip
        )
    if not reason.strip():
        raise ValidationError({"reason": _("Say why the gate is passed without approval.")})
    phase = project.current_phase
    if phase is None:
        raise ValidationError(_("This project has no current phase."))
    phase = ProjectPhase.objects.select_for_update().get(pk=phase.pk)
    phase.gate_status = ProjectPhase.GateStatus.SKIPPED
    _move_to_next_phase(
        project,
        phase,
        by=by,
        reason=_("Gate %(gate)s passed without approval: %(reason)s")
        % {"gate": phase.gate_name, "reason": reason},
    )
    return phase


@transaction.atomic
def gate_condition_mark_met(*, condition: GateCondition, by) -> GateCondition:
    condition = GateCondition.objects.select_related("decision__submission__phase__project").get(
        pk=condition.pk
    )
    project = condition.decision.submission.phase.project
    permissions.ensure(condition.owner_id == by.pk or permissions.can_change_project(by, project))
    condition.status = GateCondition.Status.MET
    condition.met_at = timezone.now()
    condition._history_user = by
    condition.save()
    return condition


# Milestones ------------------------------------------------------------------------------


@transaction.atomic
def milestone_save(
    *, project: Project, by, milestone: Milestone | None = None, version: int | None = None,
    **fields,
) -> Milestone:  # fmt: skip
    """Add or change a milestone. A project with a baseline fixes a new milestone's baseline
    at its first forecast; later only a change request moves it."""
    permissions.ensure(permissions.can_change_project(by, project))
    if milestone is None:
        milestone = Milestone(project=project)
    else:
        current = Milestone.objects.select_for_update().get(pk=milestone.pk)
        if version is not None and current.version != version:
            raise StaleVersionError(
                _("Someone else changed this milestone since you opened it. Nothing was saved.")
            )
        milestone.version = current.version + 1
    for name, value in fields.items():
        setattr(milestone, name, value)
    if project.has_baseline and milestone.baseline_date is None:
        milestone.baseline_date = milestone.forecast_date
    milestone._history_user = by
    milestone.full_clean()
    milestone.save()
    return milestone
