"""Chat: threads, sending, read receipts. One transaction per action; live frames after commit.

The database is the source of truth: a broadcast is only a notification, and a client that missed
one (a dropped socket, a full channel-layer group, Redis down) gets it again by asking for
everything after the last seq it saw.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.broadcast import broadcast_on_commit
from core.db import insert_row
from core.errors import Invalid
from families.models import Membership, Role
from messaging import notices
from messaging.models import Message, MessageRead, Thread, ThreadCursor
from messaging.selectors import access_thread, messages_after, records_denials
from vault.hashing import chain_hash

MAX_BODY_CHARS = 4000


def thread_group(thread_id: int) -> str:
    return f"thread.{thread_id}"


def iso(moment: datetime) -> str:
    """UTC, millisecond precision, with a Z: the exact text the hash chain covers."""
    return moment.astimezone(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def record_fields(*, thread_id: int, seq: int, sender_id: int, sent_at: datetime, body: str) -> dict:
    """What a message's hash covers (with the previous hash); see docs/VERIFYING.md."""
    return {"thread": thread_id, "seq": seq, "sender": sender_id, "sent_at": iso(sent_at), "body": body}


def message_frame(message: Message) -> dict:
    return {
        "id": message.pk,
        "thread": message.thread_id,
        "seq": message.seq,
        "sender": {"id": message.sender_id, "name": message.sender.display_name},
        "body": message.body,
        "sent_at": iso(message.sent_at),
        "state": message.state,
        "hash": message.hash,
    }


def clean_body(body) -> str:
    if not isinstance(body, str):
        raise Invalid(_("Een bericht moet tekst zijn."))
    body = body.strip()
    if not body:
        raise Invalid(_("Je bericht is leeg. Schrijf eerst iets."))
    if len(body) > MAX_BODY_CHARS:
        raise Invalid(
            _("Je bericht is te lang (%(n)d tekens, maximaal %(max)d). Maak het korter of verdeel het.")
            % {"n": len(body), "max": MAX_BODY_CHARS}
        )
    return body


def parse_client_id(client_id) -> uuid.UUID:
    if isinstance(client_id, uuid.UUID):
        return client_id
    if not isinstance(client_id, str):  # str() would turn a 32-digit JSON number into a UUID
        raise Invalid(_("client_id moet een UUID zijn."))
    try:
        return uuid.UUID(client_id)
    except ValueError:
        raise Invalid(_("client_id moet een UUID zijn.")) from None


def threads_ensure_for_family(*, family) -> None:
    """The parents' thread and one private thread per parent exist (idempotent)."""
    Thread.objects.get_or_create(family=family, kind=Thread.Kind.PARENTS, owner=None)
    for membership in Membership.objects.active().filter(family=family, role=Role.PARENT):
        Thread.objects.get_or_create(family=family, kind=Thread.Kind.PRIVATE, owner_id=membership.user_id)


@records_denials("write_thread", user_kw="sender")
def message_send(*, sender, thread_id, body, client_id) -> tuple[Message, bool]:
    """Store a message and announce it after commit. Returns (message, created).

    The same client_id from the same sender in the same thread returns the stored message and
    creates nothing (a resend after a reconnect). The thread row is locked so that seq stays
    gap-free and the hash chain linear under concurrent sends.

    A resend is rare, so it is not looked up first: the insert runs, and the unique constraint on
    (thread, sender, client_id) refuses a second one; the transaction then rolls back (nothing
    stored, seq untouched) and the stored message is returned. That saves a query on every send.
    """
    body = clean_body(body)
    client_uuid = parse_client_id(client_id)
    try:
        return _message_insert(sender=sender, thread_id=thread_id, body=body, client_uuid=client_uuid), True
    except IntegrityError:
        existing = Message.objects.filter(thread_id=thread_id, sender=sender, client_id=client_uuid).first()
        if existing is None:
            raise
        existing.sender = sender
        return existing, False


