"""Channels: a consumer's dispatch without the per-message connection hop.

Relied on (Channels 4.3): `AsyncConsumer.__call__` passes every message (each client frame, each
channel-layer event) to `self.dispatch`, and the stock `AsyncConsumer.dispatch` does three things:
find the handler with `channels.consumer.get_handler_name` (`x.y` -> `x_y`, ValueError for a
missing type or a leading underscore), `await aclose_old_connections()`, call the handler. We
override `dispatch` with a copy of that without the middle step.

Why: `aclose_old_connections` hops to the process's one shared sync thread before EVERY message to
close that thread's stale database connections. Our consumers' database work runs on core.db's
pool (and Channels' auth in database_sync_to_async), which closes stale connections around each
call itself, so the hop bought nothing and cost a thread round trip per delivered message
(tests/perf). If Channels changes how dispatch finds handlers or what else it does per message,
this copy silently diverges: tests/core/test_compat.py compares the two on the installed version.
"""

from __future__ import annotations

from channels.consumer import get_handler_name


async def dispatch_without_connection_cleanup(consumer, message: dict) -> None:
    """What `AsyncConsumer.dispatch(consumer, message)` does, minus `aclose_old_connections()`.
    Use as the body of a consumer's `dispatch` override."""
    handler = getattr(consumer, get_handler_name(message), None)
    if handler is None:
        raise ValueError(f"No handler for message type {message['type']}")
    await handler(message)
