"""Admin of sign-in security: the sign-in policy, failed sign-in attempts and unlocking a
locked-out user name, and who is signed in.

A lock is nothing but the failed attempts recorded for a user name from an address: deleting
them unlocks it. The "Unlock" action says so plainly; deleting the attempts does the same.
"""

from axes.admin import AccessAttemptAdmin
from axes.models import AccessAttempt
from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from simple_history.admin import SimpleHistoryAdmin

from .models import SignedInSession, SignInPolicy


@admin.register(SignInPolicy)
class SignInPolicyAdmin(SimpleHistoryAdmin):
    """The one policy row: changed here or on the portal's sign-in policy page."""

    list_display = ["__str__", "version", "updated_at"]
    filter_horizontal = ["roles"]
    readonly_fields = ["version", "updated_at"]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        # A change made here moves the policy to a new version too: an open portal form goes
        # stale, and open sessions work out again whether they need a second step.
        obj.version += 1
        super().save_model(request, obj, form, change)


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
