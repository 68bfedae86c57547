"""Demo data of the executive PDF reports: a few subscriptions with their schedule entries, and
the reports they sent in the last months, one of which failed.

`exec` receives a monthly portfolio report in Chinese and a weekly risk report; `pmo` a
quarterly department report that `exec` also gets. The latest monthly report is drawn by the
renderer from the demo's data; the older ones stand in as small archive copies (drawing them
all would add a minute to the large demo).
"""

import datetime
import random

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db.models import Q
from django.utils import timezone
from django_celery_beat.models import PeriodicTask

from portfolio.models import Portfolio
from projects.demo.runner import DemoContext, DemoStep, demo_pdf
from resources.demo.bulk import delete_all

from ..models import ReportDelivery, ReportRun, ReportSubscription
from ..services import executive as services

RUNS_KEPT = 3  # past periods of each subscription in the archive
DEMO_FOLDER = "reports/executive/demo"
FAILURE = "SMTPServerDisconnected: Connection unexpectedly closed"

SUBSCRIPTIONS = [  # owner, name, report, language, frequency, day, hour, scope, recipients
    ("exec", "Monthly portfolio report", "executive_summary", "zh-hans", "monthly", 1, 7,
     "top_portfolio", ["exec"], "board@example.com"),
    ("exec", "Weekly risk report", "risk", "en", "weekly", 1, 8, "everything", ["exec", "pmo"],
     ""),
    ("pmo", "Quarterly department report", "department", "en", "quarterly", 5, 9,
     "first_department", ["pmo", "exec"], ""),
]  # fmt: skip


def _scope(context: DemoContext, kind: str) -> dict:
    if kind == "top_portfolio":
        top = Portfolio.objects.filter(parent__isnull=True).order_by("path").first()
        return {"portfolios": [top] if top else []}
    if kind == "first_department" and context.departments:
        return {"departments": [context.departments[0]]}
    return {}


def _ticks(subscription: ReportSubscription, now) -> list[tuple[datetime.datetime, object]]:
    """The last RUNS_KEPT ticks of the schedule and the period each delivered, latest first."""
    found, moment = [], now
    for _ in range(RUNS_KEPT):
        tick = services.last_tick(subscription, moment)
        found.append((tick, services.scheduled_period(subscription, tick)))
        moment = tick - datetime.timedelta(minutes=1)
    return found


def _file(run: ReportRun, subscription: ReportSubscription, *, draw: bool) -> tuple[str, int]:
    """Store the run's PDF under a fixed demo name; its name and pages."""
    name = f"{DEMO_FOLDER}/{subscription.report_type}-{run.period_end:%Y-%m-%d}.pdf"
    if default_storage.exists(name):
        default_storage.delete(name)
    if draw:
        try:
            rendered = services.render_for(
                subscription, services.Period(run.period_start, run.period_end,
                                              run.previous_period_end),
            )  # fmt: skip
            return default_storage.save(name, ContentFile(rendered.content)), rendered.pages
        except Exception:  # noqa: BLE001 - no Chinese font here: a stand-in will do
            pass
    title = f"{subscription.get_report_type_display()}: {run.period_start} - {run.period_end}"
    content = demo_pdf(str(title), ["An archived copy kept by the demo data."])
    return default_storage.save(name, content), 1


def seed_executive_reports(context: DemoContext, rng: random.Random) -> None:
    owners = context.logins
    if "exec" not in owners or "pmo" not in owners:
        return
    now = timezone.now()
    runs = 0
    for (owner, name, report_type, language, frequency, day, hour, scope, recipients,
         extra) in SUBSCRIPTIONS:  # fmt: skip
        subscription = services.subscription_create(
            by=owners[owner], name=name, report_type=report_type, language=language,
            frequency=frequency, day=day, time=datetime.time(hour, 0), timezone="Asia/Shanghai",
            recipients=[owners[r] for r in recipients], extra_recipients=extra,
            **_scope(context, scope),
        )  # fmt: skip
        addresses = subscription.recipient_addresses()
        for index, (tick, period) in enumerate(_ticks(subscription, now)):
            failed = owner == "exec" and frequency == "weekly" and index == 1
            run = ReportRun(
                subscription=subscription, period_start=period.start, period_end=period.end,
                previous_period_end=period.previous_end, started_at=tick, finished_at=tick,
                attempts=1,
            )  # fmt: skip
            if failed:
                run.state, run.error, run.attempts = ReportRun.State.FAILED, FAILURE, 8
            else:
                draw = owner == "exec" and report_type == "executive_summary" and index == 0
                run.file.name, run.pages = _file(run, subscription, draw=draw)
                run.size = default_storage.size(run.file.name)
                run.duration = datetime.timedelta(seconds=rng.uniform(2, 40))
                run.finished_at = tick + run.duration
                run.state = ReportRun.State.SENT
                run.title = str(subscription.get_report_type_display())
            run.save()
            ReportRun.objects.filter(pk=run.pk).update(created_at=tick)
            if not failed:
                ReportDelivery.objects.bulk_create(
                    ReportDelivery(run=run, email=address, user_id=user_id,
                                   sent_at=run.finished_at)
                    for address, user_id in addresses
                )  # fmt: skip
            runs += 1
    context.summary["report subscriptions"] = len(SUBSCRIPTIONS)
    context.summary["executive reports sent"] = runs


def flush_executive_reports() -> None:
    """Remove the subscriptions, their schedule entries, the runs and the PDFs they stored."""
    names = set(ReportRun.objects.exclude(file="").values_list("file", flat=True))
    if default_storage.exists(DEMO_FOLDER):
        names |= {f"{DEMO_FOLDER}/{name}" for name in default_storage.listdir(DEMO_FOLDER)[1]}
    for name in names:
        default_storage.delete(name)
    PeriodicTask.objects.filter(
        Q(task=services.SCHEDULED_TASK) | Q(report_subscription__isnull=False)
    ).delete()
    delete_all(
        ReportDelivery,
        ReportRun,
        ReportSubscription.portfolios.through,
        ReportSubscription.departments.through,
        ReportSubscription.projects.through,
        ReportSubscription.recipients.through,
        ReportSubscription.history.model,
        ReportSubscription,
    )


DEMO_STEPS = [DemoStep("executive reports", seed_executive_reports, flush_executive_reports)]
