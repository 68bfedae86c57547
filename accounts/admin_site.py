"""Django admin behind two-step sign-in: staff reach it only once they gave a code from their
authenticator app in this session, whatever the sign-in policy says."""

from django.contrib.admin import AdminSite
from django.contrib.admin.apps import AdminConfig
from django.contrib.auth import REDIRECT_FIELD_NAME
from django.contrib.auth.decorators import login_not_required
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.utils.http import url_has_allowed_host_and_scheme


def _is_verified(user) -> bool:
    is_verified = getattr(user, "is_verified", None)
    return callable(is_verified) and is_verified()


class PortalAdminSite(AdminSite):
    """The admin site, open only to active staff whose sign-in was confirmed by a code, as
    django-otp's OTPAdminSite does. Staff who signed in without one are sent to the portal's
    own code page (or to set up an app) rather than to the admin's login form."""

    def has_permission(self, request):
        return super().has_permission(request) and _is_verified(request.user)

    @method_decorator(login_not_required)
    def login(self, request, extra_context=None):
        user = request.user
        if user.is_active and user.is_staff and not _is_verified(user):
            # Imported here: this module is loaded with the app registry, before any model.
            from accounts.two_step import second_step_url

            next_url = request.GET.get(REDIRECT_FIELD_NAME, "")
            if not url_has_allowed_host_and_scheme(
                next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
            ):
                next_url = reverse("admin:index", current_app=self.name)
            return redirect(second_step_url(user, next_url=next_url))
        return super().login(request, extra_context)


class PortalAdminConfig(AdminConfig):
    """django.contrib.admin, with the portal's admin site as `admin.site`."""

    default_site = "accounts.admin_site.PortalAdminSite"
