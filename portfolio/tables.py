"""The ranking table."""

import django_tables2 as tables
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from pmo_portal.templatetags.portal import money

from .models import ProjectRanking

NUMBER = {"td": {"class": "text-end text-nowrap"}, "th": {"class": "text-end"}}
WIDE_ONLY = {"td": {"class": "d-none d-lg-table-cell"}, "th": {"class": "d-none d-lg-table-cell"}}


class RankingTable(tables.Table):
    """Projects by weighted score, best first; each links to its scores."""

    rank = tables.Column(verbose_name=_("Rank"), attrs=NUMBER)
    code = tables.Column(verbose_name=_("Code"), accessor="project__code")
    name = tables.Column(verbose_name=_("Project"), accessor="project__name")
    portfolio = tables.Column(
        verbose_name=_("Portfolio"),
        accessor="project__portfolio_placement__portfolio__name",
        attrs=WIDE_ONLY,
    )
    programme = tables.Column(
        verbose_name=_("Programme"),
        accessor="project__portfolio_placement__programme__name",
        default="—",
        attrs=WIDE_ONLY,
    )
    department = tables.Column(
        verbose_name=_("Department"),
        accessor="project__department",
        order_by="project__department__code",
        attrs=WIDE_ONLY,
    )
    status = tables.Column(
        verbose_name=_("Status"), accessor="project__get_status_display", order_by="project__status"
    )
    weighted_score = tables.Column(verbose_name=_("Weighted score"), attrs=NUMBER)
    scored_criteria = tables.Column(verbose_name=_("Criteria scored"), attrs=NUMBER)
    budget_rc = tables.Column(verbose_name=_("Budget"), attrs=NUMBER)

    class Meta:
        model = ProjectRanking
        fields = ()
        sequence = (
            "rank", "code", "name", "portfolio", "programme", "department", "status",
            "weighted_score", "scored_criteria", "budget_rc",
        )  # fmt: skip
        order_by = ("rank",)
        empty_text = _("No ranked projects match these filters.")
        attrs = {"class": "table table-hover align-middle", "id": "ranking-table"}

    def render_code(self, record):
        return format_html(
            '<a href="{}">{}</a>',
            reverse("portfolio:project_scores", args=[record.project_id])
            + f"?period={record.period}",
            record.project.code,
        )

    def render_budget_rc(self, value):
        return money(value)
