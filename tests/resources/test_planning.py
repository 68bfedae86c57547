"""Capacity planning pages on worked examples: demand against capacity by role, each person's
utilisation and the allocations behind a cell, utilisation against the PMO's target."""

import datetime
from decimal import Decimal

import pytest
from dateutil.relativedelta import relativedelta
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from resources import planning
from resources.models import (
    Absence,
    Allocation,
    Capacity,
    Resource,
    ResourceRequest,
    ResourceRole,
    ResourceSkill,
    Skill,
    UtilisationTarget,
)
from resources.services.targets import utilisation_target_set
from resources.urls import planning as planning_urls
from resources.views import planning as planning_views
from tests.factories import DepartmentFactory, ProjectFactory, UserFactory
from tests.permission_matrix import PERSONAS, READ, check_page, resolver_patterns

pytestmark = pytest.mark.django_db

D = datetime.date

ROLES_URL = "/resources/capacity/roles/"
PEOPLE_URL = "/resources/capacity/people/"
UTILISATION_URL = "/resources/utilisation/"

# url -> expected status of a GET per persona (same order as PERSONAS). {person} is a person
# with capacity and an allocation, {month} the first day of the current month.
MATRIX = {
    ROLES_URL: READ,
    PEOPLE_URL: READ,
    "/resources/capacity/people/{person}/{month}/": READ,
    UTILISATION_URL: READ,
}

# Resolver patterns of resources/urls/planning.py and the matrix rows that cover them.
PATTERN_ROWS = {
    "resources/capacity/roles/": ROLES_URL,
    "resources/capacity/people/": PEOPLE_URL,
    "resources/capacity/people/<int:pk>/<str:bucket>/": (
        "/resources/capacity/people/{person}/{month}/"
    ),
    "resources/utilisation/": UTILISATION_URL,
}


def this_month() -> datetime.date:
    return timezone.localdate().replace(day=1)


def months_ahead(count: int) -> datetime.date:
    """The last day of the month `count` months after the current one."""
    return this_month() + relativedelta(months=count + 1) - datetime.timedelta(days=1)


@pytest.fixture
def developer():
    return ResourceRole.objects.create(name="Backend developer", name_zh_hans="后端开发")


@pytest.fixture
def analyst():
    return ResourceRole.objects.create(name="Business analyst")


@pytest.fixture
def python_skill():
    return Skill.objects.create(name="Python")


def make_person(name, *, department, role=None, hours=40, skills=(), **fields):
    person = Resource.objects.create(name=name, department=department, role=role, **fields)
    Capacity.objects.create(resource=person, start=D(2020, 1, 1), hours_per_week=hours)
    for skill in skills:
        ResourceSkill.objects.create(resource=person, skill=skill, level=4)
    return person


def book(person, project, hours, *, start=None, end=None, booking=Allocation.Booking.HARD):
    return Allocation.objects.create(
        resource=person,
        project=project,
        start=start or this_month(),
        end=end or months_ahead(24),
        hours_per_week=Decimal(hours),
        booking=booking,
    )


def ask_for(role, project, by, amount, *, unit=ResourceRequest.Unit.FTE, skills=()):
    request = ResourceRequest.objects.create(
        project=project, role=role, amount=Decimal(amount), unit=unit, start=this_month(),
        end=months_ahead(24), requested_by=by,
    )  # fmt: skip
    request.skills.set(skills)
    return request


@pytest.fixture
def ada(department, developer, python_skill):
    return make_person("Ada Lovelace", department=department, role=developer, skills=[python_skill])


def first_cell(row):
    return row.cells[0]


def rows_by_label(response):
    return {row.label: row for row in response.context["heatmap"].rows}


class TestPermissions:
    def test_every_planning_page_is_in_the_matrix(self):
        patterns = set(resolver_patterns(planning_urls.urlpatterns, "resources/"))
        assert patterns == set(PATTERN_ROWS)
        assert set(PATTERN_ROWS.values()) <= set(MATRIX)

    @pytest.mark.parametrize("url_template", list(MATRIX))
    @pytest.mark.parametrize("persona", PERSONAS)
    def test_each_persona_gets_the_expected_status(
        self, client, request, project, ada, url_template, persona
    ):
        book(ada, project, 20)
        check_page(
            client, request, MATRIX, url_template, persona, person=ada.pk,
            month=this_month().isoformat(),
        )  # fmt: skip

    def test_someone_without_the_resource_view_permission_is_refused(self, client):
        client.force_login(UserFactory(username="nobody"))
        for url in (ROLES_URL, PEOPLE_URL, UTILISATION_URL):
            assert client.get(url).status_code == 403


