"""`manage.py bench_reports_pdf`: how long the portfolio executive summary takes to render for
the whole organisation (appendix included) and the memory it takes, at the current data;
after `seed_demo --size large` that is 5,000 projects. Targets: under 10 s and 300 MB.

The report is rendered three times: the first run is timed with the Chinese font still to load
and the figure caches empty, the second as a worker that has rendered before would run it
(wall clock, the share spent waiting for the database, and this process's CPU time, which
other work on a busy machine does not inflate); the third under tracemalloc for the peak
memory of the Python objects (tracemalloc slows Python down, so it is not timed), beside the
growth of the process's peak resident size.
"""

import resource
import time
import tracemalloc
from dataclasses import dataclass

from dateutil.relativedelta import relativedelta
from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.utils import timezone

from projects.models import OPEN_STATUSES, Project
from reports.pdf import REPORT_TYPES, ReportScope, render

TARGET_SECONDS = 10.0
TARGET_MB = 300


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


@dataclass
class Run:
    report: object
    seconds: float
    cpu_seconds: float
    sql_seconds: float
    queries: int


class Command(BaseCommand):
    help = (
        "Time a PDF report (by default the portfolio executive summary) for the whole "
        f"organisation and measure its peak memory. Targets: {TARGET_SECONDS:.0f} s and "
        f"{TARGET_MB} MB."
    )

    def add_arguments(self, parser):
        parser.add_argument("--type", dest="report_type", default="executive_summary",
                            choices=[value for value, _label in REPORT_TYPES])  # fmt: skip
        parser.add_argument("--language", default="en", choices=["en", "zh-hans"])
        parser.add_argument("--output", help="Also write the PDF to this file.")
        parser.add_argument(
            "--strict", action="store_true", help="Exit with an error when a target is missed."
        )

    def timed(self, report_type: str, arguments: dict) -> Run:
        """Render once, timing the whole (wall clock and CPU) and the database's share."""
        sql = {"seconds": 0.0, "queries": 0}

        def measure(execute, *args):
            started = time.perf_counter()
            try:
                return execute(*args)
            finally:
                sql["seconds"] += time.perf_counter() - started
                sql["queries"] += 1

        started, cpu = time.perf_counter(), time.process_time()
        with connection.execute_wrapper(measure):
            report = render(report_type, **arguments)
        return Run(report, time.perf_counter() - started, time.process_time() - cpu,
                   sql["seconds"], sql["queries"])  # fmt: skip

    def handle(self, *args, report_type, language, output, strict, **options):
        today = timezone.localdate()
        arguments = {
            "language": language,
            "scope": ReportScope(),
            "period_end": today,
            "previous_period_end": today - relativedelta(months=1),
        }
        self.stdout.write(f"Database: {connection.vendor}")
        self.stdout.write(
            f"Projects: {Project.objects.count():,} "
            f"({Project.objects.filter(status__in=OPEN_STATUSES).count():,} open)"
        )
        rss_before = peak_rss_mb()
        cold = self.timed(report_type, arguments)
        warm = self.timed(report_type, arguments)
        report = warm.report
        rss_growth = peak_rss_mb() - rss_before

        tracemalloc.start()
        render(report_type, **arguments)
        _current, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        traced_mb = peak / 2**20

        if output:
            with open(output, "wb") as file:
                file.write(report.content)
        self.stdout.write(
            f"{report.title} ({language}): {report.pages:,} pages, "
            f"{len(report.content) / 2**20:.1f} MB, {warm.queries} queries"
        )
        for name, run in (("first run (font loaded, caches empty)", cold),
                          ("second run", warm)):  # fmt: skip
            self.stdout.write(
                f"Time, {name}: {run.seconds:.2f} s (target < {TARGET_SECONDS:.0f} s); of "
                f"which in SQL execute calls {run.sql_seconds:.2f} s; this process's CPU "
                f"time {run.cpu_seconds:.2f} s"
            )
        seconds = cold.seconds
        self.stdout.write(
            f"Peak memory: {traced_mb:.0f} MB of Python objects (tracemalloc); the process's "
            f"peak resident size grew {rss_growth:.0f} MB to {peak_rss_mb():.0f} MB "
            f"(target < {TARGET_MB} MB)"
        )
        missed = seconds >= TARGET_SECONDS or max(traced_mb, rss_growth) >= TARGET_MB
        style = self.style.WARNING if missed else self.style.SUCCESS
        self.stdout.write(style("target missed" if missed else "targets met"))
        if missed and strict:
            raise CommandError("The report missed its targets.")
