from __future__ import annotations

from django.db.models import QuerySet

from families.models import Invitation, Membership


def memberships_for_user(*, user) -> QuerySet[Membership]:
    return Membership.objects.active().filter(user=user).select_related("family").order_by("family__display_name")


def family_members(*, family) -> QuerySet[Membership]:
    return Membership.objects.active().filter(family=family).select_related("user").order_by("role", "user__display_name")


def open_invitations(*, family) -> list[Invitation]:
    return [inv for inv in Invitation.objects.filter(family=family, accepted_at__isnull=True, revoked_at__isnull=True)
            if inv.is_open]