class TestRoleHeatmap:
    def test_a_role_booked_beyond_its_capacity_shows_over_demand(
        self, client, pmo, ada, project, developer
    ):
        book(ada, project, 50)
        client.force_login(pmo)
        response = client.get(ROLES_URL)
        row = rows_by_label(response)["Backend developer"]
        cell = first_cell(row)
        assert (cell.percent, cell.band) == (125, "over")
        cent = Decimal("0.01")
        assert cell.used.quantize(cent) == (cell.capacity * Decimal("1.25")).quantize(cent)
        assert len(row.cells) == 18
        assert response.context["heatmap"].total.cells[0].percent == 125
        html = response.content.decode()
        assert '<td class="heat heat-over">' in html
        assert "125%" in html

    def test_bands_follow_the_rounded_percentage(self):
        assert planning.band_of(planning.percent_of(Decimal("79.4"), Decimal(100)), 1) == "under"
        assert planning.band_of(planning.percent_of(Decimal("79.5"), Decimal(100)), 1) == "near"
        assert planning.band_of(planning.percent_of(Decimal("100.4"), Decimal(100)), 1) == "near"
        assert planning.band_of(planning.percent_of(Decimal("100.5"), Decimal(100)), 1) == "over"
        assert planning.band_of(None, Decimal(5)) == "over"  # demand on no capacity at all
        assert planning.band_of(None, Decimal(0)) == "empty"

    def test_open_requests_add_unnamed_demand(self, client, pmo, pm, ada, project, developer):
        book(ada, project, 10)
        ask_for(developer, project, pm, "0.5")  # 20 h a week
        client.force_login(pmo)
        cell = first_cell(rows_by_label(client.get(ROLES_URL))["Backend developer"])
        assert cell.percent == 75  # (10 + 20) / 40

    def test_a_request_for_a_role_nobody_has_is_demand_on_no_capacity(
        self, client, pmo, pm, project, analyst
    ):
        ask_for(analyst, project, pm, "1")
        client.force_login(pmo)
        response = client.get(ROLES_URL)
        cell = first_cell(rows_by_label(response)["Business analyst"])
        assert (cell.percent, cell.band) == (None, "over")
        assert "no capacity" in response.content.decode()

    def test_the_pipeline_toggle_adds_the_demand_of_proposed_projects(
        self, client, pmo, pm, ada, developer, department, project_type
    ):
        proposed = ProjectFactory(
            status="proposed", manager=pm, department=department, project_type=project_type
        )
        book(ada, proposed, 20, booking=Allocation.Booking.SOFT)
        ask_for(developer, proposed, pm, "10", unit=ResourceRequest.Unit.HOURS)
        client.force_login(pmo)
        without = first_cell(rows_by_label(client.get(ROLES_URL))["Backend developer"])
        response = client.get(ROLES_URL, {"pipeline": "on"})
        with_pipeline = first_cell(rows_by_label(response)["Backend developer"])
        assert without.percent == 0
        assert with_pipeline.percent == 75  # (20 + 10) / 40
        assert "including the pipeline" in response.content.decode()
        assert 'name="pipeline"' in response.content.decode()

    def test_the_department_filter_keeps_its_people_and_its_projects_requests(
        self, client, pmo, pm, ada, project, developer, project_type
    ):
        sales = DepartmentFactory(code="SAL", name="Sales")
        grace = make_person("Grace Hopper", department=sales, role=developer)
        sales_project = ProjectFactory(
            manager=pm, department=sales, project_type=project_type, code="PRJ-00003"
        )
        book(ada, project, 20)
        book(grace, sales_project, 40)
        ask_for(developer, sales_project, pm, "1")
        client.force_login(pmo)
        everyone = first_cell(rows_by_label(client.get(ROLES_URL))["Backend developer"])
        assert everyone.percent == 125  # (20 + 40 + 40) / 80
        finance = first_cell(
            rows_by_label(client.get(ROLES_URL, {"department": ada.department_id}))[
                "Backend developer"
            ]
        )
        assert finance.percent == 50  # Ada alone; the Sales request is not Finance's demand
        sales_only = first_cell(
            rows_by_label(client.get(ROLES_URL, {"department": sales.pk}))["Backend developer"]
        )
        assert sales_only.percent == 200  # (40 + 40) / 40

    def test_the_role_and_skill_filters_narrow_the_rows(
        self, client, pmo, pm, ada, project, developer, analyst, python_skill
    ):
        make_person("Barbara Liskov", department=ada.department, role=analyst)
        make_person("Edsger Dijkstra", department=ada.department, role=developer)
        book(ada, project, 20)
        client.force_login(pmo)
        everyone = rows_by_label(client.get(ROLES_URL))
        assert set(everyone) == {"Backend developer", "Business analyst"}
        by_role = rows_by_label(client.get(ROLES_URL, {"role": analyst.pk}))
        assert set(by_role) == {"Business analyst"}
        by_skill = rows_by_label(client.get(ROLES_URL, {"skill": python_skill.pk}))
        assert set(by_skill) == {"Backend developer"}
        assert first_cell(by_skill["Backend developer"]).percent == 50  # Ada's 40 h, not Edsger's

    def test_a_filter_value_that_does_not_exist_is_ignored(self, client, pmo, ada, project):
        book(ada, project, 20)
        client.force_login(pmo)
        response = client.get(ROLES_URL, {"department": "99999", "role": "x"})
        assert response.status_code == 200
        assert set(rows_by_label(response)) == {"Backend developer"}

    def test_the_table_has_a_caption_row_headers_and_the_legend_in_words(
        self, client, pmo, ada, project
    ):
        book(ada, project, 20)
        client.force_login(pmo)
        html = client.get(ROLES_URL).content.decode()
        assert "<caption" in html
        assert '<th scope="row">Backend developer</th>' in html
        assert '<th scope="row">Total</th>' in html
        assert "Under 80%: spare capacity" in html
        assert "over-demand" in html
        assert "style=" not in html

    def test_the_page_costs_the_same_queries_for_3_and_30_roles(
        self, client, pmo, pm, department, project
    ):
        def add_roles(start, count):
            for number in range(start, start + count):
                role = ResourceRole.objects.create(name=f"Role {number:02d}")
                person = make_person(f"Person {number:02d}", department=department, role=role)
                book(person, project, 30)
                ask_for(role, project, pm, "1")

        client.force_login(pmo)
        add_roles(0, 3)
        client.get(ROLES_URL)  # sessions, caches
        with CaptureQueriesContext(connection) as few:
            response = client.get(ROLES_URL, {"pipeline": "on", "department": department.pk})
        assert len(response.context["heatmap"].rows) == 3
        add_roles(3, 27)
        with CaptureQueriesContext(connection) as many:
            response = client.get(ROLES_URL, {"pipeline": "on", "department": department.pk})
        assert len(response.context["heatmap"].rows) == 30
        assert len(many) == len(few)


