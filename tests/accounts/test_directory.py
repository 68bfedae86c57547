"""Signing in with a directory account (LDAP / Active Directory), against a real slapd."""

import logging
import os
import socket
import subprocess
import sys
import time

import ldap
import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.exceptions import ImproperlyConfigured
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.directory import directory_settings
from accounts.models import SignInPolicy
from tests.accounts.conftest import directory_environment
from tests.accounts.test_two_step import code_for, set_policy
from tests.directory_server import USER_PASSWORD, DirectoryServer, free_port, group_dn
from tests.factories import UserFactory

User = get_user_model()
WRONG_PASSWORD = "Please enter a correct username and password"
DIRECTORY_DOWN = "The company directory cannot be reached just now"


def sign_in(client, username, password=USER_PASSWORD):
    return client.post("/accounts/login/", {"username": username, "password": password})


def roles_of(username: str) -> set[str]:
    return set(User.objects.get(username=username).groups.values_list("name", flat=True))


@pytest.fixture
def directory(directory_server, use_directory, db):
    """The portal signs in against the test directory."""
    use_directory(directory_server.uri)
    return directory_server


@pytest.fixture
def membership_restored(directory_server):
    """A test may change group members; the next test finds them as they were."""
    changed = []

    def set_members(group, uids):
        connection = directory_server.admin_connection()
        before = connection.search_s(group_dn(group), ldap.SCOPE_BASE, attrlist=["member"])
        connection.unbind_s()
        changed.append((group, before[0][1]["member"]))
        directory_server.set_members(group, uids)

    yield set_members
    for group, members in reversed(changed):
        connection = directory_server.admin_connection()
        connection.modify_s(group_dn(group), [(ldap.MOD_REPLACE, "member", members)])
        connection.unbind_s()


@pytest.mark.directory
class TestDirectorySignIn:
    def test_a_directory_user_signs_in_and_gets_the_mapped_role(self, client, directory):
        response = sign_in(client, "jsmith")
        assert response.status_code == 302
        assert response["Location"] == "/"
        user = User.objects.get(username="jsmith")
        assert (user.first_name, user.last_name, user.email) == (
            "John",
            "Smith",
            "jsmith@example.com",
        )
        assert roles_of("jsmith") == {"executive"}
        assert not user.has_usable_password()
        assert not user.is_staff
        assert client.get("/").status_code == 200

    def test_a_directory_user_signs_in_with_the_mapped_role_and_a_second_step(
        self, client, directory, pmo_admin
    ):
        set_policy(pmo_admin, SignInPolicy.Scope.ROLES, roles=["executive"])

        assert sign_in(client, "jsmith")["Location"] == "/"
        assert roles_of("jsmith") == {"executive"}
        response = client.get("/")
        assert response["Location"] == "/accounts/two-step/enrol/?next=%2F"
        client.get(response["Location"])
        device = TOTPDevice.objects.get(user__username="jsmith")
        client.post("/accounts/two-step/enrol/", {"code": code_for(device)})
        client.post("/accounts/logout/")

        sign_in(client, "jsmith")
        response = client.get("/reports/")
        assert response["Location"] == "/accounts/two-step/verify/?next=%2Freports%2F"
        response = client.post(response["Location"], {"code": code_for(device, steps_ahead=1)})
        assert response["Location"] == "/reports/"
        assert client.get("/reports/").status_code == 200

    def test_the_pmo_admin_role_makes_the_user_staff(self, client, directory):
        sign_in(client, "mzhang")
        user = User.objects.get(username="mzhang")
        assert roles_of("mzhang") == {"pmo_admin"}
        assert user.is_staff
        assert not user.is_superuser

    def test_a_removed_membership_removes_the_role_at_the_next_login(
        self, client, directory, membership_restored
    ):
        sign_in(client, "kdubois")
        assert roles_of("kdubois") == {"project_manager"}
        user = User.objects.get(username="kdubois")
        # Groups the directory does not decide stay: a plain group and an unmapped role.
        user.groups.add(
            Group.objects.create(name="newsletter"), Group.objects.get(name="pmo_analyst")
        )
        client.logout()

        membership_restored("project-managers", [])
        assert sign_in(client, "kdubois").status_code == 302
        assert roles_of("kdubois") == {"newsletter", "pmo_analyst"}

    def test_losing_the_pmo_admin_group_ends_staff_status(
        self, client, directory, membership_restored
    ):
        sign_in(client, "mzhang")
        client.logout()
        membership_restored("pmo-admins", [])
        sign_in(client, "mzhang")
        user = User.objects.get(username="mzhang")
        assert roles_of("mzhang") == set()
        assert not user.is_staff

    def test_a_membership_added_later_gives_the_role_at_the_next_login(
        self, client, directory, membership_restored
    ):
        sign_in(client, "nnoroles")
        assert roles_of("nnoroles") == set()
        client.logout()
        membership_restored("executives", ["jsmith", "nnoroles"])
        sign_in(client, "nnoroles")
        assert roles_of("nnoroles") == {"executive"}

    def test_a_wrong_password_is_refused_with_the_normal_message(self, client, directory):
        response = sign_in(client, "jsmith", "not-the-password")
        assert response.status_code == 200
        page = response.content.decode()
        assert WRONG_PASSWORD in page
        assert DIRECTORY_DOWN not in page
        assert not User.objects.filter(username="jsmith").exists()

    def test_someone_the_directory_does_not_know_is_refused(self, client, directory):
        response = sign_in(client, "nobody")
        assert response.status_code == 200
        assert WRONG_PASSWORD in response.content.decode()

    def test_a_local_account_is_not_taken_over_by_a_directory_entry_of_the_same_name(
        self, client, directory
    ):
        UserFactory(username="jsmith", roles=["pmo_admin"], is_staff=True)
        response = sign_in(client, "jsmith")  # the directory's password, not the local one
        assert response.status_code == 200
        assert WRONG_PASSWORD in response.content.decode()
        assert roles_of("jsmith") == {"pmo_admin"}
        assert sign_in(client, "jsmith", "demo").status_code == 302

    @pytest.mark.usefixtures("directory_server")  # slapd is there, or the reason is given
    def test_a_stopped_directory_gives_the_directory_message(
        self, client, use_directory, db, caplog
    ):
        server = DirectoryServer()
        try:
            server.prepare()
            server.start()
            use_directory(server.uri)
            server.stop()
            with caplog.at_level(logging.ERROR, logger="accounts.backends"):
                response = sign_in(client, "jsmith")
        finally:
            server.remove()
        assert response.status_code == 200
        assert DIRECTORY_DOWN in response.content.decode()
        assert any("cannot be reached" in record.message for record in caplog.records)


