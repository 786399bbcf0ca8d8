"""The audit trail is append-only: in the ORM, and in the database itself."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from django.db import DatabaseError, connection, transaction

from audit import actions
from audit.models import AuditEntry
from audit.services import audit_record

TABLE = AuditEntry._meta.db_table


@pytest.fixture
def entry(db):
    return audit_record(action=actions.LOGOUT, details={"note": "original"})


def _raw(sql: str, params=()):
    # A savepoint: on PostgreSQL a refused statement would otherwise spoil the test's transaction.
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql, params)


def _stored_action(pk) -> str:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT action FROM {TABLE} WHERE id = %s", [pk])  # noqa: S608
        row = cursor.fetchone()
    return row[0] if row else None


def test_a_new_entry_is_stored(entry):
    assert AuditEntry.objects.get(pk=entry.pk).details == {"note": "original"}


def test_an_existing_entry_cannot_be_saved_again(entry):
    entry.action = "audit:tampered:yes"
    with pytest.raises(TypeError):
        entry.save()
    assert _stored_action(entry.pk) == actions.LOGOUT


def test_a_fresh_object_with_an_existing_id_cannot_overwrite_an_entry(entry):
    impostor = AuditEntry(pk=entry.pk, action="audit:tampered:yes")
    with pytest.raises((TypeError, DatabaseError)), transaction.atomic():
        impostor.save()
    assert _stored_action(entry.pk) == actions.LOGOUT


def test_an_entry_cannot_be_deleted(entry):
    with pytest.raises(TypeError):
        entry.delete()
    assert AuditEntry.objects.filter(pk=entry.pk).exists()


def test_entries_cannot_be_updated_or_deleted_in_bulk(entry):
    with pytest.raises(TypeError):
        AuditEntry.objects.filter(pk=entry.pk).update(action="audit:tampered:yes")
    with pytest.raises(TypeError):
        AuditEntry.objects.all().delete()
    with pytest.raises(TypeError):
        AuditEntry.objects.bulk_update([entry], ["action"])
    assert _stored_action(entry.pk) == actions.LOGOUT


def test_the_database_refuses_a_raw_update(entry):
    with pytest.raises(DatabaseError, match="append-only"):
        _raw(f"UPDATE {TABLE} SET action = %s WHERE id = %s", ["audit:tampered:yes", entry.pk])  # noqa: S608
    assert _stored_action(entry.pk) == actions.LOGOUT


def test_the_database_refuses_a_raw_delete(entry):
    with pytest.raises(DatabaseError, match="append-only"):
        _raw(f"DELETE FROM {TABLE} WHERE id = %s", [entry.pk])  # noqa: S608
    assert _stored_action(entry.pk) == actions.LOGOUT


def test_the_database_refuses_a_raw_delete_of_everything(entry):
    with pytest.raises(DatabaseError, match="append-only"):
        _raw(f"DELETE FROM {TABLE}")  # noqa: S608
    assert AuditEntry.objects.count() == 1


@pytest.mark.skipif(connection.vendor != "postgresql", reason="TRUNCATE is a PostgreSQL statement")
@pytest.mark.django_db(transaction=True)
def test_the_database_refuses_truncate():
    # Committed first: PostgreSQL refuses TRUNCATE of rows inserted in the same transaction anyway
    # (pending foreign-key checks), which would prove nothing about the trigger.
    audit_record(action=actions.LOGOUT)
    with pytest.raises(DatabaseError, match="append-only"):
        _raw(f"TRUNCATE {TABLE}")
    assert AuditEntry.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_flush_empties_the_table_and_puts_the_protection_back():
    audit_record(action=actions.LOGOUT)

    call_command("flush", interactive=False, verbosity=0, stdout=io.StringIO())

    assert AuditEntry.objects.count() == 0
    after = audit_record(action=actions.LOGOUT)
    with pytest.raises(DatabaseError, match="append-only"):
        _raw(f"UPDATE {TABLE} SET action = %s WHERE id = %s", ["audit:tampered:yes", after.pk])  # noqa: S608
    with pytest.raises(DatabaseError, match="append-only"):
        _raw(f"DELETE FROM {TABLE}")  # noqa: S608
    assert _stored_action(after.pk) == actions.LOGOUT
