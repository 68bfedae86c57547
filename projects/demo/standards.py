"""The PMO's standards for the demo: the governance mode, the methodologies with their lifecycle
templates (phases, gates and gate checklists, in versions) and the standards library."""

import random
import uuid
from dataclasses import dataclass

from django.core.files.storage import default_storage

from ..models import (
    ApproverRole,
    ChecklistKind,
    EvidenceKind,
    GovernanceMode,
    GovernanceSettings,
    LifecycleTemplate,
    Methodology,
    Standard,
    StandardAttachment,
    TemplateChecklistItem,
    TemplatePhase,
)
from .library import STANDARDS
from .runner import (
    BATCH_SIZE,
    DemoContext,
    DemoStep,
    create_with_history,
    days,
    demo_pdf,
    moment,
    slug,
)

METHODOLOGIES = [  # key, English, Chinese, description
    (
        "waterfall", "Waterfall", "瀑布式",
        "Sequential phases, each closed by a formal gate. For projects whose scope can be fixed "
        "up front: infrastructure, facilities, regulatory programmes and package implementations.",
    ),
    (
        "agile", "Agile", "敏捷",
        "Short iterations that deliver working increments, with a product owner steering the "
        "backlog. For products and digital services whose requirements are learned by building. "
        "Gates at discovery, release readiness, release and closure only.",
    ),
    (
        "hybrid", "Hybrid", "混合式",
        "Predictive initiation, planning and roll-out around iterative delivery: the business "
        "case, architecture and go-live are gated like a waterfall project, the build is agile.",
    ),
]  # fmt: skip

D, C = ChecklistKind.DELIVERABLE, ChecklistKind.CRITERION
FILE, LINK, NONE = EvidenceKind.FILE, EvidenceKind.LINK, EvidenceKind.NONE
CHECKLIST_ITEMS = {  # key: (title, kind, evidence expected)
    "business_case": ("Business case", D, FILE),
    "charter": ("Project charter signed by the sponsor", D, FILE),
    "stakeholders": ("Stakeholder register", D, LINK),
    "funding": ("Funding confirmed by Finance", C, NONE),
    "initial_risks": ("Initial risk assessment", D, LINK),
    "pm_plan": ("Project management plan", D, LINK),
    "requirements": ("Requirements baseline signed off", D, FILE),
    "schedule_budget": ("Schedule and budget baseline", D, LINK),
    "risk_register": ("Risk register with owners and responses", D, LINK),
    "resources": ("Resource plan agreed with line managers", C, NONE),
    "architecture": ("Solution architecture approved by the architecture board", D, LINK),
    "test_report": ("Test report: no open critical or high defects", D, FILE),
    "uat": ("User acceptance sign-off", D, FILE),
    "deployment_plan": ("Deployment and rollback plan", D, LINK),
    "training": ("Key users and service desk trained", C, NONE),
    "ops_acceptance": ("Operational acceptance by the service owner", D, FILE),
    "logs_closed": ("Issue and change logs closed or handed over", C, NONE),
    "status_report": ("Final status report", D, LINK),
    "benefits_plan": ("Benefits tracking plan", D, LINK),
    "acceptance": ("Acceptance certificate", D, FILE),
    "lessons": ("Lessons learned report", D, LINK),
    "final_cost": ("Final cost report reconciled with Finance", D, LINK),
    "contracts_closed": ("Contracts and purchase orders closed", C, NONE),
    "archive": ("Project documents archived", C, LINK),
    "vision": ("Product vision and business case", D, LINK),
    "backlog": ("Initial product backlog", D, LINK),
    "team_named": ("Product owner and delivery team named", C, NONE),
    "definition_of_done": ("Definition of done agreed and applied", C, NONE),
    "sprint_reviews": ("Sprint reviews accepted by the product owner", C, NONE),
    "security_review": ("Security review passed", C, LINK),
    "release_notes": ("Release notes", D, LINK),
    "runbook": ("Operations handover and runbook", D, LINK),
    "go_live_checklist": ("Go-live readiness checklist", D, FILE),
    "retrospective": ("Retrospective and lessons learned", D, LINK),
    "backlog_handover": ("Remaining backlog handed to the product owner", C, NONE),
}


