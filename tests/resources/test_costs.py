"""Budget against actual cost: the figures on worked examples, the writes, the import of actual
costs (all rows or none), the roll-up by department, and the pages for each persona."""

import datetime
import io
from decimal import Decimal

import openpyxl
import pytest
import tablib
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from projects.models import ExchangeRate, Project
from resources.costs import (
    DepartmentTree,
    department_rollup,
    project_cost_figures,
    project_cost_table,
    with_cost_figures,
)
from resources.models import ActualCost, BudgetLine
from resources.services import costs as services
from resources.urls import costs as cost_urls
from tests.factories import DepartmentFactory, ProjectFactory
from tests.permission_matrix import (
    LOGIN,
    PERSONAS,
    READ,
    check_page,
    check_refused_post,
    refused,
    resolver_patterns,
)

pytestmark = pytest.mark.django_db

D = datetime.date
THIS_MONTH = timezone.localdate().replace(day=1)
LAST_MONTH = (THIS_MONTH - datetime.timedelta(days=1)).replace(day=1)
TWO_MONTHS_AGO = (LAST_MONTH - datetime.timedelta(days=1)).replace(day=1)
NEXT_MONTH = (THIS_MONTH + datetime.timedelta(days=32)).replace(day=1)
HEADERS = ["project_code", "category", "period", "amount", "note"]

# Whoever records actual costs: project managers (each row of an import is then checked for its
# project), PMO staff and resource managers.
COST_KEEPERS = [LOGIN, 403, 200, 200, 200, 200]

# url -> expected status of a GET per persona (same order as PERSONAS). {own} is a project
# managed by `pm`, {other} one managed by another project manager, {department} theirs. The
# project pages show their forms only to those who may change the project's costs.
MATRIX = {
    "/resources/projects/{own}/costs/": READ,
    "/resources/projects/{other}/costs/": READ,
    "/resources/costs/": READ,
    "/resources/costs/import/": COST_KEEPERS,
    "/resources/costs/import/example.csv": COST_KEEPERS,
    "/resources/costs/departments/{department}/": READ,
}

# Resolver patterns of resources/urls/costs.py and the matrix rows that cover them.
PATTERN_ROWS = {
    "resources/projects/<int:pk>/costs/": "/resources/projects/{own}/costs/",
    "resources/costs/": "/resources/costs/",
    "resources/costs/import/": "/resources/costs/import/",
    "resources/costs/import/example.csv": "/resources/costs/import/example.csv",
    "resources/costs/departments/<int:pk>/": "/resources/costs/departments/{department}/",
}


def line(project, period, amount, category="labour"):
    return BudgetLine.objects.create(
        project=project, category=category, period=period, amount=Decimal(amount)
    )


def actual(project, period, amount, category="labour"):
    return ActualCost.objects.create(
        project=project, category=category, period=period, amount=Decimal(amount)
    )


def csv_file(rows, name="costs.csv"):
    content = tablib.Dataset(*rows, headers=HEADERS).export("csv").encode()
    return SimpleUploadedFile(name, content, content_type="text/csv")


def xlsx_file(rows, name="costs.xlsx"):
    content = tablib.Dataset(*rows, headers=HEADERS).export("xlsx")
    return SimpleUploadedFile(name, content)


FILE_KINDS = {"csv": csv_file, "xlsx": xlsx_file}


def messages_of(response) -> list[str]:
    return [str(message) for message in response.context["messages"]]


# --- the figures ---------------------------------------------------------------------------


