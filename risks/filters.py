"""Filters of the risk register, the issues log and the lessons learned."""

import django_filters
from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from pmo_portal.widgets import QuickSelect
from portfolio.models import Portfolio
from projects.models import Department

from .figures import in_department, in_portfolio
from .models import Issue, Lesson, Level, Risk, RiskCategory
from .models.register import ACTIVE_STATUSES
from .services.config import categories_in
from .services.lessons import search_lessons

SCORES = [(value, str(value)) for value in range(1, 6)]


class ProjectFilterField(django_filters.NumberFilter):
    """A project by id, as the project page's links give it: a register of 5,000 projects is too
    long for a drop-down, so people type a project code instead (`code`)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("field_name", "project")
        kwargs.setdefault("widget", forms.HiddenInput)
        super().__init__(*args, **kwargs)


def project_code_filter():
    return django_filters.CharFilter(
        label=_("Project code"), field_name="project__code", lookup_expr="istartswith"
    )


class RiskFilter(django_filters.FilterSet):
    """Risks by text, scope (project, department, portfolio), category, kind, status, level,
    ownership, overdue review, and by heat-map cell (`p` and `i`, of the `view`)."""

    q = django_filters.CharFilter(label=_("Search"), method="search")
    project = ProjectFilterField(label=_("Project"))
    code = project_code_filter()
    department = django_filters.ModelChoiceFilter(
        label=_("Department"), queryset=Department.objects.order_by("code"),
        empty_label=_("All"), method="filter_department", widget=QuickSelect,
    )  # fmt: skip
    portfolio = django_filters.ModelChoiceFilter(
        label=_("Portfolio"), queryset=Portfolio.objects.order_by("path"), empty_label=_("All"),
        method="filter_portfolio", widget=QuickSelect,
    )  # fmt: skip
    category = django_filters.ModelChoiceFilter(
        label=_("Category"), queryset=RiskCategory.objects.order_by("code"),
        empty_label=_("All"), method="filter_category", widget=QuickSelect,
    )  # fmt: skip
    kind = django_filters.ChoiceFilter(
        label=_("Kind"), choices=Risk.Kind.choices, empty_label=_("All")
    )
    status = django_filters.ChoiceFilter(
        label=_("Status"),
        choices=[("active", _("Open or monitoring")), *Risk.Status.choices, ("all", _("All"))],
        empty_label=None,
        method="filter_status",
    )
    level = django_filters.ChoiceFilter(
        label=_("Residual level"), field_name="residual_level", choices=Level.choices,
        empty_label=_("All"),
    )  # fmt: skip
    mine = django_filters.ChoiceFilter(
        label=_("Owner"), choices=[("me", _("Mine"))], empty_label=_("Anyone"),
        method="filter_mine",
    )  # fmt: skip
    review = django_filters.ChoiceFilter(
        label=_("Review"), choices=[("overdue", _("Overdue"))], empty_label=_("Any"),
        method="filter_review",
    )  # fmt: skip
    view = django_filters.ChoiceFilter(
        label=_("Cell of"), choices=[("inherent", _("Inherent")), ("residual", _("Residual"))],
        method="filter_nothing", empty_label=None,
    )  # fmt: skip
    p = django_filters.TypedChoiceFilter(
        label=_("Probability"), choices=SCORES, coerce=int, method="filter_cell"
    )
    i = django_filters.TypedChoiceFilter(
        label=_("Impact"), choices=SCORES, coerce=int, method="filter_cell"
    )

    class Meta:
        model = Risk
        fields = ["q", "project", "code", "department", "portfolio", "category", "kind", "status",
                  "level", "mine", "review", "view", "p", "i"]  # fmt: skip

    def __init__(self, data=None, *args, **kwargs):
        data = data.copy() if data is not None else {}
        data.setdefault("status", "active")
        data.setdefault("view", "residual")
        super().__init__(data, *args, **kwargs)
        self.form.fields["q"].help_text = _("Title, cause, event, effect or reference")

    def search(self, queryset, name, value):
        text = value.strip()
        condition = (
            Q(title__icontains=text) | Q(cause__icontains=text) | Q(event__icontains=text)
            | Q(effect__icontains=text)
        )  # fmt: skip
        reference = text.upper().removeprefix("R-")
        if reference.isdigit():
            condition |= Q(pk=int(reference))
        return queryset.filter(condition)

    def filter_department(self, queryset, name, value):
        return queryset.filter(in_department(value))

    def filter_portfolio(self, queryset, name, value):
        return queryset.filter(in_portfolio(value))

    def filter_category(self, queryset, name, value):
        return queryset.filter(category__in=categories_in(value))

    def filter_status(self, queryset, name, value):
        if value == "active":
            return queryset.filter(status__in=ACTIVE_STATUSES)
        if value == "all":
            return queryset
        return queryset.filter(status=value)

    def filter_mine(self, queryset, name, value):
        return queryset.filter(owner=self.request.user) if value == "me" else queryset

    def filter_review(self, queryset, name, value):
        if value == "overdue":
            return queryset.review_overdue(timezone.localdate())
        return queryset

    def filter_nothing(self, queryset, name, value):
        return queryset

    def filter_cell(self, queryset, name, value):
        residual = self.form.cleaned_data.get("view") != "inherent"
        field = {"p": "probability", "i": "impact"}[name]
        if residual:
            field = f"residual_{field}"
        return queryset.filter(**{field: value})


class IssueFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Search"), method="search")
    project = ProjectFilterField(label=_("Project"))
    code = project_code_filter()
    severity = django_filters.ChoiceFilter(
        label=_("Severity"), choices=Issue.Severity.choices, empty_label=_("All")
    )
    status = django_filters.ChoiceFilter(
        label=_("Status"),
        choices=[("unresolved", _("Open or in progress")), *Issue.Status.choices,
                 ("all", _("All"))],
        empty_label=None,
        method="filter_status",
    )  # fmt: skip
    escalated = django_filters.ChoiceFilter(
        label=_("Escalated"), choices=[("yes", _("Escalated to the PMO"))], empty_label=_("Any"),
        method="filter_escalated",
    )  # fmt: skip

    class Meta:
        model = Issue
        fields = ["q", "project", "code", "severity", "status", "escalated"]

    def __init__(self, data=None, *args, **kwargs):
        data = data.copy() if data is not None else {}
        data.setdefault("status", "unresolved")
        super().__init__(data, *args, **kwargs)

    def search(self, queryset, name, value):
        return queryset.filter(Q(title__icontains=value) | Q(description__icontains=value))

    def filter_status(self, queryset, name, value):
        if value == "unresolved":
            return queryset.unresolved()
        return queryset if value == "all" else queryset.filter(status=value)

    def filter_escalated(self, queryset, name, value):
        return queryset.filter(escalated_at__isnull=False) if value == "yes" else queryset


class LessonFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Search"), method="search")
    category = django_filters.ModelChoiceFilter(
        label=_("Category"), queryset=RiskCategory.objects.order_by("code"),
        empty_label=_("All"), method="filter_category", widget=QuickSelect,
    )  # fmt: skip
    project = ProjectFilterField(label=_("Project"))
    code = project_code_filter()
    source = django_filters.ChoiceFilter(
        label=_("Captured at"), choices=Lesson.Source.choices, empty_label=_("All")
    )

    class Meta:
        model = Lesson
        fields = ["q", "category", "project", "code", "source"]

    def search(self, queryset, name, value):
        return search_lessons(queryset, value)

    def filter_category(self, queryset, name, value):
        return queryset.filter(category__in=categories_in(value))
