"""Signed-in sessions: recorded at sign-in, ended when idle or too old, when the account is
deactivated or its password changes, and all at once from the user's settings page."""

from importlib import import_module

import pytest
from django.conf import settings
from django.contrib.messages import get_messages
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from accounts import sessions
from accounts import urls as account_urls
from accounts.models import SignedInSession
from accounts.models.sessions import browser_label

pytestmark = pytest.mark.django_db

FIREFOX = "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:128.0) Gecko/20100101 Firefox/128.0"
CHROME_MAC = (
    "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_5) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/126.0.0.0 Safari/537.36"
)


def sign_in(client, username="pm", address="10.1.1.1", user_agent=FIREFOX):
    response = client.post(
        "/accounts/login/",
        {"username": username, "password": "demo"},
        REMOTE_ADDR=address,
        HTTP_USER_AGENT=user_agent,
    )
    assert response.status_code == 302, response.content.decode()
    return client.session.session_key


def move_session_clock(client, **seconds_ago):
    """Pretend the session began, or was last seen, that many seconds earlier."""
    session = client.session
    for name, seconds in seconds_ago.items():
        key = {"signed_in": sessions.SIGNED_IN_AT, "last_seen": sessions.LAST_SEEN}[name]
        session[key] -= seconds
    session.save()


def session_exists(key) -> bool:
    return import_module(settings.SESSION_ENGINE).SessionStore().exists(key)


def messages_of(response) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


class TestSignIn:
    def test_signing_in_records_the_session_with_address_and_browser(self, client, pm):
        key = sign_in(client, address="10.9.8.7")

        record = SignedInSession.objects.get()
        assert record.user == pm
        assert record.session_key == key
        assert record.address == "10.9.8.7"
        assert record.user_agent == FIREFOX
        assert record.browser == "Firefox · Windows"

    def test_signing_in_gives_the_session_a_new_key(self, client, pm):
        session = client.session
        session["before"] = "anonymous"
        session.save()
        client.cookies[settings.SESSION_COOKIE_NAME] = session.session_key
        anonymous_key = session.session_key

        key = sign_in(client)

        assert key != anonymous_key
        assert not session_exists(anonymous_key)

    def test_signing_out_forgets_the_record(self, client, pm):
        sign_in(client)
        client.post("/accounts/logout/")
        assert not SignedInSession.objects.exists()

    def test_the_session_cookie_lasts_the_absolute_lifetime(self):
        assert settings.SESSION_IDLE_TIMEOUT == 30 * 60
        assert settings.SESSION_MAX_AGE == 12 * 60 * 60
        assert settings.SESSION_COOKIE_AGE == settings.SESSION_MAX_AGE


class TestLifetime:
    def test_a_session_idle_for_too_long_is_signed_out(self, client, pm):
        sign_in(client)
        move_session_clock(client, last_seen=settings.SESSION_IDLE_TIMEOUT + 1)

        response = client.get("/projects/")

        assert response.status_code == 302
        assert response["Location"] == "/accounts/login/?next=/projects/"
        assert messages_of(response) == ["Your session expired. Please sign in again."]
        assert "_auth_user_id" not in client.session
        assert not SignedInSession.objects.exists()
        page = client.get(response["Location"]).content.decode()
        assert "Your session expired. Please sign in again." in page

    def test_a_session_in_use_is_signed_out_after_its_absolute_lifetime(self, client, pm):
        sign_in(client)
        move_session_clock(client, signed_in=settings.SESSION_MAX_AGE + 1)

        response = client.get("/")

        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/")
        assert "_auth_user_id" not in client.session

    def test_a_session_used_within_the_idle_timeout_goes_on(self, client, pm):
        sign_in(client)
        move_session_clock(client, signed_in=3600, last_seen=settings.SESSION_IDLE_TIMEOUT - 60)

        assert client.get("/").status_code == 200

    def test_an_htmx_request_of_an_expired_session_sends_the_whole_page_to_login(self, client, pm):
        sign_in(client)
        move_session_clock(client, last_seen=settings.SESSION_IDLE_TIMEOUT + 1)

        response = client.get("/projects/", HTTP_HX_REQUEST="true")

        assert response.status_code == 204
        assert response["HX-Redirect"] == "/accounts/login/?next=/projects/"

    def test_last_seen_is_written_at_most_once_a_minute(self, client, pm):
        sign_in(client)
        client.get("/")
        seen = SignedInSession.objects.get().last_seen

        with CaptureQueriesContext(connection) as queries:
            client.get("/")
        writes = [q["sql"] for q in queries if q["sql"].startswith(("UPDATE", "INSERT", "DELETE"))]
        assert writes == []
        assert SignedInSession.objects.get().last_seen == seen

        move_session_clock(client, last_seen=sessions.LAST_SEEN_EVERY)
        client.get("/")
        assert SignedInSession.objects.get().last_seen > seen


