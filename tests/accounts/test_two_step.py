"""Two-step sign-in: setting up an app, giving a code after the password, recovery codes, the
sign-in policy, and Django admin behind a code."""

import time

import pytest
from django.contrib.auth.models import Group
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts import middleware, two_step
from accounts import urls as account_urls
from accounts.models import SignInPolicy

pytestmark = pytest.mark.django_db

PERSONAS = ["anonymous", "executive", "pm", "pmo", "resource_manager", "pmo_admin"]
LOGIN = "login"
SIGNED_IN = [LOGIN, 200, 200, 200, 200, 200]
GOES_ON = [LOGIN, 302, 302, 302, 302, 302]
POST_ONLY = [LOGIN, 405, 405, 405, 405, 405]

# url -> expected status of a GET per persona. Every signed-in persona has set up an app and
# gave its code in this session: the code page and the set-up page send them on, the codes
# page has no fresh codes to show once more and sends them to the two-step page.
MATRIX = {
    "/accounts/two-step/": SIGNED_IN,
    "/accounts/two-step/verify/": GOES_ON,
    "/accounts/two-step/enrol/": GOES_ON,
    "/accounts/two-step/recovery-codes/": GOES_ON,
    "/accounts/two-step/recovery-codes/new/": POST_ONLY,
    "/accounts/two-step/remove/": SIGNED_IN,
    "/accounts/sign-in-policy/": [LOGIN, 403, 403, 403, 403, 200],
}

# Resolver patterns of accounts/urls.py added for two-step sign-in, and their matrix rows.
PATTERN_ROWS = {
    "accounts/two-step/": "/accounts/two-step/",
    "accounts/two-step/verify/": "/accounts/two-step/verify/",
    "accounts/two-step/enrol/": "/accounts/two-step/enrol/",
    "accounts/two-step/recovery-codes/": "/accounts/two-step/recovery-codes/",
    "accounts/two-step/recovery-codes/new/": "/accounts/two-step/recovery-codes/new/",
    "accounts/two-step/remove/": "/accounts/two-step/remove/",
    "accounts/sign-in-policy/": "/accounts/sign-in-policy/",
}


def code_for(device: TOTPDevice, *, steps_ahead: int = 0) -> str:
    """The code an authenticator app shows for `device` now (or that many time steps later)."""
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time() + steps_ahead * device.step
    return f"{totp.token():0{device.digits}d}"


def wrong_code_for(device: TOTPDevice) -> str:
    right = {code_for(device, steps_ahead=step) for step in (-1, 0, 1)}
    return next(code for code in ("000000", "111111", "222222", "333333") if code not in right)


def sign_in(client, username: str, next_url: str = "/"):
    """Sign in with the password through the login form, as a person does."""
    return client.post(
        "/accounts/login/", {"username": username, "password": "demo", "next": next_url}
    )


def set_policy(by, scope, roles=()):
    policy = SignInPolicy.current()
    return two_step.sign_in_policy_update(
        by=by, version=policy.version, scope=scope, roles=list(Group.objects.filter(name__in=roles))
    )


@pytest.fixture
def no_throttle(settings):
    """Wrong codes do not make the next attempt wait."""
    settings.OTP_TOTP_THROTTLE_FACTOR = 0
    settings.OTP_STATIC_THROTTLE_FACTOR = 0


@pytest.fixture
def enrolled(pm):
    """`pm` has an authenticator app and a sheet of recovery codes."""
    device = TOTPDevice.objects.create(user=pm, name="Authenticator app", confirmed=True)
    codes = two_step.recovery_codes_replace(user=pm)
    return device, codes


