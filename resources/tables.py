"""Tables of the resource register."""

import datetime
from decimal import Decimal

import django_tables2 as tables
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from .capacity import Bucket, allocated_hours, capacity_hours, month_buckets
from .models import Allocation, Resource

WIDE_ONLY = {"td": {"class": "d-none d-lg-table-cell"}, "th": {"class": "d-none d-lg-table-cell"}}
NUMBER = {"td": {"class": "text-end text-nowrap"}, "th": {"class": "text-end"}}
OVER_BOOKED = Decimal(100)


def hours_text(value: Decimal | None) -> str:
    if value is None:
        return "—"
    return number_format(value, decimal_pos=1, use_l10n=True, force_grouping=True)


def utilisation_percent(booked: Decimal, available: Decimal) -> Decimal | None:
    """Booked hours as a share of the available hours; None when nothing is available."""
    if not available:
        return None
    return (booked * 100 / available).quantize(Decimal(1))


def utilisation_badge(percent: Decimal | None) -> str:
    """The utilisation as text, on a red badge when more is booked than is available."""
    if percent is None:
        return "—"
    text = f"{number_format(percent, decimal_pos=0, use_l10n=True)}%"
    if percent > OVER_BOOKED:
        return format_html(
            '<span class="badge text-bg-danger">{} <span class="visually-hidden">{}</span></span>',
            text,
            _("over-booked"),
        )
    return text


class ResourceTable(tables.Table):
    """The register's rows, with this month's booked hours against the hours available.

    The month's figures come from the capacity engine in three queries for the rows shown:
    the page's rows on screen, every filtered row in an export.
    """

    name = tables.Column(linkify=True)
    kind = tables.Column(attrs=WIDE_ONLY)
    email = tables.Column(visible=False)
    role = tables.Column(order_by=("role__name",))
    department = tables.Column(order_by=("department__code",), attrs=WIDE_ONLY)
    current_capacity = tables.Column(verbose_name=_("Capacity (h/week)"), attrs=NUMBER)
    available = tables.Column(
        verbose_name=_("Available this month (h)"),
        empty_values=(),
        orderable=False,
        attrs={
            "td": {"class": "text-end d-none d-lg-table-cell"},
            "th": {"class": "text-end d-none d-lg-table-cell"},
        },
    )
    booked = tables.Column(
        verbose_name=_("Booked this month (h)"), empty_values=(), orderable=False, attrs=NUMBER
    )
    utilisation = tables.Column(
        verbose_name=_("Utilisation"), empty_values=(), orderable=False, attrs=NUMBER
    )
    is_active = tables.Column(verbose_name=_("Active"), attrs=WIDE_ONLY)

    class Meta:
        model = Resource
        fields = (
            "name", "kind", "email", "role", "department", "current_capacity", "available",
            "booked", "utilisation", "is_active",
        )  # fmt: skip
        exclude = ()
        empty_text = _("No resources match these filters.")
        attrs = {"class": "table table-hover align-middle", "id": "resource-table"}

    def __init__(self, *args, today: datetime.date | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.month: Bucket = month_buckets(today or timezone.localdate(), 1)[0]
        self._figures: dict | None = None
        self._exporting = False

    def as_values(self, exclude_columns=None):
        self._exporting = True
        return super().as_values(exclude_columns)

    def _shown_resources(self):
        queryset = self.data.data
        if self._exporting or not hasattr(self, "page"):
            return Resource.objects.filter(pk__in=queryset.order_by().values("pk"))
        return Resource.objects.filter(pk__in=[row.record.pk for row in self.page.object_list])

    def figures(self, record) -> tuple[Decimal, Decimal]:
        """(available, booked) hours of `record` this month."""
        if self._figures is None:
            resources = self._shown_resources()
            key = self.month.key
            available = capacity_hours(resources, "id", [self.month])
            booked = allocated_hours(
                Allocation.objects.filter(resource__in=resources), "resource", [self.month]
            )
            self._figures = {
                pk: (hours[key], booked.get(pk, {}).get(key, Decimal(0)))
                for pk, hours in available.items()
            }
            for pk, hours in booked.items():
                self._figures.setdefault(pk, (Decimal(0), hours[key]))
        return self._figures.get(record.pk, (Decimal(0), Decimal(0)))

    def render_current_capacity(self, value):
        return hours_text(value)

    def render_available(self, record):
        return hours_text(self.figures(record)[0])

    def render_booked(self, record):
        return hours_text(self.figures(record)[1])

    def utilisation_of(self, record) -> Decimal | None:
        available, booked = self.figures(record)
        return utilisation_percent(booked, available)

    def render_utilisation(self, record):
        return utilisation_badge(self.utilisation_of(record))

    def value_kind(self, record):
        return record.kind

    def value_role(self, record):
        return record.role.name if record.role else ""

    def value_department(self, record):
        return record.department.code

    def value_current_capacity(self, value):
        return None if value is None else Decimal(value).quantize(Decimal("0.1"))

    def value_available(self, record):
        return self.figures(record)[0].quantize(Decimal("0.1"))

    def value_booked(self, record):
        return self.figures(record)[1].quantize(Decimal("0.1"))

    def value_utilisation(self, record):
        return self.utilisation_of(record)

    def render_is_active(self, value):
        return _("yes") if value else _("no")

    def value_is_active(self, value):
        return "yes" if value else "no"
