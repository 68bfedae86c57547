"""`seed_demo` fills the resource register and the budgets: people with skills and capacity,
bookings that fit their projects, requests, budget lines and actual costs; the same for the same
seed, and `--flush` removes them."""

import datetime
import re
from collections import Counter, defaultdict
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import transaction
from django.test import override_settings
from django.utils import timezone

from projects import demo
from projects.models import Project
from resources.capacity import allocated_hours, capacity_hours, month_buckets
from resources.models import (
    Absence,
    ActualCost,
    Allocation,
    BudgetLine,
    Capacity,
    Resource,
    ResourceRequest,
    ResourceRole,
    ResourceSkill,
    Skill,
    UtilisationTarget,
)

CHINESE = re.compile(r"[\u4e00-\u9fff]")
Status = Project.Status


def seed_small(*args: str) -> str:
    out = StringIO()
    call_command("seed_demo", "--size", "small", *args, stdout=out)
    return out.getvalue()


@pytest.fixture(scope="class")
def seeded(django_db_setup, django_db_blocker, tmp_path_factory):
    """The small demo, seeded once for the tests of a class that only read it, and rolled back
    after them."""
    with (
        django_db_blocker.unblock(),
        override_settings(MEDIA_ROOT=tmp_path_factory.mktemp("media")),
        transaction.atomic(),
    ):
        seed_small()
        yield
        transaction.set_rollback(True)


@pytest.fixture
def fresh(db, settings, tmp_path):
    """For the tests that seed themselves: the demo's files kept apart."""
    settings.MEDIA_ROOT = tmp_path


def window(project: Project) -> tuple[datetime.date, datetime.date]:
    """The earliest start and latest end a project has, planned, forecast or actual."""
    starts = [project.planned_start, project.forecast_start, project.actual_start]
    ends = [project.planned_end, project.forecast_end, project.actual_end]
    return min(d for d in starts if d), max(d for d in ends if d)


