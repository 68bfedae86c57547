"""Signed in with a password is not enough where a second step is due: send the person to it."""

from django.shortcuts import redirect
from django_htmx.http import HttpResponseClientRedirect

from . import two_step

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

# What the middleware worked out for this session, so that a page costs no query for it:
# the policy version it was worked out against, whether the person has an authenticator app,
# and whether the policy asks them for one. Pages that add or remove the app forget it.
STATE_SESSION_KEY = "two_step_state"


def forget_two_step_state(request) -> None:
    request.session.pop(STATE_SESSION_KEY, None)


def _two_step_state(request) -> dict:
    rule = two_step.policy_rule()
    state = request.session.get(STATE_SESSION_KEY)
    if state is None or state.get("policy") != rule["version"]:
        state = {
            "policy": rule["version"],
            "device": two_step.has_app_device(request.user),
            "required": two_step.second_step_required(request.user),
        }
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
