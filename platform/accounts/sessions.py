"""Session time limits: an idle limit and an absolute limit, both from settings.

The login time and the last-seen time live in the session itself, so the HTTP middleware and
the WebSocket stack apply the same rule.
"""

from __future__ import annotations

import time

from django.conf import settings

LOGIN_AT = "_login_at"
SEEN_AT = "_seen_at"
SEEN_WRITE_INTERVAL = 60  # seconds: do not write the session on every request


def session_started(session) -> None:
    now = time.time()
    session[LOGIN_AT] = now
    session[SEEN_AT] = now


def session_is_current(session, *, now: float | None = None) -> bool:
    now = time.time() if now is None else now
    login_at = session.get(LOGIN_AT)
    seen_at = session.get(SEEN_AT)
    if login_at is None or seen_at is None:
        return False
    if now - login_at > settings.SESSION_ABSOLUTE_TIMEOUT:
        return False
    return now - seen_at <= settings.SESSION_IDLE_TIMEOUT


def session_touch(session, *, now: float | None = None) -> None:
    now = time.time() if now is None else now
    if now - session.get(SEEN_AT, 0) >= SEEN_WRITE_INTERVAL:
        session[SEEN_AT] = now


def sessions_check_from_sockets(*, checks: list[dict]) -> list[bool]:
    """For sockets ({"session_key", "active"} each): is each one's session still current (idle and
    absolute limits, not logged out)? active=True means the user just did something, which counts
    as activity; pings are not activity, so an unattended open tab still expires.

    Many sockets at once (core.db.Batched): one query reads their sessions, and only a session
    with new activity is written. Every open socket asks this about once a minute; one call per
    socket cost a database round trip and a thread hand-over each (tests/perf, 1000 sockets)."""
    from importlib import import_module

    store_class = import_module(settings.SESSION_ENGINE).SessionStore
    keys = {check["session_key"] for check in checks if check["session_key"]}
    if hasattr(store_class, "get_model_class"):  # the database engine: all rows in one query
        from django.utils import timezone

        decoder = store_class()
        rows = store_class.get_model_class().objects.filter(session_key__in=keys,
                                                            expire_date__gt=timezone.now())
        sessions = {row.session_key: decoder.decode(row.session_data) for row in rows}
    else:
        sessions = {key: store_class(key).load() for key in keys}
    now = time.time()
    written = set()
    results = []
    for check in checks:
        key = check["session_key"]
        data = sessions.get(key) or {}
        current = session_is_current(data, now=now)
        results.append(current)
        due = now - data.get(SEEN_AT, 0) >= SEEN_WRITE_INTERVAL
        if current and check["active"] and key not in written and due:
            store = store_class(key)
            store._session_cache = {**data, SEEN_AT: now}  # what load() would have given, updated
            store.save()
            written.add(key)
    return results
