"""Scenarios: their inputs from scores, budgets and bookings; the solved selection and its
limits; infeasible limits explained; the frontier; copies, comparison and a single commit."""

import datetime
import threading
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from portfolio.models import PortfolioDecision, Scenario, ScenarioCandidate
from portfolio.services import scenarios as services
from resources.models import BudgetLine, ResourceRequest
from tests.portfolio.factories import PERIOD
from tests.resources.factories import AllocationFactory, ResourceRoleFactory

pytestmark = pytest.mark.django_db


def solved(pmo, scenario, **changes):
    if changes:
        scenario = services.scenario_save(by=pmo, scenario=scenario, **changes)
    return services.scenario_solve(by=pmo, scenario=scenario)


def selected_codes(scenario) -> set[str]:
    return set(scenario.candidates.filter(selected=True).values_list("project__code", flat=True))


class TestInputs:
    def test_value_is_the_weighted_score_and_cost_the_budget(self, world):
        inputs = services.solve_inputs(world["scenario"])
        by_key = {c.key: c for c in inputs.candidates}
        project, others = world["project"], world["others_project"]
        assert (by_key[project.pk].value, by_key[project.pk].cost) == (100.0, 250000.0)
        assert by_key[others.pk].value == 25.0
        # Without budget lines, the budget spreads over the planned months (2026 only).
        assert by_key[project.pk].cost_by_year == {2026: 250000.0}

    def test_budget_lines_give_the_cost_per_year(self, world):
        project = world["project"]
        BudgetLine.objects.create(
            project=project, category="labour", period=datetime.date(2026, 12, 1), amount=100
        )
        BudgetLine.objects.create(
            project=project, category="labour", period=datetime.date(2027, 1, 1), amount=50
        )
        candidate = next(
            c for c in services.solve_inputs(world["scenario"]).candidates if c.key == project.pk
        )
        assert candidate.cost == 150.0
        assert candidate.cost_by_year == {2026: 100.0, 2027: 50.0}

    def test_demand_per_role_counts_bookings_and_open_requests_in_the_period(self, pmo, pm, world):
        role = ResourceRoleFactory(name="Tester")
        project = world["project"]
        # 20 h a week for the 7 days of 2026's first week.
        AllocationFactory(
            project=project, resource__role=role, start=datetime.date(2025, 12, 1),
            end=datetime.date(2026, 1, 7), hours_per_week=Decimal(20),
        )  # fmt: skip
        ResourceRequest.objects.create(
            project=project, role=role, amount=Decimal(10), unit="hours",
            start=datetime.date(2026, 3, 2), end=datetime.date(2026, 3, 15), requested_by=pm,
        )  # fmt: skip
        scenario = services.scenario_save(
            by=pmo, scenario=world["scenario"], role_limits=[(role, Decimal(100))]
        )
        candidate = next(
            c for c in services.solve_inputs(scenario).candidates if c.key == project.pk
        )
        assert candidate.demand_by_role == {role.pk: pytest.approx(20 + 20)}


class TestSolving:
    def test_without_limits_everything_valuable_is_selected(self, pmo, world):
        scenario = solved(pmo, world["scenario"])
        assert scenario.feasible and scenario.optimal
        assert selected_codes(scenario) == {"PRJ-00001", "PRJ-00002"}
        assert scenario.total_value == Decimal("125.00")

    def test_a_budget_keeps_the_more_valuable_project_and_binds(self, pmo, world):
        scenario = solved(pmo, world["scenario"], total_budget=Decimal(300000))
        assert selected_codes(scenario) == {"PRJ-00001"}
        assert scenario.total_cost == Decimal("250000.00")
        assert scenario.usage[0]["kind"] == "budget" and scenario.usage[0]["binding"]

    def test_forcing_the_other_project_in_swaps_them(self, pmo, world):
        scenario = world["scenario"]
        others = scenario.candidates.get(project=world["others_project"])
        services.candidates_update(by=pmo, scenario=scenario, changes={others.pk: ("in", "")})
        scenario = solved(pmo, scenario, total_budget=Decimal(300000))
        assert selected_codes(scenario) == {"PRJ-00002"}

    def test_an_impossible_limit_is_explained_not_raised(self, client, pmo, world):
        scenario = world["scenario"]
        mine = scenario.candidates.get(project=world["project"])
        services.candidates_update(by=pmo, scenario=scenario, changes={mine.pk: ("in", "")})
        scenario = solved(pmo, scenario, total_budget=Decimal(1000))
        assert scenario.feasible is False
        assert scenario.problems[0]["code"] == "forced_over_budget"
        client.force_login(pmo)
        body = client.get(f"/portfolio/scenarios/{scenario.pk}/").content.decode()
        assert "over the total budget of 1,000.00" in body
        with pytest.raises(ValidationError):
            services.scenario_commit(by=pmo, scenario=scenario)

    def test_dependencies_and_alternatives_are_kept(self, pmo, world):
        scenario = world["scenario"]
        project, others = world["project"], world["others_project"]
        # The valuable project needs the other; with room for one only, neither... but with
        # room for both, both.
        scenario = solved(pmo, scenario, dependencies=[(project, others)],
                          total_budget=Decimal(300000))  # fmt: skip
        assert selected_codes(scenario) == {"PRJ-00002"}
        rows = {c.project_id: c.pk for c in scenario.candidates.all()}
        services.candidates_update(
            by=pmo, scenario=scenario, changes={pk: ("", "Either") for pk in rows.values()}
        )
        scenario = solved(pmo, scenario, total_budget=None, dependencies=[])
        assert len(selected_codes(scenario)) == 1

    def test_changing_the_inputs_clears_the_result(self, pmo, world):
        scenario = solved(pmo, world["scenario"])
        scenario = services.scenario_save(by=pmo, scenario=scenario, total_budget=Decimal(1))
        assert not scenario.is_solved
        assert not ScenarioCandidate.objects.filter(scenario=scenario, selected=True).exists()

    def test_the_frontier_is_stored_and_drawn(self, client, pmo, world):
        scenario = services.scenario_frontier(by=pmo, scenario=world["scenario"], points=5)
        values = [point["value"] for point in scenario.frontier]
        assert len(values) == 5 and values == sorted(values) and values[-1] == 125.0
        client.force_login(pmo)
        body = client.get(f"/portfolio/scenarios/{scenario.pk}/").content.decode()
        assert 'id="frontier-data"' in body and 'data-portfolio-chart="frontier"' in body