@dataclass(frozen=True)
class PhaseDefinition:
    stage: str  # which standards apply, see `library`
    name: str
    name_zh_hans: str
    weeks: int
    gate_name: str
    approver: str
    description: str
    checklist: tuple[str, ...]  # item keys; "?" at the end marks an optional item


SPONSOR, PMO = ApproverRole.SPONSOR, ApproverRole.PMO

# key: (methodology, name, version, created days ago, status, description, phases)
LIFECYCLES = {
    "waterfall_v1": ("waterfall", "Waterfall lifecycle", 1, 1100, LifecycleTemplate.Status.RETIRED,
        "The first standard lifecycle of the PMO, replaced by version 2 with a separate "
        "monitoring and control gate and a stricter closure.", [
        PhaseDefinition("start", "Initiation", "启动", 4, "Gate 1: Project approved", SPONSOR,
            "Make the case for the project and name who runs it.",
            ("business_case", "charter", "stakeholders?")),
        PhaseDefinition("plan", "Planning", "规划", 6, "Gate 2: Plan approved", PMO,
            "Plan the work, the schedule and the budget.",
            ("pm_plan", "schedule_budget", "risk_register?")),
        PhaseDefinition("build", "Execution", "执行", 24, "Gate 3: Delivery accepted", PMO,
            "Build, test and deliver.", ("test_report", "acceptance", "training?")),
        PhaseDefinition("close", "Closure", "收尾", 3, "Gate 4: Project closed", PMO,
            "Close the books and record what was learned.",
            ("lessons", "final_cost", "archive?")),
    ]),
    "waterfall": ("waterfall", "Waterfall lifecycle", 2, 320, LifecycleTemplate.Status.PUBLISHED,
        "Five phases with a gate each, for projects whose scope can be fixed up front.", [
        PhaseDefinition("start", "Initiation", "启动", 4, "Gate 1: Business case approved",
            SPONSOR, "Make the case for the project, secure funding and name who runs it.",
            ("business_case", "charter", "stakeholders", "funding", "initial_risks?")),
        PhaseDefinition("plan", "Planning", "规划", 6, "Gate 2: Project plan baselined", PMO,
            "Agree the requirements and fix the scope, schedule and budget baseline.",
            ("pm_plan", "requirements", "schedule_budget", "risk_register", "resources?")),
        PhaseDefinition("build", "Execution", "执行", 20, "Gate 3: Ready for deployment", PMO,
            "Build and test the solution; prepare the users and the deployment.",
            ("test_report", "uat", "deployment_plan", "training?")),
        PhaseDefinition("control", "Monitoring & control", "监控", 8,
            "Gate 4: Operational acceptance", SPONSOR,
            "Run the solution in production under watch until the service owner accepts it.",
            ("ops_acceptance", "logs_closed", "status_report", "benefits_plan?")),
        PhaseDefinition("close", "Closure", "收尾", 3, "Gate 5: Project closed", PMO,
            "Hand over, settle contracts and costs, and record what was learned.",
            ("acceptance", "lessons", "final_cost", "contracts_closed?", "archive?")),
    ]),
    "agile": ("agile", "Agile lifecycle", 1, 500, LifecycleTemplate.Status.PUBLISHED,
        "Discovery, then delivery in sprints, releases and closure.", [
        PhaseDefinition("start", "Discovery", "探索", 4, "Gate 1: Product vision approved",
            SPONSOR, "Understand the users and the problem; agree the vision and first backlog.",
            ("vision", "backlog", "team_named", "stakeholders?")),
        PhaseDefinition("iterate", "Delivery", "交付", 26, "Gate 2: Release readiness", PMO,
            "Deliver the backlog in two-week sprints, each ending in a reviewed increment.",
            ("definition_of_done", "sprint_reviews", "test_report", "security_review",
             "risk_register?")),
        PhaseDefinition("release", "Release", "发布", 4, "Gate 3: Release accepted", PMO,
            "Put the release into production and hand it to operations.",
            ("release_notes", "acceptance", "runbook")),
        PhaseDefinition("close", "Closure", "收尾", 2, "Gate 4: Project closed", PMO,
            "Hand the remaining backlog over and record what was learned.",
            ("retrospective", "backlog_handover", "final_cost?")),
    ]),
    "hybrid": ("hybrid", "Hybrid lifecycle", 1, 420, LifecycleTemplate.Status.PUBLISHED,
        "Gated initiation, planning and transition around an iterative build.", [
        PhaseDefinition("start", "Initiation", "启动", 4, "Gate 1: Business case approved",
            SPONSOR, "Make the case for the project, secure funding and name who runs it.",
            ("business_case", "charter", "stakeholders", "funding?")),
        PhaseDefinition("plan", "Planning", "规划", 5, "Gate 2: Plan and architecture approved",
            PMO, "Fix the architecture, the release plan and the budget baseline.",
            ("pm_plan", "architecture", "schedule_budget", "risk_register")),
        PhaseDefinition("iterate", "Iterative delivery", "迭代交付", 18,
            "Gate 3: Solution accepted", PMO,
            "Build the solution in sprints, with the business accepting each increment.",
            ("definition_of_done", "sprint_reviews", "test_report", "uat?")),
        PhaseDefinition("release", "Transition", "移交", 4, "Gate 4: Go-live approved", SPONSOR,
            "Prepare the organisation, migrate the data and go live.",
            ("go_live_checklist", "runbook", "training", "ops_acceptance?")),
        PhaseDefinition("close", "Closure", "收尾", 2, "Gate 5: Project closed", PMO,
            "Hand over, settle contracts and costs, and record what was learned.",
            ("acceptance", "lessons", "final_cost", "contracts_closed?")),
    ]),
}  # fmt: skip


