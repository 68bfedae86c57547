"""The project register's demo data: users in every role, departments, project types, tags and
projects in every status."""

import math
import random
import re
from collections import Counter
from datetime import date
from decimal import Decimal
from itertools import accumulate
from string import Formatter

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from simple_history.utils import bulk_create_with_history

from pmo_portal.models import UserSettings
from pmo_portal.roles import Role

from ..models import Currency, Department, ExchangeRate, Project, ProjectType, Tag
from .names import (
    CHINESE_FAMILY_NAMES,
    CHINESE_GIVEN_NAMES,
    DESCRIPTION_TEMPLATES,
    DIVISIONS,
    ENGLISH_FIRST_NAMES,
    ENGLISH_LAST_NAMES,
    NAME_SLOTS,
    NAME_TEMPLATES,
    REGIONS,
)
from .runner import BATCH_SIZE, DEMO_EMAIL_DOMAIN, DemoContext, DemoStep, chunks, days, weighted

User = get_user_model()


# --- people -------------------------------------------------------------------------------

# username, first name, last name, role
DEMO_LOGINS = [
    ("admin", "Daniel", "Hughes", Role.PMO_ADMIN),
    ("pmo", "Paula", "Ortiz", Role.PMO_ANALYST),
    ("pm", "Wei", "Li", Role.PROJECT_MANAGER),
    ("resource", "Sarah", "Thompson", Role.RESOURCE_MANAGER),
    ("exec", "Jing", "Chen", Role.EXECUTIVE),
]

PEOPLE_COUNTS = {  # size: (project managers, sponsors), besides the demo logins
    "small": (12, 5),
    "large": (400, 60),
}


def _invent_people(rng: random.Random, count: int, taken: set[str]) -> list[tuple[str, str, str]]:
    """`count` new (username, first_name, last_name); usernames are added to `taken`.

    About a third are written in Chinese characters. Those keep the whole name, family name
    first, in first_name: Django's get_full_name() puts first before last, which would print
    "芳 王" for 王芳.
    """
    people = []
    for _ in range(count):
        style = rng.random()
        if style < 0.4:
            first, last = rng.choice(ENGLISH_FIRST_NAMES), rng.choice(ENGLISH_LAST_NAMES)
            handle = f"{first}.{last}"
        else:
            family_zh, family_pinyin = rng.choice(CHINESE_FAMILY_NAMES)
            given_zh, given_pinyin = rng.choice(CHINESE_GIVEN_NAMES)
            handle = f"{given_pinyin}.{family_pinyin}"
            if style < 0.7:
                first, last = given_pinyin, family_pinyin
            else:
                first, last = family_zh + given_zh, ""
        base = re.sub(r"[^a-z.]", "", handle.lower().replace("ü", "u"))
        username, number = base, 1
        while username in taken:
            number += 1
            username = f"{base}{number}"
        taken.add(username)
        people.append((username, first, last))
    return people


def seed_users(context: DemoContext, rng: random.Random) -> None:
    """The demo logins, project managers and sponsors, each in their role's group."""
    managers_count, sponsors_count = PEOPLE_COUNTS[context.size]
    existing = User.objects.in_bulk(field_name="username")
    taken = set(existing) | {username for username, *_ in DEMO_LOGINS}
    managers = _invent_people(rng, managers_count, taken)
    sponsors = _invent_people(rng, sponsors_count, taken)

    wanted = [(username, first, last, role) for username, first, last, role in DEMO_LOGINS]
    wanted += [(username, first, last, Role.PROJECT_MANAGER) for username, first, last in managers]
    wanted += [(username, first, last, Role.EXECUTIVE) for username, first, last in sponsors]

    new_users = [
        User(
            username=username,
            first_name=first,
            last_name=last,
            email=f"{username}@{DEMO_EMAIL_DOMAIN}",
            password=context.password_hash,
            is_staff=username == "admin",
            is_superuser=username == "admin",
        )
        for username, first, last, _role in wanted
        if username not in existing
    ]
    created = User.objects.bulk_create(new_users, batch_size=BATCH_SIZE)
    users = {**existing, **{user.username: user for user in created}}

    groups = Group.objects.in_bulk(field_name="name")
    Membership = User.groups.through
    Membership.objects.bulk_create(
        [
            Membership(user_id=users[username].pk, group_id=groups[role].pk)
            for username, _first, _last, role in wanted
        ],
        batch_size=BATCH_SIZE,
        ignore_conflicts=True,
    )

    context.logins = {username: users[username] for username, *_ in DEMO_LOGINS}
    context.admin = context.logins["admin"]
    context.managers = [users[username] for username, _first, _last in managers]
    context.sponsors = [context.logins["exec"]] + [users[u] for u, _first, _last in sponsors]
    UserSettings.objects.update_or_create(user=context.logins["pm"], defaults={"language": "en"})
    context.summary["users"] = len(wanted)


