"""`manage.py seed_demo --size small|large`: fill the database with a demo organisation."""

import time

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from projects import demo
from projects.models import Project


class Command(BaseCommand):
    help = (
        "Fill the database with a realistic demo organisation: users in every role, "
        "departments, project types and projects, with the PMO's standards and lifecycles, "
        "gates, baselines, change requests, milestones and review meetings. The same seed gives "
        "the same data."
    )

    def add_arguments(self, parser):
        parser.add_argument("--size", choices=demo.SIZES, default="small")
        parser.add_argument("--seed", type=int, default=42)
        existing_data = parser.add_mutually_exclusive_group()
        existing_data.add_argument(
            "--if-empty",
            action="store_true",
            help="Do nothing when there are projects already (for start-up scripts).",
        )
        existing_data.add_argument(
            "--flush",
            action="store_true",
            help=(
                "Delete the projects and their governance records, the standards and lifecycles, "
                "departments, project types, tags and demo users first."
            ),
        )

    def handle(self, *args, size, seed, if_empty, flush, **options):
        if Project.objects.exists() and not flush:
            if if_empty:
                self.stdout.write("There are projects already; no demo data was added.")
                return
            raise CommandError(
                "There are projects already. Use --flush to replace them with demo data, "
                "or --if-empty to leave them alone."
            )

        steps = demo.discover_demo_steps()
        started = time.perf_counter()
        with transaction.atomic():
            if flush:
                demo.flush_demo_data(steps)
            context = demo.seed_demo_data(steps, size=size, seed=seed)
        elapsed = time.perf_counter() - started

        counts = ", ".join(f"{count:,} {what}" for what, count in context.summary.items())
        self.stdout.write(
            self.style.SUCCESS(f"Seeded {size} demo data (seed {seed}) in {elapsed:.1f} s:")
        )
        self.stdout.write(f"  {counts}")
        logins = ", ".join(
            f"{username} ({role.label})" for username, _first, _last, role in demo.DEMO_LOGINS
        )
        self.stdout.write(f'  Logins, password "{demo.DEMO_PASSWORD}": {logins}')
