"""Forms of the risks area: risks, responses, actions, reviews, contingency, issues, lessons and
the PMO's configuration."""

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Div, Fieldset, Layout
from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from pmo_portal.forms import UserChoiceField
from pmo_portal.widgets import QuickSelect
from projects.models import Project, ProjectPhase

from .models import (
    Contingency,
    Issue,
    Lesson,
    Level,
    ReviewCadence,
    Risk,
    RiskAction,
    RiskCategory,
    RiskResponse,
    Scale,
    ScaleLevel,
)

User = get_user_model()


def date_input():
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def row(*names, sizes=None):
    sizes = sizes or [12 // len(names)] * len(names)
    return Div(
        *(Div(name, css_class=f"col-md-{size}") for name, size in zip(names, sizes, strict=True)),
        css_class="row",
    )


def active_users():
    return (
        User.objects.filter(is_active=True)
        .only("pk", "username", "first_name", "last_name")
        .order_by("first_name", "last_name", "username")
    )


class ProjectChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, project):
        return f"{project.code} · {project.name}"


class CategoryChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, category):
        indent = "— " if category.parent_id else ""
        return f"{indent}{category.code} {category.display_name}"


def scale_choices(scale: str) -> list[tuple[int, str]]:
    """1-5 with the PMO's name for each value, e.g. "4 – Likely"."""
    names = {row.value: row.display_name for row in ScaleLevel.objects.filter(scale=scale)}
    return [(value, f"{value} – {names[value]}" if value in names else str(value))
            for value in range(1, 6)]  # fmt: skip


