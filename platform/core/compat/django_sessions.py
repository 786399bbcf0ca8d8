"""Django sessions: save session data that was just read, without reading it again.

Relied on (Django 5.2): a `SessionBase` store keeps its data in `_session_cache` and loads it
from storage only when that attribute is missing; `save()` writes whatever `_session_cache`
holds, and for an existing key (`must_create=False`) only updates: the database engine raises
`UpdateError` when the row is gone instead of creating it again.

Why: sockets check their sessions in batches (accounts.sessions.sessions_check_from_sockets): one
query reads all the rows, and a session with new activity gets its last-seen time written. A
store made from just the key would read its row again before saving (one more query per session
written, tests/perf), so we hand it the data we already decoded. tests/core/test_compat.py pins
both halves: nothing is read, and a session deleted meanwhile (a logout) is not brought back.

`sessions_save_without_loading` does the same for many sessions of a database-backed engine in one
UPDATE: the rows are built by the store's documented `create_model_instance` (which reads the expiry
from `_session_cache`) and written with `bulk_update`, which never creates a row.
"""

from __future__ import annotations

from django.contrib.sessions.backends.base import UpdateError
from django.db import connection


def session_save_without_loading(store_class, session_key: str, data: dict) -> bool:
    """Write `data` as the whole data of the existing session `session_key` (with `store_class`,
    the engine's SessionStore) without reading it first. Returns False, and writes nothing, when
    the session no longer exists (ended meanwhile): the session is over, not an error."""
    store = store_class(session_key)
    if store.session_key is None:  # not a valid key: save() would make a new session
        return False
    store._session_cache = data
    try:
        store.save()
    except UpdateError:
        return False
    return True


def sessions_save_without_loading(store_class, sessions: dict[str, dict]) -> set[str]:
    """Write each `sessions` key's data as session_save_without_loading does, all in one UPDATE when
    the engine is database-backed (has get_model_class); returns the keys written. A session that no
    longer exists (ended meanwhile) is not written and not brought back."""
    if not hasattr(store_class, "get_model_class"):
        return {key for key, data in sessions.items() if session_save_without_loading(store_class, key, data)}
    rows = []
    for key, data in sessions.items():
        store = store_class(key)
        if store.session_key is None:  # not a valid key
            continue
        store._session_cache = data
        rows.append(store.create_model_instance(data))
    if not rows:
        return set()
    model = store_class.get_model_class()
    if connection.vendor != "postgresql":  # the demo's SQLite: the ORM's bulk_update
        written = model.objects.bulk_update(rows, ["session_data", "expire_date"])
        keys = {row.session_key for row in rows}
        if written == len(rows):
            return keys
        # Rare: some ended between the read and this write; which are still there was written.
        return set(model.objects.filter(session_key__in=keys).values_list("session_key", flat=True))
    # PostgreSQL: one UPDATE ... FROM (VALUES ...) RETURNING, which names the rows written; the
    # ORM's bulk_update builds a CASE per row in Python (tests/perf: a third of the checks' time).
    table = connection.ops.quote_name(model._meta.db_table)
    values = ", ".join(["(%s, %s, %s::timestamptz)"] * len(rows))
    sql = (f"UPDATE {table} AS s SET session_data = v.data, expire_date = v.expire"  # noqa: S608
           f" FROM (VALUES {values}) AS v(session_key, data, expire)"
           " WHERE s.session_key = v.session_key RETURNING s.session_key")
    params = [value for row in rows for value in (row.session_key, row.session_data, row.expire_date)]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return {key for (key,) in cursor.fetchall()}
