"""Template helpers shared by every area: money and user names in the user's language."""

from decimal import Decimal

from django import template
from django.utils.formats import number_format

register = template.Library()


@register.filter
def money(amount: Decimal | None, currency: str = "") -> str:
    """An amount grouped per the active locale, with its currency code: 1,250,000.00 CNY."""
    if amount is None:
        return "—"
    formatted = number_format(amount, decimal_pos=2, use_l10n=True, force_grouping=True)
    return f"{formatted} {currency}".strip()


@register.filter
def person(user) -> str:
    if user is None:
        return "—"
    return user.get_full_name() or user.get_username()
