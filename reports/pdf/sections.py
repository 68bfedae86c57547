"""The sections the reports are made of, each a function that adds its flowables to a
Story: the executive summary uses them all, the shorter reports some of them."""

from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from reportlab.lib.units import mm
from reportlab.platypus import KeepTogether, Paragraph, Spacer, Table, TableStyle

from risks.models import Level

from ..dashboard import MILESTONE_DAYS
from ..models import RAG
from . import charts, formatting
from .data import Changes, Headline, Listed, Milestones, ResourceFigures, RiskFigures
from .document import (
    BODY,
    WIDE,
    Column,
    Contents,
    Heading,
    Masthead,
    RowTable,
    section_break,
    to_template,
)
from .fonts import CJK_FONT
from .styles import BRAND, LEVEL_COLOURS, PALE, RAG_COLOURS, RULE, Theme

CONTENT_WIDTH = 210 * mm - 32 * mm


def swatch(colour) -> str:
    """Paragraph markup of a coloured dot (drawn in the embedded font, which has the glyph)."""
    return f'<font name="{CJK_FONT}" color="#{colour.hexval()[2:]}">●</font>'


def rag_labels() -> dict:
    labels = {value: str(label) for value, label in RAG.choices}
    labels[None] = _("Not reported")
    return labels


class Story:
    """The flowables of a report, with numbered sections and the tables and cards they use."""

    def __init__(self, theme: Theme):
        self.theme = theme
        self.flowables: list = []
        self.number = 0
        self.width = CONTENT_WIDTH

    def add(self, *flowables) -> None:
        self.flowables.extend(flowables)

    def section(self, title: str, key: str, *, room: float = 160) -> None:
        self.number += 1
        self.add(section_break(room))
        self.add(Heading(f"{self.number}. {title}", self.theme["h1"], key=key, theme=self.theme))

    def subsection(self, title: str, key: str, *, room: float = 110) -> None:
        self.add(section_break(room))
        self.add(Heading(title, self.theme["h2"], key=key, level=1, theme=self.theme))

    def text(self, text: str, style: str = "body") -> Paragraph:
        return Paragraph(self.theme.markup(text), self.theme[style])

    def paragraph(self, text: str, style: str = "body") -> None:
        self.add(self.text(text, style))

    def cell(self, value, style: str = "cell") -> Paragraph:
        return self.text("" if value is None else str(value), style)

    def rag(self, value) -> Paragraph:
        """A RAG cell: a coloured dot and the word."""
        label = self.theme.markup(rag_labels().get(value, formatting.DASH))
        return Paragraph(f"{swatch(RAG_COLOURS.get(value, RAG_COLOURS[None]))} {label}",
                         self.theme["cell"])  # fmt: skip

    def table(self, header: list[str], rows: list[list], shares: list[float],
              right: tuple[int, ...] = (), *, empty: str = "") -> None:  # fmt: skip
        """A table of a few dozen rows at most: header in the brand colour, zebra rows,
        numbers right-aligned; each cell wraps."""
        if not rows:
            self.paragraph(empty or _("None."), "note")
            return
        theme = self.theme
        head = [Paragraph(theme.markup(title), theme["head_right" if i in right else "head"])
                for i, title in enumerate(header)]  # fmt: skip
        body = [
            [value if not isinstance(value, str | int | float) and value is not None
             else self.cell(value, "cell_right" if i in right else "cell")
             for i, value in enumerate(row)]
            for row in rows
        ]  # fmt: skip
        total = sum(shares)
        table = Table([head, *body], colWidths=[self.width * s / total for s in shares],
                      repeatRows=1, hAlign="LEFT")  # fmt: skip
        style = [
            ("BACKGROUND", (0, 0), (-1, 0), BRAND),
            ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
            ("TOPPADDING", (0, 0), (-1, -1), 3),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
            ("LEFTPADDING", (0, 0), (-1, -1), 4),
            ("RIGHTPADDING", (0, 0), (-1, -1), 4),
            ("LINEBELOW", (0, -1), (-1, -1), 0.5, RULE),
        ]
        style += [("BACKGROUND", (0, i), (-1, i), PALE) for i in range(2, len(rows) + 1, 2)]
        table.setStyle(TableStyle(style))
        self.add(table, Spacer(1, 4))

    def more(self, listed: Listed) -> None:
        """ "Showing 12 of 340." under a list that is cut short."""
        if listed.total > len(listed.rows):
            self.paragraph(
                _("Showing %(shown)s of %(total)s.")
                % {"shown": formatting.count(len(listed.rows)),
                   "total": formatting.count(listed.total)},
                "note",
            )  # fmt: skip

    def cards(self, cards: list[tuple], columns: int = 4) -> None:
        """Figure cards: (label, value, detail, accent colour or None)."""
        theme = self.theme
        cells = []
        for label, value, detail, _accent in cards:
            cells.append(
                [
                    Paragraph(theme.markup(label), theme["card_label"]),
                    Paragraph(theme.markup(value), theme["card_value"]),
                    Paragraph(theme.markup(detail), theme["card_detail"]),
                ]
            )
        while len(cells) % columns:
            cells.append("")
        rows = [cells[i : i + columns] for i in range(0, len(cells), columns)]
        gap = 6
        width = (self.width - gap * (columns - 1)) / columns
        grid = []
        for row in rows:
            line = []
            for index, cell in enumerate(row):
                line.append(cell)
                if index < columns - 1:
                    line.append("")
            grid.append(line)
        widths = []
        for index in range(columns):
            widths.append(width)
            if index < columns - 1:
                widths.append(gap)
        table = Table(grid, colWidths=widths, hAlign="LEFT")
        style = [
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("TOPPADDING", (0, 0), (-1, -1), 6),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 7),
            ("LEFTPADDING", (0, 0), (-1, -1), 8),
        ]
        for row_index, row in enumerate(rows):
            for column, card in enumerate(row):
                if not card:
                    continue
                position = (column * 2, row_index)
                accent = cards[row_index * columns + column][3] or BRAND
                style += [
                    ("BACKGROUND", position, position, PALE),
                    ("LINEBEFORE", position, position, 3, accent),
                ]
        table.setStyle(TableStyle(style))
        self.add(table, Spacer(1, 8))


