"""Grant the permissions of project standards and governance to the roles.

PMO staff keep the standards, decide gates and change requests and run review meetings;
project managers record their own project reviews; everyone reads.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

MODELS = [
    "methodology", "lifecycletemplate", "templatephase", "templatechecklistitem", "standard",
    "standardattachment", "governancesettings", "projectphase", "projectchecklistitem",
    "gatesubmission", "gatedecision", "gatecondition", "milestone", "changerequest", "meeting",
    "meetingdecision", "actionitem",
]  # fmt: skip
STANDARDS = ["methodology", "lifecycletemplate", "templatephase", "templatechecklistitem",
             "standard", "standardattachment"]  # fmt: skip
PROJECT_WORK = ["projectchecklistitem", "gatesubmission", "milestone", "changerequest",
                "meeting", "meetingdecision", "actionitem", "gatecondition"]  # fmt: skip


def codes(actions, models):
    return [f"{action}_{model}" for action in actions for model in models]


ROLE_PERMISSIONS = {
    "pmo_admin": codes(["add", "change", "delete", "view"], MODELS)
    + ["decide_gate", "decide_changerequest"],
    "pmo_analyst": codes(["view"], MODELS)
    + codes(["add", "change", "delete"], STANDARDS)
    + codes(["add", "change"], PROJECT_WORK + ["projectphase", "gatedecision"])
    + ["decide_gate", "decide_changerequest"],
    "project_manager": codes(["view"], MODELS) + codes(["add"], PROJECT_WORK),
    "resource_manager": codes(["view"], MODELS),
    "executive": codes(["view"], MODELS),
}


def grant(apps, schema_editor):
    app_config = apps.get_app_config("projects")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for role, codenames in ROLE_PERMISSIONS.items():
        permissions = Permission.objects.filter(
            content_type__app_label="projects", codename__in=codenames
        )
        assert permissions.count() == len(set(codenames)), role
        Group.objects.get(name=role).permissions.add(*permissions)


class Migration(migrations.Migration):
    dependencies = [
        ("pmo_portal", "0004_exchange_rate_permissions"),
        ("projects", "0003_lifecycle_governance"),
    ]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
