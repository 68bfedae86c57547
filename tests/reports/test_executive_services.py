"""Executive PDF reports: periods, the schedule entry kept in step with its subscription, and
delivery exactly once (one claim among workers, no second e-mail to a recipient reached, a
stored PDF reused by a retry)."""

import datetime
import io
import smtplib
import threading
import zoneinfo

import pytest
from django.core import mail
from django.db import connection
from django_celery_beat.models import PeriodicTask
from reportlab.pdfgen import canvas

from pmo_portal.celery import app as celery_app
from pmo_portal.errors import StaleVersionError
from reports.models import ReportDelivery, ReportRun, ReportSubscription
from reports.pdf import RenderedReport
from reports.services import executive as services
from reports.tasks import deliver_report_run, deliver_scheduled_report
from tests.factories import UserFactory
from tests.portfolio.factories import PortfolioFactory

pytestmark = pytest.mark.django_db

SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")
UTC = datetime.UTC


def small_pdf(text: str = "Portfolio executive summary") -> bytes:
    buffer = io.BytesIO()
    page = canvas.Canvas(buffer)
    page.drawString(72, 720, text)
    page.showPage()
    page.save()
    return buffer.getvalue()


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    """Stored PDFs go to a folder of the test's own."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def eager_retries():
    """Tasks run in this process retry there too: errors must not propagate out of the first
    attempt (each retry is applied anew, with the app's setting)."""
    celery_app.conf.task_eager_propagates = False
    yield
    celery_app.conf.task_eager_propagates = True


def use_fake_renderer(monkeypatch) -> list[dict]:
    """Replace the renderer by one that returns a one-page PDF at once; the calls it gets."""
    calls = []

    def render(report_type, *, language, scope, period_end, previous_period_end):
        calls.append({"type": report_type, "language": language, "scope": scope,
                      "period_end": period_end, "previous": previous_period_end})  # fmt: skip
        return RenderedReport(small_pdf(), 1, "Portfolio executive summary")

    monkeypatch.setattr("reports.pdf.render", render)
    return calls


@pytest.fixture
def renders(monkeypatch):
    return use_fake_renderer(monkeypatch)


def subscribe(owner, *, recipients=None, extra="", **fields) -> ReportSubscription:
    values = {"name": "Monthly portfolio report", "report_type": "executive_summary",
              "language": "en", "frequency": "monthly", "day": 1, "time": datetime.time(7, 0),
              "timezone": "Asia/Shanghai"}  # fmt: skip
    values.update(fields)
    return services.subscription_create(
        by=owner, recipients=recipients if recipients is not None else [owner],
        extra_recipients=extra, **values,
    )  # fmt: skip


@pytest.fixture
def subscription(executive, pm):
    """`exec`'s monthly report, to `exec`, `pm` and one address outside the portal."""
    return subscribe(executive, recipients=[executive, pm], extra="board@example.org")


def recipients_of(messages) -> list[str]:
    return sorted(address for message in messages for address in message.to)


class TestPeriods:
    @pytest.mark.parametrize(
        ("frequency", "day", "start", "end"),
        [
            ("weekly", "2026-06-08", "2026-06-01", "2026-06-07"),  # a Monday: last week
            ("weekly", "2026-06-14", "2026-06-01", "2026-06-07"),  # a Sunday: still last week
            ("monthly", "2026-06-01", "2026-05-01", "2026-05-31"),
            ("monthly", "2026-03-15", "2026-02-01", "2026-02-28"),
            ("quarterly", "2026-07-01", "2026-04-01", "2026-06-30"),
            ("quarterly", "2026-02-10", "2025-10-01", "2025-12-31"),
        ],
    )
    def test_the_period_is_the_last_complete_one(self, frequency, day, start, end):
        period = services.period_before(frequency, datetime.date.fromisoformat(day))
        assert (period.start.isoformat(), period.end.isoformat()) == (start, end)
        assert period.previous_end == period.start - datetime.timedelta(days=1)

    def test_the_tick_is_read_in_the_subscriptions_time_zone(self, executive):
        subscription = subscribe(executive)  # monthly, day 1 at 07:00 in Shanghai
        after = datetime.datetime(2026, 6, 30, 23, 30, tzinfo=UTC)  # 1 July 07:30 in Shanghai
        before = datetime.datetime(2026, 6, 30, 22, 0, tzinfo=UTC)  # 1 July 06:00 in Shanghai
        assert services.scheduled_period(subscription, after).end == datetime.date(2026, 6, 30)
        assert services.scheduled_period(subscription, before).end == datetime.date(2026, 5, 31)
        assert services.next_tick(subscription, before) == datetime.datetime(
            2026, 7, 1, 7, 0, tzinfo=SHANGHAI
        )

    def test_a_late_or_retried_tick_names_the_same_period(self, executive):
        """Sunday 23:30 fires for the week before; a retry after midnight is still for it."""
        subscription = subscribe(executive, frequency="weekly", day=7,
                                 time=datetime.time(23, 30), timezone="UTC")  # fmt: skip
        on_time = datetime.datetime(2026, 6, 14, 23, 30, tzinfo=UTC)
        after_midnight = datetime.datetime(2026, 6, 15, 0, 10, tzinfo=UTC)
        assert services.scheduled_period(subscription, on_time) == services.scheduled_period(
            subscription, after_midnight
        )
        assert services.scheduled_period(subscription, on_time).end == datetime.date(2026, 6, 7)


class TestScheduleEntry:
    def test_a_subscription_gets_its_beat_entry_in_its_time_zone(self, subscription):
        task = subscription.periodic_task
        assert task.task == "reports.tasks.deliver_scheduled_report"
        assert task.args == f"[{subscription.pk}]" and task.enabled
        crontab = task.crontab
        assert (crontab.minute, crontab.hour, crontab.day_of_month, crontab.day_of_week,
                crontab.month_of_year) == ("0", "7", "1", "*", "*")  # fmt: skip
        assert str(crontab.timezone) == "Asia/Shanghai"

    def test_the_entry_follows_changes_and_goes_with_the_subscription(self, executive):
        subscription = subscribe(executive)
        task_id = subscription.periodic_task_id
        changed = services.subscription_update(
            subscription=subscription, by=executive, version=subscription.version,
            frequency="weekly", day=7, time=datetime.time(18, 15), active=False,
        )  # fmt: skip
        task = PeriodicTask.objects.get(pk=task_id)
        assert changed.periodic_task_id == task_id and not task.enabled
        assert (task.crontab.minute, task.crontab.hour, task.crontab.day_of_week,
                task.crontab.day_of_month) == ("15", "18", "0", "*")  # fmt: skip
        quarterly = services.subscription_update(
            subscription=changed, by=executive, frequency="quarterly", day=5, active=True
        )
        assert quarterly.periodic_task.crontab.month_of_year == "1,4,7,10"
        services.subscription_delete(subscription=quarterly, by=executive)
        assert not PeriodicTask.objects.filter(pk=task_id).exists()

    def test_a_stale_edit_is_refused(self, executive, subscription):
        services.subscription_update(subscription=subscription, by=executive, name="New name",
                                     version=subscription.version)  # fmt: skip
        with pytest.raises(StaleVersionError):
            services.subscription_update(subscription=subscription, by=executive,
                                         name="Stale", version=subscription.version)  # fmt: skip
        assert ReportSubscription.objects.get().name == "New name"

    def test_only_subscribers_subscribe(self, pm):
        with pytest.raises(services.permissions.PermissionDenied):
            subscribe(pm)


class TestDelivery:
    def test_a_scheduled_tick_sends_one_email_to_each_recipient_with_the_pdf(
        self, subscription, renders
    ):
        tick = datetime.datetime(2026, 7, 1, 0, 0, tzinfo=UTC)  # 1 July 08:00 in Shanghai
        outcome = services.deliver_scheduled(subscription_id=subscription.pk, now=tick)
        assert outcome.state == "sent" and outcome.sent == 3
        assert recipients_of(mail.outbox) == ["board@example.org", "exec@example.com",
                                              "pm@example.com"]  # fmt: skip
        name, content, mimetype = mail.outbox[0].attachments[0]
        assert (name, mimetype) == ("executive-summary-2026-06-30.pdf", "application/pdf")
        assert content.startswith(b"%PDF")
        assert mail.outbox[0].subject == "Portfolio executive summary, June 2026"
        run = ReportRun.objects.get()
        assert (run.state, run.period_start, run.period_end, run.pages, run.size) == (
            "sent",
            datetime.date(2026, 6, 1),
            datetime.date(2026, 6, 30),
            1,
            len(content),
        )
        assert run.finished_at and run.duration is not None and run.attempts == 1
        assert run.file.read() == content
        assert renders[0]["period_end"] == datetime.date(2026, 6, 30)
        assert renders[0]["previous"] == datetime.date(2026, 5, 31)

    def test_a_duplicate_tick_sends_nothing_more(self, subscription, renders):
        tick = datetime.datetime(2026, 7, 1, 0, 0, tzinfo=UTC)
        services.deliver_scheduled(subscription_id=subscription.pk, now=tick)
        again = services.deliver_scheduled(subscription_id=subscription.pk, now=tick)
        later = services.deliver_scheduled(
            subscription_id=subscription.pk, now=tick + datetime.timedelta(days=3)
        )
        assert (again.state, again.sent, later.sent) == ("sent", 0, 0)
        assert len(mail.outbox) == 3 and ReportRun.objects.count() == 1 and len(renders) == 1

    def test_the_email_speaks_the_subscriptions_language(self, executive, renders):
        subscription = subscribe(executive, language="zh-hans")
        services.deliver_scheduled(subscription_id=subscription.pk,
                                   now=datetime.datetime(2026, 7, 1, 0, 0, tzinfo=UTC))  # fmt: skip
        message = mail.outbox[0]
        assert "2026年6月" in message.subject
        assert "附件" in message.body and renders[0]["language"] == "zh-hans"

    def test_the_scope_goes_to_the_renderer(self, executive, department, project, renders):
        portfolio = PortfolioFactory(name="Digital")
        subscription = subscribe(executive, portfolios=[portfolio], departments=[department],
                                 projects=[project])  # fmt: skip
        services.run_deliver(run_id=services.run_request(subscription=subscription,
                                                         by=executive).pk)  # fmt: skip
        scope = renders[0]["scope"]
        assert (scope.portfolio_ids, scope.department_ids, scope.project_ids) == (
            (portfolio.pk,),
            (department.pk,),
            (project.pk,),
        )

    def test_a_run_is_claimed_by_one_worker_only(self, subscription):
        run = services.run_request(subscription=subscription, by=subscription.owner)
        now = datetime.datetime.now(UTC)
        assert services.run_claim(run.pk, "worker-a", now)
        assert not services.run_claim(run.pk, "worker-b", now)
        # The first worker died: once its claim is older than the time limit it is taken over.
        later = now + services.lease() + datetime.timedelta(seconds=1)
        assert services.run_claim(run.pk, "worker-b", later)
        run.refresh_from_db()
        assert (run.claimed_by, run.attempts) == ("worker-b", 2)

    def test_a_run_stopped_at_the_time_limit_every_time_ends_failed(
        self, subscription, renders, settings
    ):
        settings.REPORT_DELIVERY_MAX_ATTEMPTS = 2
        run = services.run_request(subscription=subscription, by=subscription.owner)
        long_ago = datetime.datetime.now(UTC) - 2 * services.lease()
        for attempt in range(2):  # each worker killed at the time limit
            assert services.run_claim(run.pk, f"worker-{attempt}")
            ReportRun.objects.filter(pk=run.pk).update(claimed_at=long_ago)
        outcome = services.run_deliver(run_id=run.pk)
        run.refresh_from_db()
        assert outcome.state == run.state == "failed" and not mail.outbox
        assert "did not finish within" in run.error

    def test_a_run_is_queued_even_while_the_broker_is_away(
        self, subscription, monkeypatch, django_capture_on_commit_callbacks
    ):
        def broker_down(*args, **kwargs):
            raise ConnectionRefusedError(111, "Connection refused")

        monkeypatch.setattr(deliver_report_run, "delay", broker_down)
        with django_capture_on_commit_callbacks(execute=True):
            run = services.run_request(subscription=subscription, by=subscription.owner)
        assert ReportRun.objects.get(pk=run.pk).state == "queued"  # for the sweep to find

    def test_a_run_held_by_a_live_worker_is_left_to_it(self, subscription, renders):
        run = services.run_request(subscription=subscription, by=subscription.owner)
        services.run_claim(run.pk, "another-worker")
        with pytest.raises(services.RunBusy) as busy:
            services.run_deliver(run_id=run.pk)
        assert 0 < busy.value.retry_in <= services.lease().total_seconds() + 1
        assert not mail.outbox and not renders

    def test_a_retry_sends_only_to_the_recipients_not_reached(
        self, subscription, renders, monkeypatch
    ):
        """The mail server goes away after the first e-mail: the run waits in the queue with
        the error; the next attempt reuses the stored PDF and sends the two others."""
        original = mail.EmailMessage.send
        sent_before_failure = []

        def send_then_fail(message, *args, **kwargs):
            if sent_before_failure:
                raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed")
            sent_before_failure.append(message.to[0])
            return original(message, *args, **kwargs)

        monkeypatch.setattr(mail.EmailMessage, "send", send_then_fail)
        run = services.run_request(subscription=subscription, by=subscription.owner)
        with pytest.raises(services.TransientDeliveryError):
            services.run_deliver(run_id=run.pk)
        run.refresh_from_db()
        assert run.state == "queued" and "SMTPServerDisconnected" in run.error
        assert ReportDelivery.objects.filter(run=run).count() == 1 and len(mail.outbox) == 1

        monkeypatch.setattr(mail.EmailMessage, "send", original)
        outcome = services.run_deliver(run_id=run.pk)
        assert (outcome.state, outcome.sent) == ("sent", 2)
        assert recipients_of(mail.outbox) == ["board@example.org", "exec@example.com",
                                              "pm@example.com"]  # fmt: skip
        assert len(renders) == 1  # rendered once, read back from the storage on the retry
        run.refresh_from_db()
        assert (run.state, run.attempts, run.error) == ("sent", 2, "")

    def test_the_task_retries_a_passing_failure_until_it_is_sent(
        self, subscription, renders, monkeypatch, eager_retries
    ):
        original, failures = mail.EmailMessage.send, [1, 1]

        def flaky(message, *args, **kwargs):
            if failures:
                failures.pop()
                raise ConnectionRefusedError(111, "Connection refused")
            return original(message, *args, **kwargs)

        monkeypatch.setattr(mail.EmailMessage, "send", flaky)
        run = services.run_request(subscription=subscription, by=subscription.owner)
        assert deliver_report_run.delay(run.pk).get()["state"] == "sent"
        run.refresh_from_db()
        assert (run.state, run.attempts) == ("sent", 3) and len(mail.outbox) == 3

    def test_after_the_last_attempt_the_run_fails_with_its_error(
        self, subscription, renders, monkeypatch, settings, eager_retries
    ):
        settings.REPORT_DELIVERY_MAX_ATTEMPTS = 2

        def down(message, *args, **kwargs):
            raise ConnectionRefusedError(111, "Connection refused")

        monkeypatch.setattr(mail.EmailMessage, "send", down)
        run = services.run_request(subscription=subscription, by=subscription.owner)
        assert deliver_report_run.delay(run.pk).get()["state"] == "failed"
        run.refresh_from_db()
        assert (run.state, run.attempts) == ("failed", 2)
        assert "Connection refused" in run.error and run.finished_at

    def test_a_report_that_cannot_be_drawn_fails_at_once(self, subscription, monkeypatch):
        def broken(*args, **kwargs):
            raise ValueError("Unknown report type 'x'.")

        monkeypatch.setattr("reports.pdf.render", broken)
        run = services.run_request(subscription=subscription, by=subscription.owner)
        outcome = services.run_deliver(run_id=run.pk)
        run.refresh_from_db()
        assert outcome.state == run.state == "failed" and run.attempts == 1
        assert run.error == "ValueError: Unknown report type 'x'." and not mail.outbox

    def test_an_address_refused_for_good_is_not_tried_again(
        self, subscription, renders, monkeypatch
    ):
        original = mail.EmailMessage.send

        def refuse_board(message, *args, **kwargs):
            if message.to == ["board@example.org"]:
                raise smtplib.SMTPRecipientsRefused(
                    {"board@example.org": (550, b"5.1.1 No such user")}
                )
            return original(message, *args, **kwargs)

        monkeypatch.setattr(mail.EmailMessage, "send", refuse_board)
        run = services.run_request(subscription=subscription, by=subscription.owner)
        outcome = services.run_deliver(run_id=run.pk)
        run.refresh_from_db()
        assert (outcome.state, outcome.sent) == ("sent", 2)
        assert "board@example.org: 550 5.1.1 No such user" in run.error
        assert ReportRun.objects.for_list().get().reached == 2

    def test_nobody_to_send_to_is_a_failure(self, executive, renders):
        subscription = subscribe(executive)
        executive.email = ""
        executive.save()
        run = services.run_request(subscription=subscription, by=executive)
        assert services.run_deliver(run_id=run.pk).state == "failed"
        run.refresh_from_db()
        assert "no recipient" in run.error

    def test_a_paused_or_deleted_subscription_sends_nothing(self, subscription, renders):
        services.subscription_update(subscription=subscription, by=subscription.owner,
                                     active=False)  # fmt: skip
        assert deliver_scheduled_report.delay(subscription.pk).get()["state"] == "inactive"
        assert deliver_scheduled_report.delay(987654).get()["state"] == "inactive"
        assert not mail.outbox and not ReportRun.objects.exists()

    def test_stalled_runs_are_queued_again(self, subscription, renders, monkeypatch):
        """A worker died holding a run and its message went with it: the sweep queues it."""
        run = services.run_request(subscription=subscription, by=subscription.owner)
        services.run_claim(run.pk, "a-worker-that-died")
        queued = []
        later = datetime.datetime.now(UTC) + services.lease() + datetime.timedelta(seconds=5)
        with monkeypatch.context() as patch:
            patch.setattr(deliver_report_run, "delay", queued.append)
            assert services.runs_requeue_stalled() == 0  # its claim is still fresh
            assert services.runs_requeue_stalled(now=later) == 1 and queued == [run.pk]
        ReportRun.objects.filter(pk=run.pk).update(claimed_at=later - 3 * services.lease())
        assert services.runs_requeue_stalled() == 1
        run.refresh_from_db()
        assert run.state == "sent" and len(mail.outbox) == 3

    def test_deleting_a_subscription_removes_its_stored_reports(self, subscription, renders):
        run = services.run_request(subscription=subscription, by=subscription.owner)
        services.run_deliver(run_id=run.pk)
        run.refresh_from_db()
        storage, name = run.file.storage, run.file.name
        assert storage.exists(name)
        services.subscription_delete(subscription=subscription, by=subscription.owner)
        assert not storage.exists(name) and not ReportRun.objects.exists()


@pytest.mark.services
@pytest.mark.django_db(transaction=True)
def test_two_workers_at_once_send_each_email_once(executive, pm, monkeypatch, settings, tmp_path):
    """Two workers get the same run at the same moment (a duplicate message): one claims it,
    the other is told it is busy; each recipient gets one e-mail."""
    settings.MEDIA_ROOT = tmp_path
    start = threading.Barrier(2)

    def render(*args, **kwargs):
        return RenderedReport(small_pdf(), 1, "Portfolio executive summary")

    monkeypatch.setattr("reports.pdf.render", render)
    original_claim = services.run_claim

    def claim_together(*args, **kwargs):
        start.wait(timeout=10)
        return original_claim(*args, **kwargs)

    monkeypatch.setattr(services, "run_claim", claim_together)
    subscription = subscribe(executive, recipients=[executive, pm])
    run = ReportRun.objects.create(
        subscription=subscription, period_start=datetime.date(2026, 6, 1),
        period_end=datetime.date(2026, 6, 30),
    )  # fmt: skip
    outcomes = []

    def worker():
        try:
            outcomes.append(services.run_deliver(run_id=run.pk).state)
        except services.RunBusy:
            outcomes.append("busy")
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["busy", "sent"]
    assert recipients_of(mail.outbox) == ["exec@example.com", "pm@example.com"]
    assert UserFactory._meta.model.objects.count() == 2
