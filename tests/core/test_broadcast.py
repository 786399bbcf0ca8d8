from __future__ import annotations

import asyncio

import pytest
from channels.layers import get_channel_layer

from core.broadcast import group_send_now
from core.db import db_call

# django_db: the database pool thread tidies its connection around every call (on SQLite in
# memory that connection stays open between tests).
pytestmark = [pytest.mark.asyncio, pytest.mark.django_db]


async def test_sends_from_a_database_thread_leave_in_commit_order():
    layer = get_channel_layer()
    channel = await layer.new_channel()
    await layer.group_add("test.order", channel)

    def commits():  # what on_commit callbacks do in a socket's database call
        for n in range(30):
            group_send_now("test.order", {"type": "test.event", "n": n})

    await db_call(commits)()
    received = [(await asyncio.wait_for(layer.receive(channel), 5))["n"] for _ in range(30)]
    assert received == list(range(30))
    await layer.group_discard("test.order", channel)
