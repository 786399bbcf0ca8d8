"""Database work from consumers: off the event loop, and in parallel.

Channels' `database_sync_to_async` is thread-sensitive by default: all consumers of a process
share ONE thread for their database work, so under load every call waits for every call queued
before it, and a parent's socket cannot deliver a live frame while its own call waits in that
queue (tests/perf measured delays of many seconds at 100 messages a second). A consumer's calls
are independent units of work (each is its own transaction; row locks order concurrent sends in
one thread), so they run on a small pool of their own instead. Each pool thread keeps its own
persistent connection (CONN_MAX_AGE), so a process holds at most WS_DB_THREADS connections for
socket work, plus the shared thread Channels' auth uses and the notice workers.
"""

from __future__ import annotations

import functools
from concurrent.futures import ThreadPoolExecutor

from asgiref.sync import SyncToAsync
from django.conf import settings
from django.db import close_old_connections, connection

from config.env import env_int


def _threads() -> int:
    # SQLite (the demo, tests without PostgreSQL) takes one writer at a time, and in memory it
    # refuses a second one outright ("database table is locked"): one thread there.
    if settings.DATABASES["default"]["ENGINE"].endswith("sqlite3"):
        return 1
    return env_int("WS_DB_THREADS", 8, minimum=1)


_executor = ThreadPoolExecutor(max_workers=_threads(), thread_name_prefix="ws-db")


class _PoolCall(SyncToAsync):
    """Channels' DatabaseSyncToAsync on our pool: stale connections are closed before and after
    each call, like at the start and end of a request. It calls Django's close_old_connections
    itself because Channels' test communicator replaces channels.db's copy with a no-op, which
    would leave each pool thread holding a connection to the test database."""

    def thread_handler(self, loop, *args, **kwargs):
        close_old_connections()
        try:
            return super().thread_handler(loop, *args, **kwargs)
        finally:
            close_old_connections()


@functools.cache
def db_call(func):
    """`await db_call(f)(*args)`: run the sync function `f` on the socket database pool. The
    wrapper is made once per function (building a SyncToAsync inspects the function each time)."""
    return _PoolCall(func, thread_sensitive=False, executor=_executor)


@functools.cache
def _insert_statement(model) -> tuple[str, tuple]:
    meta = model._meta
    fields = tuple(field for field in meta.concrete_fields if field is not meta.pk)
    quote = connection.ops.quote_name
    columns = ", ".join(quote(field.column) for field in fields)
    placeholders = ", ".join(["%s"] * len(fields))
    sql = f"INSERT INTO {quote(meta.db_table)} ({columns}) VALUES ({placeholders}) RETURNING {quote(meta.pk.column)}"
    return sql, fields


def insert_row(instance) -> None:
    """INSERT one new model instance and set its primary key: what `instance.save()` does for a
    new row, with a statement built once per model. For hot paths only (message_send): the ORM
    compiles the INSERT anew each time, a tenth of the process's time per chat message (tests/perf).
    Values go through each field's own preparation (encryption included), as with save()."""
    sql, fields = _insert_statement(type(instance))
    values = [field.get_db_prep_save(field.pre_save(instance, True), connection) for field in fields]
    with connection.cursor() as cursor:
        cursor.execute(sql, values)
        instance.pk = cursor.fetchone()[0]
    instance._state.adding = False
    instance._state.db = connection.alias
