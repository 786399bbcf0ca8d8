from __future__ import annotations

from audit.labels import label_for
from audit.models import AuditEntry


def access_log_for_family(*, family, limit: int = 200) -> list[AuditEntry]:
    """Who looked at or changed this family's data, newest first (NEN 7513: the people concerned
    may see who accessed their data)."""
    entries = list(
        AuditEntry.objects.filter(family=family)
        .exclude(actor__isnull=True)
        .select_related("actor", "subject_user")
        .order_by("-at", "-id")[:limit]
    )
    for entry in entries:
        entry.label = label_for(entry.action)
    return entries
