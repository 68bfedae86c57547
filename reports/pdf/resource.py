"""The resource report: utilisation and over-allocation by role over the coming months, and
the people most booked over their capacity."""

from django.utils.translation import gettext as _
from reportlab.platypus import PageBreak

from . import data, formatting, sections
from .base import Composed, Request
from .sections import Story


def compose(request: Request) -> Composed:
    departments = request.scope.people_departments
    figures = data.resource_figures(request.period_end, departments)
    masthead = request.masthead(
        _("Resource report"), _("Utilisation and over-allocation by role"), "resource"
    )
    total = figures.total
    story = Story(request.theme)
    sections.cover(
        story, masthead,
        request.facts(masthead, (_("People"), formatting.count(total.people))),
        _("%(over)s of %(people)s people are booked over their capacity this month.")
        % {"over": formatting.count(total.over_allocated),
           "people": formatting.count(total.people)},
    )  # fmt: skip
    sections.contents(story)
    story.add(PageBreak())
    sections.resources(story, figures, organisation=departments is None)
    sections.over_allocated_people(story, figures)
    return Composed(masthead, story)
