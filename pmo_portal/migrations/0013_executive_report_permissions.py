"""Grant the permissions of executive PDF reports to the roles, and schedule the sweep that
queues again the report runs a lost worker left behind.

Executives and PMO analysts subscribe to reports and manage their own subscriptions (the object
rule in permissions.py narrows "add"); PMO admins manage every subscription; PMO staff see every
run and its error. Recipients see the runs sent to them by the object rule, whatever their role.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

MODELS = ["reportsubscription", "reportrun", "reportdelivery"]
SWEEP_NAME = "Queue stalled executive report runs again"
SWEEP_TASK = "reports.tasks.requeue_stalled_report_runs"


def codes(actions, models):
    return [f"{action}_{model}" for action in actions for model in models]


ROLE_PERMISSIONS = {
    "pmo_admin": codes(["add", "change", "delete", "view"], MODELS),
    "pmo_analyst": codes(["view"], MODELS) + codes(["add"], ["reportsubscription"]),
    "executive": codes(["add"], ["reportsubscription"]),
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


def add_sweep(apps, schema_editor):
    CrontabSchedule = apps.get_model("django_celery_beat", "CrontabSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    crontab, _ = CrontabSchedule.objects.get_or_create(
        minute="*/15", hour="*", day_of_week="*", day_of_month="*", month_of_year="*",
        timezone="UTC",
    )  # fmt: skip
    PeriodicTask.objects.get_or_create(
        name=SWEEP_NAME, defaults={"task": SWEEP_TASK, "crontab": crontab}
    )


def remove_sweep(apps, schema_editor):
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    PeriodicTask.objects.filter(name=SWEEP_NAME).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("pmo_portal", "0012_report_reminder_schedule"),
        ("reports", "0002_executive_reports"),
    ]

    operations = [
        migrations.RunPython(grant, migrations.RunPython.noop),
        migrations.RunPython(add_sweep, remove_sweep),
    ]