def flush_users() -> None:
    """Remove the users the demo made; superusers (such as `admin`) stay."""
    demo_users = User.objects.filter(is_superuser=False, email__endswith=f"@{DEMO_EMAIL_DOMAIN}")
    UserSettings.history.filter(user_id__in=demo_users.values("pk")).delete()
    demo_users.delete()


# --- reference data -----------------------------------------------------------------------

# The large organisation has regional units below these sub-departments.
REGIONAL_PARENTS = ["SAM-DOM", "SCM-LOG", "SCM-WH", "OPS-MFG"]

DEPARTMENT_SHAPES = {  # size: (divisions, sub-departments per division, regional units)
    "small": (6, 2, False),
    "large": (len(DIVISIONS), 4, True),
}

# English, Chinese, share of projects, divisions whose departments mostly run this type
PROJECT_TYPES = [
    ("IT system", "信息系统", 25, ["IT", "FIN", "HR", "SCM"]),
    ("Infrastructure", "基础设施", 14, ["IT", "OPS", "SCM"]),
    ("Product development", "产品开发", 14, ["RD", "SAM"]),
    ("Process improvement", "流程改进", 14, ["FIN", "OPS", "SCM", "HR"]),
    ("Compliance", "合规", 9, ["LEG", "FIN", "IT"]),
    ("Business change", "业务变革", 12, ["STR", "HR", "FIN", "SAM"]),
    ("Research", "研究", 6, ["RD"]),
    ("Facilities", "设施建设", 6, ["OPS", "ADM"]),
]

TAG_NAMES = [
    "cloud", "regulatory", "cost-saving", "customer", "digital", "sustainability", "security",
    "ai", "quick-win", "strategic",
]  # fmt: skip


def _department_tree(size: str) -> list[list[tuple[str, str, str, str | None]]]:
    """The departments of a size as levels of (code, English, Chinese, parent code)."""
    divisions_count, subs_count, with_regions = DEPARTMENT_SHAPES[size]
    levels: list[list[tuple[str, str, str, str | None]]] = [[], [], []]
    for code, name, name_zh, subs in DIVISIONS[:divisions_count]:
        levels[0].append((code, name, name_zh, None))
        for sub_code, sub_name, sub_name_zh in subs[:subs_count]:
            levels[1].append((sub_code, sub_name, sub_name_zh, code))
            if with_regions and sub_code in REGIONAL_PARENTS:
                for region_code, region, region_zh in REGIONS:
                    levels[2].append(
                        (
                            f"{sub_code}-{region_code}",
                            f"{sub_name} – {region}",
                            f"{sub_name_zh}{region_zh}",
                            sub_code,
                        )
                    )
    return levels