class TestWorkedExample:
    """Budget lines January to May 2026, actuals January to March, seen on 15 March 2026:

    budget (BAC) = 10,000 × 4 (labour, Jan–Apr) + 20,000 (capital, May) = 60,000
    actual to date = 12,000 + 11,000 + 9,000 = 32,000
    EAC = actual to date + budget after March = 32,000 + (10,000 + 20,000) = 62,000
    variance at completion = 60,000 − 62,000 = −2,000 (an overrun); spent 32,000 / 60,000.
    """

    TODAY = D(2026, 3, 15)

    @pytest.fixture
    def planned(self, project):
        for month in (1, 2, 3, 4):
            line(project, D(2026, month, 1), "10000")
        line(project, D(2026, 5, 1), "20000", category="capital")
        actual(project, D(2026, 1, 1), "12000")
        actual(project, D(2026, 2, 1), "11000")
        actual(project, D(2026, 3, 1), "9000")
        return project

    def test_eac_is_actual_plus_the_budget_of_later_months(self, planned):
        figures = project_cost_figures(planned, today=self.TODAY)
        assert figures.has_budget_lines
        assert figures.cost_budget == Decimal("60000.00")
        assert figures.cost_actual == Decimal("32000.00")
        assert figures.cost_remaining == Decimal("30000.00")
        assert figures.cost_eac == Decimal("62000.00")
        assert figures.cost_variance == Decimal("-2000.00")
        assert round(figures.cost_spent_percent, 1) == 53.3

    def test_the_current_month_counts_by_its_actual_cost_not_its_budget(self, planned):
        # In April, only May's 20,000 is still to come: EAC = 32,000 + 20,000, until April's
        # actual cost is recorded.
        assert project_cost_figures(planned, today=D(2026, 4, 10)).cost_eac == Decimal(52000)
        actual(planned, D(2026, 4, 1), "10500")
        assert project_cost_figures(planned, today=D(2026, 4, 10)).cost_eac == Decimal(62500)

    def test_the_table_shows_each_month_and_category_with_totals(self, planned):
        table = project_cost_table(planned, today=self.TODAY)
        assert [row.period for row in table.months] == [D(2026, m, 1) for m in range(1, 6)]
        assert [row.is_later for row in table.months] == [False, False, False, True, True]
        labour, capital = table.totals[0], table.totals[1]
        assert (labour.budget, labour.actual) == (Decimal("40000"), Decimal("32000"))
        assert (capital.budget, capital.actual) == (Decimal("20000"), None)
        assert (table.total.budget, table.total.actual) == (Decimal("60000"), Decimal("32000"))

    def test_without_lines_the_project_budget_counts_and_eac_is_never_below_it(self, project):
        project.budget = Decimal("250000")
        project.save()
        actual(project, D(2026, 1, 1), "32000")
        figures = project_cost_figures(project, today=self.TODAY)
        assert not figures.has_budget_lines
        assert (figures.cost_budget, figures.cost_eac) == (Decimal("250000"), Decimal("250000"))
        assert figures.cost_variance == 0
        actual(project, D(2026, 2, 1), "268000")  # 300,000 spent: 50,000 over
        figures = project_cost_figures(project, today=self.TODAY)
        assert figures.cost_eac == Decimal("300000")
        assert figures.cost_variance == Decimal("-50000")

    def test_the_page_states_the_formula_and_the_figures(self, client, pm, planned):
        client.force_login(pm)
        response = client.get(f"/resources/projects/{planned.pk}/costs/")
        content = response.content.decode()
        assert "Forecast at completion (EAC) = actual cost to date + the budget of the months" in (
            content
        )
        assert response.context["figures"].cost_budget == Decimal("60000.00")
        assert "60,000.00 CNY" in content


# --- the services --------------------------------------------------------------------------


