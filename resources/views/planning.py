"""Capacity planning: demand against capacity by role, each person's utilisation with the
allocations behind a cell, and utilisation against the PMO's target."""

import datetime

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.html import format_html
from django.utils.http import urlencode
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from pmo_portal import permissions
from pmo_portal.service_forms import add_service_error

from .. import planning
from ..forms.planning import PeopleHeatmapFilterForm, RoleHeatmapFilterForm, UtilisationTargetForm
from ..models import Resource
from ..services.targets import utilisation_target_set

PEOPLE_PER_PAGE = 50
# Ranking people by their peak looks at everyone's figures: 2,000 people take about 0.1 s.
RANK_LIMIT = 2_000


def _ensure_viewer(user) -> None:
    permissions.ensure(permissions.can_view_resources(user))


WARNING_ICON = mark_safe(' <i class="bi bi-exclamation-triangle-fill" aria-hidden="true"></i>')


def _hours(value) -> str:
    return number_format(value, decimal_pos=0, force_grouping=True)


def _demand_cells(cells) -> str:
    """The <td>s of a role row: percentage and hours, written here rather than by the template
    engine, which takes a tenth of a second over a few hundred cells."""
    no_capacity, hours = _("no capacity"), _("%(used)s / %(capacity)s h")
    html = []
    for cell in cells:
        if cell.band == "empty":
            html.append('<td class="heat heat-empty">—</td>')
            continue
        html.append(
            format_html(
                '<td class="heat heat-{}"><span class="d-block">{}{}</span>'
                '<span class="d-block heat-hours">{}</span></td>',
                cell.band,
                no_capacity if cell.percent is None else f"{cell.percent}%",
                WARNING_ICON if cell.over else "",
                hours % {"used": _hours(cell.used), "capacity": _hours(cell.capacity)},
            )
        )
    return mark_safe("".join(html))


def _utilisation_cells(url: str, cells) -> str:
    """The <td>s of a person row, each a link to the allocations behind it (see _demand_cells
    for why they are written here)."""
    no_capacity = _("no capacity")
    return mark_safe(
        "".join(
            format_html(
                '<td class="heat heat-{}"><a href="{}">{}</a>{}</td>',
                cell.band,
                url.replace("BUCKET", cell.bucket.key),
                f"{cell.percent}%"
                if cell.percent is not None
                else (no_capacity if cell.over else "—"),
                WARNING_ICON if cell.over else "",
            )
            for cell in cells
        )
    )


def _target_cells(cells) -> str:
    """The <td>s of a utilisation row, each with its place against the target in words (see
    _demand_cells for why they are written here)."""
    words = {
        "below": format_html(
            '<span class="d-block small text-body-secondary"><i class="bi bi-arrow-down" '
            'aria-hidden="true"></i> {}</span>',
            _("below target"),
        ),
        "above": format_html(
            '<span class="d-block small"><i class="bi bi-arrow-up" aria-hidden="true"></i> '
            "{}</span>",
            _("above target"),
        ),
        "on": format_html('<span class="d-block small">{}</span>', _("on target")),
    }
    return mark_safe(
        "".join(
            mark_safe('<td class="text-end text-nowrap">—</td>')
            if item.cell.percent is None
            else format_html(
                '<td class="text-end text-nowrap">{}%{}</td>',
                item.cell.percent,
                words[item.against_target],
            )
            for item in cells
        )
    )


def role_heatmap(request):
    """Demand (bookings and open requests) against capacity by role and month, 18 months on."""
    _ensure_viewer(request.user)
    form = RoleHeatmapFilterForm(request.GET or None)
    pipeline = bool(form.value("pipeline"))
    heatmap = planning.role_heatmap(today=timezone.localdate(), pipeline=pipeline, **form.filters())
    for row in [*heatmap.rows, heatmap.total]:
        row.html = _demand_cells(row.cells)
    return render(
        request,
        "resources/planning/role_heatmap.html",
        {
            "form": form,
            "heatmap": heatmap,
            "pipeline": pipeline,
            "near_full": planning.NEAR_FULL,
        },
    )


