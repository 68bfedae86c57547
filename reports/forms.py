"""Forms of status reporting: the report, its review, the PMO's thresholds and targets, a
project's reporting schedule and closure survey, and the dashboard's filters."""

import datetime
import re

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Div, Field, Layout
from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from pmo_portal.forms import UserChoiceField, UserMultipleChoiceField
from pmo_portal.roles import Role
from pmo_portal.widgets import QuickSelect
from portfolio.models import Portfolio
from projects.models import Department, Project

from .models import (
    RAG,
    ClosureSurvey,
    Metric,
    RagThresholds,
    ReportingPeriod,
    ReportingSchedule,
    ReportRun,
    ReportSubscription,
    StatusReport,
)

PERIODS_OFFERED_DAYS = 120


def _helper(*layout) -> FormHelper:
    helper = FormHelper()
    helper.form_tag = False
    helper.disable_csrf = True  # the page's form tag carries the token
    if layout:
        helper.layout = Layout(*layout)
    return helper


class PeriodChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, period):
        return f"{period} ({period.start:%Y-%m-%d} – {period.end:%Y-%m-%d})"


class StatusReportForm(forms.ModelForm):
    """The project manager's report. `suggested` is the RAG the figures suggest: choosing
    another overall RAG needs a reason. On a new report the period is chosen among the periods
    of the project's frequency that have started."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = StatusReport
        fields = [
            "period", "percent_complete", "overall_rag", "override_reason", "schedule_rag",
            "cost_rag", "scope_rag", "quality_rag", "risk_rag", "achievements", "next_steps",
            "issues", "decisions_needed",
        ]  # fmt: skip
        widgets = {
            "overall_rag": forms.RadioSelect,
            "override_reason": forms.Textarea(attrs={"rows": 2}),
            "achievements": forms.Textarea(attrs={"rows": 3}),
            "next_steps": forms.Textarea(attrs={"rows": 3}),
            "issues": forms.Textarea(attrs={"rows": 3}),
            "decisions_needed": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args, project, suggested: str, frequency: str | None = None,
                 today: datetime.date | None = None, **kwargs):  # fmt: skip
        super().__init__(*args, **kwargs)
        self.project = project
        self.suggested = suggested
        self.fields["override_reason"].help_text = _(
            "Needed when the overall RAG is not the suggested one (%(suggested)s)."
        ) % {"suggested": RAG(suggested).label}
        self.fields["percent_complete"].help_text = _("How much of the project's work is done.")
        if self.instance.pk:
            del self.fields["period"]
            self.fields["version"].initial = self.instance.version
        else:
            today = today or datetime.date.today()
            period_field = PeriodChoiceField(
                label=_("Period"),
                queryset=ReportingPeriod.objects.filter(
                    frequency=frequency,
                    start__lte=today,
                    end__gte=today - datetime.timedelta(days=PERIODS_OFFERED_DAYS),
                ).order_by("-end"),
                empty_label=None,
                error_messages={
                    "invalid_choice": _(
                        "There is no such reporting period for this project. Choose one of "
                        "the periods listed."
                    ),
                    "required": _("Choose the period the report is for."),
                },
            )
            self.fields["period"] = period_field
        names = [name for name in self.fields if name != "version"]
        self.helper = _helper(
            *(["period"] if "period" in names else []),
            Div(Div("percent_complete", css_class="col-md-4"),
                Div("overall_rag", css_class="col-md-8"), css_class="row"),
            "override_reason",
            Div(*(Div(name, css_class="col") for name in
                  ["schedule_rag", "cost_rag", "scope_rag", "quality_rag", "risk_rag"]),
                css_class="row row-cols-2 row-cols-md-5"),
            "achievements", "next_steps", "issues", "decisions_needed", Field("version"),
        )  # fmt: skip

    def clean_period(self):
        period = self.cleaned_data["period"]
        if StatusReport.objects.filter(project=self.project, period=period).exists():
            raise forms.ValidationError(
                _("This project has a report for %(period)s already: open it to change it.")
                % {"period": period}
            )
        return period

    def clean(self):
        cleaned = super().clean()
        overall = cleaned.get("overall_rag")
        reason = (cleaned.get("override_reason") or "").strip()
        if overall and overall != self.suggested and not reason:
            self.add_error(
                "override_reason",
                _(
                    "The suggested RAG is %(suggested)s. Give the reason for choosing "
                    "%(chosen)s instead."
                )  # fmt: skip
                % {"suggested": RAG(self.suggested).label, "chosen": RAG(overall).label},
            )
        return cleaned

    def _post_clean(self):
        # The service sets the figures and validates the whole report; the model form's own
        # instance validation would run before them.
        pass

    def service_fields(self) -> dict:
        fields = {
            name: value
            for name, value in self.cleaned_data.items()
            if name not in ("period", "version")
        }
        return fields


class SubmitForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class ReviewForm(forms.Form):
    comments = forms.CharField(
        label=_("Review comments"),
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Write the PMO's comments on the report.")},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper()


class ThresholdsForm(forms.ModelForm):
    """The PMO's RAG thresholds; red must be stricter than amber."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = RagThresholds
        fields = [
            "spi_amber", "spi_red", "cpi_amber", "cpi_red", "slippage_amber_days",
            "slippage_red_days", "critical_risks_amber", "critical_risks_red",
        ]  # fmt: skip

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["version"].initial = self.instance.version
        pairs = [("spi_amber", "spi_red"), ("cpi_amber", "cpi_red"),
                 ("slippage_amber_days", "slippage_red_days"),
                 ("critical_risks_amber", "critical_risks_red")]  # fmt: skip
        self.helper = _helper(
            *(Div(Div(a, css_class="col-md-6"), Div(r, css_class="col-md-6"), css_class="row")
              for a, r in pairs),
            Field("version"),
        )  # fmt: skip

    def clean(self):
        cleaned = super().clean()
        for name in ("spi", "cpi"):
            amber, red = cleaned.get(f"{name}_amber"), cleaned.get(f"{name}_red")
            if amber is not None and red is not None and red > amber:
                self.add_error(f"{name}_red", _("Red must be at or below the amber threshold."))
        for name in ("slippage", "critical_risks"):
            suffix = "_days" if name == "slippage" else ""
            amber, red = cleaned.get(f"{name}_amber{suffix}"), cleaned.get(f"{name}_red{suffix}")
            if amber is not None and red is not None and red < amber:
                self.add_error(
                    f"{name}_red{suffix}", _("Red must be at or above the amber threshold.")
                )
        return cleaned

    def _post_clean(self):
        # The service validates the saved row; here only the form's own checks.
        pass

    def service_fields(self) -> dict:
        return {name: value for name, value in self.cleaned_data.items() if name != "version"}