class TestServices:
    def test_setting_a_budget_line_twice_replaces_it(self, project, pm):
        services.budget_line_set(
            project=project, by=pm, category="labour", period=D(2026, 3, 17), amount=Decimal(5)
        )
        line = services.budget_line_set(
            project=project, by=pm, category="labour", period=D(2026, 3, 1), amount=Decimal(7)
        )
        assert BudgetLine.objects.get().amount == Decimal("7.00")
        assert line.period == D(2026, 3, 1)  # normalised to the first of the month
        assert [record.history_user for record in line.history.all()] == [pm, pm]

    def test_a_budget_cannot_be_negative(self, project, pm):
        with pytest.raises(ValidationError) as error:
            services.budget_line_set(
                project=project, by=pm, category="labour", period=THIS_MONTH, amount=Decimal(-1)
            )
        assert "amount" in error.value.error_dict
        assert not BudgetLine.objects.exists()

    def test_an_actual_cost_may_be_a_credit_but_not_for_a_later_month(self, project, pm):
        cost = services.actual_cost_set(
            project=project, by=pm, category="operating", period=LAST_MONTH,
            amount=Decimal("-120.50"), note="Refund",
        )  # fmt: skip
        assert (cost.amount, cost.note) == (Decimal("-120.50"), "Refund")
        with pytest.raises(ValidationError) as error:
            services.actual_cost_set(
                project=project, by=pm, category="operating", period=NEXT_MONTH, amount=Decimal(1)
            )
        assert "period" in error.value.error_dict

    def test_a_project_manager_sets_no_costs_on_another_managers_project(
        self, others_project, pm, resource_manager
    ):
        with pytest.raises(PermissionDenied):
            services.budget_line_set(
                project=others_project, by=pm, category="labour", period=THIS_MONTH,
                amount=Decimal(1),
            )  # fmt: skip
        services.budget_line_set(
            project=others_project, by=resource_manager, category="labour", period=THIS_MONTH,
            amount=Decimal(1),
        )  # fmt: skip
        assert BudgetLine.objects.count() == 1


# --- the import ----------------------------------------------------------------------------


def good_rows(code="PRJ-00001"):
    return [
        [code, "labour", f"{TWO_MONTHS_AGO:%Y-%m}", "1200.50", "Invoice 1"],
        [code, "Equipment", f"{LAST_MONTH:%Y-%m}", "300", ""],
        [code, "capital", f"{THIS_MONTH:%Y-%m}", "-20", "Credit note"],
    ]


