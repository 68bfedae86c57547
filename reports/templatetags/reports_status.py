"""Status reporting on other areas' pages (so those areas never import reports), and the RAG
badge every reports page shows."""

from django import template
from django.template.loader import render_to_string
from django.utils.html import format_html, json_script
from django.utils.safestring import mark_safe

from pmo_portal import permissions

from ..models import RAG, ReportingSchedule

register = template.Library()

RAG_CLASSES = {
    RAG.GREEN: "text-bg-success",
    RAG.AMBER: "text-bg-warning",
    RAG.RED: "text-bg-danger",
}
RAG_LABELS = dict(RAG.choices)


@register.filter
def rag_badge(value) -> str:
    """The RAG as a coloured badge that also says it in words (colour is never the only cue)."""
    if not value:
        return "—"
    return format_html(
        '<span class="badge rag-badge {}">{}</span>',
        RAG_CLASSES.get(value, "text-bg-secondary"),
        RAG_LABELS.get(value, value),
    )


@register.simple_tag(takes_context=True)
def project_status_section(context, project):
    """The project's latest published status: RAG, % complete, CPI and SPI, with links to its
    reports and S-curve. One query."""
    user = context["request"].user
    if not permissions.can_view_reports(user):
        return ""
    schedule = (
        ReportingSchedule.objects.filter(project=project)
        .select_related("latest_report__period")
        .first()
    )
    return render_to_string(
        "reports/_project_status.html",
        {
            "project": project,
            "latest": schedule.latest_report if schedule else None,
            "can_write": permissions.can_write_status_report(user, project),
        },
    )


@register.filter
def get_item(mapping: dict, key):
    """mapping[key] in a template (None when missing)."""
    return mapping.get(key)


@register.simple_tag(takes_context=True)
def json_data(context, value, element_id: str) -> str:
    """Django's json_script, carrying the page's CSP nonce like every other script element."""
    nonce = getattr(context.get("request"), "csp_nonce", "")
    return format_html(
        '<script id="{}" type="application/json" nonce="{}">{}</script>',
        element_id,
        nonce,
        mark_safe(json_script(value)[len('<script type="application/json">') : -len("</script>")]),
    )
