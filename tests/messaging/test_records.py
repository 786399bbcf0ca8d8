"""The stored records: encrypted at rest, gap-free, unchangeable in the database itself, and any
change made behind the database's back is named by verify_records."""

from __future__ import annotations

import threading
import uuid
from contextlib import contextmanager
from datetime import timedelta
from io import StringIO

import pytest
from cryptography.fernet import Fernet
from django.core.management import CommandError, call_command
from django.db import DatabaseError, connection, transaction

from audit import appendonly
from messaging import services
from messaging.models import Message, MessageRead, Thread
from messaging.records import verify_thread
from vault import keyring
from vault.hashing import chain_hash

SECRET = "Xylofoon-4711: de sleutel ligt onder de bloempot 🦜"
TABLE = "messaging_message"


def send(sender, thread, body: str) -> Message:
    return services.message_send(sender=sender, thread_id=thread.pk, body=body, client_id=uuid.uuid4())[0]


def raw(sql: str, params=()) -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall() if cursor.description else []


def stored_bodies(thread) -> dict[int, str]:
    """seq -> the body column exactly as the database holds it."""
    return dict(raw(f"SELECT seq, body FROM {TABLE} WHERE thread_id = %s", [thread.pk]))  # noqa: S608


def verify_records(thread) -> str:
    out = StringIO()
    call_command("verify_records", thread=thread.pk, stdout=out)
    return out.getvalue()


def broken_verify_records(thread) -> str:
    out = StringIO()
    with pytest.raises(CommandError):
        call_command("verify_records", thread=thread.pk, stdout=out)
    return out.getvalue()


@contextmanager
def triggers_lifted():
    """What someone with DDL rights could do: drop the append-only triggers, then put them back."""
    appendonly.run(connection, appendonly.drop_sql(connection.vendor, TABLE))
    try:
        yield
    finally:
        appendonly.install(connection, TABLE, appendonly.PROTECTED_TABLES[TABLE])


def refused(sql: str, params=()) -> bool:
    try:
        with transaction.atomic():  # a savepoint: PostgreSQL aborts the transaction on the error
            raw(sql, params)
    except DatabaseError as exc:
        assert "append-only" in str(exc)
        return True
    return False


@pytest.fixture
def three_messages(threads, alice, bob):
    thread = threads["parents"]
    for sender, body in ((alice, "Hoi Bob"), (bob, SECRET), (alice, "Goed, tot morgen")):
        send(sender, thread, body)
    thread.refresh_from_db()
    return thread


def test_no_plaintext_of_a_message_is_stored_in_the_database(three_messages):
    rows = raw(f"SELECT * FROM {TABLE}")  # noqa: S608
    assert len(rows) == 3
    stored = " ".join(str(value) for row in rows for value in row)
    assert "Xylofoon" not in stored and "bloempot" not in stored and "Hoi Bob" not in stored
    assert keyring.decrypt(stored_bodies(three_messages)[2]) == SECRET


def test_the_audit_trail_holds_no_message_text(three_messages):
    rows = raw("SELECT * FROM audit_auditentry")
    assert "Xylofoon" not in " ".join(str(value) for row in rows for value in row)


