from django.contrib import admin, messages
from django.contrib.auth.models import Group
from django.utils.translation import gettext_lazy as _
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts import services
from accounts.models import User
from core.admin import ReadOnlyAdmin

# Writable here, and why:
# - is_active: support must be able to stop an account at once (an account taken over, a court
#   order). Open sockets stop when it goes False (the session check), sessions end with it.
# - may_open_cases: whether a professional may open cases; there is no page that sets it.
# Everything else is read-only: e-mail, name and password change through the user's own pages;
# staff and superuser rights through `manage.py createsuperuser` or the shell; no account is
# added or deleted here (deleting one would take family records with it).
USER_WRITABLE = ("is_active", "may_open_cases")


@admin.register(User)
class UserAdmin(admin.ModelAdmin):
    list_display = ("email", "display_name", "language", "is_active", "may_open_cases", "is_staff",
                    "date_joined")
    list_filter = ("is_active", "may_open_cases", "is_staff")
    search_fields = ("email", "display_name")
    fields = ("email", "display_name", "language", *USER_WRITABLE, "is_staff", "is_superuser", "date_joined",
              "last_login", "session_epoch", "enrolment_needs_email")
    readonly_fields = tuple(f for f in fields if f not in USER_WRITABLE)
    actions = ["second_factor_reset"]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.action(description=_("Tweede stap opnieuw laten instellen (telefoon en back-upcodes kwijt)"),
                  permissions=["change"])
    def second_factor_reset(self, request, queryset):
        """Through the service: audit entry, every session and socket of the user ends, and they get an
        e-mail; a new authenticator only after a password-reset link (accounts.services)."""
        for user in queryset:
            services.second_factor_reset(actor=request.user, user=user, request=request)
        self.message_user(request, _("Klaar. Zij krijgen een e-mail: na een nieuw wachtwoord via de link in "
                                     "hun e-mail stellen zij de tweede stap opnieuw in."), messages.SUCCESS)


# django-otp's own admin can add, change and delete authenticators (and shows their secret):
# replaced by a read-only list; a lost phone is the action on the user above.
admin.site.unregister(TOTPDevice)


@admin.register(TOTPDevice)
class TOTPDeviceAdmin(ReadOnlyAdmin):
    list_display = ("user", "name", "confirmed", "created_at", "last_used_at")
    list_filter = ("confirmed",)
    search_fields = ("user__email", "user__display_name")
    fields = ("user", "name", "confirmed", "created_at", "last_used_at", "throttling_failure_count")


# Groups and permissions are not used: staff rights are is_staff and is_superuser.
admin.site.unregister(Group)
