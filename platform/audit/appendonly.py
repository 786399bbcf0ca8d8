"""Append-only tables, enforced by the database itself, not only by the code.

A trigger refuses UPDATE and DELETE (and TRUNCATE on PostgreSQL) on each protected table.
Apps call `protect(table)` in ready() and create the trigger in a migration with
`ProtectTable(table)`. Someone with DDL rights can still drop a trigger: give the
application's database role no ownership of these tables in production (docs/OPERATIONS.md).
"""

from __future__ import annotations

from django.core.exceptions import ImproperlyConfigured
from django.db import migrations

# table -> columns that may still change (ciphertext re-encrypted by rotate_keys: the hash
# chain covers the plaintext, so re-encryption cannot hide a change of content).
PROTECTED_TABLES: dict[str, tuple[str, ...]] = {}


def protect(table: str, *, mutable: tuple[str, ...] = ()) -> None:
    PROTECTED_TABLES[table] = tuple(mutable)


_RAISE = """
                RAISE EXCEPTION 'table % is append-only: % refused', TG_TABLE_NAME, TG_OP
                    USING ERRCODE = 'insufficient_privilege';"""


def create_sql(
    vendor: str, table: str, mutable: tuple[str, ...] = (), columns: list[str] | None = None
) -> list[str]:
    """Triggers refusing DELETE (and TRUNCATE) always, and UPDATE unless only `mutable` columns
    change (`columns`, every column of the table, is needed for that on SQLite)."""
    if vendor == "postgresql":
        statements = [
            f"CREATE OR REPLACE FUNCTION refuse_change_append_only() RETURNS trigger AS $$ BEGIN{_RAISE}\n"
            f"END; $$ LANGUAGE plpgsql;"
        ]
        row_function = "refuse_change_append_only"
        if mutable:
            minus = " - ".join(f"'{c}'" for c in mutable)
            row_function = f'"refuse_change_{table}"'
            statements.append(
                f"CREATE OR REPLACE FUNCTION {row_function}() RETURNS trigger AS $$ BEGIN\n"
                f"    IF TG_OP = 'UPDATE' AND (to_jsonb(NEW) - {minus}) = (to_jsonb(OLD) - {minus}) THEN\n"
                f"        RETURN NEW;\n    END IF;{_RAISE}\nEND; $$ LANGUAGE plpgsql;"
            )
        return statements + [
            f'DROP TRIGGER IF EXISTS "{table}_append_only" ON "{table}";',
            f'CREATE TRIGGER "{table}_append_only" BEFORE UPDATE OR DELETE ON "{table}" '
            f"FOR EACH ROW EXECUTE FUNCTION {row_function}();",
            f'DROP TRIGGER IF EXISTS "{table}_no_truncate" ON "{table}";',
            f'CREATE TRIGGER "{table}_no_truncate" BEFORE TRUNCATE ON "{table}" '
            f"FOR EACH STATEMENT EXECUTE FUNCTION refuse_change_append_only();",
        ]
    if vendor == "sqlite":
        update_of = ""
        if mutable:
            update_of = " OF " + ", ".join(f'"{c}"' for c in (columns or []) if c not in mutable)
        return [
            f'DROP TRIGGER IF EXISTS "{table}_no_update";',
            f'CREATE TRIGGER "{table}_no_update" BEFORE UPDATE{update_of} ON "{table}" '
            f"BEGIN SELECT RAISE(ABORT, 'table {table} is append-only: UPDATE refused'); END;",
            f'DROP TRIGGER IF EXISTS "{table}_no_delete";',
            f'CREATE TRIGGER "{table}_no_delete" BEFORE DELETE ON "{table}" '
            f"BEGIN SELECT RAISE(ABORT, 'table {table} is append-only: DELETE refused'); END;",
        ]
    raise ImproperlyConfigured(f"append-only triggers are written for PostgreSQL and SQLite, not {vendor}")


def table_columns(connection, table: str) -> list[str]:
    with connection.cursor() as cursor:
        return [col.name for col in connection.introspection.get_table_description(cursor, table)]


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


def install(connection, table: str, mutable: tuple[str, ...] = ()) -> None:
    columns = table_columns(connection, table) if mutable else None
    run(connection, create_sql(connection.vendor, table, mutable, columns))


class ProtectTable(migrations.RunPython):
    """Migration operation: install the append-only triggers on one table."""

    def __init__(self, table: str, mutable: tuple[str, ...] = ()):
        def forwards(apps, schema_editor):
            install(schema_editor.connection, table, mutable)

        def backwards(apps, schema_editor):
            run(schema_editor.connection, drop_sql(schema_editor.connection.vendor, table))

        super().__init__(forwards, backwards)
