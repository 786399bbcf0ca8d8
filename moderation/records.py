"""The moderation records' hashes, their place in exports, and their verification.

Canonical forms (docs/VERIFYING.md; tools/verify_export.py recomputes them without this code).
canonical(x) is vault.hashing.canonical_json: JSON, keys sorted, separators "," and ":", UTF-8,
non-ASCII kept; times are UTC ISO 8601 with milliseconds and a Z, as in the thread chain.

- draft:    hash = SHA-256(canonical({"type": "draft", "thread", "sender", "client_id", "held_at",
            "after_seq", "body", "tone": {"level", "reasons", "version"}}))
- decision: numbered 1, 2, ... per draft and chained: hash(n) = SHA-256(previous + "\\n" +
            canonical({"type": "decision", "draft": <draft hash>, "seq": n, "decision", "by", "at",
            "reason", "note", "proposal", "message"})) where previous is the draft's hash for n = 1
            and hash(n-1) after; reason/note/proposal are null when not given; "message" is
            {"thread", "seq", "hash"} of the message a release or an accepted rephrasing appended to
            the thread, else null.
- relay:    hash = SHA-256(canonical({"type": "relay", "message": {"thread", "seq", "hash"}, "by",
            "sources": [{"thread", "seq", "hash"}, ...]})) (sources in thread and seq order).

The link between a released draft and its message is a hashed link record: the decision's hash
covers the draft's hash and the message's chain hash. The thread's own chain is unchanged (it covers
thread, seq, sender, sent_at and body only), so every member can verify their thread without
knowing anything about drafts, and the other parent's export reveals none.
"""

from __future__ import annotations

import hashlib

from messaging.models import Message
from messaging.services import iso
from moderation.models import Decision, Draft, Relay
from vault.hashing import canonical_json, chain_hash

DRAFT_HASH_ALGORITHM = (
    "draft: sha256(canonical_json({type:'draft', thread, sender, client_id, held_at, after_seq, body, "
    "tone:{level, reasons, version}})); decision n: sha256(previous_hash_hex + '\\n' + canonical_json("
    "{type:'decision', draft:<draft hash>, seq:n, decision, by, at, reason, note, proposal, "
    "message:{thread, seq, hash}|null})), previous = the draft's hash for n = 1; canonical_json as for "
    "the messages"
)
RELAY_HASH_ALGORITHM = (
    "sha256(canonical_json({type:'relay', message:{thread, seq, hash}, by, sources:[{thread, seq, hash}]}))"
)


# -- hashes ----------------------------------------------------------------------------------------


def draft_fields(draft: Draft) -> dict:
    return {"type": "draft", "thread": draft.thread_id, "sender": draft.sender_id,
            "client_id": str(draft.client_id), "held_at": iso(draft.held_at), "after_seq": draft.after_seq,
            "body": draft.body,
            "tone": {"level": draft.tone_level, "reasons": list(draft.tone_reasons),
                     "version": draft.tone_version}}


def draft_hash(draft: Draft) -> str:
    return hashlib.sha256(canonical_json(draft_fields(draft))).hexdigest()


def message_link(message: Message | None) -> dict | None:
    if message is None:
        return None
    return {"thread": message.thread_id, "seq": message.seq, "hash": message.hash}


def decision_fields(decision: Decision, *, draft_hash_hex: str) -> dict:
    return {"type": "decision", "draft": draft_hash_hex, "seq": decision.seq, "decision": decision.kind,
            "by": decision.by_id, "at": iso(decision.at), "reason": decision.reason or None,
            "note": decision.note or None, "proposal": decision.proposal or None,
            "message": message_link(decision.message) if decision.message_id else None}


def decision_hash(decision: Decision, *, previous: str, draft_hash_hex: str) -> str:
    return chain_hash(previous, decision_fields(decision, draft_hash_hex=draft_hash_hex))


def relay_fields(relay: Relay, message: Message) -> dict:
    return {"type": "relay", "message": message_link(message), "by": relay.by_id,
            "sources": [{"thread": s["thread"], "seq": s["seq"], "hash": s["hash"]} for s in relay.sources]}


def relay_hash(relay: Relay, message: Message) -> str:
    return hashlib.sha256(canonical_json(relay_fields(relay, message))).hexdigest()


# -- exports ---------------------------------------------------------------------------------------


def _person(user) -> dict:
    return {"id": user.pk, "name": user.display_name}


