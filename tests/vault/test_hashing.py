"""Chain hashes: the same everywhere (a known vector), sensitive to every field and to the previous hash."""

from __future__ import annotations

import hashlib

import pytest

from vault.hashing import GENESIS, canonical_json, chain_hash, content_hash

FIELDS = {
    "id": 7,
    "sender": "alice@example.org",
    "body": "Zoë komt om 9 uur",
    "at": "2026-11-23T15:00:00+01:00",
}


# Two messages with the fields of docs/VERIFYING.md, hashed outside Python with coreutils:
#   printf '%s\n%s' "$previous" '<canonical JSON>' | sha256sum
# A judge's verifier gets these same hashes in any process on any machine, so any change to the
# encoding (key order, separators, escaping of non-ASCII, the newline) fails here.
KNOWN_CHAIN = [
    ({"thread": 3, "seq": 1, "sender": 4, "sent_at": "2026-11-23T14:00:00.000Z", "body": "Zoë komt om 9 uur"},
     "86e1a38679e445d4b5405d481449e009ad21635651f842eb0bce094bd8e31f7a"),
    ({"thread": 3, "seq": 2, "sender": 5, "sent_at": "2026-11-23T14:02:30.125Z", "body": "Prima, tot dan."},
     "9f7993fe8614d5c7a5613a217a5b8746998b53c315a5b7616522a58d4a2ea1e7"),
]


def test_a_known_chain_gives_the_hashes_computed_outside_python():
    previous = GENESIS
    for fields, expected in KNOWN_CHAIN:
        assert chain_hash(previous, fields) == expected
        previous = expected


def test_the_order_of_the_keys_does_not_matter():
    reordered = dict(reversed(list(FIELDS.items())))
    assert list(reordered) != list(FIELDS)
    assert chain_hash(GENESIS, reordered) == chain_hash(GENESIS, FIELDS)


@pytest.mark.parametrize("field", list(FIELDS))
def test_changing_any_field_changes_the_hash(field):
    changed = {**FIELDS, field: f"{FIELDS[field]}!"}
    assert chain_hash(GENESIS, changed) != chain_hash(GENESIS, FIELDS)


def test_adding_a_field_changes_the_hash():
    assert chain_hash(GENESIS, {**FIELDS, "edited": False}) != chain_hash(GENESIS, FIELDS)


def test_changing_the_previous_hash_changes_the_hash():
    other_previous = "f" * 64
    assert chain_hash(other_previous, FIELDS) != chain_hash(GENESIS, FIELDS)


def test_each_hash_depends_on_the_whole_chain_before_it():
    first = chain_hash(GENESIS, {"n": 1})
    second = chain_hash(first, {"n": 2})
    tampered_first = chain_hash(GENESIS, {"n": 1, "x": 0})
    assert chain_hash(tampered_first, {"n": 2}) != second


def test_the_hash_follows_the_documented_procedure():
    # SHA-256 over the previous hash, a newline, and the canonical JSON (sorted keys, no spaces, UTF-8).
    expected = hashlib.sha256(GENESIS.encode() + b"\n" + '{"a":[1,2],"b":"é"}'.encode()).hexdigest()
    assert chain_hash(GENESIS, {"b": "é", "a": [1, 2]}) == expected


def test_canonical_json_sorts_keys_and_leaves_out_spaces():
    assert canonical_json({"b": 1, "a": {"d": 2, "c": "ë"}}) == '{"a":{"c":"ë","d":2},"b":1}'.encode()


def test_a_previous_hash_of_the_wrong_length_is_refused():
    with pytest.raises(ValueError):
        chain_hash("abc", FIELDS)


def test_content_hash_is_plain_sha256():
    assert content_hash(b"bijlage") == hashlib.sha256(b"bijlage").hexdigest()
