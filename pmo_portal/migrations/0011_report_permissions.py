"""Grant the permissions of status reporting to the roles.

Project managers write the status reports of their own projects (the object rule in
permissions.py narrows "add") and record the closure survey; PMO staff review reports, keep the
RAG thresholds, the effectiveness targets, the reporting schedules and periods; everyone reads.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

MODELS = ["ragthresholds", "reportingperiod", "reportingschedule", "statusreport",
          "closuresurvey", "effectivenesstarget", "reminderclaim"]  # fmt: skip
PMO_KEEPING = ["ragthresholds", "reportingperiod", "reportingschedule", "closuresurvey",
               "effectivenesstarget"]  # fmt: skip


def codes(actions, models):
    return [f"{action}_{model}" for action in actions for model in models]


ROLE_PERMISSIONS = {
    "pmo_admin": codes(["add", "change", "delete", "view"], MODELS) + ["review_statusreport"],
    "pmo_analyst": codes(["view"], MODELS)
    + codes(["add", "change"], PMO_KEEPING)
    + ["review_statusreport"],
    "resource_manager": codes(["view"], MODELS),
    "project_manager": codes(["view"], MODELS)
    + codes(["add", "change"], ["statusreport"])
    + codes(["add"], ["closuresurvey"]),
    "executive": codes(["view"], MODELS),
}


def grant(apps, schema_editor):
    app_config = apps.get_app_config("reports")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for role, codenames in ROLE_PERMISSIONS.items():
        permissions = Permission.objects.filter(
            content_type__app_label="reports", codename__in=codenames
        )
        assert permissions.count() == len(set(codenames)), role
        Group.objects.get(name=role).permissions.add(*permissions)


class Migration(migrations.Migration):
    dependencies = [
        ("pmo_portal", "0010_risk_digest_schedule"),
        ("reports", "0001_initial"),
    ]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
