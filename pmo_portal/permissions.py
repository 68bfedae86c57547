"""Who may see and change what: the one place where the portal's access rules live.

Roles are groups (see roles.py) holding Django permissions. On top of those, object rules:
a project manager changes only the projects they manage; executives read everything and change
nothing but their own settings and report subscriptions. Views and querysets ask these
functions, never the groups.
"""

from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef, Q, QuerySet

VIEW = "view"
CHANGE = "change"


def can_view_projects(user) -> bool:
    return user.has_perm("projects.view_project")


def can_create_project(user) -> bool:
    return user.has_perm("projects.add_project")


def can_change_any_project(user) -> bool:
    return user.has_perm("projects.change_project")


def can_change_project(user, project) -> bool:
    if can_change_any_project(user):
        return True
    return user.has_perm("projects.change_own_project") and project.manager_id == user.pk


def can_manage_projects(user) -> bool:
    """Whether the user may run projects of their own (and so has a "my projects" list)."""
    return user.has_perm("projects.change_own_project")


def can_choose_project_manager(user) -> bool:
    """Only those who change any project may hand one to another manager."""
    return can_change_any_project(user)


def restrict_projects(queryset: QuerySet, user, action: str = VIEW) -> QuerySet:
    """Narrow a project queryset to the rows `user` may see (VIEW) or change (CHANGE)."""
    if action == VIEW:
        return queryset if can_view_projects(user) else queryset.none()
    if can_change_any_project(user):
        return queryset
    if user.has_perm("projects.change_own_project"):
        return queryset.filter(manager=user)
    return queryset.none()


