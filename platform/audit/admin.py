from django.contrib import admin

from audit.models import AuditEntry
from core.admin import ReadOnlyAdmin


@admin.register(AuditEntry)
class AuditEntryAdmin(ReadOnlyAdmin):
    list_display = ("at", "action", "result", "actor", "acting_role", "family", "client_address")
    list_filter = ("result", "action")
    search_fields = ("action", "target_id")
    date_hierarchy = "at"
