"""Portfolio reviews and their decisions; the ranking table, the sensitivity view, the
dashboard and the budget-against-actual roll-up by portfolio."""

import datetime
from decimal import Decimal

import pytest

from portfolio.models import PortfolioReview, ReviewDecision
from portfolio.services import reviews as services
from resources.models import ActualCost, BudgetLine
from tests.portfolio.factories import PERIOD, criterion, objective, placed_project, rank, score

pytestmark = pytest.mark.django_db


def decision_data(rows, **extra) -> dict:
    data = {"decisions-TOTAL_FORMS": str(len(rows)), "decisions-INITIAL_FORMS": str(len(rows))}
    for index, (project, decision, rationale) in enumerate(rows):
        data[f"decisions-{index}-project"] = project.pk
        data[f"decisions-{index}-decision"] = decision
        data[f"decisions-{index}-rationale"] = rationale
    return {**data, **extra}


class TestReviews:
    def test_the_pmo_records_a_decision_per_project(self, client, pmo, world):
        review = world["review"]
        client.force_login(pmo)
        response = client.post(
            f"/portfolio/reviews/{review.pk}/",
            decision_data([
                (world["project"], "accelerate", "Benefits come early."),
                (world["others_project"], "stop", "No longer needed."),
            ]),
        )  # fmt: skip
        assert response.status_code == 302
        assert dict(ReviewDecision.objects.values_list("project__code", "decision")) == {
            "PRJ-00001": "accelerate", "PRJ-00002": "stop",
        }  # fmt: skip
        body = client.get(f"/projects/{world['project'].pk}/").content.decode()
        assert "Accelerate" in body and "Benefits come early." in body

    def test_a_rationale_without_a_decision_saves_nothing(self, client, pmo, world):
        review = world["review"]
        client.force_login(pmo)
        response = client.post(
            f"/portfolio/reviews/{review.pk}/",
            decision_data([
                (world["project"], "continue", ""),
                (world["others_project"], "", "Why?"),
            ]),
        )  # fmt: skip
        assert "Choose a decision for this rationale." in response.content.decode()
        assert not ReviewDecision.objects.exists()

    def test_a_project_outside_the_review_s_portfolio_is_refused(self, pmo, world, project_type):
        outsider = placed_project(world["other_top"], project_type=project_type)
        with pytest.raises(Exception) as error:
            services.review_decisions_save(
                by=pmo, review=world["review"], decisions={outsider.pk: ("stop", "")}
            )
        assert outsider.code in str(error.value)
        assert not ReviewDecision.objects.exists()

    def test_an_empty_decision_removes_the_project_s(self, pmo, world):
        review, project = world["review"], world["project"]
        services.review_decisions_save(by=pmo, review=review, decisions={project.pk: ("hold", "")})
        services.review_decisions_save(by=pmo, review=review, decisions={project.pk: ("", "")})
        assert not ReviewDecision.objects.exists()

    def test_a_review_is_created_through_the_form_and_needs_a_date(self, client, pmo, world):
        client.force_login(pmo)
        data = {"portfolio": world["top"].pk, "period": "2026 Q2", "status": "planned"}
        response = client.post("/portfolio/reviews/new/", data)
        assert response.status_code == 200 and PortfolioReview.objects.count() == 1
        response = client.post("/portfolio/reviews/new/", {**data, "held_on": "2026-06-30"})
        review = PortfolioReview.objects.get(period="2026 Q2")
        assert response["Location"] == f"/portfolio/reviews/{review.pk}/"
        assert review.created_by == pmo

    def test_readers_see_the_decisions_but_no_form(self, client, executive, pmo, world):
        services.review_decisions_save(
            by=pmo, review=world["review"], decisions={world["project"].pk: ("hold", "Wait.")}
        )
        client.force_login(executive)
        body = client.get(f"/portfolio/reviews/{world['review'].pk}/").content.decode()
        assert (
            "Hold" in body
            and "Wait." in body
            and "<select" not in body.split("review-decisions")[1]
        )


