import django_tables2 as tables
from django.utils.translation import gettext_lazy as _

from pmo_portal.templatetags.portal import money

from .models import Project

WIDE_ONLY = {"td": {"class": "d-none d-lg-table-cell"}, "th": {"class": "d-none d-lg-table-cell"}}


class ProjectTable(tables.Table):
    code = tables.Column(linkify=True, attrs={"td": {"class": "text-nowrap"}})
    name = tables.Column(linkify=True)
    department = tables.Column(order_by=("department__code",), attrs=WIDE_ONLY)
    manager = tables.Column(order_by=("manager__first_name", "manager__last_name"))
    status = tables.Column()
    priority = tables.Column(attrs=WIDE_ONLY)
    planned_start = tables.DateColumn(
        short=True,
        attrs={
            "td": {"class": "text-nowrap d-none d-lg-table-cell"},
            "th": {"class": "d-none d-lg-table-cell"},
        },
    )
    planned_end = tables.DateColumn(short=True, attrs={"td": {"class": "text-nowrap"}})
    budget = tables.Column(
        attrs={"td": {"class": "text-end text-nowrap"}, "th": {"class": "text-end"}}
    )

    class Meta:
        model = Project
        fields = (
            "code", "name", "department", "manager", "status", "priority", "planned_start",
            "planned_end", "budget",
        )  # fmt: skip
        exclude = ()
        empty_text = _("No projects match these filters.")
        attrs = {"class": "table table-hover align-middle", "id": "project-table"}

    def render_manager(self, value):
        return value.get_full_name() or value.get_username()

    def render_budget(self, record):
        return money(record.budget, record.currency)

    def value_manager(self, value):
        return value.get_username()

    def value_budget(self, record):
        return record.budget

    def value_status(self, record):
        return record.status
