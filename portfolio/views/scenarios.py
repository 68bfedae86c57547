"""Scenarios: the list, a new one, its limits and candidates, its solved result and frontier,
copying, committing, and two scenarios side by side."""

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from pmo_portal import permissions
from pmo_portal.errors import StaleVersionError
from pmo_portal.service_forms import add_service_error
from projects.models import Project

from ..forms.scenarios import (
    CandidateFormSet,
    CommitForm,
    CompareForm,
    DependencyFormSet,
    RoleLimitFormSet,
    ScenarioCreateForm,
    ScenarioForm,
    YearLimitFormSet,
)
from ..models import Scenario, ScenarioCandidate
from ..problems import describe
from ..services import scenarios as services
from .structure import ensure_reader

SCENARIOS_PER_PAGE = 25
CANDIDATES_PER_PAGE = 50
COMPARED_PROJECTS = 100


def ensure_planner(user) -> None:
    ensure_reader(user)
    permissions.ensure(permissions.can_manage_scenarios(user))


def get_scenario(user, pk) -> Scenario:
    ensure_reader(user)
    return get_object_or_404(
        Scenario.objects.select_related("portfolio", "created_by", "committed_by"), pk=pk
    )


def with_counts(scenarios):
    return scenarios.annotate(
        candidate_count=Count("candidates"),
        selected_count=Count("candidates", filter=Q(candidates__selected=True)),
    )


def scenario_list(request):
    ensure_reader(request.user)
    scenarios = with_counts(Scenario.objects.select_related("portfolio", "created_by")).order_by(
        "-created_at", "-pk"
    )
    page = Paginator(scenarios, SCENARIOS_PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "portfolio/scenarios/scenario_list.html",
        {
            "page_obj": page,
            "compare_form": CompareForm(),
            "currency": settings.DEFAULT_CURRENCY,
            "can_manage": permissions.can_manage_scenarios(request.user),
        },
    )


def scenario_create(request):
    ensure_planner(request.user)
    form = ScenarioCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            scenario = services.scenario_create(by=request.user, **data)
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(
                request,
                _("Scenario %(name)s created with %(count)d candidates.")
                % {"name": scenario.name, "count": scenario.candidates.count()},
            )
            return redirect(scenario)
    return render(request, "portfolio/scenarios/scenario_create.html", {"form": form})


def _candidates_page(request, scenario: Scenario, shown: str):
    candidates = scenario.candidates.select_related("project", "project__department").order_by(
        "-selected", "-value", "project__code"
    )
    if shown == "selected":
        candidates = candidates.filter(selected=True)
    elif shown == "deferred":
        candidates = candidates.filter(selected=False)
    return Paginator(candidates, CANDIDATES_PER_PAGE).get_page(request.GET.get("page"))


def scenario_detail(request, pk):
    """The scenario's inputs and its last solve: what is selected and deferred, which limits
    bind, why it is infeasible; and its efficient frontier."""
    scenario = get_scenario(request.user, pk)
    shown = request.GET.get("shown", "")
    problems, usage = describe(scenario.problems, scenario.usage)
    counts = scenario.candidates.aggregate(
        total=Count("pk"),
        selected=Count("pk", filter=Q(selected=True)),
        forced_in=Count("pk", filter=Q(forced=ScenarioCandidate.Forced.IN)),
        forced_out=Count("pk", filter=Q(forced=ScenarioCandidate.Forced.OUT)),
    )
    frontier_chart = {
        "labels": [point["budget"] for point in scenario.frontier],
        "values": [point["value"] for point in scenario.frontier],
        "costs": [point["cost"] for point in scenario.frontier],
        "counts": [point["count"] for point in scenario.frontier],
        "budget": float(scenario.total_budget) if scenario.total_budget is not None else None,
    }
    return render(
        request,
        "portfolio/scenarios/scenario_detail.html",
        {
            "scenario": scenario,
            "counts": counts,
            "problems": problems,
            "usage": usage,
            "year_limits": scenario.year_limits.all(),
            "role_limits": scenario.role_limits.select_related("role"),
            "dependencies": scenario.dependencies.select_related("project", "requires"),
            "groups": scenario.candidates.exclude(exclusive_group="")
            .order_by("exclusive_group")
            .values("exclusive_group")
            .annotate(count=Count("pk")),
            "page_obj": _candidates_page(request, scenario, shown),
            "shown": shown,
            "frontier_chart": frontier_chart,
            "commit_form": CommitForm(),
            "currency": settings.DEFAULT_CURRENCY,
            "can_manage": permissions.can_manage_scenarios(request.user),
        },
    )


