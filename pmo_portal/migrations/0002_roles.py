"""Create the portal's roles as groups, each with its permissions.

The permission lists are frozen here on purpose: a later area grants its own permissions to
these groups in a migration of its own.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

ROLE_PERMISSIONS = {
    "pmo_admin": [
        "projects.add_project",
        "projects.change_project",
        "projects.delete_project",
        "projects.view_project",
        "projects.change_own_project",
        "projects.add_department",
        "projects.change_department",
        "projects.delete_department",
        "projects.view_department",
        "projects.add_projecttype",
        "projects.change_projecttype",
        "projects.delete_projecttype",
        "projects.view_projecttype",
        "projects.add_tag",
        "projects.change_tag",
        "projects.delete_tag",
        "projects.view_tag",
    ],
    "pmo_analyst": [
        "projects.add_project",
        "projects.change_project",
        "projects.view_project",
        "projects.change_own_project",
        "projects.view_department",
        "projects.view_projecttype",
        "projects.add_tag",
        "projects.view_tag",
    ],
    "project_manager": [
        "projects.add_project",
        "projects.view_project",
        "projects.change_own_project",
        "projects.view_department",
        "projects.view_projecttype",
        "projects.add_tag",
        "projects.view_tag",
    ],
    "resource_manager": [
        "projects.view_project",
        "projects.view_department",
        "projects.view_projecttype",
        "projects.view_tag",
    ],
    "executive": [
        "projects.view_project",
        "projects.view_department",
        "projects.view_projecttype",
        "projects.view_tag",
    ],
}


def create_roles(apps, schema_editor):
    # Permissions are normally made after all migrations ran; the roles need them now.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for role, codes in ROLE_PERMISSIONS.items():
        group, _ = Group.objects.get_or_create(name=role)
        for code in codes:
            app_label, codename = code.split(".")
            group.permissions.add(
                Permission.objects.get(content_type__app_label=app_label, codename=codename)
            )


def remove_roles(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=ROLE_PERMISSIONS).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("pmo_portal", "0001_initial"),
        ("projects", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_roles, remove_roles)]
