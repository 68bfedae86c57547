"""Grant the sign-in policy's permissions to PMO admins: they decide who must sign in with a
second step."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

ROLE_PERMISSIONS = {"pmo_admin": ["change_signinpolicy", "view_signinpolicy"]}


def grant(apps, schema_editor):
    app_config = apps.get_app_config("accounts")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for role, codenames in ROLE_PERMISSIONS.items():
        permissions = Permission.objects.filter(
            content_type__app_label="accounts", codename__in=codenames
        )
        assert permissions.count() == len(set(codenames)), role
        Group.objects.get(name=role).permissions.add(*permissions)


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0001_sign_in_policy"),
        ("pmo_portal", "0002_roles"),
    ]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
