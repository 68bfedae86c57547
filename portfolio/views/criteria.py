"""Objectives, criteria and their weights (directly or by pairwise comparison), a project's
scores, and the PMO's queue of proposed scores."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, OuterRef, Prefetch, Subquery
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from pmo_portal import permissions
from pmo_portal.errors import StaleVersionError
from pmo_portal.service_forms import add_service_error
from projects.models import Project

from .. import ahp
from ..forms.criteria import (
    CriterionForm,
    FrameForm,
    LevelFormSet,
    ObjectiveForm,
    PairwiseForm,
    ProposalDecisionForm,
    ScoreForm,
    WeightsForm,
    level_initial,
)
from ..models import (
    Criterion,
    CriterionLevel,
    Portfolio,
    PortfolioProject,
    ProjectRanking,
    Score,
    ScoreProposal,
    StrategicObjective,
)
from ..services import criteria as services
from .structure import ensure_pmo, ensure_reader

LEVELS_PREFIX = "levels"
SCORE_HISTORY_SIZE = 30
PROPOSALS_PER_PAGE = 25


def frame_of(request) -> tuple[FrameForm, Portfolio | None, int]:
    form = FrameForm(request.GET or None)
    portfolio, period = form.frame()
    return form, portfolio, period


def frame_url(name: str, portfolio: Portfolio, period: int) -> str:
    return f"{reverse(name)}?{urlencode({'portfolio': portfolio.pk, 'period': period})}"


def top_portfolio(request) -> tuple[Portfolio, int]:
    """The frame a form works in, from the address (or the form's hidden fields)."""
    data = request.POST if request.method == "POST" and "portfolio" in request.POST else request.GET
    form = FrameForm(data)
    if not form.is_valid():
        raise Http404
    return form.cleaned_data["portfolio"], form.cleaned_data["period"]


def criteria_page(request):
    """The frame's objectives and criteria with their scales and weights; the PMO sets the
    weights here directly."""
    ensure_reader(request.user)
    frame_form, portfolio, period = frame_of(request)
    can_manage = permissions.can_manage_portfolio(request.user)
    criteria = list(
        Criterion.objects.filter(portfolio=portfolio, period=period)
        .select_related("objective")
        .prefetch_related(Prefetch("levels", CriterionLevel.objects.order_by("value")))
        .annotate(score_count=Count("scores"))
        .order_by("pk")
    )
    weights_form = WeightsForm(
        request.POST if request.method == "POST" else None, criteria=criteria
    )
    if request.method == "POST":
        ensure_pmo(request.user)
        if weights_form.is_valid():
            try:
                services.weights_set(
                    by=request.user, portfolio=portfolio, period=period,
                    weights=weights_form.weights(),
                )  # fmt: skip
            except ValidationError as error:
                add_service_error(weights_form, error)
            else:
                messages.success(request, _("Weights saved; the ranking is up to date."))
                return HttpResponseRedirect(request.get_full_path())
    total = sum((c.weight for c in criteria), start=0)
    return render(
        request,
        "portfolio/criteria/criteria.html",
        {
            "frame_form": frame_form,
            "portfolio": portfolio,
            "period": period,
            "criteria": [
                (c, c.weight * 100 / total if total else None, weights_form[f"weight_{c.pk}"])
                for c in criteria
            ],
            "objectives": StrategicObjective.objects.filter(portfolio=portfolio, period=period)
            .annotate(criterion_count=Count("criteria"))
            .order_by("name"),
            "weights_form": weights_form,
            "can_manage": can_manage,
        },
    )


def _frame_query(portfolio, period) -> str:
    return urlencode({"portfolio": portfolio.pk, "period": period})


def criterion_edit(request, pk=None):
    """Create or edit a criterion and its scale (a level per row); saved together or not at
    all."""
    ensure_pmo(request.user)
    if pk is None:
        criterion = None
        portfolio, period = top_portfolio(request)
    else:
        criterion = get_object_or_404(Criterion.objects.select_related("portfolio"), pk=pk)
        portfolio, period = criterion.portfolio, criterion.period
    form = CriterionForm(
        request.POST or None, instance=criterion, portfolio=portfolio, period=period
    )
    levels = LevelFormSet(
        request.POST or None, prefix=LEVELS_PREFIX, initial=level_initial(criterion)
    )
    if request.method == "POST" and all([form.is_valid(), levels.is_valid()]):
        try:
            saved = services.criterion_save(
                by=request.user,
                criterion=Criterion.objects.get(pk=criterion.pk) if criterion else None,
                version=form.cleaned_data["version"] or 0 if criterion else None,
                levels=levels.levels(),
                portfolio=portfolio,
                period=period,
                **form.service_fields(),
            )
        except StaleVersionError as error:
            form.add_error(None, str(error))
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("Criterion %(name)s saved.") % {"name": saved.name})
            return redirect(frame_url("portfolio:criteria", portfolio, period))
    return render(
        request,
        "portfolio/criteria/criterion_form.html",
        {
            "form": form,
            "levels": levels,
            "criterion": criterion,
            "portfolio": portfolio,
            "period": period,
            "frame_query": _frame_query(portfolio, period),
        },
    )


