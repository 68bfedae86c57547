"""Writes of project budgets and actual cost: one month and category at a time, or a whole
file of actual costs imported at once (all rows or none)."""

import csv
import datetime
import io
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

import tablib
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import translation
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from pmo_portal import permissions
from projects.models import Project

from ..costs import current_month
from ..models import ActualCost, BudgetLine, CostCategory
from ..signals import actual_costs_imported

__all__ = [
    "CostImportResult",
    "RowError",
    "actual_cost_set",
    "actual_costs_import",
    "actual_costs_import_file",
    "budget_line_set",
]

# The columns of an import file, and the other headings accepted for each.
IMPORT_COLUMNS = ["project_code", "category", "period", "amount", "note"]
COLUMN_ALIASES = {  # headings in lower case, with spaces for "_" and "-"
    "project_code": {"project code", "project", "code"},
    "category": {"category", "cost category"},
    "period": {"period", "month"},
    "amount": {"amount", "actual", "actual cost", "cost"},
    "note": {"note", "notes", "comment"},
}
REQUIRED_COLUMNS = ["project_code", "category", "period", "amount"]
MAX_IMPORT_ROWS = 20_000
MAX_IMPORT_BYTES = 5 * 1024 * 1024
BATCH_SIZE = 1000
# DecimalField(max_digits=16, decimal_places=2): at most 14 digits before the point.
AMOUNT_LIMIT = Decimal(10) ** 14
CENT = Decimal("0.01")
NOTE_LENGTH = ActualCost._meta.get_field("note").max_length


def first_of_month(period: datetime.date) -> datetime.date:
    """Budgets and costs are kept per month, on its first day."""
    if isinstance(period, datetime.datetime):
        period = period.date()
    return period.replace(day=1)


def _refuse_future_actual(period: datetime.date) -> None:
    if period > current_month():
        raise ValidationError(
            {"period": _("Actual cost can only be recorded for this month or an earlier one.")}
        )


def _ensure_may_manage(by, project: Project) -> None:
    permissions.ensure(permissions.can_manage_costs(by, project))


def _save(record, by) -> None:
    """Validate and save a budget line or actual cost with its author in the history."""
    record.full_clean()
    record._history_user = by
    try:
        with transaction.atomic():
            record.save()
    except IntegrityError:  # the same month created by someone else since it was looked up
        raise ValidationError(
            _("Someone else recorded this month at the same moment. Nothing was saved; try again.")
        ) from None


@transaction.atomic
def budget_line_set(
    *, project: Project, by, category: str, period: datetime.date, amount: Decimal
) -> BudgetLine:
    """Set the budget of one category in one month: the month's line is created or replaced."""
    _ensure_may_manage(by, project)
    period = first_of_month(period)
    line = (
        BudgetLine.objects.select_for_update()
        .filter(project=project, category=category, period=period)
        .first()
    ) or BudgetLine(project=project, category=category, period=period)
    line.amount = amount
    _save(line, by)
    return line


@transaction.atomic
def actual_cost_set(
    *, project: Project, by, category: str, period: datetime.date, amount: Decimal, note: str = ""
) -> ActualCost:
    """Record what one category cost in one month (a past or the current month). A negative
    amount is a credit, e.g. a refund. The month's figure is replaced, not added to."""
    _ensure_may_manage(by, project)
    period = first_of_month(period)
    _refuse_future_actual(period)
    cost = (
        ActualCost.objects.select_for_update()
        .filter(project=project, category=category, period=period)
        .first()
    ) or ActualCost(project=project, category=category, period=period)
    cost.amount, cost.note = amount, note
    _save(cost, by)
    return cost


# --- import --------------------------------------------------------------------------------


@dataclass(frozen=True)
class RowError:
    """What is wrong with one row of an import file; row 1 is the heading row."""

    row: int
    message: str


