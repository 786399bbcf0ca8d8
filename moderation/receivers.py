"""What moderation shows on the family page (families.features)."""

from __future__ import annotations

from families.access import Action, can
from moderation.selectors import contact_mode


def contact_mode_card(*, request, membership) -> dict | None:
    """Every member sees the family's contact mode and what it means; the coordinator can change it."""
    state = contact_mode(family_id=membership.family_id)
    return {
        "state": state,
        "for_practitioner": membership.is_practitioner,
        "may_change": can(membership, Action.CHANGE_CONTACT_MODE),
    }
