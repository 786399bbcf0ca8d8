"""Read-only admin pages.

Memberships, messages, plan content and authenticators change only through their services,
which write the audit entry and end access where it ends (access.changed, session.end). The
admin may show them, never change them: no add, no change, no delete, and inlines likewise.
"""

from django.contrib import admin


class NoWrites:
    """No add, no change, no delete: viewing only."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ReadOnlyAdmin(NoWrites, admin.ModelAdmin):
    pass


class ReadOnlyInline(NoWrites, admin.TabularInline):
    extra = 0
    max_num = 0
    can_delete = False
    show_change_link = False
