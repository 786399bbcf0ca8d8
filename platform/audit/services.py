from __future__ import annotations

from typing import Any

from audit.models import AuditEntry


def client_address(request) -> str | None:
    """The client's address as Django sees it (set PROXY_COUNT behind a proxy; see OPERATIONS.md)."""
    if request is None:
        return None
    from axes.helpers import get_client_ip_address

    return get_client_ip_address(request) or None


def audit_record(
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
    """Append one entry. Call inside the service's transaction, so the entry and the change
    it describes are stored together or not at all. Never put message bodies or secrets in details."""
    if actor is not None and not getattr(actor, "is_authenticated", True):
        actor = None
    return AuditEntry.objects.create(
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
