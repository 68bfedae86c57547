"""The resource register's demo data: roles, skills and utilisation targets; people in the
departments with their skills, cost rates, capacity and absences; equipment, facilities and
licences.

The demo logins `pm`, `pmo` and `resource` and the project managers are people here too, linked
to their user accounts. About one in ten went part-time at some date (two capacity rows, the
first closed the day before the second starts) and one in a hundred has left (no hours from the
day they left). People in China have the Spring Festival and National Day off.
"""

import datetime
import random
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal

from simple_history.utils import bulk_create_with_history

from projects.demo.names import (
    CHINESE_FAMILY_NAMES,
    CHINESE_GIVEN_NAMES,
    ENGLISH_FIRST_NAMES,
    ENGLISH_LAST_NAMES,
)
from projects.demo.runner import DEMO_EMAIL_DOMAIN, DemoContext, weighted
from projects.models import Currency, Department, Project

from ..models import (
    Absence,
    Capacity,
    Resource,
    ResourceRole,
    ResourceSkill,
    Skill,
    UtilisationTarget,
)
from .bulk import BATCH_SIZE, row_maker
from .names import (
    LEAVE_NOTES,
    MAINTENANCE_NOTES,
    MORE_CHINESE_FAMILY_NAMES,
    MORE_CHINESE_GIVEN_NAMES,
    NON_HUMAN_RESOURCES,
    PORTAL_UTILISATION_TARGET,
    ROLE_UTILISATION_TARGETS,
    ROLES,
    SKILLS,
    SPRING_FESTIVAL_EVE,
    TRAINING_NOTES,
)
from .timeline import Timeline, days

PEOPLE_COUNTS = {"small": 150, "large": 10_000}
NON_HUMAN_SHARE = 0.02
FULL_TIME = 40
PART_TIME_SHARE = 0.10
PART_TIME_HOURS = [20, 24, 28, 30, 32]
LEAVER_SHARE = 0.01

# label: (share of people, cost rate multiplier, lowest and highest skill level)
SENIORITY = {
    "junior": (25, 0.7, 1, 3),
    "mid": (40, 1.0, 2, 4),
    "senior": (25, 1.35, 3, 5),
    "principal": (10, 1.75, 4, 5),
}
# Most people are paid in yuan; some abroad or on international contracts in dollars or euros.
RATE_CURRENCIES = {Currency.CNY: 90, Currency.USD: 6, Currency.EUR: 4}
CNY_PER_UNIT = {Currency.CNY: 1.0, Currency.USD: 7.2, Currency.EUR: 7.8}
SKILL_COUNTS = {1: 15, 2: 30, 3: 30, 4: 15, 5: 10}
# Departments whose division runs many projects have more people.
DIVISION_WEIGHTS = {"IT": 5, "RD": 3, "OPS": 2, "SCM": 1.5, "FIN": 1.5}
LINKED_ROLES = {"pm": "project_manager", "pmo": "pmo_analyst", "resource": "resource_manager"}


@dataclass
class Member:
    """A resource as the demo plans it: its row, capacity and absences, and the hours it has
    free in each month of the timeline (capacity less absences less bookings)."""

    resource: Resource
    role: str | None
    division: str
    seniority: str
    skills: list[tuple[str, int]]
    capacities: list[Capacity]
    absences: list[Absence] = field(default_factory=list)
    free: list[float] = field(default_factory=list)
    manages: list[Project] = field(default_factory=list)

    @property
    def hired(self) -> datetime.date:
        return self.capacities[0].start

    def hours_on(self, day: datetime.date) -> Decimal:
        """The hours per week in force on `day` (0 before the first row)."""
        hours = Decimal(0)
        for row in self.capacities:
            if row.start <= day:
                hours = row.hours_per_week
        return hours


# --- reference data -----------------------------------------------------------------------


