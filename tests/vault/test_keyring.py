"""The key ring: the first key encrypts, every key decrypts, nothing else opens a value."""

from __future__ import annotations

import pytest
from cryptography.fernet import Fernet
from django.db import connection

from vault import keyring
from vault.fields import EncryptedTextField
from vault.keyring import DecryptionError

NEW, OLD, STRANGER = (
    Fernet.generate_key().decode(),
    Fernet.generate_key().decode(),
    Fernet.generate_key().decode(),
)


@pytest.fixture
def ring(settings):
    """ring(*keys): use these keys, newest first."""

    def use(*keys):
        settings.FIELD_ENCRYPTION_KEYS = list(keys)

    return use


@pytest.mark.parametrize("plaintext", ["Hallo", "", "Zoë wil woensdag 🙂", "regel 1\nregel 2" * 500])
def test_a_value_comes_back_as_it_went_in(ring, plaintext):
    ring(NEW)
    assert keyring.decrypt(keyring.encrypt(plaintext)) == plaintext


def test_the_stored_value_does_not_show_the_plaintext(ring):
    ring(NEW)
    token = keyring.encrypt("de school van Noor")
    assert "Noor" not in token
    assert token != keyring.encrypt("de school van Noor")  # a fresh IV each time


def test_the_first_key_encrypts(ring):
    ring(NEW, OLD)
    token = keyring.encrypt("geheim")
    assert Fernet(NEW).decrypt(token.encode()).decode() == "geheim"
    with pytest.raises(Exception):  # noqa: B017 - cryptography's InvalidToken; any failure will do
        Fernet(OLD).decrypt(token.encode())


def test_any_key_in_the_ring_decrypts(ring):
    ring(OLD)
    under_old = keyring.encrypt("van vroeger")
    ring(NEW, OLD)
    assert keyring.decrypt(under_old) == "van vroeger"


def test_a_value_under_a_key_not_in_the_ring_cannot_be_opened(ring):
    ring(STRANGER)
    token = keyring.encrypt("niet voor jou")
    ring(NEW, OLD)
    with pytest.raises(DecryptionError):
        keyring.decrypt(token)


def test_a_value_dropped_too_early_from_the_ring_cannot_be_opened(ring):
    ring(OLD)
    token = keyring.encrypt("te vroeg")
    ring(NEW)
    with pytest.raises(DecryptionError):
        keyring.decrypt(token)


@pytest.mark.parametrize("damage", ["flip", "garbage", "non_ascii"])
def test_a_damaged_value_raises_decryption_error(ring, damage):
    ring(NEW)
    token = keyring.encrypt("heel")
    damaged = {
        "flip": token[:-6] + ("A" if token[-6] != "A" else "B") + token[-5:],
        "garbage": "dit is geen token",
        "non_ascii": "géén token",
    }[damage]
    with pytest.raises(DecryptionError):
        keyring.decrypt(damaged)


def test_is_current_tells_whether_the_newest_key_was_used(ring):
    ring(OLD)
    under_old = keyring.encrypt("x")
    ring(NEW, OLD)
    assert keyring.is_current(keyring.encrypt("x"))
    assert not keyring.is_current(under_old)


def test_rotate_re_encrypts_under_the_newest_key_and_keeps_the_value(ring):
    ring(OLD)
    under_old = keyring.encrypt("blijft gelijk")
    ring(NEW, OLD)
    rotated = keyring.rotate(under_old)
    assert keyring.is_current(rotated)
    ring(NEW)
    assert keyring.decrypt(rotated) == "blijft gelijk"


def test_the_encrypted_field_stores_ciphertext_and_reads_plaintext(ring):
    ring(NEW)
    field = EncryptedTextField()
    stored = field.get_prep_value("afspraak om 9 uur")
    assert "afspraak" not in stored
    assert field.from_db_value(stored, None, connection) == "afspraak om 9 uur"
    assert field.get_prep_value(None) is None
    assert field.from_db_value(None, None, connection) is None
