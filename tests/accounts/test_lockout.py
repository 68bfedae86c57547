"""Repeated failed sign-ins lock a user name out from that address, for the cool-off only."""

import datetime

import pytest
from axes.models import AccessAttempt
from django.conf import settings
from django.contrib.auth.models import Group
from django.test import override_settings
from django.utils import translation

from accounts.lockout import client_address
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

HOME = "10.1.1.1"
ELSEWHERE = "10.2.2.2"


def sign_in(client, password, address=HOME, path="/accounts/login/", username="pm"):
    return client.post(path, {"username": username, "password": password}, REMOTE_ADDR=address)


def fail_to_the_limit(client, address=HOME, path="/accounts/login/", username="pm"):
    for _attempt in range(settings.AXES_FAILURE_LIMIT):
        response = sign_in(client, "wrong", address, path, username)
    return response


def test_the_limit_and_cool_off_default_to_five_failures_and_fifteen_minutes():
    assert settings.AXES_FAILURE_LIMIT == 5
    assert settings.AXES_COOLOFF_TIME.total_seconds() == 15 * 60
    assert settings.AXES_LOCKOUT_PARAMETERS == [["username", "ip_address"]]


def test_four_wrong_passwords_do_not_lock(client, pm):
    for _attempt in range(settings.AXES_FAILURE_LIMIT - 1):
        response = sign_in(client, "wrong")
        assert response.status_code == 200
    assert sign_in(client, "demo").status_code == 302


def test_five_wrong_passwords_lock_the_account_for_that_address(client, pm):
    response = fail_to_the_limit(client)
    assert response.status_code == 429
    assert "Sign-in locked" in response.content.decode()

    response = sign_in(client, "demo")

    assert response.status_code == 429
    page = response.content.decode()
    assert "Sign-in locked" in page
    assert "Try again in 15 minutes" in page
    assert int(response["Retry-After"]) > 14 * 60
    assert "_auth_user_id" not in client.session


def test_the_lockout_page_says_when_to_try_again_in_chinese(client, pm):
    fail_to_the_limit(client)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "zh-hans"

    response = sign_in(client, "demo")

    assert response.status_code == 429
    page = response.content.decode()
    assert '<html lang="zh-hans">' in page
    with translation.override("zh-hans"):
        assert translation.gettext("Sign-in locked") in page
    assert "15" in page


def test_another_address_is_not_locked(client, pm):
    fail_to_the_limit(client, address=HOME)

    response = sign_in(client, "demo", address=ELSEWHERE)

    assert response.status_code == 302
    assert response["Location"] == "/"


def test_another_user_from_the_same_address_is_not_locked(client, pm, pmo):
    fail_to_the_limit(client, address=HOME)

    assert sign_in(client, "demo", address=HOME, username="pmo").status_code == 302


def test_after_the_cool_off_the_user_signs_in_again(client, pm):
    fail_to_the_limit(client)
    sixteen_minutes_ago = AccessAttempt.objects.get().attempt_time - datetime.timedelta(minutes=16)
    AccessAttempt.objects.update(attempt_time=sixteen_minutes_ago)

    response = sign_in(client, "demo")

    assert response.status_code == 302
    assert response["Location"] == "/"


def test_a_success_resets_the_count_of_failures(client, pm):
    for _attempt in range(settings.AXES_FAILURE_LIMIT - 1):
        sign_in(client, "wrong")
    assert sign_in(client, "demo").status_code == 302
    client.logout()

    for _attempt in range(settings.AXES_FAILURE_LIMIT - 1):
        assert sign_in(client, "wrong").status_code == 200
    assert sign_in(client, "demo").status_code == 302


def test_the_admin_login_is_locked_too(client, pmo_admin):
    response = fail_to_the_limit(client, path="/admin/login/", username="admin")
    assert response.status_code == 429

    response = sign_in(client, "demo", path="/admin/login/", username="admin")

    assert response.status_code == 429
    assert "Sign-in locked" in response.content.decode()


def unlock_with_the_admin(client, admin_user, verified_login):
    attempt = AccessAttempt.objects.get(username="pm")
    verified_login(client, admin_user)
    response = client.post(
        "/admin/axes/accessattempt/",
        {"action": "unlock", "_selected_action": [attempt.pk]},
        follow=True,
    )
    client.logout()
    return response


def test_the_admin_unlock_action_unlocks(client, pm, pmo_admin, verified_login):
    fail_to_the_limit(client)

    response = unlock_with_the_admin(client, pmo_admin, verified_login)

    assert "Unlocked: 1 failed sign-in record removed." in response.content.decode()
    assert not AccessAttempt.objects.exists()
    assert sign_in(client, "demo").status_code == 302


def test_a_pmo_admin_who_is_not_a_superuser_may_unlock(client, pm, verified_login):
    staff_admin = UserFactory(username="staff_admin", roles=["pmo_admin"], is_staff=True)
    fail_to_the_limit(client)

    response = unlock_with_the_admin(client, staff_admin, verified_login)

    assert response.status_code == 200
    assert not AccessAttempt.objects.exists()
    assert sign_in(client, "demo").status_code == 302


def test_only_pmo_admins_hold_the_permission_to_unlock():
    holders = Group.objects.filter(
        permissions__content_type__app_label="axes",
        permissions__codename="delete_accessattempt",
    )
    assert list(holders.values_list("name", flat=True)) == ["pmo_admin"]


@pytest.mark.parametrize(
    ("proxies", "forwarded", "expected"),
    [
        (0, "203.0.113.9", "192.0.2.1"),
        (1, "203.0.113.9", "203.0.113.9"),
        (1, "198.51.100.7, 203.0.113.9", "203.0.113.9"),
        (2, "198.51.100.7, 203.0.113.9, 10.0.0.2", "203.0.113.9"),
        (2, "203.0.113.9", "203.0.113.9"),
        (1, "", "192.0.2.1"),
    ],
)
def test_the_client_address_is_read_behind_the_configured_proxies(rf, proxies, forwarded, expected):
    request = rf.get("/", REMOTE_ADDR="192.0.2.1", HTTP_X_FORWARDED_FOR=forwarded)
    with override_settings(TRUSTED_PROXY_COUNT=proxies):
        assert client_address(request) == expected


@override_settings(TRUSTED_PROXY_COUNT=1)
def test_behind_a_proxy_the_lock_is_on_the_forwarded_address(client, pm):
    for _attempt in range(settings.AXES_FAILURE_LIMIT):
        client.post(
            "/accounts/login/",
            {"username": "pm", "password": "wrong"},
            REMOTE_ADDR="10.0.0.2",
            HTTP_X_FORWARDED_FOR=HOME,
        )
    assert AccessAttempt.objects.get().ip_address == HOME

    other_client = client.post(
        "/accounts/login/",
        {"username": "pm", "password": "demo"},
        REMOTE_ADDR="10.0.0.2",
        HTTP_X_FORWARDED_FOR=ELSEWHERE,
    )
    assert other_client.status_code == 302
