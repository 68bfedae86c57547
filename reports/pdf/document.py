"""The document every report is drawn on: page templates, running header and footer with
"page X of Y", the table of contents, PDF bookmarks and the document's metadata.

The document is laid out in a single pass, however long it is. The numbers it cannot know
while drawing a page, the total number of pages and the page each section starts on, are
drawn as references to PDF form objects (XObjects) whose content is written when the file is
saved: by then the page of each heading is known (afterFlowable records it, with the
bookmark) and so is the total. The table of contents lists the headings of the story, so it
takes the same room whatever the page numbers and never needs a second pass.
"""

import datetime
import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field

from django.utils.translation import gettext as _
from reportlab.lib.colors import Color
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.rl_accel import fp_str
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    BaseDocTemplate,
    CondPageBreak,
    Flowable,
    Frame,
    NextPageTemplate,
    PageBreak,
    PageTemplate,
    Paragraph,
)

from . import formatting
from .fonts import LATIN_FONT, beyond_latin
from .styles import BRAND, INK, MUTED, PALE, RAG_COLOURS, RULE, WHITE, Theme

MARGIN = 16 * mm
HEADER = 14 * mm
FOOTER = 12 * mm
COVER, BODY, WIDE = "cover", "body", "wide"


# --- the canvas: forms defined when the file is saved ---------------------------------------


