"""Executive PDF reports in the browser: one's subscriptions (new, change, delete), a preview
rendered now, "Send now", and the archive of the reports sent, with their downloads.

Subscriptions are reached only by their subscriber (and PMO admins); runs by the subscriber,
the recipients and PMO staff. Anything else, forged ids included, answers 404.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, OuterRef, Subquery
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from pmo_portal import permissions
from pmo_portal.errors import StaleVersionError
from pmo_portal.service_forms import add_service_error

from ..forms import RunFilterForm, SubscriptionForm
from ..models import ReportRun, ReportSubscription
from ..services import executive as services

RUNS_PER_PAGE = 25


def get_subscription_for_user(user, pk) -> ReportSubscription:
    """A subscription the user may change (their own; any for PMO admins), else 404."""
    return get_object_or_404(ReportSubscription.objects.visible_to(user, permissions.CHANGE), pk=pk)


def get_run_for_user(user, pk) -> ReportRun:
    """A run the user may see (subscriber, recipient, PMO staff), else 404."""
    return get_object_or_404(ReportRun.objects.visible_to(user).select_related("subscription"),
                             pk=pk)  # fmt: skip


def _ensure_subscriber(user) -> None:
    permissions.ensure(
        permissions.can_subscribe_to_reports(user) or permissions.can_manage_any_subscription(user)
    )


def subscription_list(request):
    """The user's subscriptions with their schedule, next delivery and latest run."""
    _ensure_subscriber(request.user)
    latest = ReportRun.objects.filter(subscription=OuterRef("pk")).order_by("-created_at", "-pk")
    subscriptions = (
        ReportSubscription.objects.filter(owner=request.user)
        .for_list()
        .annotate(
            project_count=Count("projects", distinct=True),
            latest_run_state=Subquery(latest.values("state")[:1]),
            latest_run_at=Subquery(latest.values("created_at")[:1]),
        )
        .order_by("name", "pk")
    )
    now, states = timezone.now(), dict(ReportRun.State.choices)
    rows = [
        {
            "subscription": subscription,
            "next_at": services.next_tick(subscription, now),
            "covers": _covers(subscription),
            "recipients": len(subscription.recipient_addresses()),
            "latest": states.get(subscription.latest_run_state, ""),
        }
        for subscription in subscriptions
    ]
    return render(
        request,
        "reports/executive/subscription_list.html",
        {"rows": rows, "can_manage_all": permissions.can_manage_any_subscription(request.user)},
    )


def _covers(subscription) -> str:
    """What a subscription's report covers, in words (its relations are prefetched)."""
    parts = [", ".join(p.name for p in subscription.portfolios.all()),
             ", ".join(d.display_name for d in subscription.departments.all())]  # fmt: skip
    if subscription.project_count:
        parts.append(
            ngettext("%(count)d project", "%(count)d projects", subscription.project_count)
            % {"count": subscription.project_count}
        )
    return " · ".join(part for part in parts if part) or _("Whole organisation")


def _save(request, form, save):
    try:
        subscription = save()
    except StaleVersionError as error:
        form.add_error(None, str(error))
    except ValidationError as error:
        add_service_error(form, error)
    else:
        messages.success(
            request,
            _("Subscription “%(name)s” saved: %(schedule)s.")
            % {"name": subscription.name, "schedule": subscription.schedule_display()},
        )
        return redirect("reports:subscription_list")
    return None


def subscription_create(request):
    _ensure_subscriber(request.user)
    language = (get_language() or "en").lower()
    initial = {
        "recipients": [request.user.pk] if request.user.email else [],
        "language": "zh-hans" if language.startswith("zh") else "en",
    }
    form = SubscriptionForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        response = _save(
            request, form,
            lambda: services.subscription_create(by=request.user, **form.service_fields()),
        )  # fmt: skip
        if response:
            return response
    return render(request, "reports/executive/subscription_form.html",
                  {"form": form, "subscription": None})  # fmt: skip


