"""The moderation frames' objects (docs/PROTOCOL.md, "Moderation"). The field names are fixed by the
issue: outside clients rely on them."""

from __future__ import annotations

from messaging.services import iso, message_frame
from moderation.models import Decision, Draft


def review_group(family_id: int) -> str:
    """The practitioners of a family with its review queue open."""
    return f"review.{family_id}"


def review_item(draft: Draft) -> dict:
    """ITEM: what a practitioner reviews."""
    return {
        "id": draft.pk,
        "thread": draft.thread_id,
        "sender": {"id": draft.sender_id, "name": draft.sender.display_name},
        "body": draft.body,
        "tone": {"level": draft.tone_level, "reasons": list(draft.tone_reasons)},
        "held_at": iso(draft.held_at),
        "client_id": str(draft.client_id),
    }


def held_message(draft: Draft, *, state: str = "held") -> dict:
    """The MSG of a held draft, for its sender's ack: not part of the thread (seq null). Its id is the
    review item's id (also as "item"), which rephrase.answer names; its hash is the draft's own."""
    return {
        "id": draft.pk,
        "item": draft.pk,
        "thread": draft.thread_id,
        "seq": None,
        "sender": {"id": draft.sender_id, "name": draft.sender.display_name},
        "body": draft.body,
        "sent_at": iso(draft.held_at),
        "state": state,
        "hash": draft.hash,
    }


def message_state(draft: Draft, *, state: str, message=None, decision: Decision | None = None) -> dict:
    """What the sender learns of an outcome (message.state)."""
    returned = state == "returned"
    proposed = state == "rephrase_proposed"
    return {
        "type": "message.state",
        "thread": draft.thread_id,
        "client_id": str(draft.client_id),
        "item": draft.pk,
        "state": state,
        "message": message_frame(message) if message is not None else None,
        "reason": (decision.reason or None) if decision is not None and (returned or proposed) else None,
        "note": (decision.note or None) if decision is not None and (returned or proposed) else None,
        "proposal": decision.proposal if decision is not None and proposed else None,
    }


def sender_draft(draft: Draft, state: str) -> dict:
    """DRAFT: one of the sender's own drafts as thread.history lists it ("drafts")."""
    decisions = list(draft.decisions.all())
    last = decisions[-1] if decisions else None
    explained = last is not None and state in ("returned", "rephrase_proposed")
    proposal = next((d for d in reversed(decisions) if d.kind == Decision.Kind.REPHRASE), None)
    delivered = next((d for d in decisions if d.message_id), None)
    return {
        "item": draft.pk,
        "thread": draft.thread_id,
        "client_id": str(draft.client_id),
        "body": draft.body,
        "held_at": iso(draft.held_at),
        "after_seq": draft.after_seq,
        "state": state,
        "reason": (last.reason or None) if explained else None,
        "note": (last.note or None) if explained else None,
        "proposal": proposal.proposal if proposal is not None and state == "rephrase_proposed" else None,
        "seq": delivered.message.seq if delivered is not None else None,
        "rephrased": delivered is not None and delivered.kind == Decision.Kind.ACCEPT,
        "hash": draft.hash,
    }