def _closed_port_uri() -> str:
    return f"ldap://127.0.0.1:{free_port()}/"


@pytest.mark.django_db
class TestDirectoryOutOfReach:
    def test_the_login_page_says_the_directory_cannot_be_reached(
        self, client, use_directory, caplog
    ):
        use_directory(_closed_port_uri())
        with caplog.at_level(logging.ERROR, logger="accounts.backends"):
            response = sign_in(client, "jsmith")
        assert response.status_code == 200
        page = response.content.decode()
        assert DIRECTORY_DOWN in page
        assert "local accounts can still sign in" in page
        assert WRONG_PASSWORD not in page
        assert any("cannot be reached" in record.message for record in caplog.records)

    def test_a_local_admin_still_signs_in(self, client, use_directory, pmo_admin):
        use_directory(_closed_port_uri())
        response = sign_in(client, "admin", "demo")
        assert response.status_code == 302
        assert client.get("/").status_code == 200

    def test_a_directory_that_never_answers_times_out(self, client, use_directory):
        with socket.socket() as silent:  # accepts connections, never answers a request
            silent.bind(("127.0.0.1", 0))
            silent.listen()
            use_directory(f"ldap://127.0.0.1:{silent.getsockname()[1]}/", LDAP_TIMEOUT="1")
            started = time.monotonic()
            response = sign_in(client, "jsmith")
            waited = time.monotonic() - started
        assert response.status_code == 200
        assert DIRECTORY_DOWN in response.content.decode()
        assert waited < 10


@pytest.mark.django_db
def test_without_a_directory_local_sign_in_is_unchanged(client, pm):
    assert "accounts.backends.DirectoryBackend" not in settings.AUTHENTICATION_BACKENDS
    assert sign_in(client, "pm", "wrong").status_code == 200
    assert sign_in(client, "pm", "demo").status_code == 302


def test_no_server_address_means_no_directory():
    assert directory_settings({}) == {}
    assert directory_settings({"LDAP_USER_SEARCH_BASE": "ou=people,dc=example,dc=com"}) == {}


