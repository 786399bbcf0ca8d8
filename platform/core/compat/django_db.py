"""Django's connection health checks: one per quiet spell of a socket pool thread, not one per call.

Relied on (Django 5.2): with CONN_HEALTH_CHECKS, a connection runs `SELECT 1` (`is_usable()`)
before its first query after each `close_old_connections()`, which sets the wrapper's
`health_check_done` to False; when `health_check_done` is True, `close_if_health_check_failed()`
(run before every new cursor) checks nothing.

Why: core.db runs every socket call between two `close_old_connections()`, as a request is, so
each call paid one more round trip: one of the nine statements of a chat send (tests/perf). A
connection that finished a call without a database error less than TRUSTED_FOR seconds ago is
taken to be healthy, as Django takes a connection it has just opened. One that broke in between
fails that call with a database error (the socket answers with an error frame, and the client
resends what was not acknowledged); Django sees `errors_occurred` and closes it at the next
`close_old_connections()`. tests/core/test_compat.py pins both halves.
"""

from __future__ import annotations

import threading
import time

TRUSTED_FOR = 1.0  # seconds

_last_good = threading.local()


def health_check_skipped_if_recent(connection) -> None:
    """Call after close_old_connections(): skip this call's health check when the thread's
    connection (a DatabaseWrapper) completed a call without a database error within TRUSTED_FOR."""
    seen = getattr(_last_good, "at", None)
    if (seen is not None and connection.connection is not None and seen[0] is connection.connection
            and time.monotonic() - seen[1] < TRUSTED_FOR):
        connection.health_check_done = True


def call_completed(connection) -> None:
    """Call when a call is done, before close_old_connections(): remember a connection that had no
    database error (DataError and IntegrityError are the caller's, not the connection's)."""
    if connection.connection is not None and not connection.errors_occurred:
        _last_good.at = (connection.connection, time.monotonic())
    else:
        _last_good.at = None
