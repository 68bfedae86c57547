"""The user's own signed-in sessions: ending all of them at once."""

from django.contrib import messages
from django.contrib.auth import logout
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from .sessions import sessions_end_all


@require_POST
def sign_out_everywhere(request):
    """End every session of the user, this one included, and go to the login page."""
    sessions_end_all(user=request.user)
    logout(request)
    messages.success(request, _("You were logged out everywhere, on this device too."))
    return redirect("login")
