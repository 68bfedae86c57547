"""The resource register's pages: people, skills, capacity, absences, bookings, a project's team."""

import csv
import datetime
import io
from decimal import Decimal

import pytest
from dateutil.relativedelta import relativedelta
from django.apps import apps
from django.contrib import admin
from django.db import connection
from django.template.loader import render_to_string
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from resources.models import Absence, Allocation, Capacity, Resource, ResourceSkill
from resources.services import people
from resources.team import project_team
from resources.urls import register as register_urls
from tests.factories import DepartmentFactory, ProjectFactory, UserFactory
from tests.permission_matrix import (
    LOGIN,
    PERSONAS,
    POST_ONLY,
    READ,
    check_page,
    check_refused_post,
    refused,
    resolver_patterns,
)
from tests.resources.factories import (
    AllocationFactory,
    ResourceFactory,
    ResourceRoleFactory,
    SkillFactory,
)

pytestmark = pytest.mark.django_db

D = datetime.date
# Resource managers keep the register; PMO admins may change anything.
WRITE = [LOGIN, 403, 403, 403, 200, 200]

# url -> expected status of a GET per persona (same order as PERSONAS). {resource} has an
# {absence} and an {allocation} on `project`.
MATRIX = {
    "/resources/people/": READ,
    "/resources/people/new/": WRITE,
    "/resources/people/{resource}/": READ,
    "/resources/people/{resource}/edit/": WRITE,
    "/resources/people/{resource}/capacity/": WRITE,
    "/resources/people/{resource}/absences/new/": WRITE,
    "/resources/absences/{absence}/delete/": POST_ONLY,
    "/resources/allocations/new/": WRITE,
    "/resources/allocations/{allocation}/edit/": WRITE,
    "/resources/allocations/{allocation}/delete/": POST_ONLY,
}

# Resolver patterns of resources/urls/register.py and the matrix rows that cover them.
PATTERN_ROWS = {
    "resources/people/": "/resources/people/",
    "resources/people/new/": "/resources/people/new/",
    "resources/people/<int:pk>/": "/resources/people/{resource}/",
    "resources/people/<int:pk>/edit/": "/resources/people/{resource}/edit/",
    "resources/people/<int:pk>/capacity/": "/resources/people/{resource}/capacity/",
    "resources/people/<int:pk>/absences/new/": "/resources/people/{resource}/absences/new/",
    "resources/absences/<int:pk>/delete/": "/resources/absences/{absence}/delete/",
    "resources/allocations/new/": "/resources/allocations/new/",
    "resources/allocations/<int:pk>/edit/": "/resources/allocations/{allocation}/edit/",
    "resources/allocations/<int:pk>/delete/": "/resources/allocations/{allocation}/delete/",
}


def this_month() -> tuple[datetime.date, datetime.date]:
    first = timezone.localdate().replace(day=1)
    return first, first + relativedelta(months=1) - datetime.timedelta(days=1)


def messages_of(response) -> list[str]:
    return [str(message) for message in response.context["messages"]]


def resource_data(resource=None, skills=(), initial_forms=0, **overrides) -> dict:
    """POST data of the resource form; `skills` is [(skill, level)], one formset row each."""
    data = {
        "name": "Ada Lovelace",
        "kind": "person",
        "user": "",
        "email": "ada@example.com",
        "role": "",
        "department": "",
        "cost_rate": "100",
        "currency": "CNY",
        "is_active": "on",
        "version": str(resource.version) if resource else "",
        "skills-TOTAL_FORMS": str(max(len(skills), initial_forms)),
        "skills-INITIAL_FORMS": str(initial_forms),
        "skills-MIN_NUM_FORMS": "0",
        "skills-MAX_NUM_FORMS": "1000",
    }
    if resource is not None:
        data.update(
            name=resource.name,
            kind=resource.kind,
            email=resource.email,
            role=str(resource.role_id or ""),
            department=str(resource.department_id),
            cost_rate=str(resource.cost_rate),
            currency=resource.currency,
        )
    for index, (skill, level) in enumerate(skills):
        data[f"skills-{index}-skill"] = str(skill.pk) if skill else ""
        data[f"skills-{index}-level"] = str(level)
    data.update(overrides)
    return data


