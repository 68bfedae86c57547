"""`manage.py bench`: server time and SQL queries of the key pages at the current data.

Requests go through Django's test client in this process, as the demo user `pmo`, so the
figures are the server's own work (middleware, views, templates, database) without network or
browser. Run it against the database to measure, e.g. after `seed_demo --size large`.
"""

import math
import time
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.db.models import Count
from django.http.request import validate_host
from django.test import Client
from django.test.utils import override_settings

from portfolio.models import Scenario
from projects.models import Department, Project
from reports.models import StatusReport

MAX_QUERIES = 25
MAX_P95_MS = 200
BENCH_USERNAME = "pmo"


@dataclass
class PageResult:
    name: str
    url: str
    status: int
    queries: int
    p50_ms: float
    p95_ms: float

    @property
    def misses(self) -> list[str]:
        """Why this page misses its targets; empty when it meets them."""
        reasons = []
        if self.status != 200:
            reasons.append(f"status {self.status}")
        if self.queries > MAX_QUERIES:
            reasons.append(f"{self.queries} queries > {MAX_QUERIES}")
        if self.p95_ms > MAX_P95_MS:
            reasons.append(f"p95 {self.p95_ms:.0f} ms > {MAX_P95_MS} ms")
        return reasons


def percentile(values: list[float], percent: float) -> float:
    """Nearest-rank percentile: the smallest value with `percent`% of the values at or below."""
    ordered = sorted(values)
    rank = max(1, math.ceil(percent / 100 * len(ordered)))
    return ordered[rank - 1]


def _ms(value: float) -> str:
    return "-" if math.isnan(value) else f"{value:.1f}"