def _limit_initial(scenario: Scenario):
    return (
        [{"year": r.year, "budget": r.budget} for r in scenario.year_limits.all()],
        [{"role": r.role_id, "hours": r.hours} for r in scenario.role_limits.all()],
        [
            {"project": r.project.code, "requires": r.requires.code}
            for r in scenario.dependencies.select_related("project", "requires")
        ],
    )


def scenario_edit(request, pk):
    """A draft scenario's name, total budget, budget per year, hours per role and
    dependencies, saved together (or not at all); the last solve is cleared."""
    ensure_planner(request.user)
    scenario = get_scenario(request.user, pk)
    if scenario.is_committed:
        messages.error(request, _("This scenario is committed: it can no longer be changed."))
        return redirect(scenario)
    years, roles, dependencies = _limit_initial(scenario)
    data = request.POST if request.method == "POST" else None
    form = ScenarioForm(data, instance=scenario)
    year_formset = YearLimitFormSet(data, prefix="years", initial=years)
    role_formset = RoleLimitFormSet(data, prefix="roles", initial=roles)
    dependency_formset = DependencyFormSet(data, prefix="dependencies", initial=dependencies)
    formsets = [year_formset, role_formset, dependency_formset]
    if data is not None and all([form.is_valid(), *[f.is_valid() for f in formsets]]):
        try:
            _save_scenario(request, scenario, form, year_formset, role_formset, dependency_formset)
        except StaleVersionError as error:
            form.add_error(None, str(error))
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("Scenario saved. Solve it to see the selection."))
            return redirect(scenario)
    return render(
        request,
        "portfolio/scenarios/scenario_form.html",
        {
            "scenario": scenario,
            "form": form,
            "year_formset": year_formset,
            "role_formset": role_formset,
            "dependency_formset": dependency_formset,
        },
    )


def _save_scenario(request, scenario, form, year_formset, role_formset, dependency_formset):
    rows = dependency_formset.filled()
    codes = {row[name] for row in rows for name in ("project", "requires")}
    projects = {p.code: p for p in Project.objects.filter(code__in=codes)}
    unknown = sorted(codes - set(projects))
    if unknown:
        raise ValidationError(
            _("There is no project with the code %(codes)s.") % {"codes": ", ".join(unknown)}
        )
    services.scenario_save(
        by=request.user,
        scenario=scenario,
        version=form.cleaned_data["version"] or 0,
        year_limits=[(row["year"], row["budget"]) for row in year_formset.filled()],
        role_limits=[(row["role"], row["hours"]) for row in role_formset.filled()],
        dependencies=[(projects[row["project"]], projects[row["requires"]]) for row in rows],
        **form.service_fields(),
    )


def scenario_candidates(request, pk):
    """The candidates page by page: force them in or out, group alternatives."""
    ensure_planner(request.user)
    scenario = get_scenario(request.user, pk)
    query = request.GET.get("q", "").strip()
    candidates = scenario.candidates.select_related("project").order_by("project__code")
    if query:
        candidates = candidates.filter(
            Q(project__code__icontains=query) | Q(project__name__icontains=query)
        )
    page = Paginator(candidates, CANDIDATES_PER_PAGE).get_page(request.GET.get("page"))
    rows = list(page.object_list)
    initial = [
        {"candidate": row.pk, "forced": row.forced, "exclusive_group": row.exclusive_group}
        for row in rows
    ]
    formset = CandidateFormSet(
        request.POST if request.method == "POST" else None, prefix="candidates", initial=initial
    )
    if request.method == "POST" and formset.is_valid():
        mine = set(scenario.candidates.values_list("pk", flat=True))
        changes = {
            form.cleaned_data["candidate"]: (
                form.cleaned_data["forced"] or "",
                form.cleaned_data["exclusive_group"] or "",
            )
            for form in formset.forms
            if form.cleaned_data.get("candidate") in mine
        }
        try:
            count = services.candidates_update(by=request.user, scenario=scenario, changes=changes)
        except ValidationError as error:
            formset._non_form_errors = formset.error_class(error.messages)
        else:
            messages.success(
                request,
                _("%(count)d candidates changed.") % {"count": count}
                if count
                else _("Nothing changed."),
            )
            return HttpResponseRedirect(request.get_full_path())
    return render(
        request,
        "portfolio/scenarios/scenario_candidates.html",
        {
            "scenario": scenario,
            "page_obj": page,
            "rows": list(zip(rows, formset.forms, strict=False)),
            "formset": formset,
            "query": query,
        },
    )


