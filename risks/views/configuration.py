"""The PMO's configuration of risk management: the matrix, the scales, the review cadences and
the risk breakdown structure."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from pmo_portal import permissions
from pmo_portal.service_forms import add_service_error

from ..forms import CadenceForm, CategoryForm, MatrixForm, ScaleForm
from ..models import ReviewCadence, RiskCategory, RiskMatrix
from ..services import config as services


def settings_page(request):
    """Everyone who reads risks sees how they are scored; the PMO changes it here."""
    permissions.ensure(permissions.can_view_risks(request.user))
    can_configure = permissions.can_configure_risks(request.user)
    matrix = RiskMatrix.load()
    data = request.POST if request.method == "POST" else None
    if data is not None:
        permissions.ensure(can_configure)
    matrix_form = MatrixForm(data, matrix=matrix, prefix="matrix")
    cadence_form = CadenceForm(data, prefix="cadence")
    scale_form = ScaleForm(data, prefix="scale")
    forms_valid = data is not None and all(
        [matrix_form.is_valid(), cadence_form.is_valid(), scale_form.is_valid()]
    )
    if forms_valid:
        try:
            with transaction.atomic():
                changed = services.matrix_set(by=request.user, levels=matrix_form.levels())
                services.cadences_set(by=request.user, days=cadence_form.days())
                services.scale_levels_set(by=request.user, descriptions=scale_form.descriptions())
        except ValidationError as error:
            add_service_error(scale_form, error)
        else:
            messages.success(
                request,
                _("Risk settings saved; %(count)d risk levels changed with the matrix.")
                % {"count": changed},
            )
            return redirect("risks:settings")
    cells = [
        [(p, i, level, matrix_form[f"cell_{p}_{i}"]) for p, i, level in row]
        for row in matrix.rows()
    ]
    return render(
        request,
        "risks/settings.html",
        {
            "can_configure": can_configure,
            "matrix_form": matrix_form,
            "cells": cells,
            "cadence_form": cadence_form,
            "scale_form": scale_form,
            "cadences": ReviewCadence.objects.all(),
            "categories": RiskCategory.objects.select_related("parent").order_by("code"),
            "impacts": range(1, 6),
        },
    )


def category_form(request, pk=None):
    permissions.ensure(permissions.can_view_risks(request.user))
    permissions.ensure(permissions.can_configure_risks(request.user))
    category = get_object_or_404(RiskCategory, pk=pk) if pk else None
    form = CategoryForm(request.POST or None, instance=category)
    if request.method == "POST" and form.is_valid():
        try:
            services.category_save(by=request.user, category=category, **form.cleaned_data)
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("Category saved."))
            return redirect("risks:settings")
    return render(request, "risks/category_form.html", {"form": form, "category": category})
