from crispy_forms.helper import FormHelper
from crispy_forms.layout import Div, Field, Fieldset, Layout
from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from pmo_portal import permissions
from pmo_portal.forms import UserChoiceField
from pmo_portal.roles import Role, users_in_roles
from pmo_portal.widgets import QuickSelect

from ..models import Project

User = get_user_model()


class ProjectForm(forms.ModelForm):
    """Create or edit a project. The edit form carries the version it was loaded at."""

    tag_names = forms.CharField(
        label=_("Tags"),
        required=False,
        help_text=_("Separate tags with commas."),
        max_length=500,
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Project
        fields = [
            "code", "name", "description", "project_type", "department", "manager", "sponsor",
            "status", "priority", "planned_start", "planned_end", "forecast_start",
            "forecast_end", "actual_start", "actual_end", "budget", "currency",
        ]  # fmt: skip
        field_classes = {"manager": UserChoiceField, "sponsor": UserChoiceField}
        widgets = {
            "description": forms.Textarea(attrs={"rows": 4}),
            "department": QuickSelect,
            "manager": QuickSelect,
            "sponsor": QuickSelect,
            **{
                name: forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
                for name in (
                    "planned_start",
                    "planned_end",
                    "forecast_start",
                    "forecast_end",
                    "actual_start",
                    "actual_end",
                )  # fmt: skip
            },
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["project_type"].queryset = self.fields["project_type"].queryset.order_by("name")
        self.fields["manager"].queryset = users_in_roles(
            Role.PROJECT_MANAGER, Role.PMO_ANALYST, Role.PMO_ADMIN
        )
        self.fields["sponsor"].queryset = users_in_roles(Role.EXECUTIVE, Role.PMO_ADMIN)
        if not permissions.can_choose_project_manager(user):
            # A project manager creates and keeps projects they run themselves.
            self.fields["manager"].queryset = User.objects.filter(pk=user.pk)
            self.fields["manager"].initial = user.pk
            self.fields["manager"].disabled = True
        if self.instance.pk:
            self.fields["version"].initial = self.instance.version
            self.fields["tag_names"].initial = ", ".join(t.name for t in self.instance.tags.all())
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(
            Fieldset(
                _("Identity"),
                Div(Div("code", css_class="col-md-3"), Div("name", css_class="col-md-9"),
                    css_class="row"),
                "description",
                Div(Div("project_type", css_class="col-md-4"),
                    Div("status", css_class="col-md-4"),
                    Div("priority", css_class="col-md-4"), css_class="row"),
                Field("tag_names"),
            ),
            Fieldset(
                _("People"),
                Div(Div("department", css_class="col-md-4"), Div("manager", css_class="col-md-4"),
                    Div("sponsor", css_class="col-md-4"), css_class="row"),
            ),
            Fieldset(
                _("Dates"),
                Div(Div("planned_start", css_class="col-md-6"),
                    Div("planned_end", css_class="col-md-6"), css_class="row"),
                Div(Div("forecast_start", css_class="col-md-6"),
                    Div("forecast_end", css_class="col-md-6"), css_class="row"),
                Div(Div("actual_start", css_class="col-md-6"),
                    Div("actual_end", css_class="col-md-6"), css_class="row"),
            ),
            Fieldset(
                _("Budget"),
                Div(Div("budget", css_class="col-md-8"), Div("currency", css_class="col-md-4"),
                    css_class="row"),
            ),
            "version",
        )  # fmt: skip

    def clean_tag_names(self) -> list[str]:
        names = [name.strip() for name in self.cleaned_data["tag_names"].split(",")]
        names = list(dict.fromkeys(name for name in names if name))
        too_long = [name for name in names if len(name) > 50]
        if too_long:
            raise forms.ValidationError(_("A tag can be at most 50 characters long."))
        return names

    def service_fields(self) -> dict:
        """The cleaned values the services take, without the form's own helpers."""
        data = dict(self.cleaned_data)
        data.pop("tag_names")
        data.pop("version")
        return data
