"""A text field stored encrypted. Python code sees plaintext; the database holds only ciphertext.

Every model that uses it is found by `rotate_keys` (see vault.registry), so later apps need no
extra registration. The value cannot be searched or indexed in the database, by design.
"""

from __future__ import annotations

from django.db import models

from vault import keyring


class EncryptedTextField(models.TextField):
    description = "Text encrypted at rest with the vault key ring"

    def from_db_value(self, value, expression, connection):
        if value is None:
            return value
        return keyring.decrypt(value)

    def get_prep_value(self, value):
        value = super().get_prep_value(value)
        if value is None:
            return value
        return keyring.encrypt(value)

    def get_lookup(self, lookup_name):
        # Ciphertext differs on every write: a comparison in SQL would silently match nothing.
        if lookup_name != "isnull":
            raise TypeError(f"EncryptedTextField cannot be filtered with __{lookup_name}")
        return super().get_lookup(lookup_name)
