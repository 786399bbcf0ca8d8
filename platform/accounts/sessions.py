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


def session_check_from_socket(session_key: str, *, active: bool) -> bool:
    """For a socket: is its session still current (idle and absolute limits, not logged out)?
    With active=True the user just did something, which counts as activity. Pings are not
    activity: an unattended open tab still expires."""
    from importlib import import_module

    store = import_module(settings.SESSION_ENGINE).SessionStore(session_key)
    if not store.exists(session_key) or not session_is_current(store):
        return False
    if active and time.time() - store.get(SEEN_AT, 0) >= SEEN_WRITE_INTERVAL:
        store[SEEN_AT] = time.time()
        store.save()
    return True