class TestImport:
    @pytest.mark.parametrize("kind", list(FILE_KINDS))
    def test_a_valid_file_imports_every_row(self, client, pm, project, kind):
        actual(project, LAST_MONTH, "999", category="equipment")  # replaced by the file
        client.force_login(pm)
        response = client.post("/resources/costs/import/", {"file": FILE_KINDS[kind](good_rows())})
        result = response.context["result"]
        assert result.ok and (result.created, result.updated) == (2, 1)
        assert sorted(ActualCost.objects.values_list("category", "period", "amount")) == [
            ("capital", THIS_MONTH, Decimal("-20.00")),
            ("equipment", LAST_MONTH, Decimal("300.00")),
            ("labour", TWO_MONTHS_AGO, Decimal("1200.50")),
        ]
        assert "3 rows imported" in response.content.decode()
        replaced = ActualCost.objects.get(category="equipment")
        assert [record.history_user for record in replaced.history.all()] == [pm, None]

    @pytest.mark.parametrize("kind", list(FILE_KINDS))
    @pytest.mark.parametrize(
        "bad, message",
        [
            (["PRJ-99999", "labour", "2026-01", "1", ""], "There is no project"),
            (["PRJ-00001", "travel", "2026-01", "1", ""], "is not a cost category"),
            (["PRJ-00001", "labour", "March", "1", ""], "is not a month"),
            (["PRJ-00001", "labour", "2026-01", "a lot", ""], "is not a number"),
            (["PRJ-00001", "labour", "2026-01", "1.005", ""], "more than two decimal places"),
            (["PRJ-00001", "labour", f"{NEXT_MONTH:%Y-%m}", "1", ""], "has not begun"),
        ],
    )
    def test_one_bad_row_imports_nothing_and_names_the_row(
        self, client, pm, project, kind, bad, message
    ):
        rows = good_rows()
        rows.insert(1, bad)  # the file's row 3: the heading is row 1
        client.force_login(pm)
        response = client.post("/resources/costs/import/", {"file": FILE_KINDS[kind](rows)})
        errors = response.context["result"].errors
        assert [error.row for error in errors] == [3]
        assert message in errors[0].message
        assert not ActualCost.objects.exists()
        assert "Nothing was imported" in response.content.decode()

    def test_a_project_manager_cannot_import_another_managers_costs(
        self, client, pm, project, others_project
    ):
        rows = good_rows() + [["PRJ-00002", "labour", f"{LAST_MONTH:%Y-%m}", "10", ""]]
        client.force_login(pm)
        response = client.post("/resources/costs/import/", {"file": csv_file(rows)})
        errors = response.context["result"].errors
        assert [(error.row, error.message) for error in errors] == [
            (5, "You may not record costs for project PRJ-00002.")
        ]
        assert not ActualCost.objects.exists()

    def test_the_pmo_imports_any_projects_costs(self, pmo, project, others_project):
        rows = good_rows() + good_rows("PRJ-00002")
        result = services.actual_costs_import(by=pmo, rows=rows)
        assert result.ok and result.created == 6
        assert [p.code for p in result.projects] == ["PRJ-00001", "PRJ-00002"]

    def test_a_spreadsheet_date_cell_counts_as_its_month(self, pm, project):
        workbook = openpyxl.Workbook()
        sheet = workbook.active
        sheet.append(["Project code", "Category", "Period", "Amount", "Note"])
        sheet.append(["PRJ-00001", "Labour", datetime.datetime(2026, 1, 17), 1500.25, None])
        sheet.append([])  # a blank row is skipped, and the rows after it keep their numbers
        sheet.append(["PRJ-00001", "Labour", "2026-01", 10, None])
        content = io.BytesIO()
        workbook.save(content)
        result = services.actual_costs_import_file(
            by=pm, name="costs.xlsx", content=content.getvalue()
        )
        assert [(error.row, error.message) for error in result.errors] == [
            (4, "Row 2 already gives this project, category and month.")
        ]

    def test_a_file_without_the_columns_says_which_are_missing(self, pm, project):
        content = b"code,amount\nPRJ-00001,12\n"
        result = services.actual_costs_import_file(by=pm, name="costs.csv", content=content)
        assert result.errors[0].row == 1
        assert "category, period" in result.errors[0].message

    def test_a_csv_with_semicolons_and_a_byte_order_mark_imports(self, pm, project):
        content = (
            f"\ufeffproject_code;category;period;amount\nPRJ-00001;labour;{LAST_MONTH:%Y-%m};5\n"
        )
        result = services.actual_costs_import_file(
            by=pm, name="costs.csv", content=content.encode()
        )
        assert result.ok and ActualCost.objects.get().amount == Decimal("5.00")

    def test_the_example_file_imports_as_it_is(self, client, pmo, project):
        client.force_login(pmo)
        response = client.get("/resources/costs/import/example.csv")
        assert response["Content-Type"].startswith("text/csv")
        content = b"".join(response)
        result = services.actual_costs_import_file(by=pmo, name="example.csv", content=content)
        assert result.ok and result.imported == 3


# --- forms: bad input ----------------------------------------------------------------------


