"""The fonts of the PDF reports.

Latin text is set in the PDF standard fonts (Helvetica), which every viewer has. Chinese text
needs a font embedded in the file so that it shows in any viewer and stays extractable:
WenQuanYi Micro Hei, a TrueType collection (reportlab embeds TrueType outlines only, not the
CFF outlines of OpenType CJK fonts), embedded as a subset of the characters used. The font
comes from the `paperang-p2-fonts-cjk` package (requirements.txt); Debian's
`fonts-wqy-microhei` package holds the same file and is used when the package is missing.
"""

import functools
import importlib.util
from pathlib import Path

from reportlab.lib.fonts import addMapping
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

CJK_FONT = "WenQuanYiMicroHei"
LATIN_FONT = "Helvetica"
LATIN_BOLD = "Helvetica-Bold"

FONT_PACKAGE = "paperang_p2_fonts_cjk"
FONT_FILE = "wqy-microhei.ttc"
DEBIAN_FONT = Path("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc")


class FontMissing(RuntimeError):
    """No Chinese font to embed: the report cannot be drawn in Chinese."""


def cjk_font_path() -> Path:
    """Where the Chinese TrueType font is: in its Python package, else in Debian's."""
    spec = importlib.util.find_spec(FONT_PACKAGE)
    if spec is not None and spec.submodule_search_locations:
        for folder in spec.submodule_search_locations:
            candidate = Path(folder) / "fonts" / FONT_FILE
            if candidate.is_file():
                return candidate
    if DEBIAN_FONT.is_file():
        return DEBIAN_FONT
    raise FontMissing(
        f"The Chinese font {FONT_FILE} was not found: install the Python package "
        f"paperang-p2-fonts-cjk (pip install -r requirements.txt) or Debian's "
        f"fonts-wqy-microhei."
    )


@functools.cache
def register_cjk_font() -> str:
    """Register the Chinese font with reportlab once per process; its name."""
    pdfmetrics.registerFont(TTFont(CJK_FONT, str(cjk_font_path()), subfontIndex=0))
    # The font has no bold face: <b> in a paragraph keeps the same face.
    for bold in (0, 1):
        for italic in (0, 1):
            addMapping(CJK_FONT, bold, italic, CJK_FONT)
    return CJK_FONT


def beyond_latin(text: str) -> bool:
    """True when `text` holds a character the standard fonts cannot draw (Chinese, and
    anything else outside their Windows-1252 encoding): it is set in the embedded font."""
    try:
        text.encode("cp1252")
    except UnicodeEncodeError:
        return True
    return False
