from __future__ import annotations

import uuid

import pytest
from channels.db import database_sync_to_async

from messaging.models import Message
from tests.messaging.conftest import open_socket, receive, receive_type, send

pytestmark = [pytest.mark.asyncio, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def no_notice_jobs(settings):
    """E-mail notices are tested in test_notices. Here their checks fall due an hour after each
    message: run at once (NOTICE_DELAY_SECONDS=0), their worker thread would only race the
    socket's database work (on SQLite: "database table is locked")."""
    settings.NOTICE_DELAY_SECONDS = 3600


async def test_two_parents_exchange_a_message_live(threads, alice, bob):
    thread = threads["parents"]
    a, b = await open_socket(alice), await open_socket(bob)
    for sock in (a, b):
        await send(sock, {"type": "thread.join", "thread": thread.pk, "after": 0})
        history = await receive_type(sock, "thread.history")
        assert history["messages"] == [] and history["has_more"] is False
    client_id = str(uuid.uuid4())
    await send(a, {"type": "message.send", "thread": thread.pk, "client_id": client_id,
                   "body": "  Hoi Bob\nmorgen om 5?  "})
    ack = await receive_type(a, "message.ack")
    assert ack["client_id"] == client_id
    assert ack["message"]["seq"] == 1 and ack["message"]["body"] == "Hoi Bob\nmorgen om 5?"
    new = await receive_type(b, "message.new")
    assert new["thread"] == thread.pk
    assert new["message"]["sender"]["name"] == alice.display_name
    assert new["message"]["hash"] == ack["message"]["hash"]
    await send(b, {"type": "message.read", "thread": thread.pk, "seq": 1})
    receipt = await receive_type(a, "receipt")
    assert receipt["user"] == bob.pk and receipt["seq"] == 1
    await a.disconnect()
    await b.disconnect()


async def test_the_same_client_id_twice_stores_one_message(threads, alice):
    thread = threads["parents"]
    a = await open_socket(alice)
    frame = {"type": "message.send", "thread": thread.pk, "client_id": str(uuid.uuid4()), "body": "één keer"}
    await send(a, frame)
    first = await receive_type(a, "message.ack")
    await send(a, frame)
    second = await receive_type(a, "message.ack")
    assert first["message"]["id"] == second["message"]["id"]
    assert await database_sync_to_async(Message.objects.filter(thread=thread).count)() == 1
    await a.disconnect()


async def test_a_parent_cannot_join_the_other_parents_private_thread(threads, alice):
    a = await open_socket(alice)
    await send(a, {"type": "thread.join", "thread": threads["bob"].pk, "after": 0})
    error = await receive(a)
    assert error == {"type": "error", "code": "not_found", "detail": error["detail"], "ref": None}
    await send(a, {"type": "thread.join", "thread": 999999, "after": 0})
    missing = await receive(a)
    assert missing["code"] == "not_found" and missing["detail"] == error["detail"]
    await a.disconnect()


async def test_a_message_announced_by_a_process_of_the_earlier_release_still_reaches_the_socket(threads, bob):
    """During a rolling restart a process not yet restarted announces messages with the frame itself
    in the event ({"frame": ...}); a socket of the new release delivers it as it always was."""
    from channels.layers import get_channel_layer

    from messaging.services import thread_group

    thread = threads["parents"]
    b = await open_socket(bob)
    await send(b, {"type": "thread.join", "thread": thread.pk, "after": 0})
    await receive_type(b, "thread.history")
    frame = {"type": "message.new", "thread": thread.pk,
             "message": {"id": 1, "thread": thread.pk, "seq": 1, "body": "van de oude versie",
                         "kind": "message"}}
    await get_channel_layer().group_send(thread_group(thread.pk), {"type": "message.new", "frame": frame})
    assert await receive_type(b, "message.new") == frame
    await b.disconnect()
