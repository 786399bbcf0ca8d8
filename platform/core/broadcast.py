"""Live events go out after commit: a rolled-back write must never be announced."""

from __future__ import annotations

import asyncio
import logging
import os
import weakref

from asgiref.sync import SyncToAsync, async_to_sync
from channels.layers import get_channel_layer
from django.db import transaction

logger = logging.getLogger(__name__)

# Per event loop, the last send still under way to each group: a send to a group waits for the
# one before it, so each group gets its events in commit order (sends to different groups do
# not wait for each other).
_last_send: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, dict] = weakref.WeakKeyDictionary()


def _serving_loop():
    """The event loop this sync thread works for (a consumer's or a view's database call under
    Daphne), if it is running in this process; else None."""
    local = SyncToAsync.threadlocal
    loop = getattr(local, "main_event_loop", None)
    if loop is None or getattr(local, "main_event_loop_pid", None) != os.getpid() or not loop.is_running():
        return None
    return loop


async def _send_in_order(previous, layer, group: str, event: dict) -> None:
    if previous is not None and not previous.done():
        await asyncio.wait([previous])
    try:
        await layer.group_send(group, event)
    except Exception:  # noqa: BLE001 - Redis down must not fail a committed write
        logger.warning("channel layer send to %s failed; clients will resync", group, exc_info=True)


def _schedule(loop, layer, group: str, event: dict) -> None:
    """Runs on the loop: queue the send behind the previous one to the same group."""
    pending = _last_send.setdefault(loop, {})
    task = loop.create_task(_send_in_order(pending.get(group), layer, group, event))
    pending[group] = task

    def forget(done):
        if pending.get(group) is done:
            del pending[group]

    task.add_done_callback(forget)


def group_send_now(group: str, event: dict) -> None:
    """Send at once (outside a transaction). A channel layer failure is logged, never raised:
    the database is the source of truth and clients resync from it.

    From a database thread working for a running event loop (a socket's or a view's call under
    Daphne) the send is handed to that loop without waiting for it: the thread goes back to
    database work at once, and the loop does not have to wake a waiting thread when the send is
    done (that hand-back cost the event loop a sixth of its time in tests/perf). Each group still
    gets its events in commit order. Elsewhere (management commands, worker threads) it sends and
    waits."""
    layer = get_channel_layer()
    if layer is None:
        return
    loop = _serving_loop()
    if loop is not None:
        loop.call_soon_threadsafe(_schedule, loop, layer, group, event)
        return
    try:
        async_to_sync(layer.group_send)(group, event)
    except Exception:  # noqa: BLE001 - Redis down must not fail a committed write
        logger.warning("channel layer send to %s failed; clients will resync", group, exc_info=True)


def broadcast_on_commit(group: str, event: dict) -> None:
    transaction.on_commit(lambda: group_send_now(group, event))
