"""Pages of a project's lifecycle: the phases and their gates, evidence, gate submissions and
decisions, passing a gate without approval, conditions and milestones.

The services in projects.services.lifecycle enforce every rule (who may, and the governance
mode); these views show what the user may do and carry the services' refusals back to them.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.http import FileResponse, Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from pmo_portal import permissions
from pmo_portal.errors import StaleVersionError

from ..forms.lifecycle import (
    AdvanceForm,
    ConditionFormSet,
    DecisionForm,
    EvidenceForm,
    GateSubmitForm,
    JoinLifecycleForm,
    MilestoneForm,
)
from ..models import (
    GateCondition,
    GateDecision,
    GateSubmission,
    GovernanceMode,
    GovernanceSettings,
    Project,
    ProjectChecklistItem,
)
from ..services import lifecycle
from .register import get_project_for_user

QUEUE_PAGE_SIZE = 25
CONDITIONS_PREFIX = "conditions"


def _lifecycle_url(project_pk: int) -> str:
    return reverse("projects:project_lifecycle", args=[project_pk])


def _add_service_error(form, error: ValidationError) -> list[str]:
    """Put a service's ValidationError next to the form's fields it names; the form's top takes
    the rest. Returns the messages about what the form has no field for (e.g. conditions)."""
    elsewhere = []
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return elsewhere
    for field, errors in error.error_dict.items():
        if field in form.fields:
            form.add_error(field, errors)
        else:
            elsewhere.extend(message for e in errors for message in e.messages)
    return elsewhere


def _is_directive() -> bool:
    return GovernanceSettings.current().mode == GovernanceMode.DIRECTIVE


def _submissions_with_decisions(submissions):
    """Submissions with who submitted, the decision, who decided, and the conditions with their
    owners: two queries whatever the number of submissions."""
    return submissions.select_related(
        "phase", "submitted_by", "decision__decided_by"
    ).prefetch_related(
        Prefetch("decision__conditions", queryset=GateCondition.objects.select_related("owner"))
    )


def _decidable_submissions(user):
    pending = GateSubmission.objects.filter(
        status=GateSubmission.Status.PENDING,
        phase__project__in=Project.objects.visible_to(user),
    )
    return permissions.restrict_gate_submissions(pending, user, directive=_is_directive())


def _missing_titles(checklist) -> list[str]:
    """The mandatory items without evidence, from a checklist already read (as
    lifecycle.missing_mandatory_items says, without another query)."""
    return [item.title for item in checklist if item.mandatory and not item.is_met]


# The lifecycle page ------------------------------------------------------------------------


def _lifecycle_context(request, project: Project, join_form=None) -> dict:
    user = request.user
    governance = GovernanceSettings.current()
    can_change = permissions.can_change_project(user, project)
    phases = list(project.phases.with_checklist_counts())
    current = next((phase for phase in phases if phase.pk == project.current_phase_id), None)
    checklist = list(current.checklist.select_related("met_by")) if current else []
    submissions = list(
        _submissions_with_decisions(
            GateSubmission.objects.filter(phase__project=project).order_by(
                "phase__order", "submitted_at", "pk"
            )
        )
    )
    pending = next(
        (
            s
            for s in submissions
            if current and s.phase_id == current.pk and s.status == GateSubmission.Status.PENDING
        ),
        None,
    )
    directive = governance.mode == GovernanceMode.DIRECTIVE
    if not phases and can_change and join_form is None:
        join_form = JoinLifecycleForm(project=project)
    return {
        "project": project,
        "governance": governance,
        "can_change": can_change,
        "phases": phases,
        "current_phase": current,
        "checklist": checklist,
        "missing": _missing_titles(checklist),
        "can_submit": bool(can_change and current and current.gate_status in lifecycle.SUBMITTABLE),
        "can_pass_without_approval": bool(can_change and current and not governance.is_controlling),
        "pending_submission": pending,
        "can_decide": bool(
            pending and permissions.can_decide_gate(user, current, directive=directive)
        ),
        "submissions": submissions,
        "milestones": project.milestones.all(),
        "join_form": join_form,
    }


def project_lifecycle(request, pk):
    """A project's lifecycle in full: timeline, the current gate's checklist and evidence, and
    the record of every submission and decision."""
    project = get_project_for_user(request.user, pk)
    return render(
        request, "projects/lifecycle/project_lifecycle.html", _lifecycle_context(request, project)
    )


@require_POST
def project_join_lifecycle(request, pk):
    project = get_project_for_user(request.user, pk, permissions.CHANGE)
    form = JoinLifecycleForm(request.POST, project=project)
    if form.is_valid():
        try:
            lifecycle.project_join_lifecycle(
                project=project, by=request.user, template=form.cleaned_data["template"]
            )
        except ValidationError as error:
            _add_service_error(form, error)
        else:
            messages.success(
                request,
                _("The project is on the lifecycle %(template)s.")
                % {"template": form.cleaned_data["template"]},
            )
            return HttpResponseRedirect(_lifecycle_url(project.pk))
    context = _lifecycle_context(request, project, join_form=form)
    return render(request, "projects/lifecycle/project_lifecycle.html", context)


# Evidence ----------------------------------------------------------------------------------


def _checklist_item(project: Project, item_pk: int) -> ProjectChecklistItem:
    return get_object_or_404(
        ProjectChecklistItem.objects.select_related("phase", "met_by"),
        pk=item_pk,
        phase__project=project,
    )


def checklist_evidence(request, pk, item_pk):
    """Give the evidence of a gate item: upload a file, paste a link, or confirm with a note."""
    project = get_project_for_user(request.user, pk, permissions.CHANGE)
    item = _checklist_item(project, item_pk)
    if request.method == "POST":
        form = EvidenceForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                lifecycle.checklist_item_give_evidence(
                    item=item, by=request.user, **form.cleaned_data
                )
            except ValidationError as error:
                _add_service_error(form, error)
            else:
                messages.success(
                    request, _("Evidence for “%(item)s” saved.") % {"item": item.title}
                )
                return HttpResponseRedirect(_lifecycle_url(project.pk))
    else:
        form = EvidenceForm(initial={"link": item.evidence_link, "note": item.note})
    return render(
        request,
        "projects/lifecycle/checklist_evidence.html",
        {"project": project, "item": item, "form": form},
    )


@require_POST
def checklist_withdraw(request, pk, item_pk):
    project = get_project_for_user(request.user, pk, permissions.CHANGE)
    item = _checklist_item(project, item_pk)
    try:
        lifecycle.checklist_item_withdraw_evidence(item=item, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Evidence for “%(item)s” withdrawn.") % {"item": item.title})
    return HttpResponseRedirect(_lifecycle_url(project.pk))


def checklist_evidence_file(request, pk, item_pk):
    """The evidence file, to those who may see the project: uploads are never served as
    public media."""
    project = get_project_for_user(request.user, pk)
    item = _checklist_item(project, item_pk)
    if not item.evidence_file:
        raise Http404
    name = item.evidence_file.name.rsplit("/", 1)[-1]
    return FileResponse(item.evidence_file.open("rb"), as_attachment=True, filename=name)


# Gates -------------------------------------------------------------------------------------


def gate_submit(request, pk, phase_pk):
    """Ask for the gate decision. The page shows what is missing before the user submits."""
    project = get_project_for_user(request.user, pk, permissions.CHANGE)
    phase = get_object_or_404(project.phases.all(), pk=phase_pk)
    if request.method == "POST":
        form = GateSubmitForm(request.POST)
        if form.is_valid():
            try:
                lifecycle.gate_submit(phase=phase, by=request.user, note=form.cleaned_data["note"])
            except ValidationError as error:
                _add_service_error(form, error)
            else:
                messages.success(
                    request,
                    _("The gate %(gate)s is submitted for decision.") % {"gate": phase.gate_name},
                )
                return HttpResponseRedirect(_lifecycle_url(project.pk))
    else:
        form = GateSubmitForm()
    checklist = list(phase.checklist.select_related("met_by"))
    governance = GovernanceSettings.current()
    return render(
        request,
        "projects/lifecycle/gate_submit.html",
        {
            "project": project,
            "phase": phase,
            "checklist": checklist,
            "missing": _missing_titles(checklist),
            "governance": governance,
            "submittable": phase.status == phase.Status.ACTIVE
            and phase.gate_status in lifecycle.SUBMITTABLE,
            "form": form,
        },
    )


def gate_queue(request):
    """The gates awaiting a decision that the user may decide, oldest first."""
    permissions.ensure(permissions.can_view_projects(request.user))
    submissions = (
        _decidable_submissions(request.user)
        .select_related("phase__project", "submitted_by")
        .order_by("submitted_at", "pk")
    )
    page = Paginator(submissions, QUEUE_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "projects/lifecycle/gate_queue.html", {"page": page})


def gate_decide(request, submission_pk):
    """Decide a gate: go, conditional go with its conditions, hold, recycle or stop."""
    submission = get_object_or_404(
        _submissions_with_decisions(
            GateSubmission.objects.filter(
                phase__project__in=Project.objects.visible_to(request.user)
            ).select_related("phase__project__sponsor")
        ),
        pk=submission_pk,
    )
    phase = submission.phase
    permissions.ensure(permissions.can_decide_gate(request.user, phase, directive=_is_directive()))
    decided = submission.status == GateSubmission.Status.DECIDED
    if decided and request.method == "POST":
        messages.error(request, _("Someone else decided this gate first. Their decision stands."))
        return HttpResponseRedirect(request.path)
    form = formset = None
    condition_errors = []
    if not decided and request.method == "POST":
        form = DecisionForm(request.POST)
        formset = ConditionFormSet(request.POST, prefix=CONDITIONS_PREFIX)
        if form.is_valid() & formset.is_valid():
            filled = formset.filled_forms()
            outcome = form.cleaned_data["outcome"]
            if filled and outcome != GateDecision.Outcome.CONDITIONAL_GO:
                condition_errors.append(
                    _("Only a conditional go has conditions: clear them or choose it.")
                )
            else:
                try:
                    lifecycle.gate_decide(
                        submission=submission,
                        by=request.user,
                        outcome=outcome,
                        comments=form.cleaned_data["comments"],
                        conditions=[lifecycle.ConditionInput(**row.cleaned_data) for row in filled],
                    )
                except lifecycle.GateAlreadyDecided as error:
                    messages.error(request, str(error))
                    return HttpResponseRedirect(request.path)
                except ValidationError as error:
                    condition_errors = _add_service_error(form, error)
                else:
                    messages.success(
                        request,
                        _("Gate %(gate)s of %(project)s decided.")
                        % {"gate": phase.gate_name, "project": phase.project.code},
                    )
                    return HttpResponseRedirect(_lifecycle_url(phase.project_id))
    elif not decided:
        form = DecisionForm()
        formset = ConditionFormSet(prefix=CONDITIONS_PREFIX)
    return render(
        request,
        "projects/lifecycle/gate_decide.html",
        {
            "project": phase.project,
            "phase": phase,
            "submission": submission,
            "decision": submission.decision if decided else None,
            "checklist": phase.checklist.select_related("met_by"),
            "form": form,
            "formset": formset,
            "condition_errors": condition_errors,
        },
    )


def phase_advance(request, pk):
    """Leave the current phase without an approved gate, saying why (a supportive PMO only)."""
    project = get_project_for_user(request.user, pk, permissions.CHANGE)
    if request.method == "POST":
        form = AdvanceForm(request.POST)
        if form.is_valid():
            try:
                phase = lifecycle.phase_advance_without_gate(
                    project=project, by=request.user, reason=form.cleaned_data["reason"]
                )
            except ValidationError as error:
                _add_service_error(form, error)
            else:
                messages.warning(
                    request,
                    _("The gate %(gate)s was passed without approval.") % {"gate": phase.gate_name},
                )
                return HttpResponseRedirect(_lifecycle_url(project.pk))
    else:
        form = AdvanceForm()
    return render(
        request,
        "projects/lifecycle/phase_advance.html",
        {
            "project": project,
            "phase": project.current_phase,
            "governance": GovernanceSettings.current(),
            "form": form,
        },
    )


@require_POST
def condition_met(request, condition_pk):
    condition = get_object_or_404(
        GateCondition.objects.select_related("decision__submission__phase"),
        pk=condition_pk,
        decision__submission__phase__project__in=Project.objects.visible_to(request.user),
    )
    lifecycle.gate_condition_mark_met(condition=condition, by=request.user)
    messages.success(request, _("Condition “%(condition)s” met.") % {"condition": condition})
    # The owner may mark it met from a list of their own to-dos: back there, when it says so.
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        target = _lifecycle_url(condition.decision.submission.phase.project_id)
    return HttpResponseRedirect(target)


# Milestones --------------------------------------------------------------------------------


def _milestone_form(request, pk, milestone_pk=None):
    project = get_project_for_user(request.user, pk, permissions.CHANGE)
    milestone = (
        get_object_or_404(project.milestones.all(), pk=milestone_pk) if milestone_pk else None
    )
    if request.method == "POST":
        form = MilestoneForm(request.POST, instance=milestone)
        if form.is_valid():
            try:
                saved = lifecycle.milestone_save(
                    project=project,
                    by=request.user,
                    milestone=milestone,
                    version=(form.cleaned_data["version"] or 0) if milestone else None,
                    **form.service_fields(),
                )
            except StaleVersionError as error:
                form.add_error(None, str(error))
            except ValidationError as error:
                _add_service_error(form, error)
            else:
                messages.success(request, _("Milestone “%(name)s” saved.") % {"name": saved})
                return HttpResponseRedirect(_lifecycle_url(project.pk) + "#milestones")
    else:
        form = MilestoneForm(instance=milestone)
    return render(
        request,
        "projects/lifecycle/milestone_form.html",
        {"project": project, "milestone": milestone, "form": form},
    )


def milestone_create(request, pk):
    return _milestone_form(request, pk)


def milestone_update(request, pk, milestone_pk):
    return _milestone_form(request, pk, milestone_pk)
