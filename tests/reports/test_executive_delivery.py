"""Executive reports delivered by real Celery processes against Redis and PostgreSQL: beat's
tick produces exactly one e-mail per recipient with the PDF attached, and a worker killed in
the middle of a delivery is replaced by another that finishes it, each recipient reached once.

The worker and beat run as subprocesses on the test database; e-mail goes to an SMTP server in
this process (aiosmtpd) that records what it accepted and can hold one recipient's e-mail to
keep the worker busy while it is killed. The reports are drawn by the real renderer.
"""

import asyncio
import datetime
import email
import io
import os
import signal
import socket
import subprocess
import sys
import threading
import time
import uuid
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller
from django.conf import settings
from django.db import connection
from django.utils import timezone
from django_celery_beat.models import PeriodicTask
from pypdf import PdfReader

from pmo_portal.celery import app as celery_app
from reports.models import ReportDelivery, ReportRun
from reports.services import executive as services
from tests.portfolio.factories import PortfolioFactory

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]

TIME_LIMIT = 15  # seconds a delivery may take in these workers: a dead worker's claim expires
VISIBILITY_TIMEOUT = 20  # then Redis hands its unacknowledged message to the next worker
WAIT = 90  # seconds any step may take on a busy machine


class Mailbox:
    """What the SMTP server accepted; `hold` names an address whose first e-mail is held (no
    answer for a minute, then "try again later") to keep the sending worker busy."""

    def __init__(self, hold: str | None = None):
        self.hold = hold
        self.holding = threading.Event()
        self.messages: list[tuple[list[str], email.message.Message]] = []

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's name
        if self.hold in envelope.rcpt_tos and not self.holding.is_set():
            self.holding.set()
            await asyncio.sleep(60)
            return "451 4.3.0 Try again later"
        self.messages.append((list(envelope.rcpt_tos), email.message_from_bytes(envelope.content)))
        return "250 OK"

    def recipients(self) -> list[str]:
        return sorted(address for addresses, _message in self.messages for address in addresses)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def mailbox():
    box = Mailbox()
    controller = Controller(box, hostname="127.0.0.1", port=free_port())
    controller.start()
    box.port = controller.port
    yield box
    controller.stop()


@pytest.fixture
def queue():
    """A queue of the test's own, and this process sending to it rather than running tasks."""
    name, before = f"test-reports-{uuid.uuid4().hex[:8]}", celery_app.conf.task_default_queue
    celery_app.conf.task_always_eager = False
    celery_app.conf.task_default_queue = name
    celery_app.__dict__.pop("amqp", None)  # routes are read again with the new default queue
    yield name
    celery_app.conf.task_always_eager = True
    celery_app.conf.task_default_queue = before
    celery_app.__dict__.pop("amqp", None)


def database_url() -> str:
    db = connection.settings_dict
    password = f":{db['PASSWORD']}" if db["PASSWORD"] else ""
    return (f"postgres://{db['USER']}{password}@{db['HOST'] or '127.0.0.1'}:"
            f"{db['PORT'] or 5432}/{db['NAME']}")  # fmt: skip


class Processes:
    """Celery worker and beat subprocesses on the test database, killed at the end."""

    def __init__(self, tmp_path: Path, queue: str, mailbox: Mailbox):
        self.tmp_path, self.queue, self.started = tmp_path, queue, []
        self.env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "pmo_portal.settings",
            "DEBUG": "true",
            "DATABASE_URL": database_url(),
            "EMAIL_URL": f"smtp://127.0.0.1:{mailbox.port}",
            "MEDIA_ROOT": str(settings.MEDIA_ROOT),
            "CELERY_TASK_DEFAULT_QUEUE": queue,
            "REPORT_DELIVERY_TIME_LIMIT": str(TIME_LIMIT),
            "BROKER_VISIBILITY_TIMEOUT": str(VISIBILITY_TIMEOUT),
            "REPORT_DELIVERY_RETRY_BACKOFF_MAX": "2",
        }
        self.env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)

    def start(self, name: str, *arguments: str) -> subprocess.Popen:
        log = open(self.tmp_path / f"{name}.log", "w")  # noqa: SIM115 - closed in stop_all
        process = subprocess.Popen(
            [str(Path(sys.executable).parent / "celery"), "-A", "pmo_portal", *arguments,
             "--loglevel", "INFO"],
            cwd=settings.BASE_DIR, env=self.env, stdout=log, stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group: killed with its pool
        )  # fmt: skip
        self.started.append((process, log))
        return process

    def worker(self, name: str = "worker") -> subprocess.Popen:
        return self.start(name, "worker", "--pool", "prefork", "--concurrency", "1",
                          "-Q", self.queue, "-n", f"{name}-{uuid.uuid4().hex[:6]}@%h",
                          "--without-gossip", "--without-mingle")  # fmt: skip

    def beat(self) -> subprocess.Popen:
        return self.start("beat", "beat", "--max-interval", "1",
                          "-s", str(self.tmp_path / "beat-schedule"))  # fmt: skip

    @staticmethod
    def kill(process: subprocess.Popen) -> None:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=30)

    def logs(self) -> str:
        return "\n".join(
            f"--- {path.name}\n{path.read_text()[-4000:]}"
            for path in sorted(self.tmp_path.glob("*.log"))
        )

    def stop_all(self) -> None:
        for process, log in self.started:
            self.kill(process)
            log.close()


