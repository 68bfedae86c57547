import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from projects.models import Project
from tests.factories import ProjectFactory

pytestmark = pytest.mark.django_db


def valid_form_data(department, project_type, /, **overrides):
    data = {
        "code": "PRJ-00100",
        "name": "Data platform",
        "description": "One place for the company's data.",
        "project_type": project_type.pk,
        "department": department.pk,
        "status": "proposed",
        "priority": "high",
        "tag_names": "cloud, data",
        "planned_start": "2027-01-01",
        "planned_end": "2027-06-30",
        "budget": "1200000",
        "currency": "CNY",
    }
    return {**data, **overrides}


class TestProjectList:
    def test_it_lists_and_filters_projects(self, client, pm, project, others_project):
        client.force_login(pm)
        response = client.get("/projects/", {"q": "ERP"})
        body = response.content.decode()
        assert response.status_code == 200
        assert "ERP upgrade" in body
        assert "Warehouse automation" not in body

    def test_it_filters_by_manager_and_status(self, client, pm, project, others_project):
        others_project.status = Project.Status.ON_HOLD
        others_project.save()
        client.force_login(pm)
        body = client.get("/projects/", {"status": "on_hold"}).content.decode()
        assert "Warehouse automation" in body and "ERP upgrade" not in body
        body = client.get("/projects/", {"manager": pm.pk}).content.decode()
        assert "ERP upgrade" in body and "Warehouse automation" not in body

    def test_it_sorts_by_budget(self, client, pm, project, others_project):
        others_project.budget = 10
        others_project.save()
        client.force_login(pm)
        body = client.get("/projects/", {"sort": "budget"}).content.decode()
        assert body.index("Warehouse automation") < body.index("ERP upgrade")

    def test_htmx_requests_get_only_the_results(self, client, pm, project):
        client.force_login(pm)
        response = client.get("/projects/", {"q": "ERP"}, headers={"HX-Request": "true"})
        body = response.content.decode()
        assert 'id="results"' in body
        assert "<html" not in body

    def test_it_exports_the_filtered_list_as_csv(self, client, pm, project, others_project):
        client.force_login(pm)
        response = client.get("/projects/", {"q": "ERP", "_export": "csv"})
        assert response["Content-Type"].startswith("text/csv")
        content = response.content.decode()
        assert "PRJ-00001" in content and "PRJ-00002" not in content

    def test_it_pages_through_many_projects(self, client, pm, department, project_type):
        ProjectFactory.create_batch(30, department=department, project_type=project_type)
        client.force_login(pm)
        response = client.get("/projects/", {"page": 2})
        assert response.status_code == 200
        assert len(response.context["table"].page.object_list) == 5

    @pytest.mark.parametrize("rows", [3, 30])
    def test_query_count_does_not_grow_with_rows(
        self, client, pm, department, project_type, rows, django_assert_max_num_queries
    ):
        ProjectFactory.create_batch(rows, department=department, project_type=project_type)
        client.force_login(pm)
        client.get("/projects/")  # warm the session and caches
        with CaptureQueriesContext(connection) as queries:
            client.get("/projects/")
        # The same number at 3 and at 30 rows: pinned, so an N+1 fails here.
        assert len(queries) == 9, [q["sql"] for q in queries]


class TestProjectDetail:
    def test_it_shows_the_project_and_its_history(self, client, pm, project):
        client.force_login(pm)
        response = client.get(f"/projects/{project.pk}/")
        body = response.content.decode()
        assert response.status_code == 200
        assert "ERP upgrade" in body
        assert "Change history" in body

    @pytest.mark.parametrize("changes", [3, 30])
    def test_query_count_does_not_grow_with_history(self, client, pm, project, changes):
        for number in range(changes):
            project.name = f"ERP upgrade {number}"
            project.save()
        client.force_login(pm)
        client.get(f"/projects/{project.pk}/")
        with CaptureQueriesContext(connection) as queries:
            client.get(f"/projects/{project.pk}/")
        # 21: the page and its sections of the other areas (team, portfolio, risks, status).
        assert len(queries) == 21, [q["sql"] for q in queries]

    def test_missing_project_is_not_found(self, client, pm):
        client.force_login(pm)
        assert client.get("/projects/999999/").status_code == 404


