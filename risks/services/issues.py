"""Writes to the issues log: log, change, resolve and escalate issues."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from pmo_portal import permissions
from pmo_portal.errors import StaleVersionError
from pmo_portal.notifications import notify
from pmo_portal.roles import Role, users_in_roles
from projects.models import Project

from ..models import Issue
from ..models.issues import OPEN_ISSUE_STATUSES


def _finish(issue: Issue, by) -> Issue:
    if issue.status not in OPEN_ISSUE_STATUSES:
        if not issue.resolution.strip():
            raise ValidationError(
                {"resolution": _("Say how the issue was resolved before resolving or closing it.")}
            )
        issue.resolved_on = issue.resolved_on or timezone.localdate()
    else:
        issue.resolved_on = None
    issue._history_user = by
    issue.full_clean()
    issue.save()
    return issue


@transaction.atomic
def issue_create(*, by, project: Project | None = None, **fields) -> Issue:
    permissions.ensure(permissions.can_log_issues(by, project))
    return _finish(Issue(project=project, raised_by=by, **fields), by)


@transaction.atomic
def issue_update(*, issue: Issue, by, version: int | None = None, **fields) -> Issue:
    current = (
        Issue.objects.select_for_update(of=("self",)).select_related("project").get(pk=issue.pk)
    )
    permissions.ensure(permissions.can_change_issue(by, current))
    if version is not None and current.version != version:
        raise StaleVersionError(
            _("Someone else changed this issue since you opened it. Nothing was saved.")
        )
    for name, value in fields.items():
        setattr(current, name, value)
    current.version += 1
    return _finish(current, by)


@transaction.atomic
def issue_escalate(*, issue: Issue, by, note: str) -> Issue:
    """Ask the PMO for help: the issue is marked escalated and every PMO member is told, in the
    portal and by e-mail."""
    current = (
        Issue.objects.select_for_update(of=("self",)).select_related("project").get(pk=issue.pk)
    )
    permissions.ensure(permissions.can_change_issue(by, current))
    if current.escalated_at is not None:
        raise ValidationError(_("This issue was escalated already."))
    if current.status not in OPEN_ISSUE_STATUSES:
        raise ValidationError(_("A resolved issue is not escalated."))
    if not note.strip():
        raise ValidationError({"note": _("Say what you need from the PMO.")})
    current.escalated_at, current.escalated_by, current.escalation_note = timezone.now(), by, note
    current.version += 1
    current._history_user = by
    current.save()
    where = current.project.code if current.project_id else _("the enterprise")
    notify(
        users=users_in_roles(Role.PMO_ANALYST, Role.PMO_ADMIN),
        message=_("Issue %(reference)s on %(where)s was escalated to the PMO: %(title)s")
        % {"reference": current.reference, "where": where, "title": current.title},
        url=reverse("risks:issue_detail", args=[current.pk]),
    )
    return current
