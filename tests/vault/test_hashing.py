"""Chain hashes: deterministic, sensitive to every field and to the previous hash."""

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


def test_the_same_input_gives_the_same_hash():
    assert chain_hash(GENESIS, dict(FIELDS)) == chain_hash(GENESIS, dict(FIELDS))


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