class TestPermissions:
    def test_every_two_step_page_is_in_the_matrix(self):
        patterns = {f"accounts/{pattern.pattern}" for pattern in account_urls.urlpatterns}
        two_step_patterns = {p for p in patterns if "two-step" in p or "sign-in-policy" in p}
        assert two_step_patterns == set(PATTERN_ROWS)
        assert set(PATTERN_ROWS.values()) <= set(MATRIX)

    @pytest.mark.parametrize("url", list(MATRIX))
    @pytest.mark.parametrize("persona", PERSONAS)
    def test_each_persona_gets_the_expected_status(self, client, request, verified_login, url,
                                                   persona):  # fmt: skip
        if persona != "anonymous":
            verified_login(client, request.getfixturevalue(persona))
        response = client.get(url)
        expected = MATRIX[url][PERSONAS.index(persona)]
        if expected == LOGIN:
            assert response.status_code == 302
            assert response["Location"].startswith("/accounts/login/?next=")
        else:
            assert response.status_code == expected


class TestEnrol:
    def test_a_right_code_turns_it_on_and_shows_ten_recovery_codes_once(self, client, pm):
        client.force_login(pm)
        page = client.get("/accounts/two-step/enrol/")
        body = page.content.decode()
        device = TOTPDevice.objects.get(user=pm)
        assert not device.confirmed
        assert 'src="data:image/svg+xml' in body
        assert two_step.app_secret(device) in body

        response = client.post("/accounts/two-step/enrol/", {"code": code_for(device)})

        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/two-step/recovery-codes/")
        device.refresh_from_db()
        assert device.confirmed
        codes = client.get(response["Location"]).context["codes"]
        assert len(codes) == 10 == StaticToken.objects.filter(device__user=pm).count()
        assert client.get("/accounts/two-step/recovery-codes/").status_code == 302
        assert client.get("/").status_code == 200  # this session gave its code

    def test_a_wrong_code_is_refused_next_to_the_field_and_confirms_nothing(self, client, pm):
        client.force_login(pm)
        client.get("/accounts/two-step/enrol/")
        device = TOTPDevice.objects.get(user=pm)

        response = client.post("/accounts/two-step/enrol/", {"code": wrong_code_for(device)})

        assert response.status_code == 200
        assert "That code is not right" in response.context["form"].errors["code"][0]
        device.refresh_from_db()
        assert not device.confirmed
        assert not StaticDevice.objects.filter(user=pm).exists()

    def test_the_qr_code_stays_the_same_until_confirmed(self, client, pm):
        client.force_login(pm)
        first = client.get("/accounts/two-step/enrol/").context["secret"]
        assert client.get("/accounts/two-step/enrol/").context["secret"] == first
        assert TOTPDevice.objects.filter(user=pm).count() == 1

    def test_wrong_codes_in_a_row_are_throttled(self, client, pm):
        client.force_login(pm)
        client.get("/accounts/two-step/enrol/")
        device = TOTPDevice.objects.get(user=pm)
        client.post("/accounts/two-step/enrol/", {"code": wrong_code_for(device)})

        response = client.post("/accounts/two-step/enrol/", {"code": code_for(device)})

        assert "Too many wrong codes" in response.context["form"].errors["code"][0]
        device.refresh_from_db()
        assert not device.confirmed


