import django_filters
from crispy_forms.helper import FormHelper
from crispy_forms.layout import Div, Layout
from django import forms
from django.utils.translation import gettext_lazy as _

from pmo_portal.widgets import QuickSelect

from ..models import ChangeRequest, Department


class ChangeRequestForm(forms.ModelForm):
    """Raise or edit a change request. The edit form carries the version it was loaded at."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = ChangeRequest
        fields = [
            "title", "description", "reason", "scope_impact", "schedule_impact_days",
            "cost_impact",
        ]  # fmt: skip
        widgets = {
            "description": forms.Textarea(attrs={"rows": 4}),
            "reason": forms.Textarea(attrs={"rows": 3}),
            "scope_impact": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["version"].initial = self.instance.version
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(
            "title", "description", "reason", "scope_impact",
            Div(Div("schedule_impact_days", css_class="col-md-6"),
                Div("cost_impact", css_class="col-md-6"), css_class="row"),
            "version",
        )  # fmt: skip

    def service_fields(self) -> dict:
        data = dict(self.cleaned_data)
        data.pop("version")
        return data


class ChangeDecisionForm(forms.Form):
    """The change board's comment on its decision; a rejection must give one."""

    comment = forms.CharField(
        label=_("Decision comment"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Required when you reject the request."),
    )


class ChangeQueueFilter(django_filters.FilterSet):
    department = django_filters.ModelChoiceFilter(
        label=_("Department"),
        field_name="project__department",
        queryset=Department.objects.all(),
        empty_label=_("All"),
        widget=QuickSelect,
    )
    status = django_filters.ChoiceFilter(
        label=_("Status"),
        choices=[(s.value, s.label) for s in ChangeRequest.AWAITING_DECISION],
        empty_label=_("All"),
        widget=QuickSelect,
    )

    class Meta:
        model = ChangeRequest
        fields = ["department", "status"]
