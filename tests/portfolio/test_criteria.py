"""Criteria and their scales, weights set directly or by pairwise comparison, scores set by the
PMO or proposed by project managers; the weighted score and rank follow every change at once."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from portfolio.models import (
    Criterion,
    CriterionLevel,
    PairwiseJudgement,
    ProjectRanking,
    Score,
    ScoreProposal,
)
from portfolio.services import criteria as services
from tests.portfolio.factories import PERIOD, PortfolioFactory, criterion

pytestmark = pytest.mark.django_db


def ranking_of(project):
    row = ProjectRanking.objects.get(project=project, period=PERIOD)
    return row.weighted_score, row.rank


def frame(world) -> str:
    return f"portfolio={world['top'].pk}&period={PERIOD}"


class TestRanking:
    def test_the_world_is_ranked_by_weighted_score(self, world):
        # Revenue weight 3 (benefit), Effort weight 1 (cost), scale 1-5:
        # project: 5 and 1 -> (3*1 + 1*1) / 4 = 100; others: 2 and 4 -> (3*0.25 + 1*0.25)/4 = 25.
        assert ranking_of(world["project"]) == (Decimal("100.00"), 1)
        assert ranking_of(world["others_project"]) == (Decimal("25.00"), 2)

    def test_a_new_weight_reranks_the_whole_frame_at_once(self, pmo, world):
        services.weights_set(
            by=pmo, portfolio=world["top"], period=PERIOD,
            weights={world["value"].pk: Decimal(0), world["effort"].pk: Decimal(1)},
        )  # fmt: skip
        assert ranking_of(world["project"]) == (Decimal("100.00"), 1)
        assert ranking_of(world["others_project"]) == (Decimal("25.00"), 2)
        services.weights_set(
            by=pmo, portfolio=world["top"], period=PERIOD,
            weights={world["value"].pk: Decimal(1), world["effort"].pk: Decimal(0)},
        )  # fmt: skip
        assert world["value"].history.count() == 3  # created, then two weight changes

    def test_a_score_moves_the_project_up_the_ranking_at_once(self, pmo, world):
        others = world["others_project"]
        services.score_set(by=pmo, project=others, criterion=world["value"], level=5, rationale="x")
        services.score_set(
            by=pmo, project=others, criterion=world["effort"], level=1, rationale="y"
        )
        assert ranking_of(others) == (Decimal("100.00"), 2)  # a tie: code PRJ-00001 first
        services.score_set(
            by=pmo, project=world["project"], criterion=world["value"], level=4, rationale="z"
        )
        assert ranking_of(others)[1] == 1 and ranking_of(world["project"])[1] == 2
        assert Score.objects.get(project=others, criterion=world["value"]).history.count() == 2

    def test_a_score_needs_a_level_of_the_scale_and_a_reason(self, pmo, world):
        with pytest.raises(ValidationError) as error:
            services.score_set(
                by=pmo, project=world["project"], criterion=world["value"], level=9,
                rationale="x",
            )  # fmt: skip
        assert "level" in error.value.message_dict
        with pytest.raises(ValidationError):
            services.score_set(
                by=pmo, project=world["project"], criterion=world["value"], level=2,
                rationale="  ",
            )  # fmt: skip
        assert Score.objects.get(project=world["project"], criterion=world["value"]).level == 5

    def test_a_project_outside_the_criterion_s_tree_cannot_be_scored(self, pmo, world):
        elsewhere = criterion(world["other_top"], "Elsewhere")
        with pytest.raises(ValidationError):
            services.score_set(
                by=pmo, project=world["project"], criterion=elsewhere, level=3, rationale="x"
            )

    def test_project_managers_cannot_set_scores(self, pm, world):
        with pytest.raises(PermissionDenied):
            services.score_set(
                by=pm, project=world["project"], criterion=world["value"], level=1, rationale="x"
            )


class TestProposals:
    def test_a_manager_proposes_for_their_own_project_only(self, pm, world):
        proposal = services.score_propose(
            by=pm, project=world["project"], criterion=world["value"], level=3, rationale="New."
        )
        assert proposal.status == "pending"
        with pytest.raises(PermissionDenied):
            services.score_propose(
                by=pm, project=world["others_project"], criterion=world["value"], level=3,
                rationale="Not mine.",
            )  # fmt: skip
        # A proposal does not move the ranking until accepted.
        assert ranking_of(world["project"]) == (Decimal("100.00"), 1)

    def test_accepting_makes_the_proposal_the_score_and_reranks(self, pmo, world):
        services.proposal_accept(by=pmo, proposal=world["proposal"])
        score = Score.objects.get(project=world["project"], criterion=world["effort"])
        assert (score.level, score.rationale) == (2, "Smaller than we thought.")
        assert ranking_of(world["project"])[0] == Decimal("93.75")  # (3*1 + 1*0.75) / 4
        world["proposal"].refresh_from_db()
        assert world["proposal"].status == "accepted"
        with pytest.raises(ValidationError):
            services.proposal_accept(by=pmo, proposal=world["proposal"])

    def test_rejecting_needs_a_reason_and_leaves_the_score(self, pmo, world):
        with pytest.raises(ValidationError):
            services.proposal_reject(by=pmo, proposal=world["proposal"], note="")
        services.proposal_reject(by=pmo, proposal=world["proposal"], note="Not convincing.")
        assert ScoreProposal.objects.get().status == "rejected"
        assert Score.objects.get(project=world["project"], criterion=world["effort"]).level == 1

    def test_the_manager_proposes_through_the_scores_page(self, client, pm, world):
        client.force_login(pm)
        project, value = world["project"], world["value"]
        response = client.post(
            f"/portfolio/projects/{project.pk}/scores/?period={PERIOD}",
            {"criterion": value.pk, f"c{value.pk}-level": "4", f"c{value.pk}-rationale": "Less."},
        )
        assert response.status_code == 302
        assert ScoreProposal.objects.filter(criterion=value, level=4, proposed_by=pm).exists()
        assert Score.objects.get(project=project, criterion=value).level == 5

    def test_a_score_form_without_a_reason_saves_nothing(self, client, pmo, world):
        client.force_login(pmo)
        project, value = world["project"], world["value"]
        response = client.post(
            f"/portfolio/projects/{project.pk}/scores/",
            {"criterion": value.pk, f"c{value.pk}-level": "2", f"c{value.pk}-rationale": ""},
        )
        assert response.status_code == 200
        assert "This field is required." in response.content.decode()
        assert Score.objects.get(project=project, criterion=value).level == 5

    def test_the_scores_page_shows_the_score_history(self, client, pmo, world):
        services.score_set(
            by=pmo, project=world["project"], criterion=world["value"], level=4,
            rationale="Revised after the pilot.",
        )  # fmt: skip
        client.force_login(pmo)
        body = client.get(f"/portfolio/projects/{world['project'].pk}/scores/").content.decode()
        assert "Revised after the pilot." in body and "Because." in body

    def test_the_pmo_accepts_from_the_queue(self, client, pmo, world):
        client.force_login(pmo)
        body = client.get("/portfolio/proposals/").content.decode()
        assert "Smaller than we thought." in body
        client.post(f"/portfolio/proposals/{world['proposal'].pk}/accept/", {"note": ""})
        assert ScoreProposal.objects.get().status == "accepted"

    def test_a_project_manager_sees_only_their_projects_proposals(
        self, client, other_pm, pm, world
    ):
        client.force_login(other_pm)
        assert (
            "Smaller than we thought." not in client.get("/portfolio/proposals/").content.decode()
        )
        client.force_login(pm)
        assert "Smaller than we thought." in client.get("/portfolio/proposals/").content.decode()


class TestCriteria:
    def test_a_criterion_is_created_with_its_scale_through_the_form(self, client, pmo, world):
        client.force_login(pmo)
        data = {
            "portfolio": world["top"].pk, "period": PERIOD, "name": "Customer reach",
            "description": "", "direction": "benefit", "weight": "2", "objective": "",
            "version": "", "levels-TOTAL_FORMS": "3", "levels-INITIAL_FORMS": "0",
            "levels-MIN_NUM_FORMS": "0", "levels-MAX_NUM_FORMS": "1000",
            "levels-0-value": "0", "levels-0-label": "Nobody",
            "levels-1-value": "2", "levels-1-label": "Some",
            "levels-2-value": "4", "levels-2-label": "Everyone",
        }  # fmt: skip
        response = client.post(f"/portfolio/criteria/new/?{frame(world)}", data)
        assert response.status_code == 302
        created = Criterion.objects.get(name="Customer reach")
        assert (created.scale_min, created.scale_max) == (0, 4)
        assert list(created.levels.values_list("label", flat=True)) == [
            "Nobody", "Some", "Everyone",
        ]  # fmt: skip
        # Unscored on the new criterion, both projects lose weight share.
        assert ranking_of(world["project"])[0] == Decimal("66.67")

    def test_a_scale_of_one_level_saves_nothing(self, client, pmo, world):
        client.force_login(pmo)
        data = {
            "portfolio": world["top"].pk, "period": PERIOD, "name": "Thin", "direction": "benefit",
            "weight": "1", "levels-TOTAL_FORMS": "1", "levels-INITIAL_FORMS": "0",
            "levels-MIN_NUM_FORMS": "0", "levels-MAX_NUM_FORMS": "1000",
            "levels-0-value": "1", "levels-0-label": "Only",
        }  # fmt: skip
        response = client.post(f"/portfolio/criteria/new/?{frame(world)}", data)
        assert "A scale needs at least two levels." in response.content.decode()
        assert not Criterion.objects.filter(name="Thin").exists()

    def test_dropping_a_level_projects_are_scored_at_is_refused(self, pmo, world):
        value = Criterion.objects.get(pk=world["value"].pk)
        with pytest.raises(ValidationError):
            services.criterion_save(
                by=pmo, criterion=value, levels=[(1, "Low", ""), (2, "High", "")],
                name="Revenue",
            )  # fmt: skip
        assert CriterionLevel.objects.filter(criterion=value).count() == 5

    def test_criteria_belong_to_top_portfolios(self, pmo, world):
        with pytest.raises(ValidationError) as error:
            services.criterion_save(
                by=pmo, portfolio=world["sub"], period=PERIOD, name="Sub",
                levels=[(1, "a", ""), (2, "b", "")],
            )  # fmt: skip
        assert "portfolio" in error.value.message_dict

    def test_a_negative_weight_is_refused_on_the_page(self, client, pmo, world):
        client.force_login(pmo)
        response = client.post(
            f"/portfolio/criteria/?{frame(world)}",
            {f"weight_{world['value'].pk}": "-1", f"weight_{world['effort'].pk}": "1"},
        )
        assert "A weight cannot be negative." in response.content.decode()
        assert Criterion.objects.get(pk=world["effort"].pk).weight == Decimal(1)

    def test_the_weights_page_saves_the_weights(self, client, pmo, world):
        client.force_login(pmo)
        client.post(
            f"/portfolio/criteria/?{frame(world)}",
            {f"weight_{world['value'].pk}": "1", f"weight_{world['effort'].pk}": "1"},
        )
        assert Criterion.objects.get(pk=world["value"].pk).weight == Decimal(1)
        assert ranking_of(world["others_project"])[0] == Decimal("25.00")


class TestPairwise:
    @pytest.fixture
    def three(self, pmo):
        top = PortfolioFactory(name="Three")
        return top, [criterion(top, name) for name in ("A", "B", "C")]

    def test_consistent_judgements_give_the_ratios_and_no_warning(self, client, pmo, three):
        top, (a, b, c) = three
        client.force_login(pmo)
        url = f"/portfolio/criteria/pairwise/?portfolio={top.pk}&period={PERIOD}"
        # A = 2B = 4C, B = 2C: weights 4/7, 2/7, 1/7.
        client.post(url, {f"pair_{a.pk}_{b.pk}": "2", f"pair_{a.pk}_{c.pk}": "4",
                          f"pair_{b.pk}_{c.pk}": "2"})  # fmt: skip
        assert PairwiseJudgement.objects.count() == 3
        response = client.get(url)
        result = response.context["result"]
        assert [round(w, 3) for w in result.result.weights] == [0.571, 0.286, 0.143]
        assert not result.warns
        assert "consistency-warning" not in response.content.decode()
        client.post("/portfolio/criteria/pairwise/apply/", {"portfolio": top.pk, "period": PERIOD})
        assert [c.weight for c in Criterion.objects.filter(portfolio=top)] == [
            Decimal("0.5714"), Decimal("0.2857"), Decimal("0.1429"),
        ]  # fmt: skip

    def test_contradicting_judgements_warn(self, client, pmo, three):
        top, (a, b, c) = three
        client.force_login(pmo)
        url = f"/portfolio/criteria/pairwise/?portfolio={top.pk}&period={PERIOD}"
        # A > B, B > C, but C much more important than A.
        client.post(url, {f"pair_{a.pk}_{b.pk}": "5", f"pair_{a.pk}_{c.pk}": "-7",
                          f"pair_{b.pk}_{c.pk}": "5"})  # fmt: skip
        response = client.get(url)
        assert response.context["result"].result.consistency_ratio > 0.10
        assert "consistency-warning" in response.content.decode()

    def test_a_judgement_off_saaty_s_scale_saves_nothing(self, client, pmo, three):
        top, (a, b, c) = three
        client.force_login(pmo)
        response = client.post(
            f"/portfolio/criteria/pairwise/?portfolio={top.pk}&period={PERIOD}",
            {f"pair_{a.pk}_{b.pk}": "2", f"pair_{a.pk}_{c.pk}": "10", f"pair_{b.pk}_{c.pk}": "0"},
        )
        assert response.status_code == 200
        assert "Select a valid choice." in response.content.decode()
        assert not PairwiseJudgement.objects.exists()
