"""Checking and exporting the records. The export carries the whole chain and its head, so that
anyone can recompute it (docs/VERIFYING.md, tools/verify_export.py) without this code."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils import timezone

from messaging import extensions
from messaging.models import Message, MessageRead, Thread
from messaging.services import iso, record_fields
from vault.hashing import GENESIS, chain_hash
from vault.keyring import DecryptionError

EXPORT_FORMAT = "kompas-thread-export/1"
HASH_ALGORITHM = (
    "sha256(previous_hash_hex + '\\n' + canonical_json({thread, seq, sender, sent_at, body})); "
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
                                                    body=message.body))
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


def thread_export(*, thread: Thread, membership=None) -> dict:
    """The thread's whole chain, for `membership` (the member exporting it): registered extensions
    add what that member may see of their own records (moderation: drafts, decisions, relays)."""
    messages = list(Message.objects.filter(thread=thread).select_related("sender").order_by("seq"))
    reads: dict[int, list] = {}
    for read in MessageRead.objects.filter(message__thread=thread).select_related("user").order_by("read_at"):
        reads.setdefault(read.message_id, []).append(
            {"user": {"id": read.user_id, "name": read.user.display_name},
             "first_read_at": iso(read.read_at)})
    extra = extensions.export(membership=membership, thread=thread, messages=messages)
    return {
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
            }
            for m in messages
        ],
        **extra,
    }