# --- cover and contents ---------------------------------------------------------------------


def cover(story: Story, masthead: Masthead, facts: list[tuple[str, str]], summary: str) -> None:
    theme = story.theme
    story.add(
        Spacer(1, 34 * mm),
        Paragraph(theme.markup(masthead.title), theme["cover_title"]),
        Paragraph(theme.markup(masthead.scope), theme["cover_subtitle"]),
        Spacer(1, 56 * mm),
    )
    for label, value in facts:
        story.add(Paragraph(theme.markup(label), theme["cover_label"]),
                  Paragraph(theme.markup(value), theme["cover_value"]))  # fmt: skip
    story.add(Spacer(1, 4 * mm), story.text(summary))
    story.add(*to_template(BODY))


def contents(story: Story) -> None:
    story.add(Paragraph(story.theme.markup(_("Contents")), story.theme["toc_title"]))
    story.add(Contents([], story.theme))


# --- headline figures -----------------------------------------------------------------------


def _share(part: int, whole: int) -> str:
    return formatting.percent(part * 100 / whole) if whole else formatting.DASH


def headline(story: Story, figures: Headline) -> None:
    story.section(_("Headline figures"), "headline")
    labels = rag_labels()
    total = figures.project_count
    rag = figures.rag
    story.cards(
        [
            (_("Open projects"), formatting.count(total),
             _("%(count)s not reported yet") % {"count": formatting.count(rag.get(None, 0))},
             BRAND),
            (labels["green"], formatting.count(rag.get("green", 0)),
             _("%(share)s of open projects") % {"share": _share(rag.get("green", 0), total)},
             RAG_COLOURS["green"]),
            (labels["amber"], formatting.count(rag.get("amber", 0)),
             _("%(share)s of open projects") % {"share": _share(rag.get("amber", 0), total)},
             RAG_COLOURS["amber"]),
            (labels["red"], formatting.count(rag.get("red", 0)),
             _("%(share)s of open projects") % {"share": _share(rag.get("red", 0), total)},
             RAG_COLOURS["red"]),
        ]
    )  # fmt: skip
    currency = figures.currency
    spent = _share(figures.actual, figures.budget) if figures.budget else formatting.DASH
    variance = figures.variance
    ev = figures.earned_value
    story.cards(
        [
            (_("Budget (BAC)"), f"{formatting.short_amount(figures.budget)} {currency}",
             formatting.full_amount(figures.budget, currency), None),
            (_("Actual cost to date"), f"{formatting.short_amount(figures.actual)} {currency}",
             _("%(share)s of budget spent") % {"share": spent}, None),
            (_("Forecast at completion"),
             f"{formatting.short_amount(figures.forecast)} {currency}",
             (_("%(amount)s over budget") if variance < 0 else _("%(amount)s under budget"))
             % {"amount": f"{formatting.short_amount(abs(variance))} {currency}"},
             RAG_COLOURS["red"] if variance < 0 else RAG_COLOURS["green"]),
            (_("CPI / SPI"),
             f"{formatting.index(ev.cpi if ev else None)} / "
             f"{formatting.index(ev.spi if ev else None)}",
             _("%(cost)s over cost, %(late)s behind schedule")
             % {"cost": formatting.count(figures.cost_below),
                "late": formatting.count(figures.schedule_below)},
             None),
        ]
    )  # fmt: skip
    notes = [
        _("Projects by the RAG of their latest published status report. Amounts in "
          "%(currency)s at the exchange rates kept in the portal; CPI and SPI are the "
          "portfolio's, from the earned value of the %(count)s projects whose latest report "
          "carries it.") % {"currency": currency, "count": formatting.count(figures.reported)},
    ]  # fmt: skip
    if figures.unconverted:
        notes.append(
            ngettext(
                "%(count)s project in a currency without an exchange rate is left out of the "
                "amounts.",
                "%(count)s projects in currencies without an exchange rate are left out of "
                "the amounts.",
                figures.unconverted,
            )
            % {"count": formatting.count(figures.unconverted)}
        )
    attention = figures.attention
    notes.append(
        _("%(any)s projects need attention; %(due)s milestones fall due in the next "
          "%(days)s days and %(slipped)s have slipped against their baseline.")
        % {"any": formatting.count(attention.get("any", 0)),
           "due": formatting.count(figures.milestones.get("due", 0)),
           "days": MILESTONE_DAYS,
           "slipped": formatting.count(figures.milestones.get("slipped", 0))}
    )  # fmt: skip
    for note in notes:
        story.paragraph(note, "note")


