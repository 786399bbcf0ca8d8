"""What `rotate_keys` re-encrypts: every EncryptedTextField of every installed model, plus
columns registered explicitly with `register()` for ciphertext kept outside that field."""

from __future__ import annotations

from dataclasses import dataclass

from django.apps import apps

from vault.fields import EncryptedTextField


@dataclass(frozen=True)
class EncryptedColumn:
    table: str
    pk_column: str
    column: str
    label: str


_extra: list[EncryptedColumn] = []


def register(*, table: str, pk_column: str, column: str, label: str) -> None:
    column_ref = EncryptedColumn(table, pk_column, column, label)
    if column_ref not in _extra:
        _extra.append(column_ref)


def encrypted_columns() -> list[EncryptedColumn]:
    found = []
    for model in apps.get_models():
        for field in model._meta.concrete_fields:
            if isinstance(field, EncryptedTextField):
                found.append(
                    EncryptedColumn(
                        model._meta.db_table, model._meta.pk.column, field.column,
                        f"{model._meta.label}.{field.name}",
                    )
                )
    return found + list(_extra)
