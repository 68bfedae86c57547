"""The RAG a status report suggests, from the figures and the PMO's thresholds: pure rules.

- schedule: red when SPI is below the red threshold or a milestone has slipped at least the
  red number of days against its baseline; amber likewise at the amber thresholds;
- cost: red when CPI is below the red threshold; amber below the amber one;
- risk: red from the red number of open critical risks on; amber from the amber number;
- overall: the worst of the three.

Without a figure (no cost recorded yet, nothing planned yet) a rule has nothing to say and
leaves its dimension green. Scope and quality are the project manager's judgement: no rule.
"""

from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.translation import gettext as _

GREEN, AMBER, RED = "green", "amber", "red"
SEVERITY = {GREEN: 0, AMBER: 1, RED: 2}


@dataclass(frozen=True)
class Thresholds:
    """The PMO's thresholds (reports.models.RagThresholds holds them)."""

    spi_amber: Decimal = Decimal("0.95")
    spi_red: Decimal = Decimal("0.85")
    cpi_amber: Decimal = Decimal("0.95")
    cpi_red: Decimal = Decimal("0.85")
    slippage_amber_days: int = 5
    slippage_red_days: int = 20
    critical_risks_amber: int = 1
    critical_risks_red: int = 3

    @classmethod
    def of(cls, model) -> "Thresholds":
        return cls(**{name: getattr(model, name) for name in cls.__dataclass_fields__})


@dataclass
class Suggestion:
    overall: str
    schedule: str
    cost: str
    risk: str
    reasons: list[str] = field(default_factory=list)


def worst(*rags: str) -> str:
    return max(rags, key=SEVERITY.__getitem__, default=GREEN)


def _below(value: Decimal | None, amber: Decimal, red: Decimal) -> str:
    if value is None:
        return GREEN
    if value < red:
        return RED
    if value < amber:
        return AMBER
    return GREEN


def _at_least(value: int, amber: int, red: int) -> str:
    # A threshold of 0 would make every project red or amber: 0 switches the rule off.
    if red and value >= red:
        return RED
    if amber and value >= amber:
        return AMBER
    return GREEN


def rate(
    *, spi: Decimal | None, cpi: Decimal | None, milestone_slippage_days: int | None,
    critical_risks: int, thresholds: Thresholds,
) -> tuple[str, str, str, str]:  # fmt: skip
    """(overall, schedule, cost, risk): the suggestion without its reasons, for bulk use."""
    t = thresholds
    slippage = max(milestone_slippage_days or 0, 0)
    schedule = worst(
        _below(spi, t.spi_amber, t.spi_red),
        _at_least(slippage, t.slippage_amber_days, t.slippage_red_days),
    )
    cost = _below(cpi, t.cpi_amber, t.cpi_red)
    risk = _at_least(critical_risks, t.critical_risks_amber, t.critical_risks_red)
    return worst(schedule, cost, risk), schedule, cost, risk


def suggest_rag(
    *,
    spi: Decimal | None,
    cpi: Decimal | None,
    milestone_slippage_days: int | None,
    critical_risks: int,
    thresholds: Thresholds,
) -> Suggestion:
    """The suggested RAG per dimension and overall, with the reasons in the user's language."""
    t = thresholds
    reasons = []
    by_spi = _below(spi, t.spi_amber, t.spi_red)
    if by_spi != GREEN:
        threshold = t.spi_red if by_spi == RED else t.spi_amber
        reasons.append(
            _("SPI %(spi)s is below %(threshold)s.") % {"spi": spi, "threshold": threshold}
        )
    slippage = max(milestone_slippage_days or 0, 0)
    by_slippage = _at_least(slippage, t.slippage_amber_days, t.slippage_red_days)
    if by_slippage != GREEN:
        reasons.append(_("A milestone has slipped %(days)s days against its baseline.")
                       % {"days": slippage})  # fmt: skip
    cost = _below(cpi, t.cpi_amber, t.cpi_red)
    if cost != GREEN:
        threshold = t.cpi_red if cost == RED else t.cpi_amber
        reasons.append(
            _("CPI %(cpi)s is below %(threshold)s.") % {"cpi": cpi, "threshold": threshold}
        )
    risk = _at_least(critical_risks, t.critical_risks_amber, t.critical_risks_red)
    if risk != GREEN:
        reasons.append(_("%(count)s critical risks are open.") % {"count": critical_risks})
    schedule = worst(by_spi, by_slippage)
    return Suggestion(
        overall=worst(schedule, cost, risk), schedule=schedule, cost=cost, risk=risk,
        reasons=reasons,
    )  # fmt: skip
