"""Signed in with a password is not enough where a second step is due: send the person to it."""

import time

from django.shortcuts import redirect
from django_htmx.http import HttpResponseClientRedirect

from . import two_step
from .models import SignInPolicy

# Pages open before the second step: the step itself, leaving, the language, the load
# balancer's probe and getting back into the account.
EXEMPT_VIEWS = {
    "accounts:two_step_verify",
    "accounts:two_step_enrol",
    "login",
    "logout",
    "switch_language",
    "healthz",
    "password_reset",
    "password_reset_done",
    "password_reset_confirm",
    "password_reset_complete",
}

# What the middleware worked out for this session, so that pages cost no query for it: the
# policy version it was worked out against, whether the person has an authenticator app, whether
# the policy asks them for one, and when the policy was last read. Sessions read the policy
# again at most once a minute, so a change reaches every open session within that time. Pages
# that add or remove the app forget it.
STATE_SESSION_KEY = "two_step_state"
POLICY_CHECK_SECONDS = 60


def forget_two_step_state(request) -> None:
    request.session.pop(STATE_SESSION_KEY, None)


def _work_out_state(request, user, policy) -> dict:
    state = {
        "policy": policy.version,
        "device": two_step.has_app_device(user),
        "required": two_step.second_step_required(user, policy),
        "checked": time.time(),
    }
    request.session[STATE_SESSION_KEY] = state
    return state


def remember_two_step_state(sender, request, user, **kwargs) -> None:
    """On sign-in (Django's user_logged_in signal): work out whether this session needs a
    second step, so that the pages opened afterwards cost no query for it."""
    if request is not None and hasattr(request, "session"):
        _work_out_state(request, user, SignInPolicy.current())


def _two_step_state(request) -> dict:
    state = request.session.get(STATE_SESSION_KEY)
    if state is not None and time.time() - state.get("checked", 0) < POLICY_CHECK_SECONDS:
        return state
    policy = SignInPolicy.current()
    if state is None or state.get("policy") != policy.version:
        return _work_out_state(request, request.user, policy)
    state = {**state, "checked": time.time()}
    request.session[STATE_SESSION_KEY] = state
    return state


class TwoStepSignInMiddleware:
    """Send a signed-in person who has not given a code to the code page when they have an
    authenticator app, or to the page that sets one up when the sign-in policy requires it.
    htmx requests get an HX-Redirect, so the whole page goes rather than a fragment."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        user = request.user
        if not user.is_authenticated or user.is_verified():
            return None
        match = request.resolver_match
        if match is not None and match.view_name in EXEMPT_VIEWS:
            return None
        state = _two_step_state(request)
        if not (state["device"] or state["required"]):
            return None
        target = two_step.second_step_url(
            user, next_url=request.get_full_path(), has_device=state["device"]
        )
        if request.headers.get("HX-Request") == "true":
            return HttpResponseClientRedirect(target)
        return redirect(target)
