"""Forms of the portfolio structure: portfolios, programmes, and a project's placement."""

from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from pmo_portal.forms import UserChoiceField
from pmo_portal.widgets import QuickSelect

from ..models import RISK_SCORES, Portfolio, PortfolioProject, Programme

User = get_user_model()


def active_users():
    return (
        User.objects.filter(is_active=True)
        .only("pk", "username", "first_name", "last_name")
        .order_by("first_name", "last_name", "username")
    )


class PortfolioChoiceField(forms.ModelChoiceField):
    """A portfolio, indented by its depth in the tree."""

    def label_from_instance(self, portfolio):
        return f"{'— ' * portfolio.depth}{portfolio.name}"


class PortfolioForm(forms.ModelForm):
    """Create or edit a portfolio. The edit form carries the version it was loaded at."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Portfolio
        fields = ["name", "description", "parent", "manager"]
        field_classes = {"parent": PortfolioChoiceField, "manager": UserChoiceField}
        widgets = {
            "description": forms.Textarea(attrs={"rows": 3}),
            "parent": QuickSelect,
            "manager": QuickSelect,
        }
        help_texts = {"parent": _("Leave empty for a top-level portfolio.")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        parents = Portfolio.objects.order_by("path")
        if self.instance.pk:
            # Not below itself: its own subtree is no choice.
            parents = parents.exclude(path__startswith=self.instance.path)
            self.fields["version"].initial = self.instance.version
        self.fields["parent"].queryset = parents
        self.fields["manager"].queryset = active_users()

    def service_fields(self) -> dict:
        data = dict(self.cleaned_data)
        data.pop("version", None)
        return data


class ProgrammeForm(forms.ModelForm):
    class Meta:
        model = Programme
        fields = ["portfolio", "name", "description", "manager"]
        field_classes = {"portfolio": PortfolioChoiceField, "manager": UserChoiceField}
        widgets = {
            "description": forms.Textarea(attrs={"rows": 3}),
            "portfolio": QuickSelect,
            "manager": QuickSelect,
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["portfolio"].queryset = Portfolio.objects.order_by("path")
        self.fields["manager"].queryset = active_users()


class ProgrammeChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, programme):
        return f"{programme.portfolio.name} › {programme.name}"


class PlacementForm(forms.Form):
    """Where a project sits: a portfolio, and optionally one of that portfolio's programmes."""

    portfolio = PortfolioChoiceField(
        label=_("Portfolio"), queryset=Portfolio.objects.none(), widget=QuickSelect
    )
    programme = ProgrammeChoiceField(
        label=_("Programme"),
        queryset=Programme.objects.none(),
        required=False,
        widget=QuickSelect,
        help_text=_("Optional; it must belong to the portfolio chosen."),
    )
    risk_score = forms.TypedChoiceField(
        label=PortfolioProject._meta.get_field("risk_score").verbose_name.capitalize(),
        choices=[("", "—"), *RISK_SCORES],
        coerce=int,
        empty_value=None,
        required=False,
        help_text=PortfolioProject._meta.get_field("risk_score").help_text,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["portfolio"].queryset = Portfolio.objects.order_by("path")
        self.fields["programme"].queryset = Programme.objects.select_related("portfolio").order_by(
            "portfolio__name", "name"
        )

    def clean(self):
        cleaned = super().clean()
        portfolio, programme = cleaned.get("portfolio"), cleaned.get("programme")
        if portfolio and programme and programme.portfolio_id != portfolio.pk:
            self.add_error("programme", _("The programme belongs to another portfolio."))
        return cleaned