def _action(request, pk, action, success):
    ensure_planner(request.user)
    scenario = get_scenario(request.user, pk)
    try:
        result = action(by=request.user, scenario=scenario)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(scenario)
    messages.success(request, success(result))
    return redirect(result if isinstance(result, Scenario) else scenario)


@require_POST
def scenario_solve(request, pk):
    def success(scenario):
        if scenario.feasible:
            return _("Solved: %(count)d projects selected.") % {
                "count": scenario.candidates.filter(selected=True).count()
            }
        return _("No selection respects these limits; see the problems below.")

    return _action(request, pk, services.scenario_solve, success)


@require_POST
def scenario_frontier(request, pk):
    return _action(
        request,
        pk,
        services.scenario_frontier,
        lambda scenario: (
            _("Efficient frontier computed at %(count)d budget levels.")
            % {"count": len(scenario.frontier)}
        ),
    )


@require_POST
def scenario_copy(request, pk):
    return _action(
        request,
        pk,
        services.scenario_copy,
        lambda copy: _("Copied as %(name)s, a draft.") % {"name": copy.name},
    )


@require_POST
def scenario_commit(request, pk):
    ensure_planner(request.user)
    scenario = get_scenario(request.user, pk)
    form = CommitForm(request.POST)
    note = form.cleaned_data["note"] if form.is_valid() else ""
    try:
        decisions = services.scenario_commit(by=request.user, scenario=scenario, note=note)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            _("Scenario committed: %(count)d portfolio decisions recorded on the projects.")
            % {"count": len(decisions)},
        )
    return redirect(scenario)


def _summary(scenario: Scenario) -> dict:
    problems, usage = describe(scenario.problems, scenario.usage)
    return {
        "scenario": scenario,
        "problems": problems,
        "usage": usage,
        "year_limits": {r.year: r.budget for r in scenario.year_limits.all()},
        "role_limits": {str(r.role): r.hours for r in scenario.role_limits.select_related("role")},
    }


def scenario_compare(request):
    """Two scenarios side by side: totals, limits, and the projects only one selects."""
    ensure_reader(request.user)
    form = CompareForm(request.GET or None)
    context = {"form": form, "currency": settings.DEFAULT_CURRENCY}
    if form.is_valid():
        first, second = (
            with_counts(
                Scenario.objects.select_related("portfolio").filter(
                    pk__in=[form.cleaned_data["first"].pk, form.cleaned_data["second"].pk]
                )
            )
            .in_bulk()
            .values()
        )
        if first.pk != form.cleaned_data["first"].pk:
            first, second = second, first
        a, b = _summary(first), _summary(second)
        chosen = ScenarioCandidate.objects.filter(
            scenario__in=[first, second], selected=True
        ).values_list("scenario_id", "project_id")
        picked = {first.pk: set(), second.pk: set()}
        for scenario_id, project_id in chosen:
            picked[scenario_id].add(project_id)
        only_first = picked[first.pk] - picked[second.pk]
        only_second = picked[second.pk] - picked[first.pk]
        differing = (
            Project.objects.filter(pk__in=only_first | only_second)
            .only("pk", "code", "name")
            .order_by("code")[:COMPARED_PROJECTS]
        )
        years = sorted(set(a["year_limits"]) | set(b["year_limits"]))
        roles = sorted(set(a["role_limits"]) | set(b["role_limits"]))
        context.update(
            {
                "a": a,
                "b": b,
                "both_count": len(picked[first.pk] & picked[second.pk]),
                "only_first_count": len(only_first),
                "only_second_count": len(only_second),
                "differing": [{"project": p, "in_first": p.pk in only_first} for p in differing],
                "differing_hidden": max(0, len(only_first | only_second) - COMPARED_PROJECTS),
                "years": [
                    (year, a["year_limits"].get(year), b["year_limits"].get(year)) for year in years
                ],
                "roles": [
                    (role, a["role_limits"].get(role), b["role_limits"].get(role)) for role in roles
                ],
            }
        )
    return render(request, "portfolio/scenarios/scenario_compare.html", context)
