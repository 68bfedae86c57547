"""factory_boy factories and builders for the portfolio area's tests."""

import datetime
import itertools
from decimal import Decimal

import factory
from django.utils import timezone

from portfolio.models import (
    Criterion,
    CriterionLevel,
    Portfolio,
    PortfolioProject,
    Programme,
    Score,
    StrategicObjective,
)
from portfolio.services.ranking import rankings_recompute
from tests.factories import ProjectFactory, UserFactory

PERIOD = 2026


class PortfolioFactory(factory.django.DjangoModelFactory):
    """A portfolio with its tree path set (under `parent` when given)."""

    class Meta:
        model = Portfolio
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Portfolio {n}")
    parent = None
    path = "/"

    @factory.post_generation
    def set_path(self, create, extracted, **kwargs):
        if create:
            self.path = f"{self.parent.path if self.parent else '/'}{self.pk}/"
            self.save(update_fields=["path"])


class ProgrammeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Programme

    portfolio = factory.SubFactory(PortfolioFactory)
    name = factory.Sequence(lambda n: f"Programme {n}")
    manager = factory.SubFactory(UserFactory)


def place(project, portfolio, programme=None, risk_score=None) -> PortfolioProject:
    return PortfolioProject.objects.create(
        project=project, portfolio=portfolio, programme=programme, risk_score=risk_score
    )


_codes = itertools.count(1)


def placed_project(portfolio, programme=None, risk_score=3, **fields):
    """A project placed in `portfolio`, with a code of its own (the conftest's projects take
    PRJ-00001 and PRJ-00002)."""
    fields.setdefault("code", f"PLC-{next(_codes):05d}")
    project = ProjectFactory(**fields)
    place(project, portfolio, programme, risk_score)
    return project


def criterion(portfolio, name, *, weight=1, direction="benefit", period=PERIOD, objective=None):
    """A criterion with a 1-5 scale."""
    row = Criterion.objects.create(
        portfolio=portfolio, period=period, name=name, weight=Decimal(weight),
        direction=direction, objective=objective,
    )  # fmt: skip
    CriterionLevel.objects.bulk_create(
        CriterionLevel(criterion=row, value=value, label=f"Level {value}") for value in range(1, 6)
    )
    return row


def objective(portfolio, name, period=PERIOD) -> StrategicObjective:
    return StrategicObjective.objects.create(portfolio=portfolio, period=period, name=name)


def score(project, criterion, level, by, rationale="Because."):
    """A score written straight to the table (the services are tested on their own)."""
    return Score.objects.create(
        project=project, criterion=criterion, level=level, rationale=rationale, scored_by=by,
        scored_at=timezone.now(),
    )  # fmt: skip


def rank(portfolio, period=PERIOD) -> int:
    return rankings_recompute(portfolio=portfolio, period=period)


def dates(year=PERIOD):
    return datetime.date(year, 1, 1), datetime.date(year, 12, 31)
