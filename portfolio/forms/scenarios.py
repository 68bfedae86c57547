"""Forms of scenarios: creating one, its limits and dependencies, its candidates, comparing."""

from django import forms
from django.utils.translation import gettext_lazy as _

from pmo_portal.widgets import QuickSelect
from projects.models import OPEN_STATUSES, Project
from resources.models import ResourceRole

from ..models import Portfolio, Scenario, ScenarioCandidate
from .criteria import this_year
from .structure import PortfolioChoiceField

LIMIT_ROWS = 2


class ScenarioCreateForm(forms.ModelForm):
    """A new scenario: its portfolio, period, budget, and which projects are candidates."""

    statuses = forms.MultipleChoiceField(
        label=_("Candidates: the portfolio's projects that are"),
        choices=Project.Status.choices,
        initial=OPEN_STATUSES,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = Scenario
        fields = ["portfolio", "period", "name", "description", "total_budget"]
        field_classes = {"portfolio": PortfolioChoiceField}
        widgets = {"portfolio": QuickSelect, "description": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["portfolio"].queryset = Portfolio.objects.order_by("path")
        self.fields["period"].initial = this_year()


class ScenarioForm(forms.ModelForm):
    """A draft scenario's name and total budget; its other limits are formsets beside it."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Scenario
        fields = ["name", "description", "total_budget"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["version"].initial = self.instance.version

    def service_fields(self) -> dict:
        data = dict(self.cleaned_data)
        data.pop("version", None)
        return data


class YearLimitForm(forms.Form):
    year = forms.IntegerField(
        label=_("Fiscal year"), min_value=2000, max_value=2100, required=False
    )
    budget = forms.DecimalField(
        label=_("Budget"), max_digits=18, decimal_places=2, min_value=0, required=False
    )

    def clean(self):
        cleaned = super().clean()
        if (cleaned.get("year") is None) != (cleaned.get("budget") is None):
            self.add_error(None, _("Give both the year and its budget, or neither."))
        return cleaned


class RoleLimitForm(forms.Form):
    role = forms.ModelChoiceField(
        label=_("Role"), queryset=ResourceRole.objects.none(), required=False, widget=QuickSelect
    )
    hours = forms.DecimalField(
        label=_("Hours in the period"), max_digits=12, decimal_places=1, min_value=0,
        required=False,
    )  # fmt: skip

    def __init__(self, *args, roles=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["role"].queryset = roles if roles is not None else ResourceRole.objects.all()

    def clean(self):
        cleaned = super().clean()
        if (cleaned.get("role") is None) != (cleaned.get("hours") is None):
            self.add_error(None, _("Give both the role and its hours, or neither."))
        return cleaned


class DependencyForm(forms.Form):
    project = forms.CharField(label=_("Project code"), max_length=20, required=False)
    requires = forms.CharField(label=_("needs project code"), max_length=20, required=False)

    def clean(self):
        cleaned = super().clean()
        project, requires = (
            (cleaned.get("project") or "").strip(),
            (cleaned.get("requires") or "").strip(),
        )
        if bool(project) != bool(requires):
            self.add_error(None, _("Give both projects of the dependency, or neither."))
        cleaned["project"], cleaned["requires"] = project.upper(), requires.upper()
        return cleaned


class BaseRowsFormSet(forms.BaseFormSet):
    """Rows of a limit or dependency; each key (year, role, pair) at most once."""

    key_fields: tuple[str, ...] = ()
    duplicate_message = _("This row is given twice.")

    def filled(self) -> list[dict]:
        return [
            form.cleaned_data
            for form in self.forms
            if all(form.cleaned_data.get(name) not in (None, "") for name in self.key_fields)
        ]

    def clean(self):
        if any(self.errors):
            return
        keys = [tuple(row[name] for name in self.key_fields) for row in self.filled()]
        if len(set(keys)) != len(keys):
            raise forms.ValidationError(self.duplicate_message)


class BaseRoleLimitFormSet(BaseRowsFormSet):
    key_fields = ("role",)
    duplicate_message = _("Each role is limited once.")

    def __init__(self, *args, **kwargs):
        # The role list is read once for all the rows.
        kwargs["form_kwargs"] = {"roles": ResourceRole.objects.order_by("name")}
        super().__init__(*args, **kwargs)
        roles = list(self.form_kwargs["roles"])
        for form in self.forms:
            form.fields["role"].queryset = self.form_kwargs["roles"]
            form.fields["role"].choices = [("", "---------")] + [(r.pk, str(r)) for r in roles]


class BaseYearLimitFormSet(BaseRowsFormSet):
    key_fields = ("year",)
    duplicate_message = _("Each year is limited once.")


class BaseDependencyFormSet(BaseRowsFormSet):
    key_fields = ("project", "requires")
    duplicate_message = _("Each dependency is given once.")


YearLimitFormSet = forms.formset_factory(
    YearLimitForm, formset=BaseYearLimitFormSet, extra=LIMIT_ROWS
)
RoleLimitFormSet = forms.formset_factory(
    RoleLimitForm, formset=BaseRoleLimitFormSet, extra=LIMIT_ROWS
)
DependencyFormSet = forms.formset_factory(
    DependencyForm, formset=BaseDependencyFormSet, extra=LIMIT_ROWS
)


class CandidateForm(forms.Form):
    """One candidate on the page: forced in or out, and its exclusive group."""

    candidate = forms.IntegerField(widget=forms.HiddenInput)
    forced = forms.ChoiceField(
        label=_("Forced"),
        choices=ScenarioCandidate.Forced.choices,
        required=False,
        widget=forms.Select(attrs={"class": "form-select form-select-sm"}),
    )
    exclusive_group = forms.CharField(
        label=_("Exclusive group"),
        max_length=50,
        required=False,
        widget=forms.TextInput(attrs={"class": "form-control form-control-sm"}),
    )


CandidateFormSet = forms.formset_factory(CandidateForm, extra=0)


class CompareForm(forms.Form):
    first = forms.ModelChoiceField(
        label=_("Scenario"), queryset=Scenario.objects.none(), widget=QuickSelect
    )
    second = forms.ModelChoiceField(
        label=_("compared with"), queryset=Scenario.objects.none(), widget=QuickSelect
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        scenarios = Scenario.objects.order_by("-created_at", "-pk")
        self.fields["first"].queryset = scenarios
        self.fields["second"].queryset = scenarios

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("first") and cleaned.get("first") == cleaned.get("second"):
            self.add_error("second", _("Choose two different scenarios."))
        return cleaned


class CommitForm(forms.Form):
    note = forms.CharField(
        label=_("Note on the decisions"),
        max_length=300,
        required=False,
        widget=forms.TextInput(attrs={"class": "form-control"}),
    )
