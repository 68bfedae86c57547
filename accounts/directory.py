"""Directory sign-in (LDAP or Active Directory) configured from the environment.

`directory_settings()` turns the LDAP_* variables into django-auth-ldap's AUTH_LDAP_* settings,
plus the portal's own DIRECTORY_BACKENDS and DIRECTORY_ROLE_GROUPS. Without LDAP_SERVER_URI
there is no directory and it returns nothing. A mistake in the variables stops the portal at
start-up with a message naming the variable, rather than at the first sign-in.

The variables and their defaults are listed in README.md ("Directory sign-in").
"""

import re
from collections.abc import Mapping
from pathlib import Path
from urllib.parse import urlsplit

import ldap
import ldap.dn
from django.core.exceptions import ImproperlyConfigured
from django_auth_ldap.config import (
    ActiveDirectoryGroupType,
    GroupOfNamesType,
    GroupOfUniqueNamesType,
    LDAPSearch,
    NestedActiveDirectoryGroupType,
    NestedGroupOfNamesType,
    NestedGroupOfUniqueNamesType,
    PosixGroupType,
)

from pmo_portal.roles import Role

DIRECTORY_BACKEND = "accounts.backends.DirectoryBackend"

# LDAP_GROUP_TYPE (lower case) -> (django-auth-ldap group type, filter that finds such groups)
GROUP_TYPES = {
    "groupofnames": (GroupOfNamesType, "(objectClass=groupOfNames)"),
    "nestedgroupofnames": (NestedGroupOfNamesType, "(objectClass=groupOfNames)"),
    "groupofuniquenames": (GroupOfUniqueNamesType, "(objectClass=groupOfUniqueNames)"),
    "nestedgroupofuniquenames": (NestedGroupOfUniqueNamesType, "(objectClass=groupOfUniqueNames)"),
    "posixgroup": (PosixGroupType, "(objectClass=posixGroup)"),
    "activedirectory": (ActiveDirectoryGroupType, "(objectClass=group)"),
    "nestedactivedirectory": (NestedActiveDirectoryGroupType, "(objectClass=group)"),
}
URI_SCHEMES = ("ldap", "ldaps", "ldapi")
TRUE_WORDS = {"1", "true", "yes", "on"}
FALSE_WORDS = {"", "0", "false", "no", "off"}
# An attribute is named by a name (letters, digits, hyphens) or by a dotted OID.
ATTRIBUTE_NAME = re.compile(r"[A-Za-z][A-Za-z0-9-]*|[0-9]+(\.[0-9]+)+")


