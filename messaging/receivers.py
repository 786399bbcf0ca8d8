"""How messaging plugs into families: its receivers of the family events (connected in
MessagingConfig.ready) and what it shows on the family and home pages (registered there too).

The receivers run inside the families service's transaction (families.events): the threads they
make are stored with the family or membership, or not at all.
"""

from __future__ import annotations

from families.models import Role
from messaging.selectors import thread_list_for_user
from messaging.services import threads_ensure_for_family


def on_family_created(*, family, **_kwargs) -> None:
    """Every family has its parents' thread from the start."""
    threads_ensure_for_family(family=family)


def on_membership_changed(*, membership, new_role, **_kwargs) -> None:
    """A parent (new, or a member who became one) gets their private thread with the professionals.
    Losing access needs nothing here: access is asked on every read and send, and the member's
    sockets re-check on access.changed (families.services broadcasts it)."""
    if new_role == Role.PARENT:
        threads_ensure_for_family(family=membership.family)


def threads_card(*, request, membership) -> dict | None:
    """The family page's card: the threads this user may read in this family, with unread counts."""
    threads = thread_list_for_user(user=request.user, family_id=membership.family_id)
    return {"threads": threads} if threads else None


def unread_by_family(*, user) -> dict[int, int]:
    unread: dict[int, int] = {}
    for item in thread_list_for_user(user=user):
        family_id = item["thread"].family_id
        unread[family_id] = unread.get(family_id, 0) + item["unread"]
    return unread
