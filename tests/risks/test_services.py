"""The risk services: who may write, the matrix re-levelling risks, the once-a-day digest, the
lesson search and exposure over time."""

import datetime
from decimal import Decimal

import pytest
from dateutil.relativedelta import relativedelta
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.utils import timezone

from projects.models import ExchangeRate
from risks.figures import exchange_rates, exposure_over_time
from risks.models import DigestRun, Lesson, Risk
from risks.services import config, digest
from risks.services import register as services
from risks.services.lessons import lesson_save, search_lessons
from risks.tasks import send_risk_review_digests
from tests.factories import ProjectFactory
from tests.risks.factories import RiskActionFactory, RiskCategory, RiskFactory, RiskResponseFactory

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()
YESTERDAY = TODAY - datetime.timedelta(days=1)


def new_risk_fields(**overrides) -> dict:
    fields = {
        "title": "Key engineer leaves",
        "category": RiskCategory.objects.get(code="ORG-RES"),
        "probability": 2,
        "impact": 3,
        "probability_percent": Decimal(20),
        "cost_min": Decimal(1000),
        "cost_likely": Decimal(2000),
        "cost_max": Decimal(3000),
        "distribution": "triangular",
    }
    return {**fields, **overrides}


class TestWhoWrites:
    def test_a_project_manager_logs_risks_on_their_project_only(self, pm, project, others_project):
        risk = services.risk_create(by=pm, project=project, owner=pm, **new_risk_fields())
        assert risk.currency == project.currency and risk.emv == Decimal("400.00")
        with pytest.raises(PermissionDenied):
            services.risk_create(by=pm, project=others_project, owner=pm, **new_risk_fields())
        with pytest.raises(PermissionDenied):
            services.risk_create(by=pm, project=None, owner=pm, **new_risk_fields())

    def test_the_pmo_logs_enterprise_risks_and_executives_nothing(self, pmo, executive):
        risk = services.risk_create(by=pmo, owner=pmo, **new_risk_fields())
        assert risk.scope_label == "Enterprise"
        with pytest.raises(PermissionDenied):
            services.risk_create(by=executive, owner=executive, **new_risk_fields())

    def test_an_executive_cannot_change_a_risk_they_do_not_own(self, executive, pm, project):
        risk = RiskFactory(project=project, owner=pm)
        with pytest.raises(PermissionDenied):
            services.risk_update(risk=risk, by=executive, title="Mine now")

    def test_every_score_change_is_kept(self, pm, project):
        risk = RiskFactory(project=project, owner=pm, probability=2, impact=2)
        services.risk_update(risk=risk, by=pm, probability=4)
        services.risk_update(risk=risk, by=pm, residual_impact=1)
        scores = list(
            risk.history.order_by("history_date").values_list("inherent_score", "residual_score")
        )
        assert scores == [(4, 4), (8, 4), (8, 2)]


class TestMatrix:
    def test_changing_a_cell_re_levels_the_risks_in_it(self, pmo, pm, project):
        risk = RiskFactory(project=project, owner=pm, probability=1, impact=5)
        assert risk.residual_level == "medium"
        changed = config.matrix_set(by=pmo, levels={(1, 5): "high"})
        risk.refresh_from_db()
        assert (risk.inherent_level, risk.residual_level) == ("high", "high")
        assert changed == 2

    def test_only_the_pmo_configures(self, pm):
        with pytest.raises(PermissionDenied):
            config.matrix_set(by=pm, levels={(1, 1): "critical"})


@pytest.fixture
def overdue_work(pm, other_pm, project):
    RiskFactory(project=project, owner=pm, next_review=YESTERDAY, title="Overdue one")
    RiskFactory(project=project, owner=pm, next_review=TODAY + datetime.timedelta(days=3))
    RiskActionFactory(
        response=RiskResponseFactory(risk=RiskFactory(project=project, owner=other_pm)),
        owner=other_pm, due=YESTERDAY - datetime.timedelta(days=2),
    )  # fmt: skip


class TestDigest:
    def test_each_owner_gets_one_digest_of_their_overdue_work(
        self, pm, other_pm, overdue_work, mailoutbox
    ):
        assert send_risk_review_digests.delay().get() == 2
        by_recipient = {message.to[0]: message for message in mailoutbox}
        assert set(by_recipient) == {pm.email, other_pm.email}
        assert "Overdue one" in by_recipient[pm.email].body
        assert "1 overdue risk reviews and 0 overdue actions" in by_recipient[pm.email].subject
        assert (
            "0 overdue risk reviews and 1 overdue actions" in by_recipient[other_pm.email].subject
        )

    def test_beat_firing_twice_sends_each_digest_once(self, overdue_work, mailoutbox):
        first = digest.send_review_digests()
        second = digest.send_review_digests()
        assert (first.sent, second.sent, second.skipped) == (2, 0, 2)
        assert len(mailoutbox) == 2
        assert DigestRun.objects.filter(sent_at__isnull=False).count() == 2

    def test_a_digest_claimed_by_another_worker_is_not_sent_again(
        self, pm, overdue_work, mailoutbox
    ):
        DigestRun.objects.create(owner=pm, period=TODAY, claimed_at=timezone.now())
        outcome = digest.send_review_digests()
        assert outcome.skipped == 1 and [m.to for m in mailoutbox] != [[pm.email]]
        assert pm.email not in {message.to[0] for message in mailoutbox}

    def test_a_claim_left_by_a_worker_that_died_is_taken_again(self, pm, overdue_work, mailoutbox):
        long_ago = timezone.now() - datetime.timedelta(hours=2)
        DigestRun.objects.create(owner=pm, period=TODAY, claimed_at=long_ago)
        digest.send_review_digests()
        assert pm.email in {message.to[0] for message in mailoutbox}

    def test_the_next_day_brings_a_new_digest(self, overdue_work, mailoutbox):
        digest.send_review_digests(today=TODAY)
        digest.send_review_digests(today=TODAY + datetime.timedelta(days=1))
        assert len(mailoutbox) == 4

    def test_the_digest_is_scheduled_daily(self):
        from django_celery_beat.models import PeriodicTask

        task = PeriodicTask.objects.get(task="risks.tasks.send_risk_review_digests")
        assert task.crontab.hour == "7" and task.enabled