class TestCopyCompareCommit:
    def test_a_copy_keeps_the_inputs_but_not_the_result(self, pmo, world):
        scenario = solved(pmo, world["scenario"], total_budget=Decimal(300000))
        copy = services.scenario_copy(by=pmo, scenario=scenario)
        assert copy.name == "Copy of Base case" and copy.total_budget == Decimal(300000)
        assert copy.candidates.count() == 2 and not copy.is_solved

    def test_the_comparison_shows_what_differs(self, client, executive, pmo, world):
        first = solved(pmo, world["scenario"], total_budget=Decimal(300000))
        second = solved(pmo, world["second"])
        client.force_login(executive)
        response = client.get(f"/portfolio/scenarios/compare/?first={first.pk}&second={second.pk}")
        assert response.context["only_second_count"] == 1
        assert [row["project"].code for row in response.context["differing"]] == ["PRJ-00002"]

    def test_comparing_a_scenario_with_itself_is_refused(self, client, executive, world):
        client.force_login(executive)
        pk = world["scenario"].pk
        response = client.get(f"/portfolio/scenarios/compare/?first={pk}&second={pk}")
        assert "Choose two different scenarios." in response.content.decode()

    def test_committing_records_decisions_once_and_freezes_the_scenario(
        self, client, pm, pmo, world
    ):
        scenario = world["scenario"]
        others = scenario.candidates.get(project=world["others_project"])
        services.candidates_update(by=pmo, scenario=scenario, changes={others.pk: ("out", "")})
        scenario = solved(pmo, scenario)
        client.force_login(pmo)
        client.post(f"/portfolio/scenarios/{scenario.pk}/commit/", {"note": "Board, March"})
        decisions = dict(PortfolioDecision.objects.values_list("project__code", "decision"))
        assert decisions == {"PRJ-00001": "approve", "PRJ-00002": "stop"}
        response = client.post(f"/portfolio/scenarios/{scenario.pk}/commit/", follow=True)
        assert "This scenario is committed" in response.content.decode()
        assert PortfolioDecision.objects.count() == 2
        with pytest.raises(ValidationError):
            services.scenario_save(by=pmo, scenario=scenario, name="Changed")
        client.force_login(pm)
        body = client.get(f"/projects/{world['project'].pk}/").content.decode()
        assert "Approve" in body and "Board, March" in body

    def test_an_unsolved_scenario_cannot_be_committed(self, pmo, world):
        with pytest.raises(ValidationError):
            services.scenario_commit(by=pmo, scenario=world["scenario"])
        assert not PortfolioDecision.objects.exists()