def directory_settings(environ: Mapping[str, str]) -> dict:
    """The settings of directory sign-in read from `environ`; {} when LDAP_SERVER_URI is unset.

    Raises ImproperlyConfigured, naming the variable, when one of them cannot be used.
    """
    uri = environ.get("LDAP_SERVER_URI", "").strip()
    if not uri:
        return {}
    _check_uris(uri)
    start_tls = _boolean(environ, "LDAP_START_TLS")
    if start_tls and any(part.lower().startswith("ldaps:") for part in uri.split()):
        raise ImproperlyConfigured(
            "LDAP_START_TLS cannot be used with an ldaps:// LDAP_SERVER_URI, which is "
            "encrypted already."
        )

    bind_dn = environ.get("LDAP_BIND_DN", "").strip()
    bind_password = environ.get("LDAP_BIND_PASSWORD", "")
    if bind_password and not bind_dn:
        raise ImproperlyConfigured("LDAP_BIND_PASSWORD is set but LDAP_BIND_DN is not.")
    if bind_dn and not bind_password:
        raise ImproperlyConfigured("LDAP_BIND_DN is set but LDAP_BIND_PASSWORD is not.")

    user_base = _distinguished_name(environ, "LDAP_USER_SEARCH_BASE", required=True)
    user_filter = _user_filter(environ.get("LDAP_USER_FILTER", "").strip() or "(uid=%(user)s)")
    role_groups = _role_groups(environ.get("LDAP_ROLE_GROUPS", ""))
    group_base = _distinguished_name(environ, "LDAP_GROUP_SEARCH_BASE", required=False)
    if role_groups and not group_base:
        raise ImproperlyConfigured(
            "LDAP_GROUP_SEARCH_BASE must be set when LDAP_ROLE_GROUPS maps directory groups "
            "to roles."
        )
    group_type_name = environ.get("LDAP_GROUP_TYPE", "").strip() or "groupOfNames"
    try:
        group_type, group_filter = GROUP_TYPES[group_type_name.lower()]
    except KeyError:
        raise ImproperlyConfigured(
            f"LDAP_GROUP_TYPE {group_type_name!r} is not one of: groupOfNames, "
            "nestedGroupOfNames, groupOfUniqueNames, nestedGroupOfUniqueNames, posixGroup, "
            "activeDirectory, nestedActiveDirectory."
        ) from None

    settings = {
        "DIRECTORY_BACKENDS": [DIRECTORY_BACKEND],
        "DIRECTORY_ROLE_GROUPS": role_groups,
        "AUTH_LDAP_SERVER_URI": uri,
        "AUTH_LDAP_BIND_DN": bind_dn,
        "AUTH_LDAP_BIND_PASSWORD": bind_password,
        "AUTH_LDAP_START_TLS": start_tls,
        "AUTH_LDAP_CONNECTION_OPTIONS": _connection_options(environ),
        "AUTH_LDAP_USER_SEARCH": LDAPSearch(user_base, ldap.SCOPE_SUBTREE, user_filter),
        "AUTH_LDAP_USER_ATTR_MAP": _attribute_map(environ),
        # Names, e-mail and roles follow the directory at every sign-in.
        "AUTH_LDAP_ALWAYS_UPDATE_USER": True,
        # Permissions come from the portal's role groups, never from the directory itself.
        "AUTH_LDAP_FIND_GROUP_PERMS": False,
        # Memberships are read afresh at each sign-in: a removal counts at once.
        "AUTH_LDAP_CACHE_TIMEOUT": 0,
    }
    if group_base:
        settings["AUTH_LDAP_GROUP_SEARCH"] = LDAPSearch(
            group_base, ldap.SCOPE_SUBTREE, group_filter
        )
        settings["AUTH_LDAP_GROUP_TYPE"] = group_type()
    return settings


def normalize_dn(dn: str) -> str:
    """One spelling of a DN, to compare the DNs of configuration and directory."""
    return ldap.dn.dn2str(ldap.dn.str2dn(dn.strip(), flags=ldap.DN_FORMAT_LDAPV3)).lower()


def _check_uris(uri: str) -> None:
    for part in uri.split():
        parsed = urlsplit(part)
        if parsed.scheme.lower() not in URI_SCHEMES or (
            parsed.scheme.lower() != "ldapi" and not parsed.hostname
        ):
            raise ImproperlyConfigured(
                f"LDAP_SERVER_URI {part!r} is not an ldap://, ldaps:// or ldapi:// address "
                "of a directory server."
            )


def _boolean(environ: Mapping[str, str], name: str) -> bool:
    value = environ.get(name, "").strip().lower()
    if value in TRUE_WORDS:
        return True
    if value in FALSE_WORDS:
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, not {environ[name]!r}.")


def _is_dn(value: str) -> bool:
    try:
        return bool(ldap.dn.str2dn(value, flags=ldap.DN_FORMAT_LDAPV3))
    except ldap.DECODING_ERROR:
        return False


def _distinguished_name(environ: Mapping[str, str], name: str, *, required: bool) -> str:
    value = environ.get(name, "").strip()
    if not value:
        if required:
            raise ImproperlyConfigured(f"{name} must be set when LDAP_SERVER_URI is set.")
        return ""
    if not _is_dn(value):
        raise ImproperlyConfigured(
            f"{name} {value!r} is not a distinguished name (such as ou=people,dc=example,dc=com)."
        )
    return value


