"""The PMO's effectiveness by quarter against its targets, the targets, and the RAG thresholds."""

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from pmo_portal import permissions
from pmo_portal.errors import StaleVersionError
from pmo_portal.service_forms import add_service_error

from ..effectiveness import effectiveness_report
from ..forms import TargetsForm, ThresholdsForm
from ..models import EffectivenessTarget, RagThresholds
from ..services import status as services


def effectiveness(request):
    """Success rate, CPI and SPI, utilisation, satisfaction, report timeliness and gate
    compliance by quarter against target; value for cost by project type and department."""
    permissions.ensure(permissions.can_view_reports(request.user))
    report = effectiveness_report(timezone.localdate())
    return render(
        request,
        "reports/metrics/effectiveness.html",
        {
            "report": report,
            "currency": settings.DEFAULT_CURRENCY,
            "can_set_targets": permissions.can_set_effectiveness_targets(request.user),
        },
    )


def targets_edit(request):
    permissions.ensure(permissions.can_set_effectiveness_targets(request.user))
    current = dict(EffectivenessTarget.objects.values_list("metric", "target"))
    form = TargetsForm(request.POST or None, targets=current)
    if request.method == "POST" and form.is_valid():
        try:
            services.targets_set(by=request.user, targets=form.cleaned_data)
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("Targets saved."))
            return redirect("reports:effectiveness")
    return render(request, "reports/metrics/targets_form.html", {"form": form})


def thresholds_edit(request):
    """The thresholds behind every suggested RAG; kept by the PMO."""
    permissions.ensure(permissions.can_set_report_thresholds(request.user))
    thresholds = RagThresholds.current()
    form = ThresholdsForm(request.POST or None, instance=thresholds)
    if request.method == "POST" and form.is_valid():
        try:
            services.thresholds_update(
                by=request.user, version=form.cleaned_data.get("version"),
                **form.service_fields(),
            )  # fmt: skip
        except StaleVersionError as error:
            form.add_error(None, str(error))
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("RAG thresholds saved. New suggestions use them."))
            return redirect("reports:thresholds")
    return render(request, "reports/metrics/thresholds_form.html", {"form": form})
