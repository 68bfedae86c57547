"""factory_boy factories shared by every area's tests."""

import datetime
from decimal import Decimal

import factory
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from projects.models import (
    Department,
    GovernanceSettings,
    Methodology,
    Project,
    ProjectType,
)
from projects.services import lifecycle


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ["username"]
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = factory.Faker("first_name")
    last_name = factory.Faker("last_name")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.com")
    password = factory.django.Password("demo")

    @factory.post_generation
    def roles(self, create, extracted, **kwargs):
        """UserFactory(roles=["project_manager"]) puts the user in those role groups."""
        if create and extracted:
            self.groups.add(*Group.objects.filter(name__in=extracted))


class DepartmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Department
        django_get_or_create = ["code"]

    code = factory.Sequence(lambda n: f"D{n:03d}")
    name = factory.Sequence(lambda n: f"Department {n}")
    name_zh_hans = factory.Sequence(lambda n: f"部门{n}")


class ProjectTypeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ProjectType
        django_get_or_create = ["name"]

    name = "IT system"
    name_zh_hans = "信息系统"


class ProjectFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Project

    code = factory.Sequence(lambda n: f"PRJ-{n:05d}")
    name = factory.Sequence(lambda n: f"Project {n}")
    description = "A project for the tests."
    manager = factory.SubFactory(UserFactory, roles=["project_manager"])
    department = factory.SubFactory(DepartmentFactory)
    project_type = factory.SubFactory(ProjectTypeFactory)
    status = Project.Status.ACTIVE
    planned_start = datetime.date(2026, 1, 1)
    planned_end = datetime.date(2026, 12, 31)
    budget = Decimal("250000.00")
    currency = "CNY"


class MethodologyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Methodology
        django_get_or_create = ["name"]

    name = "Waterfall"
    name_zh_hans = "瀑布式"


DEFAULT_PHASES = ["Initiation", "Planning", "Execution", "Closure"]


def published_template(*, by, methodology=None, phases=DEFAULT_PHASES, items_per_phase=2):
    """A published lifecycle template with one gate per phase and its checklist.

    In each phase the first item is a mandatory deliverable asking for a link, the others
    optional criteria needing no evidence.
    """
    methodology = methodology or MethodologyFactory()
    template = lifecycle.template_create(by=by, methodology=methodology, name="Standard lifecycle")
    for name in phases:
        phase = lifecycle.template_phase_save(
            template=template, by=by, name=name, gate_name=f"{name} gate", typical_weeks=4
        )
        for number in range(items_per_phase):
            lifecycle.template_checklist_item_save(
                template=template,
                by=by,
                phase=phase,
                title=f"{name} item {number + 1}",
                mandatory=number == 0,
                evidence="link" if number == 0 else "none",
                kind="deliverable" if number == 0 else "criterion",
            )
    return lifecycle.template_publish(template=template, by=by)


def set_governance_mode(mode: str) -> None:
    GovernanceSettings.objects.update_or_create(pk=1, defaults={"mode": mode})
