"""Demo data for the risks area, run by `manage.py seed_demo` after projects, resources and the
portfolio: risks on the projects (20,000 at the large size) with their score history, responses
and actions (some overdue, as are some reviews), issues from occurred risks and logged directly,
lessons learned and each project's contingency.

Everything is built in memory and written in bulk, a few queries per table whatever the size.
"""

import datetime
import random
from decimal import Decimal

from django.utils import timezone

from projects.demo.runner import DemoContext, DemoStep, at
from projects.models import Project
from resources.demo.bulk import BATCH_SIZE, delete_all

from ..models import (
    Contingency,
    DigestRun,
    Issue,
    Lesson,
    Risk,
    RiskAction,
    RiskCategory,
    RiskMatrix,
    RiskResponse,
)
from ..models.config import cadence_days
from ..services.lessons import refresh_search_vectors
from .names import ACTIONS, ISSUES, LESSONS, RISKS

RISK_COUNTS = {"small": 300, "large": 20_000}
LESSON_COUNTS = {"small": 40, "large": 2_000}
DIRECT_ISSUES = {"small": 15, "large": 600}
PERCENT_OF_LEVEL = {1: (3, 10), 2: (12, 30), 3: (32, 50), 4: (52, 75), 5: (78, 95)}
BUDGET_SHARE_OF_IMPACT = {1: 0.003, 2: 0.01, 3: 0.03, 4: 0.07, 5: 0.15}
DAYS_OF_IMPACT = {1: 2, 2: 7, 3: 15, 4: 35, 5: 70}
STATUS_WEIGHTS = {"open": 55, "monitoring": 25, "occurred": 6, "closed": 14}
CENT = Decimal("0.01")


def _days(number: int) -> datetime.timedelta:
    return datetime.timedelta(days=number)


def _score(rng: random.Random) -> int:
    return rng.choices([1, 2, 3, 4, 5], weights=[15, 30, 30, 17, 8])[0]


def _quantified(rng: random.Random, project: Project, impact: int) -> dict:
    budget = float(project.budget or 1_000_000)
    likely = budget * BUDGET_SHARE_OF_IMPACT[impact] * rng.uniform(0.5, 1.5)
    days = DAYS_OF_IMPACT[impact] * rng.uniform(0.5, 1.5)
    return {
        "cost_min": Decimal(likely * rng.uniform(0.3, 0.8)).quantize(CENT),
        "cost_likely": Decimal(likely).quantize(CENT),
        "cost_max": Decimal(likely * rng.uniform(1.5, 3.0)).quantize(CENT),
        "schedule_min": int(days * rng.uniform(0.2, 0.7)),
        "schedule_likely": round(days),
        "schedule_max": round(days * rng.uniform(1.5, 3.0)),
    }