@pytest.mark.usefixtures("seeded", "db")
class TestTheSmallDemo:
    """What the small demo holds; seeded once for all these tests."""

    # --- people -------------------------------------------------------------------------------

    def test_people_work_in_the_departments_in_a_role_with_skills_and_a_cost_rate(self):
        people = Resource.objects.people().select_related("role", "department")

        assert 140 <= people.count() <= 160
        assert not people.filter(role__isnull=True).exists()
        assert not people.filter(cost_rate__lte=0).exists()
        currencies = Counter(people.values_list("currency", flat=True))
        assert set(currencies) <= {"CNY", "USD", "EUR"}
        assert currencies["CNY"] > people.count() * 0.75
        skill_counts = Counter(ResourceSkill.objects.values_list("resource_id", flat=True))
        assert set(skill_counts.values()) <= {1, 2, 3, 4, 5}
        assert set(skill_counts) >= set(people.values_list("pk", flat=True))
        assert set(ResourceSkill.objects.values_list("level", flat=True)) <= {1, 2, 3, 4, 5}
        assert len({person.department_id for person in people}) > 5
        assert any(CHINESE.search(person.name) for person in people)
        assert len(set(people.exclude(email="").values_list("email", flat=True))) == people.count()

    def test_roles_and_skills_have_chinese_names_and_senior_people_cost_more(self):
        assert ResourceRole.objects.count() >= 30
        assert Skill.objects.count() >= 40
        assert ResourceRole.objects.get(name="Backend developer").name_zh_hans == "后端开发工程师"
        assert not ResourceRole.objects.filter(name_zh_hans="").exists()
        assert Skill.objects.filter(name_zh_hans__regex=r"[\u4e00-\u9fff]").count() >= 20
        architects = Resource.objects.filter(role__name="Solution architect", currency="CNY")
        testers = Resource.objects.filter(role__name="Test engineer", currency="CNY")
        if architects.exists() and testers.exists():
            average = lambda rows: sum(r.cost_rate for r in rows) / len(rows)  # noqa: E731
            assert average(list(architects)) > average(list(testers))

    def test_the_demo_logins_and_the_project_managers_are_people_with_their_email(self):
        linked = {
            resource.user.username: resource
            for resource in Resource.objects.filter(user__isnull=False).select_related(
                "user", "role"
            )
        }

        assert linked["resource"].role.name == "Resource manager"
        assert linked["pm"].role.name == "Project manager"
        assert linked["pmo"].role.name == "PMO analyst"
        for resource in linked.values():
            assert resource.email == resource.user.email
            assert resource.name
        managers = set(Project.objects.values_list("manager__username", flat=True))
        assert managers <= set(linked)
        assert Allocation.objects.filter(resource=linked["pm"]).exists()
        pm_projects = set(
            Project.objects.filter(manager__username="pm").values_list("pk", flat=True)
        )
        assert (
            set(
                Allocation.objects.filter(resource=linked["pm"]).values_list(
                    "project_id", flat=True
                )
            )
            <= pm_projects
        )

    def test_equipment_facilities_and_licences_are_resources_too(self):
        kinds = set(Resource.objects.exclude(kind="person").values_list("kind", flat=True))

        assert kinds == {"equipment", "facility", "licence"}
        assert not Resource.objects.exclude(kind="person").filter(role__isnull=False).exists()

    def test_capacities_never_overlap_and_some_people_went_part_time(self):
        rows = defaultdict(list)
        for row in Capacity.objects.order_by("resource", "start"):
            rows[row.resource_id].append(row)

        assert set(rows) == set(Resource.objects.values_list("pk", flat=True))
        for periods in rows.values():
            for earlier, later in zip(periods, periods[1:], strict=False):
                assert earlier.end == later.start - datetime.timedelta(days=1)
            assert periods[-1].end is None
            assert periods[0].hours_per_week == 40
        part_time = [p for p in rows.values() if len(p) == 2 and p[1].hours_per_week > 0]
        assert 5 <= len(part_time) <= 30
        assert all(20 <= periods[1].hours_per_week <= 32 for periods in part_time)

    def test_people_take_leave_and_have_public_holidays(self):
        absences = Absence.objects.all()
        today = timezone.localdate()

        kinds = Counter(absences.values_list("kind", flat=True))
        assert kinds["holiday"] > 100 and kinds["leave"] > 50
        national_day = absences.filter(kind="holiday", start=datetime.date(today.year, 10, 1))
        assert national_day.count() > 100
        for leave in absences.filter(kind="leave"):
            assert 4 <= (leave.end - leave.start).days <= 18
        for resource_id in set(absences.values_list("resource_id", flat=True)):
            periods = sorted(absences.filter(resource_id=resource_id).values_list("start", "end"))
            for (_start, end), (start, _end) in zip(periods, periods[1:], strict=False):
                assert end < start

    # --- bookings -----------------------------------------------------------------------------

    def test_bookings_lie_within_their_projects_dates_at_valid_hours(self):
        today = timezone.localdate()
        capacities = defaultdict(list)
        for row in Capacity.objects.order_by("start"):
            capacities[row.resource_id].append(row)
        allocations = list(Allocation.objects.select_related("project"))

        assert len(allocations) > 1000
        for allocation in allocations:
            project = allocation.project
            first, last = window(project)
            assert first <= allocation.start <= allocation.end <= last, allocation
            assert 10 <= allocation.hours_per_week <= 40, allocation
            assert 25 <= (allocation.end - allocation.start).days <= 190, allocation
            assert project.status != Status.CANCELLED
            if project.status == Status.CLOSED:
                assert allocation.end < today and allocation.booking == "hard"
            if project.status == Status.PROPOSED:
                assert allocation.booking in {"requested", "soft"}
            if allocation.percent is not None:
                in_force = [
                    c for c in capacities[allocation.resource_id] if c.start <= allocation.start
                ]
                weekly = in_force[-1].hours_per_week
                assert 0 < allocation.percent <= 100
                expected = (weekly * allocation.percent / 100).quantize(Decimal("0.1"))
                assert allocation.hours_per_week == expected, allocation
        bookings = Counter(allocation.booking for allocation in allocations)
        assert bookings["hard"] > len(allocations) / 2
        assert bookings["requested"] and bookings["soft"]
        assert any(allocation.percent is not None for allocation in allocations)
        statuses = {allocation.project.status for allocation in allocations}
        assert statuses == {"proposed", "approved", "active", "on_hold", "closed"}

    def test_a_few_people_are_over_allocated_this_year_and_the_rest_fit(self):
        buckets = month_buckets(datetime.date(timezone.localdate().year, 1, 1), 12)
        people = Resource.objects.people()
        capacity = capacity_hours(people, "id", buckets)
        booked = allocated_hours(
            Allocation.objects.filter(resource__in=people), "resource", buckets, pipeline=True
        )

        over = {
            person
            for person, months in booked.items()
            for key, hours in months.items()
            if hours > capacity.get(person, {}).get(key, 0) + Decimal("0.01")
        }
        assert 3 <= len(over) <= people.count() * 0.10
        assert not Resource.objects.filter(pk__in=over, user__isnull=False).exists()

    def test_the_heat_map_has_work_for_most_people_this_month(self):
        today = timezone.localdate()
        buckets = month_buckets(today, 1)
        people = Resource.objects.people().filter(is_active=True)
        capacity = capacity_hours(people, "id", buckets)
        booked = allocated_hours(
            Allocation.objects.filter(resource__in=people), "resource", buckets
        )

        key = buckets[0].key
        total_capacity = sum(months[key] for months in capacity.values())
        total_booked = sum(months[key] for months in booked.values())
        assert Decimal("0.55") <= total_booked / total_capacity <= Decimal("1.0")

    # --- requests -----------------------------------------------------------------------------

    def test_requests_wait_are_fulfilled_with_bookings_or_are_rejected_with_a_reason(self):
        requests = ResourceRequest.objects.all()
        statuses = Counter(requests.values_list("status", flat=True))

        assert 10 <= statuses["open"] <= 25
        assert statuses["fulfilled"] and statuses["rejected"] and statuses["cancelled"]
        for request in requests.filter(status="open").select_related("project"):
            assert request.skills.exists()
            first, last = window(request.project)
            assert first <= request.start <= request.end <= last
            assert request.project.status in {"proposed", "approved", "active"}
            assert request.decided_by is None
        assert requests.filter(status="open", project__manager__username="pm").exists()
        assert {r.unit for r in requests.filter(status="open")} == {"fte", "hours"}
        for request in requests.filter(status="fulfilled").prefetch_related("allocations"):
            booked = list(request.allocations.all())
            assert booked, request
            for allocation in booked:
                assert allocation.project_id == request.project_id
                assert (allocation.start, allocation.end) == (request.start, request.end)
                assert allocation.resource.role_id == request.role_id
            assert request.decided_by.username == "resource"
            assert request.requested_at <= request.decided_at <= timezone.now()
        for request in requests.filter(status="rejected"):
            assert request.decision_reason.strip()

    def test_a_decided_request_records_how_it_was_asked_for_and_decided(self):
        request = ResourceRequest.objects.filter(status="rejected").first()

        asked, decided = request.history.order_by("history_date")
        assert (asked.history_type, asked.status) == ("+", "open")
        assert asked.history_user == request.requested_by
        assert (decided.history_type, decided.status) == ("~", "rejected")
        assert decided.history_user.username == "resource"
        assert {s.skill_id for s in asked.skills.all()} == set(
            request.skills.values_list("pk", flat=True)
        )

    # --- budgets ------------------------------------------------------------------------------

    def test_each_projects_budget_lines_add_up_to_its_budget(self):
        totals = defaultdict(Decimal)
        for project_id, amount in BudgetLine.objects.values_list("project_id", "amount"):
            totals[project_id] += amount

        projects = Project.objects.all()
        assert set(totals) == set(projects.values_list("pk", flat=True))
        for project in projects:
            assert totals[project.pk] == project.budget, project
        assert not BudgetLine.objects.exclude(period__day=1).exists()
        categories = set(BudgetLine.objects.values_list("category", flat=True))
        assert categories == {"labour", "capital", "operating", "equipment"}

    def test_actual_costs_run_to_last_month_and_some_projects_overspend(self):
        this_month = timezone.localdate().replace(day=1)
        costs = ActualCost.objects.all()

        assert costs.exists()
        assert not costs.filter(period__gte=this_month).exists()
        assert not costs.filter(project__actual_start__isnull=True).exists()
        spent, planned = defaultdict(Decimal), defaultdict(Decimal)
        for project_id, amount in costs.values_list("project_id", "amount"):
            spent[project_id] += amount
        for project_id, amount in BudgetLine.objects.filter(project__status="closed").values_list(
            "project_id", "amount"
        ):
            planned[project_id] += amount
        overspent = [pk for pk in planned if spent[pk] > planned[pk] * Decimal("1.05")]
        within = [pk for pk in planned if spent[pk] <= planned[pk]]
        assert overspent and within

    def test_the_pmo_aims_at_80_percent_utilisation_and_some_roles_differ(self):
        assert UtilisationTarget.objects.get(role__isnull=True).percent == 80
        assert UtilisationTarget.objects.filter(role__isnull=False).count() >= 3


