"""Re-encrypt every encrypted column under the newest key in FIELD_ENCRYPTION_KEYS.

Works in batches, each in its own transaction, reading and writing ciphertext directly so that
no plaintext is held longer than one value. Safe to run again: values already under the newest
key are skipped. Drop an old key only after this reports nothing left to rotate.
"""

from __future__ import annotations

from django.core.management.base import BaseCommand
from django.db import connection, transaction

from vault import keyring
from vault.registry import encrypted_columns


class Command(BaseCommand):
    help = "Re-encrypt data at rest under the newest key of FIELD_ENCRYPTION_KEYS."

    def add_arguments(self, parser):
        parser.add_argument("--batch-size", type=int, default=500)
        parser.add_argument("--dry-run", action="store_true",
                            help="Count what would be rotated; change nothing.")

    def handle(self, *args, batch_size, dry_run, **options):
        qn = connection.ops.quote_name
        total = 0
        tables = set(connection.introspection.table_names())
        for col in encrypted_columns():
            if col.table not in tables:
                # A model whose migration has not run yet holds no data to rotate.
                self.stdout.write(
                    self.style.WARNING(f"{col.label}: no table {col.table} (run migrate); skipped")
                )
                continue
            rotated = 0
            last_pk = None
            while True:
                with transaction.atomic(), connection.cursor() as cursor:
                    where = f"WHERE {qn(col.pk_column)} > %s " if last_pk is not None else ""
                    params = [last_pk] if last_pk is not None else []
                    cursor.execute(
                        f"SELECT {qn(col.pk_column)}, {qn(col.column)} FROM {qn(col.table)} {where}"  # noqa: S608
                        f"ORDER BY {qn(col.pk_column)} LIMIT %s",
                        [*params, batch_size],
                    )
                    rows = cursor.fetchall()
                    if not rows:
                        break
                    for pk, token in rows:
                        last_pk = pk
                        if token is None or keyring.is_current(token):
                            continue
                        rotated += 1
                        if not dry_run:
                            cursor.execute(
                                f"UPDATE {qn(col.table)} SET {qn(col.column)} = %s "  # noqa: S608
                                f"WHERE {qn(col.pk_column)} = %s",
                                [keyring.rotate(token), pk],
                            )
            total += rotated
            verb = "would rotate" if dry_run else "rotated"
            self.stdout.write(f"{col.label}: {verb} {rotated}")
        self.stdout.write(self.style.SUCCESS(f"{'Would rotate' if dry_run else 'Rotated'} {total} value(s)."))
