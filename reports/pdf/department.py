"""The department report: the executive summary narrowed to one or more departments (with
their sub-departments), their people's utilisation, and every project of theirs."""

from django.utils.translation import gettext as _
from reportlab.platypus import PageBreak

from .. import dashboard
from . import data, formatting, sections
from .base import Composed, Request
from .executive_summary import summary
from .sections import Story


def compose(request: Request) -> Composed:
    if not request.scope.scope.department_ids:
        raise ValueError("A department report needs at least one department in its scope.")
    today, context = request.period_end, request.context
    projects = dashboard.open_projects(request.scope.projects())
    masthead = request.masthead(
        _("Department report"), _("Status, money, risks and people of a department"),
        "department",
    )  # fmt: skip
    head = data.headline(projects, today, context.rates, context.sources)
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
    sections.trend_and_budget(story, dashboard.rag_trend(projects, today), None, request.currency)
    sections.attention(story, data.attention(projects, today, context.sources,
                                             head.attention["any"]))  # fmt: skip
    sections.milestones(story, data.milestones(projects, today))
    sections.risks(story, data.risk_figures(request.scope.risks(), context.rates))
    figures = data.resource_figures(today, request.scope.people_departments)
    sections.resources(story, figures, organisation=False)
    sections.over_allocated_people(story, figures)
    every = request.scope.projects()
    sections.appendix(
        story, data.appendix_rows(every, today, chinese=request.theme.chinese),
        every.count(), request.currency,
    )  # fmt: skip
    return Composed(masthead, story)