def _user_filter(value: str) -> str:
    """The filter must find one person by %(user)s and be a parenthesised LDAP filter."""
    depth = 0
    for character in value:
        depth += {"(": 1, ")": -1}.get(character, 0)
        if depth < 0:
            break
    balanced = depth == 0
    try:
        value % {"user": "someone"}
    except (KeyError, ValueError, TypeError):
        balanced = False
    if not (balanced and value.startswith("(") and value.endswith(")") and "%(user)s" in value):
        raise ImproperlyConfigured(
            f"LDAP_USER_FILTER {value!r} is not an LDAP filter in parentheses that uses "
            "%(user)s for the name typed, such as (uid=%(user)s) or (sAMAccountName=%(user)s)."
        )
    return value


def _role_groups(value: str) -> dict[str, tuple[str, ...]]:
    """`role=group DN;role=group DN` as {role: (normalized group DNs)}."""
    roles: dict[str, list[str]] = {}
    for item in value.split(";"):
        if not item.strip():
            continue
        role, separator, group_dn = (part.strip() for part in item.partition("="))
        if not separator or not group_dn:
            raise ImproperlyConfigured(
                f"LDAP_ROLE_GROUPS entry {item.strip()!r} is not role=group DN "
                "(such as executive=cn=executives,ou=groups,dc=example,dc=com)."
            )
        if role not in Role.values:
            raise ImproperlyConfigured(
                f"LDAP_ROLE_GROUPS names an unknown role {role!r}; the roles are: "
                f"{', '.join(Role.values)}."
            )
        if not _is_dn(group_dn):
            raise ImproperlyConfigured(
                f"LDAP_ROLE_GROUPS maps {role} to {group_dn!r}, which is not a distinguished name."
            )
        roles.setdefault(role, []).append(normalize_dn(group_dn))
    return {role: tuple(group_dns) for role, group_dns in roles.items()}


def _attribute_map(environ: Mapping[str, str]) -> dict[str, str]:
    """User fields filled from directory attributes; an empty variable leaves the field alone."""
    defaults = {
        "first_name": ("LDAP_ATTR_FIRST_NAME", "givenName"),
        "last_name": ("LDAP_ATTR_LAST_NAME", "sn"),
        "email": ("LDAP_ATTR_EMAIL", "mail"),
    }
    attribute_map = {}
    for field, (name, default) in defaults.items():
        attribute = environ.get(name, default).strip()
        if not attribute:
            continue
        if not ATTRIBUTE_NAME.fullmatch(attribute):
            raise ImproperlyConfigured(f"{name} {attribute!r} is not an LDAP attribute name.")
        attribute_map[field] = attribute
    return attribute_map


def _connection_options(environ: Mapping[str, str]) -> dict:
    raw_timeout = environ.get("LDAP_TIMEOUT", "").strip() or "5"
    try:
        timeout = float(raw_timeout)
    except ValueError:
        timeout = 0
    if not 0 < timeout <= 300:
        raise ImproperlyConfigured(
            f"LDAP_TIMEOUT must be a number of seconds between 0 and 300, not {raw_timeout!r}."
        )
    options = {
        # Connecting, and each request, give up after the timeout instead of hanging the login.
        ldap.OPT_NETWORK_TIMEOUT: timeout,
        ldap.OPT_TIMEOUT: timeout,
        # Active Directory answers searches from the domain root with referrals it cannot follow.
        ldap.OPT_REFERRALS: 0,
    }
    ca_file = environ.get("LDAP_CA_FILE", "").strip()
    if ca_file:
        if not Path(ca_file).is_file():
            raise ImproperlyConfigured(f"LDAP_CA_FILE {ca_file!r} is not a readable file.")
        options[ldap.OPT_X_TLS_CACERTFILE] = ca_file
        options[ldap.OPT_X_TLS_REQUIRE_CERT] = ldap.OPT_X_TLS_DEMAND
        # The TLS options above only apply to a new TLS context; this must come last.
        options[ldap.OPT_X_TLS_NEWCTX] = 0
    return options
