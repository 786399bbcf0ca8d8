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

import asyncio
import functools
import weakref
from concurrent.futures import ThreadPoolExecutor

from asgiref.sync import SyncToAsync
from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, close_old_connections, connection, connections

from config.env import env_int
from core.compat.django_db import call_completed, health_check_skipped_if_recent


def _threads() -> int:
    # SQLite (the demo, tests without PostgreSQL) takes one writer at a time, and in memory it
    # refuses a second one outright ("database table is locked"): one thread there.
    if settings.DATABASES["default"]["ENGINE"].endswith("sqlite3"):
        return 1
    return env_int("WS_DB_THREADS", 8, minimum=1)


_executor = ThreadPoolExecutor(max_workers=_threads(), thread_name_prefix="ws-db")


def _with_fresh_connections(func):
    """`func`, closing the thread's stale database connections before and after each call, like at
    the start and end of a request (what Channels' database_sync_to_async does by overriding
    asgiref's undocumented SyncToAsync.thread_handler; a wrapper needs no private name). It calls
    Django's close_old_connections itself because Channels' test communicator replaces
    channels.db's copy with a no-op, which would leave each pool thread holding a connection to
    the test database."""

    @functools.wraps(func)
    def call(*args, **kwargs):
        close_old_connections()
        health_check_skipped_if_recent(connection)  # not one SELECT 1 per call (core.compat says why)
        try:
            return func(*args, **kwargs)
        finally:
            call_completed(connection)
            close_old_connections()

    return call


@functools.cache
def db_call(func):
    """`await db_call(f)(*args)`: run the sync function `f` on the socket database pool. The
    wrapper is made once per function (building a SyncToAsync inspects the function each time)."""
    return SyncToAsync(_with_fresh_connections(func), thread_sensitive=False, executor=_executor)


class Batched:
    """`await batched(**kwargs)`: a database call from any socket of the process, run together with
    the calls of other sockets as ONE call `run_many(<argument>=[kwargs, ...])` on the socket pool,
    which returns, in order, each call's result or the exception to raise for it.

    While a batch is being stored, the next calls wait and then go together: at a few calls a
    second each goes alone (no added wait), under load one transaction serves many. That is group
    commit: one commit, one lock round and one thread hand-over for many messages, and the event
    loop is not held up by many pool threads taking turns at the interpreter lock (tests/perf:
    at 300 messages a second, eight threads sending one message each spent more time waiting for
    each other than storing)."""

    def __init__(self, run_many, *, argument: str, max_batch: int = 200):
        self.run_many, self.argument, self.max_batch = db_call(run_many), argument, max_batch
        self._waiting: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, list] = (
            weakref.WeakKeyDictionary())
        self._draining: weakref.WeakSet[asyncio.AbstractEventLoop] = weakref.WeakSet()

    async def __call__(self, **kwargs):
        loop = asyncio.get_running_loop()
        future = loop.create_future()
        self._waiting.setdefault(loop, []).append((kwargs, future))
        if loop not in self._draining:
            self._draining.add(loop)
            loop.create_task(self._drain(loop))
        return await future

    async def _drain(self, loop) -> None:
        waiting = self._waiting[loop]
        try:
            while waiting:
                batch = waiting[: self.max_batch]
                del waiting[: self.max_batch]
                try:
                    results = await self.run_many(**{self.argument: [kwargs for kwargs, _future in batch]})
                except Exception as exc:  # noqa: BLE001 - each caller raises it
                    results = [exc] * len(batch)
                for (_kwargs, future), result in zip(batch, results, strict=True):
                    if future.done():  # the caller went away (its socket closed)
                        continue
                    if isinstance(result, BaseException):
                        future.set_exception(result)
                    else:
                        future.set_result(result)
        finally:
            self._draining.discard(loop)


def insert_rows(instances: list, *, along: list[tuple[str, list]] = ()) -> None:
    """INSERT new model instances (all of one model) in one statement and set their primary keys:
    what `save()` does for each, with the statement built here instead of by the ORM's compiler.
    For hot paths only (sending chat messages): the ORM's INSERT cost a tenth of the process's time
    per message (tests/perf). Measured again against the public bulk_create + bulk_update (chain
    heads) on 2026-12-03, two 30 s runs each at 100 msg/s: 7.96 and 7.69 ms of CPU a message with
    the ORM, 6.49 and 5.86 with this. Values go through each field's own preparation (encryption
    included), as with save().

    `along`: other writes, (sql, params) each, an UPDATE or an INSERT without RETURNING, that go to
    the database in the same round trip: on PostgreSQL as data-modifying WITH parts of this INSERT
    (each sees the database as it was before the statement, not the others' changes, so they must
    not depend on each other or on these rows); elsewhere (SQLite) each on its own, first."""
    # This thread's own connection, not the proxy, which looks it up again on every attribute the
    # fields' preparation reads (tests/perf: a twentieth of a send's time).
    db = connections[DEFAULT_DB_ALIAS]
    if not (instances and db.vendor == "postgresql"):
        for part, params in along:
            with db.cursor() as cursor:
                cursor.execute(part, params)
        along = ()
    if not instances:
        return
    meta = instances[0]._meta
    # The database numbers an automatic primary key; any other (a one-to-one key) is a value.
    fields = [field for field in meta.concrete_fields if not (field is meta.pk and field.db_returning)]
    quote = db.ops.quote_name
    row = "(" + ", ".join(["%s"] * len(fields)) + ")"
    # Only names from the model are put into the text; every value is a parameter.
    columns = ", ".join(quote(field.column) for field in fields)
    sql = (f"INSERT INTO {quote(meta.db_table)} ({columns})"  # noqa: S608
           f" VALUES {', '.join([row] * len(instances))} RETURNING {quote(meta.pk.column)}")
    values = [field.get_db_prep_save(field.pre_save(instance, True), db)
              for instance in instances for field in fields]
    if along:
        parts = ", ".join(f"along{n} AS ({part})" for n, (part, _params) in enumerate(along))
        sql = f"WITH {parts} {sql}"
        values = [v for _part, params in along for v in params] + values
    with db.cursor() as cursor:
        cursor.execute(sql, values)
        # Rows come back in the order of VALUES (Django's bulk_create relies on this too).
        for instance, (pk,) in zip(instances, cursor.fetchall(), strict=True):
            instance.pk = pk
            instance._state.adding = False
            instance._state.db = db.alias