def evidence_file_name(title: str) -> str:
    """Where the demo keeps the one stand-in file for every evidence item with this title."""
    return f"evidence/demo/{slug(title)}.pdf"


def _title_of(file_name: str) -> str:
    return file_name.removesuffix(".pdf").replace("-", " ").capitalize()


def _save_file(name: str, content) -> str:
    """Save under exactly `name`, replacing an earlier demo's file."""
    if default_storage.exists(name):
        default_storage.delete(name)
    return default_storage.save(name, content)


def _demo_file_names() -> list[str]:
    names = [f"standards/demo/{text.attachment}" for text in STANDARDS if text.attachment]
    names += sorted(
        {
            evidence_file_name(title)
            for title, _kind, evidence in CHECKLIST_ITEMS.values()
            if evidence == FILE
        }
    )
    return names


def seed_standards(context: DemoContext, rng: random.Random) -> None:
    """The governance mode, the methodologies and lifecycles, and the standards library."""
    admin, pmo = context.admin, context.logins["pmo"]
    governance = GovernanceSettings.current()
    governance.mode = GovernanceMode.CONTROLLING
    governance._history_user = admin
    governance.save()

    methodologies = {
        key: Methodology(name=name, name_zh_hans=name_zh, description=description)
        for key, name, name_zh, description in METHODOLOGIES
    }
    create_with_history(Methodology, list(methodologies.values()), default_user=admin)

    standards = _seed_library(context, rng)
    templates = {}
    families = {}
    # Versions after the first point at the one before them: those are saved afterwards.
    for first_versions in (True, False):
        batch = []
        for key, (method, name, version, age, status, description, _phases) in LIFECYCLES.items():
            if (version == 1) != first_versions:
                continue
            previous = templates.get(f"{method}_v{version - 1}")
            family = families.setdefault(method, uuid.UUID(int=rng.getrandbits(128), version=4))
            template = LifecycleTemplate(
                methodology=methodologies[method], name=name, description=description,
                family=family, version=version, previous_version=previous, status=status,
                created_by=pmo, created_at=moment(rng, context.today - days(age)),
            )  # fmt: skip
            template._history_date = template.created_at
            batch.append(template)
            templates[key] = template
        create_with_history(LifecycleTemplate, batch, default_user=pmo, dated=("created_at",))

    phases, items, links = [], [], []
    for key, (*_head, definitions) in LIFECYCLES.items():
        template = templates[key]
        context.template_phases[template.pk] = []
        for order, definition in enumerate(definitions, start=1):
            phase = TemplatePhase(
                template=template, order=order, name=definition.name,
                name_zh_hans=definition.name_zh_hans, description=definition.description,
                typical_weeks=definition.weeks, gate_name=definition.gate_name,
                gate_approver=definition.approver,
            )  # fmt: skip
            phases.append(phase)
            context.template_phases[template.pk].append(phase)
            for item_order, item_key in enumerate(definition.checklist, start=1):
                title, kind, evidence = CHECKLIST_ITEMS[item_key.rstrip("?")]
                items.append(
                    TemplateChecklistItem(
                        phase=phase, order=item_order, title=title, kind=kind,
                        mandatory=not item_key.endswith("?"), evidence=evidence,
                    )
                )  # fmt: skip
            links += [
                (phase, standard)
                for text, standard in zip(STANDARDS, standards, strict=True)
                if definition.stage in text.stages
            ]
    TemplatePhase.objects.bulk_create(phases, batch_size=BATCH_SIZE)
    TemplateChecklistItem.objects.bulk_create(items, batch_size=BATCH_SIZE)
    PhaseStandard = TemplatePhase.standards.through
    PhaseStandard.objects.bulk_create(
        [PhaseStandard(templatephase_id=p.pk, standard_id=s.pk) for p, s in links],
        batch_size=BATCH_SIZE,
    )
    for item in items:
        context.template_checklists.setdefault(item.phase.pk, []).append(item)
    for title, _kind, evidence in CHECKLIST_ITEMS.values():
        if evidence == FILE:
            _save_file(
                evidence_file_name(title),
                demo_pdf(title, ["This file stands in for the project's own document."]),
            )
    context.templates = templates
    context.summary["lifecycle templates"] = len(templates)
    context.summary["standards"] = len(standards)


