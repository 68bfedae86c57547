"""Review meetings, their decision log and their action items."""

import datetime
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from pmo_portal import permissions
from pmo_portal.errors import StaleVersionError

from ..models import ActionItem, Meeting, MeetingDecision


@dataclass
class ActionInput:
    description: str
    owner: object
    due_date: datetime.date


def _check_project_rights(by, project) -> None:
    if project is not None and not permissions.can_decide_change_requests(by):
        # Project managers record reviews of their own projects; the PMO records any.
        permissions.ensure(permissions.can_change_project(by, project))


@transaction.atomic
def meeting_create(
    *,
    by,
    attendees=(),
    decisions: list[str] = (),
    actions: list[ActionInput] = (),
    **fields,
) -> Meeting:
    permissions.ensure(permissions.can_record_meetings(by))
    meeting = Meeting(created_by=by, **fields)
    _check_project_rights(by, meeting.project)
    meeting.full_clean()
    meeting._history_user = by
    meeting.save()
    meeting.attendees.set(attendees)
    _add_decisions_and_actions(meeting, by, decisions, actions)
    return meeting


@transaction.atomic
def meeting_update(
    *,
    meeting: Meeting,
    by,
    version: int,
    attendees=None,
    decisions: list[str] = (),
    actions: list[ActionInput] = (),
    **fields,
) -> Meeting:
    """Change a meeting's record; `decisions` and `actions` are added to what it has."""
    current = Meeting.objects.select_for_update().get(pk=meeting.pk)
    permissions.ensure(permissions.can_change_meeting(by, current))
    if current.version != version:
        raise StaleVersionError(
            _("Someone else changed this meeting since you opened it. Nothing was saved.")
        )
    for name, value in fields.items():
        setattr(current, name, value)
    _check_project_rights(by, current.project)
    current.version += 1
    current.full_clean()
    current._history_user = by
    current.save()
    if attendees is not None:
        current.attendees.set(attendees)
    _add_decisions_and_actions(current, by, decisions, actions)
    return current


def _add_decisions_and_actions(meeting, by, decisions, actions) -> None:
    for text in decisions:
        if text.strip():
            MeetingDecision.objects.create(meeting=meeting, description=text.strip())
    for action in actions:
        item = ActionItem(
            meeting=meeting,
            description=action.description,
            owner=action.owner,
            due_date=action.due_date,
        )
        item.full_clean()
        item._history_user = by
        item.save()


@transaction.atomic
def action_item_set_status(*, action: ActionItem, by, status: str) -> ActionItem:
    action = ActionItem.objects.select_for_update().select_related("meeting").get(pk=action.pk)
    permissions.ensure(permissions.can_update_action(by, action))
    if status not in ActionItem.Status.values:
        raise ValidationError({"status": _("Choose a status.")})
    action.status = status
    action.completed_at = timezone.now() if status == ActionItem.Status.DONE else None
    action._history_user = by
    action.save()
    return action