def subscription_update(request, pk):
    subscription = get_subscription_for_user(request.user, pk)
    form = SubscriptionForm(request.POST or None, instance=subscription)
    if request.method == "POST" and form.is_valid():
        response = _save(
            request, form,
            lambda: services.subscription_update(
                subscription=subscription, by=request.user,
                version=form.cleaned_data["version"] or 0, **form.service_fields(),
            ),
        )  # fmt: skip
        if response:
            return response
    return render(request, "reports/executive/subscription_form.html",
                  {"form": form, "subscription": subscription})  # fmt: skip


def subscription_delete(request, pk):
    subscription = get_subscription_for_user(request.user, pk)
    if request.method == "POST":
        services.subscription_delete(subscription=subscription, by=request.user)
        messages.success(
            request, _("Subscription “%(name)s” deleted.") % {"name": subscription.name}
        )
        return redirect("reports:subscription_list")
    return render(
        request,
        "reports/executive/subscription_confirm_delete.html",
        {"subscription": subscription, "run_count": subscription.runs.count()},
    )


def subscription_preview(request, pk):
    """The report as it would be sent now, shown in the browser; nothing is stored or sent."""
    subscription = get_subscription_for_user(request.user, pk)
    try:
        report = services.report_preview(subscription=subscription, by=request.user)
    except Exception as error:  # the renderer's refusal, shown rather than a server error
        return HttpResponse(
            _("The report could not be drawn: %(error)s") % {"error": error},
            status=500, content_type="text/plain; charset=utf-8",
        )  # fmt: skip
    response = HttpResponse(report.content, content_type="application/pdf")
    response["Content-Disposition"] = 'inline; filename="preview.pdf"'
    response["Cache-Control"] = "private, no-store"
    return response


@require_POST
def subscription_send(request, pk):
    """“Send now”: a delivery of the last complete period is queued."""
    subscription = get_subscription_for_user(request.user, pk)
    run = services.run_request(subscription=subscription, by=request.user)
    messages.success(
        request,
        _("“%(name)s” for %(period)s is on its way; it shows below when it has been sent.")
        % {"name": subscription.name,
           "period": services.period_label(subscription.frequency, run.period_start,
                                           run.period_end)},
    )  # fmt: skip
    return redirect(f"{reverse('reports:executive_archive')}?subscription={subscription.pk}")


def archive(request):
    """The reports sent (and those that failed, with their error) that the user may see."""
    runs = ReportRun.objects.visible_to(request.user)
    subscriptions = ReportSubscription.objects.filter(pk__in=runs.values("subscription")).order_by(
        "name", "pk"
    )
    form = RunFilterForm(request.GET or None, subscriptions=subscriptions)
    if form.is_valid():
        if form.cleaned_data["subscription"]:
            runs = runs.filter(subscription=form.cleaned_data["subscription"])
        if form.cleaned_data["state"]:
            runs = runs.filter(state=form.cleaned_data["state"])
    page = Paginator(runs.for_list().order_by("-created_at", "-pk"), RUNS_PER_PAGE).get_page(
        request.GET.get("page")
    )
    for run in page.object_list:
        run.period_label = services.period_label(
            run.subscription.frequency, run.period_start, run.period_end
        )
    return render(
        request,
        "reports/executive/archive.html",
        {
            "form": form,
            "page_obj": page,
            "paginator": page.paginator,
            "can_subscribe": permissions.can_subscribe_to_reports(request.user),
            "sees_all": permissions.can_view_any_report_run(request.user),
            # The list refreshes itself while a report on it is being sent.
            "pending": any(not run.is_finished for run in page.object_list),
        },
    )


def run_download(request, pk):
    """A report sent, from the file storage."""
    run = get_run_for_user(request.user, pk)
    if not run.file:
        raise Http404
    try:
        handle = run.file.open("rb")
    except OSError as error:
        raise Http404 from error
    inline = request.GET.get("inline") == "1"
    return FileResponse(handle, as_attachment=not inline, filename=run.file_name(),
                        content_type="application/pdf")  # fmt: skip
