"""Filters of the capacity planning heat maps, and the utilisation target form."""

from django import forms
from django.utils.translation import gettext_lazy as _

from pmo_portal.widgets import QuickSelect
from projects.models import Department

from ..models import ResourceRole, Skill
from ..planning import MONTH, WEEK


class PlanningFilterForm(forms.Form):
    """Whose capacity and demand a heat map shows. Bad values are left out, not refused."""

    department = forms.ModelChoiceField(
        label=_("Department"),
        queryset=Department.objects.all(),
        required=False,
        empty_label=_("All"),
        widget=QuickSelect,
    )
    role = forms.ModelChoiceField(
        label=_("Role"),
        queryset=ResourceRole.objects.all(),
        required=False,
        empty_label=_("All"),
        widget=QuickSelect,
    )
    skill = forms.ModelChoiceField(
        label=_("Skill"),
        queryset=Skill.objects.all(),
        required=False,
        empty_label=_("All"),
        widget=QuickSelect,
    )

    def filters(self) -> dict:
        """The valid filters ({} for an unbound form), whatever else was wrong."""
        if not self.is_bound:
            return {}
        self.is_valid()
        return {name: self.cleaned_data.get(name) for name in ("department", "role", "skill")}

    def value(self, name: str, default=None):
        if not self.is_bound:
            return default
        self.is_valid()
        value = self.cleaned_data.get(name)
        return default if value in (None, "") else value


class RoleHeatmapFilterForm(PlanningFilterForm):
    pipeline = forms.BooleanField(label=_("Include pipeline (proposed projects)"), required=False)


class PeopleHeatmapFilterForm(PlanningFilterForm):
    NAME = "name"
    PEAK = "peak"

    scale = forms.ChoiceField(
        label=_("Periods"),
        choices=[(MONTH, _("Months (next 12)")), (WEEK, _("Weeks (next 16)"))],
        required=False,
    )
    sort = forms.ChoiceField(
        label=_("Order"),
        choices=[(NAME, _("By name")), (PEAK, _("Over-allocated first"))],
        required=False,
    )
    over_only = forms.BooleanField(label=_("Only over-allocated people"), required=False)


class UtilisationTargetForm(forms.Form):
    role = forms.ModelChoiceField(
        label=_("Role"),
        queryset=ResourceRole.objects.all(),
        required=False,
        empty_label=_("All roles (portal-wide target)"),
        widget=QuickSelect,
        help_text=_("A role's own target replaces the portal-wide one for that role."),
    )
    percent = forms.DecimalField(
        label=_("Target utilisation (%)"),
        max_digits=5,
        decimal_places=1,
        min_value=0,
        max_value=100,
    )
