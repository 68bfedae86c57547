from django.urls import reverse
from django.utils.translation import gettext_lazy as _

NAVIGATION = [
    ("projects", _("Projects"), "projects:list"),
    ("portfolio", _("Portfolio"), "portfolio"),
    ("resources", _("Resources"), "resources"),
    ("risks", _("Risks"), "risks"),
    ("reports", _("Reports"), "reports"),
]


def navigation(request):
    """The top navigation: the five areas, the current one marked."""
    if not getattr(request, "user", None) or not request.user.is_authenticated:
        return {}
    path = request.path
    items = []
    for key, label, url_name in NAVIGATION:
        url = reverse(url_name)
        items.append({"key": key, "label": label, "url": url, "active": path.startswith(url)})
    return {"nav_items": items}
