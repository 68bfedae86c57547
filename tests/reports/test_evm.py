"""Earned value against worked examples.

The formulas are PMI's (PMBOK® Guide, 6th ed., §7.4.2.2 and Table 7-1; The Standard for Earned
Value Management, 2019). The two examples below are the ones commonly used to teach them,
worked by hand here:

- "ten houses": ten houses of 1,000 each, built one a week over ten weeks; at the end of week 4,
  three are built and 6,000 has been spent (BAC 10,000, PV 4,000, EV 3,000, AC 6,000);
- "half-way review": BAC 100,000 with PV 50,000, EV 40,000 and AC 45,000 at the status date.
"""

import datetime
from decimal import Decimal

import pytest

from reports import evm

D = Decimal


class TestTenHouses:
    BAC = D(10000)
    START = datetime.date(2026, 1, 5)  # a Monday
    END = START + datetime.timedelta(weeks=10, days=-1)
    WEEK_4 = START + datetime.timedelta(weeks=4, days=-1)

    def test_planned_value_spreads_the_budget_evenly_over_the_baseline(self):
        fraction = evm.planned_fraction_linear(self.START, self.END, self.WEEK_4)
        assert fraction == D("0.4")
        assert evm.planned_value(self.BAC, fraction) == D("4000.00")

    def test_earned_value_is_percent_complete_times_bac(self):
        assert evm.earned_value(self.BAC, D(30)) == D("3000.00")

    def test_variances_indices_and_forecasts(self):
        figures = evm.earned_value_figures(bac=self.BAC, pv=D(4000), ev=D(3000), ac=D(6000))
        assert figures.cv == D("-3000.00")  # EV − AC: over budget
        assert figures.sv == D("-1000.00")  # EV − PV: behind schedule
        assert figures.cpi == D("0.500")
        assert figures.spi == D("0.750")
        assert figures.eac == D("20000.00")  # BAC / CPI
        assert figures.etc == D("14000.00")  # EAC − AC
        assert figures.vac == D("-10000.00")  # BAC − EAC
        assert figures.tcpi == D("1.750")  # (BAC − EV) / (BAC − AC)
        assert figures.eac_formula == "EAC = BAC / CPI"


class TestHalfWayReview:
    def test_the_default_eac_assumes_the_cost_efficiency_so_far_goes_on(self):
        figures = evm.earned_value_figures(bac=D(100000), pv=D(50000), ev=D(40000), ac=D(45000))
        assert (figures.cv, figures.sv) == (D("-5000.00"), D("-10000.00"))
        assert (figures.cpi, figures.spi) == (D("0.889"), D("0.800"))
        assert figures.eac == D("112500.00")
        assert figures.etc == D("67500.00")
        assert figures.vac == D("-12500.00")
        assert figures.tcpi == D("1.091")  # 60,000 / 55,000

    def test_other_eac_formulas_are_available(self):
        measures = {"bac": D(100000), "pv": D(50000), "ev": D(40000), "ac": D(45000)}
        assert evm.estimate_at_completion(**measures, method=evm.EAC_BY_BUDGET_RATE) == D(
            "105000.00"
        )  # AC + (BAC − EV)
        # AC + (BAC − EV) / (CPI × SPI) = 45,000 + 60,000 / (0.8889 × 0.8) = 129,375
        assert evm.estimate_at_completion(**measures, method=evm.EAC_BY_CPI_AND_SPI) == D(
            "129375.00"
        )
        assert evm.tcpi_to_eac(bac=D(100000), ev=D(40000), ac=D(45000), eac=D(112500)) == D("0.889")

    def test_an_unknown_method_is_an_error(self):
        with pytest.raises(ValueError):
            evm.estimate_at_completion(bac=1, pv=1, ev=1, ac=1, method="guess")


def test_ratios_without_a_divisor_are_unknown_rather_than_infinite():
    figures = evm.earned_value_figures(bac=D(1000), pv=D(0), ev=D(0), ac=D(0))
    assert figures.cpi is None and figures.spi is None
    assert figures.eac is None and figures.etc is None and figures.vac is None
    assert figures.tcpi == D("1.000")


def test_planned_value_before_the_start_and_after_the_end():
    start, end = datetime.date(2026, 1, 1), datetime.date(2026, 1, 10)
    assert evm.planned_fraction_linear(start, end, datetime.date(2025, 12, 31)) == 0
    assert evm.planned_fraction_linear(start, end, datetime.date(2026, 1, 10)) == 1
    assert evm.planned_fraction_linear(start, end, datetime.date(2026, 1, 1)) == D("0.1")
    assert evm.planned_fraction_linear(None, end, datetime.date(2026, 1, 5)) == 0


def test_planned_value_by_milestones_counts_those_due():
    dates = [datetime.date(2026, 2, 1), datetime.date(2026, 4, 1), datetime.date(2026, 6, 1),
             datetime.date(2026, 8, 1)]  # fmt: skip
    assert evm.planned_fraction_by_milestones(dates, datetime.date(2026, 4, 30)) == D("0.5")
    assert evm.planned_fraction_by_milestones([], datetime.date(2026, 4, 30)) == 0
