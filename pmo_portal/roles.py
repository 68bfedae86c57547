"""The portal's roles. Each is a Django group created by a data migration with its permissions."""

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
