import pytest
import tablib
from django.core.files.uploadedfile import SimpleUploadedFile

from projects.admin import ProjectResource
from projects.models import Project

pytestmark = pytest.mark.django_db

HEADERS = [
    "code", "name", "description", "project_type", "department", "manager", "sponsor", "status",
    "priority", "planned_start", "planned_end", "forecast_start", "forecast_end", "actual_start",
    "actual_end", "budget", "currency", "tags",
]  # fmt: skip


def row(code="PRJ-10001", **values):
    base = {
        "code": code, "name": "Imported", "description": "", "project_type": "IT system",
        "department": "FIN", "manager": "pm", "sponsor": "", "status": "active",
        "priority": "medium", "planned_start": "2027-01-01", "planned_end": "2027-12-31",
        "forecast_start": "", "forecast_end": "", "actual_start": "", "actual_end": "",
        "budget": "1000", "currency": "CNY", "tags": "cloud",
    }  # fmt: skip
    base.update(values)
    return [base[h] for h in HEADERS]


def test_a_valid_file_imports_every_row(pm, department, project_type):
    dataset = tablib.Dataset(row(), row(code="PRJ-10002", tags="cloud,data"), headers=HEADERS)
    result = ProjectResource().import_data(dataset, dry_run=False)
    assert not result.has_errors() and not result.has_validation_errors()
    assert Project.objects.filter(code__in=["PRJ-10001", "PRJ-10002"]).count() == 2
    assert set(Project.objects.get(code="PRJ-10002").tags.values_list("name", flat=True)) == {
        "cloud",
        "data",
    }


@pytest.mark.parametrize(
    "bad",
    [
        {"planned_end": "2026-01-01"},
        {"budget": "-10"},
        {"manager": "nobody"},
        {"status": "dreaming"},
        {"planned_start": "not a date"},
    ],
)
def test_one_bad_row_imports_nothing_and_says_which_row(pm, department, project_type, bad):
    dataset = tablib.Dataset(row(), row(code="PRJ-10002", **bad), headers=HEADERS)
    result = ProjectResource().import_data(dataset, dry_run=False, raise_errors=False)
    assert result.has_errors() or result.has_validation_errors()
    bad_rows = [r.number for r in result.invalid_rows] + [
        number for number, _ in result.row_errors()
    ]
    assert bad_rows == [2]
    assert not Project.objects.filter(code__startswith="PRJ-100").exists()


def test_the_admin_import_page_shows_row_errors(
    client, pmo_admin, department, project_type, pm, verified_login
):
    verified_login(client, pmo_admin)
    dataset = tablib.Dataset(row(), row(code="PRJ-10002", budget="-1"), headers=HEADERS)
    upload = SimpleUploadedFile("projects.csv", dataset.export("csv").encode(), "text/csv")
    response = client.post(
        "/admin/projects/project/import/",
        {"import_file": upload, "format": "0", "resource": "0"},
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert "Please correct these errors in your data" in body
    assert "The budget cannot be negative." in body
    assert not Project.objects.filter(code__startswith="PRJ-100").exists()


def test_the_admin_exports_projects(client, pmo_admin, project, verified_login):
    verified_login(client, pmo_admin)
    response = client.post("/admin/projects/project/export/", {"format": "0", "resource": "0",
                           "projectresource_code": "on", "projectresource_name": "on"})  # fmt: skip
    assert response.status_code == 200
    assert "PRJ-00001" in response.content.decode()
