from __future__ import annotations

from django.db.models import Q

from audit.actions import SUBJECT_ONLY
from audit.labels import label_for
from audit.models import AuditEntry


def access_log_for_family(*, family, viewer=None, limit: int = 200) -> list[AuditEntry]:
    """Who looked at or changed this family's data, newest first (NEN 7513: the people concerned
    may see who accessed their data). `viewer` (the reader's membership): a member who is not a
    practitioner does not see the SUBJECT_ONLY entries about another member."""
    entries = AuditEntry.objects.filter(family=family).exclude(actor__isnull=True)
    if viewer is not None and not viewer.is_practitioner:
        entries = entries.exclude(Q(action__in=SUBJECT_ONLY) & ~Q(subject_user_id=viewer.user_id))
    entries = list(entries.select_related("actor", "subject_user").order_by("-at", "-id")[:limit])
    for entry in entries:
        entry.label = label_for(entry.action)
    return entries
