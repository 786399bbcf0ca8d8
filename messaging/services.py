"""Chat: threads, sending, read receipts. One transaction per action; live frames after commit.

The database is the source of truth: a broadcast is only a notification, and a client that missed
one (a dropped socket, a full channel-layer group, Redis down) gets it again by asking for
everything after the last seq it saw.
"""

from __future__ import annotations

import json
import logging
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.broadcast import broadcast_on_commit
from core.db import insert_rows
from core.errors import DomainError, Invalid
from core.frames import has_lone_surrogate
from families.access import denials_recorded, records_denials
from families.models import Membership, Role
from messaging import extensions, notices
from messaging.extensions import Held, ScreenedSend
from messaging.models import Message, MessageRead, Presence, Thread, ThreadCursor
from messaging.selectors import ThreadBusy, access_thread, messages_after, thread_located, threads_access
from vault.hashing import chain_hash

logger = logging.getLogger(__name__)

MAX_BODY_CHARS = 4000


def thread_group(thread_id: int) -> str:
    return f"thread.{thread_id}"


def iso(moment: datetime) -> str:
    """UTC, millisecond precision, with a Z: the exact text the hash chain covers."""
    return moment.astimezone(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def record_fields(*, thread_id: int, seq: int, sender_id: int, sent_at: datetime, body: str,
                  kind: str = Message.Kind.MESSAGE) -> dict:
    """What a record's hash covers (with the previous hash); see docs/VERIFYING.md. A message's
    fields are as they always were; any other kind of record (a membership entry) adds its kind,
    so that no record can pass for another kind without breaking the chain."""
    fields = {"thread": thread_id, "seq": seq, "sender": sender_id, "sent_at": iso(sent_at), "body": body}
    if kind != Message.Kind.MESSAGE:
        fields["kind"] = str(kind)
    return fields


def message_frame(message: Message) -> dict:
    frame = {
        "id": message.pk,
        "thread": message.thread_id,
        "seq": message.seq,
        "sender": {"id": message.sender_id, "name": message.sender.display_name},
        "body": message.body,
        "sent_at": iso(message.sent_at),
        "state": message.state,
        "hash": message.hash,
        "kind": message.kind,
    }
    if message.kind == Message.Kind.MEMBERSHIP:
        frame["change"] = json.loads(message.body)  # what the entry says, for the client to word
    return frame


def clean_body(body) -> str:
    if not isinstance(body, str):
        raise Invalid(_("Een bericht moet tekst zijn."))
    if has_lone_surrogate(body):  # cannot be stored, hashed or sent as UTF-8
        raise Invalid(_("Je bericht bevat tekens die geen geldige tekst zijn."))
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


def stored_frame(stored: Message | Held) -> dict:
    """The MSG an ack carries: the stored message, or what an extension kept back (seq null)."""
    return stored.frame if isinstance(stored, Held) else message_frame(stored)


def message_send(*, sender, thread_id, body, client_id) -> tuple[Message | Held, bool]:
    """Store one message: messages_send for a batch of one. Returns (message, created); a message
    an extension kept back (moderation holding it for review) comes as a Held instead."""
    result = messages_send(
        sends=[{"sender": sender, "thread_id": thread_id, "body": body, "client_id": client_id}]
    )[0]
    if isinstance(result, Exception):
        raise result
    return result


@dataclass
class _Send:
    index: int
    sender: object
    thread_id: int
    body: str
    client_uuid: uuid.UUID


def messages_send(*, sends: list[dict]) -> list[tuple[Message, bool] | Exception]:
    """Store messages ({"sender", "thread_id", "body", "client_id"} each) and announce them after
    commit: what one process's sockets sent while its previous batch was being stored
    (core.db.Batched). Returns, in order, for each send (message, created) or the exception to
    raise for it. Every send is validated once, here; one send's bad input never affects another's.

    Each thread's row is locked so that seq stays gap-free and the hash chain linear under
    concurrent sends (threads locked in id order: two processes cannot deadlock).

    The same client_id from the same sender in the same thread returns the stored message and
    creates nothing (a resend after a reconnect). A resend is rare, so it is not looked up first:
    the insert runs, and the unique constraint on (thread, sender, client_id) refuses a second one;
    the transaction then rolls back (nothing stored, seq untouched). That saves a query on every send.

    The plain sends (valid, to a thread their sender may write) go into the database together, in one
    transaction. Every other send, and every send of a batch the database refused (a resent
    client_id, a lock timeout, a thread another transaction holds: ThreadBusy), is stored on its own
    (_send_one), which gives each its own answer and audits a refused access; nothing of a refused
    batch was stored, so nothing is stored twice.
    """
    results: list = [None] * len(sends)
    valid: list[_Send] = []
    for index, send in enumerate(sends):
        try:
            thread_id = _thread_id(send["thread_id"])
            valid.append(_Send(index, send["sender"], thread_id, clean_body(send["body"]),
                               parse_client_id(send["client_id"])))
        except DomainError as exc:
            results[index] = exc
    if len(valid) > 1:
        try:
            stored: dict[int, tuple] = {}
            with transaction.atomic():
                allowed = threads_access(pairs=[(s.thread_id, s.sender) for s in valid], lock=True,
                                         family=True)
                writable = []
                for send in valid:
                    access = allowed.get((send.thread_id, send.sender.pk))
                    if access is not None and access.rights.write:
                        writable.append((send, access))
                # The registered extensions (moderation) see the batch once: deliver, hold or refuse.
                # A refused send is left for _send_one, which refuses it again and records it.
                screened = [_screened(send, access) for send, access in writable]
                outcomes = extensions.screen(screened)
                deliver, delivered = [], []
                for (send, access), one, outcome in zip(writable, screened, outcomes, strict=True):
                    if outcome is None:
                        deliver.append((send, access.thread))
                        delivered.append(one)
                    elif isinstance(outcome, Held):
                        stored[send.index] = (outcome, True)
                messages = _messages_store([(s.sender, thread, s.body, s.client_uuid)
                                            for s, thread in deliver], screened=delivered)
                for (send, _thread), message in zip(deliver, messages, strict=True):
                    stored[send.index] = (message, True)
            for index, result in stored.items():  # only once the batch committed
                results[index] = result
        except Exception:  # noqa: BLE001 - each send then gets its own answer below
            logger.info("a batch of %d messages was refused; storing them one by one", len(valid),
                        exc_info=True)
    for send in valid:
        if results[send.index] is None:
            try:
                results[send.index] = _send_one(send)
            except Exception as exc:  # noqa: BLE001 - handed to the caller of this send, which raises it
                results[send.index] = exc
    return results


def _thread_id(value) -> int:
    """A thread id as given by a caller; anything that is no id becomes 0, which no thread has (the
    access check then refuses it as not found, and records the attempt)."""
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    if isinstance(value, str) and value.isascii() and value.isdigit() and len(value) < 20:
        return int(value)
    return 0


def _screened(send: _Send, access) -> ScreenedSend:
    return ScreenedSend(sender=send.sender, thread=access.thread, membership=access.membership,
                        body=send.body, client_id=send.client_uuid, family=access.family)


def _send_one(send: _Send) -> tuple[Message | Held, bool]:
    with denials_recorded(user=send.sender, wanted="write_thread", locate=thread_located,
                          subject_id=send.thread_id):
        try:
            try:
                return _store_one(send, family=True)
            except ThreadBusy:
                # Another send holds the thread: wait for it, and let the extensions read the family
                # after the lock (threads_access says why).
                return _store_one(send, family=False)
        except IntegrityError:
            existing = Message.objects.filter(thread_id=send.thread_id, sender=send.sender,
                                              client_id=send.client_uuid).first()
            if existing is None:
                held = extensions.resent(thread_id=send.thread_id, sender=send.sender,
                                         client_id=send.client_uuid)
                if held is None:
                    raise
                return held, False
            existing.sender = send.sender
            return existing, False


def _store_one(send: _Send, *, family: bool) -> tuple[Message | Held, bool]:
    with transaction.atomic():
        access = access_thread(user=send.sender, thread_id=send.thread_id, write=True, lock=True,
                               family=family)
        screened = _screened(send, access)
        outcome = extensions.screen([screened])[0]
        if isinstance(outcome, Exception):
            raise outcome
        if outcome is not None:
            return outcome, True
        message = _messages_store([(send.sender, access.thread, send.body, send.client_uuid)],
                                  screened=[screened])[0]
        return message, True


def message_append(*, thread_id: int, sender, body: str, client_id, state: str = Message.State.DELIVERED
                   ) -> Message:
    """Append one message that another app's service decided on (moderation: a released draft, an
    accepted rephrasing, a relay), with the next seq and chain hash, announced after commit like any
    message. No access check here: the caller made it, inside its own transaction, which holds the
    thread's row lock until it ends. Raises IntegrityError (and stores nothing) when the sender
    already has a message with this client_id in the thread."""
    thread = Thread.objects.select_for_update().get(pk=thread_id)
    with transaction.atomic():  # a savepoint: a refused client_id rolls back only this
        return _messages_store([(sender, thread, clean_body(body), parse_client_id(client_id))],
                               state=state)[0]


def _messages_store(new: list[tuple], *, state: str = Message.State.DELIVERED,
                    screened: list[ScreenedSend] = ()) -> list[Message]:
    """Store (sender, thread, body, client_uuid) messages, in this order, in threads whose rows the
    caller locked (with their chain heads as read under the lock), and announce them after commit.
    `screened`: the sends these messages deliver (same order), when they came through the
    extensions' screen: what the extensions keep about them is stored in the same statement."""
    if not new:
        return []
    now = timezone.now()
    sent_at = now.replace(microsecond=now.microsecond // 1000 * 1000)
    heads: dict[int, tuple[int, str]] = {}
    messages = []
    for sender, thread, body, client_uuid in new:
        last_seq, last_hash = heads.get(thread.pk, (thread.last_seq, thread.head_hash))
        seq = last_seq + 1
        digest = chain_hash(last_hash, record_fields(thread_id=thread.pk, seq=seq, sender_id=sender.pk,
                                                     sent_at=sent_at, body=body))
        heads[thread.pk] = (seq, digest)
        messages.append(Message(thread=thread, seq=seq, sender=sender, client_id=client_uuid, body=body,
                                sent_at=sent_at, state=state, hash=digest))
    # Plain SQL, one statement and one round trip for the messages, their threads' chain heads, the
    # e-mail notice checks and the extensions' rows (tests/perf: the busiest write of the platform).
    insert_rows(messages, along=[_thread_heads_advance(heads), notices.schedule(messages)],
                linked=extensions.delivered(screened, messages) if screened else [])
    for message in messages:
        broadcast_on_commit(thread_group(message.thread_id), message_new_event(message))
    return messages


def message_new_event(message: Message) -> dict:
    """The channel-layer event announcing a stored message to every socket with its thread joined."""
    return message_new_event_of({"type": "message.new", "thread": message.thread_id,
                                 "message": message_frame(message)})


def message_new_event_of(frame: dict) -> dict:
    """The event for a message.new frame: the frame as JSON text, made once for all sockets
    (tests/perf: each socket encoding it again was a twentieth of the chat's interpreter time), and
    `leaves`: the user a membership entry takes out of the thread (their socket stops the thread's
    live frames after this one), or None. Also what a socket makes of an event in the earlier shape
    ({"frame": ...}) from a process not yet restarted."""
    change = frame["message"].get("change")
    leaves = None
    if isinstance(change, dict) and change.get("after") == "none":
        leaves = (change.get("member") or {}).get("id")
    return {"type": "message.new", "thread": frame["thread"], "text": json.dumps(frame), "leaves": leaves}


def _thread_heads_advance(heads: dict[int, tuple[int, str]]) -> tuple[str, list]:
    """The statement that moves each thread's chain head to its newest message."""
    table = Thread._meta.db_table
    cases = " ".join(["WHEN %s THEN %s"] * len(heads))
    sql = (f"UPDATE {table} SET last_seq = CASE id {cases} END, head_hash = CASE id {cases} END"  # noqa: S608
           f" WHERE id IN ({', '.join(['%s'] * len(heads))})")
    params = [v for thread_id, (seq, _hash) in heads.items() for v in (thread_id, seq)]
    params += [v for thread_id, (_seq, digest) in heads.items() for v in (thread_id, digest)]
    params += list(heads)
    return sql, params


@records_denials("read_thread", locate=thread_located, id_kw="thread_id")
def thread_history(*, user, thread_id, after) -> dict:
    """The frame answering thread.join: the messages after `after`, or a resync frame when the
    client's cursor is beyond what the server has (a restored database, another server's data)."""
    if isinstance(after, bool) or not isinstance(after, int) or after < 0:
        raise Invalid(_('"after" moet een geheel getal van 0 of meer zijn.'))
    access = access_thread(user=user, thread_id=thread_id)
    thread = access.thread
    if after > thread.last_seq:
        return {"type": "thread.resync", "thread": thread.pk, "last_seq": thread.last_seq}
    # A relative added without the history asks from 0 as anyone does: they get from their entry on.
    messages, has_more = messages_after(thread=thread, after=max(after, access.visible_from - 1))
    read_up_to = {str(uid): seq for uid, seq in
                  ThreadCursor.objects.filter(thread=thread, read_seq__gt=0)
                  .values_list("user_id", "read_seq")}
    return {"type": "thread.history", "thread": thread.pk, "messages": [message_frame(m) for m in messages],
            "has_more": has_more, "last_seq": thread.last_seq, "read_up_to": read_up_to,
            "visible_from": access.visible_from,
            # What registered extensions add for this user (moderation: their own held messages).
            **extensions.history(user=user, access=access, messages=messages)}


@records_denials("read_thread", locate=thread_located, id_kw="thread_id")
def messages_mark_read(*, user, thread_id, seq) -> dict | None:
    """Record that `user` read up to `seq`: each message from someone else gets its first-read
    time once. Returns the receipt frame (also broadcast after commit), or None if nothing new."""
    if isinstance(seq, bool) or not isinstance(seq, int) or seq < 0:
        raise Invalid(_('"seq" moet een geheel getal van 0 of meer zijn.'))
    with transaction.atomic():
        access = access_thread(user=user, thread_id=thread_id)
        thread = access.thread
        seq = min(seq, thread.last_seq)
        cursor, _created = ThreadCursor.objects.select_for_update().get_or_create(thread=thread, user=user)
        if seq <= cursor.read_seq:
            return None
        now = timezone.now()
        # Never a first-read time for a record this user may not see (added without the history).
        unread = (Message.objects.filter(thread=thread, seq__gt=max(cursor.read_seq, access.visible_from - 1),
                                         seq__lte=seq)
                  .exclude(sender=user))
        MessageRead.objects.bulk_create(
            [MessageRead(message_id=pk, user=user, read_at=now)
             for pk in unread.values_list("pk", flat=True)],
            ignore_conflicts=True,
        )
        ThreadCursor.objects.filter(pk=cursor.pk).update(read_seq=seq)
        frame = {"type": "receipt", "thread": thread.pk, "user": user.pk, "seq": seq, "read_at": iso(now)}
        broadcast_on_commit(thread_group(thread.pk), {"type": "receipt", "frame": frame})
    return frame


@records_denials("read_thread", locate=thread_located, id_kw="thread_id")
def thread_page_before(*, user, thread_id, before) -> dict:
    """An older page for scrolling back: {"type":"thread.page", ...} oldest first."""
    from messaging.selectors import messages_before

    if isinstance(before, bool) or not isinstance(before, int) or before < 1:
        raise Invalid(_('"before" moet een geheel getal van 1 of meer zijn.'))
    access = access_thread(user=user, thread_id=thread_id)
    thread = access.thread
    messages, has_more = messages_before(thread=thread, before=before, visible_from=access.visible_from)
    return {"type": "thread.page", "thread": thread.pk, "messages": [message_frame(m) for m in messages],
            "has_more": has_more}


def presence_update(*, changes: list[dict]) -> list[None]:
    """Record sockets opening, pinging and closing ({"op": "open" | "touch" | "close",
    "channel_name", and "user_id" to open}), many at once: one statement per kind of change
    (core.db.Batched gathers them from every socket of the process). A socket's open always
    comes before its close, so opens go first and closes last."""
    now = timezone.now()
    opened = {c["channel_name"]: c["user_id"] for c in changes if c["op"] == "open"}
    touched = [c["channel_name"] for c in changes if c["op"] == "touch"]
    closed = [c["channel_name"] for c in changes if c["op"] == "close"]
    if opened:
        Presence.objects.bulk_create(
            [Presence(channel_name=name, user_id=user_id, seen_at=now) for name, user_id in opened.items()],
            update_conflicts=True, unique_fields=["channel_name"], update_fields=["user_id", "seen_at"])
    if touched:
        Presence.objects.filter(channel_name__in=touched).update(seen_at=now)
    if closed:
        Presence.objects.filter(channel_name__in=closed).delete()
    return [None] * len(changes)
