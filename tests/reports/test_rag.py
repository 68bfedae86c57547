"""The suggested RAG: each rule at and around its thresholds, and the worst one wins."""

from decimal import Decimal

from reports.rag import Thresholds, suggest_rag

T = Thresholds()  # SPI/CPI amber < 0.95, red < 0.85; slippage 5 / 20 days; risks 1 / 3


def suggest(spi="1.0", cpi="1.0", slippage=0, risks=0, thresholds=T):
    return suggest_rag(
        spi=None if spi is None else Decimal(spi),
        cpi=None if cpi is None else Decimal(cpi),
        milestone_slippage_days=slippage,
        critical_risks=risks,
        thresholds=thresholds,
    )


def test_on_plan_is_green():
    suggestion = suggest()
    assert (suggestion.overall, suggestion.reasons) == ("green", [])


def test_schedule_follows_spi_at_the_thresholds():
    assert suggest(spi="0.95").schedule == "green"
    assert suggest(spi="0.94").schedule == "amber"
    assert suggest(spi="0.85").schedule == "amber"
    assert suggest(spi="0.84").schedule == "red"


def test_milestone_slippage_makes_schedule_amber_or_red():
    assert suggest(slippage=4).schedule == "green"
    assert suggest(slippage=5).schedule == "amber"
    assert suggest(slippage=20).schedule == "red"
    assert "slipped 20 days" in suggest(slippage=20).reasons[0]


def test_cost_follows_cpi():
    assert suggest(cpi="0.9").cost == "amber"
    assert suggest(cpi="0.8").cost == "red"


def test_critical_risks_make_risk_amber_then_red():
    assert suggest(risks=1).risk == "amber"
    assert suggest(risks=3).risk == "red"


def test_overall_is_the_worst_dimension():
    suggestion = suggest(spi="0.9", cpi="0.8")
    assert (suggestion.schedule, suggestion.cost, suggestion.overall) == ("amber", "red", "red")
    assert len(suggestion.reasons) == 2


def test_without_figures_the_rules_say_nothing():
    assert suggest(spi=None, cpi=None, slippage=None).overall == "green"


def test_a_threshold_of_zero_switches_its_rule_off():
    no_risk_rule = Thresholds(critical_risks_amber=0, critical_risks_red=0)
    assert suggest(risks=5, thresholds=no_risk_rule).risk == "green"
