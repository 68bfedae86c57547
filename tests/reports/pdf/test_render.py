"""The PDF reports say what the database holds, in English and in Chinese, with the right pages,
bookmarks and metadata, in a number of queries that does not grow with the portfolio."""

import datetime
import re
from decimal import Decimal

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from reports.pdf import REPORT_TYPES, ReportScope, render
from tests.factories import ProjectFactory
from tests.portfolio.factories import PortfolioFactory, place
from tests.reports.factories import period_of, published_report

from .conftest import PREVIOUS_END, TODAY, outline_titles, pdf, pdf_text

pytestmark = pytest.mark.django_db


def executive_summary(language: str, scope: ReportScope | None = None, previous=PREVIOUS_END):
    return render("executive_summary", language=language, scope=scope or ReportScope(),
                  period_end=TODAY, previous_period_end=previous)  # fmt: skip


def between(text: str, start: str, end: str) -> str:
    """The text from the heading `start` to the heading `end` (after the contents page)."""
    body = text[text.index(start, text.index(start) + 1) :]
    return body[: body.index(end)]


class TestTheExecutiveSummary:
    def test_it_names_the_projects_and_their_figures_in_english(self, organisation):
        report = executive_summary("en")
        text = pdf_text(report.content)
        assert report.title == "Portfolio executive summary"
        for name in ("ERP upgrade", "Warehouse automation", "数据中心迁移"):
            assert name in text
        assert "2.50M CNY" in text and "2,500,000 CNY" in text  # the budget of the three
        assert "0.87 / 0.94" in text  # CPI = 750,000 / 862,500; SPI = 750,000 / 800,000
        assert "3 open projects: 1 green, 1 amber, 1 red and 0 not reported yet." in text

    def test_it_tells_what_changed_since_the_previous_report(self, organisation):
        text = pdf_text(executive_summary("en").content)
        assert "ERP upgrade" in between(text, "New reds", "Recoveries")
        assert "Warehouse automation" in between(text, "Recoveries", "Newly critical risks")
        assert "Supplier insolvency" in between(text, "Newly critical risks", "Slipped milestones")
        assert "Go-live cutover" in between(text, "Slipped milestones", "Decisions taken")
        assert "Funded for phase two" in between(text, "Decisions taken", "RAG trend")

    def test_a_first_report_has_nothing_to_compare_with(self, organisation):
        text = pdf_text(executive_summary("en", previous=None).content)
        assert "nothing to compare with yet" in text
        assert "New reds" not in text

    def test_it_shows_the_roles_booked_over_their_capacity(self, organisation):
        text = pdf_text(executive_summary("en").content)
        roles = between(text, "Utilisation and over-allocation by role", "Milestones due")
        assert "Data engineer" in roles
        assert "150%" in roles  # 60 hours booked a week against 40

    def test_it_is_written_in_chinese_with_an_embedded_font(self, organisation):
        report = executive_summary("zh-hans")
        text = pdf_text(report.content)
        assert report.title == "项目组合执行摘要"
        for words in ("项目组合执行摘要", "目录", "关键数据", "自上次报告以来的变化", "附录",
                      "财务部", "运营部", "数据工程师", "数据中心迁移", "ERP upgrade"):  # fmt: skip
            assert words in text, words
        assert "250万 CNY" in text  # amounts in ten-thousands, as Chinese counts them
        assert "第 2 页，共" in text
        fonts = [
            font.get_object()
            for page in pdf(report.content).pages
            for font in page["/Resources"]["/Font"].values()
        ]
        embedded = [f for f in fonts if "WenQuanYi" in f["/BaseFont"]]
        assert embedded and all("/FontFile2" in f["/FontDescriptor"] for f in embedded)

    def test_its_bookmarks_follow_the_sections(self, organisation):
        titles = outline_titles(pdf(executive_summary("en").content))
        assert [title for title, _children in titles] == [
            "1. Headline figures",
            "2. What changed since the previous report",
            "3. RAG trend and budget",
            "4. Top risks and heat map",
            "5. Resource utilisation",
            "6. Milestones due and slipped",
            "7. Projects needing attention",
            "8. Appendix: every project",
        ]
        assert titles[1][1] == ["New reds", "Recoveries", "Newly critical risks",
                                "Slipped milestones", "Decisions taken"]  # fmt: skip

    def test_its_bookmarks_are_in_chinese_in_a_chinese_report(self, organisation):
        titles = outline_titles(pdf(executive_summary("zh-hans").content))
        assert titles[0][0] == "1. 关键数据"
        assert titles[-1][0] == "8. 附录：全部项目"

    def test_the_contents_give_each_section_its_page(self, organisation):
        report = executive_summary("en")
        reader = pdf(report.content)
        contents = pdf_text(report.content).split("\f")[1]
        for title, _children in outline_titles(reader):
            match = re.search(re.escape(title) + r"\s+(\d+)", contents)
            assert match, title
        outline = {item.title: reader.get_destination_page_number(item)
                   for item in reader.outline if not isinstance(item, list)}  # fmt: skip
        appendix = re.search(r"8\. Appendix: every project\s+(\d+)", contents)
        assert int(appendix[1]) == outline["8. Appendix: every project"] + 1

    def test_the_metadata_describe_the_report(self, organisation):
        reader = pdf(executive_summary("en").content)
        assert reader.metadata.title == "Portfolio executive summary"
        assert reader.metadata.author == "Project Management Office"
        assert reader.metadata.subject == "Status, money, risks and resources of the portfolio"
        assert reader.trailer["/Root"]["/Lang"] == "en"
        chinese = pdf(executive_summary("zh-hans").content)
        assert chinese.trailer["/Root"]["/Lang"] == "zh-Hans"
        assert chinese.metadata.title == "项目组合执行摘要"


