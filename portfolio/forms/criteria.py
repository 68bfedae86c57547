"""Forms of objectives, criteria, weights, pairwise judgements, scores and proposals."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from pmo_portal.widgets import QuickSelect

from ..models import Criterion, Portfolio, StrategicObjective
from ..services.criteria import SAATY_JUDGEMENTS
from .structure import PortfolioChoiceField

LEVEL_ROWS = 2  # empty rows offered below a criterion's levels
DEFAULT_LEVELS = [
    (1, _("Very low")),
    (2, _("Low")),
    (3, _("Medium")),
    (4, _("High")),
    (5, _("Very high")),
]


def this_year() -> int:
    return timezone.localdate().year


class FrameForm(forms.Form):
    """Which criteria to look at: a top-level portfolio and a planning period."""

    portfolio = PortfolioChoiceField(
        label=_("Portfolio"), queryset=Portfolio.objects.none(), widget=QuickSelect
    )
    period = forms.IntegerField(label=_("Planning period"), min_value=2000, max_value=2100)

    def __init__(self, data=None, **kwargs):
        super().__init__(data, **kwargs)
        self.fields["portfolio"].queryset = Portfolio.objects.tops().order_by("name")

    def frame(self) -> tuple[Portfolio | None, int]:
        """The chosen frame, or the first top portfolio and this year."""
        if self.is_bound and self.is_valid():
            return self.cleaned_data["portfolio"], self.cleaned_data["period"]
        return self.fields["portfolio"].queryset.first(), this_year()


class ObjectiveForm(forms.ModelForm):
    class Meta:
        model = StrategicObjective
        fields = ["name", "description", "weight"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}


class CriterionForm(forms.ModelForm):
    """A criterion's name, direction, weight and objective; its scale is a formset beside it."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Criterion
        fields = ["name", "description", "direction", "weight", "objective"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, portfolio: Portfolio, period: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["objective"].queryset = StrategicObjective.objects.filter(
            portfolio=portfolio, period=period
        )
        if self.instance.pk:
            self.fields["version"].initial = self.instance.version

    def service_fields(self) -> dict:
        data = dict(self.cleaned_data)
        data.pop("version", None)
        return data


class LevelForm(forms.Form):
    """One level of the scale; a row without a label is ignored."""

    value = forms.IntegerField(label=_("Level"), min_value=0, max_value=10, required=False)
    label = forms.CharField(label=_("Label"), max_length=100, required=False)
    description = forms.CharField(
        label=_("What it means"), required=False, widget=forms.Textarea(attrs={"rows": 1})
    )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("label") and cleaned.get("value") is None:
            self.add_error("value", _("Give the level's number."))
        if cleaned.get("value") is not None and not cleaned.get("label"):
            self.add_error("label", _("Give the level a label."))
        return cleaned


class BaseLevelFormSet(forms.BaseFormSet):
    def clean(self):
        if any(self.errors):
            return
        values = [value for value, _label, _description in self.levels()]
        if len(values) < 2:
            raise forms.ValidationError(_("A scale needs at least two levels."))
        if len(set(values)) != len(values):
            raise forms.ValidationError(_("Each level of the scale is given once."))

    def levels(self) -> list[tuple[int, str, str]]:
        return [
            (form.cleaned_data["value"], form.cleaned_data["label"],
             form.cleaned_data.get("description", ""))
            for form in self.forms
            if form.cleaned_data.get("label")
        ]  # fmt: skip


LevelFormSet = forms.formset_factory(LevelForm, formset=BaseLevelFormSet, extra=LEVEL_ROWS)


def level_initial(criterion: Criterion | None) -> list[dict]:
    if criterion is None or criterion.pk is None:
        return [{"value": value, "label": label} for value, label in DEFAULT_LEVELS]
    return [
        {"value": level.value, "label": level.label, "description": level.description}
        for level in criterion.levels.all()
    ]


class WeightsForm(forms.Form):
    """The weights of the frame's criteria, set directly: one field per criterion."""

    def __init__(self, *args, criteria: list[Criterion], **kwargs):
        super().__init__(*args, **kwargs)
        self.criteria = criteria
        for criterion in criteria:
            self.fields[f"weight_{criterion.pk}"] = forms.DecimalField(
                label=criterion.name,
                max_digits=9,
                decimal_places=4,
                min_value=0,
                initial=criterion.weight,
                error_messages={"min_value": _("A weight cannot be negative.")},
            )

    def weights(self) -> dict[int, object]:
        return {c.pk: self.cleaned_data[f"weight_{c.pk}"] for c in self.criteria}


def judgement_choices(first: str, second: str) -> list[tuple[int, str]]:
    """Saaty's scale for a pair, from "the second is 9 times as important" to "the first is"."""
    choices = []
    for judgement in SAATY_JUDGEMENTS:
        if judgement == 1:
            label = _("equally important")
        elif judgement > 1:
            label = _("%(name)s %(times)d× as important") % {"name": first, "times": judgement}
        else:
            label = _("%(name)s %(times)d× as important") % {"name": second, "times": -judgement}
        choices.append((judgement, label))
    return choices


class PairwiseForm(forms.Form):
    """One choice per pair of criteria: n(n-1)/2 judgements on Saaty's 1/9..9 scale."""

    def __init__(self, *args, criteria: list[Criterion], judgements: dict, **kwargs):
        super().__init__(*args, **kwargs)
        self.pairs = []
        for index, first in enumerate(criteria):
            for second in criteria[index + 1 :]:
                name = f"pair_{first.pk}_{second.pk}"
                self.fields[name] = forms.TypedChoiceField(
                    label=_("%(first)s compared with %(second)s")
                    % {"first": first.name, "second": second.name},
                    choices=judgement_choices(first.name, second.name),
                    coerce=int,
                    initial=judgements.get((first.pk, second.pk), 1),
                )
                self.pairs.append((first, second, name))

    def judgements(self) -> dict[tuple[int, int], int]:
        return {
            (first.pk, second.pk): self.cleaned_data[name] for first, second, name in self.pairs
        }


class ScoreForm(forms.Form):
    """A project's level on one criterion and the reason for it."""

    level = forms.TypedChoiceField(label=_("Level"), coerce=int, choices=())
    rationale = forms.CharField(
        label=_("Rationale"), widget=forms.Textarea(attrs={"rows": 2}), max_length=2000
    )

    def __init__(self, *args, criterion: Criterion, **kwargs):
        super().__init__(*args, **kwargs)
        self.criterion_obj = criterion
        self.fields["level"].choices = [("", "—")] + [
            (level.value, f"{level.value} – {level.label}") for level in criterion.levels.all()
        ]


class ProposalDecisionForm(forms.Form):
    note = forms.CharField(
        label=_("Reason"), required=False, max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )  # fmt: skip