class TestProjectCreate:
    def test_a_project_manager_creates_a_project_they_manage(
        self, client, pm, department, project_type
    ):
        client.force_login(pm)
        response = client.post("/projects/new/", valid_form_data(department, project_type))
        project = Project.objects.get(code="PRJ-00100")
        assert response.status_code == 302
        assert response["Location"] == f"/projects/{project.pk}/"
        assert project.manager == pm
        assert sorted(project.tags.values_list("name", flat=True)) == ["cloud", "data"]
        assert project.history.first().history_user == pm

    def test_a_project_manager_cannot_hand_the_project_to_someone_else(
        self, client, pm, other_pm, department, project_type
    ):
        client.force_login(pm)
        client.post(
            "/projects/new/", valid_form_data(department, project_type, manager=other_pm.pk)
        )
        assert Project.objects.get(code="PRJ-00100").manager == pm

    def test_the_pmo_names_the_manager(self, client, pmo, other_pm, department, project_type):
        client.force_login(pmo)
        client.post(
            "/projects/new/", valid_form_data(department, project_type, manager=other_pm.pk)
        )
        assert Project.objects.get(code="PRJ-00100").manager == other_pm

    @pytest.mark.parametrize(
        ("overrides", "field", "message"),
        [
            ({"planned_end": "2026-12-01"}, "planned_end", "The end date cannot be before"),
            ({"budget": "-5"}, "budget", "The budget cannot be negative."),
            ({"code": "PRJ-00001"}, "code", "Another project already has this code."),
            ({"code": "bad code"}, "code", "Use capital letters, digits and hyphens"),
            ({"name": ""}, "name", "This field is required."),
            ({"planned_start": "not a date"}, "planned_start", "Enter a valid date."),
            ({"department": "999999"}, "department", "Select a valid choice."),
            ({"tag_names": "x" * 51}, "tag_names", "at most 50 characters"),
            (
                {"actual_start": "2027-02-01", "actual_end": "2027-01-01"},
                "actual_end",
                "The end date cannot be before",
            ),
        ],
    )
    def test_bad_input_is_refused_next_to_the_field_and_nothing_is_saved(
        self, client, pm, project, department, project_type, overrides, field, message
    ):
        client.force_login(pm)
        before = Project.objects.count()
        response = client.post(
            "/projects/new/", valid_form_data(department, project_type, **overrides)
        )
        assert response.status_code == 200
        errors = " ".join(response.context["form"].errors[field])
        assert message in errors
        assert Project.objects.count() == before
        assert "Nothing was saved" in response.content.decode()


class TestProjectUpdate:
    def edit_data(self, project, **overrides):
        data = valid_form_data(
            project.department,
            project.project_type,
            code=project.code,
            version=project.version,
            manager=project.manager_id,
        )
        return {**data, **overrides}

    def test_the_manager_saves_changes_and_history_records_them(self, client, pm, project):
        client.force_login(pm)
        response = client.post(
            f"/projects/{project.pk}/edit/", self.edit_data(project, budget="300000")
        )
        assert response.status_code == 302
        project.refresh_from_db()
        assert project.budget == 300000
        assert project.version == 2
        detail = client.get(f"/projects/{project.pk}/").content.decode()
        assert "Li Wei" in detail
        assert "250,000.00 → 300,000.00" in detail

    def test_saving_over_a_newer_version_is_refused(self, client, pm, pmo, project):
        client.force_login(pm)
        stale = self.edit_data(project, name="My name")
        client.force_login(pmo)
        client.post(f"/projects/{project.pk}/edit/", self.edit_data(project, name="PMO name"))
        client.force_login(pm)
        response = client.post(f"/projects/{project.pk}/edit/", stale)
        assert response.status_code == 200
        assert "Someone else changed this project" in response.content.decode()
        project.refresh_from_db()
        assert project.name == "PMO name"

    def test_bad_input_on_edit_changes_nothing(self, client, pm, project):
        client.force_login(pm)
        response = client.post(
            f"/projects/{project.pk}/edit/",
            self.edit_data(project, name="New", planned_end="2020-01-01"),
        )
        assert response.status_code == 200
        project.refresh_from_db()
        assert project.name == "ERP upgrade"
        assert project.version == 1

    def test_a_project_manager_cannot_edit_another_managers_project(
        self, client, pm, others_project
    ):
        client.force_login(pm)
        response = client.post(
            f"/projects/{others_project.pk}/edit/", self.edit_data(others_project, name="Mine")
        )
        assert response.status_code == 403
        others_project.refresh_from_db()
        assert others_project.name == "Warehouse automation"

    def test_the_edit_form_shows_dates_in_iso_for_the_date_picker(self, client, pm, project):
        client.force_login(pm)
        body = client.get(f"/projects/{project.pk}/edit/").content.decode()
        assert 'value="2026-01-01"' in body
        assert project.planned_start == datetime.date(2026, 1, 1)