# --- what changed ---------------------------------------------------------------------------


def changes(story: Story, found: Changes) -> None:
    story.section(_("What changed since the previous report"), "changes")
    if found.previous_end is None:
        story.paragraph(_("This is the first report of its series: there is nothing to compare "
                          "with yet."))  # fmt: skip
        return
    story.paragraph(
        _("Compared with the situation at %(date)s.")
        % {"date": formatting.date(found.previous_end)},
        "note",
    )
    story.subsection(_("New reds"), "changes-reds")
    story.table(
        [_("Project"), _("Department"), _("Manager"), _("Before"), _("Now")],
        [[str(p), p.department.display_name, person(p.manager), story.rag(p.rag_then),
          story.rag(p.latest_rag)] for p in found.new_reds.rows],
        [40, 18, 16, 13, 13], empty=_("No project turned red."),
    )  # fmt: skip
    story.more(found.new_reds)
    story.subsection(_("Recoveries"), "changes-recoveries")
    story.table(
        [_("Project"), _("Department"), _("Manager"), _("Before"), _("Now")],
        [[str(p), p.department.display_name, person(p.manager), story.rag(p.rag_then),
          story.rag(p.latest_rag)] for p in found.recoveries.rows],
        [40, 18, 16, 13, 13], empty=_("No project recovered."),
    )  # fmt: skip
    story.more(found.recoveries)
    story.subsection(_("Newly critical risks"), "changes-risks")
    story.table(
        [_("Risk"), _("Project"), _("Owner"), _("Score"), _("EMV")],
        [[f"{r.reference} {r.title}", r.scope_label, person(r.owner),
          formatting.count(r.residual_score), f"{formatting.short_amount(r.emv)} {r.currency}"]
         for r in found.critical_risks.rows],
        [44, 16, 18, 8, 14], right=(3, 4), empty=_("No risk became critical."),
    )  # fmt: skip
    story.more(found.critical_risks)
    story.subsection(_("Slipped milestones"), "changes-milestones")
    story.table(
        [_("Milestone"), _("Project"), _("Baseline"), _("Forecast"), _("Slip (days)")],
        [[m.name, m.project.code, formatting.short_date(m.baseline_date),
          formatting.short_date(m.forecast_date), formatting.count(m.slippage_days)]
         for m in found.slipped_milestones.rows],
        [38, 16, 16, 16, 14], right=(2, 3, 4), empty=_("No milestone slipped."),
    )  # fmt: skip
    story.more(found.slipped_milestones)
    story.subsection(_("Decisions taken"), "changes-decisions")
    story.table(
        [_("Date"), _("Kind"), _("On"), _("Decision"), _("Note")],
        [[formatting.short_date(d.day), d.kind, d.subject, d.decision, d.note[:160]]
         for d in found.decisions.rows],
        [13, 15, 32, 12, 28], empty=_("No decision was recorded."),
    )  # fmt: skip
    story.more(found.decisions)


