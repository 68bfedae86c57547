"""Executive report pages for every persona: subscriptions are their subscriber's, reports
sent are seen by the subscriber, the recipients and PMO staff; forged ids answer 404. The forms'
refusals, "Send now" and query counts that do not grow with the rows."""

import datetime

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django_celery_beat.models import PeriodicTask

from reports import urls as report_urls
from reports.models import ReportRun, ReportSubscription
from reports.services import executive as services
from tests.factories import UserFactory
from tests.permission_matrix import (
    LOGIN,
    PERSONAS,
    POST_ONLY,
    READ,
    check_page,
    check_refused_post,
    refused,
    resolver_patterns,
)
from tests.reports.test_executive_services import subscribe, use_fake_renderer

pytestmark = pytest.mark.django_db

# Subscribers (executives and PMO staff); PMO admins act on every subscription.
SUBSCRIBERS = [LOGIN, 200, 403, 200, 403, 200]
SUBSCRIBER_AND_ADMIN = [LOGIN, 200, 404, 404, 404, 200]
ADMIN_ONLY = [LOGIN, 404, 404, 404, 404, 200]
NOT_FOUND = [LOGIN, 404, 404, 404, 404, 404]

# url -> expected status of a GET per persona (same order as PERSONAS). {sub} is `exec`'s
# subscription, with `pm` among its recipients; {run} a report it sent, {failed} one that failed.
# {other_sub} is another executive's subscription.
MATRIX = {
    "/reports/executive/": READ,
    "/reports/executive/runs/{run}/download/": [LOGIN, 200, 200, 200, 404, 200],
    "/reports/executive/runs/{failed}/download/": NOT_FOUND,
    "/reports/executive/runs/999999/download/": NOT_FOUND,
    "/reports/executive/subscriptions/": SUBSCRIBERS,
    "/reports/executive/subscriptions/new/": SUBSCRIBERS,
    "/reports/executive/subscriptions/{sub}/": SUBSCRIBER_AND_ADMIN,
    "/reports/executive/subscriptions/{other_sub}/": ADMIN_ONLY,
    "/reports/executive/subscriptions/999999/": NOT_FOUND,
    "/reports/executive/subscriptions/{sub}/delete/": SUBSCRIBER_AND_ADMIN,
    "/reports/executive/subscriptions/{other_sub}/delete/": ADMIN_ONLY,
    "/reports/executive/subscriptions/{sub}/preview/": SUBSCRIBER_AND_ADMIN,
    "/reports/executive/subscriptions/{other_sub}/preview/": ADMIN_ONLY,
    "/reports/executive/subscriptions/{sub}/send/": POST_ONLY,
}

# Resolver patterns of the executive reports and the matrix rows that cover them.
PATTERN_ROWS = {
    "reports/executive/": "/reports/executive/",
    "reports/executive/runs/<int:pk>/download/": "/reports/executive/runs/{run}/download/",
    "reports/executive/subscriptions/": "/reports/executive/subscriptions/",
    "reports/executive/subscriptions/new/": "/reports/executive/subscriptions/new/",
    "reports/executive/subscriptions/<int:pk>/": "/reports/executive/subscriptions/{sub}/",
    "reports/executive/subscriptions/<int:pk>/delete/":
        "/reports/executive/subscriptions/{sub}/delete/",
    "reports/executive/subscriptions/<int:pk>/preview/":
        "/reports/executive/subscriptions/{sub}/preview/",
    "reports/executive/subscriptions/<int:pk>/send/":
        "/reports/executive/subscriptions/{sub}/send/",
}  # fmt: skip


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def renders(monkeypatch):
    return use_fake_renderer(monkeypatch)


@pytest.fixture
def personas(executive, pm, pmo, resource_manager):
    return {"executive": executive, "pm": pm, "pmo": pmo, "resource_manager": resource_manager}


@pytest.fixture
def subscription(executive, pm):
    return subscribe(executive, recipients=[executive, pm])


@pytest.fixture
def sent_run(subscription, renders):
    run = services.run_request(subscription=subscription, by=subscription.owner)
    services.run_deliver(run_id=run.pk)
    return ReportRun.objects.get(pk=run.pk)


@pytest.fixture
def failed_run(subscription):
    return ReportRun.objects.create(
        subscription=subscription, trigger="manual", period_start=datetime.date(2026, 5, 1),
        period_end=datetime.date(2026, 5, 31), state="failed",
        finished_at=datetime.datetime(2026, 6, 1, tzinfo=datetime.UTC),
        error="SMTPServerDisconnected: Connection unexpectedly closed",
    )  # fmt: skip


