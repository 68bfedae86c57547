"""The look of the PDF reports: colours, fonts and paragraph styles for each language.

An English report is set in Helvetica; any text the standard fonts cannot draw (a project
named in Chinese, say) is set in the embedded Chinese font, run by run. A Chinese report is set
in the embedded font throughout: it draws Latin letters and digits too.
"""

import re
from dataclasses import dataclass, field
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_LEFT, TA_RIGHT
from reportlab.lib.styles import ParagraphStyle

from .fonts import CJK_FONT, LATIN_BOLD, LATIN_FONT, beyond_latin, register_cjk_font

INK = colors.HexColor("#212529")
MUTED = colors.HexColor("#6c757d")
RULE = colors.HexColor("#dee2e6")
PALE = colors.HexColor("#f4f6f9")
BRAND = colors.HexColor("#1f3a5f")
ACCENT = colors.HexColor("#0d6efd")
WHITE = colors.white

RAG_COLOURS = {
    "green": colors.HexColor("#198754"),
    "amber": colors.HexColor("#ffc107"),
    "red": colors.HexColor("#dc3545"),
    None: colors.HexColor("#adb5bd"),
}
LEVEL_COLOURS = {
    "low": colors.HexColor("#d1e7dd"),
    "medium": colors.HexColor("#fff3cd"),
    "high": colors.HexColor("#fd9843"),
    "critical": colors.HexColor("#dc3545"),
}
# Text on a coloured background: white where the colour is dark.
LEVEL_TEXT = {"low": INK, "medium": INK, "high": INK, "critical": WHITE}
BAND_COLOURS = {
    "under": colors.HexColor("#d1e7dd"),
    "near": colors.HexColor("#fff3cd"),
    "over": colors.HexColor("#a52834"),
    "empty": WHITE,
}
SERIES = [BRAND, colors.HexColor("#4c9be8"), colors.HexColor("#f0ad4e"), MUTED]

# Runs the standard fonts cannot draw, to be set in the embedded font.
_NON_LATIN_RUN = re.compile(r"[^\x00-\xff\u0152\u0153\u0160\u0161\u0178\u017d\u017e\u0192"
                            r"\u02c6\u02dc\u2013\u2014\u2018-\u201e\u2020-\u2022\u2026\u2030"
                            r"\u2039\u203a\u20ac\u2122]+")  # fmt: skip


@dataclass
class Theme:
    """Fonts and paragraph styles for one language."""

    language: str
    font: str
    bold: str
    styles: dict = field(default_factory=dict)

    @property
    def chinese(self) -> bool:
        return self.language.startswith("zh")

    def font_for(self, text: str, *, bold: bool = False) -> str:
        """The font that draws `text`: the theme's, or the embedded one for non-Latin text."""
        if not self.chinese and beyond_latin(text):
            return CJK_FONT
        return self.bold if bold else self.font

    def markup(self, text) -> str:
        """`text` escaped for a paragraph, non-Latin runs in the embedded font."""
        escaped = escape(str(text))
        if self.chinese:
            return escaped
        return _NON_LATIN_RUN.sub(lambda run: f'<font name="{CJK_FONT}">{run[0]}</font>', escaped)

    def __getitem__(self, name: str) -> ParagraphStyle:
        return self.styles[name]


def theme_for(language: str) -> Theme:
    """The theme of a report in `language` ("en" or "zh-hans")."""
    cjk = register_cjk_font()
    if language.lower().startswith("zh"):
        theme = Theme(language, cjk, cjk)
    else:
        theme = Theme(language, LATIN_FONT, LATIN_BOLD)
    theme.styles = _styles(theme)
    return theme