class TestLessons:
    def test_words_are_found_in_any_field(self, pm, project):
        lesson_save(by=pm, project=project, title="Vendor slipped", what_happened="Late parts.",
                    recommendation="Penalties in contracts.", tags="procurement")  # fmt: skip
        lesson_save(by=pm, project=project, title="Tests too late", what_happened="Defects.",
                    recommendation="Automate regression tests.")  # fmt: skip
        found = search_lessons(Lesson.objects.all(), "contracts")
        assert [lesson.title for lesson in found] == ["Vendor slipped"]
        assert list(search_lessons(Lesson.objects.all(), "procurement vendor"))
        assert not list(search_lessons(Lesson.objects.all(), "procurement defects"))

    @pytest.mark.skipif(connection.vendor != "postgresql", reason="full text needs PostgreSQL")
    def test_full_text_matches_other_forms_of_a_word_best_first(self, pm, project):
        lesson_save(by=pm, project=project, title="Delays in testing", what_happened="x",
                    recommendation="y")  # fmt: skip
        lesson_save(by=pm, project=project, title="Budget", what_happened="The vendor delayed.",
                    recommendation="z")  # fmt: skip
        found = [lesson.title for lesson in search_lessons(Lesson.objects.all(), "delay")]
        assert found == ["Delays in testing", "Budget"]  # the title weighs more


class TestExposureOverTime:
    def test_exposure_is_replayed_from_the_history(self, pm, project):
        risk = RiskFactory(project=project, owner=pm, probability=4, impact=4,
                           probability_percent=Decimal(50), cost_min=Decimal(100),
                           cost_likely=Decimal(100), cost_max=Decimal(100))  # fmt: skip
        points = exposure_over_time(Risk.objects.all(), exchange_rates())
        assert len(points) == 12
        assert (points[-1].active_count, points[-1].severe_count) == (1, 1)
        assert points[-1].threat_emv == Decimal("50.00")
        assert points[0].active_count == 0  # it did not exist a year ago
        services.risk_update(risk=risk, by=pm, status="closed")
        assert exposure_over_time(Risk.objects.all(), exchange_rates())[-1].active_count == 0

    def test_each_months_end_counts_the_records_that_held_then(self, pm, project):
        """A high threat (EMV 50 CNY) from 5 months ago until it closed 2 months ago; a medium
        opportunity from 10 months ago, critical since a month ago; a low threat in USD (EMV 100
        USD at 7.1) from 3 months ago. Points are oldest first: index 11 is this month."""

        def mid_month(months_ago: int) -> datetime.datetime:
            day = TODAY.replace(day=1) - relativedelta(months=months_ago) + relativedelta(days=14)
            return datetime.datetime.combine(
                day, datetime.time(12), timezone.get_current_timezone()
            )

        def dated(risk, *months_ago):
            records = risk.history.order_by("history_date", "history_id")
            for record, months in zip(records, months_ago, strict=True):
                Risk.history.filter(history_id=record.history_id).update(
                    history_date=mid_month(months)
                )

        ExchangeRate.objects.create(currency="USD", rate=Decimal("7.1"))
        dollars = ProjectFactory(manager=pm, currency="USD")
        closed = RiskFactory(project=project, owner=pm, probability=4, impact=4,
                             probability_percent=Decimal(50), cost_min=Decimal(100),
                             cost_likely=Decimal(100), cost_max=Decimal(100))  # fmt: skip
        services.risk_update(risk=closed, by=pm, status="closed")
        dated(closed, 5, 2)
        opportunity = RiskFactory(project=project, owner=pm, kind="opportunity", probability=2,
                                  impact=3)  # fmt: skip
        services.risk_update(risk=opportunity, by=pm, probability=5, impact=5,
                             residual_probability=5, residual_impact=5)  # fmt: skip
        dated(opportunity, 10, 1)
        RiskFactory(project=dollars, owner=pm, probability=1, impact=2,
                    probability_percent=Decimal(10), cost_min=Decimal(1000),
                    cost_likely=Decimal(1000), cost_max=Decimal(1000))  # fmt: skip
        dated(Risk.objects.get(project=dollars), 3)

        points = exposure_over_time(Risk.objects.all(), exchange_rates(), today=TODAY)

        assert [point.active_count for point in points] == [0, 1, 1, 1, 1, 1, 2, 2, 3, 2, 2, 2]
        assert [point.severe_count for point in points] == [0, 0, 0, 0, 0, 0, 1, 1, 1, 0, 1, 1]
        assert [point.threat_emv for point in points] == [0] * 6 + [50, 50, 760, 710, 710, 710]
        assert points[-1].month_end == TODAY
        assert points[0].month_end == TODAY.replace(day=1) - relativedelta(months=10, days=1)

    def test_the_exposure_page_shows_a_change_at_once(self, client, pm, project):
        risk = RiskFactory(project=project, owner=pm)
        client.force_login(pm)
        assert client.get("/risks/exposure/").context["points"][-1].active_count == 1
        opportunities = client.get("/risks/exposure/?kind=opportunity")
        assert opportunities.context["points"][-1].active_count == 0  # each filter its figures
        services.risk_update(risk=risk, by=pm, status="closed")
        assert client.get("/risks/exposure/").context["points"][-1].active_count == 0