def _seed_library(context: DemoContext, rng: random.Random) -> list[Standard]:
    standards = []
    for text in STANDARDS:
        standard = Standard(
            title=text.title, category=text.category, version=text.version,
            owner=context.logins[text.owner], body=text.body,
            updated_at=moment(rng, context.today - days(text.updated_days_ago)),
        )  # fmt: skip
        standard._history_user = standard.owner
        standard._history_date = standard.updated_at
        standards.append(standard)
    create_with_history(Standard, standards, default_user=context.admin, dated=("updated_at",))
    attachments = []
    for text, standard in zip(STANDARDS, standards, strict=True):
        if text.attachment:
            name = _save_file(
                f"standards/demo/{text.attachment}",
                # The file's own title is English: the PDF's standard fonts have no Chinese.
                demo_pdf(_title_of(text.attachment), text.body.split("\n\n")),
            )
            attachments.append(
                StandardAttachment(standard=standard, file=name, uploaded_by=standard.owner)
            )
    StandardAttachment.objects.bulk_create(attachments)
    return standards


def flush_standards() -> None:
    StandardAttachment.objects.all().delete()
    TemplatePhase.standards.through.objects.all().delete()
    Standard.history.all().delete()
    Standard.objects.all().delete()
    TemplateChecklistItem.objects.all().delete()
    TemplatePhase.objects.all().delete()
    LifecycleTemplate.history.all().delete()
    LifecycleTemplate.objects.update(previous_version=None)  # versions protect each other
    LifecycleTemplate.objects.all().delete()
    Methodology.history.all().delete()
    Methodology.objects.all().delete()
    GovernanceSettings.history.all().delete()
    GovernanceSettings.objects.all().delete()
    for name in _demo_file_names():
        default_storage.delete(name)


DEMO_STEPS = [DemoStep("standards", seed_standards, flush_standards)]