def seed_reference_data(context: DemoContext, rng: random.Random) -> None:
    """The department tree, the project types and the tag pool (existing rows are kept)."""
    departments = Department.objects.in_bulk(field_name="code")
    for level in _department_tree(context.size):
        new = [
            Department(code=code, name=name, name_zh_hans=name_zh, parent=departments[parent])
            if parent
            else Department(code=code, name=name, name_zh_hans=name_zh)
            for code, name, name_zh, parent in level
            if code not in departments
        ]
        created = bulk_create_with_history(
            new, Department, batch_size=BATCH_SIZE, default_user=context.admin
        )
        departments.update({department.code: department for department in created})
    wanted_codes = [code for level in _department_tree(context.size) for code, *_ in level]
    context.departments = [departments[code] for code in wanted_codes]

    project_types = ProjectType.objects.in_bulk(field_name="name")
    created = bulk_create_with_history(
        [
            ProjectType(name=name, name_zh_hans=name_zh)
            for name, name_zh, _share, _divisions in PROJECT_TYPES
            if name not in project_types
        ],
        ProjectType,
        default_user=context.admin,
    )
    project_types.update({project_type.name: project_type for project_type in created})
    context.project_types = [project_types[name] for name, *_ in PROJECT_TYPES]

    _add_missing_exchange_rates(context)

    Tag.objects.bulk_create([Tag(name=name) for name in TAG_NAMES], ignore_conflicts=True)
    tags = Tag.objects.in_bulk(TAG_NAMES, field_name="name")
    context.tags = [tags[name] for name in TAG_NAMES]

    context.summary["departments"] = len(context.departments)
    context.summary["project types"] = len(context.project_types)
    context.summary["tags"] = len(context.tags)


def _add_missing_exchange_rates(context: DemoContext) -> None:
    """Rates for the demo's currencies, so that portfolio totals count every budget.

    Rates kept in the admin stay as they are, and --flush leaves them: they are not demo data.
    """
    reporting = settings.DEFAULT_CURRENCY
    if reporting not in CURRENCIES:
        return  # no rate to it is known here; totals then show the reporting currency only
    reporting_in_cny = CURRENCIES[reporting][1]
    known = set(ExchangeRate.objects.values_list("currency", flat=True))
    bulk_create_with_history(
        [
            ExchangeRate(
                currency=currency,
                rate=(cny_per_unit / reporting_in_cny).quantize(Decimal("0.00000001")),
            )
            for currency, (_share, cny_per_unit) in CURRENCIES.items()
            if currency != reporting and currency not in known
        ],
        ExchangeRate,
        default_user=context.admin,
    )


def flush_reference_data() -> None:
    Tag.objects.all().delete()
    ProjectType.history.all().delete()
    ProjectType.objects.all().delete()
    Department.history.all().delete()
    Department.objects.update(parent=None)  # the tree protects parents from deletion
    Department.objects.all().delete()


# --- projects -----------------------------------------------------------------------------

PROJECT_COUNTS = {"small": 60, "large": 5000}
PM_PROJECT_COUNTS = {"small": 8, "large": 15}  # how many projects the `pm` login runs

STATUS_WEIGHTS = {
    Project.Status.PROPOSED: 12,
    Project.Status.APPROVED: 10,
    Project.Status.ACTIVE: 40,
    Project.Status.ON_HOLD: 6,
    Project.Status.CLOSED: 25,
    Project.Status.CANCELLED: 7,
}
PRIORITY_WEIGHTS = {
    Project.Priority.LOW: 20,
    Project.Priority.MEDIUM: 45,
    Project.Priority.HIGH: 27,
    Project.Priority.CRITICAL: 8,
}
# currency: (share of projects, CNY per unit); budgets in every currency are of the same size
CURRENCIES = {
    Currency.CNY: (80, Decimal("1")),
    Currency.USD: (12, Decimal("7.2")),
    Currency.EUR: (8, Decimal("7.8")),
}
CHINESE_NAME_SHARE = 1 / 3


CHINESE_DIGITS = "零一二三四五六七八九"


def _chinese_number(number: int) -> str:
    """1 → 一, 10 → 十, 12 → 十二, 23 → 二十三 (for 1-99, enough for phase numbers)."""
    tens, units = divmod(number, 10)
    text = ""
    if tens:
        text = ("" if tens == 1 else CHINESE_DIGITS[tens]) + "十"
    return text + (CHINESE_DIGITS[units] if units else "")


def _template_slots(template: str) -> set[str]:
    return {slot for _text, slot, _spec, _conversion in Formatter().parse(template) if slot}