class TestVerify:
    def test_signing_in_asks_for_the_code_then_goes_on(self, client, pm, enrolled):
        device, _codes = enrolled
        response = sign_in(client, "pm", next_url="/projects/")
        assert response["Location"] == "/projects/"

        response = client.get("/projects/")
        assert response.status_code == 302
        assert response["Location"] == "/accounts/two-step/verify/?next=%2Fprojects%2F"

        response = client.post(response["Location"], {"code": code_for(device)})
        assert response["Location"] == "/projects/"
        assert client.get("/projects/").status_code == 200

    def test_a_wrong_code_gets_a_clear_error(self, client, pm, enrolled):
        device, _codes = enrolled
        sign_in(client, "pm")
        response = client.post("/accounts/two-step/verify/", {"code": wrong_code_for(device)})
        assert response.status_code == 200
        assert response.context["form"].errors["code"] == [
            "That code is not right, or that recovery code was already used."
        ]
        assert client.get("/projects/").status_code == 302

    def test_a_recovery_code_works_once(self, client, pm, enrolled, no_throttle):
        _device, codes = enrolled
        sign_in(client, "pm")
        response = client.post("/accounts/two-step/verify/", {"code": codes[0].upper()})
        assert response.status_code == 302
        assert client.get("/projects/").status_code == 200
        assert two_step.recovery_codes_left(pm) == 9

        client.post("/accounts/logout/")
        sign_in(client, "pm")
        response = client.post("/accounts/two-step/verify/", {"code": codes[0]})
        assert response.status_code == 200
        assert "already used" in response.context["form"].errors["code"][0]

    def test_htmx_requests_are_sent_to_the_code_page_as_a_whole(self, client, pm, enrolled):
        sign_in(client, "pm")
        response = client.get("/projects/", headers={"HX-Request": "true"})
        assert response.status_code == 200
        assert response["HX-Redirect"] == "/accounts/two-step/verify/?next=%2Fprojects%2F"

    def test_logging_out_and_the_language_need_no_code(self, client, pm, enrolled):
        sign_in(client, "pm")
        assert client.post("/accounts/language/", {"language": "zh-hans"}).status_code == 302
        assert client.get("/accounts/password_reset/").status_code == 200
        assert client.get("/healthz").status_code in (200, 503)
        assert client.post("/accounts/logout/")["Location"] == "/accounts/login/"

    def test_a_signed_in_person_without_an_app_goes_on_when_the_policy_is_off(self, client, pm):
        sign_in(client, "pm")
        assert client.get("/projects/").status_code == 200


class TestPolicy:
    def test_a_policy_for_everyone_makes_people_set_up_an_app(self, client, pm, pmo_admin):
        set_policy(pmo_admin, SignInPolicy.Scope.EVERYONE)
        sign_in(client, "pm")
        response = client.get("/projects/")
        assert response["Location"] == "/accounts/two-step/enrol/?next=%2Fprojects%2F"
        assert "Your organisation asks you" in client.get(response["Location"]).content.decode()

    def test_a_policy_for_chosen_roles_applies_only_to_them(self, client, pm, executive, pmo_admin):
        set_policy(pmo_admin, SignInPolicy.Scope.ROLES, roles=["project_manager"])
        sign_in(client, "pm")
        assert client.get("/projects/")["Location"].startswith("/accounts/two-step/enrol/")
        client.post("/accounts/logout/")
        sign_in(client, "exec")
        assert client.get("/projects/").status_code == 200

    def test_a_new_policy_reaches_sessions_already_open(self, client, pm, pmo_admin, monkeypatch):
        sign_in(client, "pm")
        assert client.get("/projects/").status_code == 200
        set_policy(pmo_admin, SignInPolicy.Scope.EVERYONE)
        assert client.get("/projects/").status_code == 200  # read again within the minute
        monkeypatch.setattr(middleware, "POLICY_CHECK_SECONDS", 0)
        assert client.get("/projects/")["Location"].startswith("/accounts/two-step/enrol/")

    def test_a_pmo_admin_saves_the_policy_and_it_is_kept_in_history(
        self, client, pmo_admin, verified_login
    ):
        verified_login(client, pmo_admin)
        form = client.get("/accounts/sign-in-policy/").context["form"]
        pm_group = Group.objects.get(name="project_manager")
        response = client.post(
            "/accounts/sign-in-policy/",
            {"scope": "roles", "roles": [pm_group.pk], "version": form["version"].value()},
        )
        assert response["Location"] == "/accounts/sign-in-policy/"
        policy = SignInPolicy.current()
        assert (policy.scope, list(policy.roles.all()), policy.version) == ("roles", [pm_group], 2)
        assert policy.history.first().history_user == pmo_admin

    @pytest.mark.parametrize("persona", ["pmo", "pm", "executive", "resource_manager"])
    def test_others_cannot_save_the_policy(self, client, request, persona):
        client.force_login(request.getfixturevalue(persona))
        response = client.post("/accounts/sign-in-policy/", {"scope": "everyone", "version": 1})
        assert response.status_code == 403
        assert SignInPolicy.current().scope == SignInPolicy.Scope.NOBODY

    def test_a_stale_save_is_refused_and_overwrites_nothing(
        self, client, pmo_admin, verified_login
    ):
        verified_login(client, pmo_admin)
        version = client.get("/accounts/sign-in-policy/").context["form"]["version"].value()
        set_policy(pmo_admin, SignInPolicy.Scope.EVERYONE)  # someone else, meanwhile

        response = client.post("/accounts/sign-in-policy/", {"scope": "nobody", "version": version})

        assert response.status_code == 200
        assert "Someone else changed the sign-in policy" in response.content.decode()
        assert SignInPolicy.current().scope == SignInPolicy.Scope.EVERYONE

    def test_chosen_roles_need_at_least_one_role(self, client, pmo_admin, verified_login):
        verified_login(client, pmo_admin)
        response = client.post("/accounts/sign-in-policy/", {"scope": "roles", "version": 1})
        assert response.context["form"].errors["roles"] == [
            "Choose at least one role, or another option."
        ]
        assert SignInPolicy.current().version == 1