def ensure(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied


# Project standards and governance.


def can_manage_standards(user) -> bool:
    """Methodologies, lifecycle templates and the standards library belong to the PMO."""
    return user.has_perm("projects.change_lifecycletemplate")


def can_set_governance_mode(user) -> bool:
    return user.has_perm("projects.change_governancesettings")


def is_pmo(user) -> bool:
    """PMO staff decide any gate they are asked to."""
    return user.has_perm("projects.decide_gate")


def can_decide_gate(user, phase, *, directive: bool) -> bool:
    """Who may decide a project's gate: the PMO, or the sponsor where the gate names them
    (never in a directive PMO, where only the PMO approves gates)."""
    if is_pmo(user):
        return True
    if directive:
        return False
    return phase.gate_approver == "sponsor" and phase.project.sponsor_id == user.pk


def restrict_gate_submissions(queryset: QuerySet, user, *, directive: bool) -> QuerySet:
    """Narrow gate submissions to those `user` may decide, by the rule of can_decide_gate."""
    if is_pmo(user):
        return queryset
    if directive:
        return queryset.none()
    return queryset.filter(phase__gate_approver="sponsor", phase__project__sponsor=user)


def can_decide_change_requests(user) -> bool:
    """The change board: PMO staff."""
    return user.has_perm("projects.decide_changerequest")


def can_record_meetings(user) -> bool:
    return user.has_perm("projects.add_meeting")


def can_change_meeting(user, meeting) -> bool:
    return user.has_perm("projects.change_meeting") or (
        user.has_perm("projects.add_meeting") and meeting.created_by_id == user.pk
    )


def can_update_action(user, action) -> bool:
    """The owner of an action reports its progress; so do those who run the meeting."""
    return action.owner_id == user.pk or can_change_meeting(user, action.meeting)


# Resources and budgets.


def can_view_resources(user) -> bool:
    return user.has_perm("resources.view_resource")


def can_manage_resources(user) -> bool:
    """Resource managers keep people, capacity, absences and allocations."""
    return user.has_perm("resources.change_resource")


def can_request_resources(user, project) -> bool:
    """The project's manager (or the PMO) asks for people on a project."""
    return user.has_perm("resources.add_resourcerequest") and can_change_project(user, project)


def can_decide_resource_requests(user) -> bool:
    return user.has_perm("resources.change_resourcerequest")


def can_manage_costs(user, project) -> bool:
    """Budget lines and actual costs: the project's manager, the PMO and resource managers."""
    return user.has_perm("resources.change_actualcost") or (
        user.has_perm("resources.add_actualcost") and can_change_project(user, project)
    )


def can_import_costs(user) -> bool:
    """Whoever records the costs of some project may import a file; each row is then checked
    with can_manage_costs for its project."""
    return user.has_perm("resources.add_actualcost")


def restrict_resource_requests(queryset: QuerySet, user) -> QuerySet:
    """The requests `user` may read: all of them, except that someone who runs projects but
    neither decides requests nor changes every project sees only their own projects'."""
    if not can_view_resources(user):
        return queryset.none()
    if can_decide_resource_requests(user) or can_change_any_project(user):
        return queryset
    if can_manage_projects(user):
        return queryset.filter(Q(project__manager=user) | Q(requested_by=user))
    return queryset


def can_set_utilisation_target(user) -> bool:
    return user.has_perm("resources.change_utilisationtarget")


# Portfolio.


def can_view_portfolio(user) -> bool:
    return user.has_perm("portfolio.view_portfolio")


def can_manage_portfolio(user) -> bool:
    """PMO staff keep portfolios, programmes, placements, objectives, criteria and weights."""
    return user.has_perm("portfolio.change_portfolio")


def can_set_scores(user) -> bool:
    """Only PMO staff set scores directly."""
    return user.has_perm("portfolio.change_score")


def can_propose_scores(user, project) -> bool:
    """A project's manager proposes scores for it; the PMO accepts or rejects them."""
    return user.has_perm("portfolio.add_scoreproposal") and can_change_project(user, project)


def can_decide_score_proposals(user) -> bool:
    return user.has_perm("portfolio.change_scoreproposal")


def restrict_score_proposals(queryset: QuerySet, user) -> QuerySet:
    """The proposals `user` may read: all for those who decide them and for readers of the
    portfolio; only their own projects' for project managers."""
    if not can_view_portfolio(user):
        return queryset.none()
    if can_decide_score_proposals(user) or not can_manage_projects(user):
        return queryset
    if can_change_any_project(user):
        return queryset
    return queryset.filter(Q(project__manager=user) | Q(proposed_by=user))


def can_manage_scenarios(user) -> bool:
    """Scenarios are PMO work: build, solve, copy and commit them."""
    return user.has_perm("portfolio.change_scenario")


def can_manage_reviews(user) -> bool:
    return user.has_perm("portfolio.change_portfolioreview")


# Status reporting.


def can_view_reports(user) -> bool:
    return user.has_perm("reports.view_statusreport")


def can_write_status_report(user, project) -> bool:
    """Only a project's own manager writes its status reports."""
    return user.has_perm("reports.add_statusreport") and project.manager_id == user.pk


def can_review_status_reports(user) -> bool:
    return user.has_perm("reports.review_statusreport")


def can_set_report_thresholds(user) -> bool:
    """The RAG thresholds and the reporting frequency of projects belong to the PMO."""
    return user.has_perm("reports.change_ragthresholds")


def can_set_effectiveness_targets(user) -> bool:
    return user.has_perm("reports.change_effectivenesstarget")


def can_record_closure_survey(user, project) -> bool:
    """The project's manager or the PMO records the survey taken at closure."""
    return user.has_perm("reports.add_closuresurvey") and can_change_project(user, project)


def restrict_status_reports(queryset: QuerySet, user) -> QuerySet:
    """The reports `user` may read: published ones for every reader; drafts only for the
    project's manager and those who review reports."""
    if not can_view_reports(user):
        return queryset.none()
    if can_review_status_reports(user):
        return queryset
    return queryset.filter(~Q(state="draft") | Q(project__manager=user))


# Risks.


def can_view_risks(user) -> bool:
    return user.has_perm("risks.view_risk")


def can_configure_risks(user) -> bool:
    """The PMO keeps the risk categories, the scales, the matrix and the review cadences."""
    return user.has_perm("risks.change_riskmatrixcell")


def can_change_any_risk(user) -> bool:
    return user.has_perm("risks.change_risk")


def can_log_risks(user, project=None) -> bool:
    """Who logs risks: the PMO anywhere (also on portfolios and enterprise-wide), a project's
    manager on their project."""
    if can_change_any_risk(user):
        return True
    return (
        project is not None
        and user.has_perm("risks.add_risk")
        and can_change_project(user, project)
    )


def can_change_risk(user, risk) -> bool:
    """The PMO, the manager of the risk's project, and the risk's owner."""
    if not can_view_risks(user):
        return False
    if risk.owner_id == user.pk:
        return True
    return can_log_risks(user, risk.project if risk.project_id else None)


def can_update_risk_action(user, action, risk) -> bool:
    """An action's owner reports its progress; so do those who change its risk."""
    return (can_view_risks(user) and action.owner_id == user.pk) or can_change_risk(user, risk)


def restrict_risks_editable(queryset: QuerySet, user) -> QuerySet:
    """The risks `user` may change, by the rule of can_change_risk."""
    if not can_view_risks(user):
        return queryset.none()
    if can_change_any_risk(user):
        return queryset
    rule = Q(owner=user)
    if user.has_perm("risks.add_risk") and user.has_perm("projects.change_own_project"):
        rule |= Q(project__manager=user)
    return queryset.filter(rule)


def can_set_contingency(user, project) -> bool:
    return can_log_risks(user, project)


def can_view_issues(user) -> bool:
    return user.has_perm("risks.view_issue")


def can_log_issues(user, project=None) -> bool:
    if user.has_perm("risks.change_issue"):
        return True
    return (
        project is not None
        and user.has_perm("risks.add_issue")
        and can_change_project(user, project)
    )


def can_change_issue(user, issue) -> bool:
    """The PMO, the manager of the issue's project and the issue's owner."""
    if not can_view_issues(user):
        return False
    return issue.owner_id == user.pk or can_log_issues(
        user, issue.project if issue.project_id else None
    )


def can_view_lessons(user) -> bool:
    return user.has_perm("risks.view_lesson")


def can_record_lessons(user, project=None) -> bool:
    """The PMO records lessons of any project (or of none); a project's manager of theirs."""
    if user.has_perm("risks.change_lesson"):
        return True
    if project is None:
        return False
    return user.has_perm("risks.add_lesson") and can_change_project(user, project)


def can_change_lesson(user, lesson) -> bool:
    return user.has_perm("risks.change_lesson") or (
        user.has_perm("risks.add_lesson") and lesson.recorded_by_id == user.pk
    )


# Executive PDF reports.


def can_subscribe_to_reports(user) -> bool:
    """Executives and PMO staff subscribe to scheduled PDF reports."""
    return user.has_perm("reports.add_reportsubscription")


def can_manage_any_subscription(user) -> bool:
    """PMO admins manage everyone's subscriptions (in the portal and in Django admin)."""
    return user.has_perm("reports.change_reportsubscription")


def can_change_subscription(user, subscription) -> bool:
    """A subscriber manages their own subscriptions."""
    if can_manage_any_subscription(user):
        return True
    return can_subscribe_to_reports(user) and subscription.owner_id == user.pk


def can_view_any_report_run(user) -> bool:
    """PMO staff see every report sent, and every failure."""
    return user.has_perm("reports.view_reportrun")


def restrict_report_subscriptions(queryset: QuerySet, user, action: str = VIEW) -> QuerySet:
    """The subscriptions `user` may see or change: their own; every one for PMO admins."""
    if can_manage_any_subscription(user):
        return queryset
    if action == CHANGE and not can_subscribe_to_reports(user):
        return queryset.none()
    return queryset.filter(owner=user)


def restrict_report_runs(queryset: QuerySet, user) -> QuerySet:
    """The report runs `user` may see and download: all of them for PMO staff; else those of
    their own subscriptions, of subscriptions they receive, and those that reached them."""
    if can_view_any_report_run(user):
        return queryset
    from reports.models import ReportDelivery, ReportSubscription

    receives = ReportSubscription.recipients.through.objects.filter(
        reportsubscription=OuterRef("subscription"), user=user
    )
    reached = ReportDelivery.objects.filter(run=OuterRef("pk"), user=user)
    return queryset.filter(Q(subscription__owner=user) | Exists(receives) | Exists(reached))
