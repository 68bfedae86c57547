"""Capacity against demand on worked examples: hours per bucket computed in the database."""

import datetime
from decimal import Decimal

import pytest

from resources.capacity import (
    allocated_hours,
    capacity_hours,
    month_buckets,
    regroup,
    requested_hours,
    week_buckets,
)
from resources.models import Absence, Allocation, Capacity, Resource, ResourceRequest, ResourceRole

pytestmark = pytest.mark.django_db

D = datetime.date
MARCH_APRIL = month_buckets(D(2027, 3, 1), 2)  # 31 and 30 days


@pytest.fixture
def developer_role():
    return ResourceRole.objects.create(name="Backend developer")


@pytest.fixture
def dev(department, developer_role):
    person = Resource.objects.create(name="Ada", department=department, role=developer_role)
    Capacity.objects.create(resource=person, start=D(2020, 1, 1), hours_per_week=40)
    return person


def hours(table, group, bucket_index):
    return table[group][MARCH_APRIL[bucket_index].key].quantize(Decimal("0.01"))


def test_buckets_are_whole_months_and_monday_weeks():
    assert [(b.start, b.end) for b in MARCH_APRIL] == [
        (D(2027, 3, 1), D(2027, 3, 31)),
        (D(2027, 4, 1), D(2027, 4, 30)),
    ]
    assert week_buckets(D(2027, 3, 3), 1)[0].start == D(2027, 3, 1)


def test_capacity_counts_days_in_the_month(dev):
    table = capacity_hours(Resource.objects.all(), "id", MARCH_APRIL)
    assert hours(table, dev.pk, 0) == Decimal("177.14")  # 40 * 31 / 7
    assert hours(table, dev.pk, 1) == Decimal("171.43")  # 40 * 30 / 7


def test_a_change_to_part_time_counts_from_its_date(dev):
    Capacity.objects.filter(resource=dev).update(end=D(2027, 3, 14))
    Capacity.objects.create(resource=dev, start=D(2027, 3, 15), hours_per_week=20)
    table = capacity_hours(Resource.objects.all(), "id", MARCH_APRIL)
    assert hours(table, dev.pk, 0) == Decimal("128.57")  # 40 * 14/7 + 20 * 17/7 = 80 + 48.57
    assert hours(table, dev.pk, 1) == Decimal("85.71")


def test_absences_take_their_share_of_capacity(dev):
    Absence.objects.create(resource=dev, start=D(2027, 4, 1), end=D(2027, 4, 14))
    table = capacity_hours(Resource.objects.all(), "id", MARCH_APRIL)
    assert hours(table, dev.pk, 1) == Decimal("91.43")  # 40 * 16 / 7


def test_allocations_count_by_overlap(dev, project):
    Allocation.objects.create(
        resource=dev, project=project, start=D(2027, 3, 18), end=D(2027, 4, 30),
        hours_per_week=Decimal(35),
    )  # fmt: skip
    table = allocated_hours(Allocation.objects.all(), "resource", MARCH_APRIL)
    assert hours(table, dev.pk, 0) == Decimal("70.00")  # 35 * 14 / 7
    assert hours(table, dev.pk, 1) == Decimal("150.00")


def test_demand_by_role_sums_people_of_that_role(dev, project, developer_role, department):
    other = Resource.objects.create(name="Grace", department=department, role=developer_role)
    for person in (dev, other):
        Allocation.objects.create(
            resource=person, project=project, start=D(2027, 3, 1), end=D(2027, 3, 31),
            hours_per_week=Decimal(7),
        )  # fmt: skip
    table = allocated_hours(Allocation.objects.all(), "resource__role", MARCH_APRIL)
    assert hours(table, developer_role.pk, 0) == Decimal("62.00")  # 2 * 7 * 31 / 7


def test_pipeline_demand_counts_only_when_asked(dev, project, pm, developer_role):
    project.status = "proposed"
    project.save()
    Allocation.objects.create(
        resource=dev, project=project, start=D(2027, 3, 1), end=D(2027, 3, 7), hours_per_week=7
    )
    ResourceRequest.objects.create(
        project=project, role=developer_role, amount=1, unit="fte", start=D(2027, 4, 1),
        end=D(2027, 4, 7), requested_by=pm,
    )  # fmt: skip
    assert allocated_hours(Allocation.objects.all(), "resource", MARCH_APRIL) == {}
    with_pipeline = allocated_hours(
        Allocation.objects.all(), "resource", MARCH_APRIL, pipeline=True
    )
    assert hours(with_pipeline, dev.pk, 0) == Decimal("7.00")
    requests = ResourceRequest.objects.all()
    requested = requested_hours(requests, MARCH_APRIL, pipeline=True)
    assert hours(requested, developer_role.pk, 1) == Decimal("40.00")  # 1 FTE for 7 days
    assert requested_hours(requests, MARCH_APRIL) == {}


def test_requests_count_only_among_those_given(
    project, others_project, pm, other_pm, developer_role
):
    for owner, by in ((project, pm), (others_project, other_pm)):
        ResourceRequest.objects.create(
            project=owner, role=developer_role, amount=10, unit="hours", start=D(2027, 3, 1),
            end=D(2027, 3, 14), requested_by=by,
        )  # fmt: skip
    everyone = requested_hours(ResourceRequest.objects.all(), MARCH_APRIL)
    ours = requested_hours(ResourceRequest.objects.filter(project=project), MARCH_APRIL)
    assert hours(everyone, developer_role.pk, 0) == Decimal("40.00")  # 2 * 10 h * 14 / 7
    assert hours(ours, developer_role.pk, 0) == Decimal("20.00")


def test_tables_group_by_several_fields_at_once(dev, department, developer_role):
    tester = ResourceRole.objects.create(name="Tester")
    other = Resource.objects.create(name="Grace", department=department, role=tester)
    Capacity.objects.create(resource=other, start=D(2020, 1, 1), hours_per_week=7)
    table = capacity_hours(Resource.objects.all(), ("department", "role"), MARCH_APRIL)
    assert hours(table, (department.pk, developer_role.pk), 0) == Decimal("177.14")
    assert hours(table, (department.pk, tester.pk), 0) == Decimal("31.00")
    assert hours(regroup(table, 0), department.pk, 0) == Decimal("208.14")


def test_closed_projects_count_where_the_caller_says(dev, project):
    Allocation.objects.create(
        resource=dev, project=project, start=D(2027, 3, 1), end=D(2027, 3, 7), hours_per_week=7
    )
    project.status = "closed"
    project.save()
    allocations = Allocation.objects.all()
    assert allocated_hours(allocations, "resource", MARCH_APRIL) == {}
    worked = allocated_hours(allocations, "resource", MARCH_APRIL, excluded=["cancelled"])
    assert hours(worked, dev.pk, 0) == Decimal("7.00")