def seed_reference_data(context: DemoContext, rng: random.Random) -> None:
    """Roles and skills in English and Chinese, and the utilisation targets (kept if present)."""
    roles = ResourceRole.objects.in_bulk(field_name="name")
    bulk_create_with_history(
        [
            ResourceRole(name=name, name_zh_hans=name_zh)
            for _key, name, name_zh, *_rest in ROLES
            if name not in roles
        ],
        ResourceRole,
        batch_size=BATCH_SIZE,
        default_user=context.admin,
    )
    Skill.objects.bulk_create(
        [Skill(name=name, name_zh_hans=name_zh) for name, name_zh in SKILLS], ignore_conflicts=True
    )
    roles = ResourceRole.objects.in_bulk(field_name="name")
    role_names = {key: name for key, name, *_rest in ROLES}
    with_target = set(UtilisationTarget.objects.values_list("role_id", flat=True))
    targets = [
        UtilisationTarget(role=roles[role_names[key]], percent=Decimal(percent))
        for key, percent in ROLE_UTILISATION_TARGETS.items()
        if roles[role_names[key]].pk not in with_target
    ]
    if None not in with_target:
        targets.append(UtilisationTarget(role=None, percent=Decimal(PORTAL_UTILISATION_TARGET)))
    bulk_create_with_history(targets, UtilisationTarget, default_user=context.logins["pmo"])
    context.summary["roles"] = len(ROLES)
    context.summary["skills"] = len(SKILLS)


def flush_reference_data() -> None:
    UtilisationTarget.history.all().delete()
    UtilisationTarget.objects.all().delete()
    ResourceRole.history.all().delete()
    ResourceRole.objects.all().delete()
    Skill.objects.all().delete()


# --- people -------------------------------------------------------------------------------


def _division_of(departments: list[Department]) -> dict[int, str]:
    """Each department's top-level code (its division), by pk."""
    by_pk = {department.pk: department for department in departments}
    divisions = {}
    for department in departments:
        top = department
        while top.parent_id is not None and top.parent_id in by_pk:
            top = by_pk[top.parent_id]
        divisions[department.pk] = top.code
    return divisions


class Staffing:
    """Where people work and what they do: departments weighted by division, roles by what the
    division needs."""

    def __init__(self, departments: list[Department]):
        self.departments = departments
        self.division_of = _division_of(departments)
        self.department_weights = [
            DIVISION_WEIGHTS.get(self.division_of[d.pk], 1) for d in departments
        ]
        self.roles_by_division: dict[str, tuple[list[str], list[int]]] = {}
        for division in set(self.division_of.values()):
            keys, weights = [], []
            for key, _name, _zh, _rate, share, divisions, _skills in ROLES:
                if division in divisions or "*" in divisions:
                    keys.append(key)
                    weights.append(share)
            self.roles_by_division[division] = (keys, weights)
        self.by_code = {department.code: department for department in departments}

    def department(self, rng: random.Random) -> Department:
        return rng.choices(self.departments, weights=self.department_weights)[0]

    def role(self, rng: random.Random, department: Department) -> str:
        keys, weights = self.roles_by_division[self.division_of[department.pk]]
        return rng.choices(keys, weights=weights)[0]

    def first_of(self, *codes: str) -> Department:
        for code in codes:
            if code in self.by_code:
                return self.by_code[code]
        return self.departments[0]


def _ascii(text: str) -> str:
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return "".join(c for c in plain.lower() if c.isalpha())


