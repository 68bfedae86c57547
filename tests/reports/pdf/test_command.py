"""`manage.py render_report` writes a report for the current data to a file."""

import io

import pytest
from django.core.management import CommandError, call_command

from .conftest import pdf, pdf_text

pytestmark = pytest.mark.django_db


def test_it_renders_the_executive_summary_in_english_by_default(organisation, tmp_path):
    output, log = tmp_path / "summary.pdf", io.StringIO()
    call_command("render_report", "--output", str(output), stdout=log)
    text = pdf_text(output.read_bytes())
    assert "Portfolio executive summary" in text and "ERP upgrade" in text
    assert "Portfolio executive summary" in log.getvalue()


def test_it_renders_a_report_type_in_chinese_for_one_department(organisation, tmp_path):
    output = tmp_path / "finance.pdf"
    call_command(
        "render_report", "--output", str(output), "--type", "department", "--language",
        "zh-hans", "--department", str(organisation["finance"].pk), "--period-end",
        "2026-06-30", "--previous-period-end", "none", stdout=io.StringIO(),
    )  # fmt: skip
    content = output.read_bytes()
    text = pdf_text(content)
    assert "部门报告" in text and "财务部" in text and "2026年6月30日" in text
    assert pdf(content).metadata.title == "部门报告"


def test_it_says_what_is_wrong_with_its_arguments(organisation, tmp_path):
    with pytest.raises(CommandError, match="exactly one project"):
        call_command("render_report", "--output", str(tmp_path / "x.pdf"), "--type", "project")
    with pytest.raises(CommandError, match="not a date"):
        call_command("render_report", "--output", str(tmp_path / "x.pdf"), "--period-end", "June")
    assert not (tmp_path / "x.pdf").exists()