@pytest.mark.django_db(transaction=True)
def test_seq_stays_gap_free_when_two_parents_send_at_the_same_time(threads, alice, bob):
    thread = threads["parents"]
    start = threading.Barrier(2)
    failures = []

    def sender(user):
        try:
            start.wait(timeout=10)
            for n in range(25):
                send(user, thread, f"{user.display_name} {n}")
        except Exception as exc:  # noqa: BLE001 - reported below, in the test's thread
            failures.append(exc)
        finally:
            connection.close()

    workers = [threading.Thread(target=sender, args=(user,)) for user in (alice, bob)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(timeout=120)
    assert failures == []
    assert list(Message.objects.filter(thread=thread).values_list("seq", flat=True)) == list(range(1, 51))
    thread.refresh_from_db()
    assert thread.last_seq == 50
    assert verify_thread(thread).ok


def test_the_database_refuses_to_change_a_stored_message(three_messages):
    message = Message.objects.get(thread=three_messages, seq=2)
    for column, value in (("state", "held"), ("seq", 7), ("sent_at", message.sent_at - timedelta(days=1)),
                          ("hash", "0" * 64), ("sender_id", message.thread.owner_id)):
        assert refused(f"UPDATE {TABLE} SET {column} = %s WHERE id = %s", [value, message.pk]), column  # noqa: S608
    with pytest.raises(DatabaseError), transaction.atomic():
        Message.objects.filter(pk=message.pk).update(state=Message.State.HELD)
    assert Message.objects.get(pk=message.pk).state == Message.State.DELIVERED
    assert verify_records(three_messages).endswith("all chains verified\n")


def test_the_database_refuses_to_delete_a_message_or_a_read_receipt(three_messages, bob):
    services.messages_mark_read(user=bob, thread_id=three_messages.pk, seq=3)
    assert refused(f"DELETE FROM {TABLE} WHERE seq = 2")  # noqa: S608
    assert refused(f"DELETE FROM {TABLE}")  # noqa: S608
    assert refused("DELETE FROM messaging_messageread")
    assert refused("UPDATE messaging_messageread SET read_at = read_at")
    assert Message.objects.filter(thread=three_messages).count() == 3
    assert MessageRead.objects.filter(user=bob).count() == 2


def test_rotate_keys_re_encrypts_the_bodies_and_the_chain_still_verifies(three_messages, settings):
    before = stored_bodies(three_messages)
    new_key = Fernet.generate_key().decode()
    settings.FIELD_ENCRYPTION_KEYS = [new_key, *settings.FIELD_ENCRYPTION_KEYS]
    call_command("rotate_keys", stdout=StringIO())
    after = stored_bodies(three_messages)
    assert all(after[seq] != before[seq] for seq in before)
    assert Fernet(new_key).decrypt(after[2].encode()).decode() == SECRET
    bodies = [m.body for m in Message.objects.filter(thread=three_messages)]
    assert bodies == ["Hoi Bob", SECRET, "Goed, tot morgen"]
    assert "all chains verified" in verify_records(three_messages)


def test_verify_records_names_the_seq_whose_body_was_swapped_for_another(three_messages):
    # Only the body's ciphertext may change (for rotate_keys), so the database lets this through;
    # the hash chain, which covers the plaintext, is what catches it.
    raw(f"UPDATE {TABLE} SET body = %s WHERE thread_id = %s AND seq = 2",  # noqa: S608
        [keyring.encrypt("Ik heb dat nooit gezegd"), three_messages.pk])
    output = broken_verify_records(three_messages)
    assert f"thread {three_messages.pk}: BROKEN at seq 2" in output and "hash does not match" in output


def test_verify_records_names_the_seq_whose_ciphertext_was_damaged(three_messages):
    token = stored_bodies(three_messages)[2]
    damaged = token[:-6] + ("A" if token[-6] != "A" else "B") + token[-5:]
    raw(f"UPDATE {TABLE} SET body = %s WHERE thread_id = %s AND seq = 2",  # noqa: S608
        [damaged, three_messages.pk])
    assert f"thread {three_messages.pk}: BROKEN at seq 2" in broken_verify_records(three_messages)


def test_verify_records_names_the_seq_whose_time_was_changed_with_the_triggers_lifted(three_messages):
    with triggers_lifted():
        earlier = Message.objects.get(thread=three_messages, seq=2).sent_at - timedelta(hours=3)
        raw(f"UPDATE {TABLE} SET sent_at = %s WHERE thread_id = %s AND seq = 2",  # noqa: S608
            [earlier, three_messages.pk])
    assert refused(f"UPDATE {TABLE} SET state = 'held'")  # the triggers are back  # noqa: S608
    assert f"thread {three_messages.pk}: BROKEN at seq 2" in broken_verify_records(three_messages)


def test_verify_records_names_the_seq_that_was_removed_with_the_triggers_lifted(three_messages):
    with triggers_lifted():
        raw(f"DELETE FROM {TABLE} WHERE thread_id = %s AND seq = 2", [three_messages.pk])  # noqa: S608
    output = broken_verify_records(three_messages)
    assert f"thread {three_messages.pk}: BROKEN at seq 2: seq 2 is missing" in output


def test_verify_records_names_the_last_seq_when_the_last_message_was_removed(three_messages):
    with triggers_lifted():
        raw(f"DELETE FROM {TABLE} WHERE thread_id = %s AND seq = 3", [three_messages.pk])  # noqa: S608
    assert f"thread {three_messages.pk}: BROKEN at seq 3" in broken_verify_records(three_messages)


def test_verify_records_reports_every_intact_thread_as_ok(three_messages, threads):
    out = StringIO()
    call_command("verify_records", stdout=out)
    lines = out.getvalue().splitlines()
    assert f"thread {three_messages.pk}: ok, 3 messages, head {three_messages.head_hash}" in lines
    assert lines[-1] == "all chains verified"
    assert Thread.objects.count() == 3


def test_verify_records_names_a_message_inserted_after_the_last_one(three_messages, alice):
    # INSERT is allowed (that is how messages are written); one added behind the service's back,
    # even with a correct hash, does not match the thread's own last seq and head.
    fields = services.record_fields(thread_id=three_messages.pk, seq=4, sender_id=alice.pk,
                                    sent_at=three_messages.messages.last().sent_at, body="Toegevoegd")
    Message.objects.create(thread=three_messages, seq=4, sender=alice, body="Toegevoegd",
                           sent_at=three_messages.messages.last().sent_at,
                           hash=chain_hash(three_messages.head_hash, fields))
    assert f"thread {three_messages.pk}: BROKEN at seq 4" in broken_verify_records(three_messages)


def test_verify_records_names_the_last_seq_when_the_threads_head_hash_was_changed(three_messages):
    Thread.objects.filter(pk=three_messages.pk).update(head_hash="f" * 64)
    assert f"thread {three_messages.pk}: BROKEN at seq 3: the thread's head hash" in broken_verify_records(
        three_messages)
