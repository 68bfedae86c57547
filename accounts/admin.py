"""Admin of sign-in security: failed sign-in attempts, and unlocking a locked-out user name.

A lock is nothing but the failed attempts recorded for a user name from an address: deleting
them unlocks it. The "Unlock" action says so plainly; deleting the attempts does the same.
"""

from axes.admin import AccessAttemptAdmin
from axes.models import AccessAttempt
from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from .models import SignedInSession


class UnlockingAccessAttemptAdmin(AccessAttemptAdmin):
    """django-axes' list of failed sign-in attempts, with an action that unlocks."""

    actions = ["unlock", *AccessAttemptAdmin.actions]

    @admin.action(description=_("Unlock"), permissions=["delete"])
    def unlock(self, request, queryset):
        """Forget the failed attempts chosen, which lifts their locks at once."""
        unlocked = queryset.delete()[0]
        self.message_user(
            request,
            ngettext(
                "Unlocked: %(count)d failed sign-in record removed.",
                "Unlocked: %(count)d failed sign-in records removed.",
                unlocked,
            )
            % {"count": unlocked},
            messages.SUCCESS,
        )


if admin.site.is_registered(AccessAttempt):
    admin.site.unregister(AccessAttempt)
admin.site.register(AccessAttempt, UnlockingAccessAttemptAdmin)


@admin.register(SignedInSession)
class SignedInSessionAdmin(admin.ModelAdmin):
    """Who is signed in, from where, and since when; read-only."""

    list_display = ["user", "address", "user_agent", "signed_in_at", "last_seen"]
    list_filter = ["signed_in_at"]
    search_fields = ["user__username", "address"]
    # The session key is a credential: never shown.
    fields = readonly_fields = ["user", "address", "user_agent", "signed_in_at", "last_seen"]
    list_select_related = ["user"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        # Removing the record would not end the session; "Log out everywhere" and deactivating
        # the account do.
        return False
