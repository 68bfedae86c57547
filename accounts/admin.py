from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import SignInPolicy


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
