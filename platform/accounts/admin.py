from django.contrib import admin

from accounts.models import User


@admin.register(User)
class UserAdmin(admin.ModelAdmin):
    list_display = ("email", "display_name", "language", "is_active", "is_staff", "date_joined")
    search_fields = ("email", "display_name")
    readonly_fields = ("password", "session_epoch", "otp_failures", "otp_last_failure_at", "last_login", "date_joined")
    exclude = ("user_permissions", "groups")