class TestTheAppendix:
    def test_it_lists_every_project_over_as_many_landscape_pages_as_it_needs(
        self, organisation, department
    ):
        period = period_of("weekly", TODAY - datetime.timedelta(days=7))
        for number in range(120):
            project = ProjectFactory(code=f"APX-{number:04d}", name=f"Branch rollout {number}",
                                     department=department, budget=Decimal("1000"))  # fmt: skip
            published_report(project, period, rag="green")
        report = executive_summary("en")
        reader = pdf(report.content)
        text = pdf_text(report.content)
        assert report.pages == len(reader.pages)
        appendix_pages = [
            page for page in reader.pages if page.mediabox.width > page.mediabox.height
        ]
        assert len(appendix_pages) >= 3  # about 34 rows a page
        appendix = text[text.rindex("8. Appendix: every project") :]
        assert "123 projects, by code." in appendix
        assert all(f"APX-{number:04d}" in appendix for number in range(120))
        assert f"Page {report.pages} of {report.pages}" in text

    def test_the_number_of_queries_does_not_grow_with_the_projects(self, organisation):
        def queries() -> int:
            cache.clear()
            with CaptureQueriesContext(connection) as captured:
                executive_summary("en")
            return len(captured)

        few = queries()
        period = period_of("weekly", TODAY - datetime.timedelta(days=7))
        for number in range(27):
            project = ProjectFactory(code=f"QRY-{number:04d}", budget=Decimal("1000"))
            published_report(project, period, rag=["red", "amber", "green"][number % 3])
        assert queries() == few