@require_POST
def criterion_delete(request, pk):
    ensure_pmo(request.user)
    criterion = get_object_or_404(Criterion.objects.select_related("portfolio"), pk=pk)
    portfolio, period = criterion.portfolio, criterion.period
    services.criterion_delete(by=request.user, criterion=criterion)
    messages.success(request, _("Criterion %(name)s removed.") % {"name": criterion.name})
    return redirect(frame_url("portfolio:criteria", portfolio, period))


def objective_edit(request, pk=None):
    ensure_pmo(request.user)
    if pk is None:
        objective = None
        portfolio, period = top_portfolio(request)
    else:
        objective = get_object_or_404(StrategicObjective.objects.select_related("portfolio"), pk=pk)
        portfolio, period = objective.portfolio, objective.period
    form = ObjectiveForm(request.POST or None, instance=objective)
    if request.method == "POST" and form.is_valid():
        try:
            saved = services.objective_save(
                by=request.user,
                objective=StrategicObjective.objects.get(pk=objective.pk) if objective else None,
                portfolio=portfolio,
                period=period,
                **form.cleaned_data,
            )
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("Objective %(name)s saved.") % {"name": saved.name})
            return redirect(frame_url("portfolio:criteria", portfolio, period))
    return render(
        request,
        "portfolio/criteria/objective_form.html",
        {
            "form": form,
            "objective": objective,
            "portfolio": portfolio,
            "period": period,
            "frame_query": _frame_query(portfolio, period),
        },
    )


def pairwise(request):
    """Compare the frame's criteria two by two on Saaty's scale; the page shows the weights
    the judgements give and their consistency ratio, and warns above 0.10."""
    ensure_reader(request.user)
    frame_form, portfolio, period = frame_of(request)
    can_manage = permissions.can_manage_portfolio(request.user)
    result = services.pairwise_result(portfolio, period) if portfolio else None
    criteria = result.criteria if result else []
    form = PairwiseForm(
        request.POST if request.method == "POST" else None,
        criteria=criteria,
        judgements=result.judgements if result else {},
    )
    if request.method == "POST":
        ensure_pmo(request.user)
        if form.is_valid():
            try:
                services.judgements_save(
                    by=request.user, portfolio=portfolio, period=period,
                    judgements=form.judgements(),
                )  # fmt: skip
            except ValidationError as error:
                add_service_error(form, error)
            else:
                messages.success(request, _("Judgements saved."))
                return HttpResponseRedirect(request.get_full_path())
    return render(
        request,
        "portfolio/criteria/pairwise.html",
        {
            "frame_form": frame_form,
            "portfolio": portfolio,
            "period": period,
            "result": result,
            "derived": [(criterion, result.weights.get(criterion.pk)) for criterion in criteria]
            if result
            else [],
            "threshold": ahp.CONSISTENCY_THRESHOLD,
            "form": form,
            "can_manage": can_manage,
            "frame_query": _frame_query(portfolio, period) if portfolio else "",
        },
    )


