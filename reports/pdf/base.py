"""What every report type is given and gives back: the request (scope, period, language) and
the composed report (masthead and story)."""

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.utils.translation import gettext as _

from . import formatting
from .data import Context
from .document import Masthead
from .scope import ResolvedScope
from .sections import Story
from .styles import Theme


@dataclass
class Request:
    """A report to compose: its scope (read), period, theme and the shared figures."""

    scope: ResolvedScope
    period_end: datetime.date
    previous_end: datetime.date | None
    theme: Theme
    context: Context

    @property
    def currency(self) -> str:
        return settings.DEFAULT_CURRENCY

    def masthead(self, title: str, subject: str, keyword: str) -> Masthead:
        return Masthead(
            title=title,
            scope=self.scope.label(),
            period=_("Period ending %(date)s") % {"date": formatting.date(self.period_end)},
            author=_("Project Management Office"),
            subject=subject,
            keywords=["PMO", keyword],
        )

    def facts(self, masthead: Masthead, *extra: tuple[str, str]) -> list[tuple[str, str]]:
        """The cover's facts: scope, period, comparison, and what the report adds."""
        compared = (
            formatting.date(self.previous_end) if self.previous_end else _("No previous report")
        )
        return [
            (_("Scope"), masthead.scope),
            (_("Period ending"), formatting.date(self.period_end)),
            (_("Compared with"), compared),
            *extra,
        ]


@dataclass
class Composed:
    masthead: Masthead
    story: Story
