from django.contrib import admin

from core.admin import ReadOnlyAdmin, ReadOnlyInline
from families.models import Child, Family, Invitation, Membership

# Read-only (core.admin): who belongs to a family changes only through families.services, which
# records it and ends the access of whoever left.


class MembershipInline(ReadOnlyInline):
    model = Membership
    fields = readonly_fields = ("user", "role", "created_at", "ended_at")


@admin.register(Family)
class FamilyAdmin(ReadOnlyAdmin):
    list_display = ("reference", "display_name", "status", "created_at")
    search_fields = ("reference", "display_name")
    inlines = [MembershipInline]


@admin.register(Invitation)
class InvitationAdmin(ReadOnlyAdmin):
    list_display = ("email", "family", "role", "created_at", "expires_at", "accepted_at", "revoked_at")
    exclude = ("token_hash",)


@admin.register(Child)
class ChildAdmin(ReadOnlyAdmin):
    list_display = ("first_name", "family", "birth_date", "removed_at")

    def get_queryset(self, request):
        # Every child ever entered, removed ones too (Child.objects leaves those out).
        return Child.all_objects.select_related("family")
