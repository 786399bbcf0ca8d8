"""Encryption at rest with a key ring.

FIELD_ENCRYPTION_KEYS holds Fernet keys, newest first: the first encrypts, every key decrypts
(cryptography's MultiFernet: AES-128-CBC with HMAC-SHA256, authenticated). Rotating means
putting a new key first, running `manage.py rotate_keys`, then dropping the old key.

What this covers: a stolen database dump or backup is unreadable without the keys. What it does
not cover: a compromised application server holds the keys and can read everything.
"""

from __future__ import annotations

from functools import lru_cache

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings


class DecryptionError(Exception):
    """No key in the ring opens this token (a key was dropped too early, or the data was altered)."""


@lru_cache(maxsize=4)
def _ring(keys: tuple[str, ...]) -> MultiFernet:
    return MultiFernet([Fernet(key) for key in keys])


def keyring() -> MultiFernet:
    return _ring(tuple(settings.FIELD_ENCRYPTION_KEYS))


def encrypt(plaintext: str) -> str:
    return keyring().encrypt(plaintext.encode("utf-8")).decode("ascii")


def decrypt(token: str) -> str:
    try:
        return keyring().decrypt(token.encode("ascii")).decode("utf-8")
    except (InvalidToken, UnicodeEncodeError):  # a token is ASCII: anything else was altered
        raise DecryptionError("no key in FIELD_ENCRYPTION_KEYS opens this value") from None


def rotate(token: str) -> str:
    """Re-encrypt under the newest key (the plaintext never leaves this function)."""
    try:
        return keyring().rotate(token.encode("ascii")).decode("ascii")
    except (InvalidToken, UnicodeEncodeError):
        raise DecryptionError("no key in FIELD_ENCRYPTION_KEYS opens this value") from None


def is_current(token: str) -> bool:
    """True when the newest key opens the token (nothing to rotate)."""
    try:
        Fernet(settings.FIELD_ENCRYPTION_KEYS[0]).decrypt(token.encode("ascii"))
    except (InvalidToken, UnicodeEncodeError):
        return False
    return True
