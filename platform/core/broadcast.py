"""Live events go out after commit: a rolled-back write must never be announced."""

from __future__ import annotations

import logging

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.db import transaction

logger = logging.getLogger(__name__)


def group_send_now(group: str, event: dict) -> None:
    """Send at once (outside a transaction). A channel layer failure is logged, never raised:
    the database is the source of truth and clients resync from it."""
    layer = get_channel_layer()
    if layer is None:
        return
    try:
        async_to_sync(layer.group_send)(group, event)
    except Exception:  # noqa: BLE001 - Redis down must not fail a committed write
        logger.warning("channel layer send to %s failed; clients will resync", group, exc_info=True)


def broadcast_on_commit(group: str, event: dict) -> None:
    transaction.on_commit(lambda: group_send_now(group, event))
