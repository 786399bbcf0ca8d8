"""Presence: an open socket keeps its user online (no e-mail about what they can see live); its
pings refresh that, written for all sockets of the process together."""

from __future__ import annotations

import asyncio
from datetime import timedelta

import pytest
from channels.db import database_sync_to_async
from django.utils import timezone

from messaging import consumers
from messaging.models import Presence
from tests.messaging.conftest import open_socket, receive_type, send

pytestmark = [pytest.mark.asyncio, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def quick_refresh(monkeypatch):
    monkeypatch.setattr(consumers, "PRESENCE_WRITE_INTERVAL", 0.0)
    monkeypatch.setattr(consumers._PresenceTouches, "FLUSH_SECONDS", 0.2)


def _age_rows(user) -> None:
    Presence.objects.filter(user=user).update(seen_at=timezone.now() - timedelta(minutes=10))


def _seen_at(user) -> list:
    return list(Presence.objects.filter(user=user).values_list("seen_at", flat=True))


async def _until(check, timeout: float = 5.0):
    for _ in range(int(timeout / 0.05)):
        value = await database_sync_to_async(check)()
        if value:
            return value
        await asyncio.sleep(0.05)
    return await database_sync_to_async(check)()


async def test_pings_of_two_sockets_refresh_both_rows(quick_refresh, alice, bob):
    a, b = await open_socket(alice), await open_socket(bob)
    await database_sync_to_async(_age_rows)(alice)
    await database_sync_to_async(_age_rows)(bob)
    recently = timezone.now() - timedelta(minutes=1)
    for sock in (a, b):
        await send(sock, {"type": "ping"})
        await receive_type(sock, "pong")
    for user in (alice, bob):
        assert await _until(lambda u=user: all(t > recently for t in _seen_at(u)) and _seen_at(u)), user
    await a.disconnect()
    await b.disconnect()


async def test_a_refresh_after_the_socket_closed_brings_no_row_back(quick_refresh, alice):
    a = await open_socket(alice)
    await send(a, {"type": "ping"})
    await receive_type(a, "pong")
    await a.disconnect()  # before the refresh is written
    assert await _until(lambda: not _seen_at(alice))
    await asyncio.sleep(0.5)  # past the flush
    assert await database_sync_to_async(_seen_at)(alice) == []