def _project_name(
    rng: random.Random, type_name: str, unit: tuple[str, str], used: Counter
) -> tuple[str, str]:
    """A (name, description) pair in one language, about the same things.

    `unit` is the (English, Chinese) name of the project's division. Names repeat less with a
    site added; a name used before gets a phase number ("... Phase 2", "...二期").
    """
    chinese = rng.random() < CHINESE_NAME_SHARE
    language = 1 if chinese else 0
    for attempt in range(12):
        slots = {slot: rng.choice(values)[language] for slot, values in NAME_SLOTS.items()}
        slots["unit"] = unit[language]
        templates = NAME_TEMPLATES[type_name]
        if attempt >= 3:  # five regions make few names: try a site instead
            templates = [pair for pair in templates if "{region}" not in pair[0]]
        english, chinese_template = rng.choice(templates)
        template = (english, chinese_template)[language]
        name_slots = _template_slots(english)
        if not name_slots & {"site", "region"} and (attempt >= 3 or rng.random() < 0.2):
            template = f"{{site}}{chinese_template}" if chinese else f"{english} – {{site}}"
            name_slots.add("site")
        name = template.format(**slots)
        if not used[name]:
            break
    # Only descriptions that mention nothing the name does not (the division aside).
    descriptions = [
        pair
        for pair in DESCRIPTION_TEMPLATES[type_name]
        if _template_slots(pair[0]) <= name_slots | {"unit"}
    ]
    description = rng.choice(descriptions)[language].format(**slots)
    used[name] += 1
    if used[name] > 1:
        phase = used[name]
        name = f"{name}{_chinese_number(phase)}期" if chinese else f"{name} Phase {phase}"
    return name, description


def _project_dates(rng: random.Random, status: str, today: date) -> dict[str, date | None]:
    """Planned, forecast and actual dates that make sense for a project in `status`."""
    duration = days(rng.randint(3, 24) * 30 + rng.randint(-10, 10))
    dates: dict[str, date | None] = {}
    if status == Project.Status.PROPOSED:
        start = today + days(rng.randint(30, 240))
        dates.update(planned_start=start, planned_end=start + duration)
    elif status == Project.Status.APPROVED:
        start = today + days(rng.randint(-20, 150))
        forecast_start = max(start + days(rng.randint(0, 30)), today + days(7))
        dates.update(
            planned_start=start,
            planned_end=start + duration,
            forecast_start=forecast_start,
            forecast_end=forecast_start + duration + days(rng.randint(0, 30)),
        )
    elif status in (Project.Status.ACTIVE, Project.Status.ON_HOLD):
        start = today - days(rng.randint(30, 540))
        actual_start = start + days(rng.randint(-10, 29))
        delay = days(rng.randint(0, 20) if rng.random() < 0.55 else rng.randint(21, 150))
        if status == Project.Status.ON_HOLD:
            delay += days(rng.randint(60, 180))
        dates.update(
            planned_start=start,
            planned_end=start + duration,
            forecast_start=actual_start,
            forecast_end=max(start + duration + delay, today + days(rng.randint(14, 120))),
            actual_start=actual_start,
        )
    elif status == Project.Status.CLOSED:
        # Worked back from the end, which lies in the past.
        actual_end = today - days(rng.randint(7, 900))
        actual_start = actual_end - duration - days(rng.randint(-20, 90))
        start = actual_start - days(rng.randint(-7, 30))
        dates.update(
            planned_start=start,
            planned_end=start + duration,
            forecast_start=actual_start,
            forecast_end=actual_end,
            actual_start=actual_start,
            actual_end=actual_end,
        )
    else:  # cancelled: stopped before or after it started
        start = today - days(rng.randint(60, 1000))
        dates.update(planned_start=start, planned_end=start + duration)
        if rng.random() < 0.6:
            actual_start = start + days(rng.randint(0, 30))
            stopped = min(actual_start + days(rng.randint(30, 300)), today - days(1))
            dates.update(actual_start=actual_start, actual_end=max(stopped, actual_start))
    return dates


