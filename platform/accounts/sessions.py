"""Session time limits: an idle limit and an absolute limit, both from settings.

The login time and the last-seen time live in the session itself, so the HTTP middleware and
the WebSocket stack apply the same rule.
"""

from __future__ import annotations

import time

from django.conf import settings
from django.utils.crypto import constant_time_compare
from django_otp import DEVICE_ID_SESSION_KEY

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
    """For sockets ({"session_key", "user_id", "active"} each): does each one's session
    still hold? It holds while it is within its idle and absolute limits (not logged out), belongs to
    its user, that user is active, the password is the one the session was made with (Django's
    session auth hash: a password set by ANY path, the page, the admin or `manage.py changepassword`,
    changes it), and the device the session was verified with still exists, confirmed, for that
    user (a session moved to a new device by re-enrolment holds with the new one). `active`=True
    means the user did something, which counts as activity; pings are not activity, so an
    unattended open tab still expires.

    Many sockets at once (core.db.Batched): one query reads their sessions, one their users and one
    per kind of device; only a session with new activity is written. Every open socket asks this
    every SOCKET_CHECK_SECONDS (tests/perf, 1000 sockets)."""
    from importlib import import_module

    from django.contrib.auth import HASH_SESSION_KEY, SESSION_KEY, get_user_model
    from django.utils import timezone

    from core.compat.django_sessions import sessions_save_without_loading

    store_class = import_module(settings.SESSION_ENGINE).SessionStore
    keys = {check["session_key"] for check in checks if check["session_key"]}
    if hasattr(store_class, "get_model_class"):  # the database engine: all rows in one query
        decoder = store_class()
        rows = (store_class.get_model_class().objects
                .filter(session_key__in=keys, expire_date__gt=timezone.now())
                .values_list("session_key", "session_data"))
        sessions = {key: decoder.decode(data) for key, data in rows}
    else:
        sessions = {key: store_class(key).load() for key in keys}
    users = {user.pk: user for user in get_user_model().objects.filter(
        pk__in={check["user_id"] for check in checks}, is_active=True)}
    devices = _devices_still_verified({data.get(DEVICE_ID_SESSION_KEY) for data in sessions.values()})
    now = time.time()
    to_write: dict[str, dict] = {}
    results = []
    for check in checks:
        key = check["session_key"]
        data = sessions.get(key) or {}
        user = users.get(check["user_id"])
        current = (
            session_is_current(data, now=now)
            and user is not None
            and str(data.get(SESSION_KEY)) == str(user.pk)
            and auth_hash_matches(data.get(HASH_SESSION_KEY, ""), user)
            and devices.get(data.get(DEVICE_ID_SESSION_KEY)) == user.pk
        )
        results.append(bool(current))
        if current and check["active"] and now - data.get(SEEN_AT, 0) >= SEEN_WRITE_INTERVAL:
            to_write[key] = {**data, SEEN_AT: now}
    if to_write:  # all in one statement (tests/perf: one each was most of the checks' time)
        ended = set(to_write) - sessions_save_without_loading(store_class, to_write)
        if ended:  # ended meanwhile
            results = [ok and check["session_key"] not in ended
                       for ok, check in zip(results, checks, strict=True)]
    return results


def auth_hash_matches(session_hash: str, user) -> bool:
    """As Django's own session check: the current SECRET_KEY's hash, or one under a fallback key."""
    if constant_time_compare(session_hash, user.get_session_auth_hash()):
        return True
    fallbacks = getattr(user, "get_session_auth_fallback_hash", lambda: ())()
    return any(constant_time_compare(session_hash, fallback) for fallback in fallbacks)


def _devices_still_verified(persistent_ids: set[str]) -> dict[str, int]:
    """persistent id -> user id, for those of the devices that still exist and are confirmed: one
    query per kind of device (django-otp's persistent id is "<app_label.ModelName>/<pk>")."""
    from django.apps import apps

    by_model: dict[str, dict[int, str]] = {}
    for persistent_id in persistent_ids:
        label, _slash, pk = (persistent_id or "").rpartition("/")
        if label and pk.isdigit():
            by_model.setdefault(label, {})[int(pk)] = persistent_id
    found = {}
    for label, wanted in by_model.items():
        try:
            model = apps.get_model(label)
        except (LookupError, ValueError):
            continue
        for pk, user_id in model.objects.filter(pk__in=wanted, confirmed=True).values_list("pk", "user_id"):
            found[wanted[pk]] = user_id
    return found
