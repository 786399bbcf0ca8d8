"""The AVG (GDPR) download: everything the platform holds about one user, as they may see it.

Each app adds its own part, in its AppConfig.ready(), with `register_section`: a name, a function
(user) -> JSON-able data (or None to leave the part out), an order, and optionally a function
(user, request) that writes the audit entries its part needs (families records a practitioner's
download in each family's access log). A part collects only through its own selectors and access
checks (families.access, messaging.selectors, parentingplan.selectors): the download shows exactly
what the user's role lets them read on the pages, and never what it does not (the other parent's
private threads, someone else's held messages, hidden plan sections).

Here: the registry, the download itself (`personal_data_export`), and the parts of this app and
of the audit trail (which accounts already depends on). platform/ knows no feature app: messaging
and parentingplan register themselves.

What it does not hold: data of families the user is no longer a member of (their own messages
there included: ask the organisation), the server's logs, and backups.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django_otp.plugins.otp_totp.models import TOTPDevice

from audit import actions
from audit.labels import label_for
from audit.models import AuditEntry
from audit.services import audit_record

EXPORT_FORMAT = "kompas-personal-data/1"


@dataclass(frozen=True)
class Section:
    name: str
    collect: Callable[..., Any]
    order: int
    record: Callable[..., None] | None = None


_sections: dict[str, Section] = {}


def register_section(*, name: str, collect: Callable[..., Any], order: int,
                     record: Callable[..., None] | None = None) -> None:
    """`collect(user=...)` returns the part's data (JSON-able) or None; `record(user=..., request=...)`
    writes audit entries of the part's own, inside the download's transaction."""
    section = Section(name=name, collect=collect, order=order, record=record)
    if _sections.get(name, section) != section:
        raise ImproperlyConfigured(f"two personal data sections are named {name!r}")
    _sections[name] = section


def iso(moment: datetime | date | None) -> str | None:
    """UTC with a Z for moments (as in the chat export), YYYY-MM-DD for dates."""
    if moment is None:
        return None
    if isinstance(moment, datetime):
        return moment.astimezone(UTC).isoformat(timespec="seconds").replace("+00:00", "Z")
    return moment.isoformat()


def personal_data_collect(*, user) -> dict:
    parts = {}
    for section in sorted(_sections.values(), key=lambda s: (s.order, s.name)):
        data = section.collect(user=user)
        if data is not None:
            parts[section.name] = data
    return {
        "format": EXPORT_FORMAT,
        "exported_at": iso(timezone.now()),
        "site": settings.SITE_NAME,
        "person": {"id": user.pk, "name": user.display_name, "email": user.email},
        "about": _(
            "Alles wat %(site)s over jou bewaart, zoals jij het mag zien. Tijden staan in UTC (Nederlandse "
            "tijd min een uur, in de zomer min twee uur). Berichten van de andere ouder aan alleen de "
            "begeleiders, en berichten die nog op beoordeling wachten, staan er niet in: die mag je niet "
            "lezen. Wat we bewaren, hoe lang en waarom: %(privacy)s"
        ) % {"site": settings.SITE_NAME,
             "privacy": settings.SITE_URL.rstrip("/") + reverse("accounts:privacy")},
        **parts,
    }


def personal_data_export(*, request, user) -> bytes:
    """The download (UTF-8 JSON) for `user`, recorded in the audit trail: one entry of the user's
    own, and whatever the parts record (see register_section). The caller checked the password."""
    data = personal_data_collect(user=user)
    with transaction.atomic():
        audit_record(action=actions.PERSONAL_DATA_EXPORTED, actor=user, subject_user=user, request=request,
                     details={"parts": [name for name in data if name in _sections]})
        for section in _sections.values():
            if section.record is not None:
                section.record(user=user, request=request)
    return json.dumps(data, ensure_ascii=False, indent=2).encode()


# -- this app's part and the audit trail's -------------------------------------------------------

def _account(*, user) -> dict:
    totp = TOTPDevice.objects.filter(user=user, confirmed=True).exists()
    return {
        "name": user.display_name,
        "email": user.email,
        "new_email_waiting_for_confirmation": user.pending_email or None,
        "language": user.language,
        "joined_at": iso(user.date_joined),
        "last_login_at": iso(user.last_login),
        "email_on_new_messages": user.notify_messages,
        "email_on_parents_messages_read_along": user.notify_read_along,
        "quiet_hours": (None if user.quiet_hours_start == user.quiet_hours_end else
                        {"from": f"{user.quiet_hours_start:%H:%M}", "until": f"{user.quiet_hours_end:%H:%M}",
                         "time_zone": settings.TIME_ZONE}),
        "authenticator_app_linked": totp,
        "may_open_cases": user.may_open_cases,
        # Kept only as one-way hashes, so they cannot be given back: the password, the backup codes.
        "not_included": _("Je wachtwoord en je back-upcodes bewaren we alleen versleuteld (als hash): "
                          "die kan niemand teruglezen, wij ook niet. De sleutel van je authenticator-app "
                          "staat er niet in: wie die heeft, kan codes maken."),
    }


def _audit_trail(*, user) -> list[dict]:
    """What the user did, and what others did to their account. Of someone else's entry only when,
    who and what: not their address, nor details about them."""
    entries = (AuditEntry.objects.filter(Q(actor=user) | Q(subject_user=user))
               .select_related("actor", "family").order_by("at", "id"))
    result = []
    for entry in entries.iterator(chunk_size=500):
        mine = entry.actor_id == user.pk
        item = {
            "at": iso(entry.at),
            "what": label_for(entry.action),
            "action": entry.action,
            "result": entry.result,
            "by": _("jij") if mine else (entry.actor.display_name if entry.actor else _("het systeem")),
            "family": entry.family.reference if entry.family else None,
        }
        if mine:
            target = f"{entry.target_type} {entry.target_id}".strip() or None
            item.update(role=entry.acting_role or None, address=entry.client_address, target=target,
                        details=entry.details)
        result.append(item)
    return result


register_section(name="account", collect=_account, order=0)
register_section(name="audit_trail", collect=_audit_trail, order=90)
