"""Live events go out after commit: a rolled-back write must never be announced."""

from __future__ import annotations

import asyncio
import collections
import logging
import threading
import weakref

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.db import transaction

from core.compat.asgiref import serving_event_loop

logger = logging.getLogger(__name__)


class _Outbox:
    """The live events a process's database threads hand to one event loop, sent in the order
    they were committed. One task on the loop sends whatever has gathered, all of it in one go
    (one Redis round trip with our layer), so a batch of messages costs one loop wake-up and one
    round trip instead of one each (tests/perf)."""

    def __init__(self, loop: asyncio.AbstractEventLoop, layer):
        self.loop, self.layer = loop, layer
        self.events: collections.deque = collections.deque()
        self.lock = threading.Lock()
        self.sending = False

    def put(self, group: str, event: dict) -> None:
        """From any thread."""
        with self.lock:
            self.events.append((group, event))
            if self.sending:
                return  # the running task takes it along
            self.sending = True
        self.loop.call_soon_threadsafe(self.loop.create_task, self._send())

    async def _send(self) -> None:
        while True:
            with self.lock:
                if not self.events:
                    self.sending = False
                    return
                batch = list(self.events)
                self.events.clear()
            try:
                await _send_many(self.layer, batch)
            except Exception:  # noqa: BLE001 - Redis down must not fail a committed write
                groups = ", ".join(sorted({group for group, _event in batch}))
                logger.warning("channel layer send to %s failed; clients will resync", groups[:300],
                               exc_info=True)


async def _send_many(layer, batch: list[tuple[str, dict]]) -> None:
    if hasattr(layer, "group_send_many"):  # core.layers: one round trip
        await layer.group_send_many(batch)
        return
    for group, event in batch:  # other layers (the demo's in-memory one)
        await layer.group_send(group, event)


_outboxes: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, _Outbox] = weakref.WeakKeyDictionary()
_outboxes_lock = threading.Lock()


def _outbox(loop, layer) -> _Outbox:
    with _outboxes_lock:
        outbox = _outboxes.get(loop)
        if outbox is None or outbox.layer is not layer:
            outbox = _outboxes[loop] = _Outbox(loop, layer)
        return outbox


def group_send_many_now(events: list[tuple[str, dict]]) -> None:
    """group_send_now for each (group, event), in order. Outside a serving event loop (a worker
    process) all of them go in one event loop and one Redis round trip, instead of a new loop and
    a new Redis connection for each (tests/perf: a night's alerts, a thousand at once, spent a third
    of the alert worker's time connecting to Redis)."""
    layer = get_channel_layer()
    if layer is None or not events:
        return
    if serving_event_loop() is not None or _loop_running_here():
        for group, event in events:
            group_send_now(group, event)
        return
    try:
        async_to_sync(_send_many)(layer, list(events))
    except Exception:  # noqa: BLE001 - Redis down must not fail a committed write
        groups = ", ".join(sorted({group for group, _event in events}))
        logger.warning("channel layer send to %s failed; clients will resync", groups[:300], exc_info=True)


def group_send_now(group: str, event: dict) -> None:
    """Send at once (outside a transaction). A channel layer failure is logged, never raised:
    the database is the source of truth and clients resync from it.

    From a database thread working for a running event loop (a socket's or a view's call under
    Daphne) the send is handed to that loop's outbox without waiting for it: the thread goes back
    to database work at once, and the loop does not have to wake a waiting thread when the send is
    done (that hand-back cost the event loop a sixth of its time in tests/perf). Events leave in
    commit order. Elsewhere (management commands, worker threads) it sends and waits."""
    layer = get_channel_layer()
    if layer is None:
        return
    loop = serving_event_loop()
    if loop is not None:
        _outbox(loop, layer).put(group, event)
        return

    def send() -> None:
        try:
            async_to_sync(layer.group_send)(group, event)
        except Exception:  # noqa: BLE001 - Redis down must not fail a committed write
            logger.warning("channel layer send to %s failed; clients will resync", group, exc_info=True)

    if _loop_running_here():
        # Synchronous code on a thread whose event loop is running (allowed only with
        # DJANGO_ALLOW_ASYNC_UNSAFE, as the browser tests' fixtures run): async_to_sync refuses
        # that thread, so the send waits on a thread of its own.
        sender = threading.Thread(target=send, name="broadcast-send")
        sender.start()
        sender.join()
    else:
        send()


def _loop_running_here() -> bool:
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return False
    return True


def broadcast_on_commit(group: str, event: dict) -> None:
    transaction.on_commit(lambda: group_send_now(group, event))


def broadcast_many_on_commit(events: list[tuple[str, dict]]) -> None:
    """broadcast_on_commit for many (group, event) at once: sent together after commit."""
    if events:
        transaction.on_commit(lambda: group_send_many_now(events))
