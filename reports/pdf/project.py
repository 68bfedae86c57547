"""The project report: one project's status (its latest report), earned value and S-curve,
risks, milestones, and what changed since the previous report."""

from decimal import Decimal

from django.utils.text import capfirst
from django.utils.translation import gettext as _
from reportlab.platypus import PageBreak

from projects.models import Milestone, Project
from risks.figures import heat_map, project_risk_summary
from risks.models import Risk
from risks.models.register import ACTIVE_STATUSES

from .. import figures as project_figures
from ..models import StatusReport
from . import charts, data, formatting, sections
from .base import Composed, Request
from .sections import Story, rag_labels
from .styles import RAG_COLOURS, SERIES

MILESTONES_LISTED = 40


def the_project(request: Request) -> Project:
    ids = request.scope.scope.project_ids
    if len(ids) != 1:
        raise ValueError("A project report needs exactly one project in its scope.")
    return Project.objects.select_related(
        "department", "manager", "sponsor", "project_type", "reporting__latest_report__period"
    ).get(pk=ids[0])


def compose(request: Request) -> Composed:
    project = the_project(request)
    today = request.period_end
    masthead = request.masthead(
        _("Project report"), _("Status, earned value, risks and milestones of a project"),
        "project",
    )  # fmt: skip
    masthead.scope = str(project)
    latest = getattr(getattr(project, "reporting", None), "latest_report", None)
    story = Story(request.theme)
    labels = rag_labels()
    sections.cover(
        story, masthead,
        request.facts(masthead, (_("Project manager"), sections.person(project.manager)),
                      (_("Latest RAG"), labels[latest.overall_rag if latest else None])),
        project.description[:300] or _("No description."),
    )  # fmt: skip
    sections.contents(story)
    story.add(PageBreak())
    status(story, project, latest)
    earned_value(story, project, latest, today, request)
    project_risks(story, project)
    milestones(story, project)
    changes(story, project, request)
    return Composed(masthead, story)


def status(story: Story, project: Project, latest: StatusReport | None) -> None:
    story.section(_("Status"), "status")
    facts = [
        (_("Department"), project.department.display_name),
        (_("Project manager"), sections.person(project.manager)),
        (_("Sponsor"), sections.person(project.sponsor)),
        (_("Status"), project.get_status_display()),
        (_("Priority"), project.get_priority_display()),
        (_("Planned"), f"{formatting.short_date(project.planned_start)} – "
                       f"{formatting.short_date(project.planned_end)}"),
        (_("Baseline"), f"{formatting.short_date(project.baseline_start)} – "
                        f"{formatting.short_date(project.baseline_end)}"),
        (_("Forecast end"), formatting.short_date(project.forecast_end)),
        (_("Budget"), formatting.full_amount(project.budget, project.currency)),
    ]  # fmt: skip
    story.table([_("Fact"), _("Value")], [list(fact) for fact in facts], [30, 70])
    if latest is None:
        story.paragraph(_("The project has no published status report yet."))
        return
    story.subsection(_("Latest status report"), "status-report")
    story.paragraph(
        _("%(period)s, %(done)s complete.")
        % {"period": str(latest.period), "done": formatting.percent(latest.percent_complete)}
    )
    story.table(
        [_("Dimension"), _("RAG")],
        [[_("Overall"), story.rag(latest.overall_rag)]]
        + [[capfirst(label), story.rag(value)] for label, value, _text in latest.dimensions],
        [40, 60],
    )
    for title, text in (
        (_("Achievements this period"), latest.achievements),
        (_("Next steps"), latest.next_steps),
        (_("Issues"), latest.issues),
        (_("Decisions needed"), latest.decisions_needed),
    ):
        if text:
            story.paragraph(title, "h2")
            for line in text.splitlines():
                if line.strip():
                    story.paragraph(line.strip())


