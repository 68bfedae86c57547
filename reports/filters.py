"""Filters of the status-report list; the dashboard's figures link here with them set."""

import datetime

import django_filters
from django import forms
from django.contrib.auth import get_user_model
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from pmo_portal.forms import UserChoiceField
from pmo_portal.roles import Role
from pmo_portal.widgets import QuickSelect
from portfolio.models import Portfolio
from projects.models import Department

from .models import RAG, ReportingSchedule, StatusReport


class UserFilter(django_filters.ModelChoiceFilter):
    field_class = UserChoiceField


INDEX_CHOICES = [("below", _("Below 1")), ("at_least", _("1 or more"))]


class StatusReportFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Project"), method="search")
    state = django_filters.ChoiceFilter(
        label=_("State"), choices=StatusReport.State.choices, empty_label=_("All"),
        widget=QuickSelect,
    )  # fmt: skip
    rag = django_filters.ChoiceFilter(
        label=_("Overall RAG"), field_name="overall_rag", choices=RAG.choices,
        empty_label=_("All"), widget=QuickSelect,
    )  # fmt: skip
    department = django_filters.ModelChoiceFilter(
        label=_("Department"), field_name="project__department",
        queryset=Department.objects.all(), empty_label=_("All"), widget=QuickSelect,
    )  # fmt: skip
    manager = UserFilter(
        label=_("Project manager"),
        field_name="project__manager",
        empty_label=_("All"),
        widget=QuickSelect,
        queryset=get_user_model()
        .objects.filter(groups__name=Role.PROJECT_MANAGER)
        .order_by("first_name", "last_name", "username"),
    )
    portfolio = django_filters.ModelChoiceFilter(
        label=_("Portfolio"), queryset=Portfolio.objects.order_by("path"),
        method="in_portfolio", empty_label=_("All"), widget=QuickSelect,
    )  # fmt: skip
    latest = django_filters.BooleanFilter(
        label=_("Only each project's latest report"), method="only_latest",
        widget=forms.CheckboxInput,
    )  # fmt: skip
    month = django_filters.CharFilter(
        label=_("Month (YYYY-MM)"), method="in_month", widget=forms.TextInput(
            attrs={"placeholder": "2026-11", "pattern": r"\d{4}-\d{2}"})
    )  # fmt: skip
    period = django_filters.NumberFilter(field_name="period", widget=forms.HiddenInput)
    project = django_filters.NumberFilter(field_name="project", widget=forms.HiddenInput)
    cpi = django_filters.ChoiceFilter(
        label=_("CPI"), choices=INDEX_CHOICES, method="by_index", empty_label=_("All"),
        widget=QuickSelect,
    )  # fmt: skip
    spi = django_filters.ChoiceFilter(
        label=_("SPI"), choices=INDEX_CHOICES, method="by_index", empty_label=_("All"),
        widget=QuickSelect,
    )  # fmt: skip

    class Meta:
        model = StatusReport
        fields = ["q", "state", "rag", "department", "manager", "portfolio", "latest", "month"]

    def search(self, queryset, name, value):
        return queryset.filter(
            Q(project__code__icontains=value) | Q(project__name__icontains=value)
        )

    def in_portfolio(self, queryset, name, value):
        return queryset.filter(project__portfolio_placement__portfolio__path__startswith=value.path)

    def only_latest(self, queryset, name, value):
        if not value:
            return queryset
        # The pointers' ids, rather than a join through the project: PostgreSQL then looks the
        # few thousand reports up by key instead of reading all of them.
        latest = ReportingSchedule.objects.filter(latest_report__isnull=False)
        return queryset.filter(pk__in=latest.values("latest_report_id"))

    def in_month(self, queryset, name, value):
        """The last published report of each project in that month (the dashboard's trend)."""
        try:
            month = datetime.datetime.strptime(value, "%Y-%m").date()
        except ValueError:
            return queryset.none()
        return queryset.filter(month=month, closes_month=True)

    def by_index(self, queryset, name, value):
        if value == "below":
            return queryset.filter(**{f"{name}__lt": 1})
        return queryset.filter(**{f"{name}__gte": 1})