def form_data(**changes) -> dict:
    data = {"name": "Monthly portfolio report", "report_type": "executive_summary",
            "language": "zh-hans", "frequency": "monthly", "day": "1", "time": "07:00",
            "timezone": "Asia/Shanghai", "active": "on", "extra_recipients": "",
            "project_codes": ""}  # fmt: skip
    data.update(changes)
    return {name: value for name, value in data.items() if value is not None}


class TestPermissions:
    def test_every_pattern_is_in_the_matrix(self):
        patterns = set(resolver_patterns(report_urls.urlpatterns, "reports/"))
        assert {p for p in patterns if p.startswith("reports/executive/")} == set(PATTERN_ROWS)
        assert set(PATTERN_ROWS.values()) <= set(MATRIX)

    @pytest.mark.parametrize("url_template", list(MATRIX))
    @pytest.mark.parametrize("persona", PERSONAS)
    def test_each_persona_gets_the_expected_status(
        self, client, request, subscription, sent_run, failed_run, url_template, persona
    ):
        other = subscribe(UserFactory(username="cfo", roles=["executive"]), name="CFO pack")
        check_page(
            client, request, MATRIX, url_template, persona, sub=subscription.pk,
            other_sub=other.pk, run=sent_run.pk, failed=failed_run.pk,
        )  # fmt: skip

    @pytest.mark.parametrize(("url_template", "persona"), refused(MATRIX))
    def test_a_persona_refused_a_page_is_refused_by_post_too(
        self, client, request, subscription, sent_run, failed_run, url_template, persona
    ):
        other = subscribe(UserFactory(username="cfo", roles=["executive"]), name="CFO pack")
        check_refused_post(
            client, request, MATRIX, url_template, persona, sub=subscription.pk,
            other_sub=other.pk, run=sent_run.pk, failed=failed_run.pk,
        )  # fmt: skip

    def test_the_archive_lists_only_what_each_may_see(
        self, client, personas, sent_run, failed_run, resource_manager
    ):
        other = subscribe(UserFactory(username="cfo", roles=["executive"]), name="CFO pack")
        ReportRun.objects.create(subscription=other, period_start=datetime.date(2026, 5, 1),
                                 period_end=datetime.date(2026, 5, 31))  # fmt: skip
        seen = {}
        for persona in ("executive", "pm", "pmo", "resource_manager"):
            client.force_login(personas[persona])
            page = client.get("/reports/executive/").context["page_obj"]
            seen[persona] = sorted(run.subscription.name for run in page.object_list)
        mine = ["Monthly portfolio report"] * 2
        assert seen == {"executive": mine, "pm": mine, "pmo": sorted([*mine, "CFO pack"]),
                        "resource_manager": []}  # fmt: skip

    def test_a_recipient_reached_keeps_the_report_after_leaving_the_list(
        self, client, pm, subscription, sent_run
    ):
        subscription.recipients.remove(pm)
        client.force_login(pm)
        assert client.get(f"/reports/executive/runs/{sent_run.pk}/download/").status_code == 200

    def test_nobody_sends_or_deletes_someone_elses_subscription(
        self, client, personas, subscription
    ):
        for persona in ("pm", "pmo", "resource_manager"):
            client.force_login(personas[persona])
            send = client.post(f"/reports/executive/subscriptions/{subscription.pk}/send/")
            delete = client.post(f"/reports/executive/subscriptions/{subscription.pk}/delete/")
            assert (send.status_code, delete.status_code) == (404, 404)
        assert ReportSubscription.objects.exists() and not ReportRun.objects.exists()

    def test_a_pmo_admin_may_act_on_any_subscription(self, client, pmo_admin, subscription):
        client.force_login(pmo_admin)
        assert client.get(f"/reports/executive/subscriptions/{subscription.pk}/").status_code == 200


