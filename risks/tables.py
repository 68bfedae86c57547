"""Tables of the risk register, the issues log and the lessons learned."""

import django_tables2 as tables
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from pmo_portal.templatetags.portal import money, person

from .models import Issue, Lesson, Risk

WIDE_ONLY = {"td": {"class": "d-none d-lg-table-cell"}, "th": {"class": "d-none d-lg-table-cell"}}
NUMBER = {"td": {"class": "text-end text-nowrap"}, "th": {"class": "text-end"}}
LEVEL_BADGES = {
    "low": "text-bg-success",
    "medium": "text-bg-warning",
    "high": "risk-high",
    "critical": "text-bg-danger",
}


def level_badge(value: str, label: str) -> str:
    return format_html(
        '<span class="badge {}">{}</span>', LEVEL_BADGES.get(value, "text-bg-light"), label
    )


class RiskTable(tables.Table):
    """The register's rows: an overdue review is marked in red, with words for screen readers."""

    reference = tables.Column(verbose_name=_("Ref."), accessor="pk", order_by=("id",), linkify=True)
    title = tables.Column(linkify=True)
    scope = tables.Column(
        verbose_name=_("Project / scope"), accessor="project__code", order_by=("project__code",)
    )
    kind = tables.Column(attrs=WIDE_ONLY)
    category = tables.Column(verbose_name=_("Category"), accessor="category__code",
                             order_by=("category__code",), attrs=WIDE_ONLY)  # fmt: skip
    owner = tables.Column(order_by=("owner__first_name", "owner__last_name"))
    inherent_score = tables.Column(verbose_name=_("Inherent"), attrs=NUMBER)
    residual_score = tables.Column(verbose_name=_("Residual"), attrs=NUMBER)
    residual_level = tables.Column(verbose_name=_("Level"))
    emv = tables.Column(verbose_name=_("EMV"), attrs=NUMBER)
    status = tables.Column(attrs=WIDE_ONLY)
    next_review = tables.Column(verbose_name=_("Next review"))

    class Meta:
        model = Risk
        fields = (
            "reference", "title", "scope", "kind", "category", "owner", "inherent_score",
            "residual_score", "residual_level", "emv", "status", "next_review",
        )  # fmt: skip
        sequence = fields
        order_by = ("-residual_score", "-emv")
        template_name = "risks/_risk_table.html"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.today = timezone.localdate()

    def render_reference(self, record):
        return record.reference

    def render_scope(self, record):
        return record.scope_label

    def render_category(self, record):
        return record.category.code

    def render_owner(self, value):
        return person(value)

    def render_residual_level(self, record):
        return level_badge(record.residual_level, record.get_residual_level_display())

    def render_emv(self, record):
        return money(record.emv, record.currency)

    def render_next_review(self, record, value):
        text = value.isoformat()
        if record.review_is_overdue(self.today):
            return format_html(
                '<span class="badge text-bg-danger">{} <span class="visually-hidden">{}</span>'
                "</span>",
                text,
                _("review overdue"),
            )
        return text

    def value_reference(self, record):
        return record.reference

    def value_scope(self, record):
        return record.scope_label

    def value_category(self, record):
        return str(record.category)

    def value_owner(self, value):
        return person(value)

    def value_emv(self, record):
        return record.emv

    def value_residual_level(self, record):
        return record.get_residual_level_display()

    def value_next_review(self, value):
        return value.isoformat() if value else ""


class RiskExportTable(RiskTable):
    """The export carries the whole assessment, one column per field."""

    cause = tables.Column()
    event = tables.Column()
    effect = tables.Column()
    probability = tables.Column()
    impact = tables.Column()
    residual_probability = tables.Column()
    residual_impact = tables.Column()
    probability_percent = tables.Column()
    cost_min = tables.Column()
    cost_likely = tables.Column()
    cost_max = tables.Column()
    currency = tables.Column()
    schedule_min = tables.Column()
    schedule_likely = tables.Column()
    schedule_max = tables.Column()
    schedule_emv = tables.Column()
    trigger = tables.Column()

    class Meta(RiskTable.Meta):
        fields = (
            *RiskTable.Meta.fields, "cause", "event", "effect", "probability", "impact",
            "residual_probability", "residual_impact", "probability_percent", "cost_min",
            "cost_likely", "cost_max", "currency", "schedule_min", "schedule_likely",
            "schedule_max", "schedule_emv", "trigger",
        )  # fmt: skip
        sequence = fields


class IssueTable(tables.Table):
    reference = tables.Column(verbose_name=_("Ref."), accessor="pk", linkify=True)
    title = tables.Column(linkify=True)
    project = tables.Column(accessor="project__code", order_by=("project__code",))
    severity = tables.Column()
    owner = tables.Column(order_by=("owner__first_name", "owner__last_name"))
    due = tables.Column()
    status = tables.Column()
    escalated_at = tables.Column(verbose_name=_("Escalated"), attrs=WIDE_ONLY)

    class Meta:
        model = Issue
        fields = ("reference", "title", "project", "severity", "owner", "due", "status",
                  "escalated_at")  # fmt: skip
        sequence = fields
        order_by = ("-created_at",)
        template_name = "risks/_issue_table.html"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.today = timezone.localdate()

    def render_reference(self, record):
        return record.reference

    def render_severity(self, record):
        return level_badge(record.severity, record.get_severity_display())

    def render_owner(self, value):
        return person(value)

    def render_due(self, record, value):
        if record.is_overdue(self.today):
            return format_html(
                '<span class="badge text-bg-danger">{} <span class="visually-hidden">{}</span>'
                "</span>",
                value.isoformat(),
                _("overdue"),
            )
        return value.isoformat()

    def render_escalated_at(self, value):
        return format_html('<i class="bi bi-flag-fill text-danger" aria-hidden="true"></i> {}',
                           value.date().isoformat())  # fmt: skip


class LessonTable(tables.Table):
    title = tables.Column(linkify=True)
    project = tables.Column(accessor="project__code", order_by=("project__code",))
    category = tables.Column(accessor="category__code", order_by=("category__code",))
    source = tables.Column()
    tags = tables.Column(orderable=False, attrs=WIDE_ONLY)
    created_at = tables.Column(verbose_name=_("Recorded"))

    class Meta:
        model = Lesson
        fields = ("title", "project", "category", "source", "tags", "created_at")
        sequence = fields
        orderable = True

    def render_created_at(self, value):
        return value.date().isoformat()
