"""Grant the permissions of resources and budgets to the roles.

Resource managers keep resources, capacity and allocations and decide requests; project
managers request people and keep their projects' budgets and actual cost; the PMO keeps
everything and the utilisation target; everyone reads.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

MODELS = ["resourcerole", "skill", "resource", "resourceskill", "capacity", "absence",
          "resourcerequest", "allocation", "budgetline", "actualcost", "utilisationtarget"]  # fmt: skip
RESOURCE_KEEPING = ["resourcerole", "skill", "resource", "resourceskill", "capacity", "absence",
                    "allocation", "resourcerequest"]  # fmt: skip
COSTS = ["budgetline", "actualcost"]


def codes(actions, models):
    return [f"{action}_{model}" for action in actions for model in models]


ROLE_PERMISSIONS = {
    "pmo_admin": codes(["add", "change", "delete", "view"], MODELS),
    "pmo_analyst": codes(["view"], MODELS)
    + codes(["add", "change"], COSTS + ["utilisationtarget", "resourcerequest"]),
    "resource_manager": codes(["view"], MODELS)
    + codes(["add", "change", "delete"], RESOURCE_KEEPING)
    + codes(["add", "change"], COSTS),
    "project_manager": codes(["view"], MODELS) + codes(["add"], ["resourcerequest"] + COSTS),
    "executive": codes(["view"], MODELS),
}


def grant(apps, schema_editor):
    app_config = apps.get_app_config("resources")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for role, codenames in ROLE_PERMISSIONS.items():
        permissions = Permission.objects.filter(
            content_type__app_label="resources", codename__in=codenames
        )
        assert permissions.count() == len(set(codenames)), role
        Group.objects.get(name=role).permissions.add(*permissions)


class Migration(migrations.Migration):
    dependencies = [
        ("pmo_portal", "0006_notification"),
        ("resources", "0001_initial"),
    ]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