class TestScenarioPages:
    def test_the_pmo_creates_a_scenario_of_the_tree_s_open_projects(self, client, pmo, world):
        client.force_login(pmo)
        response = client.post(
            "/portfolio/scenarios/new/",
            {"portfolio": world["sub"].pk, "period": PERIOD, "name": "Customer only",
             "description": "", "total_budget": "", "statuses": ["active"]},
        )  # fmt: skip
        scenario = Scenario.objects.get(name="Customer only")
        assert response["Location"] == f"/portfolio/scenarios/{scenario.pk}/"
        assert list(scenario.candidates.values_list("project__code", flat=True)) == ["PRJ-00001"]

    def test_a_scenario_without_a_name_saves_nothing(self, client, pmo, world):
        client.force_login(pmo)
        response = client.post(
            "/portfolio/scenarios/new/",
            {"portfolio": world["top"].pk, "period": PERIOD, "name": "", "statuses": ["active"]},
        )
        assert response.status_code == 200 and Scenario.objects.count() == 2

    def test_limits_with_an_unknown_project_save_nothing(self, client, pmo, world):
        scenario = world["scenario"]
        client.force_login(pmo)
        data = {
            "name": "Base case", "description": "", "total_budget": "500000",
            "version": scenario.version,
            "years-TOTAL_FORMS": "1", "years-INITIAL_FORMS": "0",
            "years-0-year": "2026", "years-0-budget": "400000",
            "roles-TOTAL_FORMS": "0", "roles-INITIAL_FORMS": "0",
            "dependencies-TOTAL_FORMS": "1", "dependencies-INITIAL_FORMS": "0",
            "dependencies-0-project": "PRJ-00001", "dependencies-0-requires": "NOPE-1",
        }  # fmt: skip
        response = client.post(f"/portfolio/scenarios/{scenario.pk}/edit/", data)
        assert "There is no project with the code NOPE-1." in response.content.decode()
        scenario.refresh_from_db()
        assert scenario.total_budget is None and not scenario.year_limits.exists()

    def test_limits_are_saved_together(self, client, pmo, world):
        scenario = world["scenario"]
        client.force_login(pmo)
        data = {
            "name": "Base case", "description": "", "total_budget": "500000",
            "version": scenario.version,
            "years-TOTAL_FORMS": "2", "years-INITIAL_FORMS": "0",
            "years-0-year": "2026", "years-0-budget": "400000",
            "roles-TOTAL_FORMS": "0", "roles-INITIAL_FORMS": "0",
            "dependencies-TOTAL_FORMS": "1", "dependencies-INITIAL_FORMS": "0",
            "dependencies-0-project": "prj-00001", "dependencies-0-requires": "PRJ-00002",
        }  # fmt: skip
        response = client.post(f"/portfolio/scenarios/{scenario.pk}/edit/", data)
        assert response.status_code == 302
        scenario.refresh_from_db()
        assert scenario.total_budget == Decimal(500000)
        assert list(scenario.year_limits.values_list("year", "budget")) == [(2026, 400000)]
        assert scenario.dependencies.get().requires == world["others_project"]

    def test_a_year_without_a_budget_saves_nothing(self, client, pmo, world):
        scenario = world["scenario"]
        client.force_login(pmo)
        data = {
            "name": "Base case", "total_budget": "", "version": scenario.version,
            "years-TOTAL_FORMS": "1", "years-INITIAL_FORMS": "0", "years-0-year": "2026",
            "roles-TOTAL_FORMS": "0", "roles-INITIAL_FORMS": "0",
            "dependencies-TOTAL_FORMS": "0", "dependencies-INITIAL_FORMS": "0",
        }  # fmt: skip
        response = client.post(f"/portfolio/scenarios/{scenario.pk}/edit/", data)
        assert "Give both the year and its budget, or neither." in response.content.decode()
        assert not scenario.year_limits.exists()

    def test_candidates_are_forced_page_by_page(self, client, pmo, world):
        scenario = world["scenario"]
        client.force_login(pmo)
        rows = list(scenario.candidates.order_by("project__code"))
        data = {"candidates-TOTAL_FORMS": "2", "candidates-INITIAL_FORMS": "2"}
        for index, row in enumerate(rows):
            data[f"candidates-{index}-candidate"] = row.pk
            data[f"candidates-{index}-forced"] = "out" if index else ""
            data[f"candidates-{index}-exclusive_group"] = ""
        client.post(f"/portfolio/scenarios/{scenario.pk}/candidates/", data)
        assert list(
            scenario.candidates.order_by("project__code").values_list("forced", flat=True)
        ) == ["", "out"]

    def test_a_bad_forced_value_saves_nothing(self, client, pmo, world):
        scenario = world["scenario"]
        client.force_login(pmo)
        row = scenario.candidates.first()
        data = {
            "candidates-TOTAL_FORMS": "1", "candidates-INITIAL_FORMS": "1",
            "candidates-0-candidate": row.pk, "candidates-0-forced": "maybe",
        }  # fmt: skip
        response = client.post(f"/portfolio/scenarios/{scenario.pk}/candidates/", data)
        assert response.status_code == 200
        assert not scenario.candidates.exclude(forced="").exists()


@pytest.mark.django_db(transaction=True)
def test_two_commits_at_the_same_moment_record_the_decisions_once(pmo, world):
    """The second commit waits for the first's lock on the scenario row, then is refused."""
    scenario = solved(pmo, world["scenario"])
    outcomes = []

    def commit():
        try:
            services.scenario_commit(by=pmo, scenario=Scenario.objects.get(pk=scenario.pk))
            outcomes.append("committed")
        except ValidationError:
            outcomes.append("refused")
        except Exception as error:  # SQLite: the database is locked for the second writer
            outcomes.append(type(error).__name__)
        finally:
            connection.close()

    threads = [threading.Thread(target=commit) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert outcomes.count("committed") == 1
    assert PortfolioDecision.objects.count() == 2
