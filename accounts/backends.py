"""Sign-in against the company directory (LDAP or Active Directory), after local accounts.

A person the directory knows gets a portal user at their first sign-in (with no usable local
password); at every sign-in their names, e-mail and the roles named in LDAP_ROLE_GROUPS follow the
directory. When the directory cannot be reached the attempt fails quietly, the request is marked,
and the login form says so instead of blaming the password.
"""

import logging

import ldap
from django.conf import settings
from django.contrib.auth.models import Group
from django.db import transaction
from django.dispatch import receiver
from django_auth_ldap.backend import LDAPBackend, ldap_error

from pmo_portal.roles import Role

from .directory import normalize_dn

logger = logging.getLogger(__name__)

# Errors that mean the directory is out of reach, not that the person typed something wrong.
UNREACHABLE_ERRORS = (
    ldap.SERVER_DOWN,
    ldap.TIMEOUT,
    ldap.CONNECT_ERROR,
    ldap.UNAVAILABLE,
    ldap.BUSY,
)
UNREACHABLE_MARK = "directory_unreachable"


def directory_was_unreachable(request) -> bool:
    """Whether signing in during this request failed because the directory could not answer."""
    return getattr(request, UNREACHABLE_MARK, False)


class DirectoryBackend(LDAPBackend):
    """django-auth-ldap's backend, keeping the portal's roles in step with directory groups."""

    def get_or_build_user(self, username, ldap_user):
        """A local account (one with a usable password) never becomes a directory account, so
        a directory entry of the same name cannot take over, or strip, a break-glass admin."""
        user, built = super().get_or_build_user(username, ldap_user)
        if not built and user.has_usable_password():
            raise ldap_user.AuthenticationFailed(
                f"{username} is a local account; it signs in with its local password only."
            )
        return user, built

    def authenticate_ldap_user(self, ldap_user, password):
        """Sign in, then set the roles LDAP_ROLE_GROUPS names from the directory's groups."""
        user = super().authenticate_ldap_user(ldap_user, password)
        if user is None:
            return None
        role_groups = settings.DIRECTORY_ROLE_GROUPS
        if not role_groups:
            return user
        try:
            member_of = {normalize_dn(dn) for dn in ldap_user.group_dns}
        except ldap.LDAPError as error:
            # Signing in with roles the directory may have taken away is worse than not at all.
            _note_directory_error(ldap_user._request, error, context="reading the groups")
            return None
        roles = {role for role, group_dns in role_groups.items() if member_of & set(group_dns)}
        user_roles_sync(user=user, roles=roles, managed=set(role_groups))
        return user


@transaction.atomic
def user_roles_sync(*, user, roles: set[str], managed: set[str]) -> None:
    """Give `user` exactly `roles` among the `managed` roles; other groups stay as they are.

    The PMO admin role works in Django's admin, as the demo admin does: staff status follows it.
    """
    managed_groups = list(Group.objects.filter(name__in=managed))
    current = set(user.groups.filter(name__in=managed).values_list("name", flat=True))
    added = [group for group in managed_groups if group.name in roles - current]
    removed = [group for group in managed_groups if group.name in current - roles]
    if added:
        user.groups.add(*added)
    if removed:
        user.groups.remove(*removed)
    if Role.PMO_ADMIN in managed:
        is_staff = Role.PMO_ADMIN in roles
        if user.is_staff != is_staff:
            user.is_staff = is_staff
            user.save(update_fields=["is_staff"])
    if added or removed:
        logger.info(
            "Directory roles of %s: added %s, removed %s",
            user.get_username(),
            sorted(group.name for group in added),
            sorted(group.name for group in removed),
        )


@receiver(ldap_error, sender=DirectoryBackend)
def _directory_error(sender, context, user, request, exception, **kwargs):
    _note_directory_error(request, exception, context=context)


def _note_directory_error(request, error: ldap.LDAPError, *, context: str) -> None:
    """Log the directory's failure; if it is out of reach, mark the request for the form."""
    if isinstance(error, UNREACHABLE_ERRORS):
        logger.error(
            "The directory %s cannot be reached (%s): %s",
            settings.AUTH_LDAP_SERVER_URI,
            context,
            _describe(error),
        )
        if request is not None:
            setattr(request, UNREACHABLE_MARK, True)
    else:
        logger.error("The directory refused a request (%s): %s", context, _describe(error))


def _describe(error: ldap.LDAPError) -> str:
    """python-ldap's errors carry a dict with a description ("desc") and details ("info")."""
    details = error.args[0] if error.args and isinstance(error.args[0], dict) else {}
    words = [str(details[key]) for key in ("desc", "info") if details.get(key)]
    return " ".join(words) or repr(error)