@pytest.fixture
def processes(transactional_db, tmp_path, queue, mailbox, settings):
    settings.MEDIA_ROOT = tmp_path / "media"
    found = Processes(tmp_path, queue, mailbox)
    yield found
    found.stop_all()


def wait_for(condition, processes: Processes, what: str, timeout: float = WAIT):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.25)
    pytest.fail(f"Waited {timeout} s for {what}.\n{processes.logs()}")


def run_state(run_id: int) -> str:
    return ReportRun.objects.filter(pk=run_id).values_list("state", flat=True).first()


def assert_pdf_attached(message: email.message.Message, run: ReportRun) -> None:
    attachments = [part for part in message.walk() if part.get_filename()]
    assert [part.get_filename() for part in attachments] == [run.file_name()]
    assert attachments[0].get_content_type() == "application/pdf"
    reader = PdfReader(io.BytesIO(attachments[0].get_payload(decode=True)))
    assert len(reader.pages) == run.pages > 0


@pytest.fixture
def covered(project):
    """Something for the reports to show: a portfolio and `pm`'s project."""
    return PortfolioFactory(name="Digital transformation")


def test_beat_delivers_a_subscription_due_now_exactly_once(executive, covered, mailbox, processes):
    # A weekly subscription whose tick was two minutes ago, last run a week before that.
    tick = timezone.now().astimezone(datetime.UTC) - datetime.timedelta(minutes=2)
    subscription = services.subscription_create(
        by=executive, name="Weekly portfolio report", report_type="executive_summary",
        language="en", frequency="weekly", day=tick.isoweekday(),
        time=tick.time().replace(second=0, microsecond=0), timezone="UTC",
        portfolios=[covered], recipients=[executive], extra_recipients="board@example.org",
    )  # fmt: skip
    PeriodicTask.objects.filter(pk=subscription.periodic_task_id).update(
        last_run_at=tick - datetime.timedelta(days=7)
    )
    processes.worker()
    processes.beat()

    run = wait_for(lambda: ReportRun.objects.filter(subscription=subscription, state="sent")
                   .first(), processes, "the scheduled run to be sent")  # fmt: skip
    wait_for(lambda: len(mailbox.messages) >= 2, processes, "two e-mails")
    # A second tick for the same period (beat restarted, or a duplicate message): nothing more.
    duplicate = celery_app.send_task(
        "reports.tasks.deliver_scheduled_report", args=[subscription.pk], queue=processes.queue
    )
    assert duplicate.get(timeout=WAIT)["sent"] == 0
    time.sleep(2)

    assert mailbox.recipients() == ["board@example.org", "exec@example.com"]
    assert ReportRun.objects.filter(subscription=subscription).count() == 1
    period = services.scheduled_period(subscription, timezone.now())
    assert (run.trigger, run.period_start, run.period_end) == ("scheduled", period.start,
                                                                period.end)  # fmt: skip
    for _addresses, message in mailbox.messages:
        assert message["Subject"].startswith("Portfolio executive summary")
        assert_pdf_attached(message, run)


def test_a_worker_killed_mid_delivery_is_replaced_and_nobody_gets_it_twice(
    client, executive, covered, mailbox, processes
):
    mailbox.hold = "board@example.org"  # the second e-mail: the worker hangs on it
    subscription = services.subscription_create(
        by=executive, name="Monthly portfolio report", report_type="executive_summary",
        language="zh-hans", frequency="monthly", day=1, time=datetime.time(7, 0),
        timezone="Asia/Shanghai", portfolios=[covered], recipients=[executive],
        extra_recipients="board@example.org",
    )  # fmt: skip
    first = processes.worker("first")
    client.force_login(executive)
    client.post(f"/reports/executive/subscriptions/{subscription.pk}/send/")
    run = ReportRun.objects.get(subscription=subscription)

    wait_for(mailbox.holding.is_set, processes, "the worker to send the second e-mail")
    assert list(ReportDelivery.objects.filter(run=run).values_list("email", flat=True)) == [
        "exec@example.com"
    ]
    assert run_state(run.pk) == "running"
    processes.kill(first)

    processes.worker("second")
    wait_for(lambda: run_state(run.pk) == "sent", processes, "the second worker to finish")
    time.sleep(2)

    run.refresh_from_db()
    assert mailbox.recipients() == ["board@example.org", "exec@example.com"]
    assert run.attempts == 2 and run.error == ""
    assert ReportDelivery.objects.filter(run=run).count() == 2
    for _addresses, message in mailbox.messages:
        assert_pdf_attached(message, run)
