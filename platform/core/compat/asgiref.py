"""asgiref: which event loop a sync thread is working for.

Relied on (asgiref 3.x, checked on 3.13): `SyncToAsync.thread_handler` sets, in the worker thread,
`SyncToAsync.threadlocal.main_event_loop` (the loop that awaited the call) and
`main_event_loop_pid` (the process it ran in) before it runs the function. asgiref reads these
itself (AsyncToSync uses them to get back to that loop); they are not documented.

Why: core.broadcast hands live events from a database thread to the loop the thread works for
(a socket's call on the core.db pool, or a view under Daphne, which Django runs through
sync_to_async), instead of blocking the thread on a send (tests/perf: the blocking hand-back cost
the loop a sixth of its time). If asgiref stops setting these, `serving_event_loop()` returns None
and broadcasts fall back to a blocking send: still correct, only slower.
tests/core/test_compat.py pins it.
"""

from __future__ import annotations

import asyncio
import os

from asgiref.sync import SyncToAsync


def serving_event_loop() -> asyncio.AbstractEventLoop | None:
    """The running event loop of this process that the current sync thread does work for (it was
    called through SyncToAsync from that loop), or None (a plain thread, a management command, a
    loop that has stopped, or a loop inherited from the parent of a forked process)."""
    local = SyncToAsync.threadlocal
    loop = getattr(local, "main_event_loop", None)
    if loop is None or getattr(local, "main_event_loop_pid", None) != os.getpid() or not loop.is_running():
        return None
    return loop