def allocation_data(resource, project, **overrides) -> dict:
    data = {
        "resource": str(resource.pk),
        "project": str(project.pk),
        "start": "2027-03-01",
        "end": "2027-06-30",
        "percent": "",
        "hours_per_week": "",
        "booking": "soft",
        "version": "",
    }
    return {**data, **overrides}


@pytest.fixture
def ada(department):
    return ResourceFactory(
        name="Ada Lovelace", department=department, role=ResourceRoleFactory(name="Developer")
    )


@pytest.fixture
def register_objects(ada, project, resource_manager):
    absence = people.absence_add(
        resource=ada, by=resource_manager, kind="leave", start=D(2027, 1, 4), end=D(2027, 1, 8)
    )
    allocation = AllocationFactory(resource=ada, project=project)
    return {"resource": ada.pk, "absence": absence.pk, "allocation": allocation.pk}


class TestPermissions:
    def test_every_register_page_is_in_the_matrix(self):
        patterns = set(resolver_patterns(register_urls.urlpatterns, "resources/"))
        assert patterns == set(PATTERN_ROWS)
        assert set(PATTERN_ROWS.values()) == set(MATRIX)

    @pytest.mark.parametrize("url_template", list(MATRIX))
    @pytest.mark.parametrize("persona", PERSONAS)
    def test_each_persona_gets_the_expected_status(
        self, client, request, register_objects, url_template, persona
    ):
        check_page(client, request, MATRIX, url_template, persona, **register_objects)

    @pytest.mark.parametrize(("url_template", "persona"), refused(MATRIX))
    def test_a_persona_refused_a_page_is_refused_by_post_too(
        self, client, request, register_objects, url_template, persona
    ):
        check_refused_post(client, request, MATRIX, url_template, persona, **register_objects)

    @pytest.mark.parametrize("persona", ["executive", "pm", "pmo"])
    def test_only_resource_managers_remove_absences_and_bookings(
        self, client, executive, pm, pmo, register_objects, persona
    ):
        client.force_login({"executive": executive, "pm": pm, "pmo": pmo}[persona])
        absence, allocation = register_objects["absence"], register_objects["allocation"]
        assert client.post(f"/resources/absences/{absence}/delete/").status_code == 403
        assert client.post(f"/resources/allocations/{allocation}/delete/").status_code == 403
        assert Absence.objects.filter(pk=absence).exists()
        assert Allocation.objects.filter(pk=allocation).exists()

    def test_the_pmo_admin_keeps_the_register_too(self, client, pmo_admin, ada):
        client.force_login(pmo_admin)
        assert client.get(f"/resources/people/{ada.pk}/edit/").status_code == 200

    def test_readers_see_no_buttons_that_change_the_register(
        self, client, executive, register_objects
    ):
        client.force_login(executive)
        body = client.get(f"/resources/people/{register_objects['resource']}/").content.decode()
        for label in ("Change capacity", "Record an absence", "Book on a project", "Remove"):
            assert label not in body
        assert "New resource" not in client.get("/resources/people/").content.decode()


