"""A send and a switch to moderated contact at the same moment, with real PostgreSQL row locks on two
connections: a send that had to wait for its thread (another transaction held the row) goes by the
contact mode committed while it waited. A send reads its family's mode in its access statement only
when it gets the thread's lock without waiting (messaging.selectors.threads_access says why);
otherwise it waits and moderation reads the mode after the lock."""

from __future__ import annotations

import threading
import time
import uuid

import pytest
from django.db import close_old_connections, connection, transaction

from messaging.extensions import Held
from messaging.models import Message, Thread
from messaging.services import messages_send
from moderation.models import Draft
from tests.moderation.conftest import set_mode
from tests.processes import require_postgresql

WORDS = "Ik haal de kinderen vrijdag om vijf uur op."


def _lock_waiters() -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pg_stat_activity"
                       " WHERE datname = current_database() AND wait_event_type = 'Lock'")
        return cursor.fetchone()[0]


def _until_a_connection_waits_for_a_lock() -> None:
    deadline = time.monotonic() + 10
    while _lock_waiters() == 0:
        if time.monotonic() > deadline:
            raise AssertionError("the send never waited for the thread's row lock")
        time.sleep(0.01)


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("senders", [1, 2])  # one send goes alone; two go as one batch first
def test_a_send_that_waited_for_its_thread_goes_by_the_mode_committed_meanwhile(
        family, threads, alice, bob, carol, senders):
    require_postgresql("row locks between connections")
    parents = threads["parents"]
    holding, release, results = threading.Event(), threading.Event(), []

    def switch_while_holding_the_thread():
        try:
            with transaction.atomic():
                Thread.objects.select_for_update().get(pk=parents.pk)
                set_mode(family, carol, "moderated")
                holding.set()
                release.wait(10)
        finally:
            close_old_connections()

    def send():
        try:
            results.extend(messages_send(sends=[
                {"sender": sender, "thread_id": parents.pk, "body": WORDS, "client_id": uuid.uuid4()}
                for sender in (alice, bob)[:senders]]))
        finally:
            close_old_connections()

    holder = threading.Thread(target=switch_while_holding_the_thread)
    holder.start()
    assert holding.wait(10)
    sender = threading.Thread(target=send)
    sender.start()
    try:
        _until_a_connection_waits_for_a_lock()
    finally:
        release.set()
        holder.join(10)
        sender.join(10)

    assert len(results) == senders
    assert all(isinstance(stored, Held) and created for stored, created in results), results
    assert Message.objects.filter(thread=parents).count() == 0  # nothing reached the other parent
    assert Draft.objects.filter(thread=parents).count() == senders
