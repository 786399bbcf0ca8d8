#!/usr/bin/env python3
"""Verify a Kompas thread export (JSON) without Kompas: Python 3 standard library only.

    python3 verify_export.py gesprek-3.json [--expect-head <hash from an older export>]

Exit 0 and "OK" when every record's hash matches its content and the previous hash, the seqs run
1, 2, 3… without gaps, and the last hash equals the export's chain_head. With --expect-head, the
older head must appear in this chain (so nothing before it was rewritten since). Otherwise exit 1
and name the first seq that does not fit.

Records are messages and membership entries (someone joined or left the thread); an entry's kind
is part of what its hash covers. An export made for someone who sees the thread only from a later
record (a relative added without the earlier messages) starts at `first_seq` and links to
`previous_hash`, the hash of the record before it: the part shown is checked from there.

Moderation records, when the export carries them (docs/VERIFYING.md): every held message ("drafts")
must match its own hash, its decisions must run 1, 2, 3… each hashed over the previous one, and a
release or an accepted rephrasing must link a message of this export's chain (same seq and hash,
the draft's sender, the released words). Every relay ("relays") must match its hash and link a
message of this chain.
"""

import argparse
import hashlib
import json
import sys

GENESIS = "0" * 64


def record_hash(previous: str, thread_id: int, message: dict) -> str:
    fields = {
        "thread": thread_id,
        "seq": message["seq"],
        "sender": message["sender"]["id"],
        "sent_at": message["sent_at"],
        "body": message["body"],
    }
    if message.get("kind", "message") != "message":
        fields["kind"] = message["kind"]
    canonical = json.dumps(fields, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode("utf-8")
    return hashlib.sha256(previous.encode("ascii") + b"\n" + canonical).hexdigest()


def canonical(fields: dict) -> bytes:
    return json.dumps(fields, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode("utf-8")


def draft_hash(thread_id: int, draft: dict) -> str:
    fields = {
        "type": "draft",
        "thread": thread_id,
        "sender": draft["sender"]["id"],
        "client_id": draft["client_id"],
        "held_at": draft["held_at"],
        "after_seq": draft["after_seq"],
        "body": draft["body"],
        "tone": {"level": draft["tone"]["level"], "reasons": draft["tone"]["reasons"],
                 "version": draft["tone"]["version"]},
    }
    return hashlib.sha256(canonical(fields)).hexdigest()


def decision_hash(previous: str, draft_hash_hex: str, decision: dict) -> str:
    message = decision["message"]
    fields = {
        "type": "decision",
        "draft": draft_hash_hex,
        "seq": decision["seq"],
        "decision": decision["decision"],
        "by": decision["by"]["id"],
        "at": decision["at"],
        "reason": decision["reason"],
        "note": decision["note"],
        "proposal": decision["proposal"],
        "message": None if message is None else {"thread": message["thread"], "seq": message["seq"],
                                                  "hash": message["hash"]},
    }
    return hashlib.sha256(previous.encode("ascii") + b"\n" + canonical(fields)).hexdigest()


def relay_hash(relay: dict) -> str:
    fields = {
        "type": "relay",
        "message": {"thread": relay["message"]["thread"], "seq": relay["message"]["seq"],
                    "hash": relay["message"]["hash"]},
        "by": relay["by"]["id"],
        "sources": [{"thread": s["thread"], "seq": s["seq"], "hash": s["hash"]} for s in relay["sources"]],
    }
    return hashlib.sha256(canonical(fields)).hexdigest()


def linked_message(export: dict, link: dict) -> dict | None:
    """The message of this export's chain that a link names (same thread, seq and hash), or None."""
    messages = export["messages"]
    if link["thread"] != export["thread"]["id"] or not 1 <= link["seq"] <= len(messages):
        return None
    message = messages[link["seq"] - 1]
    return message if message["hash"] == link["hash"] else None


def verify_drafts(export: dict) -> tuple[bool, str]:
    thread_id = export["thread"]["id"]
    for draft in export["drafts"]:
        name = f"draft {draft['id']}"
        digest = draft_hash(thread_id, draft)
        if digest != draft["hash"]:
            return False, f"{name}: the hash does not match the content"
        previous, proposal = digest, None
        for position, decision in enumerate(draft["decisions"], start=1):
            if decision["seq"] != position:
                return False, f"{name}: decision {position} is missing or out of order"
            if decision_hash(previous, digest, decision) != decision["hash"]:
                return False, f"{name}: decision {position}: the hash does not match the content"
            previous = decision["hash"]
            if decision["decision"] == "rephrase":
                proposal = decision["proposal"]
            if decision["decision"] in ("release", "accept"):
                message = decision["message"] and linked_message(export, decision["message"])
                if not message:
                    return False, f"{name}: decision {position}: the linked message is not in this chain"
                words = draft["body"] if decision["decision"] == "release" else proposal
                if message["sender"]["id"] != draft["sender"]["id"] or message["body"] != words:
                    return False, (f"{name}: decision {position}: "
                                   "the linked message does not carry the released words")
    return True, ""


def verify_relays(export: dict) -> tuple[bool, str]:
    for relay in export["relays"]:
        name = f"relay of seq {relay['message']['seq']}"
        if not linked_message(export, relay["message"]):
            return False, f"{name}: the relayed message is not in this chain"
        if relay_hash(relay) != relay["hash"]:
            return False, f"{name}: the hash does not match the content"
    return True, ""


def verify(export: dict, expect_head: str | None = None) -> tuple[bool, str]:
    ok, text = verify_chain(export, expect_head)
    if not ok:
        return ok, text
    counts = []
    if "drafts" in export:
        ok, problem = verify_drafts(export)
        if not ok:
            return False, problem
        decisions = sum(len(d["decisions"]) for d in export["drafts"])
        counts.append(f"{len(export['drafts'])} drafts with {decisions} decisions")
    if "relays" in export:
        ok, problem = verify_relays(export)
        if not ok:
            return False, problem
        counts.append(f"{len(export['relays'])} relays")
    if counts:
        text = text.replace(" messages, ", " messages, " + ", ".join(counts) + ", ", 1)
    return True, text


def verify_chain(export: dict, expect_head: str | None = None) -> tuple[bool, str]:
    thread_id = export["thread"]["id"]
    first_seq = export.get("first_seq", 1)
    if not isinstance(first_seq, int) or isinstance(first_seq, bool) or first_seq < 1:
        return False, "first_seq is not a sequence number"
    previous = export.get("previous_hash") if first_seq > 1 else GENESIS
    if not isinstance(previous, str) or len(previous) != 64:
        return False, "previous_hash is missing or not a hash"
    seen = {previous}
    for position, message in enumerate(export["messages"], start=first_seq):
        if message["seq"] != position:
            return False, f"seq {position} is missing or out of order (found {message['seq']})"
        digest = record_hash(previous, thread_id, message)
        if digest != message["hash"]:
            return False, f"seq {position}: the hash does not match the content"
        previous = digest
        seen.add(digest)
    count = len(export["messages"])
    last = first_seq + count - 1
    if export.get("message_count") != count:
        if isinstance(export.get("message_count"), int) and export["message_count"] > count:
            return False, f"seq {last + 1} is missing (message_count is {export['message_count']})"
        return False, "message_count does not match the number of messages"
    if previous != export["chain_head"]:
        # The chain was cut short (messages after the last one removed) or chain_head was changed.
        return False, f"seq {last + 1} is missing or chain_head was changed: the last hash is not chain_head"
    if expect_head and expect_head not in seen:
        return False, "the older chain head does not occur in this chain: the thread was rewritten"
    if first_seq != 1:
        return True, (f"OK: {count} messages (seq {first_seq} to {last}, linked to the record before), "
                      f"chain head {previous}")
    return True, f"OK: {count} messages, chain head {previous}"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("export")
    parser.add_argument("--expect-head")
    args = parser.parse_args()
    try:
        with open(args.export, encoding="utf-8") as handle:
            export = json.load(handle)
        ok, text = verify(export, args.expect_head)
    except (OSError, ValueError, KeyError, TypeError) as exc:
        ok, text = False, f"not a readable export: {exc}"
    print(text if ok else f"FAILED: {text}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