class NameBook:
    """People's names (about two thirds Chinese, most in characters) and unique e-mails."""

    family = CHINESE_FAMILY_NAMES + MORE_CHINESE_FAMILY_NAMES
    given = CHINESE_GIVEN_NAMES + MORE_CHINESE_GIVEN_NAMES

    def __init__(self, taken: set[str]):
        self.taken = set(taken)

    def person(self, rng: random.Random) -> tuple[str, str]:
        style = rng.random()
        if style < 0.35:
            first, last = rng.choice(ENGLISH_FIRST_NAMES), rng.choice(ENGLISH_LAST_NAMES)
            name, handle = f"{first} {last}", f"{_ascii(first)}.{_ascii(last)}"
        else:
            (family_zh, family), (given_zh, given) = rng.choice(self.family), rng.choice(self.given)
            name = family_zh + given_zh if style < 0.85 else f"{given} {family}"
            handle = f"{_ascii(given)}.{_ascii(family)}"
        return name, self.email(handle)

    def email(self, handle: str) -> str:
        address, number = f"{handle}@{DEMO_EMAIL_DOMAIN}", 1
        while address in self.taken:
            number += 1
            address = f"{handle}{number}@{DEMO_EMAIL_DOMAIN}"
        self.taken.add(address)
        return address


ROLE_TABLE = {key: (rate, skills) for key, _n, _z, rate, _s, _d, skills in ROLES}


def _rate(rng: random.Random, role: str, seniority: str) -> tuple[Decimal, str]:
    """A cost rate per hour by role and seniority, in yuan mostly."""
    base, _skills = ROLE_TABLE[role]
    cny = base * SENIORITY[seniority][1] * rng.uniform(0.92, 1.08)
    currency = weighted(rng, RATE_CURRENCIES)
    if currency == Currency.CNY:
        return Decimal(round(cny / 5) * 5), currency
    return Decimal(round(cny / CNY_PER_UNIT[currency])), currency


def _skills(rng: random.Random, role: str, seniority: str, all_skills: list[str]):
    """1-5 skills, mostly the role's, the first the strongest."""
    _rate_cny, typical = ROLE_TABLE[role]
    count = weighted(rng, SKILL_COUNTS)
    chosen = rng.sample(typical, min(count, len(typical)))
    while len(chosen) < count:
        extra = rng.choice(all_skills)
        if extra not in chosen:
            chosen.append(extra)
    _share, _multiplier, low, high = SENIORITY[seniority]
    levels = sorted((rng.randint(low, high) for _ in chosen), reverse=True)
    return list(zip(chosen, levels, strict=True))


def _capacity_rows(
    rng: random.Random, today: datetime.date, hired: datetime.date, *, may_change: bool
) -> tuple[list[Capacity], bool]:
    """Full-time from `hired`; some went part-time later and a few left. Returns the rows
    (the earlier closed the day before the later starts) and whether the resource is active."""
    rows = [Capacity(start=hired, hours_per_week=Decimal(FULL_TIME))]
    active = True
    chance = rng.random() if may_change else 1.0
    if chance < PART_TIME_SHARE:
        earliest, latest = hired + days(90), today + days(180)
        change = earliest + days(rng.randint(0, (latest - earliest).days))
        rows.append(Capacity(start=change, hours_per_week=Decimal(rng.choice(PART_TIME_HOURS))))
    elif chance < PART_TIME_SHARE + LEAVER_SHARE and hired < today - days(400):
        rows.append(Capacity(start=today - days(rng.randint(30, 360)), hours_per_week=Decimal(0)))
        active = False
    for earlier, later in zip(rows, rows[1:], strict=False):
        earlier.end = later.start - days(1)
    return rows, active


def _monday(day: datetime.date) -> datetime.date:
    return day - days(day.weekday())


def _public_holidays(today: datetime.date) -> list[tuple[datetime.date, datetime.date, str]]:
    """The Spring Festival week and the National Day week of this year and the next."""
    holidays = []
    for year in (today.year, today.year + 1):
        eve = SPRING_FESTIVAL_EVE.get(year)
        if eve:
            holidays.append((eve, eve + days(7), "春节 Spring Festival"))
        holidays.append(
            (datetime.date(year, 10, 1), datetime.date(year, 10, 7), "国庆节 National Day")
        )
    return holidays


make_absence = row_maker(Absence, "kind", "start", "end", "note")


