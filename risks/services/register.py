"""Writes to the risk register: risks, their reviews, responses and actions, contingency, and
an occurred risk turned into an issue."""

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from pmo_portal import permissions
from pmo_portal.errors import StaleVersionError
from projects.models import Project

from ..models import (
    Contingency,
    Issue,
    Level,
    Risk,
    RiskAction,
    RiskMatrix,
    RiskResponse,
)
from ..models.config import cadence_days

SEVERITY_OF_LEVEL = {
    Level.LOW: Issue.Severity.LOW,
    Level.MEDIUM: Issue.Severity.MEDIUM,
    Level.HIGH: Issue.Severity.HIGH,
    Level.CRITICAL: Issue.Severity.CRITICAL,
}


def next_review_date(level: str, after: datetime.date) -> datetime.date:
    """The day a risk of `level` is next due for review, by the PMO's cadence."""
    return after + datetime.timedelta(days=cadence_days()[level])


def _prepare(risk: Risk, by) -> None:
    # Amounts are in the project's currency; elsewhere in the reporting currency.
    risk.currency = risk.project.currency if risk.project_id else settings.DEFAULT_CURRENCY
    risk.work_out_figures(RiskMatrix.load())
    risk._history_user = by
    risk.full_clean()


@transaction.atomic
def risk_create(*, by, project: Project | None = None, **fields) -> Risk:
    """Log a risk on a project (or, for the PMO, on a programme, a portfolio or the whole
    enterprise). Without a residual assessment the residual is the inherent one; without a next
    review date it is set by the cadence of its level."""
    permissions.ensure(permissions.can_log_risks(by, project))
    fields.setdefault("residual_probability", fields.get("probability"))
    fields.setdefault("residual_impact", fields.get("impact"))
    risk = Risk(project=project, created_by=by, **fields)
    _prepare(risk, by)
    if risk.next_review is None:
        risk.next_review = next_review_date(risk.residual_level, timezone.localdate())
    risk.save()
    return risk


@transaction.atomic
def risk_update(*, risk: Risk, by, version: int | None = None, **fields) -> Risk:
    """Change a risk's assessment or details; refused when it changed since `version` was read.
    Every change, score changes included, is kept in the risk's history."""
    current = Risk.objects.select_for_update(of=("self",)).select_related("project").get(pk=risk.pk)
    permissions.ensure(permissions.can_change_risk(by, current))
    if version is not None and current.version != version:
        raise StaleVersionError(
            _("Someone else changed this risk since you opened it. Nothing was saved.")
        )
    project = fields.get("project", current.project)
    if "project" in fields and fields["project"] != current.project:
        permissions.ensure(permissions.can_log_risks(by, project))
    for name, value in fields.items():
        setattr(current, name, value)
    current.version += 1
    _prepare(current, by)
    current.save()
    return current


@transaction.atomic
def risk_review(*, risk: Risk, by, note: str = "", today: datetime.date | None = None) -> Risk:
    """Record that the risk was reviewed today: the next review follows from its level."""
    current = Risk.objects.select_for_update(of=("self",)).select_related("project").get(pk=risk.pk)
    permissions.ensure(permissions.can_change_risk(by, current))
    today = today or timezone.localdate()
    current.last_reviewed = today
    current.next_review = next_review_date(current.residual_level, today)
    current.version += 1
    current._history_user = by
    current._change_reason = note[:100] if note else None
    current.save()
    return current


@transaction.atomic
def response_save(
    *, risk: Risk, by, response: RiskResponse | None = None, strategy: str, plan: str
) -> RiskResponse:
    permissions.ensure(permissions.can_change_risk(by, risk))
    if response is None:
        response = RiskResponse(risk=risk, created_by=by)
    response.strategy, response.plan = strategy, plan
    response._history_user = by
    response.full_clean()
    response.save()
    return response


@transaction.atomic
def action_create(*, response: RiskResponse, by, description: str, owner, due) -> RiskAction:
    permissions.ensure(permissions.can_change_risk(by, response.risk))
    action = RiskAction(response=response, description=description, owner=owner, due=due)
    action._history_user = by
    action.full_clean()
    action.save()
    return action


@transaction.atomic
def action_update(
    *, action: RiskAction, by, version: int | None = None, today=None, **fields
) -> RiskAction:
    """Report progress on an action (its owner) or change it (whoever changes its risk)."""
    current = (
        RiskAction.objects.select_for_update(of=("self",))
        .select_related("response__risk__project")
        .get(pk=action.pk)
    )
    risk = current.response.risk
    if set(fields) - {"status"}:
        permissions.ensure(permissions.can_change_risk(by, risk))
    else:
        permissions.ensure(permissions.can_update_risk_action(by, current, risk))
    if version is not None and current.version != version:
        raise StaleVersionError(
            _("Someone else changed this action since you opened it. Nothing was saved.")
        )
    for name, value in fields.items():
        setattr(current, name, value)
    if current.status == RiskAction.Status.DONE:
        current.completed_on = current.completed_on or today or timezone.localdate()
    else:
        current.completed_on = None
    current.version += 1
    current._history_user = by
    current.full_clean()
    current.save()
    return current


@transaction.atomic
def risk_raise_issue(*, risk: Risk, by, owner=None, due=None, description: str = "") -> Issue:
    """The risk happened: it is marked occurred and an issue is opened for it, with the
    severity of its residual level."""
    current = Risk.objects.select_for_update(of=("self",)).select_related("project").get(pk=risk.pk)
    permissions.ensure(permissions.can_change_risk(by, current))
    if Issue.objects.filter(risk=current).exists():
        raise ValidationError(_("This risk has an issue already."))
    current.status = Risk.Status.OCCURRED
    current.version += 1
    current._history_user = by
    current.save()
    issue = Issue(
        project=current.project,
        risk=current,
        title=current.title,
        description=description or current.effect or current.event,
        severity=SEVERITY_OF_LEVEL[current.residual_level],
        owner=owner or current.owner,
        due=due,
        raised_by=by,
    )
    issue._history_user = by
    issue.full_clean()
    issue.save()
    return issue


@transaction.atomic
def contingency_set(
    *, project: Project, by, cost_reserve, schedule_reserve_days: int, note: str = "",
    version: int | None = None,
) -> Contingency:  # fmt: skip
    """Set the reserve the project holds for its risks, in the project's currency."""
    permissions.ensure(permissions.can_set_contingency(by, project))
    contingency = Contingency.objects.select_for_update().filter(
        project=project
    ).first() or Contingency(project=project, version=0)
    if version is not None and contingency.pk and contingency.version != version:
        raise StaleVersionError(
            _("Someone else changed this reserve since you opened it. Nothing was saved.")
        )
    contingency.cost_reserve = cost_reserve
    contingency.schedule_reserve_days = schedule_reserve_days
    contingency.note = note
    contingency.version += 1
    contingency._history_user = by
    contingency.full_clean()
    contingency.save()
    return contingency
