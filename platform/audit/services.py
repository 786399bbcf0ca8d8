from __future__ import annotations

from typing import Any

from audit.models import AuditEntry


def client_address(request) -> str | None:
    """The client's address (REMOTE_ADDR; behind a proxy see docs/OPERATIONS.md)."""
    if request is None:
        return None
    from core.http import client_ip

    return client_ip(request)


def audit_record(**fields) -> AuditEntry:
    """Append one entry (the fields of `audit_entry`). Call inside the service's transaction, so the
    entry and the change it describes are stored together or not at all. Never put message bodies or
    secrets in details."""
    entry = audit_entry(**fields)
    entry.save()
    return entry


def audit_records(entries: list[AuditEntry]) -> list[AuditEntry]:
    """Append many entries (each made by `audit_entry`) in one INSERT, in the caller's transaction."""
    return AuditEntry.objects.bulk_create(entries)


def audit_entry(
    *,
    action: str,
    actor=None,
    acting_role: str = "",
    family=None,
    subject_user=None,
    target=None,
    result: str = AuditEntry.Result.ALLOWED,
    request=None,
    address: str | None = None,
    details: dict[str, Any] | None = None,
) -> AuditEntry:
    """One entry, not stored yet (audit_record stores one, audit_records many at once)."""
    if actor is not None and not getattr(actor, "is_authenticated", True):
        actor = None
    return AuditEntry(
        action=action,
        actor=actor,
        acting_role=acting_role,
        family=family,
        subject_user=subject_user,
        target_type=target._meta.model_name if target is not None else "",
        target_id=str(target.pk) if target is not None else "",
        result=result,
        client_address=address or client_address(request),
        details=details or {},
    )


def audit_practitioner_view(
    *, action: str, membership, target=None, request=None, window_minutes: int = 60
) -> None:
    """Record that a professional looked at a family's data (NEN 7513: the people concerned may
    see who accessed it). Parents looking at their own family are not recorded, and repeated
    views of the same thing within the window count once, so the log stays readable."""
    from datetime import timedelta

    from django.utils import timezone

    if not membership.is_practitioner:
        return
    since = timezone.now() - timedelta(minutes=window_minutes)
    recent = AuditEntry.objects.filter(
        action=action, actor_id=membership.user_id, family_id=membership.family_id,
        target_id=str(target.pk) if target is not None else "", at__gte=since,
    )
    if not recent.exists():
        audit_record(action=action, actor=membership.user, acting_role=membership.role,
                     family=membership.family, target=target, request=request)
