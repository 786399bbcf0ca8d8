"""The families part of the AVG download (accounts.personal_data): the user's memberships, and of
each family they are in now what their role lets them see on its page (its children, its access
log). Of a family they left: only that they were in it, in which role, and when."""

from __future__ import annotations

from audit import actions
from audit.selectors import access_log_for_family
from audit.services import audit_record
from families.access import Action, can
from families.models import Membership


def collect(*, user) -> list[dict]:
    from accounts.personal_data import iso

    result = []
    for membership in (Membership.objects.filter(user=user).select_related("family")
                       .order_by("created_at", "pk")):
        family = membership.family
        item = {
            "family": family.reference,
            "name": family.display_name if membership.ended_at is None else None,
            "role": membership.role,
            "role_name": str(membership.get_role_display()),
            "member_since": iso(membership.created_at),
            "member_until": iso(membership.ended_at),
        }
        if membership.ended_at is None:
            if can(membership, Action.VIEW_CHILDREN):
                item["children"] = [{"first_name": child.first_name, "birth_date": iso(child.birth_date)}
                                    for child in family.children.all()]
            if can(membership, Action.VIEW_ACCESS_LOG):
                # The same entries as the family's access log page shows (who, what, when).
                item["access_log"] = [
                    {"at": iso(entry.at), "who": entry.actor.display_name, "what": entry.label,
                     "result": entry.result}
                    for entry in access_log_for_family(family=family)
                ]
        result.append(item)
    return result


def record(*, user, request) -> None:
    """A practitioner's download holds their families' records: as with every look at a family's
    data by a professional (audit_practitioner_view), each family's access log shows it."""
    for membership in Membership.objects.active().filter(user=user).select_related("family"):
        if membership.is_practitioner:
            audit_record(action=actions.PERSONAL_DATA_EXPORTED, actor=user, acting_role=membership.role,
                         family=membership.family, request=request)
