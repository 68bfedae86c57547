"""The portal's sign-in form."""

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _

from .backends import directory_was_unreachable


class PortalAuthenticationForm(AuthenticationForm):
    """Django's sign-in form, which tells apart a wrong password from a directory out of reach."""

    error_messages = {
        **AuthenticationForm.error_messages,
        "directory_unreachable": _(
            "The company directory cannot be reached just now, so directory accounts cannot "
            "sign in. Please try again in a few minutes; local accounts can still sign in."
        ),
    }

    def get_invalid_login_error(self):
        if self.request is not None and directory_was_unreachable(self.request):
            return forms.ValidationError(
                self.error_messages["directory_unreachable"], code="directory_unreachable"
            )
        return super().get_invalid_login_error()
