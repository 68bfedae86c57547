from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PmoPortalConfig(AppConfig):
    name = "pmo_portal"
    verbose_name = _("PMO Portal")
