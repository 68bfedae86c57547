import django_filters
from django.contrib.auth import get_user_model
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from pmo_portal.forms import UserChoiceField
from pmo_portal.roles import Role
from pmo_portal.widgets import QuickSelect

from .models import Department, Project, ProjectType


class UserFilter(django_filters.ModelChoiceFilter):
    field_class = UserChoiceField


class ProjectFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Search"), method="search")
    status = django_filters.ChoiceFilter(
        label=_("Status"), choices=Project.Status.choices, empty_label=_("All"), widget=QuickSelect
    )
    department = django_filters.ModelChoiceFilter(
        label=_("Department"),
        queryset=Department.objects.all(),
        empty_label=_("All"),
        widget=QuickSelect,
    )
    manager = UserFilter(
        label=_("Project manager"),
        empty_label=_("All"),
        widget=QuickSelect,
        queryset=get_user_model()
        .objects.filter(groups__name=Role.PROJECT_MANAGER)
        .order_by("first_name", "last_name", "username"),
    )
    project_type = django_filters.ModelChoiceFilter(
        label=_("Type"),
        queryset=ProjectType.objects.all(),
        empty_label=_("All"),
        widget=QuickSelect,
    )

    class Meta:
        model = Project
        fields = ["q", "status", "department", "manager", "project_type"]

    def search(self, queryset, name, value):
        return queryset.filter(
            Q(code__icontains=value) | Q(name__icontains=value) | Q(description__icontains=value)
        )
