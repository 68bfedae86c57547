"""A small organisation whose report figures are known, and the tools that read a PDF back:
poppler's pdftotext for the text, pypdf for pages, bookmarks and metadata."""

import datetime
import io
import os
import shutil
import subprocess
from decimal import Decimal

import pytest
from django.utils import timezone
from pypdf import PdfReader

from portfolio.models import PortfolioDecision
from projects.models import Milestone
from resources.models import Allocation
from tests.factories import DepartmentFactory, ProjectFactory
from tests.reports.factories import period_of, published_report
from tests.resources.factories import AllocationFactory, ResourceFactory, ResourceRoleFactory
from tests.risks.factories import RiskFactory

TODAY = timezone.localdate()
PREVIOUS_END = TODAY - datetime.timedelta(days=30)


def pdf_text(content: bytes) -> str:
    """The text of a PDF as poppler's pdftotext extracts it, line by line down each page."""
    tool = shutil.which("pdftotext")
    if tool is None:
        message = "pdftotext is not installed: apt-get install poppler-utils"
        if os.environ.get("REQUIRE_SERVICES") or os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    done = subprocess.run(
        [tool, "-layout", "-enc", "UTF-8", "-", "-"], input=content, capture_output=True, check=True
    )
    return done.stdout.decode()


def pdf(content: bytes) -> PdfReader:
    return PdfReader(io.BytesIO(content))


def outline_titles(reader: PdfReader) -> list:
    """The bookmarks as [title, [child titles]] pairs, in order."""
    found = []
    for item in reader.outline:
        if isinstance(item, list):
            found[-1][1].extend(child.title for child in item if not isinstance(child, list))
        else:
            found.append([item.title, []])
    return found


@pytest.fixture
def organisation(pm, other_pm, pmo, department, project_type):
    """Three open projects in two departments, whose report shows known figures:

    - ERP upgrade (Finance, 1.2M CNY): green a month ago, red now, a critical supplier risk
      logged since, and a data engineer booked over their capacity on it;
    - Warehouse automation (Operations, 0.8M CNY): red a month ago, green now, funded since;
    - 数据中心迁移 (Operations, 0.5M CNY): amber, its go-live milestone slipped.
    """
    operations = DepartmentFactory(code="OPS", name="Operations", name_zh_hans="运营部")
    erp = ProjectFactory(code="PRJ-00001", name="ERP upgrade", manager=pm, department=department,
                         project_type=project_type, budget=Decimal("1200000"))  # fmt: skip
    warehouse = ProjectFactory(
        code="PRJ-00002", name="Warehouse automation", manager=other_pm, department=operations,
        project_type=project_type, budget=Decimal("800000"),
    )  # fmt: skip
    migration = ProjectFactory(
        code="PRJ-00003", name="数据中心迁移", manager=other_pm, department=operations,
        project_type=project_type, budget=Decimal("500000"),
    )  # fmt: skip
    before = period_of("weekly", PREVIOUS_END - datetime.timedelta(days=7))
    latest = period_of("weekly", TODAY - datetime.timedelta(days=7))
    figures = {"currency": "CNY", "percent_complete": Decimal("40")}
    published_report(erp, before, rag="green", latest=False, **figures)
    published_report(erp, latest, rag="red", cpi="0.80", spi="0.90", bac=Decimal("1200000"),
                     pv=Decimal("500000"), ev=Decimal("450000"), ac=Decimal("562500"),
                     **figures)  # fmt: skip
    published_report(warehouse, before, rag="red", latest=False, **figures)
    published_report(warehouse, latest, rag="green", bac=Decimal("800000"),
                     pv=Decimal("300000"), ev=Decimal("300000"), ac=Decimal("300000"),
                     **figures)  # fmt: skip
    published_report(migration, latest, rag="amber", **figures)
    RiskFactory(project=erp, title="Supplier insolvency", probability=5, impact=5, owner=pm)
    slipped = Milestone.objects.create(
        project=migration, name="Go-live cutover", forecast_date=TODAY + datetime.timedelta(days=40)
    )
    Milestone.objects.filter(pk=slipped.pk).update(
        baseline_date=TODAY + datetime.timedelta(days=10)
    )
    engineer = ResourceFactory(
        name="Zhang Min", department=department,
        role=ResourceRoleFactory(name="Data engineer", name_zh_hans="数据工程师"),
    )  # fmt: skip
    AllocationFactory(resource=engineer, project=erp, hours_per_week=Decimal(60),
                      booking=Allocation.Booking.HARD, start=TODAY.replace(day=1),
                      end=TODAY.replace(day=1) + datetime.timedelta(days=90))  # fmt: skip
    PortfolioDecision.objects.create(project=warehouse, decision="approve", decided_by=pmo,
                                     decided_on=TODAY - datetime.timedelta(days=5),
                                     note="Funded for phase two")  # fmt: skip
    return {"erp": erp, "warehouse": warehouse, "migration": migration, "finance": department,
            "operations": operations}  # fmt: skip
