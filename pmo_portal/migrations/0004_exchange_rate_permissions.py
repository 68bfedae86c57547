"""Grant the exchange-rate permissions: the PMO admin keeps the rates, everyone reads them."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

ROLE_PERMISSIONS = {
    "pmo_admin": ["add_exchangerate", "change_exchangerate", "delete_exchangerate",
                  "view_exchangerate"],
    "pmo_analyst": ["view_exchangerate"],
    "project_manager": ["view_exchangerate"],
    "resource_manager": ["view_exchangerate"],
    "executive": ["view_exchangerate"],
}  # fmt: skip


def grant(apps, schema_editor):
    app_config = apps.get_app_config("projects")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for role, codenames in ROLE_PERMISSIONS.items():
        group = Group.objects.get(name=role)
        group.permissions.add(
            *Permission.objects.filter(content_type__app_label="projects", codename__in=codenames)
        )


class Migration(migrations.Migration):
    dependencies = [
        ("pmo_portal", "0003_housekeeping_schedules"),
        ("projects", "0002_exchange_rates"),
    ]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
