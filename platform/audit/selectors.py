from __future__ import annotations

from django.db.models import QuerySet

from audit.models import AuditEntry


def access_log_for_family(*, family, limit: int = 200) -> QuerySet[AuditEntry]:
    """Who looked at or changed this family's data, newest first (NEN 7513: the people concerned
    may see who accessed their data)."""
    return (
        AuditEntry.objects.filter(family=family)
        .exclude(actor__isnull=True)
        .select_related("actor", "subject_user")
        .order_by("-at", "-id")[:limit]
    )
