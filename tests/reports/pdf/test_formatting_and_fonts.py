"""Figures written as each language reads them, and the Chinese font found or missed clearly."""

import datetime
from decimal import Decimal
from pathlib import Path

import pytest
from django.utils import translation

from reports.pdf import fonts, formatting
from reports.pdf.styles import theme_for


@pytest.mark.parametrize(
    ("amount", "english", "chinese"),
    [
        (Decimal("2500000"), "2.50M", "250万"),
        (Decimal("830000"), "830k", "83.0万"),
        (Decimal("125000000"), "125.00M", "1.25亿"),
        (Decimal("4100000000"), "4.10bn", "41.00亿"),
        (Decimal("950"), "950", "950"),
        (Decimal("-46610000"), "-46.61M", "-4,661万"),
        (None, "—", "—"),
    ],
)
def test_short_amounts_read_as_each_language_counts(amount, english, chinese):
    with translation.override("en"):
        assert formatting.short_amount(amount) == english
    with translation.override("zh-hans"):
        assert formatting.short_amount(amount) == chinese


def test_full_amounts_and_dates_follow_the_language():
    with translation.override("zh-hans"):
        assert formatting.full_amount(Decimal("2500000.40"), "CNY") == "2,500,000 CNY"
        assert formatting.date(datetime.date(2026, 6, 30)) == "2026年6月30日"
        assert formatting.month(datetime.date(2026, 6, 1)) == "2026年6月"
    with translation.override("en"):
        assert formatting.month(datetime.date(2026, 6, 1)) == "Jun 2026"
        assert formatting.index(Decimal("0.8695")) == "0.87"


def test_the_chinese_font_is_a_truetype_collection_from_its_package():
    path = fonts.cjk_font_path()
    assert path.suffix == ".ttc" and path.is_file()
    assert "paperang_p2_fonts_cjk" in str(path) or path == fonts.DEBIAN_FONT


def test_a_missing_chinese_font_says_how_to_install_it(monkeypatch):
    monkeypatch.setattr(fonts.importlib.util, "find_spec", lambda name: None)
    monkeypatch.setattr(fonts, "DEBIAN_FONT", Path("/nonexistent/wqy-microhei.ttc"))
    with pytest.raises(fonts.FontMissing, match="paperang-p2-fonts-cjk"):
        fonts.cjk_font_path()


def test_an_english_report_sets_chinese_words_in_the_embedded_font():
    theme = theme_for("en")
    assert theme.font_for("ERP upgrade") == fonts.LATIN_FONT
    assert theme.font_for("数据中心迁移") == fonts.CJK_FONT
    assert theme.markup("Move 数据 & go") == (
        f'Move <font name="{fonts.CJK_FONT}">数据</font> &amp; go'
    )
    assert theme_for("zh-hans").font == fonts.CJK_FONT
