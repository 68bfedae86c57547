"""The portal's roles. Each is a Django group created by a data migration with its permissions."""

from django.contrib.auth import get_user_model
from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    PMO_ADMIN = "pmo_admin", _("PMO admin")
    PMO_ANALYST = "pmo_analyst", _("PMO analyst")
    PROJECT_MANAGER = "project_manager", _("Project manager")
    RESOURCE_MANAGER = "resource_manager", _("Resource manager")
    EXECUTIVE = "executive", _("Executive")


def role_labels(user) -> list[str]:
    """The translated names of the roles a user holds, for display."""
    labels = dict(Role.choices)
    return [str(labels[g.name]) for g in user.groups.all() if g.name in labels]


def users_in_roles(*roles):
    """Active users holding any of `roles`, by name."""
    return (
        get_user_model()
        .objects.filter(is_active=True, groups__name__in=roles)
        .distinct()
        .order_by("first_name", "last_name", "username")
    )
