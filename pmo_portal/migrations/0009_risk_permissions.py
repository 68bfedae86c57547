"""Grant the permissions of the risks area to the roles.

PMO staff change every risk, issue and lesson and keep the configuration (categories, scales,
matrix, cadences); project managers log risks, responses, actions, issues, lessons and the
contingency of their own projects (the object rules in permissions.py narrow "add" to their
projects); everyone reads. Risk and action owners update theirs by the object rules, whatever
their role.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

MODELS = ["riskcategory", "scalelevel", "riskmatrixcell", "reviewcadence", "risk",
          "riskresponse", "riskaction", "contingency", "issue", "lesson", "digestrun"]  # fmt: skip
CONFIGURATION = ["riskcategory", "scalelevel", "riskmatrixcell", "reviewcadence"]
PRACTICE = ["risk", "riskresponse", "riskaction", "contingency", "issue", "lesson"]


def codes(actions, models):
    return [f"{action}_{model}" for action in actions for model in models]


ROLE_PERMISSIONS = {
    "pmo_admin": codes(["add", "change", "delete", "view"], MODELS),
    "pmo_analyst": codes(["view"], MODELS)
    + codes(["add", "change", "delete"], CONFIGURATION + PRACTICE),
    "project_manager": codes(["view"], MODELS) + codes(["add"], PRACTICE),
    "resource_manager": codes(["view"], MODELS),
    "executive": codes(["view"], MODELS),
}


def grant(apps, schema_editor):
    app_config = apps.get_app_config("risks")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for role, codenames in ROLE_PERMISSIONS.items():
        permissions = Permission.objects.filter(
            content_type__app_label="risks", codename__in=codenames
        )
        assert permissions.count() == len(set(codenames)), role
        Group.objects.get(name=role).permissions.add(*permissions)


class Migration(migrations.Migration):
    dependencies = [
        ("pmo_portal", "0008_portfolio_permissions"),
        ("risks", "0001_initial"),
    ]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
