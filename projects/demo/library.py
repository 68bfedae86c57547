"""The PMO's standards library for the demo: policies, procedures, guidelines, document templates
and checklists, with the stages of a lifecycle where each applies.

Stages tie a standard to the template phases it applies to, whatever the methodology calls them:
start (initiation, discovery), plan, build (waterfall execution), iterate (agile and hybrid
delivery), control (monitoring), release (release, transition) and close.
"""

from dataclasses import dataclass

from ..models import Standard

Category = Standard.Category


@dataclass(frozen=True)
class StandardText:
    title: str
    category: str
    version: str
    owner: str  # a demo login
    stages: tuple[str, ...]
    updated_days_ago: int
    body: str
    attachment: str = ""  # the file name of a document template, made when seeding


STANDARDS = [
    StandardText(
        "Project Management Policy", Category.POLICY, "3.0", "admin", ("start",), 410,
        """This policy applies to every project of the group with a budget above CNY 500,000 or a duration of more than six months, and to any project the Executive Committee designates. Smaller pieces of work follow the light route described in the Stage-Gate Procedure.

Every project has a named sponsor, who owns the business case and its benefits, and a named project manager, who is accountable for delivering the agreed scope within the approved baseline. Projects run on one of the lifecycles the PMO publishes (waterfall, agile or hybrid) and pass each of its gates before work continues.

The baseline (scope, schedule and budget) is fixed when the project is approved. It changes only through a change request approved by the change board. Project managers report status every month, by the fifth working day, with an honest RAG rating; a red rating is escalated to the sponsor within one week.

Exceptions to this policy are granted in writing by the Head of the PMO and recorded in the project's decision log.""",  # noqa: E501
    ),
    StandardText(
        "Stage-Gate Procedure", Category.PROCEDURE, "2.1", "pmo",
        ("start", "plan", "build", "control", "iterate", "release", "close"), 120,
        """1. Purpose. A gate is the point where the approver decides, on evidence, whether the project continues as planned. The decision is one of go, conditional go, hold, recycle or stop.

2. Preparing a gate. The project manager attaches the evidence each checklist item asks for at the latest five working days before the gate is due. Every mandatory item must be complete: the portal does not accept a submission with mandatory items missing.

3. The decision. The PMO decides the gates marked for the PMO within ten working days of the submission; gates marked for the sponsor are decided by the sponsor, on the PMO's recommendation. A conditional go names each condition, its owner and its due date; open conditions are reviewed at the next project review.

4. Recycle and hold. A recycled gate goes back to the project manager with the reasons in the decision comment, and the project stays in its phase. A hold stops all spending other than agreed wind-down work until the approver lifts it.

5. Records. Submissions, decisions and conditions are kept in the portal for the life of the project and seven years after its closure.""",  # noqa: E501
    ),
    StandardText(
        "Business Case Template", Category.DOCUMENT_TEMPLATE, "1.4", "pmo", ("start",), 260,
        """Use this template for every project that asks for funding. Keep it short: ten pages are usually enough, and the executive summary must fit on one page.

Sections: 1. Executive summary. 2. Strategic fit: which objective the project serves, and how. 3. Options considered, including doing nothing, with the costs, benefits and risks of each. 4. The recommended option. 5. Costs, capital and operating, by year, with the contingency shown apart. 6. Benefits: measurable, each with an owner and a date. 7. Key risks and assumptions. 8. Timeline and major milestones.

Finance reviews the cost and benefit figures before the business case goes to the sponsor. Amounts are in CNY unless the contract currency is another; state the exchange rate used.""",  # noqa: E501
        attachment="business-case-template.pdf",
    ),
    StandardText(
        "项目章程模板", Category.DOCUMENT_TEMPLATE, "2.0", "pmo", ("start",), 190,
        """The project charter authorises the project and gives the project manager the authority to use the organisation's resources for it. It is written once the business case is approved and is signed by the sponsor.

Contents: purpose and objectives (specific, measurable and dated); scope, both what is in and what is out; the main deliverables; high-level milestones; budget and source of funding; the organisation: sponsor, project manager, steering committee and key team members; the main risks, assumptions and constraints; the criteria by which success will be judged; signatures.

The signed charter is the evidence for the Initiation gate. Changes to it after approval go through change control.""",  # noqa: E501
        attachment="project-charter-template.pdf",
    ),
    StandardText(
        "Risk Management Procedure", Category.PROCEDURE, "1.3", "pmo",
        ("plan", "control", "iterate"), 330,
        """Risks are identified in a workshop during planning and at every phase start, and recorded in the project's risk register. Each risk has a cause, an effect, a probability and an impact from 1 to 5, an owner and a response: avoid, reduce, transfer or accept.

The project manager reviews the register with the team every month and before each gate. Risks scoring 15 or more are escalated to the sponsor within five working days; risks scoring 20 or more are reported to the monthly portfolio review.

Cost and schedule exposure are estimated for every risk scoring 9 or more. The contingency reserve in the baseline covers the expected value of the open risks; drawing on it needs the sponsor's approval, recorded in the decision log.""",  # noqa: E501
    ),
    StandardText(
        "Change Control Procedure", Category.PROCEDURE, "2.0", "pmo",
        ("build", "control", "iterate"), 150,
        """A change request is needed for any change to a baselined project that adds or removes scope, moves the end date by more than two weeks, or changes the budget by more than 5% or CNY 200,000, whichever is lower.

The project manager records the change request in the portal with its reason and its impact on scope, schedule and cost, after consulting the people affected. The change board (the PMO and, for changes above CNY 1 million, the sponsor) meets every Thursday and approves or rejects each request that was submitted by Tuesday.

An approved change moves the baseline by its schedule and cost impact. A rejected change is closed with the reason; it can be raised again with new information. Emergency changes may be approved by the Head of the PMO alone and are reported to the next change board.""",  # noqa: E501
    ),
    StandardText(
        "项目状态报告指南", Category.GUIDELINE, "1.2", "pmo", ("build", "control", "iterate"), 75,
        """Every active project reports its status in the portal by the fifth working day of the month. The report covers progress since the last report, the plan for the next month, milestones, the top risks and issues, and the decisions needed from the sponsor.

RAG ratings: green means the project is within its tolerances; amber means a tolerance is forecast to be exceeded but the project manager can recover it; red means a tolerance is or will be exceeded and a decision above the project manager is needed. The tolerances are 10% or two weeks on schedule and 5% on cost, unless the charter sets others.

Write for a reader who has five minutes: lead with what changed and what you need. Do not turn a rating green until the cause is resolved.""",  # noqa: E501
    ),
    StandardText(
        "Stakeholder Engagement Guideline", Category.GUIDELINE, "1.0", "pmo", ("start", "plan"),
        520,
        """List the stakeholders in the stakeholder register during initiation: the people and groups who are affected by the project or can affect it, with their interest, their influence and their current and wanted attitude.

Place them on a power/interest grid. Manage closely those with high power and high interest; keep satisfied those with high power and low interest; keep informed those with low power and high interest. Agree with the sponsor who speaks to the steering committee and to the works council.

The communication plan follows from the register: who is told what, how often and by whom. Review both at every gate.""",  # noqa: E501
    ),
    StandardText(
        "敏捷交付指南", Category.GUIDELINE, "1.1", "pmo", ("start", "iterate", "release"), 95,
        """Agile projects deliver in sprints of two weeks, with a product owner who decides the order of the backlog, a scrum master and a cross-functional team of at most nine people. The product owner is available to the team every day.

Each sprint ends with a review, where the product owner accepts or rejects the increment against the definition of done, and a retrospective. Velocity is tracked for planning only, never to compare teams.

Governance is light but not absent: the Discovery gate approves the product vision and funding, the release-readiness gate checks test results and security before anything reaches production, and the Closure gate hands the remaining backlog over. Status reports use the same RAG rules as other projects, with the release forecast in place of the schedule.""",  # noqa: E501
    ),
    StandardText(
        "Test and Acceptance Checklist", Category.CHECKLIST, "1.5", "pmo",
        ("build", "iterate", "release"), 210,
        """Before asking for the release-readiness or deployment gate, confirm each point:

- The test plan was approved by the business owner and the test manager.
- All planned test cases were run; the pass rate and the open defects are in the test report.
- No critical or high defect is open; medium defects have an agreed workaround.
- Performance and load tests met the agreed response times.
- The security scan shows no high finding; personal data is handled as the privacy assessment requires.
- User acceptance testing was signed off by the business owner.
- The deployment and rollback plan was rehearsed.
- The service desk and key users were trained.""",  # noqa: E501
    ),
    StandardText(
        "项目收尾检查单", Category.CHECKLIST, "2.0", "pmo", ("close",), 140,
        """Before asking for the closure gate, confirm each point:

- The acceptance certificate is signed by the sponsor.
- The product or service is handed over to its operating owner, with its documentation.
- Open issues, risks and change requests are closed or handed over with an owner.
- Contracts and purchase orders are closed and the last invoices are paid.
- The final cost is reconciled with Finance and the budget released.
- Team members are released and their line managers have their feedback.
- The lessons learned workshop was held and its report published.
- Project documents are archived and benefits tracking is handed to the sponsor.""",  # noqa: E501
    ),
    StandardText(
        "Lessons Learned Template", Category.DOCUMENT_TEMPLATE, "1.0", "pmo", ("close",), 600,
        """Hold the lessons learned workshop within four weeks of the last delivery, with the team, the sponsor and the main stakeholders. Allow ninety minutes.

Record for each topic (planning, scope, schedule, cost, quality, people, suppliers, communication): what went well and should be repeated, what did not and why, and the recommendation for future projects. Name an owner for each recommendation the PMO should act on.

Publish the report in the portal's knowledge base, tagged by project type, so that the next project of that type finds it at its start.""",  # noqa: E501
        attachment="lessons-learned-template.pdf",
    ),
    StandardText(
        "Information Security Requirements for Projects", Category.POLICY, "1.2", "admin",
        ("plan", "build", "iterate"), 300,
        """Every project that builds or changes an information system classifies the data it handles (public, internal, confidential, personal) during planning and records the classification in the project management plan.

Systems handling confidential or personal data need a security design review by Information Security before build starts, and a penetration test before go-live. Systems in scope of MLPS 2.0 are graded and filed before they go live; personal information is processed as the Personal Information Protection Law requires, with a privacy impact assessment on file.

Findings rated high must be fixed before the deployment gate; medium findings need a dated remediation plan accepted by Information Security.""",  # noqa: E501
    ),
]  # fmt: skip
