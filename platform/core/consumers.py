"""The one socket per browser tab (/ws/). Frames are JSON objects with a dotted "type".

A client frame `x.y` is handled by the method `frame_x_y` (feature apps add theirs as mixins,
composed in config.routing), the way Channels maps layer event `x.y` to handler `x_y`. This class
parses, checks size and rate, turns DomainErrors into error frames in one place, and closes the
socket when the user's session ends elsewhere (logout, password or authenticator change).
"""

from __future__ import annotations

import asyncio
import json
import logging
import re
import time

from channels.consumer import get_handler_name
from channels.generic.websocket import AsyncJsonWebsocketConsumer
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from core.db import Batched
from core.errors import DomainError, Invalid, RateLimited
from core.groups import user_group
from core.layers import ChannelLayerUnavailable

logger = logging.getLogger(__name__)

# Close codes, documented in docs/PROTOCOL.md.
CLOSE_SESSION_ENDED = 4001
CLOSE_FRAME_TOO_LARGE = 4009
CLOSE_FLOOD = 4029

FRAME_TYPE = re.compile(r"^[a-z]{1,20}(\.[a-z_]{1,20}){0,2}$")


_MALFORMED = object()


def _parse(text: str):
    try:
        return json.loads(text)
    except (ValueError, RecursionError):  # RecursionError: nesting deeper than the parser allows
        return _MALFORMED


def _ref(content) -> str | None:
    """The frame's client_id, repeated in an error so that the client knows which frame failed."""
    client_id = content.get("client_id") if isinstance(content, dict) else None
    return client_id if isinstance(client_id, str) else None


def _sessions_check(*, checks):
    from accounts.sessions import sessions_check_from_sockets  # accounts imports core

    return sessions_check_from_sockets(checks=checks)


# Every socket checks its session about once a minute: all sockets' checks go together.
_session_checks = Batched(_sessions_check, argument="checks")


class TokenBucket:
    """Per-connection frame rate limit: `rate` frames a second, bursts up to `capacity`."""

    def __init__(self, rate: float, capacity: float):
        self.rate, self.capacity = rate, capacity
        self.tokens, self.stamp = capacity, time.monotonic()

    def take(self) -> bool:
        now = time.monotonic()
        self.tokens = min(self.capacity, self.tokens + (now - self.stamp) * self.rate)
        self.stamp = now
        if self.tokens >= 1:
            self.tokens -= 1
            return True
        return False


class PlatformConsumer(AsyncJsonWebsocketConsumer):
    rate = 10.0  # frames per second, sustained
    burst = 30.0
    flood_limit = 50  # rate-limited frames in a row before the socket is closed

    async def connect(self):
        self.user = self.scope["user"]
        self.session_key = self.scope["session"].session_key
        self.bucket = TokenBucket(self.rate, self.burst)
        self.limited_in_a_row = 0
        self.activity_checked_at = time.monotonic()
        try:
            await self.channel_layer.group_add(user_group(self.user.pk), self.channel_name)
        except ChannelLayerUnavailable:
            # Redis is away: the socket still works. A session ended elsewhere closes it at its
            # next frame (_session_still_current) instead of at once.
            logger.warning("socket of user %s connected without its live session events", self.user.pk)
        await self.accept()
        self._expiry = asyncio.get_running_loop().call_later(
            self._seconds_left(), lambda: asyncio.ensure_future(self.close(code=CLOSE_SESSION_ENDED))
        )

    def _seconds_left(self) -> float:
        login_at = self.scope["session"].get("_login_at", time.time())
        return max(1.0, login_at + settings.SESSION_ABSOLUTE_TIMEOUT - time.time())

    async def disconnect(self, code):
        if hasattr(self, "_expiry"):
            self._expiry.cancel()
        if hasattr(self, "user"):
            await self.channel_layer.group_discard(user_group(self.user.pk), self.channel_name)

    async def dispatch(self, message):
        """Channels' dispatch without its `aclose_old_connections()`: Channels 4.3 hops to the
        process's one shared sync thread before EVERY message (each frame, each live event) to
        close that thread's stale connections. Our database work runs in core.db.db_call (and
        Channels' own auth in database_sync_to_async), which clean up around every call, so the
        hop bought nothing and cost a thread round trip per delivered message (tests/perf)."""
        handler = getattr(self, get_handler_name(message), None)
        if handler is None:
            raise ValueError(f"No handler for message type {message['type']}")
        await handler(message)

    async def websocket_receive(self, message):
        text = message.get("text")
        size = len(text.encode()) if text is not None else len(message.get("bytes") or b"")
        if size > settings.WS_MAX_FRAME_BYTES:  # abuse
            await self.send_error(Invalid(_("Dit bericht is te groot."), code="too_large"), ref=None)
            await self.close(code=CLOSE_FRAME_TOO_LARGE)
            return
        if not self.bucket.take():
            self.limited_in_a_row += 1
            if self.limited_in_a_row >= self.flood_limit:
                await self.close(code=CLOSE_FLOOD)
                return
            # The client resends what was refused: tell it which message that was.
            await self.send_error(RateLimited(), ref=_ref(_parse(text)) if text is not None else None)
            return
        self.limited_in_a_row = 0
        if text is None:  # a binary frame: not part of the protocol, but no reason to hang up
            await self.send_error(Invalid(_("Alleen tekstframes met JSON horen bij dit protocol.")), ref=None)
            return
        content = _parse(text)
        if content is _MALFORMED:
            await self.send_error(Invalid(_("Dit is geen geldige JSON.")), ref=None)
            return
        await self.receive_json(content)

    async def receive_json(self, content, **kwargs):
        ref = _ref(content)
        if not isinstance(content, dict) or not isinstance(content.get("type"), str):
            detail = _('Een bericht moet een JSON-object zijn met een "type".')
            await self.send_error(Invalid(detail), ref=ref)
            return
        if not await self._session_still_current(active=content["type"] != "ping"):
            await self.close(code=CLOSE_SESSION_ENDED)
            return
        frame_type = content["type"]
        handler = getattr(self, "frame_" + frame_type.replace(".", "_"), None) if FRAME_TYPE.match(frame_type) else None
        if handler is None:
            await self.send_error(Invalid(_("Onbekend berichttype.")), ref=ref)
            return
        try:
            await handler(content)
        except DomainError as exc:
            await self.send_error(exc, ref=ref)

    async def _session_still_current(self, *, active: bool) -> bool:
        """At most once a minute: frames count as activity for the session's idle limit, and a
        session that ended (idle, logged out elsewhere) closes its socket."""
        from accounts.sessions import SEEN_WRITE_INTERVAL

        if time.monotonic() - self.activity_checked_at < SEEN_WRITE_INTERVAL:
            return True
        self.activity_checked_at = time.monotonic()
        return await _session_checks(session_key=self.session_key, active=active)

    async def send_error(self, exc: DomainError, *, ref):
        await self.send_json({"type": "error", "code": exc.code, "detail": str(exc.detail), "ref": ref})

    # -- frames -----------------------------------------------------------------------------

    async def frame_ping(self, content):
        await self.send_json({"type": "pong", "time": timezone.now().isoformat()})

    # -- channel-layer events: no database, no rules ---------------------------------------

    async def access_changed(self, event):
        """A membership of this user ended or changed role. Feature mixins that stream live data
        re-check access here (and call super())."""

    async def session_end(self, event):
        """Logout, password or authenticator change elsewhere: close every socket of the user
        except those of the session that made the change (`keep`)."""
        if event.get("keep") != self.session_key:
            await self.close(code=CLOSE_SESSION_ENDED)

