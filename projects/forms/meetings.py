import datetime

import django_filters
from crispy_forms.helper import FormHelper
from crispy_forms.layout import Div, Layout
from django import forms
from django.contrib.auth import get_user_model
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from pmo_portal.forms import UserChoiceField, UserMultipleChoiceField
from pmo_portal.widgets import QuickSelect

from ..models import ActionItem, GateSubmission, Meeting, Project
from ..services.meetings import ActionInput

MAX_ACTION_ROWS = 5
# Gate submissions offered for a meeting: those awaiting a decision and those of recent weeks,
# for minutes written after the gate was decided.
RECENT_SUBMISSIONS = datetime.timedelta(days=90)


def active_users():
    return (
        get_user_model()
        .objects.filter(is_active=True)
        .order_by("first_name", "last_name", "username")
    )


def date_input():
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class GateSubmissionChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, submission):
        return f"{submission.phase.project.code} · {submission}"


class MeetingForm(forms.ModelForm):
    """Record or edit a review meeting. Decisions given here are added to those it has."""

    decisions = forms.CharField(
        label=_("Decisions"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("One decision per line."),
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Meeting
        fields = ["kind", "title", "held_on", "project", "gate_submission", "attendees", "minutes"]
        field_classes = {"attendees": UserMultipleChoiceField}
        widgets = {
            "held_on": date_input(),
            "project": QuickSelect,
            "gate_submission": QuickSelect,
            "attendees": forms.SelectMultiple(attrs={"size": 8}),
            "minutes": forms.Textarea(attrs={"rows": 8}),
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        # A project manager records reviews of the projects they manage; the PMO of any.
        projects = Project.objects.editable_by(user)
        self.fields["project"].queryset = projects.only("pk", "code", "name")
        recent = Q(status=GateSubmission.Status.PENDING) | Q(
            submitted_at__gte=timezone.now() - RECENT_SUBMISSIONS
        )
        if self.instance.gate_submission_id:
            recent |= Q(pk=self.instance.gate_submission_id)
        self.fields["gate_submission"] = GateSubmissionChoiceField(
            label=self.fields["gate_submission"].label,
            required=False,
            widget=QuickSelect,
            queryset=GateSubmission.objects.filter(recent, phase__project__in=projects)
            .select_related("phase__project")
            .order_by("phase__project__code", "-submitted_at"),
        )
        self.fields["attendees"].queryset = active_users()
        self.fields["attendees"].help_text = _("Hold Ctrl (⌘ on a Mac) to choose several people.")
        if self.instance.pk:
            self.fields["version"].initial = self.instance.version
            self.fields["decisions"].label = _("New decisions")
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(
            Div(Div("kind", css_class="col-md-4"), Div("held_on", css_class="col-md-4"),
                css_class="row"),
            "title",
            Div(Div("project", css_class="col-md-6"), Div("gate_submission", css_class="col-md-6"),
                css_class="row"),
            "attendees", "minutes", "decisions", "version",
        )  # fmt: skip

    def clean_decisions(self) -> list[str]:
        return [
            line.strip() for line in self.cleaned_data["decisions"].splitlines() if line.strip()
        ]

    def clean(self):
        cleaned = super().clean()
        submission, project = cleaned.get("gate_submission"), cleaned.get("project")
        if submission is not None:
            if project is None:
                cleaned["project"] = submission.phase.project
            elif submission.phase.project_id != project.pk:
                self.add_error(
                    "gate_submission", _("This gate submission belongs to another project.")
                )
        return cleaned

    def service_fields(self) -> dict:
        data = dict(self.cleaned_data)
        for name in ("decisions", "version", "attendees"):
            data.pop(name)
        return data


class ActionForm(forms.Form):
    """One action agreed in the meeting: what, who, by when."""

    description = forms.CharField(label=_("Action"), max_length=300)
    owner = UserChoiceField(label=_("Owner"), queryset=active_users(), widget=QuickSelect)
    due_date = forms.DateField(label=_("Due"), widget=date_input())


class BaseActionFormSet(forms.BaseFormSet):
    def action_inputs(self) -> list[ActionInput]:
        """The filled rows; blank rows are left out."""
        return [ActionInput(**form.cleaned_data) for form in self.forms if form.cleaned_data]


ActionFormSet = forms.formset_factory(
    ActionForm,
    formset=BaseActionFormSet,
    extra=MAX_ACTION_ROWS,
    max_num=MAX_ACTION_ROWS,
    validate_max=True,
)


class ActionStatusForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=ActionItem.Status.choices)


class MeetingFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Project"), method="search")
    kind = django_filters.ChoiceFilter(
        label=_("Kind"), choices=Meeting.Kind.choices, empty_label=_("All"), widget=QuickSelect
    )

    class Meta:
        model = Meeting
        fields = ["q", "kind"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.form.fields["q"].help_text = _("Code or name")

    def search(self, queryset, name, value):
        return queryset.filter(
            Q(project__code__icontains=value) | Q(project__name__icontains=value)
        )
