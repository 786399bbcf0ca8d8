"""Append-only tables, enforced by the database itself, not only by the code.

A trigger refuses UPDATE and DELETE (and TRUNCATE on PostgreSQL) on each protected table.
Apps call `protect(table)` in ready() and create the trigger in a migration with
`ProtectTable(table)`. Someone with DDL rights can still drop a trigger: give the
application's database role no ownership of these tables in production (docs/OPERATIONS.md).
"""

from __future__ import annotations

from django.core.exceptions import ImproperlyConfigured
from django.db import migrations

PROTECTED_TABLES: list[str] = []


def protect(table: str) -> None:
    if table not in PROTECTED_TABLES:
        PROTECTED_TABLES.append(table)


def create_sql(vendor: str, table: str) -> list[str]:
    if vendor == "postgresql":
        return [
            """
            CREATE OR REPLACE FUNCTION refuse_change_append_only() RETURNS trigger AS $$
            BEGIN
                RAISE EXCEPTION 'table % is append-only: % refused', TG_TABLE_NAME, TG_OP
                    USING ERRCODE = 'insufficient_privilege';
            END;
            $$ LANGUAGE plpgsql;
            """,
            f'DROP TRIGGER IF EXISTS "{table}_append_only" ON "{table}";',
            f'CREATE TRIGGER "{table}_append_only" BEFORE UPDATE OR DELETE ON "{table}" '
            f"FOR EACH ROW EXECUTE FUNCTION refuse_change_append_only();",
            f'DROP TRIGGER IF EXISTS "{table}_no_truncate" ON "{table}";',
            f'CREATE TRIGGER "{table}_no_truncate" BEFORE TRUNCATE ON "{table}" '
            f"FOR EACH STATEMENT EXECUTE FUNCTION refuse_change_append_only();",
        ]
    if vendor == "sqlite":
        return [
            f'DROP TRIGGER IF EXISTS "{table}_no_update";',
            f'CREATE TRIGGER "{table}_no_update" BEFORE UPDATE ON "{table}" '
            f"BEGIN SELECT RAISE(ABORT, 'table {table} is append-only: UPDATE refused'); END;",
            f'DROP TRIGGER IF EXISTS "{table}_no_delete";',
            f'CREATE TRIGGER "{table}_no_delete" BEFORE DELETE ON "{table}" '
            f"BEGIN SELECT RAISE(ABORT, 'table {table} is append-only: DELETE refused'); END;",
        ]
    raise ImproperlyConfigured(f"append-only triggers are written for PostgreSQL and SQLite, not {vendor}")


def drop_sql(vendor: str, table: str) -> list[str]:
    if vendor == "postgresql":
        return [
            f'DROP TRIGGER IF EXISTS "{table}_append_only" ON "{table}";',
            f'DROP TRIGGER IF EXISTS "{table}_no_truncate" ON "{table}";',
        ]
    return [f'DROP TRIGGER IF EXISTS "{table}_no_update";', f'DROP TRIGGER IF EXISTS "{table}_no_delete";']


def run(connection, statements: list[str]) -> None:
    with connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)


class ProtectTable(migrations.RunPython):
    """Migration operation: install the append-only triggers on one table."""

    def __init__(self, table: str):
        def forwards(apps, schema_editor):
            run(schema_editor.connection, create_sql(schema_editor.connection.vendor, table))

        def backwards(apps, schema_editor):
            run(schema_editor.connection, drop_sql(schema_editor.connection.vendor, table))

        super().__init__(forwards, backwards)
