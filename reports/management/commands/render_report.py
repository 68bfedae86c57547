"""`manage.py render_report --output FILE`: render a report for the current data into a PDF
file, without sending it to anyone."""

import datetime
from pathlib import Path

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from reports.pdf import REPORT_TYPES, ReportScope, render
from reports.pdf.fonts import FontMissing


def _date(value: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(value)
    except ValueError as error:
        raise CommandError(f"{value!r} is not a date (YYYY-MM-DD).") from error


class Command(BaseCommand):
    help = (
        "Render a report (by default the portfolio executive summary, in English) for the "
        "current data into a PDF file, without sending it."
    )

    def add_arguments(self, parser):
        parser.add_argument("--output", required=True, help="The PDF file to write.")
        parser.add_argument(
            "--type", dest="report_type", default="executive_summary",
            choices=[value for value, _label in REPORT_TYPES],
        )  # fmt: skip
        parser.add_argument(
            "--language", default="en", choices=[code for code, _name in settings.LANGUAGES]
        )
        parser.add_argument(
            "--period-end", help="The last day the report covers (YYYY-MM-DD); default today."
        )
        parser.add_argument(
            "--previous-period-end",
            help="The end of the previous report's period, to show what changed since "
            "(YYYY-MM-DD); default a month before --period-end. 'none' for a first report.",
        )
        for name, what in (("portfolio", "portfolio"), ("department", "department"),
                           ("project", "project")):  # fmt: skip
            parser.add_argument(
                f"--{name}", type=int, action="append", default=[], metavar="ID",
                help=f"Only this {what} (repeat for several).",
            )  # fmt: skip

    def handle(self, *args, output, report_type, language, period_end, previous_period_end,
               portfolio, department, project, **options):  # fmt: skip
        end = _date(period_end) if period_end else timezone.localdate()
        if previous_period_end and previous_period_end.lower() == "none":
            previous = None
        elif previous_period_end:
            previous = _date(previous_period_end)
        else:
            previous = end - relativedelta(months=1)
        scope = ReportScope(portfolio_ids=portfolio, department_ids=department,
                            project_ids=project)  # fmt: skip
        try:
            report = render(report_type, language=language, scope=scope, period_end=end,
                            previous_period_end=previous)  # fmt: skip
        except (ValueError, FontMissing) as error:
            raise CommandError(str(error)) from error
        path = Path(output)
        path.write_bytes(report.content)
        self.stdout.write(f"{path}: {report.title}, {report.pages} pages, "
                          f"{len(report.content):,} bytes")  # fmt: skip