class TestResourcePages:
    def test_a_resource_manager_adds_a_person_with_skills(
        self, client, resource_manager, department
    ):
        django, sql = SkillFactory(name="Django"), SkillFactory(name="SQL")
        role = ResourceRoleFactory(name="Backend developer")
        user = UserFactory(username="ada", first_name="Ada", last_name="Lovelace")
        client.force_login(resource_manager)
        assert client.get("/resources/people/new/").status_code == 200
        response = client.post(
            "/resources/people/new/",
            resource_data(
                skills=[(django, 5), (sql, 3), (None, 3)],
                role=str(role.pk),
                department=str(department.pk),
                user=str(user.pk),
            ),
        )
        resource = Resource.objects.get(name="Ada Lovelace")
        assert response.status_code == 302
        assert response["Location"] == f"/resources/people/{resource.pk}/"
        assert resource.user == user and resource.role == role
        assert {(s.skill.name, s.level) for s in resource.skills.select_related("skill")} == {
            ("Django", 5),
            ("SQL", 3),
        }
        detail = client.get(response["Location"])
        body = detail.content.decode()
        assert "Ada Lovelace added to the register." in messages_of(detail)
        assert "Django" in body and "level 5 of 5" in body and "Backend developer" in body

    def test_editing_replaces_the_skills_and_shows_in_the_history(
        self, client, resource_manager, ada
    ):
        django, sql, go = SkillFactory(name="Django"), SkillFactory(name="SQL"), SkillFactory()
        people.resource_save(
            by=resource_manager, resource=ada, version=ada.version, skills=[(django, 4), (sql, 2)]
        )
        ada.refresh_from_db()
        client.force_login(resource_manager)
        form = client.get(f"/resources/people/{ada.pk}/edit/").content.decode()
        assert 'name="skills-INITIAL_FORMS" value="2"' in form
        response = client.post(
            f"/resources/people/{ada.pk}/edit/",
            resource_data(
                ada, skills=[(django, 5), (None, 2), (go, 1)], initial_forms=2, cost_rate="120"
            ),
        )
        assert response.status_code == 302
        ada.refresh_from_db()
        assert ada.cost_rate == Decimal("120.00")
        assert ada.version == 3
        assert {(s.skill_id, s.level) for s in ada.skills.all()} == {(django.pk, 5), (go.pk, 1)}
        body = client.get(f"/resources/people/{ada.pk}/").content.decode()
        assert "Cost rate per hour: 100.00 → 120.00" in body

    def test_a_stale_edit_is_refused_and_nothing_is_saved(self, client, resource_manager, ada):
        client.force_login(resource_manager)
        loaded = resource_data(ada, cost_rate="150")
        people.resource_save(
            by=resource_manager, resource=ada, version=ada.version, email="ada.l@example.com"
        )
        response = client.post(f"/resources/people/{ada.pk}/edit/", loaded)
        assert response.status_code == 200
        assert "Someone else changed this resource" in response.content.decode()
        ada.refresh_from_db()
        assert ada.cost_rate == Decimal("100.00") and ada.email == "ada.l@example.com"

    @pytest.mark.parametrize(
        "overrides, field",
        [
            ({"name": ""}, "name"),
            ({"cost_rate": "-5"}, "cost_rate"),
            ({"email": "not an e-mail"}, "email"),
            ({"department": ""}, "department"),
        ],
    )
    def test_bad_resource_input_is_shown_next_to_the_field(
        self, client, resource_manager, department, overrides, field
    ):
        client.force_login(resource_manager)
        data = resource_data(**{"department": str(department.pk), **overrides})
        response = client.post("/resources/people/new/", data)
        assert response.status_code == 200
        assert field in response.context["form"].errors
        assert "Nothing was saved." in response.content.decode()
        assert not Resource.objects.exists()

    def test_a_skill_given_twice_is_refused(self, client, resource_manager, department):
        django = SkillFactory(name="Django")
        client.force_login(resource_manager)
        response = client.post(
            "/resources/people/new/",
            resource_data(skills=[(django, 5), (django, 2)], department=str(department.pk)),
        )
        assert response.status_code == 200
        assert "This skill is given twice." in response.content.decode()
        assert not Resource.objects.exists()

    def test_a_login_already_linked_to_another_resource_is_not_offered(
        self, client, resource_manager, ada
    ):
        taken = UserFactory(username="taken", first_name="Taken", last_name="User")
        Resource.objects.filter(pk=ada.pk).update(user=taken)
        client.force_login(resource_manager)
        form = client.get("/resources/people/new/").context["form"]
        assert taken not in form.fields["user"].queryset
        own = client.get(f"/resources/people/{ada.pk}/edit/").context["form"]
        assert taken in own.fields["user"].queryset

    def test_the_detail_shows_bookings_utilisation_and_absences(
        self, client, executive, resource_manager, ada, project
    ):
        first, last = this_month()
        AllocationFactory(resource=ada, project=project, start=first, end=last, hours_per_week=30)
        AllocationFactory(
            resource=ada, project=ProjectFactory(code="OLD-1", name="Old one"), start=D(2019, 1, 1),
            end=D(2019, 2, 1),
        )  # fmt: skip
        people.absence_add(
            resource=ada, by=resource_manager, kind="training", start=last + relativedelta(days=5),
            end=last + relativedelta(days=6), note="Kubernetes course",
        )  # fmt: skip
        client.force_login(executive)
        response = client.get(f"/resources/people/{ada.pk}/")
        body = response.content.decode()
        assert f'href="/projects/{project.pk}/"' in body and "Old one" not in body
        assert "Kubernetes course" in body
        months = response.context["utilisation"]
        assert len(months) == 6 and months[0]["month"] == first
        assert months[0]["utilisation"] == "75%"  # 30 of 40 hours a week, the whole month
        assert months[1]["booked"] == 0