def person(user) -> str:
    if user is None:
        return formatting.DASH
    return user.get_full_name() or user.get_username()


# --- charts ---------------------------------------------------------------------------------


def trend_and_budget(story: Story, trend: list, departments: list | None, currency: str) -> None:
    """The RAG trend, and the budget by department unless `departments` is None."""
    theme = story.theme
    story.section(_("RAG trend and budget") if departments is not None else _("RAG trend"),
                  "charts", room=260)  # fmt: skip
    story.subsection(_("Projects by RAG, month by month"), "charts-trend", room=220)
    story.add(charts.rag_trend(trend, rag_labels(), theme, story.width))
    story.paragraph(_("Each project counted once a month, by its last report of the month."),
                    "note")  # fmt: skip
    if departments is None:
        return
    story.subsection(_("Budget, actual and forecast by department"), "charts-budget", room=240)
    shown = departments[:8]
    if not shown:
        story.paragraph(_("None."), "note")
        return
    names = [row.department.code if row.department else "—" for row in shown]
    story.add(
        charts.budget_bars(
            [(row.budget, row.actual, row.eac) for row in shown], names, theme, story.width
        ),
        charts.legend_row(
            [(colour, label) for colour, label in zip(
                charts.SERIES[:3],
                [_("Budget"), _("Actual to date"), _("Forecast at completion")], strict=True)],
            theme, story.width,
        ),
    )  # fmt: skip
    story.table(
        [_("Department"), _("Projects"), _("Budget"), _("Actual"), _("Forecast"),
         _("Variance")],
        [[f"{row.department.code} {row.department.display_name}",
          formatting.count(row.project_count), formatting.short_amount(row.budget),
          formatting.short_amount(row.actual), formatting.short_amount(row.eac),
          formatting.short_amount(row.variance)] for row in departments[:15]],
        [40, 12, 12, 12, 12, 12], right=(1, 2, 3, 4, 5),
    )  # fmt: skip
    story.paragraph(_("Amounts in %(currency)s; a negative variance is a forecast overrun.")
                    % {"currency": currency}, "note")  # fmt: skip


# --- risks ----------------------------------------------------------------------------------