class TestEveryReportType:
    @pytest.mark.parametrize("language", ["en", "zh-hans"])
    @pytest.mark.parametrize("report_type", [value for value, _label in REPORT_TYPES])
    def test_it_renders(self, organisation, report_type, language):
        scope = {
            "department": ReportScope(department_ids=[organisation["finance"].pk]),
            "project": ReportScope(project_ids=[organisation["erp"].pk]),
        }.get(report_type, ReportScope())
        report = render(report_type, language=language, scope=scope, period_end=TODAY,
                        previous_period_end=PREVIOUS_END)  # fmt: skip
        text = pdf_text(report.content)
        reader = pdf(report.content)
        assert report.pages == len(reader.pages) >= 3
        assert reader.metadata.title == report.title
        assert report.title in text
        assert outline_titles(reader)

    def test_the_department_report_keeps_to_its_department(self, organisation):
        scope = ReportScope(department_ids=[organisation["finance"].pk])
        report = render("department", language="zh-hans", scope=scope, period_end=TODAY,
                        previous_period_end=PREVIOUS_END)  # fmt: skip
        text = pdf_text(report.content)
        assert "财务部" in text and "ERP upgrade" in text
        assert "Warehouse automation" not in text and "数据中心迁移" not in text

    def test_the_project_report_shows_its_status_and_earned_value(self, organisation):
        scope = ReportScope(project_ids=[organisation["erp"].pk])
        report = render("project", language="en", scope=scope, period_end=TODAY,
                        previous_period_end=PREVIOUS_END)  # fmt: skip
        text = pdf_text(report.content)
        assert "PRJ-00001 ERP upgrade" in text
        assert "Supplier insolvency" in text
        assert "RAG at" in text and "Green; now: Red." in text.replace("\n", " ")

    def test_the_risk_report_shows_the_exposure_and_the_new_critical_risk(self, organisation):
        report = render("risk", language="en", scope=ReportScope(), period_end=TODAY,
                        previous_period_end=PREVIOUS_END)  # fmt: skip
        text = pdf_text(report.content)
        assert "Supplier insolvency" in between(text, "Newly critical risks", "Exposure over time")
        assert "Threat exposure (EMV)" in text

    def test_the_resource_report_names_the_over_allocated_people(self, organisation):
        report = render("resource", language="zh-hans", scope=ReportScope(), period_end=TODAY,
                        previous_period_end=None)  # fmt: skip
        text = pdf_text(report.content)
        assert "Zhang Min" in text and "数据工程师" in text and "150%" in text

    @pytest.mark.parametrize("projects", [[], ["erp", "warehouse"]])
    def test_a_project_report_needs_one_project(self, organisation, projects):
        scope = ReportScope(project_ids=[organisation[name].pk for name in projects])
        with pytest.raises(ValueError, match="exactly one project"):
            render("project", language="en", scope=scope, period_end=TODAY,
                   previous_period_end=None)  # fmt: skip

    def test_a_department_report_needs_a_department(self, organisation):
        with pytest.raises(ValueError, match="department"):
            render("department", language="en", scope=ReportScope(), period_end=TODAY,
                   previous_period_end=None)  # fmt: skip

    def test_a_project_without_reports_baseline_or_milestones_has_its_report(self, organisation):
        bare = ProjectFactory(code="NEW-00001", name="Fresh idea", status="proposed")
        report = render("project", language="zh-hans", scope=ReportScope(project_ids=[bare.pk]),
                        period_end=TODAY, previous_period_end=None)  # fmt: skip
        text = pdf_text(report.content)
        assert "NEW-00001 Fresh idea" in text and "该项目尚无已发布的状态报告。" in text

    @pytest.mark.parametrize("kind", ["portfolio_ids", "department_ids", "project_ids"])
    def test_a_scope_naming_what_does_not_exist_is_refused(self, organisation, kind):
        with pytest.raises(ValueError, match="There is no"):
            render("executive_summary", language="en", scope=ReportScope(**{kind: [999999]}),
                   period_end=TODAY, previous_period_end=None)  # fmt: skip

    def test_it_refuses_an_unknown_type_or_language(self, organisation):
        with pytest.raises(ValueError):
            render("weekly_digest", language="en", scope=ReportScope(), period_end=TODAY,
                   previous_period_end=None)  # fmt: skip
        with pytest.raises(ValueError):
            render("risk", language="fr", scope=ReportScope(), period_end=TODAY,
                   previous_period_end=None)  # fmt: skip


class TestTheScope:
    def test_a_portfolio_report_covers_the_projects_placed_in_it_and_below(self, organisation):
        parent = PortfolioFactory(name="Digital")
        child = PortfolioFactory(name="Digital Asia", parent=parent)
        place(organisation["warehouse"], child)
        report = executive_summary("en", ReportScope(portfolio_ids=[parent.pk]))
        text = pdf_text(report.content)
        assert "Digital" in text and "Warehouse automation" in text
        assert "ERP upgrade" not in text and "数据中心迁移" not in text
        assert "1 open project: 1 green" in text

    def test_a_scope_keeps_its_ids_sorted_and_unique(self):
        scope = ReportScope(project_ids=[3, 1, 3], department_ids=("2",))
        assert scope.project_ids == (1, 3) and scope.department_ids == (2,)
        assert ReportScope().is_everything and not scope.is_everything


@pytest.mark.parametrize("report_type", ["executive_summary", "risk", "resource"])
@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_it_renders_for_an_organisation_without_projects_yet(db, report_type, language):
    report = render(report_type, language=language, scope=ReportScope(), period_end=TODAY,
                    previous_period_end=PREVIOUS_END)  # fmt: skip
    assert report.pages >= 3
    assert report.title in pdf_text(report.content)