class TestCachedFigures:
    def test_a_second_visit_reads_the_figures_from_the_cache(self, client, pmo, ada, project):
        book(ada, project, 20)
        client.force_login(pmo)
        client.get(ROLES_URL)  # sessions
        cache.clear()
        with CaptureQueriesContext(connection) as first:
            client.get(ROLES_URL)
        with CaptureQueriesContext(connection) as second:
            client.get(ROLES_URL)
        assert len(second) == len(first) - 4  # capacity, absences, bookings, requests

    def test_a_new_booking_shows_at_once(self, client, pmo, ada, project, developer):
        book(ada, project, 20)
        client.force_login(pmo)
        before = client.get(ROLES_URL).context["heatmap"].total.cells[1].used
        book(ada, project, 10)
        after = client.get(ROLES_URL).context["heatmap"].total.cells[1].used
        assert after > before

    def test_a_closed_project_leaves_the_demand_at_once(self, client, pmo, ada, project):
        book(ada, project, 20)
        client.force_login(pmo)
        assert client.get(ROLES_URL).context["heatmap"].total.cells[1].used > 0
        project.status = "closed"
        project.save()
        assert client.get(ROLES_URL).context["heatmap"].total.cells[1].used == 0


class TestPeopleHeatmap:
    def test_a_person_booked_50_hours_on_40_shows_125_percent_and_is_flagged(
        self, client, pmo, ada, project
    ):
        book(ada, project, 50)
        client.force_login(pmo)
        response = client.get(PEOPLE_URL)
        (row,) = response.context["rows"]
        assert [cell.percent for cell in row.cells] == [125] * 12
        assert row.over and row.peak == 125
        html = response.content.decode()
        drill_down = f"/resources/capacity/people/{ada.pk}/{this_month().isoformat()}/?scale=month"
        assert f'<td class="heat heat-over"><a href="{drill_down}">125%</a>' in html
        assert "Over-allocated" in html

    def test_a_person_within_capacity_is_not_flagged(self, client, pmo, ada, project):
        book(ada, project, 30)
        client.force_login(pmo)
        (row,) = client.get(PEOPLE_URL).context["rows"]
        assert (row.cells[0].percent, row.cells[0].band, row.over) == (75, "under", False)

    def test_the_week_scale_shows_16_weeks_from_this_monday(self, client, pmo, ada, project):
        book(ada, project, 20)
        client.force_login(pmo)
        response = client.get(PEOPLE_URL, {"scale": "week"})
        buckets = response.context["buckets"]
        today = timezone.localdate()
        assert len(buckets) == 16
        assert buckets[0].start == today - datetime.timedelta(days=today.weekday())
        (row,) = response.context["rows"]
        assert row.cells[1].percent == 50
        week = buckets[1].start.isoformat()
        assert f"/resources/capacity/people/{ada.pk}/{week}/?scale=week" in (
            response.content.decode()
        )

    def test_allocations_of_closed_and_proposed_projects_do_not_count(
        self, client, pmo, pm, ada, department, project_type
    ):
        for status in ("proposed", "closed", "cancelled"):
            other = ProjectFactory(
                status=status, manager=pm, department=department, project_type=project_type
            )
            book(ada, other, 20)
        client.force_login(pmo)
        (row,) = client.get(PEOPLE_URL).context["rows"]
        assert row.cells[0].percent == 0

    @pytest.fixture
    def three_people(self, department, developer, analyst, project, python_skill):
        """Anna at 50% (analyst), Ben at 125% (developer, Python), Carl at 100% (developer)."""
        anna = make_person("Anna", department=department, role=analyst)
        ben = make_person("Ben", department=department, role=developer, skills=[python_skill])
        carl = make_person("Carl", department=department, role=developer)
        book(anna, project, 20)
        book(ben, project, 50)
        book(carl, project, 40)
        return anna, ben, carl

    def names(self, response):
        return [row.label for row in response.context["rows"]]

    def test_people_are_by_name_or_over_allocated_first(self, client, pmo, three_people):
        client.force_login(pmo)
        assert self.names(client.get(PEOPLE_URL)) == ["Anna", "Ben", "Carl"]
        assert self.names(client.get(PEOPLE_URL, {"sort": "peak"})) == ["Ben", "Carl", "Anna"]

    def test_only_over_allocated_keeps_those_above_100_percent(self, client, pmo, three_people):
        client.force_login(pmo)
        response = client.get(PEOPLE_URL, {"over_only": "on"})
        assert self.names(response) == ["Ben"]
        assert response.context["paginator"].count == 1

    def test_the_filters_narrow_the_people(
        self, client, pmo, three_people, analyst, python_skill, project_type
    ):
        sales = DepartmentFactory(code="SAL", name="Sales")
        make_person("Dora", department=sales, role=analyst)
        client.force_login(pmo)
        assert self.names(client.get(PEOPLE_URL, {"department": sales.pk})) == ["Dora"]
        assert self.names(client.get(PEOPLE_URL, {"role": analyst.pk})) == ["Anna", "Dora"]
        assert self.names(client.get(PEOPLE_URL, {"skill": python_skill.pk})) == ["Ben"]

    def test_inactive_people_and_equipment_are_left_out(self, client, pmo, department, ada):
        make_person("Left last year", department=department, is_active=False)
        make_person("Test rig", department=department, kind=Resource.Kind.EQUIPMENT)
        client.force_login(pmo)
        assert self.names(client.get(PEOPLE_URL)) == ["Ada Lovelace"]

    def test_fifty_people_a_page(self, client, pmo, department, project):
        people = Resource.objects.bulk_create(
            Resource(name=f"Person {number:02d}", department=department) for number in range(51)
        )
        Capacity.objects.bulk_create(
            Capacity(resource=person, start=D(2020, 1, 1), hours_per_week=40) for person in people
        )
        client.force_login(pmo)
        assert len(client.get(PEOPLE_URL).context["rows"]) == 50
        second = client.get(PEOPLE_URL, {"page": 2, "sort": "peak"})
        assert self.names(second) == ["Person 50"]

    def test_past_the_ranking_limit_the_order_applies_within_the_page(
        self, client, pmo, three_people, monkeypatch
    ):
        monkeypatch.setattr(planning_views, "RANK_LIMIT", 2)
        client.force_login(pmo)
        response = client.get(PEOPLE_URL, {"sort": "peak"})
        assert self.names(response) == ["Ben", "Carl", "Anna"]
        assert "each page, by name, is sorted over-allocated first" in response.content.decode()

    def test_past_the_ranking_limit_only_over_allocated_asks_for_a_narrower_choice(
        self, client, pmo, three_people, monkeypatch, department
    ):
        monkeypatch.setattr(planning_views, "RANK_LIMIT", 2)
        client.force_login(pmo)
        response = client.get(PEOPLE_URL, {"over_only": "on"})
        assert (
            "Choose a department, role or skill first"
            in response.context["form"].errors["over_only"][0]
        )
        assert self.names(response) == ["Anna", "Ben", "Carl"]

    @pytest.mark.parametrize(
        "query, rank_limit",
        [
            ({}, 2_000),
            ({"scale": "week"}, 2_000),
            ({"sort": "peak"}, 2_000),
            ({"over_only": "on", "scale": "week"}, 2_000),
            ({"sort": "peak", "over_only": "on"}, 1),
        ],
    )
    def test_the_page_costs_the_same_queries_for_3_and_30_people(
        self, client, pmo, department, developer, project, query, rank_limit, monkeypatch
    ):
        monkeypatch.setattr(planning_views, "RANK_LIMIT", rank_limit)

        def add_people(start, count):
            for number in range(start, start + count):
                person = make_person(f"Person {number:02d}", department=department, role=developer)
                book(person, project, 50)
                Absence.objects.create(
                    resource=person, start=this_month(), end=this_month() + relativedelta(days=3)
                )

        client.force_login(pmo)
        add_people(0, 3)
        client.get(PEOPLE_URL, query)
        with CaptureQueriesContext(connection) as few:
            assert len(client.get(PEOPLE_URL, query).context["rows"]) == 3
        add_people(3, 27)
        with CaptureQueriesContext(connection) as many:
            assert len(client.get(PEOPLE_URL, query).context["rows"]) == 30
        assert len(many) == len(few)


