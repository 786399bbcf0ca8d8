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


async def test_many_events_from_a_worker_thread_arrive_all_in_order_and_none_before_commit():
    """A worker (no event loop of its own: the alert worker, a management command) hands a
    transaction's events over together after commit; a rolled-back transaction sends none."""
    import threading

    from django.db import connection, transaction

    from core.broadcast import broadcast_many_on_commit

    layer = get_channel_layer()
    channel = await layer.new_channel()
    await layer.group_add("test.many", channel)

    def worker():
        try:
            with transaction.atomic():
                broadcast_many_on_commit([("test.many", {"type": "test.event", "n": -1})])
                raise RuntimeError("rolled back")
        except RuntimeError:
            pass
        try:
            with transaction.atomic():
                broadcast_many_on_commit([("test.many", {"type": "test.event", "n": n}) for n in range(20)])
        finally:
            connection.close()

    thread = threading.Thread(target=worker)
    thread.start()
    await asyncio.get_running_loop().run_in_executor(None, thread.join)
    received = [(await asyncio.wait_for(layer.receive(channel), 5))["n"] for _ in range(20)]
    assert received == list(range(20))
    with pytest.raises(asyncio.TimeoutError):
        await asyncio.wait_for(layer.receive(channel), 0.5)
    await layer.group_discard("test.many", channel)
