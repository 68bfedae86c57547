"""The numbers executives decide on: EMV, levels and the Monte Carlo statistics, against worked
examples."""

from decimal import Decimal

import numpy as np
import pytest

from risks import montecarlo
from risks.models import Level, Risk, RiskMatrix, default_level
from risks.montecarlo import RiskInputs, simulate


def one_risk(probability, low, likely, high, *, pert=False, days=(0, 0, 0)) -> RiskInputs:
    return RiskInputs.from_rows([(probability, low, likely, high, *days, pert)])


class TestExpectedMonetaryValue:
    def test_emv_is_probability_times_the_pert_mean(self):
        risk = Risk(probability=3, impact=4, residual_probability=2, residual_impact=4,
                    probability_percent=Decimal(30), cost_min=Decimal(10_000),
                    cost_likely=Decimal(40_000), cost_max=Decimal(100_000), schedule_min=0,
                    schedule_likely=12, schedule_max=30, distribution="pert")  # fmt: skip
        risk.work_out_figures(RiskMatrix({}))
        # (10,000 + 4 x 40,000 + 100,000) / 6 = 45,000, at 30%: 13,500; (0 + 48 + 30) / 6 = 13 days.
        assert risk.emv == Decimal("13500.00")
        assert risk.schedule_emv == Decimal("3.9")
        assert (risk.inherent_score, risk.residual_score) == (12, 8)

    def test_emv_of_a_triangular_impact_uses_its_mean(self):
        assert montecarlo.distribution_mean(0, 30, 90, pert=False) == 40
        assert montecarlo.distribution_mean(0, 30, 90, pert=True) == 35


class TestLevels:
    @pytest.mark.parametrize(
        "probability, impact, level",
        [(1, 1, "low"), (2, 2, "low"), (1, 5, "medium"), (3, 3, "medium"), (2, 5, "high"),
         (4, 4, "high"), (4, 5, "critical"), (5, 5, "critical")],
    )  # fmt: skip
    def test_the_default_bands(self, probability, impact, level):
        assert default_level(probability, impact) == level

    def test_the_pmos_matrix_overrides_a_cell(self):
        matrix = RiskMatrix({(1, 5): Level.HIGH})
        assert matrix.level(1, 5) == "high"
        assert matrix.level(5, 1) == "medium"
        assert [cell[:2] for cell in matrix.rows()[0]] == [(5, i) for i in range(1, 6)]


class TestSimulation:
    def test_the_p50_of_a_symmetric_triangular_impact_is_its_mode(self):
        result = simulate(one_risk(1.0, 0, 50, 100), seed=7)
        assert result.cost_percentiles()[50] == pytest.approx(50, abs=1.0)
        # P80 of Triangular(0, 50, 100) = 100 - sqrt(0.2 x 100 x 50) = 68.38.
        assert result.cost_percentiles()[80] == pytest.approx(68.38, abs=1.0)

    def test_the_pert_mean_is_reproduced(self):
        result = simulate(one_risk(1.0, 0, 20, 100, pert=True), seed=3)
        assert result.cost.mean() == pytest.approx((0 + 4 * 20 + 100) / 6, rel=0.01)

    def test_a_risk_happens_as_often_as_its_probability(self):
        result = simulate(one_risk(0.3, 100, 100, 100), seed=11)
        assert (result.cost > 0).mean() == pytest.approx(0.3, abs=0.015)
        assert set(np.unique(result.cost)) <= {0.0, 100.0}

    def test_the_same_seed_gives_the_same_result_on_any_number_of_threads(self):
        rng = np.random.default_rng(5)
        low = rng.uniform(0, 1000, 500)
        inputs = RiskInputs(
            rng.uniform(0, 1, 500), low, low + 100, low + 400, np.zeros(500), np.full(500, 5.0),
            np.full(500, 20.0), rng.random(500) < 0.5,
        )  # fmt: skip
        first = simulate(inputs, seed=42, workers=1)
        again = simulate(inputs, seed=42, workers=4)
        other = simulate(inputs, seed=43)
        assert np.array_equal(first.cost, again.cost)
        assert np.array_equal(first.schedule, again.schedule)
        assert not np.array_equal(first.cost, other.cost)

    def test_independent_risks_add_up_in_mean_and_variance(self):
        # 200 risks at 50%, each a fixed 10: the total is 10 x Binomial(200, 0.5):
        # mean 1,000, standard deviation 10 x sqrt(50) = 70.7; P50 1,000.
        inputs = RiskInputs.from_rows([(0.5, 10, 10, 10, 1, 1, 1, False)] * 200)
        result = simulate(inputs, seed=1)
        assert result.cost.mean() == pytest.approx(1000, rel=0.01)
        assert result.cost.std() == pytest.approx(70.7, rel=0.05)
        assert result.cost_percentiles()[50] == pytest.approx(1000, abs=10)
        assert result.schedule.mean() == pytest.approx(100, rel=0.01)

    def test_cost_and_schedule_of_a_risk_move_together(self):
        result = simulate(one_risk(0.5, 0, 50, 100, days=(0, 5, 10)), seed=2)
        assert np.corrcoef(result.cost, result.schedule)[0, 1] > 0.99

    def test_no_risks_need_no_reserve(self):
        result = simulate(RiskInputs.from_rows([]), seed=1)
        assert result.cost_percentiles() == {50: 0.0, 80: 0.0, 90: 0.0}

    def test_charts_have_shares_that_add_up(self):
        samples = simulate(one_risk(1.0, 0, 50, 100), seed=1).cost
        assert sum(montecarlo.histogram(samples)["shares"]) == pytest.approx(100)
        curve = montecarlo.s_curve(samples)
        assert curve["shares"][0] == 0 and curve["shares"][-1] == 100
        assert curve["values"] == sorted(curve["values"])
