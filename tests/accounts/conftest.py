import os

import pytest

from accounts.directory import directory_settings
from tests.directory_server import GROUPS, PEOPLE, SLAPD, DirectoryServer, group_dn

NO_SLAPD = "needs OpenLDAP's slapd: apt-get install slapd ldap-utils (.ci/run does)"


def pytest_collection_modifyitems(config, items):
    """Without slapd the directory tests skip with the reason; in CI they must run."""
    if SLAPD is not None or os.environ.get("REQUIRE_DIRECTORY"):
        return
    skip = pytest.mark.skip(reason=NO_SLAPD)
    for item in items:
        if "directory" in item.keywords:
            item.add_marker(skip)


@pytest.fixture(scope="session")
def directory_server():
    """A real slapd for this test process (each pytest-xdist worker has its own)."""
    if SLAPD is None:
        pytest.fail(f"REQUIRE_DIRECTORY is set but slapd is missing: {NO_SLAPD}")
    server = DirectoryServer()
    try:
        server.prepare()
        server.start()
        yield server
    finally:
        server.remove()


def directory_environment(uri: str, **overrides) -> dict[str, str]:
    """The LDAP_* variables of a portal signing in against the test directory."""
    environment = {
        "LDAP_SERVER_URI": uri,
        "LDAP_USER_SEARCH_BASE": PEOPLE,
        "LDAP_GROUP_SEARCH_BASE": GROUPS,
        "LDAP_ROLE_GROUPS": ";".join(
            [
                f"pmo_admin={group_dn('pmo-admins')}",
                f"executive={group_dn('executives')}",
                f"project_manager={group_dn('project-managers')}",
            ]
        ),
        "LDAP_TIMEOUT": "2",
    }
    environment.update(overrides)
    return environment


@pytest.fixture
def use_directory(settings):
    """Configure the portal as LDAP_* variables would: use_directory(uri, LDAP_X=...)."""

    def configure(uri: str, **overrides) -> None:
        for name, value in directory_settings(directory_environment(uri, **overrides)).items():
            setattr(settings, name, value)
        settings.AUTHENTICATION_BACKENDS = [
            "django.contrib.auth.backends.ModelBackend",
            *settings.DIRECTORY_BACKENDS,
        ]

    return configure
