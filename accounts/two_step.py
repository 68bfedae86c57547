"""Two-step sign-in: who needs it, and the writes that enrol an authenticator app, replace the
recovery codes, check a code, remove the second step and change the sign-in policy.

A person's second step is one authenticator app (a confirmed TOTP device) and a sheet of
recovery codes (a static device whose codes each work once).
"""

import math
from base64 import b32encode
from urllib.parse import urlencode

import django_otp
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from pmo_portal import permissions
from pmo_portal.errors import StaleVersionError

from .models import SignInPolicy

RECOVERY_CODE_COUNT = 10
APP_DEVICE_NAME = "Authenticator app"
RECOVERY_DEVICE_NAME = "Recovery codes"
APP_CODE_DIGITS = 6


def can_change_sign_in_policy(user) -> bool:
    return user.has_perm("accounts.change_signinpolicy")


def second_step_required(user, policy: SignInPolicy | None = None) -> bool:
    """Whether the sign-in policy asks `user` for a code after the password."""
    policy = policy or SignInPolicy.current()
    if policy.scope == SignInPolicy.Scope.EVERYONE:
        return True
    if policy.scope == SignInPolicy.Scope.ROLES:
        return user.groups.filter(pk__in=policy.roles.values("pk")).exists()
    return False


def app_device(user) -> TOTPDevice | None:
    """The authenticator app `user` set up, if any."""
    return TOTPDevice.objects.filter(user=user, confirmed=True).order_by("pk").first()


def has_app_device(user) -> bool:
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def recovery_codes_left(user) -> int:
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()


def second_step_url(user, *, next_url: str, has_device: bool | None = None) -> str:
    """Where a signed-in person who has not given a code goes: the code page when they have an
    app, else the page that sets one up."""
    if has_device is None:
        has_device = has_app_device(user)
    name = "accounts:two_step_verify" if has_device else "accounts:two_step_enrol"
    return f"{reverse(name)}?{urlencode({'next': next_url})}"


def app_secret(device: TOTPDevice) -> str:
    """The device's secret as people type it into an app: base32, in groups of four."""
    secret = b32encode(device.bin_key).decode()
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def normalise_code(code: str) -> str:
    """Codes are accepted with spaces or dashes and in either case."""
    return "".join(code.split()).replace("-", "").lower()


@transaction.atomic
def app_device_pending(*, user) -> TOTPDevice:
    """The app device `user` is setting up: the same one (and so the same QR code) until they
    confirm it with a code."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("pk").first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=APP_DEVICE_NAME, confirmed=False)
    return device


def app_device_confirm(*, device: TOTPDevice, code: str) -> list[str]:
    """Confirm the app `device` with a code it shows, and give its owner fresh recovery codes,
    returned in clear for them to keep. A wrong code confirms nothing."""
    code = normalise_code(code)
    with transaction.atomic():
        locked = TOTPDevice.objects.select_for_update().get(pk=device.pk)
        allowed, details = locked.verify_is_allowed()
        accepted = allowed and locked.verify_token(code)
        if accepted:
            locked.confirmed = True
            locked.save(update_fields=["confirmed"])
            TOTPDevice.objects.filter(user=locked.user, confirmed=False).delete()
            codes = _recovery_codes_replace(locked.user)
    # Outside the transaction: a refused code must still count against the throttle.
    if not allowed:
        raise ValidationError(_throttled_message(details), code="throttled")
    if not accepted:
        raise ValidationError(
            _("That code is not right. Enter the 6-digit code your app shows now."),
            code="invalid",
        )
    device.refresh_from_db()
    return codes


@transaction.atomic
def recovery_codes_replace(*, user) -> list[str]:
    """Replace the recovery codes of `user` with fresh ones; the old ones stop working."""
    if not has_app_device(user):
        raise ValidationError(_("Set up an authenticator app first."), code="no_device")
    return _recovery_codes_replace(user)


def _recovery_codes_replace(user) -> list[str]:
    device, _created = StaticDevice.objects.get_or_create(
        user=user, name=RECOVERY_DEVICE_NAME, defaults={"confirmed": True}
    )
    device.token_set.all().delete()
    codes: set[str] = set()
    while len(codes) < RECOVERY_CODE_COUNT:
        codes.add(StaticToken.random_token())
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return sorted(codes)


def second_step_check(*, user, code: str):
    """The device that accepts `code` from `user`: their app's current code, or one of their
    recovery codes (used up by this). Raises ValidationError for a wrong code, or when too many
    wrong codes were given lately (django-otp's throttling)."""
    code = normalise_code(code)
    if code.isdigit() and len(code) == APP_CODE_DIGITS:
        devices = TOTPDevice.objects.filter(user=user, confirmed=True)
    else:
        devices = StaticDevice.objects.filter(user=user, confirmed=True)
    for device in devices:
        allowed, details = device.verify_is_allowed()
        if not allowed:
            raise ValidationError(_throttled_message(details), code="throttled")
        verified = django_otp.verify_token(user, device.persistent_id, code)
        if verified is not None:
            return verified
    raise ValidationError(
        _("That code is not right, or that recovery code was already used."), code="invalid"
    )


def two_step_remove(*, user, code: str) -> None:
    """Remove the app and the recovery codes of `user`, once a current code proves it is them."""
    second_step_check(user=user, code=code)
    with transaction.atomic():
        TOTPDevice.objects.filter(user=user).delete()
        StaticDevice.objects.filter(user=user).delete()


def _throttled_message(details: dict | None) -> str:
    locked_until = (details or {}).get("locked_until")
    seconds = 1
    if locked_until:
        seconds = max(1, math.ceil((locked_until - timezone.now()).total_seconds()))
    return _("Too many wrong codes. Wait %(seconds)s seconds, then try again.") % {
        "seconds": seconds
    }


@transaction.atomic
def sign_in_policy_update(
    *, by, version: int | None, scope: str, roles: list[Group]
) -> SignInPolicy:
    """Change who must sign in with a second step; refused when someone else changed the
    policy since `version` was read. Every change is kept in the policy's history."""
    permissions.ensure(can_change_sign_in_policy(by))
    SignInPolicy.current()
    policy = SignInPolicy.objects.select_for_update().get(pk=1)
    if version is not None and policy.version != version:
        raise StaleVersionError(
            _("Someone else changed the sign-in policy since you opened it. Nothing was saved.")
        )
    if scope == SignInPolicy.Scope.ROLES and not roles:
        raise ValidationError({"roles": _("Choose at least one role, or another option.")})
    policy.scope = scope
    policy.version += 1
    policy._history_user = by
    policy.full_clean()
    policy.save()
    policy.roles.set(roles if scope == SignInPolicy.Scope.ROLES else [])
    return policy