class ReportCanvas(Canvas):
    """A canvas that defines the forms whose content is known only at the end (the total
    number of pages) just before it writes the file."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.before_save: list[Callable[[ReportCanvas], None]] = []

    @property
    def page_count(self) -> int:
        return self.getPageNumber() - 1

    def save(self):
        for finish in self.before_save:
            finish(self)
        super().save()


def _text_form(canvas: Canvas, name: str, text: str, font: str, size: float, *, right: bool):
    """A form that draws `text` from its origin (rightwards, or leftwards when `right`)."""
    width = stringWidth(text, font, size)
    lower_x, upper_x = (-width - 2, 2) if right else (-2, width + 2)
    canvas.beginForm(name, lowerx=lower_x, lowery=-size, upperx=upper_x, uppery=size * 1.5)
    canvas.setFont(font, size)
    canvas.setFillColor(INK)
    if right:
        canvas.drawRightString(0, 0, text)
    else:
        canvas.drawString(0, 0, text)
    canvas.endForm()


# --- headings and the table of contents -----------------------------------------------------


class Heading(Paragraph):
    """A section title: a PDF bookmark at its level and a line of the table of contents."""

    def __init__(self, text: str, style, *, key: str, level: int = 0, theme: Theme):
        self.key = key
        self.level = level
        self.title = text
        self.top = 0.0
        super().__init__(theme.markup(text), style)

    def draw(self):
        # Where the bookmark should take the reader: the top of the heading on its page.
        self.top = self.canv.absolutePosition(0, self.height)[1]
        super().draw()


class Contents(Flowable):
    """The table of contents: one line per heading, with dot leaders, the page number (a form
    written once the document is laid out) and a link to the heading."""

    LINE = 17

    def __init__(self, headings: Sequence[Heading], theme: Theme):
        super().__init__()
        self.headings = list(headings)
        self.theme = theme

    def wrap(self, available_width, available_height):
        self.width = available_width
        return available_width, self.LINE * len(self.headings)

    def draw(self):
        canvas = self.canv
        y = self.LINE * len(self.headings) - self.LINE + 5
        for heading in self.headings:
            top = heading.level == 0
            size = 10.5 if top else 9.5
            indent = 0 if top else 14
            font = self.theme.font_for(heading.title, bold=top)
            canvas.setFont(font, size)
            canvas.setFillColor(INK if top else MUTED)
            canvas.drawString(indent, y, heading.title)
            start = indent + stringWidth(heading.title, font, size) + 6
            end = self.width - 30
            canvas.setFillColor(RULE)
            dot = start
            while dot < end:
                canvas.circle(dot, y + 2, 0.5, stroke=0, fill=1)
                dot += 4
            canvas.saveState()
            canvas.translate(self.width, y)
            canvas.doForm(page_form(heading.key))
            canvas.restoreState()
            canvas.linkRect("", heading.key, (0, y - 4, self.width, y + self.LINE - 6),
                            relative=1, thickness=0)  # fmt: skip
            y -= self.LINE


def page_form(key: str) -> str:
    return f"SectionPage{re.sub(r'[^A-Za-z0-9]', '', key)}"


# --- the document ---------------------------------------------------------------------------


@dataclass
class Masthead:
    """What the cover, the running header and the metadata say about the report."""

    title: str
    scope: str
    period: str
    author: str
    subject: str
    keywords: list[str] = field(default_factory=list)
    generated: datetime.datetime | None = None


class ReportDocument(BaseDocTemplate):
    """A4 pages: a cover, portrait pages for the sections and landscape pages for wide tables,
    each with the running header and footer."""

    def __init__(self, output, *, theme: Theme, masthead: Masthead):
        self.theme = theme
        self.masthead = masthead
        self.section_pages: dict[str, int] = {}
        super().__init__(
            output,
            pagesize=A4,
            leftMargin=MARGIN,
            rightMargin=MARGIN,
            topMargin=MARGIN + HEADER,
            bottomMargin=MARGIN + FOOTER,
            title=masthead.title,
            author=masthead.author,
            subject=masthead.subject,
            keywords=masthead.keywords,
            creator="PMO Portal",
            lang="zh-Hans" if theme.chinese else "en",
            displayDocTitle=1,
            initialFontName=theme.font,
        )
        portrait_width, portrait_height = A4
        self.addPageTemplates(
            [
                PageTemplate(
                    COVER,
                    [
                        Frame(
                            MARGIN,
                            MARGIN,
                            portrait_width - 2 * MARGIN,
                            portrait_height - 2 * MARGIN,
                            id="cover",
                        )
                    ],  # fmt: skip
                    onPage=self._draw_cover,
                    pagesize=A4,
                ),
                PageTemplate(BODY, [self._body_frame(A4)], onPage=self._draw_running, pagesize=A4),
                PageTemplate(
                    WIDE,
                    [self._body_frame(landscape(A4))],
                    onPage=self._draw_running,
                    pagesize=landscape(A4),
                ),
            ]
        )

    @staticmethod
    def _body_frame(size) -> Frame:
        width, height = size
        return Frame(
            MARGIN, MARGIN + FOOTER, width - 2 * MARGIN, height - 2 * MARGIN - HEADER - FOOTER,
            leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0, id="body",
        )  # fmt: skip

    # Building.

    def render(self, story: list) -> int:
        """Lay the story out and write the file; the number of pages."""
        headings = [flowable for flowable in story if isinstance(flowable, Heading)]
        for flowable in story:
            if isinstance(flowable, Contents):
                flowable.headings = headings
        pages = {}

        def finish(canvas: ReportCanvas):
            pages["count"] = canvas.page_count
            self._define_total(canvas)
            for heading in headings:
                number = self.section_pages.get(heading.key)
                text = formatting.count(number) if number else ""
                _text_form(canvas, page_form(heading.key), text, self.theme.font, 9.5,
                           right=True)  # fmt: skip

        def canvas_maker(*args, **kwargs):
            canvas = ReportCanvas(*args, **kwargs)
            canvas.before_save.append(finish)
            return canvas

        self.build(story, canvasmaker=canvas_maker)
        return pages["count"]

    def afterFlowable(self, flowable):
        if isinstance(flowable, Heading):
            self.section_pages[flowable.key] = self.page
            self.canv.bookmarkHorizontalAbsolute(flowable.key, flowable.top)
            self.canv.addOutlineEntry(flowable.title, flowable.key, flowable.level,
                                      closed=False)  # fmt: skip

    # Page furniture.

    def _page_label(self) -> tuple[str, str]:
        """The words before and after the total in "Page X of Y" for this page."""
        words = _("Page %(page)s of %(pages)s")
        before, _marker, after = words.partition("%(pages)s")
        return before % {"page": formatting.count(self.page)}, after

    def _define_total(self, canvas: ReportCanvas):
        _before, after = self._page_label()
        text = f"{formatting.count(canvas.page_count)}{after}"
        _text_form(canvas, "PageTotal", text, self.theme.font, 7.5, right=False)

    def _draw_running(self, canvas: Canvas, document):
        width, height = canvas._pagesize
        theme, masthead = self.theme, self.masthead
        canvas.saveState()
        top = height - MARGIN
        canvas.setFillColor(BRAND)
        canvas.rect(MARGIN, top - 2.2, 22, 2.2, stroke=0, fill=1)
        canvas.setFont(theme.font_for(masthead.title, bold=True), 8.5)
        canvas.drawString(MARGIN + 28, top - 3.5, masthead.title)
        header_right = f"{masthead.scope} · {masthead.period}"
        canvas.setFont(theme.font_for(header_right), 7.5)
        canvas.setFillColor(MUTED)
        canvas.drawRightString(width - MARGIN, top - 3.5, header_right)
        canvas.setStrokeColor(RULE)
        canvas.setLineWidth(0.6)
        canvas.line(MARGIN, top - 8, width - MARGIN, top - 8)

        bottom = MARGIN
        canvas.line(MARGIN, bottom + 9, width - MARGIN, bottom + 9)
        generated = masthead.generated or datetime.datetime.now()
        footer_left = _("PMO Portal · generated %(date)s · confidential") % {
            "date": formatting.date(generated.date())
        }
        canvas.setFont(theme.font_for(footer_left), 7.5)
        canvas.setFillColor(MUTED)
        canvas.drawString(MARGIN, bottom, footer_left)
        before, _after = self._page_label()
        canvas.setFont(theme.font_for(before), 7.5)
        x = width - MARGIN - 70
        canvas.drawString(x, bottom, before)
        canvas.translate(x + stringWidth(before, theme.font_for(before), 7.5), bottom)
        canvas.doForm("PageTotal")
        canvas.restoreState()

    def _draw_cover(self, canvas: Canvas, document):
        width, height = canvas._pagesize
        canvas.saveState()
        canvas.setFillColor(BRAND)
        canvas.rect(0, height - 118 * mm, width, 118 * mm, stroke=0, fill=1)
        canvas.setFillColor(colour_mix(BRAND, WHITE, 0.18))
        canvas.rect(0, height - 118 * mm, width, 4 * mm, stroke=0, fill=1)
        for index, rag in enumerate(("green", "amber", "red")):
            canvas.setFillColor(RAG_COLOURS[rag])
            canvas.circle(MARGIN + 4 + index * 12, height - MARGIN - 4, 4, stroke=0, fill=1)
        canvas.setFont(self.theme.bold, 9)
        canvas.setFillColor(WHITE)
        canvas.drawString(MARGIN + 40, height - MARGIN - 7, "PMO Portal")
        canvas.setFillColor(PALE)
        canvas.rect(0, 0, width, 22 * mm, stroke=0, fill=1)
        canvas.restoreState()


def colour_mix(first, second, share: float):
    """`first` with `share` of `second` mixed in."""
    return Color(
        first.red + (second.red - first.red) * share,
        first.green + (second.green - first.green) * share,
        first.blue + (second.blue - first.blue) * share,
    )


def section_break(height: float = 140) -> CondPageBreak:
    """A page break when less than `height` is left: no heading alone at a page's foot."""
    return CondPageBreak(height)