@dataclass
class CostImportResult:
    """Either the errors (and nothing imported) or what was imported."""

    errors: list[RowError] = field(default_factory=list)
    created: int = 0
    updated: int = 0
    projects: list[Project] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def imported(self) -> int:
        return self.created + self.updated


@dataclass
class _ParsedRow:
    row: int
    project: Project
    category: str
    period: datetime.date
    amount: Decimal
    note: str


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def _category_lookup() -> dict[str, str]:
    """Category codes and English names, in lower case, to the code."""
    lookup = {value: value for value in CostCategory.values}
    with translation.override("en"):
        lookup.update({str(label).lower(): value for value, label in CostCategory.choices})
    return lookup


def parse_category(value, lookup: dict[str, str]) -> str:
    text = _text(value)
    if not text:
        raise ValueError(_("The category is missing."))
    try:
        return lookup[text.lower()]
    except KeyError:
        raise ValueError(
            _("“%(value)s” is not a cost category: use one of %(choices)s.")
            % {"value": text, "choices": ", ".join(CostCategory.values)}
        ) from None


def parse_period(value) -> datetime.date:
    """A month as YYYY-MM; a full date is taken to its month (spreadsheets turn 2026-03 into a
    date cell)."""
    if isinstance(value, datetime.date):
        return first_of_month(value)
    text = _text(value)
    if not text:
        raise ValueError(_("The period is missing."))
    for pattern in ("%Y-%m", "%Y-%m-%d", "%Y/%m", "%Y-%m-%d %H:%M:%S"):
        try:
            return first_of_month(datetime.datetime.strptime(text, pattern).date())
        except ValueError:
            continue
    raise ValueError(
        _("“%(value)s” is not a month: write it as YYYY-MM, e.g. 2026-03.") % {"value": text}
    )


def parse_amount(value) -> Decimal:
    text = "" if isinstance(value, bool) else _text(value)
    if not text:
        raise ValueError(_("The amount is missing."))
    try:
        amount = Decimal(text.replace(" ", ""))
    except InvalidOperation:
        amount = None
    if amount is None or not amount.is_finite():
        raise ValueError(_("The amount “%(value)s” is not a number.") % {"value": text})
    if abs(amount) >= AMOUNT_LIMIT:
        raise ValueError(_("The amount %(value)s is too large.") % {"value": text})
    if amount != amount.quantize(CENT):
        raise ValueError(
            _("The amount %(value)s has more than two decimal places.") % {"value": text}
        )
    return amount.quantize(CENT)


def _as_mapping(row) -> Mapping:
    return row if isinstance(row, Mapping) else dict(zip(IMPORT_COLUMNS, row, strict=False))


def _is_blank(row: Mapping) -> bool:
    return all(_text(value) == "" for value in row.values())


class _RowCheck:
    """Reads one row of an import: its project, category, month, amount and note, and what is
    wrong with them."""

    def __init__(self, by, projects: dict[str, Project]):
        self.by, self.projects = by, projects
        self.categories = _category_lookup()
        self.this_month = current_month()

    def __call__(self, row: Mapping) -> tuple[Project | None, dict, list[str]]:
        problems = []
        code = _text(row.get("project_code")).upper()
        project = self.projects.get(code)
        if not code:
            problems.append(_("The project code is missing."))
        elif project is None:
            problems.append(_("There is no project with the code “%(code)s”.") % {"code": code})
        elif not permissions.can_manage_costs(self.by, project):
            problems.append(
                _("You may not record costs for project %(code)s.") % {"code": project.code}
            )
        values = {}
        for name, parse in (
            ("category", lambda value: parse_category(value, self.categories)),
            ("period", parse_period),
            ("amount", parse_amount),
        ):
            try:
                values[name] = parse(row.get(name))
            except ValueError as error:
                problems.append(str(error))
        values["note"] = _text(row.get("note"))
        if len(values["note"]) > NOTE_LENGTH:
            problems.append(
                _("The note is longer than %(count)d characters.") % {"count": NOTE_LENGTH}
            )
        if "period" in values and values["period"] > self.this_month:
            problems.append(
                _(
                    "%(month)s has not begun: actual cost can only be recorded for this month "
                    "or an earlier one."
                )
                % {"month": values["period"].strftime("%Y-%m")}
            )
        return project, values, problems