class TestPersonBucket:
    def url(self, person, day, scale="month"):
        return f"/resources/capacity/people/{person.pk}/{day.isoformat()}/?scale={scale}"

    def test_it_lists_the_allocations_and_marks_those_that_go_over(
        self, client, pmo, pm, ada, project, department, project_type
    ):
        second = ProjectFactory(
            code="PRJ-00010", name="Data lake", manager=pm, department=department,
            project_type=project_type,
        )  # fmt: skip
        pipeline = ProjectFactory(
            code="PRJ-00011", name="Maybe next year", status="proposed", manager=pm,
            department=department, project_type=project_type,
        )  # fmt: skip
        soft = book(ada, second, 20, booking=Allocation.Booking.SOFT)
        hard = book(ada, project, 30)
        book(ada, pipeline, 10)
        client.force_login(pmo)
        response = client.get(self.url(ada, this_month()))
        detail = response.context["detail"]
        days = detail.bucket.days
        assert [a.pk for a in detail.allocations] == [hard.pk, soft.pk]  # hard bookings first
        assert [a.over for a in detail.allocations] == [False, True]
        assert detail.allocations[0].in_bucket.quantize(Decimal("0.01")) == (
            Decimal(30 * days) / 7
        ).quantize(Decimal("0.01"))
        assert detail.percent == 125
        assert [a.project.code for a in detail.not_counted] == ["PRJ-00011"]
        html = response.content.decode()
        assert "Over capacity" in html
        assert "Over-allocated by" in html
        assert "Data lake" in html and "Maybe next year" in html

    def test_absences_show_and_reduce_the_capacity(self, client, pmo, ada, project):
        monday = D(2030, 1, 7)
        book(ada, project, 20, start=monday, end=monday + relativedelta(days=6))
        Absence.objects.create(
            resource=ada, start=monday, end=monday + relativedelta(days=4), note="Conference"
        )
        client.force_login(pmo)
        response = client.get(self.url(ada, monday, "week"))
        detail = response.context["detail"]
        assert detail.capacity.quantize(Decimal("0.01")) == Decimal("11.43")  # 40 * 2 / 7
        assert detail.allocated == Decimal(20)
        assert detail.percent == 175
        assert "Conference" in response.content.decode()

    def test_a_week_bucket_starts_on_the_monday(self, client, pmo, ada, project):
        book(ada, project, 40)
        wednesday = D(2030, 1, 2)
        client.force_login(pmo)
        detail = client.get(self.url(ada, wednesday, "week")).context["detail"]
        assert (detail.bucket.start, detail.bucket.end) == (D(2029, 12, 31), D(2030, 1, 6))

    def test_a_bad_date_or_an_unknown_person_is_not_found(self, client, pmo, ada):
        client.force_login(pmo)
        assert client.get(f"/resources/capacity/people/{ada.pk}/2027-13-01/").status_code == 404
        assert client.get(f"/resources/capacity/people/{ada.pk}/soon/").status_code == 404
        assert client.get("/resources/capacity/people/99999/2027-01-01/").status_code == 404


