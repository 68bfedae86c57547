from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import UserSettings


@admin.register(UserSettings)
class UserSettingsAdmin(SimpleHistoryAdmin):
    list_display = ["user", "language"]
    list_filter = ["language"]
    search_fields = ["user__username", "user__email"]
