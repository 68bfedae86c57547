import datetime

import pytest
from django.utils import timezone

from tests.reports.factories import period_of, schedule

TODAY = timezone.localdate()


@pytest.fixture
def last_week(db):
    """Last week's period: ended, its report due in a day or two (or overdue)."""
    return period_of("weekly", TODAY - datetime.timedelta(days=7))


@pytest.fixture
def two_weeks_ago(db):
    return period_of("weekly", TODAY - datetime.timedelta(days=14))


@pytest.fixture
def last_month(db):
    return period_of("monthly", TODAY.replace(day=1) - datetime.timedelta(days=1))


@pytest.fixture
def weekly(project):
    """`pm`'s project, reporting weekly."""
    schedule(project, "weekly")
    return project


@pytest.fixture
def personas(executive, pm, other_pm, pmo, resource_manager):
    return {
        "executive": executive, "pm": pm, "other_pm": other_pm, "pmo": pmo,
        "resource_manager": resource_manager,
    }  # fmt: skip