class TestForms:
    def post(self, client, project, form, **fields):
        data = {"form": form, **{f"{form}-{name}": value for name, value in fields.items()}}
        return client.post(f"/resources/projects/{project.pk}/costs/", data)

    def test_a_budget_line_is_set_from_the_page(self, client, pm, project):
        client.force_login(pm)
        response = self.post(
            client, project, "budget", category="capital", period="2026-05", amount="1000"
        )
        assert response.status_code == 302
        assert BudgetLine.objects.get().period == D(2026, 5, 1)
        response = client.get(response["Location"])
        assert messages_of(response) == ["Budget for Capital in 2026-05 set."]

    @pytest.mark.parametrize(
        "fields, field, message",
        [
            ({"amount": "-5"}, "amount", "A budget cannot be negative."),
            ({"amount": "abc"}, "amount", "Enter a number."),
            ({"period": "2026-13"}, "period", "Enter a month as YYYY-MM, e.g. 2026-03."),
            ({"category": "travel"}, "category", "Select a valid choice."),
        ],
    )
    def test_a_bad_budget_line_is_refused_next_to_its_field(
        self, client, pm, project, fields, field, message
    ):
        client.force_login(pm)
        data = {"category": "labour", "period": "2026-05", "amount": "10", **fields}
        response = self.post(client, project, "budget", **data)
        assert response.status_code == 200
        assert message in str(response.context["budget_form"].errors[field])
        assert not BudgetLine.objects.exists()

    def test_an_actual_cost_for_a_later_month_is_refused_next_to_the_month(
        self, client, pm, project
    ):
        client.force_login(pm)
        response = self.post(
            client, project, "actual", category="labour", period=f"{NEXT_MONTH:%Y-%m}",
            amount="10", note="",
        )  # fmt: skip
        assert response.status_code == 200
        errors = response.context["actual_form"].errors["period"]
        assert "this month or an earlier one" in str(errors)
        assert "Nothing was saved" in response.content.decode()
        assert not ActualCost.objects.exists()

    def test_an_actual_cost_is_recorded_from_the_page(self, client, pm, project):
        client.force_login(pm)
        response = self.post(
            client, project, "actual", category="labour", period=f"{LAST_MONTH:%Y-%m}",
            amount="1234.56", note="Contractor",
        )  # fmt: skip
        assert response.status_code == 302
        assert ActualCost.objects.get().note == "Contractor"

    @pytest.mark.parametrize(
        "upload, message",
        [
            (None, "This field is required."),
            (SimpleUploadedFile("costs.pdf", b"%PDF"), "Upload a .csv or .xlsx file."),
        ],
    )
    def test_the_import_form_wants_a_csv_or_xlsx_file(self, client, pm, upload, message):
        client.force_login(pm)
        response = client.post("/resources/costs/import/", {"file": upload} if upload else {})
        assert message in str(response.context["form"].errors["file"])
        assert response.context["result"] is None

    def test_a_damaged_xlsx_is_refused(self, client, pm):
        client.force_login(pm)
        upload = SimpleUploadedFile("costs.xlsx", b"not a zip file")
        response = client.post("/resources/costs/import/", {"file": upload})
        assert response.context["result"].errors[0].message == "The file cannot be read as XLSX."


# --- the roll-up by department -------------------------------------------------------------


