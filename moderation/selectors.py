"""Reads for moderation. Access checks stay with the caller (families.access)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from moderation.models import ContactMode, ContactModeChange


@dataclass(frozen=True)
class ModeState:
    mode: str
    since: datetime | None  # None: direct since the family began (never changed)
    review_on: date | None
    changed_by_id: int | None

    @property
    def review_due(self) -> bool:
        from django.utils import timezone

        return self.review_on is not None and self.review_on <= timezone.localdate()


DIRECT_FROM_THE_START = ModeState(mode=ContactMode.DIRECT, since=None, review_on=None, changed_by_id=None)


def contact_mode(*, family_id: int) -> ModeState:
    """The family's contact mode now."""
    latest = ContactModeChange.objects.filter(family_id=family_id).order_by("-changed_at", "-pk").first()
    if latest is None:
        return DIRECT_FROM_THE_START
    return ModeState(mode=latest.mode, since=latest.changed_at, review_on=latest.review_on,
                     changed_by_id=latest.changed_by_id)


def contact_mode_history(*, family_id: int) -> list[ContactModeChange]:
    return list(ContactModeChange.objects.filter(family_id=family_id).select_related("changed_by")
                .order_by("-changed_at", "-pk"))
