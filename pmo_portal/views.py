from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.db import connection
from django.http import Http404, HttpResponseRedirect, JsonResponse
from django.shortcuts import render
from django.utils import translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from accounts.forms import PortalAuthenticationForm
from accounts.sessions import sessions_of
from projects.models import Department, Project

from . import permissions
from .celery import app as celery_app
from .forms import UserSettingsForm
from .models import UserSettings
from .roles import role_labels


class PortalLoginView(auth_views.LoginView):
    """Django's login; afterwards the portal speaks the language the user chose before."""

    authentication_form = PortalAuthenticationForm

    def form_valid(self, form):
        response = super().form_valid(form)
        language = (
            UserSettings.objects.filter(user=form.get_user())
            .values_list("language", flat=True)
            .first()
        )
        if language:
            _set_language_cookie(response, language)
        return response


def _set_language_cookie(response, language: str) -> None:
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        language,
        max_age=settings.LANGUAGE_COOKIE_AGE,
        secure=settings.LANGUAGE_COOKIE_SECURE,
        httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
        samesite=settings.LANGUAGE_COOKIE_SAMESITE,
    )


def _safe_next(request, fallback: str) -> str:
    """Where to go back to: `next`, else the page the form was sent from (its address may have
    changed since it loaded, when htmx pushed filters into it), if it is on this site."""
    target = request.POST.get("next") or request.GET.get("next") or request.headers.get("Referer")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return fallback


@require_POST
def switch_language(request):
    """Remember the chosen language for this user (every role may do this) and use it now."""
    language = request.POST.get("language")
    if language not in dict(settings.LANGUAGES):
        messages.error(request, _("That language is not available."))
        return HttpResponseRedirect(_safe_next(request, "/"))
    UserSettings.objects.update_or_create(user=request.user, defaults={"language": language})
    translation.activate(language)
    response = HttpResponseRedirect(_safe_next(request, "/"))
    _set_language_cookie(response, language)
    return response


def user_settings(request):
    """The user's own settings page: language, roles, a link to change the password, and the
    user's signed-in sessions."""
    instance, _created = UserSettings.objects.get_or_create(
        user=request.user, defaults={"language": translation.get_language()}
    )
    form = UserSettingsForm(request.POST or None, instance=instance)
    if request.method == "POST" and form.is_valid():
        saved = form.save()
        translation.activate(saved.language)
        messages.success(request, _("Your settings were saved."))
        response = HttpResponseRedirect(request.path)
        _set_language_cookie(response, saved.language)
        return response
    return render(
        request,
        "pmo_portal/user_settings.html",
        {
            "form": form,
            "roles": role_labels(request.user),
            "signed_in_sessions": sessions_of(request.user),
        },
    )


AREAS = {
    "portfolio": (
        gettext_lazy("Portfolio"),
        gettext_lazy(
            "Strategic objectives, weighted scoring and ranking, selection under budget and "
            "capacity limits, scenarios and portfolio review decisions."
        ),
    ),
    "resources": (
        gettext_lazy("Resources"),
        gettext_lazy(
            "People, roles and skills, capacity against demand by month, allocations, "
            "resource requests, and budget against actual cost."
        ),
    ),
    "risks": (
        gettext_lazy("Risks"),
        gettext_lazy(
            "Risk registers with probability and impact, responses, reviews, quantified "
            "exposure, the issues log and lessons learned."
        ),
    ),
    "reports": (
        gettext_lazy("Reports"),
        gettext_lazy(
            "Status reports with RAG and earned value, dashboards, PMO effectiveness metrics "
            "and scheduled executive reports."
        ),
    ),
}


def area_overview(request, area: str):
    """The landing page of an area: what it covers and the project figures it starts from."""
    if area not in AREAS:
        raise Http404
    permissions.ensure(permissions.can_view_projects(request.user))
    title, description = AREAS[area]
    projects = Project.objects.visible_to(request.user)
    by_department = (
        Department.objects.with_project_totals(projects)
        .filter(open_count__gt=0)
        .order_by("-open_budget", "code")[:15]
    )
    return render(
        request,
        "pmo_portal/area_overview.html",
        {
            "area": area,
            "title": title,
            "description": description,
            "by_department": by_department,
            "currency": settings.DEFAULT_CURRENCY,
        },
    )


@login_not_required
@never_cache
def healthz(request):
    """Liveness for load balancers and monitoring: the database and the broker, each ok or not."""
    checks = {"database": _database_state(), "broker": _broker_state()}
    healthy = all(state == "ok" for state in checks.values())
    return JsonResponse(
        {"status": "ok" if healthy else "error", **checks}, status=200 if healthy else 503
    )


def _database_state() -> str:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as error:  # any failure means "not usable", whatever the driver raised
        return f"error: {error.__class__.__name__}"
    return "ok"


def _broker_state() -> str:
    try:
        with celery_app.connection_for_write() as conn:
            conn.ensure_connection(max_retries=1, timeout=2)
    except Exception as error:  # kombu raises driver-specific errors
        return f"error: {error.__class__.__name__}"
    return "ok"