class TestEndingSessions:
    def test_deactivating_an_account_ends_its_sessions(self, client, pm):
        key = sign_in(client)

        pm.is_active = False
        pm.save()

        assert not session_exists(key)
        assert not SignedInSession.objects.exists()
        assert client.get("/")["Location"].startswith("/accounts/login/")

    def test_other_saves_of_the_account_end_nothing(self, client, pm):
        key = sign_in(client)

        pm.first_name = "Lee"
        pm.save()

        assert session_exists(key)
        assert client.get("/").status_code == 200

    def test_a_password_change_ends_the_other_sessions_and_keeps_this_one(self, client, pm):
        other = Client()
        other_key = sign_in(other, address="10.2.2.2")
        sign_in(client)

        response = client.post(
            "/accounts/password_change/",
            {
                "old_password": "demo",
                "new_password1": "Better-pass-2027",
                "new_password2": "Better-pass-2027",
            },
        )
        assert response.status_code == 302

        assert other.get("/")["Location"].startswith("/accounts/login/")
        assert not session_exists(other_key)
        assert client.get("/").status_code == 200
        assert list(SignedInSession.objects.values_list("session_key", flat=True)) == [
            client.session.session_key
        ]

    def test_log_out_everywhere_ends_every_session_this_one_included(self, client, pm, pmo):
        other = Client()
        sign_in(other, address="10.2.2.2")
        colleague = Client()
        sign_in(colleague, username="pmo")
        sign_in(client)

        response = client.post("/accounts/sessions/sign-out-everywhere/", follow=True)

        assert response.redirect_chain[-1][0] == "/accounts/login/"
        assert "You were logged out everywhere, on this device too." in response.content.decode()
        assert "_auth_user_id" not in client.session
        assert other.get("/")["Location"].startswith("/accounts/login/")
        assert list(SignedInSession.objects.values_list("user__username", flat=True)) == ["pmo"]
        assert colleague.get("/").status_code == 200


class TestSettingsPage:
    def test_the_settings_page_lists_the_signed_in_sessions(self, client, pm, pmo):
        sign_in(Client(), address="10.2.2.2", user_agent=CHROME_MAC)
        sign_in(Client(), username="pmo", address="10.3.3.3")
        sign_in(client, address="10.1.1.1")

        page = client.get("/accounts/settings/").content.decode()

        assert "Signed-in sessions" in page
        assert "10.1.1.1" in page
        assert "10.2.2.2" in page
        assert "Chrome · macOS" in page
        assert "Firefox · Windows" in page
        assert "This device" in page
        assert "10.3.3.3" not in page
        assert 'action="/accounts/sessions/sign-out-everywhere/"' in page

    def test_sessions_that_are_over_are_not_listed(self, client, pm):
        sign_in(Client(), address="10.2.2.2")
        SignedInSession.objects.update(
            last_seen=SignedInSession.objects.get().last_seen.replace(year=2020)
        )
        sign_in(client)

        page = client.get("/accounts/settings/").content.decode()

        assert "10.2.2.2" not in page


@pytest.mark.parametrize(
    ("user_agent", "label"),
    [
        (FIREFOX, "Firefox · Windows"),
        (CHROME_MAC, "Chrome · macOS"),
        (
            "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
            "Chrome/126.0.0.0 Safari/537.36 Edg/126.0.0.0",
            "Edge · Windows",
        ),
        (
            "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 "
            "(KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1",
            "Safari · iOS",
        ),
        ("curl/8.5.0", "curl/8.5.0"),
        ("", ""),
    ],
)
def test_browser_labels(user_agent, label):
    assert browser_label(user_agent) == label


# Permissions of the pages this part adds (and the settings page that lists the sessions).
PERSONAS = ["anonymous", "executive", "pm", "pmo", "resource_manager", "pmo_admin"]
LOGIN = "login"
EVERYONE = [LOGIN, 200, 200, 200, 200, 200]
POST_ONLY = [LOGIN, 405, 405, 405, 405, 405]

MATRIX = {
    "/accounts/settings/": EVERYONE,
    "/accounts/sessions/sign-out-everywhere/": POST_ONLY,
}

PATTERN_ROWS = {
    "accounts/sessions/sign-out-everywhere/": "/accounts/sessions/sign-out-everywhere/",
}
SESSION_URL_NAMES = {"sign_out_everywhere"}


@pytest.fixture
def personas(executive, pm, pmo, resource_manager, pmo_admin):
    return {"executive": executive, "pm": pm, "pmo": pmo, "resource_manager": resource_manager,
            "pmo_admin": pmo_admin}  # fmt: skip


class TestPermissions:
    def test_every_session_page_is_in_the_matrix(self):
        patterns = {
            f"accounts/{pattern.pattern}"
            for pattern in account_urls.urlpatterns
            if pattern.name in SESSION_URL_NAMES
        }
        assert patterns == set(PATTERN_ROWS)
        assert set(PATTERN_ROWS.values()) <= set(MATRIX)

    @pytest.mark.parametrize("url", list(MATRIX))
    @pytest.mark.parametrize("persona", PERSONAS)
    def test_each_persona_gets_the_expected_status(self, client, personas, url, persona):
        if persona != "anonymous":
            client.force_login(personas[persona])
        response = client.get(url)
        expected = MATRIX[url][PERSONAS.index(persona)]
        if expected == LOGIN:
            assert response.status_code == 302
            assert response["Location"].startswith("/accounts/login/?next=")
        else:
            assert response.status_code == expected

    def test_anonymous_post_to_log_out_everywhere_goes_to_login(self, client):
        response = client.post("/accounts/sessions/sign-out-everywhere/")
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/?next=")
