"""Record hashing for tamper-evident chains (used by messaging and the plan).

A record's hash is SHA-256 over the previous hash and a canonical JSON encoding of its fields
(keys sorted, no spaces, UTF-8). The procedure is documented in docs/VERIFYING.md so that anyone
can recompute a chain from an export without this code.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

GENESIS = "0" * 64


def canonical_json(fields: dict[str, Any]) -> bytes:
    return json.dumps(fields, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode("utf-8")


def chain_hash(previous: str, fields: dict[str, Any]) -> str:
    if len(previous) != 64:
        raise ValueError("previous hash must be 64 hex characters")
    digest = hashlib.sha256()
    digest.update(previous.encode("ascii"))
    digest.update(b"\n")
    digest.update(canonical_json(fields))
    return digest.hexdigest()


def content_hash(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()
