"""factory_boy factories for the resources area, shared by its tests."""

import datetime
from decimal import Decimal

import factory

from resources.models import Allocation, Capacity, Resource, ResourceRole, Skill
from tests.factories import DepartmentFactory, ProjectFactory

FULL_TIME_FROM = datetime.date(2020, 1, 1)


class ResourceRoleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ResourceRole
        django_get_or_create = ["name"]

    name = factory.Sequence(lambda n: f"Role {n}")
    name_zh_hans = factory.Sequence(lambda n: f"角色{n}")


class SkillFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Skill
        django_get_or_create = ["name"]

    name = factory.Sequence(lambda n: f"Skill {n}")
    name_zh_hans = factory.Sequence(lambda n: f"技能{n}")


class ResourceFactory(factory.django.DjangoModelFactory):
    """A person working 40 hours a week since 2020-01-01: `capacity=20` for other weekly hours,
    `capacity=False` for no capacity row at all."""

    class Meta:
        model = Resource
        skip_postgeneration_save = True

    kind = Resource.Kind.PERSON
    name = factory.Sequence(lambda n: f"Person {n}")
    email = factory.LazyAttribute(lambda r: f"{r.name.lower().replace(' ', '.')}@example.com")
    role = factory.SubFactory(ResourceRoleFactory)
    department = factory.SubFactory(DepartmentFactory)
    cost_rate = Decimal("100.00")
    currency = "CNY"

    @factory.post_generation
    def capacity(self, create, extracted, **kwargs):
        if not create:
            return
        hours = Decimal(40) if extracted is None else extracted
        if hours is not False:
            Capacity.objects.create(resource=self, start=FULL_TIME_FROM, hours_per_week=hours)


class AllocationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Allocation

    resource = factory.SubFactory(ResourceFactory)
    # Codes of their own: the `project` fixtures of tests/conftest.py take PRJ-00001 and -00002.
    project = factory.SubFactory(ProjectFactory, code=factory.Sequence(lambda n: f"ALC-{n:05d}"))
    start = datetime.date(2026, 1, 1)
    end = datetime.date(2026, 12, 31)
    hours_per_week = Decimal(20)
    booking = Allocation.Booking.SOFT