def _styles(theme: Theme) -> dict[str, ParagraphStyle]:
    # Chinese lines wrap between any two characters; a little more leading reads better.
    extra = 1.15 if theme.chinese else 1.0
    wrap = {"wordWrap": "CJK"} if theme.chinese else {}
    body = ParagraphStyle(
        "body", fontName=theme.font, fontSize=9.5, leading=13 * extra, textColor=INK,
        spaceAfter=4, **wrap,
    )  # fmt: skip
    styles = {
        "body": body,
        "small": ParagraphStyle(
            "small", parent=body, fontSize=8, leading=10.5 * extra, textColor=MUTED
        ),  # fmt: skip
        "note": ParagraphStyle(
            "note",
            parent=body,
            fontSize=8.5,
            leading=11.5 * extra,
            textColor=MUTED,
            spaceBefore=2,
            spaceAfter=6,
        ),  # fmt: skip
        "cover_title": ParagraphStyle(
            "cover_title",
            parent=body,
            fontName=theme.bold,
            fontSize=28,
            leading=34 * extra,
            textColor=WHITE,
            spaceAfter=8,
        ),  # fmt: skip
        "cover_subtitle": ParagraphStyle(
            "cover_subtitle",
            parent=body,
            fontSize=14,
            leading=19 * extra,
            textColor=colors.HexColor("#d6e2f0"),
        ),  # fmt: skip
        "cover_label": ParagraphStyle(
            "cover_label",
            parent=body,
            fontSize=8.5,
            leading=11 * extra,
            textColor=MUTED,
            spaceAfter=1,
        ),  # fmt: skip
        "cover_value": ParagraphStyle(
            "cover_value",
            parent=body,
            fontName=theme.bold,
            fontSize=12,
            leading=16 * extra,
            spaceAfter=10,
        ),  # fmt: skip
        "h1": ParagraphStyle(
            "h1",
            parent=body,
            fontName=theme.bold,
            fontSize=16,
            leading=20 * extra,
            textColor=BRAND,
            spaceBefore=6,
            spaceAfter=8,
        ),  # fmt: skip
        "h2": ParagraphStyle(
            "h2",
            parent=body,
            fontName=theme.bold,
            fontSize=11.5,
            leading=15 * extra,
            textColor=BRAND,
            spaceBefore=8,
            spaceAfter=4,
        ),  # fmt: skip
        "toc_title": ParagraphStyle(
            "toc_title",
            parent=body,
            fontName=theme.bold,
            fontSize=16,
            leading=20 * extra,
            textColor=BRAND,
            spaceAfter=14,
        ),  # fmt: skip
        "card_label": ParagraphStyle(
            "card_label",
            parent=body,
            fontSize=7.5,
            leading=9.5 * extra,
            textColor=MUTED,
            alignment=TA_LEFT,
            spaceAfter=0,
        ),  # fmt: skip
        "card_value": ParagraphStyle(
            "card_value",
            parent=body,
            fontName=theme.bold,
            fontSize=15,
            leading=19 * extra,
            textColor=INK,
            spaceAfter=0,
        ),  # fmt: skip
        "card_detail": ParagraphStyle(
            "card_detail",
            parent=body,
            fontSize=7.5,
            leading=9.5 * extra,
            textColor=MUTED,
            spaceAfter=0,
        ),  # fmt: skip
        "cell": ParagraphStyle(
            "cell", parent=body, fontSize=8, leading=10 * extra, spaceAfter=0
        ),  # fmt: skip
        "cell_right": ParagraphStyle(
            "cell_right",
            parent=body,
            fontSize=8,
            leading=10 * extra,
            alignment=TA_RIGHT,
            spaceAfter=0,
        ),
        "cell_center": ParagraphStyle(
            "cell_center",
            parent=body,
            fontSize=8,
            leading=10 * extra,
            alignment=TA_CENTER,
            spaceAfter=0,
        ),
        "head": ParagraphStyle(
            "head",
            parent=body,
            fontName=theme.bold,
            fontSize=7.5,
            leading=9.5 * extra,
            textColor=WHITE,
            spaceAfter=0,
        ),  # fmt: skip
        "head_right": ParagraphStyle(
            "head_right",
            parent=body,
            fontName=theme.bold,
            fontSize=7.5,
            leading=9.5 * extra,
            textColor=WHITE,
            alignment=TA_RIGHT,
            spaceAfter=0,
        ),  # fmt: skip
    }
    return styles
