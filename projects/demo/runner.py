"""Demo data: a realistic organisation for `manage.py seed_demo`, the same for the same seed.

The data is made by steps. This module holds the runner; the steps live beside it, one module
per concern (`register`, `standards`, `lifecycles`, `changes`, `meetings`). Another area adds its
own data by defining `DEMO_STEPS` in its own `demo` module (e.g. `resources/demo.py`); the command
runs every area's steps in the order of INSTALLED_APPS, which is also the order of dependency,
and flushes them in reverse.

Every random choice comes from a `random.Random` seeded from the seed and the step's name, so a
step draws the same values whatever steps run before it. Dates are relative to today.
"""

import datetime
import importlib
import io
import random
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from importlib.util import find_spec
from pathlib import Path
from xml.sax.saxutils import escape

from django.apps import apps
from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.core.files.base import ContentFile
from django.test.utils import override_settings
from django.utils import timezone
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import getSampleStyleSheet
from reportlab.platypus import Paragraph, SimpleDocTemplate
from simple_history.utils import bulk_create_with_history

from ..models import (
    Department,
    GateSubmission,
    LifecycleTemplate,
    Project,
    ProjectPhase,
    ProjectType,
    Tag,
    TemplateChecklistItem,
    TemplatePhase,
)

SIZES = ("small", "large")
BATCH_SIZE = 2000
DEMO_PASSWORD = "demo"
# Marks the users the demo made, so that --flush removes them and nobody else.
DEMO_EMAIL_DOMAIN = "example.com"


@dataclass
class DemoContext:
    """What the steps made so far, for the steps after them, and the counts for the summary."""

    size: str
    today: datetime.date
    password_hash: str
    admin: object = None
    logins: dict = field(default_factory=dict)
    managers: list = field(default_factory=list)
    sponsors: list = field(default_factory=list)
    departments: list[Department] = field(default_factory=list)
    project_types: list[ProjectType] = field(default_factory=list)
    tags: list[Tag] = field(default_factory=list)
    projects: list[Project] = field(default_factory=list)
    # The standards: published templates by methodology key ("waterfall", "agile", ...) and
    # the older waterfall version; each template's phases, each phase's checklist.
    templates: dict[str, LifecycleTemplate] = field(default_factory=dict)
    template_phases: dict[int, list[TemplatePhase]] = field(default_factory=dict)
    template_checklists: dict[int, list[TemplateChecklistItem]] = field(default_factory=dict)
    # Each project's phases by project pk, and every gate submission (with its phase, project
    # and decision cached on it).
    project_phases: dict[int, list[ProjectPhase]] = field(default_factory=dict)
    gate_submissions: list[GateSubmission] = field(default_factory=list)
    summary: dict[str, int] = field(default_factory=dict)


@dataclass(frozen=True)
class DemoStep:
    """One part of the demo data: `seed` adds it, `flush` removes it (and its history)."""

    name: str
    seed: Callable[[DemoContext, random.Random], None]
    flush: Callable[[], None]


def discover_demo_steps() -> list[DemoStep]:
    """The `DEMO_STEPS` of every project app's `demo` module, in INSTALLED_APPS order."""
    steps = []
    for app_config in apps.get_app_configs():
        if Path(app_config.path).parent != Path(settings.BASE_DIR):
            continue  # only the project's own apps; a third-party `demo` module is not ours
        module_name = f"{app_config.name}.demo"
        if find_spec(module_name) is None:
            continue
        steps.extend(getattr(importlib.import_module(module_name), "DEMO_STEPS", []))
    return steps


def flush_demo_data(steps: list[DemoStep]) -> None:
    """Remove what the steps make, last step first, so nothing is protected by what remains."""
    # The history of the removed rows goes too; recording their deletion would be thrown away.
    with override_settings(SIMPLE_HISTORY_ENABLED=False):
        for step in reversed(steps):
            step.flush()


def seed_demo_data(steps: list[DemoStep], *, size: str, seed: int) -> DemoContext:
    """Run every step; the caller wraps this in a transaction."""
    if size not in SIZES:
        raise ValueError(f"size must be one of {SIZES}, not {size!r}")
    context = DemoContext(
        size=size, today=timezone.localdate(), password_hash=make_password(DEMO_PASSWORD)
    )
    for step in steps:
        step.seed(context, random.Random(f"{seed}:{step.name}"))
    return context


# --- helpers for the steps ----------------------------------------------------------------


def days(number: int) -> datetime.timedelta:
    return datetime.timedelta(days=number)


def weighted(rng: random.Random, weights: dict):
    """One key of `weights`, drawn with the probabilities its values give."""
    return rng.choices(list(weights), weights=list(weights.values()))[0]


def chunks(items: list, size: int = BATCH_SIZE) -> Iterator[list]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def slug(text: str) -> str:
    """ "Project charter signed by the sponsor" → "project-charter-signed-by-the-sponsor"."""
    return "-".join("".join(c if c.isalnum() else " " for c in text.lower()).split())


def moment(rng: random.Random, day: datetime.date) -> datetime.datetime:
    """A time in office hours on `day`, in the portal's time zone."""
    return at(day, rng.randint(8, 17), rng.randrange(0, 60, 5))


def at(day: datetime.date, hour: int, minute: int = 0) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, minute)))


def between(
    rng: random.Random, start: datetime.datetime, end: datetime.datetime
) -> datetime.datetime:
    """A moment in office hours from `start` to `end` (`start` when there is no room)."""
    if end <= start:
        return start
    day = start.date() + days(rng.randint(0, (end.date() - start.date()).days))
    return min(max(moment(rng, day), start), end)


def create_with_history(model, objs: list, *, default_user, dated: tuple[str, ...] = ()) -> list:
    """`bulk_create_with_history`, in batches; objects may carry `_history_user`/`_history_date`.

    `dated` names auto_now(_add) fields: bulk_create sets them to now, so they are put back to
    the past dates the demo chose before the history records are written.
    """
    if not dated:
        return bulk_create_with_history(
            objs, model, batch_size=BATCH_SIZE, default_user=default_user
        )
    chosen = [[getattr(obj, name) for name in dated] for obj in objs]
    created = model.objects.bulk_create(objs, batch_size=BATCH_SIZE)
    for obj, values in zip(created, chosen, strict=True):
        for name, value in zip(dated, values, strict=True):
            setattr(obj, name, value)
    model.objects.bulk_update(created, dated, batch_size=BATCH_SIZE)
    model.history.bulk_history_create(created, batch_size=BATCH_SIZE, default_user=default_user)
    return created


def demo_pdf(title: str, paragraphs: list[str]) -> ContentFile:
    """A small PDF with a title and paragraphs, made in memory, the same bytes every time."""
    styles = getSampleStyleSheet()
    buffer = io.BytesIO()
    document = SimpleDocTemplate(buffer, pagesize=A4, title=title, invariant=True)
    document.build(
        [Paragraph(escape(title), styles["Title"])]
        + [
            Paragraph(escape(text).replace("\n", "<br/>"), styles["BodyText"])
            for text in paragraphs
        ]
    )
    return ContentFile(buffer.getvalue())
