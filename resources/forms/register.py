"""Forms of the resource register: resources and their skills, capacity, absences, allocations."""

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Div, Fieldset, Layout
from django import forms
from django.contrib.auth import get_user_model
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from pmo_portal.forms import UserChoiceField
from pmo_portal.widgets import QuickSelect
from projects.models import OPEN_STATUSES, Project

from ..models import Absence, Allocation, Capacity, Resource, ResourceSkill, Skill

User = get_user_model()
SKILL_ROWS = 3  # empty rows offered below the skills a resource has


def date_input():
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def model_label(model, name: str) -> str:
    return model._meta.get_field(name).verbose_name.capitalize()


def end_not_before_start(form, start_name: str = "start", end_name: str = "end") -> None:
    start, end = form.cleaned_data.get(start_name), form.cleaned_data.get(end_name)
    if start and end and end < start:
        form.add_error(end_name, _("The end date cannot be before the start date."))


class ResourceForm(forms.ModelForm):
    """Create or edit a resource. The edit form carries the version it was loaded at."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Resource
        fields = [
            "name", "kind", "user", "email", "role", "department", "cost_rate", "currency",
            "is_active",
        ]  # fmt: skip
        field_classes = {"user": UserChoiceField}
        widgets = {"user": QuickSelect, "role": QuickSelect, "department": QuickSelect}
        help_texts = {
            "user": _("The person's login, when they have one."),
            "cost_rate": _("What an hour of this resource costs the projects it works on."),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # A login belongs to one resource at most: offer those not taken by another.
        free = Q(resource__isnull=True)
        if self.instance.pk:
            free |= Q(resource=self.instance)
        self.fields["user"].queryset = (
            User.objects.filter(free, is_active=True)
            .only("pk", "username", "first_name", "last_name")
            .order_by("first_name", "last_name", "username")
        )
        if self.instance.pk:
            self.fields["version"].initial = self.instance.version
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(
            Fieldset(
                _("Identity"),
                Div(Div("name", css_class="col-md-8"), Div("kind", css_class="col-md-4"),
                    css_class="row"),
                Div(Div("user", css_class="col-md-6"), Div("email", css_class="col-md-6"),
                    css_class="row"),
            ),
            Fieldset(
                _("Organisation"),
                Div(Div("role", css_class="col-md-6"), Div("department", css_class="col-md-6"),
                    css_class="row"),
            ),
            Fieldset(
                _("Cost"),
                Div(Div("cost_rate", css_class="col-md-8"), Div("currency", css_class="col-md-4"),
                    css_class="row"),
            ),
            "is_active",
            "version",
        )  # fmt: skip

    def service_fields(self) -> dict:
        data = dict(self.cleaned_data)
        data.pop("version")
        return data


class SkillLevelForm(forms.Form):
    """One skill of the resource and its level; a row left without a skill is ignored."""

    skill = forms.TypedChoiceField(
        label=_("Skill"), required=False, coerce=int, empty_value=None, widget=QuickSelect
    )
    level = forms.TypedChoiceField(
        label=_("Proficiency"),
        choices=[
            (1, _("1 – basic")),
            (2, "2"),
            (3, _("3 – working")),
            (4, "4"),
            (5, _("5 – expert")),
        ],
        coerce=int,
        initial=3,
    )

    def __init__(self, *args, skills: dict, skill_choices: list, **kwargs):
        super().__init__(*args, **kwargs)
        self.skills = skills
        self.fields["skill"].choices = skill_choices

    def clean_skill(self):
        pk = self.cleaned_data["skill"]
        return None if pk is None else self.skills[pk]


class BaseSkillFormSet(forms.BaseFormSet):
    """The skills of a resource, replaced as a whole on save. The skill list is read once for
    all the rows, not once per row."""

    def __init__(self, *args, **kwargs):
        skills = {skill.pk: skill for skill in Skill.objects.order_by("name")}
        choices = [("", "---------"), *((pk, skill.display_name) for pk, skill in skills.items())]
        kwargs["form_kwargs"] = {"skills": skills, "skill_choices": choices}
        super().__init__(*args, **kwargs)

    def clean(self):
        if any(self.errors):
            return
        seen = set()
        for form in self.forms:
            skill = form.cleaned_data.get("skill")
            if skill is None:
                continue
            if skill.pk in seen:
                form.add_error("skill", _("This skill is given twice."))
            seen.add(skill.pk)

    def skill_levels(self) -> list[tuple]:
        """[(skill, level)] of the rows with a skill."""
        return [
            (form.cleaned_data["skill"], form.cleaned_data["level"])
            for form in self.forms
            if form.cleaned_data.get("skill") is not None
        ]


SkillFormSet = forms.formset_factory(SkillLevelForm, formset=BaseSkillFormSet, extra=SKILL_ROWS)


def skill_initial(resource: Resource | None) -> list[dict]:
    if resource is None or resource.pk is None:
        return []
    return [
        {"skill": row.skill_id, "level": row.level}
        for row in ResourceSkill.objects.filter(resource=resource).order_by("skill__name")
    ]


class CapacityForm(forms.Form):
    start = forms.DateField(label=model_label(Capacity, "start"), widget=date_input())
    hours_per_week = forms.DecimalField(
        label=model_label(Capacity, "hours_per_week"),
        max_digits=5,
        decimal_places=1,
        min_value=0,
        max_value=168,
    )


class AbsenceForm(forms.Form):
    kind = forms.ChoiceField(
        label=model_label(Absence, "kind"), choices=Absence.Kind.choices, initial="leave"
    )
    start = forms.DateField(label=model_label(Absence, "start"), widget=date_input())
    end = forms.DateField(label=model_label(Absence, "end"), widget=date_input())
    note = forms.CharField(label=model_label(Absence, "note"), max_length=200, required=False)

    def clean(self):
        cleaned = super().clean()
        end_not_before_start(self)
        return cleaned


class ResourceChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, resource):
        return resource.name


class ProjectChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, project):
        return f"{project.code} · {project.name}"


class AllocationForm(forms.Form):
    """Book a resource on a project: a share of its capacity or hours per week, not both."""

    resource = ResourceChoiceField(
        label=model_label(Allocation, "resource"), queryset=Resource.objects.none(),
        widget=QuickSelect,
    )  # fmt: skip
    project = ProjectChoiceField(
        label=model_label(Allocation, "project"), queryset=Project.objects.none(),
        widget=QuickSelect,
    )  # fmt: skip
    start = forms.DateField(label=model_label(Allocation, "start"), widget=date_input())
    end = forms.DateField(label=model_label(Allocation, "end"), widget=date_input())
    percent = forms.DecimalField(
        label=model_label(Allocation, "percent"),
        required=False,
        max_digits=5,
        decimal_places=1,
        help_text=_("The hours per week are this share of the capacity on the first day."),
    )
    hours_per_week = forms.DecimalField(
        label=model_label(Allocation, "hours_per_week"),
        required=False,
        max_digits=5,
        decimal_places=1,
        min_value=0,
        max_value=168,
        help_text=_("Or give the hours per week instead of a share."),
    )
    booking = forms.ChoiceField(
        label=model_label(Allocation, "booking"),
        choices=Allocation.Booking.choices,
        initial=Allocation.Booking.SOFT,
        help_text=_("Requested and soft bookings are plans; a hard booking is a commitment."),
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, allocation: Allocation | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        resources = Q(is_active=True)
        projects = Q(status__in=OPEN_STATUSES)
        if allocation is not None:
            # What the booking is on stays choosable even if since closed or made inactive.
            resources |= Q(pk=allocation.resource_id)
            projects |= Q(pk=allocation.project_id)
        self.fields["resource"].queryset = (
            Resource.objects.filter(resources).only("pk", "name").order_by("name", "pk")
        )
        self.fields["project"].queryset = (
            Project.objects.filter(projects).only("pk", "code", "name").order_by("code")
        )
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(
            Div(Div("resource", css_class="col-md-6"), Div("project", css_class="col-md-6"),
                css_class="row"),
            Div(Div("start", css_class="col-md-6"), Div("end", css_class="col-md-6"),
                css_class="row"),
            Div(Div("percent", css_class="col-md-6"), Div("hours_per_week", css_class="col-md-6"),
                css_class="row"),
            "booking",
            "version",
        )  # fmt: skip

    def clean_percent(self):
        percent = self.cleaned_data["percent"]
        if percent is not None and not 0 <= percent <= 100:
            raise forms.ValidationError(_("A share of capacity is between 0 and 100%."))
        return percent

    def clean(self):
        cleaned = super().clean()
        end_not_before_start(self)
        if "percent" in cleaned and "hours_per_week" in cleaned:
            percent, hours = cleaned["percent"], cleaned["hours_per_week"]
            if percent is not None and hours is not None:
                message = _("Give either a share of capacity or hours per week, not both.")
                self.add_error("percent", message)
                self.add_error("hours_per_week", message)
            elif percent is None and hours is None:
                message = _("Give a share of capacity or hours per week.")
                self.add_error("percent", message)
                self.add_error("hours_per_week", message)
        return cleaned

    def service_fields(self) -> dict:
        data = dict(self.cleaned_data)
        data.pop("version")
        return data
