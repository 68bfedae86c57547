"""Filters of the ranking table."""

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from pmo_portal.widgets import QuickSelect
from projects.models import Department, Project

from .forms.structure import PortfolioChoiceField, ProgrammeChoiceField
from .models import Portfolio, Programme, ProjectRanking


class PortfolioFilter(django_filters.ModelChoiceFilter):
    field_class = PortfolioChoiceField


class ProgrammeFilter(django_filters.ModelChoiceFilter):
    field_class = ProgrammeChoiceField


class RankingFilter(django_filters.FilterSet):
    """Ranked projects by portfolio (its whole tree), programme, department, status or text."""

    q = django_filters.CharFilter(label=_("Search"), method="search")
    portfolio = PortfolioFilter(
        label=_("Portfolio"),
        queryset=Portfolio.objects.order_by("path"),
        empty_label=_("All"),
        method="in_portfolio",
        widget=QuickSelect,
    )
    programme = ProgrammeFilter(
        label=_("Programme"),
        field_name="project__portfolio_placement__programme",
        queryset=Programme.objects.select_related("portfolio").order_by("portfolio__name", "name"),
        empty_label=_("All"),
        widget=QuickSelect,
    )
    department = django_filters.ModelChoiceFilter(
        label=_("Department"),
        field_name="project__department",
        queryset=Department.objects.all(),
        empty_label=_("All"),
        widget=QuickSelect,
    )
    status = django_filters.ChoiceFilter(
        label=_("Status"),
        field_name="project__status",
        choices=Project.Status.choices,
        empty_label=_("All"),
        widget=QuickSelect,
    )

    class Meta:
        model = ProjectRanking
        fields = ["q", "portfolio", "programme", "department", "status"]

    def search(self, queryset, name, value):
        return queryset.filter(
            Q(project__code__icontains=value) | Q(project__name__icontains=value)
        )

    def in_portfolio(self, queryset, name, value):
        return queryset.filter(project__portfolio_placement__portfolio__path__startswith=value.path)