class TestCapacityAndAbsences:
    def test_a_new_capacity_keeps_the_earlier_one(self, client, resource_manager, ada):
        client.force_login(resource_manager)
        page = client.get(f"/resources/people/{ada.pk}/capacity/").content.decode()
        assert "The capacity before that date is kept" in page
        response = client.post(
            f"/resources/people/{ada.pk}/capacity/",
            {"start": "2027-01-01", "hours_per_week": "20"},
            follow=True,
        )
        assert response.redirect_chain[-1][0] == f"/resources/people/{ada.pk}/"
        rows = list(
            Capacity.objects.filter(resource=ada).values_list("start", "end", "hours_per_week")
        )
        assert rows == [
            (D(2020, 1, 1), D(2026, 12, 31), Decimal("40.0")),
            (D(2027, 1, 1), None, Decimal("20.0")),
        ]

    @pytest.mark.parametrize(
        "data, field",
        [
            ({"start": "2027-01-01", "hours_per_week": "200"}, "hours_per_week"),
            ({"start": "2027-01-01", "hours_per_week": "-1"}, "hours_per_week"),
            ({"start": "", "hours_per_week": "20"}, "start"),
        ],
    )
    def test_bad_capacity_is_shown_next_to_the_field(
        self, client, resource_manager, ada, data, field
    ):
        client.force_login(resource_manager)
        response = client.post(f"/resources/people/{ada.pk}/capacity/", data)
        assert response.status_code == 200
        assert field in response.context["form"].errors
        assert Capacity.objects.filter(resource=ada).count() == 1

    def test_an_absence_is_recorded_and_removed(self, client, resource_manager, ada):
        client.force_login(resource_manager)
        response = client.post(
            f"/resources/people/{ada.pk}/absences/new/",
            {"kind": "leave", "start": "2027-08-02", "end": "2027-08-13", "note": "Summer"},
        )
        assert response.status_code == 302
        absence = Absence.objects.get(resource=ada)
        assert (absence.start, absence.end, absence.note) == (
            D(2027, 8, 2),
            D(2027, 8, 13),
            "Summer",
        )
        response = client.post(f"/resources/absences/{absence.pk}/delete/", follow=True)
        assert "Absence removed from Ada Lovelace." in messages_of(response)
        assert not Absence.objects.exists()

    def test_an_absence_ending_before_it_starts_is_refused(self, client, resource_manager, ada):
        client.force_login(resource_manager)
        response = client.post(
            f"/resources/people/{ada.pk}/absences/new/",
            {"kind": "leave", "start": "2027-08-13", "end": "2027-08-02"},
        )
        assert response.status_code == 200
        assert response.context["form"].errors["end"] == [
            "The end date cannot be before the start date."
        ]
        assert not Absence.objects.exists()


