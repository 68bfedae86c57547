"""Texts of the demo's risks, responses, issues and lessons."""

THREAT, OPPORTUNITY = "threat", "opportunity"

RISKS = {
    "TEC": [
        (
            "Requirements keep changing after sign-off",
            "Stakeholders were not all consulted",
            "Rework and a later go-live",
            THREAT,
        ),
        (
            "Legacy interface is undocumented",
            "The original team has left",
            "Integration takes longer than planned",
            THREAT,
        ),
        (
            "Performance falls short at peak load",
            "Volumes were estimated from last year",
            "Users wait and the rollout stalls",
            THREAT,
        ),
        (
            "Data migration leaves records behind",
            "Source data quality is poor",
            "Reconciliation work and a delayed cut-over",
            THREAT,
        ),
        (
            "A reusable component from another project fits",
            "The platform team published it",
            "Less to build",
            OPPORTUNITY,
        ),
    ],
    "EXT": [
        (
            "Key supplier delivers late",
            "The supplier is over-committed",
            "Dependent work waits",
            THREAT,
        ),
        (
            "New regulation changes the reporting rules",
            "The regulator is consulting",
            "Reports must be redesigned",
            THREAT,
        ),
        (
            "Exchange rate moves against the budget",
            "Hardware is bought in dollars",
            "Hardware costs more",
            THREAT,
        ),
        (
            "Vendor offers a volume discount",
            "Other units buy the same licences",
            "Licences cost less",
            OPPORTUNITY,
        ),
    ],
    "ORG": [
        (
            "Key engineer leaves the project",
            "The market for this skill is tight",
            "Knowledge is lost and work slows",
            THREAT,
        ),
        (
            "Funding is cut at mid-year review",
            "Company results are below plan",
            "Scope must be reduced",
            THREAT,
        ),
        (
            "Business users are not released for testing",
            "Their peak season overlaps",
            "Acceptance is late",
            THREAT,
        ),
        (
            "A sister project shares its test team",
            "Its testing ends early",
            "Testing starts sooner",
            OPPORTUNITY,
        ),
    ],
    "PM": [
        (
            "Estimates are optimistic",
            "Estimated before the design was known",
            "Cost and schedule overrun",
            THREAT,
        ),
        (
            "Dependencies between teams are missed",
            "Plans are kept separately",
            "Hand-overs slip",
            THREAT,
        ),
        (
            "Steering committee decisions are slow",
            "Members rarely attend",
            "Decisions wait weeks",
            THREAT,
        ),
    ],
}

ACTIONS = [
    (
        "Run a requirements workshop with every stakeholder group",
        "Freeze the scope with all stakeholders and route changes through change control.",
    ),
    ("Qualify a second supplier", "Reduce the dependence on one supplier."),
    ("Load-test with production volumes", "Test performance early with realistic volumes."),
    ("Hedge the dollar purchases", "Fix the exchange rate for the hardware order."),
    ("Pair a second engineer with the key engineer", "Spread the knowledge across the team."),
    ("Profile and clean the source data", "Clean data before the migration rehearsals."),
    ("Book the business testers now", "Agree testers' time with their managers in advance."),
    ("Re-estimate with the detailed design", "Replace top-down estimates by bottom-up ones."),
]

ISSUES = [
    ("Test environment unavailable", "The shared environment is down for maintenance."),
    ("Supplier missed the delivery date", "Two weeks late; dependent tasks are blocked."),
    ("Budget approval still pending", "Purchasing cannot order the licences."),
    ("Key tester on sick leave", "Acceptance testing is short of one person."),
    ("Production defect after release", "Invoices are printed twice."),
]

LESSONS = [
    (
        "EXT-SUP",
        "Vet small suppliers' finances before signing",
        "A small supplier went bankrupt halfway through and deliveries stopped.",
        "Check suppliers' accounts and keep a second supplier qualified.",
        "vendor, supplier",
    ),
    (
        "TEC-REQ",
        "Sign off requirements with every stakeholder group",
        "A department not consulted asked for changes after sign-off; rework took a month.",
        "Map all stakeholders before the requirements workshops.",
        "requirements, scope",
    ),
    (
        "TEC-TEC",
        "Load-test with production volumes early",
        "Performance problems surfaced in the last week before go-live.",
        "Plan load tests in the first build phase with realistic volumes.",
        "performance, testing",
    ),
    (
        "ORG-RES",
        "Avoid single points of knowledge",
        "When the lead engineer left, nobody knew the interface.",
        "Pair people on critical components and write down the design.",
        "staffing, knowledge",
    ),
    (
        "PM-EST",
        "Re-estimate after the design",
        "Top-down estimates were 40% too low.",
        "Re-estimate bottom-up once the design is known and update the baseline.",
        "estimating",
    ),
    (
        "EXT-REG",
        "Track regulatory consultations",
        "A new rule came into force during the build; reports had to be redone.",
        "Have compliance review upcoming rules at each gate.",
        "regulation, compliance",
    ),
    (
        "ORG-FUN",
        "Phase the budget to survive a mid-year cut",
        "Funding was cut and the project had no usable release.",
        "Deliver value in releases so a cut leaves something useful.",
        "budget, funding",
    ),
    (
        "PM-COM",
        "Keep the steering committee small",
        "Decisions waited weeks for a quorum.",
        "Name deputies and allow decisions by e-mail between meetings.",
        "governance",
    ),
]
