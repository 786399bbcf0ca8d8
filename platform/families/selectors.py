from __future__ import annotations

from django.db.models import QuerySet

from accounts.account_settings import display_name_key
from families.models import Invitation, Membership


def memberships_for_user(*, user) -> QuerySet[Membership]:
    return (Membership.objects.active().filter(user=user).select_related("family")
            .order_by("family__display_name"))


def family_members(*, family) -> QuerySet[Membership]:
    return (Membership.objects.active().filter(family=family).select_related("user")
            .order_by("role", "user__display_name"))


def name_of_another_member(*, family_ids, name: str, user_id: int | None = None) -> bool:
    """Whether someone other than `user_id`, an active member of one of `family_ids`, goes by
    `name` as a reader would see it (accounts.account_settings.display_name_key)."""
    key = display_name_key(name)
    names = (Membership.objects.active().filter(family_id__in=list(family_ids)).exclude(user_id=user_id)
             .values_list("user__display_name", flat=True))
    return any(display_name_key(other) == key for other in names)


def pending_invitations(*, family) -> QuerySet[Invitation]:
    """Invitations neither used nor ended (expired ones too: they can be sent again), newest first."""
    return (Invitation.objects.filter(family=family, accepted_at__isnull=True, revoked_at__isnull=True)
            .select_related("invited_by").order_by("-created_at"))


def active_membership_join(*, alias: str, family: str, user: str) -> str:
    """SQL text for hot-path queries of other apps that need each row's active membership in one
    statement: `LEFT JOIN <membership table> <alias>` on the given family and user columns, active
    only. The rule "an active member of this family" stays here, with Membership.objects.active();
    callers select <alias>.id and <alias>.role. Only names are put into the
    text (the caller's own column names, never user input)."""
    table = Membership._meta.db_table
    return (f" LEFT JOIN {table} {alias} ON {alias}.family_id = {family} AND {alias}.user_id = {user}"
            f" AND {alias}.ended_at IS NULL")