class TestAllocationPages:
    def test_booking_a_share_of_capacity_states_the_hours(
        self, client, resource_manager, ada, project
    ):
        client.force_login(resource_manager)
        form = client.get(f"/resources/allocations/new/?resource={ada.pk}&project={project.pk}")
        assert form.context["form"].initial["resource"] == ada.pk
        assert form.context["form"].initial["start"] == project.planned_start
        response = client.post(
            "/resources/allocations/new/", allocation_data(ada, project, percent="50")
        )
        assert response.status_code == 302
        assert response["Location"] == f"/resources/people/{ada.pk}/"
        allocation = Allocation.objects.get()
        assert allocation.percent == Decimal("50.0")
        assert allocation.hours_per_week == Decimal("20.0")

    def test_booking_from_the_project_page_returns_there(
        self, client, resource_manager, ada, project
    ):
        client.force_login(resource_manager)
        back = f"/projects/{project.pk}/"
        response = client.post(
            f"/resources/allocations/new/?project={project.pk}&next={back}",
            allocation_data(ada, project, hours_per_week="16", next=back),
        )
        assert response["Location"] == back
        response = client.post(
            "/resources/allocations/new/",
            allocation_data(ada, project, hours_per_week="8", next="https://evil.example/"),
        )
        assert response["Location"] == f"/resources/people/{ada.pk}/"

    def test_a_booking_is_edited_and_removed(self, client, resource_manager, ada, project):
        allocation = AllocationFactory(resource=ada, project=project)
        client.force_login(resource_manager)
        form = client.get(f"/resources/allocations/{allocation.pk}/edit/").context["form"]
        assert form.initial["hours_per_week"] == Decimal(20)
        response = client.post(
            f"/resources/allocations/{allocation.pk}/edit/",
            allocation_data(ada, project, hours_per_week="32", booking="hard", version="1"),
        )
        assert response.status_code == 302
        allocation.refresh_from_db()
        assert (allocation.hours_per_week, allocation.booking, allocation.version) == (
            Decimal("32.0"), "hard", 2,
        )  # fmt: skip
        response = client.post(f"/resources/allocations/{allocation.pk}/delete/", follow=True)
        assert "Booking of Ada Lovelace on PRJ-00001 removed." in messages_of(response)
        assert not Allocation.objects.exists()

    def test_a_stale_booking_edit_is_refused(self, client, resource_manager, ada, project):
        allocation = AllocationFactory(resource=ada, project=project)
        people.allocation_save(
            by=resource_manager, allocation=allocation, version=1, hours_per_week=Decimal(10),
            resource=ada, project=project, start=allocation.start, end=allocation.end,
        )  # fmt: skip
        client.force_login(resource_manager)
        response = client.post(
            f"/resources/allocations/{allocation.pk}/edit/",
            allocation_data(ada, project, hours_per_week="32", version="1"),
        )
        assert response.status_code == 200
        assert "Someone else changed this allocation" in response.content.decode()
        allocation.refresh_from_db()
        assert allocation.hours_per_week == Decimal("10.0")

    @pytest.mark.parametrize(
        "overrides, fields",
        [
            ({"percent": "120"}, {"percent"}),
            ({"percent": "-10"}, {"percent"}),
            ({"hours_per_week": "20", "end": "2027-02-01"}, {"end"}),
            ({"percent": "50", "hours_per_week": "20"}, {"percent", "hours_per_week"}),
            ({}, {"percent", "hours_per_week"}),
            ({"hours_per_week": "200"}, {"hours_per_week"}),
        ],
    )
    def test_bad_booking_input_is_shown_next_to_the_fields(
        self, client, resource_manager, ada, project, overrides, fields
    ):
        client.force_login(resource_manager)
        response = client.post(
            "/resources/allocations/new/", allocation_data(ada, project, **overrides)
        )
        assert response.status_code == 200
        assert set(response.context["form"].errors) == fields
        assert "Nothing was saved." in response.content.decode()
        assert not Allocation.objects.exists()

    def test_only_open_projects_are_offered(self, client, resource_manager, project):
        closed = ProjectFactory(code="CLOSED-1", status="closed")
        client.force_login(resource_manager)
        choices = client.get("/resources/allocations/new/").context["form"].fields["project"]
        assert project in choices.queryset and closed not in choices.queryset