class TestRankingAndSensitivity:
    def test_the_ranking_lists_the_best_first_and_filters(self, client, executive, world):
        client.force_login(executive)
        response = client.get(f"/portfolio/ranking/?period={PERIOD}")
        rows = [row.record.project.code for row in response.context["table"].page.object_list]
        assert rows == ["PRJ-00001", "PRJ-00002"]
        response = client.get(f"/portfolio/ranking/?period={PERIOD}&portfolio={world['sub'].pk}")
        assert [r.record.project.code for r in response.context["table"].page.object_list] == [
            "PRJ-00001"
        ]
        response = client.get(f"/portfolio/ranking/?period={PERIOD}&sort=-rank")
        assert response.context["table"].page.object_list[0].record.project.code == "PRJ-00002"

    def test_the_sensitivity_shows_the_top_moving_with_a_weight(self, client, executive, world):
        client.force_login(executive)
        response = client.get(
            f"/portfolio/ranking/sensitivity/?portfolio={world['top'].pk}&period={PERIOD}"
            f"&criterion={world['effort'].pk}"
        )
        steps = response.context["steps"]
        assert len(steps) == 11 and steps[0]["share"] == 0 and steps[-1]["share"] == 1
        assert [r.project.code for r in steps[0]["top"]] == ["PRJ-00001", "PRJ-00002"]
        assert 'id="sensitivity-data"' in response.content.decode()
        chart = response.context["chart"]
        assert {series["label"] for series in chart["series"]} == {"PRJ-00001", "PRJ-00002"}


class TestDashboard:
    def test_the_dashboard_adds_up_by_status_department_and_objective(
        self, client, executive, world
    ):
        client.force_login(executive)
        response = client.get(f"/portfolio/?period={PERIOD}")
        coverage = response.context["coverage"]
        assert coverage["count"] == 2 and coverage["budget"] == Decimal(500000)
        # Revenue (linked to "Grow revenue") scored 5 for PRJ-00001 (aligned), 2 for PRJ-00002.
        (goal,) = response.context["objectives"]
        assert (goal.name, goal.aligned_count, goal.aligned_budget) == (
            "Grow revenue", 1, Decimal(250000),
        )  # fmt: skip
        assert coverage["aligned_count"] == 1
        active = next(r for r in response.context["status_rows"] if r["label"] == "Active")
        assert active["count"] == 2
        points = response.context["chart"]["points"]
        assert sorted((p["x"], p["y"]) for p in points) == [(25.0, 4), (100.0, 2)]

    def test_the_dashboard_filters_by_programme(self, client, executive, world):
        client.force_login(executive)
        response = client.get(f"/portfolio/?period={PERIOD}&programme={world['programme'].pk}")
        assert response.context["coverage"]["count"] == 1
        assert [p["label"] for p in response.context["chart"]["points"]] == [
            "PRJ-00001 ERP upgrade"
        ]

    def test_a_cost_criterion_aligns_at_its_low_end(self, pmo, world, client, executive):
        cut = objective(world["top"], "Keep it simple")
        effort = criterion(world["top"], "Complexity", direction="cost", objective=cut)
        score(world["others_project"], effort, 2, pmo)
        score(world["project"], effort, 4, pmo)
        rank(world["top"])
        client.force_login(executive)
        response = client.get(f"/portfolio/?period={PERIOD}")
        simple = next(o for o in response.context["objectives"] if o.name == "Keep it simple")
        assert simple.aligned_count == 1 and simple.aligned_budget == Decimal(250000)


class TestCostRollup:
    def test_budget_and_actual_roll_up_each_portfolio_tree(self, client, executive, world):
        month = datetime.date.today().replace(day=1) - datetime.timedelta(days=1)
        period = month.replace(day=1)
        for project, budget, actual in (
            (world["project"], 1000, 400),
            (world["others_project"], 2000, 2500),
        ):
            BudgetLine.objects.create(
                project=project, category="labour", period=period, amount=budget
            )
            ActualCost.objects.create(
                project=project, category="labour", period=period, amount=actual
            )
        client.force_login(executive)
        response = client.get("/portfolio/costs/?sub_portfolios=on")
        rows = {row.portfolio.name: row for row in response.context["rows"]}
        digital = rows["Digital"]
        assert (digital.project_count, digital.budget, digital.actual) == (
            2, Decimal(3000), Decimal(2900),
        )  # fmt: skip
        assert (digital.eac, digital.variance) == (Decimal(2900), Decimal(100))
        (customer,) = digital.sub_rows
        assert (customer.portfolio.name, customer.budget) == ("Customer", Decimal(1000))
        assert response.context["total"].project_count == 2
