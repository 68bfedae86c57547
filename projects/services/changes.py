"""Change control: a change request moves a project's baseline only once it is approved."""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from pmo_portal import permissions
from pmo_portal.errors import StaleVersionError

from ..models import ChangeRequest, Project

EDITABLE = [ChangeRequest.Status.DRAFT]


class ChangeAlreadyDecided(Exception):
    """Another member of the change board decided this request first."""


def _check_schedule(project: Project, schedule_impact_days: int) -> None:
    """Refuse a schedule impact that would put the project's end before its start."""
    start = project.baseline_start or project.planned_start
    end = project.baseline_end or project.planned_end
    if end + datetime.timedelta(days=schedule_impact_days) < start:
        raise ValidationError(
            {
                "schedule_impact_days": _(
                    "This would move the end (%(end)s) before the start (%(start)s)."
                )
                % {
                    "end": end + datetime.timedelta(days=schedule_impact_days),
                    "start": start,
                }
            }
        )


def _check_cost(project: Project, cost_impact) -> None:
    budget = project.baseline_budget if project.has_baseline else project.budget
    if budget + cost_impact < 0:
        raise ValidationError({"cost_impact": _("The budget cannot become negative.")})


@transaction.atomic
def change_request_create(*, project: Project, by, **fields) -> ChangeRequest:
    project = Project.objects.select_for_update().get(pk=project.pk)
    permissions.ensure(permissions.can_change_project(by, project))
    number = (project.change_requests.aggregate(last=Max("number"))["last"] or 0) + 1
    change = ChangeRequest(project=project, number=number, requested_by=by, **fields)
    change.full_clean()
    _check_schedule(project, change.schedule_impact_days)
    _check_cost(project, change.cost_impact)
    change._history_user = by
    change.save()
    return change


@transaction.atomic
def change_request_update(*, change: ChangeRequest, by, version: int, **fields) -> ChangeRequest:
    current = (
        ChangeRequest.objects.select_for_update(of=("self",))
        .select_related("project")
        .get(pk=change.pk)
    )
    permissions.ensure(permissions.can_change_project(by, current.project))
    if current.version != version:
        raise StaleVersionError(
            _("Someone else changed this change request since you opened it. Nothing was saved.")
        )
    if current.status not in EDITABLE:
        raise ValidationError(_("Only a draft change request can be edited."))
    for name, value in fields.items():
        setattr(current, name, value)
    current.version += 1
    current.full_clean()
    _check_schedule(current.project, current.schedule_impact_days)
    _check_cost(current.project, current.cost_impact)
    current._history_user = by
    current.save()
    return current


def _transition(change: ChangeRequest, by, *, allowed_from, to) -> ChangeRequest:
    if change.status not in allowed_from:
        raise ValidationError(
            _("A change request that is %(status)s cannot be moved to %(target)s.")
            % {
                "status": change.get_status_display(),
                "target": ChangeRequest.Status(to).label,
            }
        )
    change.status = to
    change.version += 1
    change._history_user = by
    change.save()
    return change


@transaction.atomic
def change_request_submit(*, change: ChangeRequest, by) -> ChangeRequest:
    change = (
        ChangeRequest.objects.select_for_update(of=("self",))
        .select_related("project")
        .get(pk=change.pk)
    )
    permissions.ensure(permissions.can_change_project(by, change.project))
    return _transition(change, by, allowed_from=[ChangeRequest.Status.DRAFT],
                       to=ChangeRequest.Status.SUBMITTED)  # fmt: skip


@transaction.atomic
def change_request_start_review(*, change: ChangeRequest, by) -> ChangeRequest:
    change = ChangeRequest.objects.select_for_update().get(pk=change.pk)
    permissions.ensure(permissions.can_decide_change_requests(by))
    return _transition(change, by, allowed_from=[ChangeRequest.Status.SUBMITTED],
                       to=ChangeRequest.Status.UNDER_REVIEW)  # fmt: skip


@transaction.atomic
def change_request_decide(
    *, change: ChangeRequest, by, approve: bool, comment: str = ""
) -> ChangeRequest:
    """The change board's decision. Approval moves the baseline and the forecast by the
    request's schedule and cost impact; the project's history names the request as the reason."""
    if not permissions.can_decide_change_requests(by):
        raise PermissionDenied(_("Only the change board decides change requests."))
    change = ChangeRequest.objects.select_for_update().get(pk=change.pk)
    if change.status not in ChangeRequest.AWAITING_DECISION:
        raise ChangeAlreadyDecided(
            _("This change request is %(status)s already; nothing was changed.")
            % {"status": change.get_status_display()}
        )
    if not approve and not comment.strip():
        raise ValidationError({"comment": _("Give the reason for the rejection.")})
    if approve:
        _apply_to_project(change, by)
    change.status = ChangeRequest.Status.APPROVED if approve else ChangeRequest.Status.REJECTED
    change.decided_by = by
    change.decided_at = timezone.now()
    change.decision_comment = comment
    change.version += 1
    change._history_user = by
    change.save()
    return change


def _apply_to_project(change: ChangeRequest, by) -> None:
    project = Project.objects.select_for_update().get(pk=change.project_id)
    _check_schedule(project, change.schedule_impact_days)
    _check_cost(project, change.cost_impact)
    shift = datetime.timedelta(days=change.schedule_impact_days)
    if project.has_baseline:
        project.baseline_end += shift
        project.baseline_budget += change.cost_impact
    project.planned_end += shift
    if project.forecast_end is not None:
        project.forecast_end += shift
    project.budget += change.cost_impact
    project.version += 1
    project._history_user = by
    project._change_reason = _("%(code)s approved: %(title)s") % {
        "code": change.code,
        "title": change.title,
    }
    project.full_clean()
    project.save()


@transaction.atomic
def change_request_mark_implemented(*, change: ChangeRequest, by) -> ChangeRequest:
    change = (
        ChangeRequest.objects.select_for_update(of=("self",))
        .select_related("project")
        .get(pk=change.pk)
    )
    permissions.ensure(permissions.can_change_project(by, change.project))
    return _transition(change, by, allowed_from=[ChangeRequest.Status.APPROVED],
                       to=ChangeRequest.Status.IMPLEMENTED)  # fmt: skip
