"""Portfolio reviews: the list, a review's form, and its decision per project."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _
from django.views.generic import CreateView, UpdateView

from pmo_portal import permissions
from pmo_portal.service_forms import ServiceFormMixin

from ..forms.reviews import DecisionFormSet, ReviewForm
from ..models import PortfolioProject, PortfolioReview, ReviewDecision
from ..services import reviews as services
from .structure import ensure_reader, visible

REVIEWS_PER_PAGE = 25
PROJECTS_PER_PAGE = 25


def review_list(request):
    ensure_reader(request.user)
    reviews = (
        PortfolioReview.objects.select_related("portfolio", "meeting")
        .annotate(
            decision_count=Count("decisions"),
            stop_count=Count("decisions", filter=Q(decisions__decision="stop")),
        )
        .order_by("-held_on", "-pk")
    )
    page = Paginator(reviews, REVIEWS_PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "portfolio/reviews/review_list.html",
        {"page_obj": page, "can_manage": permissions.can_manage_reviews(request.user)},
    )


class ReviewFormMixin(ServiceFormMixin):
    model = PortfolioReview
    form_class = ReviewForm
    template_name = "portfolio/reviews/review_form.html"

    def dispatch(self, request, *args, **kwargs):
        ensure_reader(request.user)
        permissions.ensure(permissions.can_manage_reviews(request.user))
        return super().dispatch(request, *args, **kwargs)


class ReviewCreateView(ReviewFormMixin, CreateView):
    def form_valid(self, form):
        return self.save_with(
            form, lambda: services.review_save(by=self.request.user, **form.service_fields())
        )


class ReviewUpdateView(ReviewFormMixin, UpdateView):
    def form_valid(self, form):
        return self.save_with(
            form,
            lambda: services.review_save(
                by=self.request.user,
                review=PortfolioReview.objects.get(pk=self.object.pk),
                version=form.cleaned_data["version"] or 0,
                **form.service_fields(),
            ),
        )


def review_detail(request, pk):
    """The review and its decision on each project of its portfolio, page by page; the PMO
    records the decisions of a page at once (all of them or none)."""
    ensure_reader(request.user)
    review = get_object_or_404(
        PortfolioReview.objects.select_related("portfolio", "meeting", "created_by"), pk=pk
    )
    can_manage = permissions.can_manage_reviews(request.user)
    decided_only = request.GET.get("decided") == "1"
    placements = (
        visible(PortfolioProject.objects.in_subtree(review.portfolio), request.user)
        .select_related("project", "programme")
        .order_by("project__code")
    )
    if decided_only:
        placements = placements.filter(project__review_decisions__review=review)
    page = Paginator(placements, PROJECTS_PER_PAGE).get_page(request.GET.get("page"))
    projects = [placement.project for placement in page.object_list]
    decisions = {
        row.project_id: row
        for row in ReviewDecision.objects.filter(review=review, project__in=projects)
    }
    initial = [
        {
            "project": project.pk,
            "decision": decisions[project.pk].decision if project.pk in decisions else "",
            "rationale": decisions[project.pk].rationale if project.pk in decisions else "",
        }
        for project in projects
    ]
    formset = DecisionFormSet(
        request.POST if request.method == "POST" else None, prefix="decisions", initial=initial
    )
    if request.method == "POST":
        permissions.ensure(can_manage)
        if formset.is_valid():
            try:
                count = services.review_decisions_save(
                    by=request.user,
                    review=review,
                    decisions={
                        form.cleaned_data["project"]: (
                            form.cleaned_data["decision"], form.cleaned_data["rationale"],
                        )
                        for form in formset.forms
                    },
                )  # fmt: skip
            except ValidationError as error:
                formset._non_form_errors = formset.error_class(error.messages)
            else:
                messages.success(request, _("%(count)d decisions recorded.") % {"count": count})
                return HttpResponseRedirect(request.get_full_path())
    counts = dict(review.decisions.order_by().values_list("decision").annotate(count=Count("pk")))
    return render(
        request,
        "portfolio/reviews/review_detail.html",
        {
            "review": review,
            "page_obj": page,
            "rows": [
                (placement, form, decisions.get(placement.project_id))
                for placement, form in zip(page.object_list, formset.forms, strict=False)
            ],
            "formset": formset,
            "decided_only": decided_only,
            "counts": [
                (label, counts.get(value, 0)) for value, label in ReviewDecision.Decision.choices
            ],
            "can_manage": can_manage,
        },
    )
