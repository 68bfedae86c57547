"""What the risk pages share: fetching a record for a user, and the way back."""

from django.shortcuts import get_object_or_404
from django.utils.http import url_has_allowed_host_and_scheme

from pmo_portal import permissions

from ..models import Issue, Lesson, Risk

VIEW, CHANGE = permissions.VIEW, permissions.CHANGE


def get_risk_for_user(user, pk, action=VIEW) -> Risk:
    """The risk for anyone who reads the register; PermissionDenied when they may not change it."""
    permissions.ensure(permissions.can_view_risks(user))
    risk = get_object_or_404(Risk.objects.for_list(), pk=pk)
    if action == CHANGE:
        permissions.ensure(permissions.can_change_risk(user, risk))
    return risk


def get_issue_for_user(user, pk, action=VIEW) -> Issue:
    permissions.ensure(permissions.can_view_issues(user))
    issue = get_object_or_404(Issue.objects.for_list(), pk=pk)
    if action == CHANGE:
        permissions.ensure(permissions.can_change_issue(user, issue))
    return issue


def get_lesson_for_user(user, pk, action=VIEW) -> Lesson:
    permissions.ensure(permissions.can_view_lessons(user))
    lesson = get_object_or_404(Lesson.objects.for_list(), pk=pk)
    if action == CHANGE:
        permissions.ensure(permissions.can_change_lesson(user, lesson))
    return lesson


def next_url(request, default: str) -> str:
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return default


def query_without(request, *names) -> str:
    """The page's query string without `names` (e.g. the page number), for links and export."""
    query = request.GET.copy()
    for name in names:
        query.pop(name, None)
    return query.urlencode()
