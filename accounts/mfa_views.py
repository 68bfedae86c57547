"""The pages of two-step sign-in: set up an authenticator app, give a code after the password,
keep the recovery codes, manage the second step, and the PMO admin's sign-in policy."""

from urllib.parse import quote, urlencode

import django_otp
import segno
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_otp.plugins.otp_static.models import StaticDevice

from pmo_portal import permissions
from pmo_portal.errors import StaleVersionError
from pmo_portal.service_forms import add_service_error

from . import two_step
from .mfa_forms import AppCodeForm, SecondStepForm, SignInPolicyForm
from .middleware import forget_two_step_state
from .models import SignInPolicy

# Recovery codes just made, kept in the session only until the page that shows them once.
NEW_CODES_SESSION_KEY = "two_step_new_recovery_codes"


def _next_url(request, fallback: str = "") -> str:
    """The page to go on to afterwards, when it is on this site."""
    target = request.POST.get("next") or request.GET.get("next")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return fallback or reverse("home")


def _with_next(url: str, next_url: str) -> str:
    return f"{url}?{urlencode({'next': next_url})}" if next_url else url


def two_step_verify(request):
    """After the password: a code from the app, or a recovery code."""
    user = request.user
    next_url = _next_url(request)
    if user.is_verified():
        return redirect(next_url)
    if not two_step.has_app_device(user):
        forget_two_step_state(request)
        if two_step.second_step_required(user):
            return redirect(_with_next(reverse("accounts:two_step_enrol"), next_url))
        return redirect(next_url)
    form = SecondStepForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            device = two_step.second_step_check(user=user, code=form.cleaned_data["code"])
        except ValidationError as error:
            form.add_error("code", error)
        else:
            django_otp.login(request, device)
            if isinstance(device, StaticDevice):
                left = two_step.recovery_codes_left(user)
                messages.warning(
                    request,
                    _(
                        "You signed in with a recovery code. Recovery codes left: %(left)s. Make "
                        "new ones on the two-step sign-in page if you are running out."
                    )
                    % {"left": left},
                )
            return redirect(next_url)
    return render(request, "accounts/two_step_verify.html", {"form": form, "next": next_url})


def two_step_enrol(request):
    """Set up an authenticator app: scan the QR code (or type the secret), then confirm it with
    the code the app shows."""
    user = request.user
    next_url = _next_url(request, fallback=reverse("accounts:two_step_manage"))
    if two_step.has_app_device(user):
        messages.info(request, _("Two-step sign-in is already set up for you."))
        return redirect("accounts:two_step_manage")
    device = two_step.app_device_pending(user=user)
    form = AppCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            codes = two_step.app_device_confirm(device=device, code=form.cleaned_data["code"])
        except ValidationError as error:
            form.add_error("code", error)
        else:
            django_otp.login(request, device)
            forget_two_step_state(request)
            request.session[NEW_CODES_SESSION_KEY] = codes
            messages.success(request, _("Two-step sign-in is on."))
            return redirect(_with_next(reverse("accounts:two_step_recovery_codes"), next_url))
    qr_code = segno.make(device.config_url, error="m")
    return render(
        request,
        "accounts/two_step_enrol.html",
        {
            "form": form,
            "next": next_url,
            "qr_code_uri": qr_code.svg_data_uri(scale=5, dark="#000", light="#fff"),
            "secret": two_step.app_secret(device),
            "required": two_step.second_step_required(user),
        },
    )


def two_step_recovery_codes(request):
    """The recovery codes just made, shown this once, to print or download."""
    codes = request.session.pop(NEW_CODES_SESSION_KEY, None)
    if not codes:
        messages.info(
            request, _("Recovery codes are shown only once. Make new ones if you lost them.")
        )
        return redirect("accounts:two_step_manage")
    next_url = _next_url(request, fallback=reverse("accounts:two_step_manage"))
    text = "\n".join(codes) + "\n"
    return render(
        request,
        "accounts/two_step_recovery_codes.html",
        {
            "codes": codes,
            "next": next_url,
            "download_uri": "data:text/plain;charset=utf-8," + quote(text),
        },
    )


def two_step_manage(request):
    """The person's own two-step sign-in: on or off, recovery codes left, and what to do."""
    user = request.user
    return render(
        request,
        "accounts/two_step_manage.html",
        {
            "device": two_step.app_device(user),
            "codes_left": two_step.recovery_codes_left(user),
            "required": two_step.second_step_required(user),
        },
    )


@require_POST
def two_step_recovery_codes_replace(request):
    """Make new recovery codes; the old ones stop working."""
    try:
        codes = two_step.recovery_codes_replace(user=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("accounts:two_step_manage")
    request.session[NEW_CODES_SESSION_KEY] = codes
    return redirect("accounts:two_step_recovery_codes")


def two_step_remove(request):
    """Turn two-step sign-in off (for instance before moving to a new phone), once a current
    code proves it is the person. Where the policy requires it, they set up an app again on the
    next page they open."""
    user = request.user
    if not two_step.has_app_device(user):
        return redirect("accounts:two_step_manage")
    required = two_step.second_step_required(user)
    form = SecondStepForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            two_step.two_step_remove(user=user, code=form.cleaned_data["code"])
        except ValidationError as error:
            form.add_error("code", error)
        else:
            forget_two_step_state(request)
            if required:
                messages.warning(
                    request,
                    _("Two-step sign-in is required for you: set up your authenticator app now."),
                )
                return redirect("accounts:two_step_enrol")
            messages.success(request, _("Two-step sign-in is off."))
            return redirect("accounts:two_step_manage")
    return render(request, "accounts/two_step_remove.html", {"form": form, "required": required})


def sign_in_policy(request):
    """Who must sign in with a second step: for PMO admins."""
    permissions.ensure(two_step.can_change_sign_in_policy(request.user))
    policy = SignInPolicy.current()
    form = SignInPolicyForm(request.POST or None, policy=policy)
    if request.method == "POST" and form.is_valid():
        try:
            two_step.sign_in_policy_update(
                by=request.user,
                version=form.cleaned_data["version"],
                scope=form.cleaned_data["scope"],
                roles=list(form.cleaned_data["roles"]),
            )
        except StaleVersionError as error:
            form.add_error(None, str(error))
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("The sign-in policy was saved."))
            return redirect("accounts:sign_in_policy")
    return render(request, "accounts/sign_in_policy.html", {"form": form, "policy": policy})
