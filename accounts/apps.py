from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    """Signing in and keeping accounts safe: directory login, second factor, sessions."""

    name = "accounts"
    verbose_name = _("Accounts and sign-in")

    def ready(self):
        from django.contrib.auth.signals import user_logged_in

        # Connects the receivers that record and end signed-in sessions.
        from . import sessions  # noqa: F401
        from .middleware import remember_two_step_state

        # Whether a session needs a second step is worked out as the person signs in.
        user_logged_in.connect(remember_two_step_state, dispatch_uid="accounts_two_step_state")
