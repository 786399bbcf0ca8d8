"""Django's session stores: writing a session whose data we already hold."""

from __future__ import annotations


def session_save_with_data(store_class, session_key: str, data: dict) -> None:
    """Save `data` as session `session_key` without loading it first. Relies on SessionBase's
    private `_session_cache`: save() writes what is cached there (load() would fill it)."""
    store = store_class(session_key)
    store._session_cache = data
    store.save()
