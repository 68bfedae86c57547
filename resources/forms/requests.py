"""Forms of resource requests: asking for a role, filtering the queue, fulfilling, rejecting."""

from decimal import ROUND_HALF_UP, Decimal

import django_filters
from crispy_forms.helper import FormHelper
from crispy_forms.layout import Div, Field, Layout
from django import forms
from django.utils.translation import gettext_lazy as _

from pmo_portal.widgets import QuickSelect
from projects.models import Department

from ..models import Allocation, Resource, ResourceRequest, ResourceRole, Skill

MAX_HOURS_PER_WEEK = Decimal(168)
TENTH = Decimal("0.1")


def _date_input():
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class RequestForm(forms.ModelForm):
    """A project manager's request: a role, the skills wanted, how much and for how long."""

    class Meta:
        model = ResourceRequest
        fields = ["role", "skills", "amount", "unit", "start", "end", "note"]
        widgets = {
            "role": QuickSelect,
            "skills": forms.SelectMultiple(attrs={"size": 6}),
            "unit": forms.RadioSelect,
            "start": _date_input(),
            "end": _date_input(),
            "note": forms.Textarea(attrs={"rows": 3}),
        }
        help_texts = {
            "skills": _("Optional. Hold Ctrl (Cmd on a Mac) to choose more than one."),
            "note": _("What the people will do, and anything the resource managers should know."),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["role"].queryset = ResourceRole.objects.order_by("name")
        self.fields["skills"].queryset = Skill.objects.order_by("name")
        self.fields["amount"].help_text = _(
            "How many full-time people (FTE), or how many hours per week in all."
        )
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True  # the page's form tag carries the token
        self.helper.layout = Layout(
            "role",
            "skills",
            Div(Div("amount", css_class="col-md-4"), Div("unit", css_class="col-md-8"),
                css_class="row"),
            Div(Div(Field("start"), css_class="col-md-4"), Div(Field("end"), css_class="col-md-4"),
                css_class="row"),
            "note",
        )  # fmt: skip

    def clean_amount(self):
        amount = self.cleaned_data["amount"]
        if amount is not None and amount <= 0:
            raise forms.ValidationError(_("Ask for more than zero."))
        return amount

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("start"), cleaned.get("end")
        if start and end and end < start:
            self.add_error("end", _("The end date cannot be before the start date."))
        return cleaned

    def service_fields(self) -> dict:
        return dict(self.cleaned_data)


class RequestQueueFilter(django_filters.FilterSet):
    """Narrow the requests by status, role and the project's department."""

    status = django_filters.ChoiceFilter(
        label=_("Status"),
        choices=ResourceRequest.Status.choices,
        empty_label=_("All"),
        widget=QuickSelect,
    )
    role = django_filters.ModelChoiceFilter(
        label=_("Role"),
        queryset=ResourceRole.objects.order_by("name"),
        empty_label=_("All"),
        widget=QuickSelect,
    )
    department = django_filters.ModelChoiceFilter(
        label=_("Department"),
        field_name="project__department",
        queryset=Department.objects.all(),
        empty_label=_("All"),
        widget=QuickSelect,
    )

    class Meta:
        model = ResourceRequest
        fields = ["status", "role", "department"]


def _hours_field(label) -> forms.DecimalField:
    return forms.DecimalField(
        label=label,
        required=False,
        min_value=TENTH,
        max_value=MAX_HOURS_PER_WEEK,
        max_digits=4,
        decimal_places=1,
        widget=forms.NumberInput(attrs={"step": "0.5", "class": "form-control form-control-sm"}),
    )


class RequestFulfilForm(forms.Form):
    """Name the people for a request and the hours per week each gives it.

    People come from the ranked suggestions (ticked) or from anyone else of the role (one
    select). Hours left blank share the request's hours per week equally among the chosen.
    """

    people = forms.ModelMultipleChoiceField(
        label=_("Suggested people"),
        queryset=Resource.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    other = forms.ModelChoiceField(
        label=_("Someone else of this role"),
        queryset=Resource.objects.none(),
        required=False,
        widget=QuickSelect,
        empty_label="—",
    )
    other_hours = _hours_field(_("Their hours per week"))
    booking = forms.ChoiceField(
        label=_("Booking"),
        choices=[
            (Allocation.Booking.SOFT, _("Soft (planned, may still change)")),
            (Allocation.Booking.HARD, _("Hard (committed)")),
        ],
        initial=Allocation.Booking.SOFT,
        widget=forms.RadioSelect,
    )
    allow_overbooking = forms.BooleanField(
        label=_("Book even where this goes over capacity"), required=False
    )

    def __init__(self, *args, resource_request: ResourceRequest, suggestions, **kwargs):
        super().__init__(*args, **kwargs)
        self.resource_request = resource_request
        self.suggestions = suggestions
        of_role = Resource.objects.people().filter(is_active=True, role=resource_request.role_id)
        self.fields["people"].queryset = of_role
        suggested = [s.resource.pk for s in suggestions]
        self.fields["other"].queryset = of_role.exclude(pk__in=suggested).order_by("name")
        # A person ticked when the page loaded may have left the suggestions since: keep their
        # hours too.
        posted = set(self.data.getlist("people")) if self.is_bound else set()
        pks = suggested + sorted(
            int(pk) for pk in posted if pk.isdigit() and int(pk) not in suggested
        )
        names = {s.resource.pk: s.resource.name for s in suggestions}
        for pk in pks:
            self.fields[f"hours_{pk}"] = _hours_field(
                _("Hours per week for %(name)s") % {"name": names.get(pk, pk)}
            )

    def rows(self):
        """The suggestions, each with its checkbox value state and hours field."""
        chosen = {str(pk) for pk in (self["people"].value() or [])}
        return [
            {
                "suggestion": suggestion,
                "checked": str(suggestion.resource.pk) in chosen,
                "hours": self[f"hours_{suggestion.resource.pk}"],
            }
            for suggestion in self.suggestions
        ]

    def default_hours(self, count: int) -> Decimal:
        """The request's hours per week shared equally among `count` people."""
        share = self.resource_request.hours_per_week / count
        return share.quantize(TENTH, rounding=ROUND_HALF_UP)

    def clean(self):
        cleaned = super().clean()
        if self.errors:
            return cleaned
        chosen = [(person, cleaned.get(f"hours_{person.pk}")) for person in cleaned["people"]]
        other = cleaned.get("other")
        if other is not None and other.pk not in {person.pk for person, _h in chosen}:
            chosen.append((other, cleaned.get("other_hours")))
        if not chosen:
            raise forms.ValidationError(
                _("Choose at least one person: tick a suggestion or pick someone else.")
            )
        share = self.default_hours(len(chosen))
        if share > MAX_HOURS_PER_WEEK and any(hours is None for _p, hours in chosen):
            raise forms.ValidationError(
                _(
                    "Shared among %(count)s people, that is %(hours)s hours per week each, more "
                    "than a week has. Choose more people or give each one's hours."
                )
                % {"count": len(chosen), "hours": share}
            )
        cleaned["bookings"] = [(person, hours or share) for person, hours in chosen]
        return cleaned


class RequestRejectForm(forms.Form):
    """The reason a resource manager gives for turning a request down (the service insists)."""

    reason = forms.CharField(
        label=_("Reason for the rejection"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