def _message_insert(*, sender, thread_id, body: str, client_uuid: uuid.UUID) -> Message:
    with transaction.atomic():
        thread = access_thread(user=sender, thread_id=thread_id, write=True, lock=True).thread
        seq = thread.last_seq + 1
        now = timezone.now()
        sent_at = now.replace(microsecond=now.microsecond // 1000 * 1000)
        digest = chain_hash(thread.head_hash, record_fields(thread_id=thread.pk, seq=seq, sender_id=sender.pk,
                                                             sent_at=sent_at, body=body))
        message = Message(thread=thread, seq=seq, sender=sender, client_id=client_uuid, body=body,
                          sent_at=sent_at, hash=digest)
        insert_row(message)  # plain SQL: this is the busiest write of the platform (tests/perf)
        with connection.cursor() as cursor:
            cursor.execute(_ADVANCE_HEAD_SQL, [seq, digest, thread.pk])
        broadcast_on_commit(thread_group(thread.pk), {"type": "message.new", "frame": {
            "type": "message.new", "thread": thread.pk, "message": message_frame(message)}})
        transaction.on_commit(lambda: notices.schedule(message))
    return message


# The thread's chain head moves with each message, under the row lock access_thread took.
_ADVANCE_HEAD_SQL = f"UPDATE {Thread._meta.db_table} SET last_seq = %s, head_hash = %s WHERE id = %s"  # noqa: S608


@records_denials("read_thread")
def thread_history(*, user, thread_id, after) -> dict:
    """The frame answering thread.join: the messages after `after`, or a resync frame when the
    client's cursor is beyond what the server has (a restored database, another server's data)."""
    if isinstance(after, bool) or not isinstance(after, int) or after < 0:
        raise Invalid(_('"after" moet een geheel getal van 0 of meer zijn.'))
    thread = access_thread(user=user, thread_id=thread_id).thread
    if after > thread.last_seq:
        return {"type": "thread.resync", "thread": thread.pk, "last_seq": thread.last_seq}
    messages, has_more = messages_after(thread=thread, after=after)
    read_up_to = {str(uid): seq for uid, seq in
                  ThreadCursor.objects.filter(thread=thread, read_seq__gt=0).values_list("user_id", "read_seq")}
    return {"type": "thread.history", "thread": thread.pk, "messages": [message_frame(m) for m in messages],
            "has_more": has_more, "last_seq": thread.last_seq, "read_up_to": read_up_to}


@records_denials("read_thread")
def messages_mark_read(*, user, thread_id, seq) -> dict | None:
    """Record that `user` read up to `seq`: each message from someone else gets its first-read
    time once. Returns the receipt frame (also broadcast after commit), or None if nothing new."""
    if isinstance(seq, bool) or not isinstance(seq, int) or seq < 0:
        raise Invalid(_('"seq" moet een geheel getal van 0 of meer zijn.'))
    with transaction.atomic():
        thread = access_thread(user=user, thread_id=thread_id).thread
        seq = min(seq, thread.last_seq)
        cursor, _created = ThreadCursor.objects.select_for_update().get_or_create(thread=thread, user=user)
        if seq <= cursor.read_seq:
            return None
        now = timezone.now()
        unread = Message.objects.filter(thread=thread, seq__gt=cursor.read_seq, seq__lte=seq).exclude(sender=user)
        MessageRead.objects.bulk_create(
            [MessageRead(message_id=pk, user=user, read_at=now) for pk in unread.values_list("pk", flat=True)],
            ignore_conflicts=True,
        )
        ThreadCursor.objects.filter(pk=cursor.pk).update(read_seq=seq)
        frame = {"type": "receipt", "thread": thread.pk, "user": user.pk, "seq": seq, "read_at": iso(now)}
        broadcast_on_commit(thread_group(thread.pk), {"type": "receipt", "frame": frame})
    return frame


@records_denials("read_thread")
def thread_page_before(*, user, thread_id, before) -> dict:
    """An older page for scrolling back: {"type":"thread.page", ...} oldest first."""
    from messaging.selectors import messages_before

    if isinstance(before, bool) or not isinstance(before, int) or before < 1:
        raise Invalid(_('"before" moet een geheel getal van 1 of meer zijn.'))
    thread = access_thread(user=user, thread_id=thread_id).thread
    messages, has_more = messages_before(thread=thread, before=before)
    return {"type": "thread.page", "thread": thread.pk, "messages": [message_frame(m) for m in messages],
            "has_more": has_more}