class RiskForm(forms.ModelForm):
    """Log or edit a risk. The edit form carries the version it was loaded at."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Risk
        fields = [
            "project", "kind", "title", "category", "owner", "cause", "event", "effect",
            "trigger", "probability", "impact", "residual_probability", "residual_impact",
            "probability_percent", "cost_min", "cost_likely", "cost_max", "schedule_min",
            "schedule_likely", "schedule_max", "distribution", "status", "next_review",
        ]  # fmt: skip
        field_classes = {
            "owner": UserChoiceField,
            "project": ProjectChoiceField,
            "category": CategoryChoiceField,
        }
        widgets = {
            "owner": QuickSelect,
            "project": QuickSelect,
            "category": QuickSelect,
            "cause": forms.Textarea(attrs={"rows": 2}),
            "event": forms.Textarea(attrs={"rows": 2}),
            "effect": forms.Textarea(attrs={"rows": 2}),
            "trigger": forms.Textarea(attrs={"rows": 2}),
            "next_review": date_input(),
        }
        help_texts = {
            "next_review": _("Left empty, it follows from the level and the PMO's cadence."),
            "residual_probability": _("After the responses."),
            "residual_impact": _("After the responses."),
        }

    def __init__(self, *args, projects=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = active_users()
        self.fields["category"].queryset = RiskCategory.objects.filter(is_active=True).order_by(
            "code"
        )
        self.fields["project"].queryset = projects if projects is not None else Project.objects
        self.fields["project"].required = False
        self.fields["project"].empty_label = _("None: a portfolio or enterprise-wide risk")
        for name, scale in (
            ("probability", Scale.PROBABILITY), ("residual_probability", Scale.PROBABILITY),
            ("impact", Scale.IMPACT), ("residual_impact", Scale.IMPACT),
        ):  # fmt: skip
            self.fields[name] = forms.TypedChoiceField(
                label=self.fields[name].label,
                help_text=self.fields[name].help_text,
                choices=scale_choices(scale),
                coerce=int,
                required=name in ("probability", "impact"),
                empty_value=None,
            )
        for name in ("residual_probability", "residual_impact"):
            self.fields[name].choices = [("", _("Same as inherent")), *self.fields[name].choices]
        self.fields["category"].widget.attrs.update(
            {"hx-get": "", "hx-trigger": "change", "hx-target": "#lesson-suggestions",
             "hx-include": "[name=title]", "hx-swap": "innerHTML"}
        )  # fmt: skip
        if self.instance.pk:
            self.fields["version"].initial = self.instance.version
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(
            Fieldset(
                _("The risk"),
                row("project", "kind", sizes=[8, 4]),
                "title",
                row("category", "owner"),
                row("cause", "event", "effect"),
                "trigger",
            ),
            Fieldset(
                _("Assessment"),
                row("probability", "impact", "residual_probability", "residual_impact"),
            ),
            Fieldset(
                _("Quantified impact"),
                row("probability_percent", "distribution"),
                row("cost_min", "cost_likely", "cost_max"),
                row("schedule_min", "schedule_likely", "schedule_max"),
            ),
            Fieldset(_("Follow-up"), row("status", "next_review")),
            "version",
        )

    def set_suggestion_url(self, url: str) -> None:
        self.fields["category"].widget.attrs["hx-get"] = url

    def clean(self):
        cleaned = super().clean()
        for name, source in (
            ("residual_probability", "probability"), ("residual_impact", "impact"),
        ):  # fmt: skip
            if cleaned.get(name) is None and cleaned.get(source) is not None:
                cleaned[name] = cleaned[source]
        return cleaned

    def _post_clean(self):
        # The model is validated by the service, with the figures it works out first.
        pass

    def service_fields(self) -> dict:
        data = dict(self.cleaned_data)
        data.pop("version", None)
        return data


class ResponseForm(forms.ModelForm):
    class Meta:
        model = RiskResponse
        fields = ["strategy", "plan"]
        widgets = {"plan": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args, risk: Risk, **kwargs):
        super().__init__(*args, **kwargs)
        allowed = RiskResponse.strategies_for(risk.kind)
        self.fields["strategy"].choices = [
            choice for choice in RiskResponse.Strategy.choices if choice[0] in allowed
        ]
        self.helper = FormHelper()
        self.helper.form_tag = False

    def _post_clean(self):
        pass


class ActionForm(forms.ModelForm):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = RiskAction
        fields = ["description", "owner", "due", "status"]
        field_classes = {"owner": UserChoiceField}
        widgets = {"owner": QuickSelect, "due": date_input()}

    def __init__(self, *args, owner_only: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = active_users()
        if self.instance.pk:
            self.fields["version"].initial = self.instance.version
        if owner_only:
            # The owner of an action reports its progress; what and when is the risk's.
            for name in ("description", "owner", "due"):
                del self.fields[name]
        self.helper = FormHelper()
        self.helper.form_tag = False

    def _post_clean(self):
        pass

    def service_fields(self) -> dict:
        data = dict(self.cleaned_data)
        data.pop("version", None)
        return data


class ReviewForm(forms.Form):
    note = forms.CharField(
        label=_("Review note"), max_length=100, required=False,
        help_text=_("What the review found, kept in the risk's history."),
    )  # fmt: skip


class RaiseIssueForm(forms.Form):
    owner = UserChoiceField(label=_("Issue owner"), queryset=User.objects.none(), required=False,
                            widget=QuickSelect)  # fmt: skip
    due = forms.DateField(label=_("Due"), required=False, widget=date_input())

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = active_users()


class ContingencyForm(forms.ModelForm):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Contingency
        fields = ["cost_reserve", "schedule_reserve_days", "note"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["version"].initial = self.instance.version if self.instance.pk else None
        self.helper = FormHelper()
        self.helper.form_tag = False

    def _post_clean(self):
        pass

    def service_fields(self) -> dict:
        data = dict(self.cleaned_data)
        data.pop("version", None)
        return data


class IssueForm(forms.ModelForm):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Issue
        fields = ["project", "title", "description", "severity", "owner", "due", "status",
                  "resolution"]  # fmt: skip
        field_classes = {"owner": UserChoiceField, "project": ProjectChoiceField}
        widgets = {
            "owner": QuickSelect,
            "project": QuickSelect,
            "due": date_input(),
            "description": forms.Textarea(attrs={"rows": 3}),
            "resolution": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, projects=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = active_users()
        self.fields["project"].queryset = projects if projects is not None else Project.objects
        self.fields["project"].empty_label = _("None: an enterprise issue")
        if self.instance.pk:
            self.fields["version"].initial = self.instance.version
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(
            "project", "title", "description", row("severity", "owner", "due"),
            row("status"), "resolution", "version",
        )  # fmt: skip

    def _post_clean(self):
        pass

    def service_fields(self) -> dict:
        data = dict(self.cleaned_data)
        data.pop("version", None)
        return data


class EscalateForm(forms.Form):
    note = forms.CharField(
        label=_("What do you need from the PMO?"), widget=forms.Textarea(attrs={"rows": 3})
    )


class PhaseChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, phase):
        return phase.display_name


class LessonForm(forms.ModelForm):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Lesson
        fields = ["project", "phase", "source", "category", "title", "what_happened",
                  "recommendation", "tags"]  # fmt: skip
        field_classes = {
            "project": ProjectChoiceField,
            "category": CategoryChoiceField,
            "phase": PhaseChoiceField,
        }
        widgets = {
            "project": QuickSelect,
            "category": QuickSelect,
            "phase": QuickSelect,
            "what_happened": forms.Textarea(attrs={"rows": 4}),
            "recommendation": forms.Textarea(attrs={"rows": 4}),
        }

    def __init__(self, *args, projects=None, project=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["project"].queryset = projects if projects is not None else Project.objects
        self.fields["project"].empty_label = _("None: a lesson for every project")
        project = project or self.instance.project
        self.fields["phase"].queryset = (
            ProjectPhase.objects.filter(project=project).order_by("order")
            if project is not None
            else ProjectPhase.objects.none()
        )
        self.fields["category"].queryset = RiskCategory.objects.order_by("code")
        if self.instance.pk:
            self.fields["version"].initial = self.instance.version
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(
            row("project", "phase", "source"), row("category", "tags"), "title",
            "what_happened", "recommendation", "version",
        )  # fmt: skip

    def _post_clean(self):
        pass

    def service_fields(self) -> dict:
        data = dict(self.cleaned_data)
        data.pop("version", None)
        return data


class CategoryForm(forms.ModelForm):
    class Meta:
        model = RiskCategory
        fields = ["code", "name", "name_zh_hans", "parent", "description", "is_active"]
        field_classes = {"parent": CategoryChoiceField}
        widgets = {"description": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        parents = RiskCategory.objects.order_by("code")
        if self.instance.pk:
            parents = parents.exclude(pk=self.instance.pk)
        self.fields["parent"].queryset = parents
        self.helper = FormHelper()
        self.helper.form_tag = False


class MatrixForm(forms.Form):
    """The level of each of the 25 cells, named cell_<probability>_<impact>."""

    def __init__(self, *args, matrix, **kwargs):
        super().__init__(*args, **kwargs)
        for row_cells in matrix.rows():
            for probability, impact, level in row_cells:
                self.fields[f"cell_{probability}_{impact}"] = forms.ChoiceField(
                    label=_("Probability %(p)d, impact %(i)d") % {"p": probability, "i": impact},
                    choices=Level.choices,
                    initial=level,
                )

    def levels(self) -> dict[tuple[int, int], str]:
        return {
            (int(name.split("_")[1]), int(name.split("_")[2])): value
            for name, value in self.cleaned_data.items()
        }


class CadenceForm(forms.Form):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        days = dict(ReviewCadence.objects.values_list("level", "days"))
        for level, label in reversed(Level.choices):
            self.fields[f"days_{level}"] = forms.IntegerField(
                label=_("%(level)s risks: days between reviews") % {"level": label},
                min_value=1,
                max_value=366,
                initial=days.get(level),
            )

    def days(self) -> dict[str, int]:
        return {name.removeprefix("days_"): value for name, value in self.cleaned_data.items()}


class ScaleForm(forms.Form):
    """Names and descriptions of the ten scale values, in English and Chinese."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        existing = {(row.scale, row.value): row for row in ScaleLevel.objects.all()}
        self.groups = []
        for scale, scale_label in Scale.choices:
            for value in range(1, 6):
                row_obj = existing.get((scale, value))
                prefix = f"{scale}_{value}"
                names = []
                for name, label, length in (
                    ("name", _("Name (English)"), 60),
                    ("name_zh_hans", _("Name (Chinese)"), 60),
                    ("description", _("Description (English)"), 300),
                    ("description_zh_hans", _("Description (Chinese)"), 300),
                ):
                    self.fields[f"{prefix}_{name}"] = forms.CharField(
                        label=label,
                        max_length=length,
                        required=name == "name",
                        initial=getattr(row_obj, name, ""),
                    )
                    names.append(f"{prefix}_{name}")
                self.groups.append((scale_label, value, [self[n] for n in names]))

    def descriptions(self) -> dict:
        result = {}
        for scale in Scale.values:
            for value in range(1, 6):
                prefix = f"{scale}_{value}_"
                result[(scale, value)] = {
                    name.removeprefix(prefix): text
                    for name, text in self.cleaned_data.items()
                    if name.startswith(prefix)
                }
        return result
