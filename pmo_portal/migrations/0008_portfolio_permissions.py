"""Grant the permissions of the portfolio area to the roles.

PMO staff keep portfolios, programmes, placements, objectives, criteria, weights, scores,
scenarios and reviews; project managers propose scores for their projects; everyone reads.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

MODELS = ["portfolio", "programme", "portfolioproject", "strategicobjective", "criterion",
          "criterionlevel", "pairwisejudgement", "score", "scoreproposal", "projectranking",
          "scenario", "scenariocandidate", "scenarioyearlimit", "scenariorolelimit",
          "scenariodependency", "portfoliodecision", "portfolioreview", "reviewdecision"]  # fmt: skip


def codes(actions, models):
    return [f"{action}_{model}" for action in actions for model in models]


ROLE_PERMISSIONS = {
    "pmo_admin": codes(["add", "change", "delete", "view"], MODELS),
    "pmo_analyst": codes(["add", "change", "delete", "view"], MODELS),
    "resource_manager": codes(["view"], MODELS),
    "project_manager": codes(["view"], MODELS) + codes(["add"], ["scoreproposal"]),
    "executive": codes(["view"], MODELS),
}


def grant(apps, schema_editor):
    app_config = apps.get_app_config("portfolio")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for role, codenames in ROLE_PERMISSIONS.items():
        permissions = Permission.objects.filter(
            content_type__app_label="portfolio", codename__in=codenames
        )
        assert permissions.count() == len(set(codenames)), role
        Group.objects.get(name=role).permissions.add(*permissions)


class Migration(migrations.Migration):
    dependencies = [
        ("pmo_portal", "0007_resource_permissions"),
        ("portfolio", "0001_initial"),
    ]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
