from django.urls import reverse
from django.utils.translation import gettext_lazy as _

NAVIGATION = [
    ("projects", _("Projects"), "projects:list"),
    ("portfolio", _("Portfolio"), "portfolio"),
    ("resources", _("Resources"), "resources"),
    ("risks", _("Risks"), "risks"),
    ("reports", _("Reports"), "reports"),
]


PROJECT_SECTIONS = [
    (_("Register"), "projects:list"),
    (_("Lifecycles"), "projects:template_list"),
    (_("Standards"), "projects:standard_list"),
    (_("Gate reviews"), "projects:gate_queue"),
    (_("Change requests"), "projects:change_queue"),
    (_("Meetings"), "projects:meeting_list"),
    (_("Compliance"), "projects:compliance"),
    (_("Governance"), "projects:governance"),
]


PORTFOLIO_SECTIONS = [
    (_("Dashboard"), "portfolio"),
    (_("Portfolios"), "portfolio:tree"),
    (_("Objectives and criteria"), "portfolio:criteria"),
    (_("Pairwise weights"), "portfolio:pairwise"),
    (_("Ranking"), "portfolio:ranking"),
    (_("Proposed scores"), "portfolio:proposal_list"),
    (_("Scenarios"), "portfolio:scenario_list"),
    (_("Reviews"), "portfolio:review_list"),
    (_("Budget and actual"), "portfolio:cost_rollup"),
]


RESOURCE_SECTIONS = [
    (_("People and resources"), "resources:list"),
    (_("Requests"), "resources:request_list"),
    (_("Capacity by role"), "resources:role_heatmap"),
    (_("Utilisation by person"), "resources:people_heatmap"),
    (_("Utilisation"), "resources:utilisation"),
    (_("Budget and actual cost"), "resources:cost_rollup"),
]


REPORT_SECTIONS = [
    (_("Status reports"), "reports:list"),
    (_("Needing attention"), "reports:attention"),
    (_("Milestones"), "reports:milestones"),
    (_("PMO effectiveness"), "reports:effectiveness"),
    (_("RAG thresholds"), "reports:thresholds"),
    (_("Executive reports"), "reports:executive_archive"),
]


RISK_SECTIONS = [
    (_("Register"), "risks"),
    (_("Heat map"), "risks:heat_map"),
    (_("Roll-up"), "risks:rollup"),
    (_("Exposure"), "risks:exposure"),
    (_("Reviews due"), "risks:my_reviews"),
    (_("Issues"), "risks:issue_list"),
    (_("Lessons learned"), "risks:lesson_list"),
    (_("Settings"), "risks:settings"),
]


def _sections(path: str, sections) -> list[dict]:
    items = [{"label": label, "url": reverse(url_name)} for label, url_name in sections]
    # The longest matching address marks the current section ("/projects/" matches them all).
    current = max((i for i in items if path.startswith(i["url"])), key=lambda i: len(i["url"]),
                  default=None)  # fmt: skip
    for item in items:
        item["active"] = item is current
    return items


def navigation(request):
    """The top navigation: the five areas, the current one marked."""
    if not getattr(request, "user", None) or not request.user.is_authenticated:
        return {}
    path = request.path
    items = []
    for key, label, url_name in NAVIGATION:
        url = reverse(url_name)
        items.append({"key": key, "label": label, "url": url, "active": path.startswith(url)})
    context = {"nav_items": items}
    if path.startswith(reverse("projects:list")):
        context["section_items"] = _sections(path, PROJECT_SECTIONS)
        context["section_label"] = _("Project standards and register")
    elif path.startswith(reverse("portfolio")):
        context["section_items"] = _sections(path, PORTFOLIO_SECTIONS)
        context["section_label"] = _("Portfolio management")
    elif path.startswith(reverse("resources")):
        context["section_items"] = _sections(path, RESOURCE_SECTIONS)
        context["section_label"] = _("Resources and budgets")
    elif path.startswith(reverse("risks")):
        context["section_items"] = _sections(path, RISK_SECTIONS)
        context["section_label"] = _("Risk management")
    elif path.startswith(reverse("reports")):
        context["section_items"] = _sections(path, REPORT_SECTIONS)
        context["section_label"] = _("Status reporting and monitoring")
    return context
