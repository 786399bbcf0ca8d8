"""`manage.py rotate_keys`: re-encrypt everything under the newest key, change nothing else.

No app model has an EncryptedTextField yet, so the test makes its own table of ciphertext and
registers it the way code outside that field does (vault.registry.register).
"""

from __future__ import annotations

import io

import pytest
from cryptography.fernet import Fernet, InvalidToken
from django.core.management import call_command
from django.db import connection

from vault import keyring, registry
from vault.management.commands import rotate_keys

NEW, OLD = Fernet.generate_key().decode(), Fernet.generate_key().decode()
TABLE = "vault_test_secret"
LABEL = "test.secret"


@pytest.fixture
def secrets_table(db, settings, monkeypatch):
    """A table with a column of ciphertext, registered for rotation; rolled back with the test."""
    monkeypatch.setattr(registry, "_extra", [])
    # Only tables that exist: a branch can see another app's models before it has their migrations.
    found = registry.encrypted_columns
    monkeypatch.setattr(
        rotate_keys,
        "encrypted_columns",
        lambda: [col for col in found() if col.table in connection.introspection.table_names()],
    )
    with connection.cursor() as cursor:
        cursor.execute(f"CREATE TABLE {TABLE} (id integer PRIMARY KEY, secret text NULL)")
    registry.register(table=TABLE, pk_column="id", column="secret", label=LABEL)
    settings.FIELD_ENCRYPTION_KEYS = [OLD]
    return settings


def _insert(pk: int, plaintext: str | None) -> None:
    token = None if plaintext is None else keyring.encrypt(plaintext)
    with connection.cursor() as cursor:
        cursor.execute(f"INSERT INTO {TABLE} (id, secret) VALUES (%s, %s)", [pk, token])  # noqa: S608


def _stored() -> dict[int, str | None]:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT id, secret FROM {TABLE} ORDER BY id")  # noqa: S608
        return dict(cursor.fetchall())


def _rotate(*args) -> str:
    out = io.StringIO()
    call_command("rotate_keys", *args, stdout=out)
    return out.getvalue()


def _opens_with(key: str, token: str) -> str | None:
    try:
        return Fernet(key).decrypt(token.encode()).decode()
    except InvalidToken:
        return None


def test_the_registered_table_is_found(secrets_table):
    assert registry.EncryptedColumn(TABLE, "id", "secret", LABEL) in registry.encrypted_columns()


def test_every_value_is_re_encrypted_under_the_newest_key(secrets_table):
    plaintexts = {1: "school Noor", 2: "adres Daan", 3: "Zoë 🙂"}
    for pk, text in plaintexts.items():
        _insert(pk, text)
    secrets_table.FIELD_ENCRYPTION_KEYS = [NEW, OLD]

    output = _rotate()

    assert f"{LABEL}: rotated 3" in output
    assert {pk: _opens_with(NEW, token) for pk, token in _stored().items()} == plaintexts
    secrets_table.FIELD_ENCRYPTION_KEYS = [NEW]  # the old key can go now
    assert {pk: keyring.decrypt(token) for pk, token in _stored().items()} == plaintexts


def test_empty_values_and_values_already_under_the_newest_key_are_left_alone(secrets_table):
    _insert(1, "oud")
    _insert(2, None)
    secrets_table.FIELD_ENCRYPTION_KEYS = [NEW, OLD]
    _insert(3, "al nieuw")
    before = _stored()

    output = _rotate()

    after = _stored()
    assert f"{LABEL}: rotated 1" in output
    assert after[2] is None
    assert after[3] == before[3]
    assert after[1] != before[1]


def test_a_dry_run_counts_but_changes_nothing(secrets_table):
    _insert(1, "een")
    _insert(2, "twee")
    secrets_table.FIELD_ENCRYPTION_KEYS = [NEW, OLD]
    before = _stored()

    output = _rotate("--dry-run")

    assert f"{LABEL}: would rotate 2" in output
    assert _stored() == before


def test_running_it_twice_rotates_nothing_the_second_time(secrets_table):
    _insert(1, "een")
    _insert(2, "twee")
    secrets_table.FIELD_ENCRYPTION_KEYS = [NEW, OLD]

    _rotate()
    after_first = _stored()
    output = _rotate()

    assert f"{LABEL}: rotated 0" in output
    assert _stored() == after_first


def test_it_works_through_more_rows_than_one_batch(secrets_table):
    for pk in range(1, 8):
        _insert(pk, f"waarde {pk}")
    secrets_table.FIELD_ENCRYPTION_KEYS = [NEW, OLD]

    output = _rotate("--batch-size", "3")

    assert f"{LABEL}: rotated 7" in output
    assert all(_opens_with(NEW, token) == f"waarde {pk}" for pk, token in _stored().items())