def _budget(rng: random.Random, cny_per_unit: Decimal) -> Decimal:
    """Between 50 thousand and 50 million CNY (log-uniform), rounded to two significant digits."""
    value = 10 ** rng.uniform(math.log10(5e4), math.log10(5e7)) / float(cny_per_unit)
    step = 10 ** max(3, int(math.log10(value)) - 1)
    return Decimal(round(value / step) * step)


def _departments_by_division(departments: list[Department]) -> dict[str, list[Department]]:
    by_code = {department.pk: department for department in departments}
    grouped: dict[str, list[Department]] = {}
    for department in departments:
        top = department
        while top.parent_id is not None:
            top = by_code[top.parent_id]
        grouped.setdefault(top.code, []).append(department)
    return grouped


def seed_projects(context: DemoContext, rng: random.Random) -> None:
    """The portfolio: projects in every status, with tags and their first history record."""
    today = context.today
    divisions = _departments_by_division(context.departments)
    preferred = {name: division_codes for name, _zh, _share, division_codes in PROJECT_TYPES}
    type_shares = {name: share for name, _zh, share, _divisions in PROJECT_TYPES}
    division_names = {code: (name, name_zh) for code, name, name_zh, _subs in DIVISIONS}
    # Some managers run more projects than others.
    manager_weights = list(accumulate(rng.uniform(0.5, 2.0) for _ in context.managers))
    used_names: Counter = Counter()

    projects, project_tags = [], []
    for number in range(1, PROJECT_COUNTS[context.size] + 1):
        project_type = rng.choices(
            context.project_types, weights=[type_shares[t.name] for t in context.project_types]
        )[0]
        homes = [code for code in preferred[project_type.name] if code in divisions]
        division = rng.choice(homes if homes and rng.random() < 0.75 else list(divisions))
        status = weighted(rng, STATUS_WEIGHTS)
        currency = weighted(rng, {code: weight for code, (weight, _r) in CURRENCIES.items()})
        unit = division_names[division]
        name, description = _project_name(rng, project_type.name, unit, used_names)
        projects.append(
            Project(
                code=f"PRJ-{number:05d}",
                name=name,
                description=description,
                project_type=project_type,
                department=rng.choice(divisions[division]),
                manager=rng.choices(context.managers, cum_weights=manager_weights)[0],
                sponsor=rng.choice(context.sponsors) if rng.random() < 0.85 else None,
                status=status,
                priority=weighted(rng, PRIORITY_WEIGHTS),
                budget=_budget(rng, CURRENCIES[currency][1]),
                currency=currency,
                **_project_dates(rng, status, today),
            )
        )
        tag_count = rng.choice([0, 0, 0, 1, 1, 2, 3])
        project_tags.append(rng.sample(context.tags, tag_count))

    _give_projects_to_the_pm_login(
        rng, projects, context.logins["pm"], count=PM_PROJECT_COUNTS[context.size]
    )

    projects = bulk_create_with_history(
        projects, Project, batch_size=BATCH_SIZE, default_user=context.admin
    )
    _tag_projects_with_history(projects, project_tags)
    context.projects = projects
    context.summary["projects"] = len(projects)


def _give_projects_to_the_pm_login(
    rng: random.Random, projects: list[Project], pm, *, count: int
) -> None:
    """`pm` runs one project in each status and a few more, so every screen has something."""
    chosen = set()
    for status in Project.Status.values:
        candidates = [i for i, project in enumerate(projects) if project.status == status]
        if candidates:
            chosen.add(rng.choice(candidates))
    others = [i for i in range(len(projects)) if i not in chosen]
    chosen.update(rng.sample(others, max(0, min(count - len(chosen), len(others)))))
    for index in chosen:
        projects[index].manager = pm


