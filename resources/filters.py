"""Filters of the resource register."""

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from pmo_portal.widgets import QuickSelect
from projects.models import Department

from .models import Resource, ResourceRole, Skill


class ResourceFilter(django_filters.FilterSet):
    """People and other resources by kind, department, role, skill, name or e-mail, activity."""

    q = django_filters.CharFilter(label=_("Search"), method="search")
    kind = django_filters.ChoiceFilter(
        label=_("Kind"), choices=Resource.Kind.choices, empty_label=_("All"), widget=QuickSelect
    )
    department = django_filters.ModelChoiceFilter(
        label=_("Department"),
        queryset=Department.objects.all(),
        empty_label=_("All"),
        widget=QuickSelect,
    )
    role = django_filters.ModelChoiceFilter(
        label=_("Role"),
        queryset=ResourceRole.objects.all(),
        empty_label=_("All"),
        widget=QuickSelect,
    )
    skill = django_filters.ModelChoiceFilter(
        label=_("Skill"),
        field_name="skills__skill",
        queryset=Skill.objects.all(),
        empty_label=_("All"),
        widget=QuickSelect,
    )
    active = django_filters.ChoiceFilter(
        label=_("Active"),
        choices=[("yes", _("Active")), ("no", _("Inactive"))],
        empty_label=_("All"),
        method="filter_active",
        widget=QuickSelect,
    )

    class Meta:
        model = Resource
        fields = ["q", "kind", "department", "role", "skill", "active"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.form.fields["q"].help_text = _("Name or e-mail")

    def search(self, queryset, name, value):
        return queryset.filter(Q(name__icontains=value) | Q(email__icontains=value))

    def filter_active(self, queryset, name, value):
        return queryset.filter(is_active=value == "yes")