# --- seeding again ------------------------------------------------------------------------


def resources_snapshot() -> dict[str, list]:
    return {
        "people": list(
            Resource.objects.order_by("name", "email").values_list(
                "kind", "name", "email", "role__name", "department__code", "cost_rate", "currency"
            )
        ),
        "allocations": sorted(
            Allocation.objects.values_list(
                "resource__name",
                "resource__email",
                "project__code",
                "start",
                "end",
                "hours_per_week",
                "percent",
                "booking",
            )
        ),  # fmt: skip
        "requests": sorted(
            ResourceRequest.objects.values_list(
                "project__code", "role__name", "amount", "unit", "start", "end", "status"
            )
        ),
        "budget": sorted(
            BudgetLine.objects.values_list("project__code", "category", "period", "amount")
        ),
        "absences": sorted(
            Absence.objects.values_list("resource__name", "resource__email", "start", "kind")
        ),
    }


def test_the_same_seed_gives_the_same_resources_and_another_seed_others(fresh):
    seed_small()
    first = resources_snapshot()

    seed_small("--flush")
    assert resources_snapshot() == first

    seed_small("--flush", "--seed", "7")
    other = resources_snapshot()
    assert other["people"] != first["people"]
    assert other["allocations"] != first["allocations"]


def test_flush_removes_the_resources_and_budgets_with_their_history(fresh):
    out = seed_small()
    assert re.search(r"[\d,]+ allocations", out) and "budget lines" in out

    demo.flush_demo_data(demo.discover_demo_steps())

    for model in (Allocation, ResourceRequest, Capacity, Resource, BudgetLine, ResourceRole):
        assert not model.objects.exists(), model
        assert not model.history.exists(), model
    for model in (Absence, ActualCost, ResourceSkill, Skill, UtilisationTarget):
        assert not model.objects.exists(), model
    seed_small()
    assert Resource.objects.people().count() == 150


def test_the_resource_steps_run_after_the_projects_and_flush_before_them():
    names = [step.name for step in demo.discover_demo_steps()]

    assert names.index("projects") < names.index("resources") < names.index("budgets")