class TestManage:
    def test_the_settings_page_links_to_two_step_sign_in(self, client, pm):
        client.force_login(pm)
        assert 'href="/accounts/two-step/"' in client.get("/accounts/settings/").content.decode()

    def test_new_recovery_codes_replace_the_old_ones(self, client, pm, enrolled, verified_login):
        _device, old_codes = enrolled
        verified_login(client, pm)
        response = client.post("/accounts/two-step/recovery-codes/new/")
        new_codes = client.get(response["Location"]).context["codes"]
        assert len(new_codes) == 10
        assert not StaticToken.objects.filter(token__in=old_codes).exists()

    def test_turning_off_asks_a_current_code(self, client, pm, enrolled, verified_login,
                                             no_throttle):  # fmt: skip
        device, _codes = enrolled
        verified_login(client, pm)
        response = client.post("/accounts/two-step/remove/", {"code": wrong_code_for(device)})
        assert response.context["form"].errors["code"]
        assert TOTPDevice.objects.filter(user=pm).exists()

        response = client.post("/accounts/two-step/remove/", {"code": code_for(device)})
        assert response["Location"] == "/accounts/two-step/"
        assert not TOTPDevice.objects.filter(user=pm).exists()
        assert not StaticDevice.objects.filter(user=pm).exists()
        assert client.get("/projects/").status_code == 200

    def test_where_the_policy_requires_it_turning_off_leads_to_setting_up_again(
        self, client, pm, pmo_admin, enrolled, verified_login
    ):
        device, _codes = enrolled
        set_policy(pmo_admin, SignInPolicy.Scope.EVERYONE)
        verified_login(client, pm)
        response = client.post("/accounts/two-step/remove/", {"code": code_for(device)})
        assert response["Location"] == "/accounts/two-step/enrol/"
        assert client.get("/projects/")["Location"].startswith("/accounts/two-step/enrol/")


class TestAdmin:
    def test_staff_without_an_app_are_sent_to_set_one_up(self, client, pmo_admin):
        sign_in(client, "admin")
        response = client.get("/admin/")
        assert response["Location"] == "/admin/login/?next=/admin/"
        response = client.get(response["Location"])
        assert response["Location"] == "/accounts/two-step/enrol/?next=%2Fadmin%2F"

    def test_staff_with_an_app_give_its_code_first(self, client, pmo_admin):
        device = TOTPDevice.objects.create(user=pmo_admin, name="Authenticator app")
        sign_in(client, "admin")
        response = client.get("/admin/")
        assert response["Location"] == "/accounts/two-step/verify/?next=%2Fadmin%2F"
        response = client.post(response["Location"], {"code": code_for(device)})
        assert response["Location"] == "/admin/"
        assert client.get("/admin/").status_code == 200

    def test_staff_who_gave_a_code_reach_the_admin_and_the_policy_in_it(
        self, client, pmo_admin, verified_login
    ):
        verified_login(client, pmo_admin)
        assert client.get("/admin/").status_code == 200
        SignInPolicy.current()
        assert client.get("/admin/accounts/signinpolicy/1/change/").status_code == 200

    def test_others_still_meet_the_admin_login(self, client, pm, verified_login):
        verified_login(client, pm)
        assert client.get("/admin/")["Location"].startswith("/admin/login/")