def _tag_projects_with_history(projects: list[Project], project_tags: list[list[Tag]]) -> None:
    """Tag the projects, and put the tags in their first history record as a save would."""
    ProjectTag = Project.tags.through
    links = ProjectTag.objects.bulk_create(
        [
            ProjectTag(project_id=project.pk, tag_id=tag.pk)
            for project, tags in zip(projects, project_tags, strict=True)
            for tag in tags
        ],
        batch_size=BATCH_SIZE,
    )
    history_ids = creation_record_ids(projects)
    _tag_history_records(
        [(history_ids[project.pk], project.pk) for project in projects], _links_by_project(links)
    )


def _links_by_project(links: list) -> dict[int, list]:
    grouped: dict[int, list] = {}
    for link in links:
        grouped.setdefault(link.project_id, []).append(link)
    return grouped


def _tag_history_records(records: list[tuple[int, int]], links: dict[int, list]) -> None:
    """Give history records, as (history_id, project pk), the tags of their project."""
    HistoricalProjectTag = Project.history.model.tags.model
    HistoricalProjectTag.objects.bulk_create(
        [
            HistoricalProjectTag(
                history_id=history_id,
                id=link.pk,
                project_id=link.project_id,
                tag_id=link.tag_id,
            )
            for history_id, project_id in records
            for link in links.get(project_id, [])
        ],
        batch_size=BATCH_SIZE,
    )


def creation_record_ids(projects: list[Project]) -> dict[int, int]:
    """The history_id of each project's first history record, by project pk."""
    history_ids = {}
    for chunk in chunks([project.pk for project in projects]):
        history_ids.update(
            Project.history.filter(id__in=chunk, history_type="+").values_list("id", "history_id")
        )
    return history_ids


def update_projects(
    projects: list[Project], fields: list[str], *, as_created: dict[int, dict] | None = None
) -> None:
    """Save `fields` of the projects, and write their first history record again to match.

    The demo's projects are created with their history; what later steps give them (a lifecycle,
    a baseline) belongs to how they were created. `as_created` maps a project's pk to values its
    first record holds instead: its date, or the plan before a change request moved it.
    """
    Project.objects.bulk_update(projects, fields, batch_size=BATCH_SIZE)
    HistoricalProject = Project.history.model
    first_records = {}
    for chunk in chunks([project.pk for project in projects]):
        first_records.update(
            (project_id, rest)
            for project_id, *rest in HistoricalProject.objects.filter(
                id__in=chunk, history_type="+"
            ).values_list("id", "history_id", "history_user_id", "history_date")
        )
    # Written anew under the same history_id, which the records of the tags refer to; a new row
    # is much quicker to write than an update of many columns of thousands of rows.
    records = []
    for project in projects:
        history_id, user_id, when = first_records[project.pk]
        record = HistoricalProject(
            history_id=history_id,
            history_type="+",
            history_user_id=user_id,
            history_date=when,
            **{
                field.attname: getattr(project, field.attname)
                for field in HistoricalProject.tracked_fields
            },
        )
        for name, value in (as_created or {}).get(project.pk, {}).items():
            setattr(record, name, value)
        records.append(record)
    for chunk in chunks([record.history_id for record in records]):
        HistoricalProject.objects.filter(history_id__in=chunk).delete()
    HistoricalProject.objects.bulk_create(records, batch_size=BATCH_SIZE)


def add_history_records(changed: list[Project]) -> None:
    """Record later states of projects with their tags, as saving them would have.

    `changed` holds copies of projects with the values they had then, each with
    `_history_user`, `_history_date` and `_change_reason` set.
    """
    records = Project.history.bulk_history_create(changed, batch_size=BATCH_SIZE, update=True)
    ProjectTag = Project.tags.through
    links = []
    for chunk in chunks(sorted({project.pk for project in changed})):
        links += ProjectTag.objects.filter(project_id__in=chunk)
    _tag_history_records(
        [(record.history_id, record.id) for record in records], _links_by_project(links)
    )


def flush_projects() -> None:
    Project.history.model.tags.model.objects.all().delete()
    Project.history.all().delete()
    Project.objects.all().delete()


DEMO_STEPS = [
    DemoStep("users", seed_users, flush_users),
    DemoStep("reference data", seed_reference_data, flush_reference_data),
    DemoStep("projects", seed_projects, flush_projects),
]