def to_template(name: str, *, new_page: bool = True) -> list:
    flowables = [NextPageTemplate(name)]
    if new_page:
        flowables.append(PageBreak())
    return flowables


# --- long tables drawn straight on the canvas ------------------------------------------------


@dataclass
class Column:
    """A column of a RowTable: its title, its share of the width and how its cells look."""

    title: str
    share: float
    align: str = "left"  # "left", "right" or "center"
    rag: bool = False  # the cell is a RAG value, drawn as a coloured dot and its label


class RowTable(Flowable):
    """A table of one-line rows drawn straight on the canvas, its header repeated on every
    page. The rows come from an iterable read only as pages fill: a table of any length holds
    one page of rows in memory, and costs a few canvas operations a cell.

    A cell longer than its column is cut short with an ellipsis. `rag_labels` names the RAG
    values of the RAG columns."""

    FONT_SIZE = 7.2
    ROW = 11.5
    HEAD = 15

    def __init__(self, columns: list[Column], rows: Iterable[Sequence], *, theme: Theme,
                 rag_labels: dict | None = None):  # fmt: skip
        super().__init__()
        self.columns = columns
        self.theme = theme
        self.rag_labels = rag_labels or {}
        self._rows: Iterator[Sequence] = iter(rows)
        self._buffer: list[Sequence] = []
        self._exhausted = False
        self._page_rows: list[Sequence] = []
        self.width = 0

    def _fill(self, wanted: int) -> None:
        while len(self._buffer) < wanted and not self._exhausted:
            try:
                self._buffer.append(next(self._rows))
            except StopIteration:
                self._exhausted = True

    def _capacity(self, available_height: float) -> int:
        return max(int((available_height - self.HEAD) // self.ROW), 0)

    def wrap(self, available_width, available_height):
        self.width = available_width
        capacity = self._capacity(available_height)
        self._fill(capacity + 1)
        if len(self._buffer) <= capacity:
            return available_width, self.HEAD + self.ROW * max(len(self._buffer), 1)
        # More rows than the frame holds: too tall, so that the frame splits the table.
        return available_width, available_height + self.ROW

    def split(self, available_width, available_height):
        capacity = self._capacity(available_height)
        if capacity < 1:
            return []
        self._fill(capacity + 1)
        block = RowTable(self.columns, [], theme=self.theme, rag_labels=self.rag_labels)
        block._buffer, self._buffer = self._buffer[:capacity], self._buffer[capacity:]
        block._exhausted = True
        # The rest goes on as this same flowable: it is not one reportlab has had to put off.
        self.__dict__.pop("_postponed", None)
        return [block, self]

    def draw(self):
        self._draw_rows(self._buffer)
        self._buffer = []

    # Drawing.

    def _widths(self) -> list[float]:
        total = sum(column.share for column in self.columns)
        return [self.width * column.share / total for column in self.columns]

    def _draw_rows(self, rows: list[Sequence]) -> None:
        canvas = self.canv
        cells = getattr(self, "cells", None) or CellText(canvas, self.FONT_SIZE, self.cell_font)
        self.cells = cells
        pad = 3
        top = self.HEAD + self.ROW * max(len(rows), 1)
        # Each column: its left edge, width, room for text, alignment, RAG or not.
        layout, x = [], 0.0
        for column, width in zip(self.columns, self._widths(), strict=True):
            offset = 9 if column.rag else 0
            layout.append((x + offset, width - offset, width - offset - 2 * pad, column.align,
                           column.rag))  # fmt: skip
            x += width
        # The header.
        canvas.setFillColor(BRAND)
        canvas.rect(0, top - self.HEAD, self.width, self.HEAD, stroke=0, fill=1)
        operators, x = [], 0.0
        baseline = top - self.HEAD + 5
        for column, width in zip(self.columns, self._widths(), strict=True):
            font = self.theme.font_for(column.title, bold=True)
            font_operator, text, text_width = cells.cell(column.title, width - 2 * pad, font)
            position = self._x(column.align, x, width, text_width, pad)
            operators.append(f"1 0 0 1 {position:.2f} {baseline:.2f} Tm")
            if font_operator:
                operators.append(font_operator)
            operators.append(text)
            x += width
        cells.draw(operators, WHITE)
        # Zebra stripes, the cells (one text object for the page) and the RAG dots.
        canvas.setFillColor(PALE)
        for index in range(1, len(rows), 2):
            canvas.rect(0, top - self.HEAD - self.ROW * (index + 1), self.width, self.ROW,
                        stroke=0, fill=1)  # fmt: skip
        operators, dots = [], []
        current = None  # the font operator in force in the text object
        rag_labels, place, cell = self.rag_labels, self._x, cells.cell
        for index, row in enumerate(rows):
            baseline = top - self.HEAD - self.ROW * (index + 1) + 3.5
            for (left, width, room, align, rag), value in zip(layout, row, strict=True):
                if rag:
                    dots.append((left - 6 + pad, baseline + 2.3, value))
                    value = rag_labels.get(value, formatting.DASH)
                if value is None or value == "":
                    continue
                font_operator, text, text_width = cell(str(value), room)
                operators.append(
                    f"1 0 0 1 {place(align, left, width, text_width, pad):.2f} {baseline:.2f} Tm"
                )
                if font_operator is None:  # sets its own fonts
                    current = None
                elif font_operator != current:
                    operators.append(font_operator)
                    current = font_operator
                operators.append(text)
        cells.draw(operators, INK)
        for x, y, rag in dots:
            canvas.setFillColor(RAG_COLOURS.get(rag, RAG_COLOURS[None]))
            canvas.rect(x - 2.4, y - 2.4, 4.8, 4.8, stroke=0, fill=1)
        canvas.setStrokeColor(RULE)
        canvas.setLineWidth(0.5)
        canvas.line(0, 0, self.width, 0)

    def cell_font(self, text: str) -> str:
        """Cells of Latin letters and digits are set in Helvetica in either language (a table
        of thousands of rows is drawn much faster so); others in the theme's font."""
        return self.theme.font_for(text) if beyond_latin(text) else LATIN_FONT

    @staticmethod
    def _x(align: str, x: float, width: float, text_width: float, pad: float) -> float:
        if align == "right":
            return x + width - pad - text_width
        if align == "center":
            return x + (width - text_width) / 2
        return x + pad


class CellText:
    """The PDF text operators of table cells, written directly and kept by text.

    A long table repeats most of its cells (departments, managers, RAG, dates): the font, the
    operators and the width of a cell are worked out once, and none of reportlab's general
    text machinery (kerning, font fallback, cursor tracking) runs a cell at a time."""

    LIMIT = 50_000

    def __init__(self, canvas: Canvas, size: float, choose_font: Callable[[str], str]):
        self.canvas = canvas
        self.size = size
        self.choose_font = choose_font
        self.fonts: dict = {}
        self.known: dict = {}
        self.size_text = fp_str(size)

    def cell(self, text: str, room: float, font: str | None = None) -> tuple:
        """(font operator, text operators, width) drawing `text`, cut short with an ellipsis
        to fit `room`. The font operator is None when the text operators select their own
        fonts (an embedded TrueType font, a subset of 256 characters at a time)."""
        key = (text, room, font)
        found = self.known.get(key)
        if found is None:
            if len(self.known) > self.LIMIT:
                self.known.clear()
            name = font or self.choose_font(text)
            fitted, width = self._cut(text, name, room)
            found = self.known[key] = (*self._operators(fitted, name), width)
        return found

    def _font(self, name: str):
        font = self.fonts.get(name)
        if font is None:
            font = self.fonts[name] = pdfmetrics.getFont(name)
        return font

    def _width(self, text: str, font) -> float:
        # ASCII in a standard font: the widths table straight, much quicker than the general
        # measure (which looks for each character's encoding and substitute fonts).
        if not font._dynamicFont and text.isascii():
            widths = font.widths
            return sum(widths[code] for code in text.encode("ascii")) * self.size / 1000
        return font.stringWidth(text, self.size)

    def _cut(self, text: str, name: str, room: float) -> tuple[str, float]:
        font = self._font(name)
        width = self._width(text, font)
        if width <= room:
            return text, width
        # Cut in proportion first, then a character at a time.
        text = text[: max(int(len(text) * room / width), 1)]
        width = font.stringWidth(text + "…", self.size)
        while len(text) > 1 and width > room:
            text = text[:-1]
            width = font.stringWidth(text + "…", self.size)
        return text + "…", width

    def _operators(self, text: str, name: str) -> tuple[str | None, str]:
        document = self.canvas._doc
        escape = self.canvas._escape
        size = self.size_text
        font = self._font(name)
        if font._dynamicFont:
            return None, " ".join(
                f"{font.getSubsetInternalName(subset, document)} {size} Tf ({escape(chunk)}) Tj"
                for subset, chunk in font.splitString(text, document)
            )
        if text.isascii():
            return f"{document.getInternalFontName(name)} {size} Tf", f"({escape(text)}) Tj"
        runs = pdfmetrics.unicode2T1(text, [font, *font.substitutionFonts])
        if len(runs) == 1 and runs[0][0] is font:
            return f"{document.getInternalFontName(name)} {size} Tf", f"({escape(runs[0][1])}) Tj"
        return None, " ".join(
            f"{document.getInternalFontName(used.fontName)} {size} Tf ({escape(chunk)}) Tj"
            for used, chunk in runs
        )

    def draw(self, operators: list[str], colour) -> None:
        text = self.canvas.beginText()
        text.setFillColor(colour)
        text._code.extend(operators)
        self.canvas.drawText(text)