def people_heatmap(request):
    """Each person's utilisation by month or week, 50 people a page, by name or over-allocated
    first.

    Ranking (over-allocated first, only over-allocated) needs everyone's figures: the engine
    then runs once over all the filtered people, still three queries, and only the page's
    people are fetched. Past RANK_LIMIT people that takes too long for a page, so the order
    applies within the page, and the over-allocated filter asks for a narrower choice."""
    _ensure_viewer(request.user)
    form = PeopleHeatmapFilterForm(request.GET or None)
    scale = form.value("scale", planning.MONTH)
    count = planning.PEOPLE_WEEKS if scale == planning.WEEK else planning.PEOPLE_MONTHS
    buckets = planning.buckets_from(timezone.localdate(), scale, count)
    people = planning.active_people(**form.filters())
    by_peak = form.value("sort") == PeopleHeatmapFilterForm.PEAK
    over_only = bool(form.value("over_only"))

    by_name = Paginator(people.for_list().order_by("name", "pk"), PEOPLE_PER_PAGE)
    too_many = by_name.count > RANK_LIMIT
    if over_only and too_many:
        form.add_error(
            "over_only",
            _(
                "Choose a department, role or skill first: over-allocated people are looked "
                "for among at most %(limit)s people at a time, and these filters match "
                "%(count)s."
            )
            % {"limit": number_format(RANK_LIMIT, force_grouping=True),
               "count": number_format(by_name.count, force_grouping=True)},
        )  # fmt: skip
        over_only = False

    if (by_peak or over_only) and not too_many:
        allocated, capacity = planning.people_utilisation(people, buckets)
        ids = list(people.order_by("name", "pk").values_list("pk", flat=True))
        peaks = planning.peaks(ids, buckets, allocated, capacity)
        if over_only:
            ids = [pk for pk in ids if planning.over_allocated(peaks[pk])]
        if by_peak:
            ids.sort(key=lambda pk: -peaks[pk])  # stable: by name among equals
        page = Paginator(ids, PEOPLE_PER_PAGE).get_page(request.GET.get("page"))
        found = Resource.objects.for_list().in_bulk(page.object_list)
        persons = [found[pk] for pk in page.object_list]
    else:
        page = by_name.get_page(request.GET.get("page"))
        persons = list(page.object_list)
        allocated, capacity = planning.people_utilisation(
            Resource.objects.filter(pk__in=[person.pk for person in persons]), buckets
        )

    rows = []
    for person in persons:
        cells = planning.person_cells(person.pk, buckets, allocated, capacity)
        row = planning.Row(key=person.pk, label=person.name, cells=cells, item=person)
        # Reversed once per person and filled in per cell: a page has hundreds of cells.
        url = reverse("resources:person_bucket", args=[person.pk, "BUCKET"]) + f"?scale={scale}"
        row.html = _utilisation_cells(url, cells)
        rows.append(row)
    sorted_in_page = by_peak and too_many
    if sorted_in_page:
        peaks = planning.peaks([person.pk for person in persons], buckets, allocated, capacity)
        rows.sort(key=lambda row: -peaks[row.key])
    return render(
        request,
        "resources/planning/people_heatmap.html",
        {
            "form": form,
            "buckets": buckets,
            "scale": scale,
            "rows": rows,
            "page_obj": page,
            "paginator": page.paginator,
            "sorted_in_page": sorted_in_page,
            "rank_limit": RANK_LIMIT,
            "near_full": planning.NEAR_FULL,
        },
    )


def person_bucket(request, pk: int, bucket: str):
    """What fills one cell of the people heat map: the allocations in the period with the
    hours each puts in it, the capacity and absences, and which allocations go over."""
    _ensure_viewer(request.user)
    scale = planning.WEEK if request.GET.get("scale") == planning.WEEK else planning.MONTH
    try:
        day = datetime.date.fromisoformat(bucket)
    except ValueError:
        raise Http404 from None
    person = get_object_or_404(Resource.objects.for_list(), pk=pk)
    period = planning.bucket_at(day, scale)
    detail = planning.bucket_detail(person, period)

    def link(other):
        url = reverse("resources:person_bucket", args=[person.pk, other.key])
        return f"{url}?{urlencode({'scale': scale})}"

    one_day = datetime.timedelta(days=1)
    return render(
        request,
        "resources/planning/person_bucket.html",
        {
            "detail": detail,
            "person": person,
            "bucket": period,
            "scale": scale,
            "previous_url": link(planning.bucket_at(period.start - one_day, scale)),
            "next_url": link(planning.bucket_at(period.end + one_day, scale)),
            "heatmap_url": f"{reverse('resources:people_heatmap')}?{urlencode({'scale': scale})}",
        },
    )


@require_http_methods(["GET", "POST"])
def utilisation(request):
    """Booked hours against capacity over the last 12 months, by department and by role,
    against the target; the PMO sets the targets here (POST)."""
    _ensure_viewer(request.user)
    can_set = permissions.can_set_utilisation_target(request.user)
    form = UtilisationTargetForm()
    if request.method == "POST":
        permissions.ensure(can_set)
        form = UtilisationTargetForm(request.POST)
        if form.is_valid():
            role, percent = form.cleaned_data["role"], form.cleaned_data["percent"]
            try:
                utilisation_target_set(by=request.user, role=role, percent=percent)
            except ValidationError as error:
                add_service_error(form, error)
            else:
                if role is None:
                    message = _("The portal-wide utilisation target is now %(percent)s%%.")
                else:
                    message = _("The utilisation target of %(role)s is now %(percent)s%%.")
                messages.success(request, message % {"role": role, "percent": percent})
                return redirect("resources:utilisation")
    report = planning.utilisation_report(today=timezone.localdate())
    for row in [*report.by_department, *report.by_role, report.total]:
        row.html = _target_cells([*row.cells, row.overall])
    return render(
        request,
        "resources/planning/utilisation.html",
        {"report": report, "form": form, "can_set": can_set},
    )
