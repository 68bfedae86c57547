from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    """Signing in and keeping accounts safe: directory login, second factor, sessions."""

    name = "accounts"
    verbose_name = _("Accounts and sign-in")

    def ready(self):
        # Connects the receivers that record and end signed-in sessions.
        from . import sessions  # noqa: F401
