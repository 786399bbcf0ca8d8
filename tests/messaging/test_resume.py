"""Resuming after a disconnect: exactly the missed messages, in order, in pages; a resync when
the client's cursor is beyond the server's; scrolling back; and an idempotent resend."""

from __future__ import annotations

import uuid

import pytest
from channels.db import database_sync_to_async

from messaging import services
from tests.messaging.conftest import open_socket, receive, receive_type, send, stored_messages

pytestmark = [pytest.mark.asyncio, pytest.mark.django_db(transaction=True)]


@database_sync_to_async
def send_many(*, sender, thread, count: int) -> None:
    for n in range(count):
        services.message_send(sender=sender, thread_id=thread.pk, body=f"bericht {n + 1}",
                              client_id=uuid.uuid4())


async def join(sock, thread, *, after: int) -> dict:
    """thread.join's answer: thread.history or thread.resync (live frames in between skipped)."""
    await send(sock, {"type": "thread.join", "thread": thread.pk, "after": after})
    while True:
        frame = await receive(sock)
        if frame["type"] in ("thread.history", "thread.resync"):
            return frame


async def send_message(sock, thread, body: str, client_id: str | None = None) -> dict:
    client_id = client_id or str(uuid.uuid4())
    await send(sock, {"type": "message.send", "thread": thread.pk, "client_id": client_id, "body": body})
    return await receive_type(sock, "message.ack")


def seqs(frame: dict) -> list[int]:
    return [m["seq"] for m in frame["messages"]]


async def test_a_client_that_reconnects_gets_exactly_the_messages_it_missed_in_order(threads, alice, bob):
    thread = threads["parents"]
    writer, reader = await open_socket(alice), await open_socket(bob)
    await join(reader, thread, after=0)
    await send_message(writer, thread, "Hoi Bob")
    assert (await receive_type(reader, "message.new"))["message"]["seq"] == 1
    await reader.disconnect()

    missed = ["Ben je er?", "Morgen om 5 bij school", "Laat je even weten?"]
    for body in missed:
        await send_message(writer, thread, body)

    reader = await open_socket(bob)
    history = await join(reader, thread, after=1)
    assert history["type"] == "thread.history"
    assert seqs(history) == [2, 3, 4]
    assert [m["body"] for m in history["messages"]] == missed
    assert history["has_more"] is False and history["last_seq"] == 4

    await send_message(writer, thread, "Fijn")  # live again after the resume
    assert (await receive_type(reader, "message.new"))["message"]["seq"] == 5
    await writer.disconnect()
    await reader.disconnect()


async def test_more_than_a_page_of_missed_messages_comes_in_pages_with_has_more(threads, alice, bob):
    thread = threads["parents"]
    await send_many(sender=alice, thread=thread, count=230)
    reader = await open_socket(bob)
    received, after, pages = [], 0, []
    while True:
        history = await join(reader, thread, after=after)
        pages.append(len(history["messages"]))
        received += seqs(history)
        if not history["has_more"]:
            break
        after = history["messages"][-1]["seq"]
    assert pages == [100, 100, 30]
    assert received == list(range(1, 231))  # no duplicate, no gap
    assert history["last_seq"] == 230
    await reader.disconnect()


async def test_a_page_of_exactly_a_hundred_has_no_more(threads, alice, bob):
    thread = threads["parents"]
    await send_many(sender=alice, thread=thread, count=100)
    reader = await open_socket(bob)
    history = await join(reader, thread, after=0)
    assert seqs(history) == list(range(1, 101)) and history["has_more"] is False
    history = await join(reader, thread, after=100)
    assert history["messages"] == [] and history["has_more"] is False
    await reader.disconnect()


async def test_a_cursor_beyond_the_last_seq_gets_a_resync_with_the_last_seq(threads, alice, bob):
    thread = threads["parents"]
    await send_many(sender=alice, thread=thread, count=3)
    reader = await open_socket(bob)
    resync = await join(reader, thread, after=7)
    assert resync == {"type": "thread.resync", "thread": thread.pk, "last_seq": 3}
    history = await join(reader, thread, after=3)  # joining again at or below it works
    assert history["type"] == "thread.history" and history["messages"] == []
    await reader.disconnect()


async def test_scrolling_back_returns_older_pages_oldest_first(threads, alice, bob):
    thread = threads["parents"]
    await send_many(sender=alice, thread=thread, count=150)
    reader = await open_socket(bob)
    await send(reader, {"type": "thread.before", "thread": thread.pk, "before": 151})
    page = await receive_type(reader, "thread.page")
    assert page["thread"] == thread.pk
    assert seqs(page) == list(range(51, 151)) and page["has_more"] is True
    await send(reader, {"type": "thread.before", "thread": thread.pk, "before": 51})
    page = await receive_type(reader, "thread.page")
    assert seqs(page) == list(range(1, 51)) and page["has_more"] is False
    await send(reader, {"type": "thread.before", "thread": thread.pk, "before": 1})
    page = await receive_type(reader, "thread.page")
    assert page["messages"] == [] and page["has_more"] is False
    await reader.disconnect()


async def test_a_resend_after_a_reconnect_returns_the_stored_message_and_creates_nothing(threads, alice, bob):
    thread = threads["parents"]
    reader = await open_socket(bob)
    await join(reader, thread, after=0)
    writer = await open_socket(alice)
    client_id = str(uuid.uuid4())
    first = await send_message(writer, thread, "Staat de afspraak nog?", client_id)
    await writer.disconnect()  # as if the ack never arrived

    writer = await open_socket(alice)
    again = await send_message(writer, thread, "Staat de afspraak nog?", client_id)
    assert again["client_id"] == client_id and again["message"] == first["message"]
    assert [m.body for m in await stored_messages(thread)] == ["Staat de afspraak nog?"]

    await send_message(writer, thread, "Laat maar weten")
    live = [(await receive_type(reader, "message.new"))["message"]["seq"] for _n in range(2)]
    assert live == [1, 2]  # the resend was not announced again
    await writer.disconnect()
    await reader.disconnect()
