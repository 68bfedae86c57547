"""Forms of portfolio reviews and of their decisions per project."""

from django import forms
from django.utils.translation import gettext_lazy as _

from pmo_portal.widgets import QuickSelect
from projects.models import Meeting

from ..models import Portfolio, PortfolioReview, ReviewDecision
from .structure import PortfolioChoiceField


class ReviewForm(forms.ModelForm):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = PortfolioReview
        fields = ["portfolio", "period", "held_on", "status", "meeting", "notes"]
        field_classes = {"portfolio": PortfolioChoiceField}
        widgets = {
            "portfolio": QuickSelect,
            "meeting": QuickSelect,
            "held_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "notes": forms.Textarea(attrs={"rows": 4}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["portfolio"].queryset = Portfolio.objects.order_by("path")
        self.fields["meeting"].queryset = Meeting.objects.filter(
            kind=Meeting.Kind.PORTFOLIO_REVIEW
        ).order_by("-held_on", "-pk")
        if self.instance.pk:
            self.fields["version"].initial = self.instance.version

    def service_fields(self) -> dict:
        data = dict(self.cleaned_data)
        data.pop("version", None)
        return data


class DecisionForm(forms.Form):
    """The review's decision on one project; none leaves the project without one."""

    project = forms.IntegerField(widget=forms.HiddenInput)
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[("", _("No decision")), *ReviewDecision.Decision.choices],
        required=False,
        widget=forms.Select(attrs={"class": "form-select form-select-sm"}),
    )
    rationale = forms.CharField(
        label=_("Rationale"), required=False, max_length=2000,
        widget=forms.Textarea(attrs={"rows": 1, "class": "form-control form-control-sm"}),
    )  # fmt: skip

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("rationale") and not cleaned.get("decision"):
            self.add_error("decision", _("Choose a decision for this rationale."))
        return cleaned


DecisionFormSet = forms.formset_factory(DecisionForm, extra=0)
