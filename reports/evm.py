"""Earned value management: pure functions over numbers, no database.

The formulas are those of the PMI: PMBOK® Guide, 6th edition, section 7.4.2.2 and Table 7-1
("Earned Value Calculations Summary"), and The Standard for Earned Value Management (PMI, 2019):

- BAC, budget at completion: the project's baseline budget;
- PV, planned value: the part of BAC scheduled to be done by the status date. Here either
  spread evenly over the baseline dates (`planned_fraction_linear`) or earned by the baseline
  milestones due by then, each an equal share (`planned_fraction_by_milestones`);
- EV, earned value = percent complete × BAC;
- AC, actual cost: the costs recorded to date (resources' actual costs);
- CV = EV − AC; SV = EV − PV; CPI = EV / AC; SPI = EV / PV;
- EAC, estimate at completion. By default EAC = BAC / CPI (the cost efficiency so far goes on);
  also AC + (BAC − EV) (the remaining work at the budgeted rate) and
  AC + (BAC − EV) / (CPI × SPI) (cost and schedule both weigh on the remaining work);
- ETC = EAC − AC; VAC = BAC − EAC;
- TCPI = (BAC − EV) / (BAC − AC): the cost efficiency the remaining work needs to finish on
  budget (and (BAC − EV) / (EAC − AC) to finish at the EAC).

A ratio whose divisor is zero (no cost yet, nothing planned yet) is None, never infinite.
"""

import datetime
from dataclasses import asdict, dataclass
from decimal import ROUND_HALF_UP, Decimal

CENT = Decimal("0.01")
INDEX = Decimal("0.001")

EAC_BY_CPI = "bac_over_cpi"
EAC_BY_BUDGET_RATE = "ac_plus_remaining_budget"
EAC_BY_CPI_AND_SPI = "ac_plus_remaining_over_cpi_spi"
EAC_METHODS = {
    EAC_BY_CPI: "EAC = BAC / CPI",
    EAC_BY_BUDGET_RATE: "EAC = AC + (BAC − EV)",
    EAC_BY_CPI_AND_SPI: "EAC = AC + (BAC − EV) / (CPI × SPI)",
}
DEFAULT_EAC_METHOD = EAC_BY_CPI


def _money(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def _ratio(numerator: Decimal, denominator: Decimal) -> Decimal | None:
    if not denominator:
        return None
    return (Decimal(numerator) / Decimal(denominator)).quantize(INDEX, rounding=ROUND_HALF_UP)


def planned_fraction_linear(
    start: datetime.date | None, end: datetime.date | None, on: datetime.date
) -> Decimal:
    """The share of the work scheduled by the end of day `on` when the baseline spreads it
    evenly over [start, end], both days included: 0 before the start, 1 from the end on."""
    if start is None or end is None:
        return Decimal(0)
    if on < start:
        return Decimal(0)
    if on >= end:
        return Decimal(1)
    return Decimal((on - start).days + 1) / Decimal((end - start).days + 1)


def planned_fraction_by_milestones(
    baseline_dates: list[datetime.date], on: datetime.date
) -> Decimal:
    """The share of the baseline milestones due by `on`, each worth the same (the 0/100 rule per
    milestone); 0 when there are no baselined milestones."""
    if not baseline_dates:
        return Decimal(0)
    due = sum(1 for date in baseline_dates if date <= on)
    return Decimal(due) / Decimal(len(baseline_dates))


def planned_value(bac: Decimal, fraction: Decimal) -> Decimal:
    return _money(Decimal(bac) * Decimal(fraction))


def earned_value(bac: Decimal, percent_complete: Decimal) -> Decimal:
    return _money(Decimal(bac) * Decimal(percent_complete) / 100)


def estimate_at_completion(
    *, bac: Decimal, pv: Decimal, ev: Decimal, ac: Decimal, method: str = DEFAULT_EAC_METHOD
) -> Decimal | None:
    """EAC by the named method (see EAC_METHODS); None when an index it needs is unknown.
    The indices are used unrounded (CPI = EV / AC, SPI = EV / PV), so the EAC does not carry
    the rounding of the CPI and SPI shown."""
    bac, pv, ev, ac = (Decimal(value) for value in (bac, pv, ev, ac))
    remaining = bac - ev
    if method == EAC_BY_BUDGET_RATE:
        return _money(ac + remaining)
    if not ac or not ev:
        return None
    if method == EAC_BY_CPI:
        return _money(bac * ac / ev)
    if method == EAC_BY_CPI_AND_SPI:
        if not pv:
            return None
        # remaining / (CPI × SPI) = remaining × AC × PV / EV²
        return _money(ac + remaining * ac * pv / (ev * ev))
    raise ValueError(f"unknown EAC method {method!r}")


@dataclass(frozen=True)
class EarnedValue:
    """Every earned-value figure of a project at a status date."""

    bac: Decimal
    pv: Decimal
    ev: Decimal
    ac: Decimal
    cv: Decimal
    sv: Decimal
    cpi: Decimal | None
    spi: Decimal | None
    eac: Decimal | None
    etc: Decimal | None
    vac: Decimal | None
    tcpi: Decimal | None
    eac_method: str

    @property
    def eac_formula(self) -> str:
        return EAC_METHODS[self.eac_method]

    def as_json(self) -> dict:
        """The figures as strings, for a JSON snapshot (None stays null)."""
        return {
            name: (str(value) if isinstance(value, Decimal) else value)
            for name, value in asdict(self).items()
        }


def earned_value_figures(
    *, bac: Decimal, pv: Decimal, ev: Decimal, ac: Decimal, method: str = DEFAULT_EAC_METHOD
) -> EarnedValue:
    """All the figures from the four measures BAC, PV, EV and AC."""
    bac, pv, ev, ac = (Decimal(value) for value in (bac, pv, ev, ac))
    cpi = _ratio(ev, ac)
    spi = _ratio(ev, pv)
    eac = estimate_at_completion(bac=bac, pv=pv, ev=ev, ac=ac, method=method)
    return EarnedValue(
        bac=bac,
        pv=pv,
        ev=ev,
        ac=ac,
        cv=_money(ev - ac),
        sv=_money(ev - pv),
        cpi=cpi,
        spi=spi,
        eac=eac,
        etc=None if eac is None else _money(eac - ac),
        vac=None if eac is None else _money(bac - eac),
        tcpi=_ratio(bac - ev, bac - ac),
        eac_method=method,
    )


def tcpi_to_eac(*, bac: Decimal, ev: Decimal, ac: Decimal, eac: Decimal) -> Decimal | None:
    """The efficiency needed to finish at the EAC rather than at the BAC."""
    return _ratio(Decimal(bac) - Decimal(ev), Decimal(eac) - Decimal(ac))