def risks(story: Story, figures: RiskFigures, *, number: bool = True) -> None:
    theme = story.theme
    story.section(_("Top risks and heat map"), "risks", room=260)
    totals = figures.totals
    story.paragraph(
        _("%(active)s active risks: %(critical)s critical, %(high)s high, %(medium)s medium, "
          "%(low)s low. Exposure of the active threats (EMV): %(emv)s; of the opportunities: "
          "%(opportunities)s.")
        % {"active": formatting.count(totals["active_count"]),
           "critical": formatting.count(totals["critical_count"]),
           "high": formatting.count(totals["high_count"]),
           "medium": formatting.count(totals["medium_count"]),
           "low": formatting.count(totals["low_count"]),
           "emv": formatting.full_amount(totals["threat_emv"], figures.currency),
           "opportunities": formatting.full_amount(totals["opportunity_emv"], figures.currency)}
    )  # fmt: skip
    maps = [charts.heat_map(figures.heat_map, theme, probability=_("Probability"),
                            impact=_("Impact"))]  # fmt: skip
    captions = [_("Active threats after responses (residual)")]
    if figures.inherent_map is not None:
        maps.append(charts.heat_map(figures.inherent_map, theme, probability=_("Probability"),
                                    impact=_("Impact")))  # fmt: skip
        captions.append(_("The same threats before responses (inherent)"))
    legend = [
        [Paragraph(f"{swatch(LEVEL_COLOURS[level])} {theme.markup(label)}", theme["cell"])]
        for level, label in _levels()
    ]  # fmt: skip
    legend_table = Table(legend, hAlign="LEFT")
    legend_table.setStyle(TableStyle([("LEFTPADDING", (0, 0), (-1, -1), 0),
                                      ("TOPPADDING", (0, 0), (-1, -1), 1),
                                      ("BOTTOMPADDING", (0, 0), (-1, -1), 1)]))  # fmt: skip
    row = []
    for drawing, caption in zip(maps, captions, strict=True):
        row.append([drawing, Paragraph(theme.markup(caption), theme["small"])])
    row.append(legend_table)
    grid = Table([row], hAlign="LEFT")
    grid.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"),
                              ("LEFTPADDING", (0, 0), (-1, -1), 0),
                              ("RIGHTPADDING", (0, 0), (-1, -1), 16)]))  # fmt: skip
    story.add(KeepTogether([grid, Spacer(1, 6)]))
    story.subsection(_("Top risks"), "risks-top")
    story.table(
        [_("Risk"), _("Project"), _("Owner"), _("P×I"), _("Level"), _("EMV")],
        [[f"{r.reference} {r.title}", r.scope_label, person(r.owner),
          f"{r.residual_probability}×{r.residual_impact}", r.get_residual_level_display(),
          f"{formatting.short_amount(r.emv)} {r.currency}"] for r in figures.top],
        [37, 13, 17, 10, 10, 13], right=(3, 5), empty=_("No active threat."),
    )  # fmt: skip


def _levels():
    return list(reversed(Level.choices))


# --- resources ------------------------------------------------------------------------------


def resources(story: Story, figures: ResourceFigures, *, organisation: bool) -> None:
    story.section(_("Resource utilisation"), "resources", room=240)
    story.paragraph(
        _("Hours booked (hard and soft bookings) against the capacity of the active people "
           "of the whole organisation, by role.") if organisation else
         _("Hours booked (hard and soft bookings) against the capacity of the active people "
           "of the departments in scope, by role.")
    )  # fmt: skip
    rows = [row for row in figures.roles if row.people or row.cells[0][1]]
    story.add(
        charts.utilisation_bars(
            [(row.label, row.current_percent) for row in rows[:14]], story.theme, story.width
        )
    )
    story.paragraph(
        _("Utilisation this month; the dashed line is full capacity, red bars are roles booked "
          "over it."), "note",
    )  # fmt: skip
    months = [formatting.month(month) for month in figures.months]
    story.subsection(_("Utilisation and over-allocation by role"), "resources-roles")
    story.table(
        [_("Role"), _("People"), _("Over-allocated"), *months],
        [[row.label, formatting.count(row.people), formatting.count(row.over_allocated),
          *[formatting.percent(cell[3]) for cell in row.cells]]
         for row in [*rows, figures.total]],
        [34, 11, 14, *[41 / len(months)] * len(months)], right=(1, 2, 3, 4, 5),
    )  # fmt: skip
    story.paragraph(_("Over-allocated: people booked over their capacity this month."), "note")


def over_allocated_people(story: Story, figures: ResourceFigures) -> None:
    story.subsection(_("Most over-allocated people"), "resources-people")
    story.table(
        [_("Person"), _("Role"), _("Department"), _("Booked this month")],
        [[person.name, role, department,
          formatting.percent(percent) if percent is not None else _("no capacity")]
         for person, role, department, percent in figures.over_people],
        [30, 26, 28, 16], right=(3,), empty=_("Nobody is booked over their capacity."),
    )  # fmt: skip