class TestSubscribing:
    def test_an_executive_subscribes_in_chinese(self, client, executive, pm):
        client.force_login(executive)
        response = client.post(
            "/reports/executive/subscriptions/new/",
            form_data(recipients=[executive.pk, pm.pk], extra_recipients="board@example.org"),
        )
        assert response.status_code == 302
        subscription = ReportSubscription.objects.get()
        assert (subscription.owner, subscription.language, str(subscription.zone)) == (
            executive,
            "zh-hans",
            "Asia/Shanghai",
        )
        assert subscription.periodic_task.enabled
        listing = client.get(response["Location"]).content.decode()
        assert "Monthly on day 1 at 07:00 (Asia/Shanghai)" in listing

    @pytest.mark.parametrize(
        ("changes", "field", "message"),
        [
            ({"extra_recipients": "board@example.org\nnot-an-address"}, "extra_recipients",
             "These are not e-mail addresses: not-an-address"),
            ({"frequency": "weekly", "day": "9"}, "day", "1 (Monday) to 7 (Sunday)"),
            ({"day": "31"}, "day", "less than or equal to 28"),
            ({"project_codes": "PRJ-00001, PRJ-NOPE"}, "project_codes",
             "No project has these codes: PRJ-NOPE"),
            ({"timezone": "Mars/Olympus"}, "timezone", "Select a valid choice"),
            ({"recipients": None}, "recipients", "at least one recipient"),
        ],
    )  # fmt: skip
    def test_bad_input_is_refused_next_to_its_field(
        self, client, executive, project, changes, field, message
    ):
        client.force_login(executive)
        data = form_data(recipients=[executive.pk])
        data.update(changes)
        response = client.post("/reports/executive/subscriptions/new/",
                               {k: v for k, v in data.items() if v is not None})  # fmt: skip
        assert response.status_code == 200
        assert message in " ".join(response.context["form"].errors[field])
        assert not ReportSubscription.objects.exists()

    def test_project_codes_name_the_projects(self, client, executive, project):
        client.force_login(executive)
        client.post("/reports/executive/subscriptions/new/",
                    form_data(recipients=[executive.pk], project_codes="prj-00001"))  # fmt: skip
        assert list(ReportSubscription.objects.get().projects.all()) == [project]

    def test_a_stale_edit_is_refused_and_nothing_is_saved(self, client, executive, subscription):
        client.force_login(executive)
        url = f"/reports/executive/subscriptions/{subscription.pk}/"
        first = form_data(name="First", recipients=[executive.pk], version=subscription.version)
        second = form_data(name="Second", recipients=[executive.pk], version=subscription.version)
        assert client.post(url, first).status_code == 302
        response = client.post(url, second)
        assert "Someone else changed this subscription" in response.content.decode()
        assert ReportSubscription.objects.get().name == "First"

    def test_deleting_asks_first_then_removes_the_schedule(self, client, executive, subscription):
        client.force_login(executive)
        url = f"/reports/executive/subscriptions/{subscription.pk}/delete/"
        assert "Delete subscription" in client.get(url).content.decode()
        assert client.post(url).status_code == 302
        assert not ReportSubscription.objects.exists()


class TestPreviewAndSendNow:
    def test_preview_shows_the_pdf_in_the_browser(self, client, executive, subscription, renders):
        client.force_login(executive)
        response = client.get(f"/reports/executive/subscriptions/{subscription.pk}/preview/")
        assert response["Content-Type"] == "application/pdf"
        assert response["Content-Disposition"].startswith("inline")
        assert response.content.startswith(b"%PDF") and not ReportRun.objects.exists()

    def test_send_now_delivers_one_email_each_and_lists_it(
        self, client, executive, subscription, renders, django_capture_on_commit_callbacks
    ):
        client.force_login(executive)
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(f"/reports/executive/subscriptions/{subscription.pk}/send/")
        assert response.status_code == 302
        assert sorted(m.to[0] for m in mail.outbox) == ["exec@example.com", "pm@example.com"]
        run = ReportRun.objects.get()
        assert (run.trigger, run.state, run.requested_by) == ("manual", "sent", executive)
        archive = client.get(response["Location"]).content.decode()
        assert "Sent on request" in archive and f"/reports/executive/runs/{run.pk}/download/" in (
            archive
        )
        download = client.get(f"/reports/executive/runs/{run.pk}/download/")
        assert download["Content-Disposition"].startswith("attachment")
        assert b"".join(download.streaming_content).startswith(b"%PDF")

    def test_the_archive_refreshes_itself_while_a_report_is_on_its_way(
        self, client, executive, subscription, renders
    ):
        client.force_login(executive)
        run = services.run_request(subscription=subscription, by=executive)
        assert 'hx-trigger="every 3s"' in client.get("/reports/executive/").content.decode()
        services.run_deliver(run_id=run.pk)
        assert "hx-trigger" not in client.get("/reports/executive/").content.decode()

    def test_a_failure_shows_in_the_archive_with_its_error(self, client, pmo, failed_run, renders):
        client.force_login(pmo)
        body = client.get("/reports/executive/?state=failed").content.decode()
        assert "Failed" in body and "SMTPServerDisconnected: Connection unexpectedly closed" in body


