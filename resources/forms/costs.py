"""Forms of budgets and actual cost: a month's budget line, a month's actual cost, an import
file, and the filters of the roll-up pages."""

from django import forms
from django.db.models import F
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from ..models import ActualCost, BudgetLine, CostCategory
from ..services.costs import MAX_IMPORT_BYTES

AMOUNT_DIGITS = BudgetLine._meta.get_field("amount").max_digits
MAX_IMPORT_MB = MAX_IMPORT_BYTES // (1024 * 1024)


class MonthInput(forms.DateInput):
    input_type = "month"

    def __init__(self, attrs=None):
        super().__init__(
            attrs={"placeholder": _("YYYY-MM"), "pattern": r"\d{4}-\d{2}", **(attrs or {})},
            format="%Y-%m",
        )


class MonthField(forms.DateField):
    """A month, entered as YYYY-MM (browsers without a month picker show a text box)."""

    widget = MonthInput
    input_formats = ["%Y-%m", "%Y-%m-%d"]
    default_error_messages = {"invalid": _("Enter a month as YYYY-MM, e.g. 2026-03.")}

    def to_python(self, value):
        value = super().to_python(value)
        return value.replace(day=1) if value else value


class BudgetLineForm(forms.Form):
    """Set one category's budget for one month; an existing line for them is replaced."""

    category = forms.ChoiceField(label=_("Category"), choices=CostCategory.choices)
    period = MonthField(label=_("Month"), help_text=_("YYYY-MM"))
    amount = forms.DecimalField(
        label=_("Budget"),
        max_digits=AMOUNT_DIGITS,
        decimal_places=2,
        min_value=0,
        error_messages={"min_value": _("A budget cannot be negative.")},
    )


class ActualCostForm(forms.Form):
    """Record what one category cost in one month; it replaces the month's figure."""

    category = forms.ChoiceField(label=_("Category"), choices=CostCategory.choices)
    period = MonthField(label=_("Month"), help_text=_("This month or an earlier one."))
    amount = forms.DecimalField(
        label=_("Actual cost"),
        max_digits=AMOUNT_DIGITS,
        decimal_places=2,
        help_text=_("A negative amount is a credit, e.g. a refund."),
    )
    note = forms.CharField(
        label=_("Note"),
        max_length=ActualCost._meta.get_field("note").max_length,
        required=False,
    )


class CostImportForm(forms.Form):
    file = forms.FileField(
        label=_("CSV or Excel file"),
        help_text=format_lazy(
            _(
                "Columns: project_code, category, period (YYYY-MM), amount, note. "
                "CSV files in UTF-8; at most {size} MB."
            ),
            size=MAX_IMPORT_MB,
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx"}),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith((".csv", ".xlsx")):
            raise forms.ValidationError(_("Upload a .csv or .xlsx file."))
        if upload.size > MAX_IMPORT_BYTES:
            raise forms.ValidationError(
                _("The file is larger than %(size)d MB; split it into several files.")
                % {"size": MAX_IMPORT_MB}
            )
        return upload


class OpenProjectsFilter(forms.Form):
    open_only = forms.BooleanField(label=_("Open projects only"), required=False)


class RollupFilterForm(OpenProjectsFilter):
    sub_departments = forms.BooleanField(
        label=_("Show sub-departments under their top-level department"), required=False
    )


class DepartmentCostsFilterForm(OpenProjectsFilter):
    # Compared in the reporting currency; projects without an exchange rate come last.
    SORTS = {
        "variance": (F("variance_rc").asc(nulls_last=True), "code"),
        "spent": (F("cost_spent_percent").desc(nulls_last=True), "code"),
        "budget": (F("budget_rc").desc(nulls_last=True), "code"),
        "code": ("code",),
    }
    sort = forms.ChoiceField(
        label=_("Order"),
        required=False,
        choices=[
            ("variance", _("Largest overrun first")),
            ("spent", _("Most spent first")),
            ("budget", _("Largest budget first")),
            ("code", _("Project code")),
        ],
    )

    def ordering(self) -> tuple:
        sort = self.cleaned_data.get("sort") if self.is_valid() else None
        return self.SORTS[sort or "variance"]