class TestRollup:
    @pytest.fixture
    def organisation(self, pm, project_type):
        """Two top-level departments; one has a sub-department with a project in US dollars
        (7 CNY each), the other a project in pounds, which have no exchange rate."""
        ExchangeRate.objects.create(currency="USD", rate=Decimal("7"))
        ops = DepartmentFactory(code="OPS", name="Operations")
        plant = DepartmentFactory(code="OPS-PL", name="Plant", parent=ops)
        sales = DepartmentFactory(code="SAL", name="Sales")

        def project(code, department, currency="CNY", budget="0"):
            return ProjectFactory(
                code=code, department=department, currency=currency, budget=Decimal(budget),
                manager=pm, project_type=project_type,
            )  # fmt: skip

        ops_project = project("OPS-1", ops)
        line(ops_project, LAST_MONTH, "100")
        line(ops_project, NEXT_MONTH, "50")
        actual(ops_project, LAST_MONTH, "120")  # EAC 120 + 50 = 170, variance 150 − 170 = −20
        plant_project = project("PL-1", plant, currency="USD")
        line(plant_project, LAST_MONTH, "10")
        actual(plant_project, LAST_MONTH, "4")  # USD: budget 10, EAC 4; in CNY 70 and 28
        project("SAL-1", sales, budget="1000")  # no lines: budget 1,000, EAC 1,000
        uk = project("SAL-UK", sales, currency="GBP", budget="500")
        actual(uk, LAST_MONTH, "10")  # no GBP rate: left out and counted
        return {"ops": ops, "plant": plant, "sales": sales}

    def test_top_level_departments_add_up_their_sub_departments_in_the_reporting_currency(
        self, organisation
    ):
        rows, total = department_rollup(Project.objects.all(), tree=DepartmentTree.load())
        ops, sales = rows
        assert ops.department == organisation["ops"]
        assert (ops.project_count, ops.budget, ops.actual) == (2, Decimal(220), Decimal(148))
        assert (ops.eac, ops.variance) == (Decimal(198), Decimal(22))  # 170 + 28; 220 − 198
        assert [(row.department.code, row.budget, row.depth) for row in ops.sub_rows] == [
            ("OPS", Decimal(150), 0),
            ("OPS-PL", Decimal(70), 1),
        ]
        assert (sales.budget, sales.eac, sales.unconverted) == (Decimal(1000), Decimal(1000), 1)
        assert (total.project_count, total.budget, total.actual) == (4, 1220, 148)
        assert (total.eac, total.variance, total.unconverted) == (1198, 22, 1)

    def test_the_page_shows_departments_totals_and_sub_departments_on_request(
        self, client, executive, organisation
    ):
        client.force_login(executive)
        content = client.get("/resources/costs/").content.decode()
        assert "Operations" in content and "Plant" not in content
        assert "1,220.00" in content  # the total budget
        assert "1 project is left out of these figures" in content
        content = client.get("/resources/costs/?sub_departments=on").content.decode()
        assert "Plant" in content
        assert f'href="/resources/costs/departments/{organisation["plant"].pk}/"' in content

    def test_open_projects_only_leaves_closed_ones_out(self, client, executive, organisation):
        Project.objects.filter(code="SAL-1").update(status=Project.Status.CLOSED)
        client.force_login(executive)
        response = client.get("/resources/costs/?open_only=on")
        assert response.context["total"].budget == Decimal(220)

    def test_a_departments_page_lists_its_and_its_sub_departments_projects(
        self, client, executive, organisation
    ):
        client.force_login(executive)
        response = client.get(f"/resources/costs/departments/{organisation['ops'].pk}/")
        projects = list(response.context["projects"])
        assert [p.code for p in projects] == ["OPS-1", "PL-1"]  # largest overrun first
        assert projects[0].cost_variance == Decimal(-20)
        assert response.context["totals"].eac == Decimal(198)
        content = response.content.decode()
        assert "Overrun" in content and "-20.00 CNY" in content and "6.00 USD" in content

    def test_an_unknown_department_is_not_found(self, client, executive):
        client.force_login(executive)
        assert client.get("/resources/costs/departments/999999/").status_code == 404

    @staticmethod
    def queries_of(client, url) -> int:
        client.get(url)  # caches warmed
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    def test_query_counts_are_the_same_at_3_and_30_projects(self, client, pmo, pm, project_type):
        ExchangeRate.objects.create(currency="USD", rate=Decimal("7"))
        top = DepartmentFactory(code="TOP")
        departments = [top, DepartmentFactory(code="TOP-A", parent=top), DepartmentFactory()]
        urls = [
            "/resources/costs/",
            "/resources/costs/?sub_departments=on&open_only=on",
            f"/resources/costs/departments/{top.pk}/",
            f"/resources/costs/departments/{top.pk}/?sort=spent&open_only=on",
        ]
        client.force_login(pmo)
        counts = {}
        for total in (3, 30):
            projects = [
                ProjectFactory(
                    manager=pm, project_type=project_type, department=departments[n % 3],
                    currency=["CNY", "USD"][n % 2],
                )
                for n in range(total - Project.objects.count())
            ]  # fmt: skip
            BudgetLine.objects.bulk_create(
                BudgetLine(project=p, category="labour", period=LAST_MONTH, amount=10)
                for p in projects
            )
            ActualCost.objects.bulk_create(
                ActualCost(project=p, category="labour", period=LAST_MONTH, amount=9)
                for p in projects
            )
            counts[total] = [self.queries_of(client, url) for url in urls]
        assert counts[3] == counts[30]
        assert max(counts[30]) <= 10, counts  # session, user, permissions, tree, figures, page

    def test_the_project_page_query_count_is_the_same_at_3_and_30_months(self, client, pm, project):
        client.force_login(pm)
        url = f"/resources/projects/{project.pk}/costs/"
        counts = {}
        for months in (3, 30):
            periods = [
                (LAST_MONTH - datetime.timedelta(days=31 * n)).replace(day=1)
                for n in range(BudgetLine.objects.count() // 2, months)
            ]
            for category in ("labour", "capital"):
                BudgetLine.objects.bulk_create(
                    BudgetLine(project=project, category=category, period=period, amount=10)
                    for period in periods
                )
                ActualCost.objects.bulk_create(
                    ActualCost(project=project, category=category, period=period, amount=9)
                    for period in periods
                )
            counts[months] = self.queries_of(client, url)
            assert len(client.get(url).context["table"].months) == months
        assert counts[3] == counts[30] <= 10, counts

    def test_figures_agree_between_the_project_and_the_roll_up(self, organisation):
        project = Project.objects.get(code="OPS-1")
        figures = with_cost_figures(Project.objects.filter(pk=project.pk)).get()
        rows, _total = department_rollup(
            Project.objects.filter(pk=project.pk), tree=DepartmentTree.load()
        )
        assert (rows[0].budget, rows[0].eac) == (figures.cost_budget, figures.cost_eac)


# --- permissions ---------------------------------------------------------------------------


class TestPermissions:
    def test_every_cost_page_is_in_the_matrix(self):
        patterns = set(resolver_patterns(cost_urls.urlpatterns, "resources/"))
        assert patterns == set(PATTERN_ROWS)
        assert set(PATTERN_ROWS.values()) <= set(MATRIX)

    @pytest.mark.parametrize("url_template", list(MATRIX))
    @pytest.mark.parametrize("persona", PERSONAS)
    def test_each_persona_gets_the_expected_status(
        self, client, request, project, others_project, url_template, persona
    ):
        check_page(
            client, request, MATRIX, url_template, persona, own=project.pk,
            other=others_project.pk, department=project.department_id,
        )  # fmt: skip

    @pytest.mark.parametrize(("url_template", "persona"), refused(MATRIX))
    def test_a_persona_refused_a_page_is_refused_by_post_too(
        self, client, request, project, others_project, url_template, persona
    ):
        check_refused_post(
            client, request, MATRIX, url_template, persona, own=project.pk,
            other=others_project.pk, department=project.department_id,
        )  # fmt: skip

    # persona -> may set costs on (own project, another manager's project)
    MANAGERS = {
        "executive": (False, False),
        "pm": (True, False),
        "pmo": (True, True),
        "resource_manager": (True, True),
        "pmo_admin": (True, True),
    }

    @pytest.mark.parametrize("persona", list(MANAGERS))
    def test_only_those_who_manage_costs_see_and_use_the_forms(
        self, client, request, project, others_project, persona
    ):
        client.force_login(request.getfixturevalue(persona))
        for target, allowed in zip((project, others_project), self.MANAGERS[persona], strict=True):
            url = f"/resources/projects/{target.pk}/costs/"
            page = client.get(url)
            assert ("budget_form" in page.context) is allowed
            response = client.post(
                url,
                {"form": "budget", "budget-category": "labour", "budget-period": "2026-05",
                 "budget-amount": "10"},
            )  # fmt: skip
            assert response.status_code == (302 if allowed else 403)
            assert BudgetLine.objects.filter(project=target).exists() is allowed

    def test_an_executive_cannot_import(self, client, executive, project):
        client.force_login(executive)
        response = client.post("/resources/costs/import/", {"file": csv_file(good_rows())})
        assert response.status_code == 403
        assert not ActualCost.objects.exists()


def test_imported_costs_show_on_the_dashboard_at_once(client, pmo, project):
    client.force_login(pmo)
    assert client.get("/").context["costs"].actual == 0  # the dashboard's figures are cached

    assert services.actual_costs_import(by=pmo, rows=good_rows()).ok

    assert client.get("/").context["costs"].actual == Decimal("1480.50")
