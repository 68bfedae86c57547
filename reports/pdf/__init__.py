"""Executive PDF reports, drawn with reportlab: the portfolio executive summary and the
department, project, risk and resource reports, in English or Simplified Chinese.

    render("executive_summary", language="zh-hans", scope=ReportScope(),
           period_end=date(2026, 6, 30), previous_period_end=date(2026, 5, 31))

returns the PDF, its number of pages and its title. Subscriptions, schedules and delivery
build on this; `manage.py render_report` renders one for the current data.
"""

import datetime
import io
from dataclasses import dataclass

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from . import department, executive_summary, project, resource, risk
from .base import Request
from .data import Context
from .document import ReportDocument
from .scope import ReportScope, ResolvedScope
from .styles import theme_for

REPORT_TYPES = [
    ("executive_summary", _("Portfolio executive summary")),
    ("department", _("Department report")),
    ("project", _("Project report")),
    ("risk", _("Risk report")),
    ("resource", _("Resource report")),
]
COMPOSERS = {
    "executive_summary": executive_summary.compose,
    "department": department.compose,
    "project": project.compose,
    "risk": risk.compose,
    "resource": resource.compose,
}


@dataclass(frozen=True)
class RenderedReport:
    """A rendered report: the PDF file's bytes, its number of pages and its title."""

    content: bytes
    pages: int
    title: str


def render(
    report_type: str,
    *,
    language: str,
    scope: ReportScope,
    period_end: datetime.date,
    previous_period_end: datetime.date | None,
) -> RenderedReport:
    """Render a report of `report_type` (a value of REPORT_TYPES) in `language` ("en" or
    "zh-hans") for the current data, as of `period_end`, compared with the situation at
    `previous_period_end` (None: a first report, nothing to compare with)."""
    if report_type not in COMPOSERS:
        raise ValueError(f"Unknown report type {report_type!r}.")
    if language not in dict(settings.LANGUAGES):
        raise ValueError(f"Unknown language {language!r}.")
    if previous_period_end is not None and previous_period_end >= period_end:
        raise ValueError("The previous period must end before this one.")
    with translation.override(language):
        theme = theme_for(language)
        request = Request(
            scope=ResolvedScope.of(scope),
            period_end=period_end,
            previous_end=previous_period_end,
            theme=theme,
            context=Context(period_end, previous_period_end),
        )
        composed = COMPOSERS[report_type](request)
        output = io.BytesIO()
        document = ReportDocument(output, theme=theme, masthead=composed.masthead)
        pages = document.render(composed.story.flowables)
        return RenderedReport(output.getvalue(), pages, composed.masthead.title)


__all__ = ["REPORT_TYPES", "RenderedReport", "ReportScope", "render"]
