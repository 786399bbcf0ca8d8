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


def insert_rows(instances: list, *, along: list[tuple[str, list]] = (),
                linked: list[tuple[object, str, object]] = ()) -> None:
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
    not depend on each other or on these rows); elsewhere (SQLite) each on its own, first.

    `linked`: new rows of other models keyed by one of these new rows, (row, field, instance) each:
    `row`'s primary key is its one-to-one `field` to `instance` (moderation's MessageTone and its
    message). On PostgreSQL they go in the same round trip as well, one WITH part per model, each
    taking its key from the new rows' RETURNING, by position (the order of VALUES, which this
    function already relies on for the instances' own keys); elsewhere they are inserted after the
    instances, one statement per model."""
    # This thread's own connection, not the proxy, which looks it up again on every attribute the
    # fields' preparation reads (tests/perf: a twentieth of a send's time).
    db = connections[DEFAULT_DB_ALIAS]
    by_model: dict[type, list[tuple[object, object, int]]] = {}
    if linked:
        position = {id(instance): n for n, instance in enumerate(instances)}
        for row, field_name, instance in linked:
            field = row._meta.get_field(field_name)
            if field is not row._meta.pk or not field.one_to_one:
                raise ValueError(f"{type(row).__name__}.{field_name} is not a one-to-one primary key")
            by_model.setdefault(type(row), []).append((row, field, position[id(instance)]))
    if not instances or db.vendor != "postgresql":
        for part, params in along:
            with db.cursor() as cursor:
                cursor.execute(part, params)
        if instances:
            _insert(db, instances)
        for rows in by_model.values():
            for row, field, n in rows:
                setattr(row, field.attname, instances[n].pk)
            _insert(db, [row for row, _field, _n in rows])
        return
    parts = list(along)
    statement, statement_values = _insert_sql(db, instances, returning=True)
    if by_model:
        # The instances' INSERT becomes a WITH part as well; a linked row's key is the n-th row it
        # returned, and the statement returns what it returned.
        parts.append((statement, statement_values))
        source, pk_column = f"along{len(parts) - 1}", db.ops.quote_name(instances[0]._meta.pk.column)
        key_sql = f"(SELECT {pk_column} FROM {source} OFFSET %s LIMIT 1)"  # noqa: S608 - names only
        for rows in by_model.values():
            parts.append(_insert_sql(db, [row for row, _field, _n in rows], returning=False,
                                     keys=[n for _row, _field, n in rows], key_sql=key_sql))
        statement, statement_values = f"SELECT {pk_column} FROM {source}", []  # noqa: S608
    sql, values = statement, statement_values
    if parts:
        named = ", ".join(f"along{n} AS ({part})" for n, (part, _params) in enumerate(parts))
        sql = f"WITH {named} {sql}"
        values = [v for _part, params in parts for v in params] + values
    with db.cursor() as cursor:
        cursor.execute(sql, values)
        # Rows come back in the order of VALUES (Django's bulk_create relies on this too).
        _keys_set(db, instances, cursor.fetchall())
    for rows in by_model.values():
        for row, field, n in rows:
            setattr(row, field.attname, instances[n].pk)
            row._state.adding = False
            row._state.db = db.alias


def _insert_sql(db, instances: list, *, returning: bool, keys: list[int] = (), key_sql: str = ""
                ) -> tuple[str, list]:
    """The INSERT of `instances` (all of one model) and its parameters. With `keys`, each row's
    primary key is `key_sql` (an expression with one parameter) given keys[i]."""
    meta = instances[0]._meta
    quote = db.ops.quote_name
    # The database numbers an automatic primary key; any other (a one-to-one key) is a value, or
    # with `keys` the expression, which comes first.
    fields = [field for field in meta.concrete_fields
              if not (field is meta.pk and (field.db_returning or keys))]
    # Only names from the model are put into the text; every value is a parameter.
    columns = [quote(field.column) for field in fields]
    placeholders = ["%s"] * len(fields)
    if keys:
        columns.insert(0, quote(meta.pk.column))
        placeholders.insert(0, key_sql)
    row = "(" + ", ".join(placeholders) + ")"
    sql = (f"INSERT INTO {quote(meta.db_table)} ({', '.join(columns)})"  # noqa: S608
           f" VALUES {', '.join([row] * len(instances))}")
    if returning:
        sql += f" RETURNING {quote(meta.pk.column)}"
    values = []
    for n, instance in enumerate(instances):
        if keys:
            values.append(keys[n])
        values += [field.get_db_prep_save(field.pre_save(instance, True), db) for field in fields]
    return sql, values


def _insert(db, instances: list) -> None:
    sql, values = _insert_sql(db, instances, returning=True)
    with db.cursor() as cursor:
        cursor.execute(sql, values)
        _keys_set(db, instances, cursor.fetchall())


def _keys_set(db, instances: list, rows: list) -> None:
    for instance, (pk,) in zip(instances, rows, strict=True):
        instance.pk = pk
        instance._state.adding = False
        instance._state.db = db.alias