def seed_risks(context: DemoContext, rng: random.Random) -> None:
    """Risks, their history, responses, actions and issues, and the projects' contingency."""
    today, now = context.today, timezone.now()
    matrix, cadence = RiskMatrix.load(), cadence_days()
    leaves = list(RiskCategory.objects.filter(parent__isnull=False).order_by("code"))
    projects = [p for p in context.projects if p.status != Project.Status.CANCELLED]
    pm_projects = [p for p in projects if p.manager_id == context.logins["pm"].pk]
    people = [context.logins["pm"], *context.managers[:200]]
    count = RISK_COUNTS[context.size]

    risks, later = [], []
    for number in range(count):
        # The `pm` login's projects get a share of their own, so their pages have risks.
        project = (
            rng.choice(pm_projects) if pm_projects and number % 25 == 0 else rng.choice(projects)
        )
        category = rng.choice(leaves)
        title, cause, effect, kind = rng.choice(RISKS[category.code[:3].rstrip("-")])
        probability, impact = _score(rng), _score(rng)
        start = project.actual_start or project.planned_start
        window = max((min(today, project.planned_end) - start).days, 1)
        created = min(start + _days(rng.randint(0, window)), today)
        owner = project.manager if rng.random() < 0.7 else rng.choice(people)
        percent = Decimal(rng.randint(*PERCENT_OF_LEVEL[probability]))
        risk = Risk(
            project=project, kind=kind, title=title, cause=cause, event=title, effect=effect,
            category=category, owner=owner, probability=probability, impact=impact,
            residual_probability=probability, residual_impact=impact,
            probability_percent=percent, distribution=rng.choice(["pert", "pert", "triangular"]),
            trigger=cause, status="open", created_by=project.manager,
            created_at=at(created, rng.randint(8, 17)), currency=project.currency,
            **_quantified(rng, project, impact),
        )  # fmt: skip
        risk.work_out_figures(matrix)
        risk.next_review = created + _days(cadence[risk.residual_level])
        risk._history_date = risk.created_at
        risk._history_user = project.manager
        risks.append(risk)
        if rng.random() < 0.45 and created < today:
            later.append(risk)

    created_risks = Risk.objects.bulk_create(risks, batch_size=BATCH_SIZE)
    Risk.history.bulk_history_create(created_risks, batch_size=BATCH_SIZE)

    # Half of the risks were reassessed after their responses: a second history record, dated.
    statuses = list(STATUS_WEIGHTS)
    for risk in later:
        risk.residual_probability = max(1, risk.probability - rng.randint(0, 2))
        risk.residual_impact = max(1, risk.impact - rng.randint(0, 2))
        risk.status = rng.choices(statuses, weights=list(STATUS_WEIGHTS.values()))[0]
        risk.work_out_figures(matrix)
        age = max(1, (today - risk.created_at.date()).days)
        changed = risk.created_at.date() + _days(rng.randint(1, age))
        risk.last_reviewed = changed
        risk.next_review = changed + _days(cadence[risk.residual_level])
        risk._history_date = at(min(changed, today), rng.randint(8, 17))
        risk.version = 2
    # Some reviews are overdue, which the review pages and the digest bring up.
    for risk in created_risks:
        active = risk.status in ("open", "monitoring") and risk.next_review >= today
        if active and rng.random() < 0.12:
            risk.next_review = today - _days(rng.randint(1, 20))
    Risk.objects.bulk_update(
        created_risks,
        ["residual_probability", "residual_impact", "residual_score", "residual_level", "status",
         "emv", "schedule_emv", "last_reviewed", "next_review", "version"],
        batch_size=BATCH_SIZE,
    )  # fmt: skip
    Risk.history.bulk_history_create(later, update=True, batch_size=BATCH_SIZE)
    Risk.objects.filter(pk__in=[r.pk for r in created_risks]).update(updated_at=now)

    responses, action_rows = _responses(context, rng, later)
    RiskResponse.objects.bulk_create(responses, batch_size=BATCH_SIZE)
    for action in action_rows:
        action.response_id = action.response.pk
    RiskAction.objects.bulk_create(action_rows, batch_size=BATCH_SIZE)

    issues = _issues(context, rng, created_risks, projects)
    Issue.objects.bulk_create(issues, batch_size=BATCH_SIZE)

    contingencies = [
        Contingency(
            project=project,
            cost_reserve=(
                project.budget * Decimal(rng.choice(["0.05", "0.08", "0.1", "0.12"]))
            ).quantize(CENT),
            schedule_reserve_days=rng.choice([10, 15, 20, 30]),
        )
        for project in projects
        if rng.random() < 0.8
    ]
    Contingency.objects.bulk_create(contingencies, batch_size=BATCH_SIZE)

    context.summary["risks"] = len(created_risks)
    context.summary["risk actions"] = len(action_rows)
    context.summary["issues"] = len(issues)


