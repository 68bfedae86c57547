"""Forms of the PMO's standards pages: methodologies, the lifecycle template builder, the
standards library and the governance mode. Each form only collects input; the services in
`projects.services` validate it for good and save it."""

import datetime

import django_filters
from crispy_forms.helper import FormHelper
from crispy_forms.layout import Div, Layout
from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from pmo_portal.forms import UserChoiceField
from pmo_portal.roles import Role, users_in_roles
from pmo_portal.widgets import QuickSelect

from ..models import (
    GovernanceMode,
    LifecycleTemplate,
    Methodology,
    Standard,
    StandardAttachment,
    TemplateChecklistItem,
    TemplatePhase,
)


def _helper(layout=None) -> FormHelper:
    helper = FormHelper()
    helper.form_tag = False
    if layout is not None:
        helper.layout = layout
    return helper


class MethodologyForm(forms.ModelForm):
    class Meta:
        model = Methodology
        fields = ["name", "name_zh_hans", "description"]
        widgets = {"description": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(
            Layout(
                Div(Div("name", css_class="col-md-6"), Div("name_zh_hans", css_class="col-md-6"),
                    css_class="row"),
                "description",
            )
        )  # fmt: skip


class TemplateForm(forms.ModelForm):
    class Meta:
        model = LifecycleTemplate
        fields = ["methodology", "name", "description"]
        widgets = {"description": forms.Textarea(attrs={"rows": 4}), "methodology": QuickSelect}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper()


class TemplatePhaseForm(forms.ModelForm):
    """A phase and the gate that ends it. The gate name is checked by the service, so that a
    blank one gets the service's own explanation next to the field."""

    class Meta:
        model = TemplatePhase
        fields = [
            "name", "name_zh_hans", "description", "typical_weeks", "gate_name", "gate_approver",
            "standards",
        ]  # fmt: skip
        widgets = {
            "description": forms.Textarea(attrs={"rows": 3}),
            "standards": forms.CheckboxSelectMultiple,
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["gate_name"].required = False
        self.fields["gate_name"].help_text = _("Required: every phase ends in a gate.")
        self.fields["standards"].queryset = Standard.objects.order_by("category", "title")
        self.helper = _helper(
            Layout(
                Div(Div("name", css_class="col-md-6"), Div("name_zh_hans", css_class="col-md-6"),
                    css_class="row"),
                "description",
                Div(Div("gate_name", css_class="col-md-5"),
                    Div("gate_approver", css_class="col-md-4"),
                    Div("typical_weeks", css_class="col-md-3"), css_class="row"),
                "standards",
            )
        )  # fmt: skip

    def service_fields(self) -> dict:
        data = dict(self.cleaned_data)
        data["standards"] = list(data["standards"])
        return data


class TemplateChecklistItemForm(forms.ModelForm):
    class Meta:
        model = TemplateChecklistItem
        fields = ["title", "kind", "mandatory", "evidence"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(
            Layout(
                "title",
                Div(Div("kind", css_class="col-md-6"), Div("evidence", css_class="col-md-6"),
                    css_class="row"),
                "mandatory",
            )
        )  # fmt: skip


class StandardForm(forms.ModelForm):
    """Create or edit a standard. The edit form carries, hidden, when the standard was last
    saved as it was loaded, so a save over someone else's newer change is refused."""

    updated_at = forms.CharField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Standard
        fields = ["title", "category", "version", "owner", "body"]
        field_classes = {"owner": UserChoiceField}
        widgets = {"body": forms.Textarea(attrs={"rows": 14}), "owner": QuickSelect}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = users_in_roles(Role.PMO_ANALYST, Role.PMO_ADMIN)
        if self.instance.pk:
            self.fields["updated_at"].initial = self.instance.updated_at.isoformat()
        else:
            self.fields["owner"].initial = user.pk
        self.helper = _helper(
            Layout(
                Div(Div("title", css_class="col-md-6"), Div("category", css_class="col-md-3"),
                    Div("version", css_class="col-md-3"), css_class="row"),
                "owner",
                "body",
                "updated_at",
            )
        )  # fmt: skip

    def clean(self):
        cleaned_data = super().clean()
        if self.instance.pk:
            try:
                cleaned_data["updated_at"] = datetime.datetime.fromisoformat(
                    cleaned_data.get("updated_at") or ""
                )
            except ValueError:
                self.add_error(
                    None,
                    _("This form is out of date. Open the standard again and redo your change."),
                )
        return cleaned_data

    def service_fields(self) -> dict:
        data = dict(self.cleaned_data)
        data.pop("updated_at")
        return data


class StandardAttachmentForm(forms.ModelForm):
    class Meta:
        model = StandardAttachment
        fields = ["file"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].help_text = _("Up to 20 MB.")
        self.helper = _helper()


class GovernanceForm(forms.Form):
    mode = forms.ChoiceField(
        label=_("Governance mode"), choices=GovernanceMode.choices, widget=forms.RadioSelect
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper()


class StandardFilter(django_filters.FilterSet):
    """The standards library: by category, and words found in the title or the text."""

    q = django_filters.CharFilter(label=_("Search"), method="search")
    category = django_filters.ChoiceFilter(
        label=_("Category"),
        choices=Standard.Category.choices,
        empty_label=_("All"),
        widget=QuickSelect,
    )

    class Meta:
        model = Standard
        fields = ["q", "category"]

    def search(self, queryset, name, value):
        return queryset.filter(Q(title__icontains=value) | Q(body__icontains=value))
