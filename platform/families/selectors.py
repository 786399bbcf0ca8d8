from __future__ import annotations

from django.db.models import QuerySet

from families.models import Invitation, Membership


def memberships_for_user(*, user) -> QuerySet[Membership]:
    return (Membership.objects.active().filter(user=user).select_related("family")
            .order_by("family__display_name"))


def family_members(*, family) -> QuerySet[Membership]:
    return (Membership.objects.active().filter(family=family).select_related("user")
            .order_by("role", "user__display_name"))


def open_invitations(*, family) -> list[Invitation]:
    return [
        inv
        for inv in Invitation.objects.filter(family=family, accepted_at__isnull=True, revoked_at__isnull=True)
        if inv.is_open
    ]


def active_memberships(*, pairs) -> dict[tuple[int, int], Membership]:
    """The active membership of each (family id, user id) pair that has one, in one query: the rule
    "an active member of this family" for callers that ask it for many pairs at once (the chat's
    access check for a batch of messages). Memberships come with id, family_id, user_id and role
    loaded (the rest loads when used)."""
    pairs = set(pairs)
    if not pairs:
        return {}
    rows = (Membership.objects.active()
            .filter(family_id__in={f for f, _u in pairs}, user_id__in={u for _f, u in pairs})
            .values_list("id", "family_id", "user_id", "role"))
    found = {}
    for membership_id, family_id, user_id, role in rows:
        if (family_id, user_id) in pairs:
            # from_db takes the values in the order of the model's fields
            found[(family_id, user_id)] = Membership.from_db(
                "default", ("id", "user_id", "family_id", "role"), (membership_id, user_id, family_id, role))
    return found
