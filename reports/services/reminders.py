"""Reminding project managers of the reports due and telling the PMO of those overdue.

Run daily by Celery beat (reports/tasks.py). For each frequency:

- reminder: the current period ends within REMIND_DAYS_BEFORE days (or has ended and its report
  is not yet due): the manager of each open project reporting at that frequency without a
  published report for it is reminded;
- escalation: the latest period whose report was due before today: each open project without a
  published report for it is escalated; the PMO gets one notification per period listing them.

Each (project, period, kind) is claimed before anything leaves: the claim rows are inserted
with ON CONFLICT DO NOTHING and then taken with one conditional UPDATE (sent_at still empty)
that names this run. Only the rows this run took are sent, so a second run, at once on
another worker or later the same day, sends nothing again.
"""

import datetime
import uuid
from collections import defaultdict

from django.db import transaction
from django.db.models import Exists, OuterRef, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from pmo_portal.notifications import notify
from pmo_portal.roles import Role, users_in_roles
from projects.models import Project

from ..models import ReminderClaim, ReportingPeriod, ReportingSchedule, StatusReport
from .periods import last_due_periods, periods_ensure

REMIND_DAYS_BEFORE = 1
REPORTING_STATUSES = [Project.Status.ACTIVE, Project.Status.ON_HOLD]
DEFAULT_FREQUENCY = ReportingSchedule._meta.get_field("frequency").default


def projects_reporting(frequency: str):
    """Open projects that report at `frequency` (those without a schedule row: the default)."""
    projects = Project.objects.filter(status__in=REPORTING_STATUSES)
    if frequency == DEFAULT_FREQUENCY:
        return projects.filter(Q(reporting__frequency=frequency) | Q(reporting__isnull=True))
    return projects.filter(reporting__frequency=frequency)


def missing_report(projects, period: ReportingPeriod):
    """The projects without a published report for `period` that were running by its end."""
    published = StatusReport.objects.published().filter(project=OuterRef("pk"), period=period)
    return projects.filter(planned_start__lte=period.end).exclude(Exists(published))


def claim(project_ids: list[int], period: ReportingPeriod, kind: str) -> list[int]:
    """Claim the (project, period, kind) rows not sent yet; the ids of the projects this run
    took, so that it sends for them and nobody else does."""
    if not project_ids:
        return []
    ReminderClaim.objects.bulk_create(
        [ReminderClaim(project_id=pk, period=period, kind=kind) for pk in project_ids],
        ignore_conflicts=True,
        batch_size=1000,
    )
    token = uuid.uuid4().hex
    ReminderClaim.objects.filter(
        period=period, kind=kind, project_id__in=project_ids, sent_at__isnull=True
    ).update(sent_at=timezone.now(), claimed_by=token)
    return list(ReminderClaim.objects.filter(claimed_by=token).values_list("project_id", flat=True))


def _current_periods(today: datetime.date) -> list[ReportingPeriod]:
    """Periods whose report is to be reminded of today: ending within REMIND_DAYS_BEFORE days,
    or ended with the report not due yet."""
    return list(
        ReportingPeriod.objects.filter(
            end__lte=today + datetime.timedelta(days=REMIND_DAYS_BEFORE), due_on__gte=today
        ).order_by("end")
    )


def remind_due(today: datetime.date) -> int:
    sent = 0
    for period in _current_periods(today):
        projects = missing_report(projects_reporting(period.frequency), period)
        taken = claim(list(projects.values_list("pk", flat=True)), period,
                      ReminderClaim.Kind.REMINDER)  # fmt: skip
        by_manager = defaultdict(list)
        for project in Project.objects.filter(pk__in=taken).select_related("manager"):
            by_manager[project.manager].append(project)
        for manager, projects_due in by_manager.items():
            for project in projects_due:
                notify(
                    users=[manager],
                    message=_(
                        "The status report of %(project)s for %(period)s is due on %(due)s."
                    )  # fmt: skip
                    % {"project": project.code, "period": period, "due": period.due_on},
                    url=reverse("reports:create", args=[project.pk]) + f"?period={period.pk}",
                )
                sent += 1
    return sent


def escalate_overdue(today: datetime.date) -> int:
    escalated = 0
    pmo = list(users_in_roles(Role.PMO_ADMIN, Role.PMO_ANALYST))
    for frequency, period in last_due_periods(today).items():
        projects = missing_report(projects_reporting(frequency), period)
        taken = claim(list(projects.values_list("pk", flat=True)), period,
                      ReminderClaim.Kind.ESCALATION)  # fmt: skip
        if not taken:
            continue
        codes = list(
            Project.objects.filter(pk__in=taken).order_by("code").values_list("code", flat=True)
        )
        shown = ", ".join(codes[:10]) + ("…" if len(codes) > 10 else "")
        notify(
            users=pmo,
            message=_("%(count)s status reports for %(period)s are overdue: %(projects)s")
            % {"count": len(codes), "period": period, "projects": shown},
            url=reverse("home") + "?attention=late",
        )
        escalated += len(codes)
    return escalated


def reminders_send(*, today: datetime.date | None = None) -> dict:
    """Make the periods up to today, remind of due reports, escalate overdue ones; returns the
    counts. Each step commits on its own, so a failure later keeps what was sent before."""
    today = today or timezone.localdate()
    periods_ensure(until=today + datetime.timedelta(days=31))
    with transaction.atomic():
        reminded = remind_due(today)
    with transaction.atomic():
        escalated = escalate_overdue(today)
    return {"reminded": reminded, "escalated": escalated}
