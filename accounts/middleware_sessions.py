"""Ends a signed-in session once idle for too long or past its absolute lifetime."""

from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _

from . import sessions


class SessionLifetimeMiddleware:
    """Signs out a session that went SESSION_IDLE_TIMEOUT without a request or began more
    than SESSION_MAX_AGE ago, and sends the browser to the login page with a message saying
    so; otherwise notes that the session was seen (at most once a minute).

    Goes after the authentication and message middlewares."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated:
            now = int(timezone.now().timestamp())
            if sessions.session_expiry(request.session, now=now):
                return self._signed_out(request)
            sessions.session_touch(request=request)
        return self.get_response(request)

    def _signed_out(self, request):
        logout(request)
        messages.info(request, _("Your session expired. Please sign in again."))
        login = redirect_to_login(request.get_full_path())
        if request.headers.get("HX-Request"):
            # htmx would put the login page inside the part of the page it was updating.
            response = HttpResponse(status=204)
            response["HX-Redirect"] = login["Location"]
            return response
        return login