@require_POST
def pairwise_apply(request):
    """Write the weights derived from the judgements to the criteria."""
    ensure_pmo(request.user)
    portfolio, period = top_portfolio(request)
    try:
        result = services.weights_apply_pairwise(
            by=request.user, portfolio=portfolio, period=period
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(frame_url("portfolio:pairwise", portfolio, period))
    if result.warns:
        messages.warning(
            request,
            _(
                "Weights applied, but the judgements are inconsistent (consistency ratio "
                "%(ratio).2f, above 0.10): review them."
            )
            % {"ratio": result.result.consistency_ratio},
        )
    else:
        messages.success(request, _("Weights applied; the ranking is up to date."))
    return redirect(frame_url("portfolio:criteria", portfolio, period))


# --- a project's scores ----------------------------------------------------------------------


def _score_history(project: Project) -> list:
    """The latest changes to the project's scores, newest first, each with its criterion's
    name: two queries."""
    records = list(
        Score.history.filter(project_id=project.pk)
        .select_related("history_user")
        .order_by("-history_date", "-history_id")[:SCORE_HISTORY_SIZE]
    )
    names = dict(
        Criterion.objects.filter(pk__in={r.criterion_id for r in records}).values_list("pk", "name")
    )
    for record in records:
        record.criterion_name = names.get(record.criterion_id, f"#{record.criterion_id}")
    return records


def project_scores(request, pk):
    """A project's level on each criterion of its portfolio, with the rationale; the PMO sets
    scores, the project's manager proposes them. Also its weighted score, rank and history."""
    ensure_reader(request.user)
    project = get_object_or_404(Project.objects.visible_to(request.user), pk=pk)
    placement = PortfolioProject.objects.filter(project=project).select_related("portfolio").first()
    can_set = permissions.can_set_scores(request.user)
    can_propose = permissions.can_propose_scores(request.user, project)
    rankings = ProjectRanking.objects.filter(project=project).select_related("portfolio")
    periods = sorted({r.period for r in rankings}, reverse=True)
    period_param = request.GET.get("period", "")
    period = int(period_param) if period_param.isdigit() else (periods[0] if periods else None)
    criteria = []
    if placement is not None and period is not None:
        criteria = list(
            Criterion.objects.filter(portfolio_id=placement.portfolio.top_id, period=period)
            .prefetch_related(Prefetch("levels", CriterionLevel.objects.order_by("value")))
            .order_by("pk")
        )
    scores = {
        s.criterion_id: s
        for s in Score.objects.filter(project=project, criterion__in=criteria).select_related(
            "scored_by"
        )
    }
    pending = {
        p.criterion_id: p
        for p in ScoreProposal.objects.filter(
            project=project, criterion__in=criteria, status=ScoreProposal.Status.PENDING
        ).select_related("proposed_by")
    }
    posted = None
    if request.method == "POST":
        permissions.ensure(can_set or can_propose)
        criterion = next((c for c in criteria if str(c.pk) == request.POST.get("criterion")), None)
        if criterion is None:
            raise Http404
        posted = ScoreForm(request.POST, criterion=criterion, prefix=f"c{criterion.pk}")
        if posted.is_valid():
            action = services.score_set if can_set else services.score_propose
            try:
                action(
                    by=request.user, project=project, criterion=criterion,
                    level=posted.cleaned_data["level"],
                    rationale=posted.cleaned_data["rationale"],
                )  # fmt: skip
            except ValidationError as error:
                add_service_error(posted, error)
            else:
                message = (
                    _("Score on %(criterion)s saved; the ranking is up to date.")
                    if can_set
                    else _("Score on %(criterion)s proposed to the PMO.")
                )
                messages.success(request, message % {"criterion": criterion.name})
                return HttpResponseRedirect(request.get_full_path())
    rows = []
    for criterion in criteria:
        score = scores.get(criterion.pk)
        form = None
        if can_set or can_propose:
            if posted is not None and posted.criterion_obj.pk == criterion.pk:
                form = posted
            else:
                form = ScoreForm(
                    criterion=criterion,
                    prefix=f"c{criterion.pk}",
                    initial={"level": score.level, "rationale": score.rationale} if score else {},
                )
        rows.append(
            {"criterion": criterion, "score": score, "pending": pending.get(criterion.pk),
             "form": form}
        )  # fmt: skip
    level_labels = {(c.pk, level.value): level.label for c in criteria for level in c.levels.all()}
    return render(
        request,
        "portfolio/criteria/project_scores.html",
        {
            "project": project,
            "placement": placement,
            "rankings": rankings,
            "period": period,
            "periods": periods,
            "rows": rows,
            "level_labels": level_labels,
            "history": _score_history(project),
            "can_set": can_set,
            "can_propose": can_propose and not can_set,
        },
    )


def proposal_list(request):
    """Proposed scores: pending ones first, for the PMO to accept or reject."""
    ensure_reader(request.user)
    status = request.GET.get("status", ScoreProposal.Status.PENDING)
    if status not in ScoreProposal.Status.values:
        status = ScoreProposal.Status.PENDING
    proposals = (
        permissions.restrict_score_proposals(
            ScoreProposal.objects.filter(status=status), request.user
        )
        .select_related("project", "criterion", "proposed_by", "decided_by")
        .annotate(
            current_level=Subquery(
                Score.objects.filter(
                    project=OuterRef("project"), criterion=OuterRef("criterion")
                ).values("level")[:1]
            )
        )
    )
    counts = dict(
        permissions.restrict_score_proposals(ScoreProposal.objects.all(), request.user)
        .order_by()
        .values_list("status")
        .annotate(count=Count("pk"))
    )
    page = Paginator(proposals.order_by("-proposed_at", "-pk"), PROPOSALS_PER_PAGE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "portfolio/criteria/proposal_list.html",
        {
            "page_obj": page,
            "status": status,
            "statuses": [
                (value, label, counts.get(value, 0))
                for value, label in ScoreProposal.Status.choices
            ],
            "can_decide": permissions.can_decide_score_proposals(request.user),
            "decision_form": ProposalDecisionForm(),
        },
    )


@require_POST
def proposal_decide(request, pk, decision):
    ensure_reader(request.user)
    permissions.ensure(permissions.can_decide_score_proposals(request.user))
    if decision not in ("accept", "reject"):
        raise Http404
    proposal = get_object_or_404(ScoreProposal.objects.select_related("project"), pk=pk)
    form = ProposalDecisionForm(request.POST)
    note = form.cleaned_data["note"] if form.is_valid() else ""
    try:
        if decision == "accept":
            services.proposal_accept(by=request.user, proposal=proposal, note=note)
            messages.success(
                request, _("Score for %(code)s accepted.") % {"code": proposal.project.code}
            )
        else:
            services.proposal_reject(by=request.user, proposal=proposal, note=note)
            messages.success(
                request, _("Score for %(code)s rejected.") % {"code": proposal.project.code}
            )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect(reverse("portfolio:proposal_list"))
