"""Sections that risks adds to other areas' pages, so those areas never import risks."""

from django import template
from django.template.loader import render_to_string

from pmo_portal import permissions

from ..figures import project_risk_summary

register = template.Library()


@register.simple_tag(takes_context=True)
def project_risks_section(context, project):
    """The project's top risks, exposure, and links to its register, simulation, a new risk and
    a new lesson, for those who read risks."""
    user = context["request"].user
    if not permissions.can_view_risks(user):
        return ""
    return render_to_string(
        "risks/_project_risks.html",
        {
            "project": project,
            **project_risk_summary(project),
            "can_log": permissions.can_log_risks(user, project),
            "can_record_lesson": permissions.can_record_lessons(user, project),
        },
    )