def draft_record(draft: Draft, decisions: list[Decision]) -> dict:
    return {
        "id": draft.pk,
        "sender": _person(draft.sender),
        "client_id": str(draft.client_id),
        "held_at": iso(draft.held_at),
        "after_seq": draft.after_seq,
        "body": draft.body,
        "tone": {"level": draft.tone_level, "reasons": list(draft.tone_reasons),
                 "version": draft.tone_version},
        "hash": draft.hash,
        "decisions": [
            {"seq": d.seq, "decision": d.kind, "by": _person(d.by), "at": iso(d.at),
             "reason": d.reason or None, "note": d.note or None, "proposal": d.proposal or None,
             "message": message_link(d.message) if d.message_id else None, "hash": d.hash}
            for d in decisions
        ],
    }


def thread_drafts(*, thread, sender_id: int | None = None) -> list[tuple[Draft, list[Decision]]]:
    drafts = Draft.objects.filter(thread=thread).select_related("sender").order_by("held_at", "pk")
    if sender_id is not None:
        drafts = drafts.filter(sender_id=sender_id)
    drafts = list(drafts)
    by_draft: dict[int, list[Decision]] = {d.pk: [] for d in drafts}
    for decision in (Decision.objects.filter(draft__in=drafts).select_related("by", "message")
                     .order_by("draft_id", "seq")):
        by_draft[decision.draft_id].append(decision)
    return [(d, by_draft[d.pk]) for d in drafts]


def relay_record(relay: Relay, message: Message) -> dict:
    return {"message": message_link(message), "by": _person(relay.by), "hash": relay.hash,
            "sources": [{"id": s["id"], "thread": s["thread"], "seq": s["seq"], "hash": s["hash"]}
                        for s in relay.sources]}


def thread_export_extra(*, membership, thread, messages) -> dict:
    """What a member's export of `thread` adds: a practitioner gets every draft with its decisions
    (parents' thread) and every relay with its sources (private threads); a parent or relative only
    their own drafts and what became of them. Never another member's unreleased words."""
    if membership is None:
        return {}
    practitioner = membership.is_practitioner
    extra: dict = {}
    if thread.kind == "parents":
        drafts = thread_drafts(thread=thread, sender_id=None if practitioner else membership.user_id)
        if drafts or practitioner:
            extra["draft_hash_algorithm"] = DRAFT_HASH_ALGORITHM
            extra["drafts"] = [draft_record(d, decisions) for d, decisions in drafts]
    elif practitioner:
        by_id = {m.pk: m for m in messages}
        relays = Relay.objects.filter(thread=thread).select_related("by").order_by("message_id")
        extra["relay_hash_algorithm"] = RELAY_HASH_ALGORITHM
        extra["relays"] = [relay_record(r, by_id[r.message_id]) for r in relays if r.message_id in by_id]
    return extra


# -- verification (verify_records) -----------------------------------------------------------------


def verify_thread_records(thread) -> list[str]:
    """Recompute every draft's hash, every decision chain (numbered without gaps, each hash over the
    previous one) and every relay's hash from the stored records, and check that each link points at
    the message it names (same thread, seq and chain hash; a release carries the draft's words, an
    accepted rephrasing the proposal)."""
    problems: list[str] = []
    for draft, decisions in thread_drafts(thread=thread):
        digest = draft_hash(draft)
        if digest != draft.hash:
            problems.append(f"draft {draft.pk}: the hash does not match the content")
            continue
        previous, proposal = digest, None
        for expected, decision in enumerate(decisions, start=1):
            if decision.seq != expected:
                problems.append(f"draft {draft.pk}: decision {expected} is missing")
                break
            if decision_hash(decision, previous=previous, draft_hash_hex=digest) != decision.hash:
                problems.append(f"draft {draft.pk}: decision {expected}: the hash does not match the content")
                break
            previous = decision.hash
            if decision.kind == Decision.Kind.REPHRASE:
                proposal = decision.proposal
            if decision.kind in (Decision.Kind.RELEASE, Decision.Kind.ACCEPT):
                problem = _link_problem(draft, decision, proposal)
                if problem:
                    problems.append(f"draft {draft.pk}: decision {expected}: {problem}")
    for relay in Relay.objects.filter(thread=thread).select_related("message"):
        if relay_hash(relay, relay.message) != relay.hash:
            problems.append(f"relay of message {relay.message_id}: the hash does not match the content")
            continue
        for source in relay.sources:
            stored = Message.objects.filter(pk=source["id"]).values_list("thread_id", "seq", "hash").first()
            if stored != (source["thread"], source["seq"], source["hash"]):
                problems.append(f"relay of message {relay.message_id}: source {source['id']} does not match")
    return problems


def _link_problem(draft: Draft, decision: Decision, proposal) -> str:
    message = decision.message
    if message is None:
        return "no message is linked"
    if message.thread_id != draft.thread_id or message.sender_id != draft.sender_id:
        return "the linked message is not the sender's in this thread"
    expected = draft.body if decision.kind == Decision.Kind.RELEASE else proposal
    if message.body != expected:
        return "the linked message does not carry the released words"
    return ""
