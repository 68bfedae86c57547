"""PMO effectiveness by quarter against target, on a small worked example."""

import datetime
import itertools
from decimal import Decimal

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from reports.effectiveness import effectiveness_report, recent_quarters
from reports.models import EffectivenessTarget
from resources.models import ActualCost
from tests.factories import ProjectFactory
from tests.reports.factories import closure_survey, period_of, published_report

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
QUARTER_START = recent_quarters(TODAY)[-1].start


CODES = itertools.count(1)


def closed(project_type, department, *, end, budget=100000, baseline_end=None, spent=0):
    project = ProjectFactory(
        code=f"CLS-{next(CODES):05d}",
        project_type=project_type, department=department, status="closed", budget=budget,
        planned_start=datetime.date(2026, 1, 1), planned_end=baseline_end or end,
        actual_start=datetime.date(2026, 1, 1), actual_end=end,
    )  # fmt: skip
    if spent:
        ActualCost.objects.create(
            project=project, category="labour", period=datetime.date(2026, 2, 1),
            amount=Decimal(spent),
        )  # fmt: skip
    return project


def row(report, metric):
    return next(r for r in report.rows if r.metric == metric)


def test_quarters_run_back_from_the_current_one():
    quarters = recent_quarters(datetime.date(2026, 11, 27))
    assert [str(q) for q in quarters] == ["2026 Q1", "2026 Q2", "2026 Q3", "2026 Q4"]
    assert quarters[-1].end == datetime.date(2026, 12, 31)
    assert str(recent_quarters(datetime.date(2026, 2, 1))[0]) == "2025 Q2"


def test_closed_projects_measure_the_success_rate_against_target(
    pmo, project_type, department, weekly, last_week
):
    end = QUARTER_START + datetime.timedelta(days=5)
    # On time, on budget, on scope: a success.
    good = closed(project_type, department, end=end, spent=90000)
    closure_survey(good, pmo, satisfaction=5, value="300000")
    # Late (ended after its planned end) and over budget.
    late = closed(project_type, department, end=end, baseline_end=end - datetime.timedelta(days=30),
                  spent=120000)  # fmt: skip
    closure_survey(late, pmo, satisfaction=3, on_scope=False, value="60000")
    EffectivenessTarget.objects.create(metric="success_rate", target=Decimal(60))
    EffectivenessTarget.objects.create(metric="satisfaction", target=Decimal(4))
    published_report(weekly, last_week, cpi="0.90", spi="1.10", on_time=False)

    report = effectiveness_report(TODAY)
    success = row(report, "success_rate")
    assert success.values[-1] == Decimal("50.0")
    assert success.cells[-1]["met"] is False  # 50% against a target of 60%
    assert row(report, "on_time").values[-1] == Decimal("50.0")
    assert row(report, "satisfaction").values[-1] == Decimal("4.0")
    assert row(report, "satisfaction").cells[-1]["met"] is True
    assert row(report, "timeliness").values[-1] == Decimal("0.0")
    assert report.closed_counts[-1] == 2
    if last_week.end >= QUARTER_START:
        assert row(report, "average_cpi").values[-1] == Decimal("0.90")
    # Value for cost: (300,000 + 60,000) / (90,000 + 120,000) for their one type.
    assert report.by_type[0].value_per_cost == Decimal("1.71")


def test_the_page_shows_the_quarter_against_target(client, executive, project_type, department):
    closed(project_type, department, end=QUARTER_START + datetime.timedelta(days=1))
    EffectivenessTarget.objects.create(metric="on_time", target=Decimal(80))
    client.force_login(executive)
    body = client.get("/reports/effectiveness/").content.decode()
    assert 'id="metric-on_time"' in body and "meets the target" in body


@pytest.mark.parametrize("rows", [3, 30])
def test_query_count_does_not_grow_with_closed_projects(
    client, pmo, project_type, department, rows
):
    for number in range(rows):
        project = closed(project_type, department, end=QUARTER_START, spent=1000 + number)
        closure_survey(project, pmo)
        published_report(project, period_of("weekly", QUARTER_START), latest=False)
    client.force_login(pmo)
    client.get("/reports/effectiveness/")
    cache.clear()  # as on the first view after a change: the figures are worked out again
    with CaptureQueriesContext(connection) as first:
        client.get("/reports/effectiveness/")
    with CaptureQueriesContext(connection) as cached:
        client.get("/reports/effectiveness/")
    assert (len(first), len(cached)) == (14, 5), [q["sql"] for q in first.captured_queries]