def earned_value(story: Story, project: Project, latest, today, request: Request) -> None:
    story.section(_("Earned value"), "evm", room=260)
    percent = latest.percent_complete if latest else Decimal(0)
    figures = project_figures.project_figures(project, on=today, percent_complete=percent,
                                              today=today)  # fmt: skip
    value = figures.earned_value
    currency = figures.currency

    def amount(number):
        return f"{formatting.short_amount(number)} {currency}" if number is not None else "—"

    story.cards(
        [
            (_("Budget at completion (BAC)"), amount(value.bac), "", None),
            (_("Planned value (PV)"), amount(value.pv), "", None),
            (_("Earned value (EV)"), amount(value.ev), "", None),
            (_("Actual cost (AC)"), amount(value.ac), "", None),
            (_("CPI"), formatting.index(value.cpi), _("cost efficiency"), _index_colour(value.cpi)),
            (_("SPI"), formatting.index(value.spi), _("schedule efficiency"),
             _index_colour(value.spi)),
            (_("Estimate at completion (EAC)"), amount(value.eac), value.eac_formula, None),
            (_("Variance at completion (VAC)"), amount(value.vac), "", None),
        ]
    )  # fmt: skip
    if figures.suggestion.reasons:
        for reason in figures.suggestion.reasons:
            story.paragraph(reason, "note")
    curve = project_figures.s_curve(project, today)
    story.subsection(_("S-curve"), "evm-curve", room=220)
    story.add(
        charts.line_chart(
            curve["labels"],
            [(_("Planned value"), curve["pv"], SERIES[1]),
             (_("Earned value"), curve["ev"], RAG_COLOURS["green"]),
             (_("Actual cost"), curve["ac"], RAG_COLOURS["red"])],
            story.theme, story.width,
        )
    )  # fmt: skip
    story.paragraph(_("Cumulative, at each month's end, in %(currency)s.")
                    % {"currency": currency}, "note")  # fmt: skip


def _index_colour(value):
    if value is None:
        return None
    return RAG_COLOURS["green"] if value >= 1 else RAG_COLOURS["red"]


def project_risks(story: Story, project: Project) -> None:
    story.section(_("Risks"), "risks", room=220)
    summary = project_risk_summary(project)
    counts = summary["figures"]
    story.paragraph(
        _("%(active)s active risks: %(critical)s critical, %(high)s high, %(medium)s medium, "
          "%(low)s low. Threat exposure (EMV): %(emv)s.")
        % {"active": formatting.count(counts["active_count"]),
           "critical": formatting.count(counts["critical_count"]),
           "high": formatting.count(counts["high_count"]),
           "medium": formatting.count(counts["medium_count"]),
           "low": formatting.count(counts["low_count"]),
           "emv": formatting.full_amount(counts["threat_emv"] or 0, project.currency)}
    )  # fmt: skip
    threats = Risk.objects.filter(project=project, kind=Risk.Kind.THREAT,
                                  status__in=ACTIVE_STATUSES)  # fmt: skip
    story.add(charts.heat_map(heat_map(threats, residual=True), story.theme,
                              probability=_("Probability"), impact=_("Impact")))  # fmt: skip
    story.table(
        [_("Risk"), _("Owner"), _("P×I"), _("Level"), _("EMV")],
        [[f"{r.reference} {r.title}", sections.person(r.owner),
          f"{r.residual_probability}×{r.residual_impact}", r.get_residual_level_display(),
          formatting.short_amount(r.emv)] for r in summary["top_risks"]],
        [46, 18, 10, 12, 14], right=(2, 4), empty=_("No active risk."),
    )  # fmt: skip


def milestones(story: Story, project: Project) -> None:
    story.section(_("Milestones"), "milestones")
    rows = list(Milestone.objects.filter(project=project).order_by("forecast_date", "pk")[
        :MILESTONES_LISTED
    ])  # fmt: skip
    story.table(
        [_("Milestone"), _("Baseline"), _("Forecast"), _("Actual"), _("Slip (days)")],
        [[m.name, formatting.short_date(m.baseline_date), formatting.short_date(m.forecast_date),
          formatting.short_date(m.actual_date),
          formatting.count(m.slippage_days) if m.slippage_days is not None else "—"]
         for m in rows],
        [40, 15, 15, 15, 15], right=(1, 2, 3, 4), empty=_("No milestone."),
    )  # fmt: skip


def changes(story: Story, project: Project, request: Request) -> None:
    story.section(_("What changed since the previous report"), "changes")
    if request.previous_end is None:
        story.paragraph(_("This is the first report of its series: there is nothing to compare "
                          "with yet."))  # fmt: skip
        return
    projects = Project.objects.filter(pk=project.pk)
    then = dict(data.rag_at(projects, request.previous_end)).get(project.pk)
    latest = getattr(getattr(project, "reporting", None), "latest_report", None)
    story.paragraph(
        _("RAG at %(date)s: %(then)s; now: %(now)s.")
        % {"date": formatting.date(request.previous_end), "then": rag_labels()[then],
           "now": rag_labels()[latest.overall_rag if latest else None]}
    )  # fmt: skip
    found = data.decisions(projects, since=request.previous_end, until=request.period_end)
    story.table(
        [_("Date"), _("Kind"), _("On"), _("Decision"), _("Note")],
        [[formatting.short_date(d.day), d.kind, d.subject, d.decision, d.note[:160]]
         for d in found.rows],
        [13, 15, 32, 12, 28], empty=_("No decision was recorded."),
    )  # fmt: skip