class TestResourceList:
    @pytest.fixture
    def people_of_two_departments(self, department, project):
        it = DepartmentFactory(code="IT", name="IT")
        dev, analyst = ResourceRoleFactory(name="Developer"), ResourceRoleFactory(name="Analyst")
        django = SkillFactory(name="Django")
        ada = ResourceFactory(name="Ada", email="ada@corp.example", department=it, role=dev)
        ResourceSkill.objects.create(resource=ada, skill=django, level=5)
        ResourceFactory(name="Bert", department=department, role=analyst, is_active=False)
        ResourceFactory(name="Beamer", kind="equipment", department=it, role=None)
        first, last = this_month()
        AllocationFactory(resource=ada, project=project, start=first, end=last, hours_per_week=46)
        return {"it": it, "dev": dev, "analyst": analyst, "django": django}

    def names(self, response) -> list[str]:
        return [row.record.name for row in response.context["table"].page.object_list]

    @pytest.mark.parametrize(
        "query, expected",
        [
            ("", ["Ada", "Beamer", "Bert"]),
            ("kind=equipment", ["Beamer"]),
            ("department={it}", ["Ada", "Beamer"]),
            ("role={analyst}", ["Bert"]),
            ("skill={django}", ["Ada"]),
            ("q=corp.example", ["Ada"]),
            ("q=be", ["Beamer", "Bert"]),
            ("active=no", ["Bert"]),
            ("active=yes&sort=-name", ["Beamer", "Ada"]),
        ],
    )
    def test_it_filters_and_sorts(
        self, client, executive, people_of_two_departments, query, expected
    ):
        ids = {name: obj.pk for name, obj in people_of_two_departments.items()}
        client.force_login(executive)
        response = client.get(f"/resources/people/?{query.format(**ids)}")
        assert self.names(response) == expected

    def test_it_shows_this_months_booking_and_flags_over_booking(
        self, client, executive, people_of_two_departments
    ):
        client.force_login(executive)
        body = client.get("/resources/people/?q=Ada").content.decode()
        assert "115%" in body and "over-booked" in body  # 46 of 40 hours a week

    def test_it_exports_the_filtered_list_with_the_months_figures(
        self, client, executive, people_of_two_departments
    ):
        client.force_login(executive)
        department = people_of_two_departments["it"].pk
        response = client.get(f"/resources/people/?department={department}&_export=csv")
        assert response["Content-Type"].startswith("text/csv")
        rows = list(csv.DictReader(io.StringIO(response.content.decode())))
        assert [row["Name"] for row in rows] == ["Ada", "Beamer"]
        assert rows[0]["Utilisation"] == "115"
        assert rows[0]["Capacity (h/week)"] == "40.0"
        assert rows[0]["E-mail"] == "ada@corp.example"
        assert rows[1]["Booked this month (h)"] == "0.0"

    def test_htmx_gets_only_the_results(self, client, executive, people_of_two_departments):
        client.force_login(executive)
        body = client.get("/resources/people/?kind=equipment", HTTP_HX_REQUEST="true")
        body = body.content.decode()
        assert body.lstrip().startswith('<div id="results">')
        assert "Beamer" in body and "<h1" not in body

    def test_the_list_is_paginated_by_twenty_five(self, client, executive, department):
        ResourceFactory.create_batch(26, department=department)
        client.force_login(executive)
        response = client.get("/resources/people/")
        assert len(response.context["table"].page.object_list) == 25
        assert response.context["table"].paginator.num_pages == 2


class TestProjectTeam:
    def test_the_planned_labour_cost_is_hours_times_weeks_times_rate_per_currency(
        self, department, project, django_assert_num_queries
    ):
        alice = ResourceFactory(name="Alice", department=department, cost_rate=500)
        bob = ResourceFactory(name="Bob", department=department, cost_rate=80, currency="USD")
        carol = ResourceFactory(name="Carol", department=department, cost_rate=300)
        # Alice 20 h/week for 10 weeks, Bob 40 h/week for 4 weeks, Carol 10 h/week for 2 weeks.
        AllocationFactory(resource=alice, project=project, start=D(2027, 3, 1),
                          end=D(2027, 5, 9), hours_per_week=20)  # fmt: skip
        AllocationFactory(resource=bob, project=project, start=D(2027, 3, 1),
                          end=D(2027, 3, 28), hours_per_week=40, booking="hard")  # fmt: skip
        AllocationFactory(resource=carol, project=project, start=D(2027, 4, 5),
                          end=D(2027, 4, 18), hours_per_week=10, percent=25)  # fmt: skip
        AllocationFactory(resource=carol)  # another project's booking does not count

        with django_assert_num_queries(2):
            context = project_team(project)

        rows = {a.resource.name: (a.planned_hours, a.planned_cost) for a in context["team"]}
        assert rows == {
            "Alice": (Decimal("200.0"), Decimal("100000.00")),  # 20 * 10 * 500
            "Bob": (Decimal("160.0"), Decimal("12800.00")),  # 40 * 4 * 80
            "Carol": (Decimal("20.0"), Decimal("6000.00")),  # 10 * 2 * 300
        }
        assert context["planned_labour_cost"] == [
            {"currency": "CNY", "amount": Decimal("106000.00")},
            {"currency": "USD", "amount": Decimal("12800.00")},
        ]
        html = render_to_string(
            "resources/_project_team.html", {**context, "can_manage_team": True}
        )
        assert "100,000.00 CNY" in html and "12,800.00 USD" in html and "106,000.00 CNY" in html
        assert f"/resources/allocations/new/?project={project.pk}" in html
        assert "(25%)" in html

    def test_a_project_without_bookings_says_so(self, project):
        html = render_to_string("resources/_project_team.html", project_team(project))
        assert "Nobody is booked on this project yet." in html
        assert "Book a resource" not in html


