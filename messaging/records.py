"""Checking and exporting the records. The export carries the whole chain and its head, so that
anyone can recompute it (docs/VERIFYING.md, tools/verify_export.py) without this code."""

from __future__ import annotations

import json
from dataclasses import dataclass

from django.utils import timezone

from messaging import extensions
from messaging.membership import change_text
from messaging.models import Message, MessageRead, Thread
from messaging.services import iso, record_fields
from vault.hashing import GENESIS, canonical_json, chain_hash
from vault.keyring import DecryptionError

# /2: membership entries (a record's kind in its hash) and exports starting after the first record.
EXPORT_FORMAT = "kompas-thread-export/2"
HASH_ALGORITHM = (
    "sha256(previous_hash_hex + '\\n' + canonical_json({thread, seq, sender, sent_at, body})); "
    "a record whose kind is not 'message' adds its kind to the fields; "
    "canonical_json = JSON with sorted keys, separators (',', ':'), UTF-8, non-ASCII kept; "
    f"the first previous_hash is {GENESIS}"
)


@dataclass
class ChainReport:
    thread_id: int
    count: int
    head: str
    first_broken_seq: int | None = None
    problem: str = ""

    @property
    def ok(self) -> bool:
        return self.first_broken_seq is None


def verify_thread(thread: Thread) -> ChainReport:
    """Recompute the chain from the stored records; name the first seq that does not fit."""
    previous, expected_seq, count = GENESIS, 1, 0
    messages = Message.objects.filter(thread=thread).order_by("seq").values_list("pk", flat=True)
    for pk in messages.iterator(chunk_size=500):
        try:
            message = Message.objects.get(pk=pk)
        except DecryptionError:
            seq = Message.objects.filter(pk=pk).values_list("seq", flat=True).first()
            return ChainReport(thread.pk, count, previous, seq,
                               "the body cannot be decrypted (altered ciphertext?)")
        if message.seq != expected_seq:
            return ChainReport(thread.pk, count, previous, expected_seq, f"seq {expected_seq} is missing")
        digest = chain_hash(previous, record_fields(thread_id=thread.pk, seq=message.seq,
                                                    sender_id=message.sender_id, sent_at=message.sent_at,
                                                    body=message.body, kind=message.kind))
        if digest != message.hash:
            return ChainReport(thread.pk, count, previous, message.seq, "the hash does not match the content")
        previous, expected_seq, count = digest, expected_seq + 1, count + 1
    if thread.last_seq != count:
        # Missing at the end, or stored beyond the thread's last seq: the first seq that does not fit.
        return ChainReport(thread.pk, count, previous, min(count, thread.last_seq) + 1,
                           f"the thread says {thread.last_seq} messages but {count} are stored")
    if thread.head_hash != previous:
        return ChainReport(thread.pk, count, previous, count,
                           "the thread's head hash is not this message's hash")
    return ChainReport(thread.pk, count, previous)


def thread_export(*, thread: Thread, visible_from: int = 1, membership=None) -> dict:
    """The thread's records for an export, from `visible_from` on (the first seq the exporting user
    may see: messaging.selectors.ThreadAccess.visible_from), for `membership` (the member exporting
    it): registered extensions add what that member may see of their own records (moderation:
    drafts, decisions, relays)."""
    messages = list(Message.objects.filter(thread=thread, seq__gte=visible_from).select_related("sender")
                    .order_by("seq"))
    reads: dict[int, list] = {}
    for read in (MessageRead.objects.filter(message__thread=thread, message__seq__gte=visible_from)
                 .select_related("user").order_by("read_at")):
        reads.setdefault(read.message_id, []).append(
            {"user": {"id": read.user_id, "name": read.user.display_name},
             "first_read_at": iso(read.read_at)})
    extra = extensions.export(membership=membership, thread=thread, messages=messages)
    export = {
        "format": EXPORT_FORMAT,
        "exported_at": iso(timezone.now()),
        "hash_algorithm": HASH_ALGORITHM,
        "family": {"id": thread.family_id, "reference": thread.family.reference},
        "thread": {"id": thread.pk, "kind": thread.kind, "owner": thread.owner_id},
        "message_count": len(messages),
        "chain_head": thread.head_hash,
        "messages": [
            {
                "seq": m.seq,
                "sender": {"id": m.sender_id, "name": m.sender.display_name},
                "sent_at": iso(m.sent_at),
                "body": m.body,
                "state": m.state,
                "hash": m.hash,
                "read_by": reads.get(m.pk, []),
                **membership_fields(m),
            }
            for m in messages
        ],
        **extra,
    }
    if visible_from > 1:
        export.update(starts_after(thread=thread, visible_from=visible_from))
    return export


# -- membership entries and exports that start later (messaging.membership) -----------------------


def membership_fields(message: Message) -> dict:
    """What an export adds to a record: its kind; for a membership entry also the change it records
    and that change in words (the hash covers `body`, the change as canonical JSON, and `kind`)."""
    if message.kind != Message.Kind.MEMBERSHIP:
        return {"kind": message.kind}
    change = json.loads(message.body)
    return {"kind": message.kind, "change": change, "text": change_text(change)}


def starts_after(*, thread: Thread, visible_from: int) -> dict:
    """For an export that starts after the first record (a relative added without the history):
    where it starts and the hash it links to, so the part shown verifies on its own (the hash of
    the record before says nothing about what that record says)."""
    previous = (Message.objects.filter(thread=thread, seq=visible_from - 1).values_list("hash", flat=True)
                .first())
    return {"first_seq": visible_from, "previous_hash": previous}



EXAMPLE_MAX_CHARS = 600


def hash_example(export: dict) -> dict | None:
    """What the PDF shows as a worked example: the exact text whose SHA-256 is the first message's
    hash (the genesis hash, a newline, the canonical JSON). Left out when that text is too long to
    read off a page; the JSON export holds it anyway."""
    if not export["messages"] or export["messages"][0]["seq"] != 1:
        return None  # the example starts the chain: it needs message 1
    first = export["messages"][0]
    fields = {"thread": export["thread"]["id"], "seq": first["seq"], "sender": first["sender"]["id"],
              "sent_at": first["sent_at"], "body": first["body"]}
    if first.get("kind", "message") != "message":
        fields["kind"] = first["kind"]  # a membership entry's hash covers its kind too
    canonical = canonical_json(fields).decode("utf-8")
    if len(canonical) > EXAMPLE_MAX_CHARS:
        return None
    return {"previous": GENESIS, "canonical": canonical, "hash": first["hash"]}
