"""The filters of the portfolio dashboard and of the cost roll-up."""

from django import forms
from django.utils.translation import gettext_lazy as _

from pmo_portal.widgets import QuickSelect

from ..models import Portfolio, Programme
from .criteria import this_year
from .structure import PortfolioChoiceField, ProgrammeChoiceField


class DashboardFilterForm(forms.Form):
    portfolio = PortfolioChoiceField(
        label=_("Portfolio"),
        queryset=Portfolio.objects.none(),
        required=False,
        empty_label=_("All portfolios"),
        widget=QuickSelect,
    )
    programme = ProgrammeChoiceField(
        label=_("Programme"),
        queryset=Programme.objects.none(),
        required=False,
        empty_label=_("All programmes"),
        widget=QuickSelect,
    )
    period = forms.IntegerField(
        label=_("Scores of period"), min_value=2000, max_value=2100, required=False
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["portfolio"].queryset = Portfolio.objects.order_by("path")
        self.fields["programme"].queryset = Programme.objects.select_related("portfolio").order_by(
            "portfolio__name", "name"
        )

    def values(self) -> tuple:
        """(portfolio, programme, period); this year's scores unless another period is asked."""
        if not self.is_valid():
            return None, None, this_year()
        data = self.cleaned_data
        return data["portfolio"], data["programme"], data["period"] or this_year()


class CostRollupFilterForm(forms.Form):
    open_only = forms.BooleanField(label=_("Open projects only"), required=False)
    sub_portfolios = forms.BooleanField(
        label=_("Show each sub-portfolio under its top portfolio"), required=False
    )