def test_a_complete_configuration_gives_the_directory_settings():
    result = directory_settings(
        directory_environment(
            "ldap://ldap.example.com",
            LDAP_BIND_DN="cn=portal,dc=example,dc=com",
            LDAP_BIND_PASSWORD="secret",
            LDAP_GROUP_TYPE="activeDirectory",
            LDAP_USER_FILTER="(sAMAccountName=%(user)s)",
            LDAP_ROLE_GROUPS="executive=CN=Execs, OU=Groups,DC=example,DC=com;"
            "executive=cn=board,ou=groups,dc=example,dc=com",
            LDAP_START_TLS="true",
        )
    )
    assert result["DIRECTORY_BACKENDS"] == ["accounts.backends.DirectoryBackend"]
    assert result["DIRECTORY_ROLE_GROUPS"] == {
        "executive": (
            "cn=execs,ou=groups,dc=example,dc=com",
            "cn=board,ou=groups,dc=example,dc=com",
        )
    }
    assert result["AUTH_LDAP_START_TLS"] is True
    assert result["AUTH_LDAP_USER_SEARCH"].filterstr == "(sAMAccountName=%(user)s)"
    assert type(result["AUTH_LDAP_GROUP_TYPE"]).__name__ == "ActiveDirectoryGroupType"
    assert result["AUTH_LDAP_CONNECTION_OPTIONS"][ldap.OPT_NETWORK_TIMEOUT] == 2
    assert result["AUTH_LDAP_USER_ATTR_MAP"] == {
        "first_name": "givenName",
        "last_name": "sn",
        "email": "mail",
    }


@pytest.mark.parametrize(
    ("variable", "value"),
    [
        ("LDAP_SERVER_URI", "http://ldap.example.com"),
        ("LDAP_SERVER_URI", "ldap.example.com"),
        ("LDAP_USER_SEARCH_BASE", ""),
        ("LDAP_USER_SEARCH_BASE", "people at example.com"),
        ("LDAP_GROUP_SEARCH_BASE", "groups"),
        ("LDAP_GROUP_SEARCH_BASE", ""),
        ("LDAP_USER_FILTER", "uid=%(user)s"),
        ("LDAP_USER_FILTER", "(uid=someone)"),
        ("LDAP_USER_FILTER", "(&(uid=%(user)s)"),
        ("LDAP_GROUP_TYPE", "memberOfGroups"),
        ("LDAP_ROLE_GROUPS", "chief=cn=chiefs,ou=groups,dc=example,dc=com"),
        ("LDAP_ROLE_GROUPS", "executive"),
        ("LDAP_ROLE_GROUPS", "executive=not a dn"),
        ("LDAP_START_TLS", "perhaps"),
        ("LDAP_TIMEOUT", "soon"),
        ("LDAP_TIMEOUT", "0"),
        ("LDAP_BIND_PASSWORD", "secret-without-a-bind-dn"),
        ("LDAP_ATTR_EMAIL", "e mail"),
        ("LDAP_CA_FILE", "/nowhere/ca.pem"),
    ],
)
def test_a_malformed_setting_stops_the_start_naming_it(variable, value):
    environment = directory_environment("ldap://ldap.example.com", **{variable: value})
    with pytest.raises(ImproperlyConfigured, match=variable):
        directory_settings(environment)


def test_start_tls_over_ldaps_is_refused():
    environment = directory_environment("ldaps://ldap.example.com", LDAP_START_TLS="yes")
    with pytest.raises(ImproperlyConfigured, match="LDAP_START_TLS"):
        directory_settings(environment)


def test_a_bind_dn_needs_a_password():
    environment = directory_environment(
        "ldap://ldap.example.com", LDAP_BIND_DN="cn=portal,dc=example,dc=com"
    )
    with pytest.raises(ImproperlyConfigured, match="LDAP_BIND_PASSWORD"):
        directory_settings(environment)


def test_the_portal_refuses_to_start_with_a_malformed_directory_setting():
    environment = {k: v for k, v in os.environ.items() if not k.startswith("LDAP_")}
    environment.update(
        DEBUG="true",
        LDAP_SERVER_URI="ldap://ldap.example.com",
        LDAP_USER_SEARCH_BASE="ou=people,dc=example,dc=com",
        LDAP_ROLE_GROUPS="chief=cn=chiefs,ou=groups,dc=example,dc=com",
        LDAP_GROUP_SEARCH_BASE="ou=groups,dc=example,dc=com",
    )
    environment.pop("DJANGO_SETTINGS_MODULE", None)
    result = subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=settings.BASE_DIR,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert "LDAP_ROLE_GROUPS" in result.stderr