def _runs(subscription, count: int) -> None:
    ReportRun.objects.bulk_create(
        ReportRun(subscription=subscription, trigger="manual", state="sent",
                  period_start=datetime.date(2026, 5, 1), period_end=datetime.date(2026, 5, 31),
                  finished_at=datetime.datetime(2026, 6, 1, tzinfo=datetime.UTC),
                  pages=12, size=250_000, file="reports/executive/x.pdf")
        for _ in range(count)
    )  # fmt: skip


def _subscriptions(owner, count: int) -> None:
    for number in range(count):
        subscribe(owner, name=f"Report {number}")


@pytest.mark.parametrize("persona", ["executive", "pm"])
def test_the_archive_costs_the_same_queries_at_3_and_30_reports(
    client, personas, subscription, persona
):
    client.force_login(personas[persona])
    _runs(subscription, 3)
    with CaptureQueriesContext(connection) as few:
        client.get("/reports/executive/")
    _runs(subscription, 27)
    with CaptureQueriesContext(connection) as many:
        response = client.get("/reports/executive/")
    assert len(response.context["page_obj"].object_list) == 25
    assert len(many) == len(few)


def test_the_subscription_list_costs_the_same_queries_at_3_and_30(client, executive):
    client.force_login(executive)
    _subscriptions(executive, 3)
    with CaptureQueriesContext(connection) as few:
        client.get("/reports/executive/subscriptions/")
    _subscriptions(executive, 27)
    with CaptureQueriesContext(connection) as many:
        response = client.get("/reports/executive/subscriptions/")
    assert len(response.context["rows"]) == 30
    assert len(many) == len(few)


class TestAdmin:
    def test_admins_see_subscriptions_and_runs_with_their_errors(
        self, client, pmo_admin, sent_run, failed_run, verified_login
    ):
        verified_login(client, pmo_admin)
        assert client.get("/admin/reports/reportsubscription/").status_code == 200
        runs = client.get("/admin/reports/reportrun/?state__exact=failed").content.decode()
        assert "SMTPServerDisconnected" in runs
        detail = client.get(f"/admin/reports/reportrun/{sent_run.pk}/change/")
        assert detail.status_code == 200 and "exec@example.com" in detail.content.decode()
        assert client.get("/admin/reports/reportrun/add/").status_code == 403

    def test_a_change_in_the_admin_moves_the_schedule_entry(
        self, client, pmo_admin, executive, subscription, verified_login
    ):
        verified_login(client, pmo_admin)
        data = {
            "owner": executive.pk, "name": subscription.name, "report_type": "risk",
            "language": "en", "recipients": [executive.pk], "extra_recipients": "",
            "frequency": "weekly", "day": "5", "time": "18:30", "timezone": "Europe/London",
            "active": "on",
        }  # fmt: skip
        response = client.post(f"/admin/reports/reportsubscription/{subscription.pk}/change/", data)
        assert response.status_code == 302
        crontab = ReportSubscription.objects.get().periodic_task.crontab
        assert (crontab.minute, crontab.hour, crontab.day_of_week, str(crontab.timezone)) == (
            "30",
            "18",
            "5",
            "Europe/London",
        )

    def test_deleting_in_the_admin_removes_the_schedule_entry(
        self, client, pmo_admin, subscription, verified_login
    ):
        verified_login(client, pmo_admin)
        task_id = subscription.periodic_task_id
        client.post(f"/admin/reports/reportsubscription/{subscription.pk}/delete/", {"post": "yes"})
        assert not ReportSubscription.objects.exists()
        assert not PeriodicTask.objects.filter(pk=task_id).exists()

    def test_a_failed_run_is_queued_again_and_sent(
        self,
        client,
        pmo_admin,
        failed_run,
        renders,
        django_capture_on_commit_callbacks,
        verified_login,
    ):
        verified_login(client, pmo_admin)
        with django_capture_on_commit_callbacks(execute=True):
            client.post("/admin/reports/reportrun/",
                        {"action": "queue_again", "_selected_action": [failed_run.pk]})  # fmt: skip
        failed_run.refresh_from_db()
        assert failed_run.state == "sent" and len(mail.outbox) == 2
