"""factory_boy factories for the risks area."""

import datetime
from decimal import Decimal

import factory

from risks.models import Issue, Lesson, Risk, RiskAction, RiskCategory, RiskMatrix, RiskResponse
from tests.factories import UserFactory


class RiskCategoryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RiskCategory
        django_get_or_create = ["code"]

    code = factory.Sequence(lambda n: f"CAT-{n}")
    name = factory.Sequence(lambda n: f"Category {n}")
    name_zh_hans = factory.Sequence(lambda n: f"类别{n}")


class RiskFactory(factory.django.DjangoModelFactory):
    """A threat on a project, scored and with its figures worked out as the services do."""

    class Meta:
        model = Risk

    title = factory.Sequence(lambda n: f"Risk {n}")
    kind = Risk.Kind.THREAT
    category = factory.LazyFunction(lambda: RiskCategory.objects.get(code="TEC-REQ"))
    owner = factory.SubFactory(UserFactory)
    created_by = factory.SelfAttribute("owner")
    probability = 3
    impact = 3
    residual_probability = factory.SelfAttribute("probability")
    residual_impact = factory.SelfAttribute("impact")
    probability_percent = Decimal("40")
    cost_min = Decimal("10000")
    cost_likely = Decimal("20000")
    cost_max = Decimal("60000")
    schedule_min = 5
    schedule_likely = 10
    schedule_max = 30
    next_review = factory.LazyFunction(lambda: datetime.date.today() + datetime.timedelta(days=30))

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        risk = model_class(*args, **kwargs)
        if risk.project_id:
            risk.currency = risk.project.currency
        risk.work_out_figures(RiskMatrix.load())
        risk.save()
        return risk


class RiskResponseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RiskResponse

    risk = factory.SubFactory(RiskFactory)
    strategy = "mitigate"
    plan = "Prototype the interface early."
    created_by = factory.SelfAttribute("risk.owner")


class RiskActionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RiskAction

    response = factory.SubFactory(RiskResponseFactory)
    description = factory.Sequence(lambda n: f"Action {n}")
    owner = factory.SelfAttribute("response.risk.owner")
    due = factory.LazyFunction(lambda: datetime.date.today() + datetime.timedelta(days=10))


class IssueFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Issue

    title = factory.Sequence(lambda n: f"Issue {n}")
    owner = factory.SubFactory(UserFactory)
    raised_by = factory.SelfAttribute("owner")


class LessonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Lesson

    title = factory.Sequence(lambda n: f"Lesson {n}")
    what_happened = "The vendor delivered the interface three weeks late."
    recommendation = "Agree interface milestones with penalties in the contract."
    recorded_by = factory.SubFactory(UserFactory)
    category = factory.LazyFunction(lambda: RiskCategory.objects.get(code="EXT-SUP"))
