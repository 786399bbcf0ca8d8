"""Unread counts on the family page, per thread, and how message.read clears them."""

from __future__ import annotations

import uuid
from html.parser import HTMLParser

import pytest
from channels.db import database_sync_to_async
from django.urls import reverse

from messaging import services
from tests.messaging.conftest import open_socket, receive_type, send


class ThreadCards(HTMLParser):
    """thread id -> the number in its `unread` badge (0 when there is none)."""

    def __init__(self):
        super().__init__()
        self.counts: dict[int, int] = {}
        self.thread = None
        self.in_badge = False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        href = attrs.get("href") or ""
        if tag == "a" and href.startswith("/gesprek/"):
            self.thread = int(href.strip("/").split("/")[1])
            self.counts[self.thread] = 0
        if tag == "span" and "unread" in (attrs.get("class") or "").split() and self.thread is not None:
            self.in_badge = True

    def handle_endtag(self, tag):
        if tag == "a":
            self.thread = None
        if tag == "span":
            self.in_badge = False

    def handle_data(self, data):
        if self.in_badge and data.strip():
            self.counts[self.thread] = int(data)


def unread_on_family_page(client, family) -> dict[int, int]:
    response = client.get(reverse("families:detail", args=[family.pk]))
    assert response.status_code == 200
    parser = ThreadCards()
    parser.feed(response.content.decode())
    return parser.counts


def send_messages(sender, thread, count: int) -> None:
    for n in range(count):
        services.message_send(sender=sender, thread_id=thread.pk, body=f"bericht {n}", client_id=uuid.uuid4())


def test_the_family_page_shows_unread_counts_per_thread(client_for, family, threads, alice, bob, carol):
    send_messages(alice, threads["parents"], 2)
    send_messages(carol, threads["bob"], 3)
    send_messages(bob, threads["bob"], 1)  # your own messages are never unread
    assert unread_on_family_page(client_for(bob), family) == {threads["parents"].pk: 2, threads["bob"].pk: 3}
    assert unread_on_family_page(client_for(alice), family) == {
        threads["parents"].pk: 0, threads["alice"].pk: 0}
    assert unread_on_family_page(client_for(carol), family) == {
        threads["parents"].pk: 2, threads["alice"].pk: 0, threads["bob"].pk: 1}


def test_the_badge_says_how_many_in_words_for_screen_readers(client_for, family, threads, alice, bob):
    send_messages(alice, threads["parents"], 2)
    page = client_for(bob).get(reverse("families:detail", args=[family.pk])).content.decode()
    assert ('<span class="unread"><span aria-hidden="true">2</span>'
            '<span class="visually-hidden">, 2 ongelezen berichten</span></span>') in page


@pytest.mark.asyncio
@pytest.mark.django_db(transaction=True)
async def test_unread_counts_drop_to_zero_after_message_read(client_for, family, threads, alice, bob):
    thread = threads["parents"]
    await database_sync_to_async(send_messages)(alice, thread, 3)
    client = await database_sync_to_async(client_for)(bob)
    page = database_sync_to_async(unread_on_family_page)
    assert (await page(client, family))[thread.pk] == 3

    sock = await open_socket(bob)
    await send(sock, {"type": "thread.join", "thread": thread.pk, "after": 0})
    await receive_type(sock, "thread.history")
    await send(sock, {"type": "message.read", "thread": thread.pk, "seq": 2})
    assert (await receive_type(sock, "receipt"))["seq"] == 2
    assert (await page(client, family))[thread.pk] == 1
    await send(sock, {"type": "message.read", "thread": thread.pk, "seq": 3})
    assert (await receive_type(sock, "receipt"))["seq"] == 3
    assert (await page(client, family))[thread.pk] == 0
    await sock.disconnect()
