"""Forms of a project's lifecycle: joining one, evidence, gate submissions and decisions,
passing a gate without approval, and milestones. The services validate the rules; these forms
check the input's shape and carry the services' errors back to the fields."""

from django import forms
from django.contrib.auth import get_user_model
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from pmo_portal.forms import UserChoiceField
from pmo_portal.widgets import QuickSelect

from ..models import GateDecision, LifecycleTemplate, Milestone

User = get_user_model()

EVIDENCE_MAX_BYTES = 20 * 1024 * 1024
MAX_CONDITIONS = 5


def date_input():
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class TemplateChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, template):
        return f"{template.methodology} · {template}"


class JoinLifecycleForm(forms.Form):
    """Put a project on a published lifecycle; the methodology's current one is proposed."""

    template = TemplateChoiceField(
        label=_("Lifecycle"),
        queryset=LifecycleTemplate.objects.filter(status=LifecycleTemplate.Status.PUBLISHED)
        .select_related("methodology")
        .order_by("methodology__name", "name", "-version"),
        empty_label=None,
    )

    def __init__(self, *args, project, **kwargs):
        super().__init__(*args, **kwargs)
        if project.methodology_id and "template" not in self.initial:
            current = project.methodology.current_template()
            if current is not None:
                self.initial["template"] = current.pk


class EvidenceForm(forms.Form):
    """The evidence of one gate item: a file, a link, or a note confirming it is met."""

    file = forms.FileField(label=_("File"), required=False)
    link = forms.URLField(label=_("Link"), required=False, max_length=500, assume_scheme="https")
    note = forms.CharField(
        label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Built per form, in the user's language (a lazy string with % is fixed at import).
        self.fields["file"].help_text = gettext("At most %(size)s.") % {
            "size": filesizeformat(EVIDENCE_MAX_BYTES)
        }

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload and upload.size > EVIDENCE_MAX_BYTES:
            raise forms.ValidationError(
                _("The file is %(size)s; evidence files can be at most %(limit)s.")
                % {
                    "size": filesizeformat(upload.size),
                    "limit": filesizeformat(EVIDENCE_MAX_BYTES),
                }
            )
        return upload


class GateSubmitForm(forms.Form):
    note = forms.CharField(
        label=_("Note to the approvers"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )


class DecisionForm(forms.Form):
    outcome = forms.ChoiceField(
        label=_("Decision"), choices=GateDecision.Outcome.choices, widget=forms.RadioSelect
    )
    comments = forms.CharField(
        label=_("Comments"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Needed for every decision but go."),
    )


class ConditionForm(forms.Form):
    """One condition of a conditional go. A row left blank is ignored; a row begun needs all
    three fields (so none is marked required on its own)."""

    description = forms.CharField(label=_("Condition"), max_length=300, required=False)
    owner = UserChoiceField(
        label=_("Owner"), queryset=User.objects.none(), widget=QuickSelect, required=False
    )
    due_date = forms.DateField(label=_("Due"), widget=date_input(), required=False)

    def clean(self):
        cleaned = super().clean()
        if self.has_changed():
            for name, field in self.fields.items():
                if name not in self.errors and cleaned.get(name) in (None, ""):
                    self.add_error(name, field.error_messages["required"])
        return cleaned


class BaseConditionFormSet(forms.BaseFormSet):
    """The condition rows share one list of active users, read once for all rows."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        owners = User.objects.filter(is_active=True).order_by("first_name", "last_name", "username")
        choices = [("", "---------")] + [
            (user.pk, user.get_full_name() or user.get_username()) for user in owners
        ]
        for form in self.forms:
            form.fields["owner"].queryset = owners
            form.fields["owner"].choices = choices

    def filled_forms(self):
        return [form for form in self.forms if form.has_changed()]


ConditionFormSet = forms.formset_factory(
    ConditionForm,
    formset=BaseConditionFormSet,
    extra=MAX_CONDITIONS,
    max_num=MAX_CONDITIONS,
    validate_max=True,
)


class AdvanceForm(forms.Form):
    reason = forms.CharField(
        label=_("Why is the gate passed without approval?"),
        widget=forms.Textarea(attrs={"rows": 4}),
    )


class MilestoneForm(forms.ModelForm):
    """Add or change a milestone. The edit form carries the version it was loaded at."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Milestone
        fields = ["name", "forecast_date", "actual_date"]
        widgets = {"forecast_date": date_input(), "actual_date": date_input()}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["version"].initial = self.instance.version

    def service_fields(self) -> dict:
        return {name: self.cleaned_data[name] for name in self._meta.fields}