class Command(BaseCommand):
    help = (
        f"Time the key pages as the demo user '{BENCH_USERNAME}': status, SQL queries, p50 and "
        f"p95 server time. Targets: at most {MAX_QUERIES} queries and p95 {MAX_P95_MS} ms."
    )

    def add_arguments(self, parser):
        parser.add_argument("--requests", type=int, default=30, help="Timed requests per page.")
        parser.add_argument(
            "--seed-if-empty",
            action="store_true",
            help="Run `seed_demo --size large` first when there are no projects.",
        )
        parser.add_argument(
            "--strict", action="store_true", help="Exit with an error when a page misses a target."
        )
        parser.add_argument(
            "--only", default="", help="Time only the pages whose name contains this text."
        )

    def handle(self, *args, requests, seed_if_empty, strict, only, **options):
        if requests < 1:
            raise CommandError("--requests must be at least 1.")
        if seed_if_empty and not Project.objects.exists():
            call_command("seed_demo", size="large", stdout=self.stdout, stderr=self.stderr)
        user = get_user_model().objects.filter(username=BENCH_USERNAME).first()
        if user is None:
            raise CommandError(
                f"There is no user '{BENCH_USERNAME}'. Run `manage.py seed_demo` first."
            )

        self.stdout.write(f"Database: {connection.vendor}")
        self.stdout.write(f"Projects: {Project.objects.count():,}")
        self.stdout.write(f"Requests per page: {requests} (after one warm-up), as '{user}'")

        # The test client's host must pass ALLOWED_HOSTS, whatever this deployment allows.
        host = "localhost"
        hosts = settings.ALLOWED_HOSTS
        if not validate_host(host, hosts):
            hosts = [*hosts, host]
        with override_settings(ALLOWED_HOSTS=hosts):
            # HTTPS, so that SECURE_SSL_REDIRECT (on when DEBUG is off) does not answer 301.
            client = Client(HTTP_HOST=host, raise_request_exception=False)
            client.force_login(user)
            pages = [(name, url) for name, url in self.pages() if only in name]
            results = [self.measure(client, name, url, requests) for name, url in pages]

        self.print_table(results)
        missed = [result for result in results if result.misses]
        if missed and strict:
            raise CommandError(f"{len(missed)} of {len(results)} pages missed their targets.")

    def pages(self) -> list[tuple[str, str]]:
        # The busiest department and a project in the middle of the register, so the filtered
        # list and the detail page show typical data rather than the first row's.
        department = (
            Department.objects.annotate(project_count=Count("projects"))
            .order_by("-project_count", "code")
            .first()
        )
        project_ids = Project.objects.order_by("code").values_list("pk", flat=True)
        count = project_ids.count()
        project_id = project_ids[count // 2] if count else 0
        department_id = department.pk if department else ""
        on_lifecycle = (
            Project.objects.filter(current_phase__isnull=False)
            .order_by("code")
            .values_list("pk", flat=True)
        )
        lifecycle_id = on_lifecycle[on_lifecycle.count() // 2] if on_lifecycle.exists() else 0
        # The committed scenario of the demo, the one with a frontier: the fullest page.
        scenario = Scenario.objects.order_by("-frontier_at", "pk").values_list("pk", flat=True)
        scenario_id = scenario.first() or 0
        # The latest report of that project, reviewed or not: a typical report page.
        report_id = (
            StatusReport.objects.filter(project_id=project_id)
            .order_by("-month", "-pk")
            .values_list("pk", flat=True)
            .first()
            or 0
        )
        return [
            ("home", "/"),
            ("project list", "/projects/"),
            ("project list, filtered", f"/projects/?status=active&department={department_id}&q=a"),
            ("project list, sorted, page 3", "/projects/?sort=-budget&page=3"),
            ("project detail", f"/projects/{project_id}/"),
            ("project lifecycle", f"/projects/{lifecycle_id}/lifecycle/"),
            ("lifecycle templates", "/projects/lifecycles/"),
            ("gate reviews awaiting", "/projects/gates/"),
            ("change requests awaiting", "/projects/changes/"),
            ("review meetings", "/projects/meetings/"),
            ("my actions", "/projects/my-actions/"),
            ("compliance", "/projects/compliance/"),
            ("compliance, one department", f"/projects/compliance/?department={department_id}"),
            ("people", "/resources/people/"),
            ("resource requests", "/resources/requests/"),
            ("capacity by role", "/resources/capacity/roles/"),
            ("capacity by role, pipeline", "/resources/capacity/roles/?pipeline=on"),
            ("utilisation by person", "/resources/capacity/people/"),
            ("utilisation by person, weeks", "/resources/capacity/people/?scale=week&page=3"),
            ("utilisation against target", "/resources/utilisation/"),
            ("cost roll-up", "/resources/costs/"),
            ("department costs", f"/resources/costs/departments/{department_id}/"),
            ("project costs", f"/resources/projects/{project_id}/costs/"),
            ("risk register", "/risks/"),
            ("risk register, filtered", f"/risks/?department={department_id}&level=high&q=a"),
            ("risk register, sorted, page 3", "/risks/?sort=-emv&page=3"),
            ("risk heat map", "/risks/heat-map/"),
            ("risk heat map, inherent", "/risks/heat-map/?view=inherent&kind=threat"),
            ("risk roll-up by category", "/risks/roll-up/?by=category"),
            ("risk roll-up by department", "/risks/roll-up/?by=department"),
            ("risk roll-up by portfolio", "/risks/roll-up/?by=portfolio"),
            ("risk exposure over time", "/risks/exposure/"),
            ("risk reviews due", "/risks/reviews/"),
            ("risk reviews due, everyone", "/risks/reviews/?all=1"),
            ("portfolio dashboard", "/portfolio/"),
            ("portfolio ranking", "/portfolio/ranking/"),
            ("portfolio ranking, by score, page 3", "/portfolio/ranking/?sort=-rank&page=3"),
            ("portfolio scenario", f"/portfolio/scenarios/{scenario_id}/"),
            ("dashboard, one department", f"/?department={department_id}"),
            ("status reports", "/reports/"),
            ("status reports, latest red", "/reports/?latest=on&rag=red"),
            ("status report", f"/reports/{report_id}/"),
            ("project status and S-curve", f"/reports/projects/{project_id}/"),
            ("projects needing attention", "/reports/attention/"),
            ("projects needing attention, late, page 3", "/reports/attention/?reason=late&page=3"),
            ("milestones slipped", "/reports/milestones/?which=slipped"),
            ("PMO effectiveness", "/reports/effectiveness/"),
            ("executive reports archive", "/reports/executive/"),
            ("executive reports archive, failed", "/reports/executive/?state=failed"),
            ("my report subscriptions", "/reports/executive/subscriptions/"),
        ]

    def measure(self, client: Client, name: str, url: str, requests: int) -> PageResult:
        warm_up = client.get(url, secure=True)  # templates, caches, connection
        if warm_up.status_code >= 500:  # timing a broken page tells nothing (and logs a lot)
            return PageResult(name, url, warm_up.status_code, 0, math.nan, math.nan)
        # Count what the database executes, whatever DEBUG says about logging queries.
        queries = []
        with connection.execute_wrapper(
            lambda execute, sql, *args: queries.append(sql) or execute(sql, *args)
        ):
            response = client.get(url, secure=True)
        timings = []
        for _ in range(requests):
            started = time.perf_counter()
            client.get(url, secure=True)
            timings.append((time.perf_counter() - started) * 1000)
        return PageResult(
            name=name,
            url=url,
            status=response.status_code,
            queries=len(queries),
            p50_ms=percentile(timings, 50),
            p95_ms=percentile(timings, 95),
        )

    def print_table(self, results: list[PageResult]) -> None:
        name_width = max(len(result.name) for result in results)
        url_width = max(len(result.url) for result in results)
        header = (
            f"{'page':<{name_width}}  {'url':<{url_width}}  status  queries  "
            f"{'p50 ms':>7}  {'p95 ms':>7}"
        )
        self.stdout.write("")
        self.stdout.write(header)
        self.stdout.write("-" * len(header))
        for result in results:
            line = (
                f"{result.name:<{name_width}}  {result.url:<{url_width}}  {result.status:>6}  "
                f"{result.queries:>7}  {_ms(result.p50_ms):>7}  {_ms(result.p95_ms):>7}"
            )
            if result.misses:
                self.stdout.write(
                    self.style.WARNING(f"{line}  target missed: {', '.join(result.misses)}")
                )
            else:
                self.stdout.write(line)