class TestUtilisation:
    def past_year(self):
        return this_month() - relativedelta(months=11)

    @pytest.fixture
    def booked(self, ada, project, analyst, department):
        """Ada (developer) at 32 of 40 h hard, Barbara (analyst) at 36 h soft and 4 h requested,
        over the last 12 months."""
        book(ada, project, 32, start=self.past_year(), end=months_ahead(0))
        barbara = make_person("Barbara Liskov", department=department, role=analyst)
        book(barbara, project, 36, start=self.past_year(), end=months_ahead(0), booking="soft")
        book(barbara, project, 4, start=self.past_year(), end=months_ahead(0), booking="requested")
        return ada, barbara

    def rows(self, response, table):
        return {row.label: row for row in getattr(response.context["report"], table)}

    def test_utilisation_is_hard_and_soft_bookings_against_the_default_target(
        self, client, pmo, booked
    ):
        client.force_login(pmo)
        response = client.get(UTILISATION_URL)
        report = response.context["report"]
        assert len(report.buckets) == 12
        assert report.buckets[-1].start == this_month()
        roles = self.rows(response, "by_role")
        developer = roles["Backend developer"]
        assert developer.target == Decimal(80)
        assert [item.cell.percent for item in developer.cells] == [80] * 12
        assert developer.cells[0].against_target == "on"
        analyst = roles["Business analyst"]
        assert analyst.cells[0].cell.percent == 90  # the requested booking does not count
        assert analyst.cells[0].against_target == "above"
        (finance,) = report.by_department
        assert finance.cells[0].cell.percent == 85  # (32 + 36) / 80
        assert report.total.overall.cell.percent == 85
        html = response.content.decode()
        assert "above target" in html and "on target" in html

    def test_a_role_target_replaces_the_portal_wide_one(self, client, pmo, booked, developer):
        UtilisationTarget.objects.create(role=None, percent=Decimal(70))
        UtilisationTarget.objects.create(role=developer, percent=Decimal("90.5"))
        client.force_login(pmo)
        response = client.get(UTILISATION_URL)
        roles = self.rows(response, "by_role")
        assert roles["Backend developer"].target == Decimal("90.5")
        assert roles["Backend developer"].own_target
        assert roles["Backend developer"].cells[0].against_target == "below"
        assert roles["Business analyst"].target == Decimal(70)
        assert response.context["report"].by_department[0].target == Decimal(70)
        assert "below target" in response.content.decode()

    def test_the_pmo_sets_the_portal_wide_target(self, client, pmo):
        client.force_login(pmo)
        response = client.post(UTILISATION_URL, {"role": "", "percent": "75"})
        assert response.status_code == 302
        target = UtilisationTarget.objects.get(role=None)
        assert target.percent == Decimal(75)
        assert target.history.first().history_user == pmo
        response = client.get(UTILISATION_URL)
        assert "The portal-wide utilisation target is now 75%." in [
            str(message) for message in response.context["messages"]
        ]

    def test_the_pmo_sets_and_changes_a_role_target(self, client, pmo, developer):
        client.force_login(pmo)
        client.post(UTILISATION_URL, {"role": developer.pk, "percent": "85"})
        client.post(UTILISATION_URL, {"role": developer.pk, "percent": "82.5"})
        assert UtilisationTarget.objects.get().percent == Decimal("82.5")
        assert UtilisationTarget.objects.get().role == developer

    @pytest.mark.parametrize("percent", ["150", "-5", "abc", ""])
    def test_a_bad_target_is_refused_next_to_the_field(self, client, pmo, percent):
        client.force_login(pmo)
        response = client.post(UTILISATION_URL, {"role": "", "percent": percent})
        assert response.status_code == 200
        assert response.context["form"].errors["percent"]
        assert 'id="error_1_id_percent"' in response.content.decode()
        assert not UtilisationTarget.objects.exists()

    @pytest.mark.parametrize("persona", ["executive", "pm", "resource_manager"])
    def test_only_those_who_set_targets_may_post(
        self, client, executive, pm, resource_manager, persona
    ):
        users = {"executive": executive, "pm": pm, "resource_manager": resource_manager}
        client.force_login(users[persona])
        assert client.post(UTILISATION_URL, {"percent": "60"}).status_code == 403
        assert "target-form" not in client.get(UTILISATION_URL).content.decode()
        assert not UtilisationTarget.objects.exists()

    def test_an_anonymous_post_goes_to_the_login_page(self, client):
        response = client.post(UTILISATION_URL, {"percent": "60"})
        assert response["Location"].startswith("/accounts/login/?next=")

    def test_the_page_costs_the_same_queries_for_3_and_30_people(
        self, client, pmo, project, developer
    ):
        def add_people(start, count):
            for number in range(start, start + count):
                department = DepartmentFactory(code=f"U{number:02d}")
                role = ResourceRole.objects.create(name=f"Role {number:02d}")
                UtilisationTarget.objects.create(role=role, percent=75)
                person = make_person(f"Person {number:02d}", department=department, role=role)
                book(person, project, 30, start=self.past_year())

        client.force_login(pmo)
        add_people(0, 3)
        client.get(UTILISATION_URL)  # sessions
        cache.clear()  # the figures, worked out anew
        with CaptureQueriesContext(connection) as few:
            assert len(client.get(UTILISATION_URL).context["report"].by_role) == 3
        add_people(3, 27)
        with CaptureQueriesContext(connection) as many:
            assert len(client.get(UTILISATION_URL).context["report"].by_role) == 30
        assert len(many) == len(few)


class TestTargetService:
    def test_it_creates_then_updates_one_target_per_role(self, pmo, developer):
        utilisation_target_set(by=pmo, percent=Decimal(80))
        utilisation_target_set(by=pmo, role=developer, percent=Decimal(85))
        utilisation_target_set(by=pmo, percent=Decimal(78))
        assert UtilisationTarget.objects.count() == 2
        assert UtilisationTarget.objects.get(role=None).percent == Decimal(78)

    @pytest.mark.parametrize("percent", [Decimal(150), Decimal(-1)])
    def test_it_refuses_a_target_outside_0_to_100(self, pmo, percent):
        with pytest.raises(ValidationError) as refused:
            utilisation_target_set(by=pmo, percent=percent)
        assert "percent" in refused.value.message_dict
        assert not UtilisationTarget.objects.exists()

    def test_it_refuses_those_who_may_not_set_targets(self, resource_manager):
        with pytest.raises(PermissionDenied):
            utilisation_target_set(by=resource_manager, percent=Decimal(80))