class TargetsForm(forms.Form):
    """One target per effectiveness measure; empty means no target."""

    def __init__(self, *args, targets: dict, **kwargs):
        super().__init__(*args, **kwargs)
        for metric, label in Metric.choices:
            self.fields[metric] = forms.DecimalField(
                label=label, required=False, min_value=0, max_digits=7, decimal_places=2,
                initial=targets.get(metric),
            )  # fmt: skip
        self.helper = _helper()


class ScheduleForm(forms.ModelForm):
    class Meta:
        model = ReportingSchedule
        fields = ["frequency", "planned_value_method"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper()


class ClosureSurveyForm(forms.ModelForm):
    class Meta:
        model = ClosureSurvey
        fields = ["satisfaction", "on_scope", "value_delivered", "comments"]
        widgets = {
            "satisfaction": forms.RadioSelect(choices=[(n, str(n)) for n in range(1, 6)]),
            "comments": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper()

    def _post_clean(self):
        pass


class DashboardFilterForm(forms.Form):
    """The dashboard's filters: portfolio (with its sub-portfolios), department, manager."""

    portfolio = forms.ModelChoiceField(
        label=_("Portfolio"), queryset=Portfolio.objects.order_by("path"), required=False,
        empty_label=_("All"), widget=QuickSelect,
    )  # fmt: skip
    department = forms.ModelChoiceField(
        label=_("Department"), queryset=Department.objects.all(), required=False,
        empty_label=_("All"), widget=QuickSelect,
    )  # fmt: skip
    manager = UserChoiceField(
        label=_("Project manager"),
        queryset=get_user_model()
        .objects.filter(groups__name=Role.PROJECT_MANAGER)
        .order_by("first_name", "last_name", "username"),
        required=False,
        empty_label=_("All"),
        widget=QuickSelect,
    )

    def filters(self) -> dict:
        if not self.is_valid():
            return {}
        return {name: value for name, value in self.cleaned_data.items() if value is not None}


# --- executive PDF reports -------------------------------------------------------------------


class QuickSelectMultiple(QuickSelect, forms.SelectMultiple):
    """QuickSelect's quick rendering for a choice of several (people, portfolios)."""


class PortfolioChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, portfolio):
        return "\u2003" * portfolio.depth + portfolio.name


class SubscriptionForm(forms.ModelForm):
    """A subscription to a scheduled PDF report: what it covers, who gets it and when. Projects
    are named by code (a register of thousands does not fit a list)."""

    project_codes = forms.CharField(
        label=_("Projects"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Project codes, separated by commas or spaces. Empty: all projects."),
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = ReportSubscription
        fields = [
            "name", "report_type", "language", "portfolios", "departments", "recipients",
            "extra_recipients", "frequency", "day", "time", "timezone", "active",
        ]  # fmt: skip
        field_classes = {"recipients": UserMultipleChoiceField, "portfolios": PortfolioChoiceField}
        widgets = {
            "portfolios": QuickSelectMultiple(attrs={"size": 6}),
            "departments": QuickSelectMultiple(attrs={"size": 6}),
            "recipients": QuickSelectMultiple(attrs={"size": 8}),
            "extra_recipients": forms.Textarea(attrs={"rows": 2}),
            "time": forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
            "timezone": QuickSelect,
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["portfolios"].queryset = Portfolio.objects.order_by("path")
        self.fields["portfolios"].help_text = _("Empty: every portfolio.")
        self.fields["departments"].queryset = Department.objects.order_by("code")
        self.fields["departments"].help_text = _("Empty: every department.")
        self.fields["recipients"].queryset = (
            get_user_model()
            .objects.filter(is_active=True)
            .exclude(email="")
            .only("pk", "username", "first_name", "last_name")
            .order_by("first_name", "last_name", "username")
        )
        if self.instance.pk:
            self.fields["version"].initial = self.instance.version
            self.fields["project_codes"].initial = ", ".join(
                self.instance.projects.order_by("code").values_list("code", flat=True)
            )
        self.helper = _helper(
            Div(Div("name", css_class="col-md-6"), Div("report_type", css_class="col-md-4"),
                Div("language", css_class="col-md-2"), css_class="row"),
            Div(Div("portfolios", css_class="col-md-6"), Div("departments", css_class="col-md-6"),
                css_class="row"),
            "project_codes",
            Div(Div("recipients", css_class="col-md-6"),
                Div("extra_recipients", css_class="col-md-6"), css_class="row"),
            Div(Div("frequency", css_class="col-md-3"), Div("day", css_class="col-md-2"),
                Div("time", css_class="col-md-2"), Div("timezone", css_class="col-md-5"),
                css_class="row"),
            "active",
            Field("version"),
        )  # fmt: skip

    def clean_project_codes(self):
        codes = [code for code in re.split(r"[\s,;]+", self.cleaned_data["project_codes"]) if code]
        found = {p.code.upper(): p for p in Project.objects.filter(code__in=
                 {c.upper() for c in codes}).only("pk", "code")}  # fmt: skip
        unknown = [code for code in codes if code.upper() not in found]
        if unknown:
            raise forms.ValidationError(
                _("No project has these codes: %(codes)s") % {"codes": ", ".join(unknown)}
            )
        return [found[code.upper()] for code in dict.fromkeys(codes)]

    def clean(self):
        cleaned = super().clean()
        if (
            cleaned.get("frequency") == ReportSubscription.Frequency.WEEKLY
            and (cleaned.get("day") or 0) > 7
        ):
            self.add_error(
                "day", _("A weekly report is sent on a weekday: 1 (Monday) to 7 (Sunday).")
            )
        return cleaned

    def _post_clean(self):
        # The service validates the saved subscription; here only the form's own checks.
        pass

    def service_fields(self) -> dict:
        fields = {name: value for name, value in self.cleaned_data.items()
                  if name not in ("version", "project_codes")}  # fmt: skip
        fields["projects"] = self.cleaned_data["project_codes"]
        return fields


class RunFilterForm(forms.Form):
    """The archive's filters: one subscription, one state."""

    subscription = forms.ModelChoiceField(
        label=_("Subscription"), queryset=ReportSubscription.objects.none(), required=False,
        empty_label=_("All"), widget=QuickSelect,
    )  # fmt: skip
    state = forms.ChoiceField(
        label=_("State"), required=False, choices=[("", _("All")), *ReportRun.State.choices]
    )

    def __init__(self, *args, subscriptions, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["subscription"].queryset = subscriptions