def _absences(
    rng: random.Random, member: Member, today: datetime.date, holidays: list, person: bool
) -> list[Absence]:
    """Public holidays (people paid in yuan), one or two leaves of 1-3 weeks, some training;
    maintenance for equipment and facilities."""
    found = []

    def add(kind, start, end, note=""):
        if start < member.hired:
            return
        if any(a.start <= end and start <= a.end for a in found):
            return
        found.append(make_absence(kind, start, end, note))

    if not person:
        if member.resource.kind != Resource.Kind.LICENCE and rng.random() < 0.5:
            start = today + days(rng.randint(-200, 200))
            add(Absence.Kind.MAINTENANCE, start, start + days(rng.randint(0, 4)),
                rng.choice(MAINTENANCE_NOTES))  # fmt: skip
        return found
    if member.resource.currency == Currency.CNY:
        for start, end, note in holidays:
            add(Absence.Kind.HOLIDAY, start, end, note)
    for _ in range(rng.choice([0, 1, 1, 1, 2, 2])):
        for _attempt in range(3):  # another week when it meets a holiday
            start = _monday(today + days(rng.randint(-300, 240)))
            weeks = rng.choices([1, 2, 3], weights=[50, 35, 15])[0]
            before = len(found)
            add(Absence.Kind.LEAVE, start, start + days(7 * weeks - 3), rng.choice(LEAVE_NOTES))
            if len(found) > before:
                break
    if rng.random() < 0.08:
        start = _monday(today + days(rng.randint(-200, 200)))
        add(Absence.Kind.TRAINING, start, start + days(rng.randint(1, 4)),
            rng.choice(TRAINING_NOTES))  # fmt: skip
    return found


def free_hours(member: Member, timeline: Timeline) -> list[float]:
    """Hours available in each month: capacity less absences (never below zero), as the
    capacity engine counts them."""
    capacity = [0.0] * len(timeline)
    absent = [0.0] * len(timeline)
    for row in member.capacities:
        weekly = float(row.hours_per_week)
        for i, overlap in timeline.days_by_month(row.start, row.end):
            capacity[i] += weekly * overlap / 7
        for absence in member.absences:
            start, end = max(absence.start, row.start), min(absence.end, row.end or absence.end)
            if start <= end:
                for i, overlap in timeline.days_by_month(start, end):
                    absent[i] += weekly * overlap / 7
    return [max(c - a, 0.0) for c, a in zip(capacity, absent, strict=True)]


