"""What a solved scenario says, in the reader's language: why it is infeasible (the problem
codes of portfolio.selection) and which limits it uses."""

from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from projects.models import Project
from resources.models import ResourceRole

LIMIT_KINDS = {
    "budget": gettext_lazy("Total budget"),
    "budget_year": gettext_lazy("Budget in a year"),
    "capacity": gettext_lazy("Hours of a role"),
}


def _amount(value) -> str:
    return number_format(value, decimal_pos=2, use_l10n=True, force_grouping=True)


def _messages() -> dict:
    return {
        "unknown_candidate": _("%(project)s is named in the limits but is not a candidate."),
        "forced_in_and_out": _("%(project)s is both forced in and forced out."),
        "forced_needs_excluded": _(
            "%(project)s is forced in but needs %(requires)s, which is forced out."
        ),
        "forced_conflict_exclusive": _(
            "%(projects)s are forced in (or needed by forced projects) but are alternatives "
            "in one exclusive group."
        ),
        "forced_over_budget": _(
            "The forced projects and what they need cost %(cost)s, over the total budget of "
            "%(budget)s."
        ),
        "forced_over_year_budget": _(
            "In %(year)s the forced projects and what they need cost %(cost)s, over that "
            "year's budget of %(budget)s."
        ),
        "forced_over_capacity": _(
            "The forced projects and what they need ask for %(demand)s hours of %(role)s, over "
            "its limit of %(capacity)s hours."
        ),
        "solver_infeasible": _("No selection respects every limit."),
        "solver_no_solution": _("The optimiser stopped without a selection: %(reason)s"),
        "no_exchange_rate": _(
            "%(project)s is left out: its currency has no exchange rate to the reporting currency."
        ),
    }


def _ids(problems: list[dict], usage: list[dict]) -> tuple[set, set]:
    projects, roles = set(), set()
    for problem in problems:
        params = problem["params"]
        for name in ("key", "requires", "project"):
            if name in params:
                projects.add(params[name])
        projects.update(params.get("keys", []))
        if "role" in params:
            roles.add(params["role"])
    roles.update(row["key"] for row in usage if row["kind"] == "capacity")
    return projects, roles


def describe(problems: list[dict], usage: list[dict]) -> tuple[list[str], list[dict]]:
    """The problems as sentences, and the usage rows with a label for the limit: two queries
    (the projects and roles named), whatever their number."""
    project_ids, role_ids = _ids(problems, usage)
    codes = dict(Project.objects.filter(pk__in=project_ids).values_list("pk", "code"))
    roles = ResourceRole.objects.in_bulk(role_ids) if role_ids else {}
    code = lambda pk: codes.get(pk, f"#{pk}")  # noqa: E731
    messages = _messages()
    sentences = []
    for problem in problems:
        params = problem["params"]
        values = {
            "project": code(params.get("key", params.get("project"))),
            "requires": code(params.get("requires")),
            "projects": ", ".join(code(pk) for pk in params.get("keys", [])),
            "cost": _amount(params.get("cost", 0)),
            "budget": _amount(params.get("budget", 0)),
            "year": params.get("year", ""),
            "demand": _amount(params.get("demand", 0)),
            "capacity": _amount(params.get("capacity", 0)),
            "role": str(roles.get(params.get("role"), params.get("role", ""))),
            "reason": params.get("reason", ""),
        }
        template = messages.get(problem["code"])
        sentences.append(template % values if template else problem["code"])
    rows = []
    for row in usage:
        if row["kind"] == "capacity":
            label = str(roles.get(row["key"], row["key"]))
        elif row["kind"] == "budget_year":
            label = str(row["key"])
        else:
            label = ""
        rows.append({**row, "kind_label": LIMIT_KINDS.get(row["kind"], row["kind"]),
                     "label": label})  # fmt: skip
    return sentences, rows