def _responses(context, rng, reassessed):
    responses, actions = [], []
    today = context.today
    for risk in reassessed:
        strategies = (
            ["exploit", "enhance", "share", "accept"]
            if risk.kind == Risk.Kind.OPPORTUNITY
            else ["mitigate", "mitigate", "avoid", "transfer", "accept"]
        )
        response = RiskResponse(
            risk=risk, strategy=rng.choice(strategies), plan=rng.choice(ACTIONS)[1],
            created_by=risk.created_by, created_at=risk.created_at,
        )  # fmt: skip
        responses.append(response)
        for _ in range(rng.randint(1, 3)):
            due = today + _days(rng.randint(-30, 60))
            done = due < today and rng.random() < 0.6
            actions.append(
                RiskAction(
                    response=response,
                    description=rng.choice(ACTIONS)[0],
                    owner=risk.owner,
                    due=due,
                    status="done" if done else rng.choice(["open", "in_progress"]),
                    completed_on=due if done else None,
                )  # fmt: skip
            )
    return responses, actions


def _issues(context, rng, risks, projects):
    issues = []
    severity = {"low": "low", "medium": "medium", "high": "high", "critical": "critical"}
    for risk in risks:
        if risk.status == "occurred":
            issues.append(
                Issue(
                    project=risk.project,
                    risk=risk,
                    title=risk.title,
                    description=risk.effect,
                    severity=severity[risk.residual_level],
                    owner=risk.owner,
                    due=context.today + _days(rng.randint(-10, 30)),
                    raised_by=risk.owner,
                )  # fmt: skip
            )
    for number in range(DIRECT_ISSUES[context.size]):
        project = rng.choice(projects)
        title, description = rng.choice(ISSUES)
        resolved = rng.random() < 0.3
        # One issue in seven was escalated to the PMO, so its queue is never empty.
        escalated = not resolved and number % 7 == 0
        issues.append(
            Issue(
                project=project,
                title=title,
                description=description,
                severity=rng.choice(["low", "medium", "medium", "high", "critical"]),
                owner=project.manager,
                due=context.today + _days(rng.randint(-15, 40)),
                status="resolved" if resolved else "open",
                resolution="Resolved with the supplier." if resolved else "",
                resolved_on=context.today if resolved else None,
                raised_by=project.manager,
                escalated_at=timezone.now() if escalated else None,
                escalated_by=project.manager if escalated else None,
                escalation_note="Needs a decision on extra budget." if escalated else "",
            )  # fmt: skip
        )
    return issues


def seed_lessons(context: DemoContext, rng: random.Random) -> None:
    """Lessons of the projects, captured at gate reviews and at closure, searchable."""
    categories = RiskCategory.objects.in_bulk(field_name="code")
    projects = context.projects
    lessons = []
    for _ in range(LESSON_COUNTS[context.size]):
        code, title, happened, recommendation, tags = rng.choice(LESSONS)
        project = rng.choice(projects)
        phases = context.project_phases.get(project.pk, [])
        lessons.append(
            Lesson(
                project=project,
                phase=rng.choice(phases) if phases else None,
                category=categories.get(code),
                source="closure" if project.status == Project.Status.CLOSED else "gate_review",
                title=title,
                what_happened=happened,
                recommendation=recommendation,
                tags=tags,
                recorded_by=project.manager,
                created_at=at(context.today - _days(rng.randint(0, 720)), 10),
            )  # fmt: skip
        )
    Lesson.objects.bulk_create(lessons, batch_size=BATCH_SIZE)
    refresh_search_vectors()
    context.summary["lessons"] = len(lessons)


def flush_risks() -> None:
    delete_all(
        DigestRun, Issue.history.model, Issue, RiskAction.history.model, RiskAction,
        RiskResponse.history.model, RiskResponse, Contingency.history.model, Contingency,
        Risk.history.model, Risk,
    )  # fmt: skip


def flush_lessons() -> None:
    delete_all(Lesson.history.model, Lesson)


DEMO_STEPS = [
    DemoStep("risks", seed_risks, flush_risks),
    DemoStep("lessons learned", seed_lessons, flush_lessons),
]