def plan_people(
    context: DemoContext, rng: random.Random, timeline: Timeline, staffing: Staffing
) -> tuple[list[Member], list[Member]]:
    """The people (linked users first) and the non-human resources, not yet saved."""
    today = context.today
    all_skills = [name for name, _zh in SKILLS]
    holidays = _public_holidays(today)
    taken_users = set(Resource.objects.filter(user__isnull=False).values_list("user_id", flat=True))

    # The people with a login come first: (user, role key).
    linked = [(context.logins[username], role) for username, role in LINKED_ROLES.items()]
    linked += [(manager, "project_manager") for manager in context.managers]
    linked = [(user, role) for user, role in linked if user.pk not in taken_users]
    names = NameBook({user.email for user, _role in linked})
    managed: dict[int, list[Project]] = {}
    for project in context.projects:
        managed.setdefault(project.manager_id, []).append(project)

    people = []
    for number in range(PEOPLE_COUNTS[context.size]):
        if number < len(linked):
            user, role = linked[number]
            projects = managed.get(user.pk, [])
            if projects:
                department = rng.choice(projects).department
            elif role == "resource_manager":
                department = staffing.first_of("STR-PMO", "HR-TAL", "IT-APP")
            else:
                department = staffing.first_of("STR-PMO", "IT-APP")
            name, email = user.get_full_name() or user.username, user.email
            seniority = rng.choice(["mid", "senior", "senior", "principal"])
            hired = today - days(rng.randint(800, 3600))
        else:
            user, projects = None, []
            department = staffing.department(rng)
            role = staffing.role(rng, department)
            name, email = names.person(rng)
            seniority = weighted(rng, {label: s[0] for label, s in SENIORITY.items()})
            hired = today - days(rng.randint(60, 3200))
        rate, currency = _rate(rng, role, seniority)
        capacities, active = _capacity_rows(rng, today, hired, may_change=user is None)
        member = Member(
            resource=Resource(
                kind=Resource.Kind.PERSON, name=name, user=user, email=email,
                department=department, cost_rate=rate, currency=currency, is_active=active,
            ),
            role=role,
            division=staffing.division_of[department.pk],
            seniority=seniority,
            skills=_skills(rng, role, seniority, all_skills),
            capacities=capacities,
            manages=projects,
        )  # fmt: skip
        member.absences = _absences(rng, member, today, holidays, person=True)
        member.free = free_hours(member, timeline)
        people.append(member)

    others = []
    numbers: Counter = Counter()
    count = max(5, round(PEOPLE_COUNTS[context.size] * NON_HUMAN_SHARE))
    for number in range(count):
        if number < len(Resource.Kind.values) - 1:  # one of each kind at least
            kind_wanted = Resource.Kind.values[number + 1]
            entry = rng.choice([e for e in NON_HUMAN_RESOURCES if e[0] == kind_wanted])
        else:
            entry = rng.choice(NON_HUMAN_RESOURCES)
        kind, label, divisions, (low, high) = entry
        numbers[label] += 1
        homes = [d for d in staffing.departments if staffing.division_of[d.pk] in divisions]
        department = rng.choice(homes or staffing.departments)
        hired = today - days(rng.randint(100, 2000))
        member = Member(
            resource=Resource(
                kind=kind, name=label.format(n=numbers[label]),
                department=department, cost_rate=Decimal(rng.randrange(low, high + 1, 5)),
                currency=Currency.CNY,
            ),
            role=None,
            division=staffing.division_of[department.pk],
            seniority="mid",
            skills=[],
            capacities=[Capacity(start=hired, hours_per_week=Decimal(FULL_TIME))],
        )  # fmt: skip
        member.absences = _absences(rng, member, today, holidays, person=False)
        member.free = free_hours(member, timeline)
        others.append(member)
    return people, others


def save_people(context: DemoContext, members: list[Member]) -> None:
    """Write the resources with their skills, capacities and absences, in bulk."""
    roles = ResourceRole.objects.in_bulk(field_name="name")
    role_names = {key: name for key, name, *_rest in ROLES}
    skills = Skill.objects.in_bulk(field_name="name")
    for member in members:
        if member.role:
            member.resource.role = roles[role_names[member.role]]
    by = context.logins["resource"]
    bulk_create_with_history(
        [m.resource for m in members], Resource, batch_size=BATCH_SIZE, default_user=by
    )
    make_skill = row_maker(ResourceSkill, "resource_id", "skill_id", "level")
    ResourceSkill.objects.bulk_create(
        [
            make_skill(m.resource.pk, skills[name].pk, level)
            for m in members
            for name, level in m.skills
        ],
        batch_size=BATCH_SIZE,
    )
    for member in members:
        for row in member.capacities + member.absences:
            row.resource_id = member.resource.pk
    bulk_create_with_history(
        [row for m in members for row in m.capacities],
        Capacity,
        batch_size=BATCH_SIZE,
        default_user=by,
    )
    # Tens of thousands of holidays and leaves: their creation records would say nothing.
    Absence.objects.bulk_create(
        [absence for m in members for absence in m.absences], batch_size=BATCH_SIZE
    )
    people = [m for m in members if m.resource.kind == Resource.Kind.PERSON]
    context.summary["people"] = len(people)
    context.summary["other resources"] = len(members) - len(people)
    context.summary["capacity rows"] = sum(len(m.capacities) for m in members)
    context.summary["absences"] = sum(len(m.absences) for m in members)
