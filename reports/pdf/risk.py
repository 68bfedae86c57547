"""The risk report: exposure, the heat maps after and before responses, the top risks, the
risks newly critical, exposure month by month and the roll-up by category."""

from django.utils.translation import gettext as _
from reportlab.platypus import PageBreak

from risks.figures import exposure_over_time, rollup_by_category

from .. import dashboard
from . import charts, data, formatting, sections
from .base import Composed, Request
from .sections import Story
from .styles import LEVEL_COLOURS, RAG_COLOURS


def compose(request: Request) -> Composed:
    today, rates = request.period_end, request.context.rates
    risks = request.scope.risks()
    masthead = request.masthead(
        _("Risk report"), _("Risk exposure, heat maps and top risks"), "risk"
    )
    figures = data.risk_figures(risks, rates, inherent=True)
    totals = figures.totals
    story = Story(request.theme)
    sections.cover(
        story, masthead,
        request.facts(masthead, (_("Active risks"), formatting.count(totals["active_count"]))),
        _("%(critical)s critical and %(high)s high risks are active.")
        % {"critical": formatting.count(totals["critical_count"]),
           "high": formatting.count(totals["high_count"])},
    )  # fmt: skip
    sections.contents(story)
    story.add(PageBreak())
    exposure(story, figures)
    sections.risks(story, figures)
    newly_critical(story, request)
    story.section(_("Exposure over time"), "exposure-time", room=240)
    points = exposure_over_time(risks, rates, months=12, today=today)
    story.add(
        charts.line_chart(
            [formatting.month(point.month_end) for point in points],
            [(_("Threat EMV"), [point.threat_emv for point in points], RAG_COLOURS["red"])],
            story.theme, story.width,
        )
    )  # fmt: skip
    story.table(
        [_("Month"), _("Active risks"), _("High or critical"), _("Threat EMV")],
        [[formatting.month(p.month_end), formatting.count(p.active_count),
          formatting.count(p.severe_count), formatting.short_amount(p.threat_emv)]
         for p in points],
        [34, 22, 22, 22], right=(1, 2, 3),
    )  # fmt: skip
    story.section(_("Risks by category"), "categories")
    rows, total = rollup_by_category(risks, rates)
    story.table(
        [_("Category"), _("Active risks"), _("Critical"), _("High"), _("Threat EMV"),
         _("Opportunity EMV")],
        [[row.label, formatting.count(row.active_count), formatting.count(row.critical_count),
          formatting.count(row.high_count), formatting.short_amount(row.threat_emv),
          formatting.short_amount(row.opportunity_emv)] for row in [*rows, total] if row.label
         or row is total],
        [36, 11, 11, 11, 15, 16], right=(1, 2, 3, 4, 5),
    )  # fmt: skip
    return Composed(masthead, story)


def exposure(story: Story, figures: data.RiskFigures) -> None:
    totals, currency = figures.totals, figures.currency
    story.section(_("Exposure"), "exposure")
    story.cards(
        [
            (_("Active risks"), formatting.count(totals["active_count"]),
             _("%(count)s risks in all") % {"count": formatting.count(totals["risk_count"])},
             None),
            (_("Critical"), formatting.count(totals["critical_count"]), "",
             LEVEL_COLOURS["critical"]),
            (_("High"), formatting.count(totals["high_count"]), "", LEVEL_COLOURS["high"]),
            (_("Medium or low"),
             formatting.count(totals["medium_count"] + totals["low_count"]), "",
             LEVEL_COLOURS["low"]),
            (_("Threat exposure (EMV)"),
             f"{formatting.short_amount(totals['threat_emv'])} {currency}",
             formatting.full_amount(totals["threat_emv"], currency), RAG_COLOURS["red"]),
            (_("Opportunity value (EMV)"),
             f"{formatting.short_amount(totals['opportunity_emv'])} {currency}",
             formatting.full_amount(totals["opportunity_emv"], currency),
             RAG_COLOURS["green"]),
        ],
        columns=4,
    )  # fmt: skip


def newly_critical(story: Story, request: Request) -> None:
    story.section(_("Newly critical risks"), "newly-critical")
    if request.previous_end is None:
        story.paragraph(_("This is the first report of its series: there is nothing to compare "
                          "with yet."))  # fmt: skip
        return
    found = data.changes(
        dashboard.open_projects(request.scope.projects()), request.scope.risks(),
        previous_end=request.previous_end, period_end=request.period_end,
    ).critical_risks  # fmt: skip
    story.paragraph(
        _("Risks critical now that were not at %(date)s.")
        % {"date": formatting.date(request.previous_end)}, "note",
    )  # fmt: skip
    story.table(
        [_("Risk"), _("Project"), _("Owner"), _("Score"), _("EMV")],
        [[f"{r.reference} {r.title}", r.scope_label, sections.person(r.owner),
          formatting.count(r.residual_score), f"{formatting.short_amount(r.emv)} {r.currency}"]
         for r in found.rows],
        [44, 16, 18, 8, 14], right=(3, 4), empty=_("No risk became critical."),
    )  # fmt: skip
    story.more(found)