def _count_queries(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


class TestQueryCounts:
    def add_people(self, count, department, project):
        first, last = this_month()
        role, skill = ResourceRoleFactory(name="Developer"), SkillFactory(name="Django")
        for _ in range(count):
            person = ResourceFactory(department=department, role=role)
            ResourceSkill.objects.create(resource=person, skill=skill, level=3)
            AllocationFactory(resource=person, project=project, start=first, end=last)
            Absence.objects.create(resource=person, start=first, end=first)

    def test_the_list_costs_the_same_at_3_and_30_rows(self, client, executive, department, project):
        client.force_login(executive)
        self.add_people(3, department, project)
        few = _count_queries(client, "/resources/people/")
        self.add_people(27, department, project)
        many = _count_queries(client, "/resources/people/")
        assert Resource.objects.count() == 30
        assert few == many

    def test_the_export_costs_the_same_at_3_and_30_rows(
        self, client, executive, department, project
    ):
        client.force_login(executive)
        self.add_people(3, department, project)
        few = _count_queries(client, "/resources/people/?_export=csv")
        self.add_people(27, department, project)
        assert _count_queries(client, "/resources/people/?_export=csv") == few

    def fill(self, resource, count, by, start_index=0):
        """`count` more of every row the detail page lists, and as many changes."""
        today = timezone.localdate()
        for index in range(start_index, start_index + count):
            skill = SkillFactory(name=f"Skill {index}")
            ResourceSkill.objects.create(resource=resource, skill=skill, level=3)
            AllocationFactory(
                resource=resource, project=ProjectFactory(code=f"DTL-{index}"), start=today,
                end=today + datetime.timedelta(days=30 + index),
            )  # fmt: skip
            day = today + datetime.timedelta(days=index * 3)
            Absence.objects.create(resource=resource, start=day, end=day)
            Capacity.objects.create(
                resource=resource,
                start=D(2021, 1, 1) + datetime.timedelta(days=index),
                end=D(2021, 1, 1) + datetime.timedelta(days=index),
                hours_per_week=40,
            )
            resource.email = f"ada{index}@example.com"
            resource._history_user = by
            resource.save()

    def test_the_detail_costs_the_same_at_3_and_30_rows(self, client, resource_manager, ada):
        client.force_login(resource_manager)
        self.fill(ada, 3, resource_manager)
        few = _count_queries(client, f"/resources/people/{ada.pk}/")
        self.fill(ada, 27, resource_manager, start_index=3)
        assert _count_queries(client, f"/resources/people/{ada.pk}/") == few

    def test_the_edit_form_costs_the_same_at_3_and_30_skills(self, client, resource_manager, ada):
        client.force_login(resource_manager)
        self.fill(ada, 3, resource_manager)
        few = _count_queries(client, f"/resources/people/{ada.pk}/edit/")
        self.fill(ada, 27, resource_manager, start_index=3)
        assert _count_queries(client, f"/resources/people/{ada.pk}/edit/") == few


RESOURCE_MODELS = [model for model in admin.site._registry if model._meta.app_label == "resources"]


class TestAdmin:
    def test_every_model_of_the_area_is_in_the_admin(self):
        models = apps.get_app_config("resources").get_models()
        kept = {model for model in models if not model.__name__.startswith("Historical")}
        assert set(RESOURCE_MODELS) == kept

    @pytest.mark.parametrize("model", RESOURCE_MODELS, ids=lambda m: m._meta.model_name)
    def test_every_admin_page_opens(
        self, client, pmo_admin, register_objects, model, verified_login
    ):
        ResourceSkill.objects.create(
            resource_id=register_objects["resource"], skill=SkillFactory(), level=4
        )
        verified_login(client, pmo_admin)
        opts = model._meta
        assert client.get(f"/admin/{opts.app_label}/{opts.model_name}/").status_code == 200
        first = model._default_manager.first()
        if first is not None:
            change = client.get(f"/admin/{opts.app_label}/{opts.model_name}/{first.pk}/change/")
            assert change.status_code == 200