def actual_costs_import(*, by, rows: Iterable, first_row: int = 2) -> CostImportResult:
    """Import actual costs: every row is checked first, and one bad row imports nothing.

    `rows` are mappings keyed by IMPORT_COLUMNS (or sequences in that order); blank rows are
    skipped. Row numbers in the errors count from `first_row` (2: the row under a file's
    heading row). Each (project, category, month) is set to the row's amount, as
    `actual_cost_set` does, all in one transaction.
    """
    numbered = [
        (number, row)
        for number, row in enumerate(map(_as_mapping, rows), start=first_row)
        if not _is_blank(row)
    ]
    result = CostImportResult()
    if not numbered:
        result.errors.append(RowError(first_row, _("The file has no rows to import.")))
        return result
    if len(numbered) > MAX_IMPORT_ROWS:
        result.errors.append(
            RowError(
                numbered[MAX_IMPORT_ROWS][0],
                _("A file can hold at most %(count)d rows; split it into several files.")
                % {"count": MAX_IMPORT_ROWS},
            )
        )
        return result

    codes = {_text(row.get("project_code")).upper() for _number, row in numbered}
    projects = {
        project.code: project
        for project in Project.objects.visible_to(by).filter(code__in=codes - {""})
    }
    check = _RowCheck(by, projects)
    parsed: list[_ParsedRow] = []
    seen: dict[tuple, int] = {}
    for number, row in numbered:
        project, values, problems = check(row)
        if not problems:
            key = (project.pk, values["category"], values["period"])
            if key in seen:
                problems.append(
                    _("Row %(row)d already gives this project, category and month.")
                    % {"row": seen[key]}
                )
            else:
                seen[key] = number
        if problems:
            result.errors.extend(RowError(number, problem) for problem in problems)
        elif not result.errors:
            parsed.append(_ParsedRow(number, project, **values))
    if result.errors:
        return result
    return _save_actual_costs(by, parsed, result)


def _save_actual_costs(by, parsed: list[_ParsedRow], result: CostImportResult) -> CostImportResult:
    """Create or update every checked row in one transaction, with their history."""
    try:
        with transaction.atomic():
            existing = {
                (cost.project_id, cost.category, cost.period): cost
                for cost in ActualCost.objects.select_for_update().filter(
                    project__in={row.project.pk for row in parsed},
                    period__in={row.period for row in parsed},
                )
            }
            new, changed = [], []
            for row in parsed:
                cost = existing.get((row.project.pk, row.category, row.period))
                if cost is None:
                    cost = ActualCost(project=row.project, category=row.category, period=row.period)
                    new.append(cost)
                else:
                    changed.append(cost)
                cost.amount, cost.note = row.amount, row.note
                # The project is known to exist and there is one row per key, so neither the
                # foreign key nor uniqueness is checked again (a query per row each); the
                # database constraint still backs uniqueness.
                try:
                    cost.full_clean(
                        exclude=["project"], validate_unique=False, validate_constraints=False
                    )
                except ValidationError as error:
                    result.errors.extend(RowError(row.row, text) for text in error.messages)
            if result.errors:
                return result
            bulk_create_with_history(new, ActualCost, batch_size=BATCH_SIZE, default_user=by)
            bulk_update_with_history(
                changed, ActualCost, ["amount", "note"], batch_size=BATCH_SIZE, default_user=by
            )
    except IntegrityError:
        # Another import or form created one of these months since they were read.
        result.errors.append(
            RowError(
                parsed[0].row,
                _(
                    "Someone recorded costs for the same months meanwhile. Nothing was imported; "
                    "import the file again."
                ),
            )
        )
        return result
    result.created, result.updated = len(new), len(changed)
    projects = {row.project.pk: row.project for row in parsed}
    result.projects = sorted(projects.values(), key=lambda project: project.code)
    actual_costs_imported.send(sender=ActualCost, projects=result.projects)
    return result


