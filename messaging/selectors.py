from __future__ import annotations

from dataclasses import dataclass

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from core.errors import NotFound, PermissionDenied
from families.access import ThreadRights, membership_for, thread_rights
from families.models import Membership
from messaging.models import Message, Thread, ThreadCursor, ThreadParticipant

PAGE_SIZE = 100


@dataclass
class ThreadAccess:
    thread: Thread
    membership: Membership
    rights: ThreadRights


def _rights(thread: Thread, membership: Membership | None) -> ThreadRights:
    participant = None
    if membership is not None and membership.role == "relative":
        row = ThreadParticipant.objects.filter(thread=thread, user_id=membership.user_id).first()
        participant = row.can_write if row else None
    return thread_rights(membership, kind=thread.kind, owner_id=thread.owner_id, participant_can_write=participant)


def access_thread(*, user, thread_id, write: bool = False, lock: bool = False) -> ThreadAccess:
    """The thread if the user may read it (and write, with write=True). A thread the user may not
    see raises NotFound whether or not it exists: nothing about it is revealed."""
    try:
        thread_id = int(thread_id)
    except (TypeError, ValueError):
        raise NotFound() from None
    queryset = Thread.objects.select_for_update() if lock else Thread.objects
    thread = next(iter(queryset.filter(pk=thread_id)[:1]), None)  # by primary key: no ORDER BY
    membership = membership_for(user=user, family_id=thread.family_id) if thread else None
    rights = _rights(thread, membership) if thread else ThreadRights()
    if not rights.read:
        raise NotFound()
    if write and not rights.write:
        raise PermissionDenied(_("Je kunt in dit gesprek meelezen, maar niet schrijven."))
    return ThreadAccess(thread=thread, membership=membership, rights=rights)


def thread_list_for_user(*, user) -> list[dict]:
    """Every thread the user may read, with unread counts, grouped by family."""
    memberships = Membership.objects.active().filter(user=user).select_related("family")
    by_family = {m.family_id: m for m in memberships}
    threads = Thread.objects.filter(family_id__in=by_family).select_related("owner", "family").order_by("family_id", "kind", "id")
    cursors = dict(ThreadCursor.objects.filter(user=user, thread__in=threads).values_list("thread_id", "read_seq"))
    result = []
    for thread in threads:
        rights = _rights(thread, by_family[thread.family_id])
        if not rights.read:
            continue
        read_seq = cursors.get(thread.pk, 0)
        unread = 0
        if thread.last_seq > read_seq:
            unread = Message.objects.filter(thread=thread, seq__gt=read_seq).exclude(sender=user).count()
        result.append({"thread": thread, "rights": rights, "unread": unread})
    return result


def messages_after(*, thread: Thread, after: int, limit: int = PAGE_SIZE) -> tuple[list[Message], bool]:
    rows = list(Message.objects.filter(thread=thread, seq__gt=after).select_related("sender").order_by("seq")[: limit + 1])
    return rows[:limit], len(rows) > limit


def messages_before(*, thread: Thread, before: int, limit: int = PAGE_SIZE) -> tuple[list[Message], bool]:
    rows = list(Message.objects.filter(thread=thread, seq__lt=before).select_related("sender").order_by("-seq")[: limit + 1])
    page = list(reversed(rows[:limit]))
    return page, len(rows) > limit


def first_reads(*, messages: list[Message]) -> dict[int, list[tuple[int, str]]]:
    """message id -> [(user id, first read at ISO)]."""
    from messaging.models import MessageRead

    found: dict[int, list[tuple[int, str]]] = {}
    for read in MessageRead.objects.filter(message__in=messages).order_by("read_at"):
        found.setdefault(read.message_id, []).append((read.user_id, read.read_at.isoformat()))
    return found
