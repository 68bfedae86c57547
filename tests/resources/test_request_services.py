import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from pmo_portal.models import Notification
from resources.models import Allocation, Capacity, Resource, ResourceRole, ResourceSkill, Skill
from resources.services import people, requests

pytestmark = pytest.mark.django_db

D = datetime.date


@pytest.fixture
def backend(db):
    return ResourceRole.objects.create(name="Backend developer", name_zh_hans="后端开发")


@pytest.fixture
def django_skill(db):
    return Skill.objects.create(name="Django")


def person(name, role, department, hours=40, skill=None, level=3):
    resource = Resource.objects.create(name=name, role=role, department=department)
    Capacity.objects.create(resource=resource, start=D(2020, 1, 1), hours_per_week=hours)
    if skill:
        ResourceSkill.objects.create(resource=resource, skill=skill, level=level)
    return resource


@pytest.fixture
def request_for_two(project, pm, backend, django_skill, resource_manager):
    return requests.request_create(
        project=project, by=pm, role=backend, skills=[django_skill], amount=Decimal(2),
        unit="fte", start=D(2027, 1, 1), end=D(2027, 6, 30),
    )  # fmt: skip


def test_a_request_notifies_the_resource_managers(request_for_two, resource_manager):
    assert Notification.objects.filter(user=resource_manager).count() == 1


def test_only_the_projects_manager_requests(others_project, pm, backend):
    with pytest.raises(PermissionDenied):
        requests.request_create(
            project=others_project, by=pm, role=backend, amount=1, unit="fte",
            start=D(2027, 1, 1), end=D(2027, 2, 1),
        )  # fmt: skip


def test_suggestions_rank_skills_then_free_capacity(
    request_for_two, backend, django_skill, department, project
):
    busy = person("Busy expert", backend, department, skill=django_skill, level=5)
    free = person("Free expert", backend, department, skill=django_skill, level=5)
    novice = person("Free novice", backend, department, skill=django_skill, level=1)
    person("No skill", backend, department)
    Allocation.objects.create(
        resource=busy, project=project, start=D(2027, 1, 1), end=D(2027, 6, 30), hours_per_week=30
    )
    ranked = requests.suggestions(request_for_two)
    assert [s.resource for s in ranked][:3] == [free, busy, novice]
    assert ranked[0].free_hours_per_week == Decimal("40.0")
    assert ranked[1].free_hours_per_week == Decimal("10.0")


def test_fulfilling_books_the_people_and_tells_the_requester(
    request_for_two, resource_manager, backend, department, pm
):
    ada, bob = person("Ada", backend, department), person("Bob", backend, department)
    allocations = requests.request_fulfil(
        request=request_for_two, by=resource_manager, bookings=[(ada, 40), (bob, 40)]
    )
    request_for_two.refresh_from_db()
    assert request_for_two.status == "fulfilled"
    assert {a.resource for a in allocations} == {ada, bob}
    assert Notification.objects.filter(user=pm, message__contains="fulfilled").exists()


def test_booking_over_capacity_is_refused_unless_confirmed(
    request_for_two, resource_manager, backend, department, project
):
    ada = person("Ada", backend, department)
    Allocation.objects.create(
        resource=ada, project=project, start=D(2027, 3, 1), end=D(2027, 3, 31), hours_per_week=20
    )
    with pytest.raises(ValidationError) as error:
        requests.request_fulfil(request=request_for_two, by=resource_manager, bookings=[(ada, 40)])
    assert "Ada in 2027-03" in str(error.value)
    assert Allocation.objects.filter(request=request_for_two).count() == 0
    requests.request_fulfil(
        request=request_for_two, by=resource_manager, bookings=[(ada, 40)], allow_overbooking=True
    )
    assert Allocation.objects.filter(request=request_for_two).count() == 1


def test_a_request_is_decided_once(request_for_two, resource_manager, backend, department):
    requests.request_reject(request=request_for_two, by=resource_manager, reason="No one free")
    with pytest.raises(requests.RequestAlreadyDecided):
        requests.request_fulfil(
            request=request_for_two, by=resource_manager,
            bookings=[(person("Ada", backend, department), 10)],
        )  # fmt: skip


def test_a_project_manager_cannot_fulfil(request_for_two, pm, backend, department):
    with pytest.raises(PermissionDenied):
        requests.request_fulfil(
            request=request_for_two, by=pm, bookings=[(person("Ada", backend, department), 10)]
        )


def test_capacity_changes_keep_the_earlier_period(resource_manager, backend, department):
    ada = person("Ada", backend, department)
    people.capacity_set(resource=ada, by=resource_manager, start=D(2027, 1, 1), hours_per_week=20)
    rows = list(ada.capacities.order_by("start").values_list("start", "end", "hours_per_week"))
    assert rows == [
        (D(2020, 1, 1), D(2026, 12, 31), Decimal("40.0")),
        (D(2027, 1, 1), None, Decimal("20.0")),
    ]


def test_a_share_of_capacity_books_hours(resource_manager, backend, department, project):
    ada = person("Ada", backend, department, hours=30)
    allocation = people.allocation_save(
        by=resource_manager, resource=ada, project=project, start=D(2027, 1, 1),
        end=D(2027, 2, 1), percent=Decimal(50), booking="hard",
    )  # fmt: skip
    assert allocation.hours_per_week == Decimal("15.0")


def test_only_resource_managers_book(pm, backend, department, project):
    with pytest.raises(PermissionDenied):
        people.allocation_save(
            by=pm, resource=person("Ada", backend, department), project=project,
            start=D(2027, 1, 1), end=D(2027, 2, 1), hours_per_week=Decimal(10),
        )  # fmt: skip


def test_notification_emails_go_out_in_the_users_language(request_for_two, resource_manager):
    from django.core import mail

    from pmo_portal.models import UserSettings
    from pmo_portal.tasks import send_notification_emails

    UserSettings.objects.create(user=resource_manager, language="zh-hans")
    notes = Notification.objects.filter(user=resource_manager)
    mail.outbox.clear()
    assert send_notification_emails([n.pk for n in notes]) == 1
    assert mail.outbox[0].to == [resource_manager.email]
