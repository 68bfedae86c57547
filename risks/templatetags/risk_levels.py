"""The level badge as a filter, for long lists where an include per row costs too much."""

from django import template

from ..models import Level
from ..tables import level_badge

register = template.Library()


@register.filter
def residual_level_badge(risk) -> str:
    """The badge of the risk's residual level, as risks/_level.html draws it."""
    # The enum's label: get_residual_level_display() costs several times more on every row.
    return level_badge(risk.residual_level, Level(risk.residual_level).label)
