"""Sections that resources adds to other areas' pages, so those areas never import resources."""

from django import template
from django.template.loader import render_to_string

from pmo_portal import permissions
from resources.team import project_team

register = template.Library()


@register.simple_tag(takes_context=True)
def project_team_section(context, project):
    """The project's team and planned labour cost, for those who may see resources."""
    user = context["request"].user
    if not permissions.can_view_resources(user):
        return ""
    return render_to_string(
        "resources/_project_team.html",
        {**project_team(project), "can_manage_team": permissions.can_manage_resources(user)},
    )
