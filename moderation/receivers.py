"""What moderation shows on the family page (families.features)."""

from __future__ import annotations

from families.access import Action, can
from moderation.policy import open_alert_counts
from moderation.selectors import contact_mode, review_queue_size


def contact_mode_card(*, request, membership) -> dict | None:
    """Every member sees the family's contact mode and what it means; the coordinator can change it;
    practitioners see how many messages wait for review and how many alerts are open, with the way to
    the queue and to the escalation policy page (parents never see either)."""
    state = contact_mode(family_id=membership.family_id)
    may_moderate = can(membership, Action.MODERATE)
    return {
        "state": state,
        "for_practitioner": membership.is_practitioner,
        "may_change": can(membership, Action.CHANGE_CONTACT_MODE),
        "may_moderate": may_moderate,
        "waiting": review_queue_size(family_id=membership.family_id) if may_moderate else 0,
        "open_alerts": (open_alert_counts(family_ids=[membership.family_id]).get(membership.family_id, 0)
                        if may_moderate else 0),
    }