# --- reading files -------------------------------------------------------------------------


def _column_of(heading) -> str | None:
    text = " ".join(_text(heading).lower().replace("_", " ").replace("-", " ").split())
    for column, aliases in COLUMN_ALIASES.items():
        if text in aliases:
            return column
    return None


def _csv_rows(content: bytes) -> list[list]:
    """The rows of a UTF-8 CSV file, blank lines included so that row numbers match the file
    (tablib's CSV reader drops them). Excel writes ";" where the decimal mark is a comma."""
    text = content.decode("utf-8-sig")
    heading = text.split("\n", 1)[0]
    delimiter = ";" if heading.count(";") > heading.count(",") else ","
    return list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))


def _xlsx_rows(content: bytes) -> list[list]:
    dataset = tablib.Dataset().load(io.BytesIO(content), format="xlsx", headers=False)
    return [list(row) for row in dataset]


def read_cost_file(name: str, content: bytes) -> tuple[list[dict], list[RowError]]:
    """The data rows of a CSV (UTF-8) or XLSX file as dicts keyed by IMPORT_COLUMNS, read by
    the heading row; or what prevents reading it."""
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if extension not in ("csv", "xlsx"):
        return [], [RowError(1, _("Upload a .csv or .xlsx file."))]
    if len(content) > MAX_IMPORT_BYTES:
        return [], [
            RowError(
                1,
                _("The file is larger than %(size)d MB; split it into several files.")
                % {"size": MAX_IMPORT_BYTES // (1024 * 1024)},
            )
        ]
    try:
        rows = _csv_rows(content) if extension == "csv" else _xlsx_rows(content)
    except UnicodeDecodeError:
        return [], [RowError(1, _("The CSV file is not UTF-8 text; save it as “CSV UTF-8”."))]
    except Exception:  # csv, tablib and openpyxl raise many kinds of error for a damaged file
        return [], [
            RowError(1, _("The file cannot be read as %(kind)s.") % {"kind": extension.upper()})
        ]
    if not rows:
        return [], [RowError(1, _("The file is empty."))]
    columns = [_column_of(heading) for heading in rows[0]]
    missing = [column for column in REQUIRED_COLUMNS if column not in columns]
    if missing:
        return [], [
            RowError(
                1,
                _("The heading row lacks the columns %(columns)s (expected: %(expected)s).")
                % {"columns": ", ".join(missing), "expected": ", ".join(IMPORT_COLUMNS)},
            )
        ]
    return [
        {
            column: value
            for column, value in zip(columns, values, strict=False)
            if column is not None
        }
        for values in rows[1:]
    ], []


def actual_costs_import_file(*, by, name: str, content: bytes) -> CostImportResult:
    """Import actual costs from an uploaded CSV or XLSX file (columns: IMPORT_COLUMNS)."""
    rows, errors = read_cost_file(name, content)
    if errors:
        return CostImportResult(errors=errors)
    return actual_costs_import(by=by, rows=rows)


def example_csv() -> str:
    """A small import file to start from."""
    this_month = current_month()
    last_month = first_of_month(this_month - datetime.timedelta(days=1))
    output = io.StringIO()
    writer = csv.writer(output, lineterminator="\n")
    writer.writerow(IMPORT_COLUMNS)
    writer.writerow(["PRJ-00001", "labour", f"{last_month:%Y-%m}", "125000.00", "Invoice 4711"])
    writer.writerow(["PRJ-00001", "Equipment", f"{last_month:%Y-%m}", "8400.50", ""])
    writer.writerow(["PRJ-00001", "operating", f"{this_month:%Y-%m}", "-1200.00", "Refund"])
    return output.getvalue()