# --- milestones and attention ---------------------------------------------------------------


def milestones(story: Story, found: Milestones) -> None:
    story.section(_("Milestones due and slipped"), "milestones")
    story.subsection(_("Due in the next %(days)s days") % {"days": found.days}, "milestones-due")
    story.table(
        [_("Milestone"), _("Project"), _("Forecast"), _("Baseline")],
        [[m.name, str(m.project), formatting.short_date(m.forecast_date),
          formatting.short_date(m.baseline_date)] for m in found.due.rows],
        [34, 38, 14, 14], right=(2, 3), empty=_("No milestone falls due."),
    )  # fmt: skip
    story.more(found.due)
    story.subsection(_("Slipped against their baseline"), "milestones-slipped")
    story.table(
        [_("Milestone"), _("Project"), _("Baseline"), _("Forecast"), _("Slip (days)")],
        [[m.name, str(m.project), formatting.short_date(m.baseline_date),
          formatting.short_date(m.forecast_date), formatting.count(m.slippage_days)]
         for m in found.slipped.rows],
        [30, 34, 12, 12, 12], right=(2, 3, 4), empty=_("No milestone has slipped."),
    )  # fmt: skip
    story.more(found.slipped)


def attention(story: Story, found: Listed) -> None:
    story.section(_("Projects needing attention"), "attention")
    story.table(
        [_("Project"), _("Department"), _("Manager"), _("RAG"), _("Why")],
        [[str(p), p.department.display_name, person(p.manager), story.rag(p.latest_rag),
          ", ".join(p.reasons)] for p in found.rows],
        [34, 15, 14, 11, 26], empty=_("No project needs attention."),
    )  # fmt: skip
    story.more(found)


# --- the appendix ---------------------------------------------------------------------------


def appendix(story: Story, rows, count: int, currency: str) -> None:
    story.add(*to_template(WIDE))
    story.number += 1
    story.add(Heading(f"{story.number}. " + _("Appendix: every project"), story.theme["h1"],
                      key="appendix", theme=story.theme))  # fmt: skip
    if story.theme.chinese:
        # As Chinese finance tables do: every amount in ten-thousands, the unit said once.
        note = ngettext("%(count)s project, by code. Amounts in ten-thousands of %(currency)s.",
                        "%(count)s projects, by code. Amounts in ten-thousands of "
                        "%(currency)s.", count)  # fmt: skip
    else:
        note = ngettext("%(count)s project, by code. Amounts in %(currency)s.",
                        "%(count)s projects, by code. Amounts in %(currency)s.", count)  # fmt: skip
    story.paragraph(note % {"count": formatting.count(count), "currency": currency}, "note")
    columns = [
        Column(_("Code"), 7), Column(_("Project"), 22), Column(_("Department"), 11),
        Column(_("Manager"), 10), Column(_("Status"), 7), Column(_("RAG"), 7, rag=True),
        Column(_("Done"), 5, "right"), Column(_("Budget"), 6.5, "right"),
        Column(_("Actual"), 6.5, "right"), Column(_("Forecast"), 6.5, "right"),
        Column(_("CPI"), 4, "right"), Column(_("SPI"), 4, "right"), Column(_("End"), 7, "right"),
    ]  # fmt: skip
    story.add(RowTable(columns, _appendix_cells(rows, story.theme.chinese), theme=story.theme,
                       rag_labels=rag_labels()))  # fmt: skip


def _ten_thousands(value) -> str:
    return formatting.DASH if value is None else f"{float(value) / 1e4:,.1f}"


def _appendix_cells(rows, chinese: bool):
    """The appendix's cells as text; amounts in Latin digits only, which draw quickest."""
    index, percent, day = formatting.index, formatting.percent, formatting.short_date
    short = _ten_thousands if chinese else formatting.short_amount_latin

    for (code, name, department, manager, status, rag, done, budget, actual, forecast, cpi,
         spi, end) in rows:  # fmt: skip
        yield (code, name, department, manager, status, rag, percent(done), short(budget),
               short(actual), short(forecast), index(cpi), index(spi), day(end))  # fmt: skip
