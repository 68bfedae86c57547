"""`seed_demo` fills the portfolio: trees with programmes, every project placed, criteria with
scales and pairwise judgements (one consistent, one not), scores and proposals, the ranking,
scenarios (one committed, with decisions on the projects) and reviews; `--flush` removes it."""

from io import StringIO

import pytest
from django.core.management import call_command

from portfolio.models import (
    Criterion,
    PairwiseJudgement,
    Portfolio,
    PortfolioDecision,
    PortfolioProject,
    PortfolioReview,
    ProjectRanking,
    ReviewDecision,
    Scenario,
    Score,
    ScoreProposal,
)
from portfolio.services.criteria import pairwise_result
from projects.models import Project


def seed_small(*args: str) -> str:
    out = StringIO()
    call_command("seed_demo", "--size", "small", *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def seeded(db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    seed_small()


@pytest.mark.usefixtures("seeded")
class TestTheSmallDemo:
    def test_three_trees_hold_every_project(self):
        tops = Portfolio.objects.tops()
        assert tops.count() == 3
        assert Portfolio.objects.filter(parent__isnull=False).count() >= 6
        assert PortfolioProject.objects.count() == Project.objects.count()
        assert PortfolioProject.objects.filter(programme__isnull=False).exists()
        for placement in PortfolioProject.objects.select_related("programme", "portfolio"):
            if placement.programme:
                assert placement.programme.portfolio_id == placement.portfolio_id

    def test_one_tree_is_consistent_and_one_is_not(self):
        digital, operations, _growth = Portfolio.objects.tops().order_by("pk")
        period = Criterion.objects.values_list("period", flat=True).first()
        consistent = pairwise_result(digital, period)
        contradictory = pairwise_result(operations, period)
        assert len(consistent.criteria) == 7 and PairwiseJudgement.objects.count() == 42
        assert consistent.result.consistency_ratio <= 0.10
        assert contradictory.result.consistency_ratio > 0.10
        # The consistent tree's weights are the ones its judgements give.
        for criterion in consistent.criteria:
            assert float(criterion.weight) == pytest.approx(
                consistent.weights[criterion.pk], abs=1e-4
            )

    def test_most_projects_are_scored_and_all_are_ranked(self):
        scored = Score.objects.values("project").distinct().count()
        assert scored >= Project.objects.count() * 0.85
        assert ProjectRanking.objects.count() == Project.objects.count()
        assert ScoreProposal.objects.filter(status="pending", proposed_by__username="pm").exists()
        assert Score.history.filter(project__manager__username="pm").exists()

    def test_scenarios_are_solved_and_one_is_committed(self):
        assert Scenario.objects.count() == 3
        assert not Scenario.objects.filter(solved_at__isnull=True).exists()
        committed = Scenario.objects.get(status="committed")
        assert len(committed.frontier) == 20
        assert committed.year_limits.exists() and committed.role_limits.exists()
        decisions = PortfolioDecision.objects.filter(scenario=committed)
        assert decisions.count() == committed.candidates.count()
        assert set(decisions.values_list("decision", flat=True)) >= {"approve", "defer"}

    def test_two_reviews_with_decisions(self):
        assert PortfolioReview.objects.count() == 2
        assert PortfolioReview.objects.filter(meeting__isnull=False).exists()
        assert ReviewDecision.objects.exists()


def test_flush_replaces_the_portfolio(db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    seed_small()
    first = set(Portfolio.objects.values_list("name", flat=True))
    seed_small("--flush")
    assert set(Portfolio.objects.values_list("name", flat=True)) == first
    assert Scenario.objects.count() == 3
