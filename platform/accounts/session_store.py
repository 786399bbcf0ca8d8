"""The session engine (SESSION_ENGINE = "accounts.session_store"): Django's database engine on
accounts.UserSession, whose rows also name their user and trusted device.

Django's documented way to extend the database engine ("Extending database-backed session
engines"): every save writes the whole row from the session's data, so a new key (login, the
second factor, a password change) carries its user and device along without any bookkeeping.
"""

from __future__ import annotations

from django.contrib.auth import SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore as DatabaseSessionStore

# The session's trusted device (accounts.devices), stored in the session's data.
DEVICE_SESSION_KEY = "_trusted_device"


class SessionStore(DatabaseSessionStore):
    @classmethod
    def get_model_class(cls):
        from accounts.models import UserSession

        return UserSession

    def create_model_instance(self, data):
        instance = super().create_model_instance(data)
        instance.user_id = _int_or_none(data.get(SESSION_KEY))
        instance.device_id = _int_or_none(data.get(DEVICE_SESSION_KEY))
        return instance


def _int_or_none(value) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None
