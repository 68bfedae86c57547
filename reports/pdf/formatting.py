"""Figures written the way the reader of each language reads them.

Amounts in tables and cards are short: 1.25M or 830k in English, 125万 or 1.25亿 in Chinese
(where amounts are counted in ten-thousands and hundred-millions); the full amount appears
where there is room for it.
"""

import datetime
from decimal import ROUND_HALF_UP, Decimal

from django.utils import formats
from django.utils.translation import get_language

DASH = "—"


def is_chinese() -> bool:
    return (get_language() or "").lower().startswith("zh")


def _trim(value: float, decimals: int) -> str:
    return f"{value:,.{decimals}f}"


def short_amount(value) -> str:
    """An amount in a few characters: 1.25M, 830k, 4.10bn; in Chinese 125万, 4.10亿."""
    if value is None:
        return DASH
    if is_chinese():
        number = float(value)
        size = abs(number)
        if size >= 1e8:
            return f"{_trim(number / 1e8, 2)}亿"
        if size >= 1e4:
            return f"{_trim(number / 1e4, 1 if size < 1e6 else 0)}万"
        return _trim(number, 0)
    return short_amount_latin(value)


def short_amount_latin(value) -> str:
    """An amount as English writes it short, whatever the language: 1.25M, 830k, 4.10bn."""
    if value is None:
        return DASH
    number = float(value)
    size = abs(number)
    if size >= 1e9:
        return f"{_trim(number / 1e9, 2)}bn"
    if size >= 1e6:
        return f"{_trim(number / 1e6, 2)}M"
    if size >= 1e3:
        return f"{_trim(number / 1e3, 0)}k"
    return _trim(number, 0)


def full_amount(value, currency: str = "") -> str:
    """The whole amount, grouped by thousands, with its currency: 1,250,000 CNY."""
    if value is None:
        return DASH
    whole = Decimal(value).quantize(Decimal(1), rounding=ROUND_HALF_UP)
    formatted = formats.number_format(whole, decimal_pos=0, use_l10n=True, force_grouping=True)
    return f"{formatted} {currency}".strip()


def index(value) -> str:
    """CPI, SPI and the like: two decimals."""
    if value is None:
        return DASH
    return f"{float(value):.2f}"


def percent(value, decimals: int = 0) -> str:
    if value is None:
        return DASH
    return f"{float(value):.{decimals}f}%"


def count(value) -> str:
    return f"{int(value or 0):,}"


def date(value: datetime.date | None) -> str:
    """A date as the language writes it: June 30, 2026; 2026年6月30日."""
    if value is None:
        return DASH
    return formats.date_format(value, "DATE_FORMAT")


def short_date(value: datetime.date | None) -> str:
    """A date for a table cell: 2026-06-30 in both languages."""
    if value is None:
        return DASH
    return value.isoformat()


def month(value: datetime.date) -> str:
    """A month for a chart axis: Jun 2026, 2026年6月."""
    if is_chinese():
        return f"{value.year}年{value.month}月"
    return value.strftime("%b %Y")
