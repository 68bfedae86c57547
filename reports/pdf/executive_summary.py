"""The portfolio executive summary: the portfolio at a glance, what changed, trends, risks,
resources, milestones, the projects needing attention and an appendix of every project."""

from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from reportlab.platypus import PageBreak

from .. import dashboard
from . import data, formatting, sections
from .base import Composed, Request
from .sections import Story


def compose(request: Request) -> Composed:
    today, context = request.period_end, request.context
    projects = dashboard.open_projects(request.scope.projects())
    masthead = request.masthead(
        _("Portfolio executive summary"),
        _("Status, money, risks and resources of the portfolio"),
        "executive_summary",
    )
    departments, costs = data.budget_by_department(projects, today)
    head = data.headline(projects, today, context.rates, context.sources, costs)
    story = Story(request.theme)
    sections.cover(story, masthead, request.facts(
        masthead, (_("Open projects"), formatting.count(head.project_count))
    ), summary(head))  # fmt: skip
    sections.contents(story)
    story.add(PageBreak())
    sections.headline(story, head)
    sections.changes(
        story,
        data.changes(projects, request.scope.risks(), previous_end=request.previous_end,
                     period_end=today),
    )  # fmt: skip
    sections.trend_and_budget(
        story, dashboard.rag_trend(projects, today), departments, request.currency,
    )  # fmt: skip
    sections.risks(story, data.risk_figures(request.scope.risks(), context.rates))
    sections.resources(
        story,
        data.resource_figures(today, request.scope.people_departments),
        organisation=request.scope.people_departments is None,
    )
    sections.milestones(story, data.milestones(projects, today))
    sections.attention(story, data.attention(projects, today, context.sources,
                                             head.attention["any"]))  # fmt: skip
    every = request.scope.projects()
    sections.appendix(
        story, data.appendix_rows(every, today, chinese=request.theme.chinese),
        every.count(), request.currency,
    )  # fmt: skip
    return Composed(masthead, story)


def summary(head: data.Headline) -> str:
    """One sentence for the cover."""
    return ngettext(
        "%(count)s open project: %(green)s green, %(amber)s amber, %(red)s red and "
        "%(unreported)s not reported yet.",
        "%(count)s open projects: %(green)s green, %(amber)s amber, %(red)s red and "
        "%(unreported)s not reported yet.",
        head.project_count,
    ) % {
        "count": formatting.count(head.project_count),
        "green": formatting.count(head.rag.get("green", 0)),
        "amber": formatting.count(head.rag.get("amber", 0)),
        "red": formatting.count(head.rag.get("red", 0)),
        "unreported": formatting.count(head.rag.get(None, 0)),
    }
