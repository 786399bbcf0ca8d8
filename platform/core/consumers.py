"""The one socket per browser tab (/ws/). Frames are JSON objects with a dotted "type".

The socket is composed from socket features (core.sockets) in config.routing: each client frame
type and each channel-layer event type has exactly one handler, found in a table built at start.
This class parses, checks size and rate, turns DomainErrors into error frames in one place, and
ends the socket the moment the user's access ends:
- `session.end` (logout elsewhere) closes it at once;
- `session.check` (a password set, an account disabled, an authenticator removed: anywhere, by any
  path) and a periodic check every SOCKET_CHECK_SECONDS verify the session again: within its time
  limits, the user active, the password (session auth hash) unchanged, the verified device still
  there; a socket whose check fails closes with 4001, also when every event was lost;
- `access.changed` and the same periodic check make every feature re-check what the user may see.
"""

from __future__ import annotations

import asyncio
import json
import logging
import random
import re
import time

from channels.generic.websocket import AsyncJsonWebsocketConsumer
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from core.compat.channels import dispatch_without_connection_cleanup
from core.db import Batched
from core.errors import DomainError, Invalid, RateLimited
from core.frames import safe_ref
from core.groups import user_group
from core.layers import ChannelLayerUnavailable
from core.sockets import Routes, SocketFeature, build_routes

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


def _sessions_check(*, checks):
    from accounts.sessions import sessions_check_from_sockets  # accounts imports core

    return sessions_check_from_sockets(checks=checks)


# Every socket checks its session every SOCKET_CHECK_SECONDS: all sockets' checks go together.
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


class _PeriodicChecks:
    """Every open socket of the process is checked once every SOCKET_CHECK_SECONDS, by one task per
    event loop that wakes once a second and checks the sockets whose turn it is, all together: their
    session checks go to the database as one batch, their features' re-checks as one more each.
    One timer per socket made each check a batch of its own (a thread hand-over and a few queries
    each: a fifth of the server's time at 1000 sockets, tests/perf); one sweep of all sockets at
    once would stall the chat for as long as the batch takes. Each socket gets a random turn within
    the interval when it opens, so the work is the same every second."""

    TICK = 1.0

    def __init__(self):
        self.turns: dict[asyncio.AbstractEventLoop, dict] = {}

    def add(self, socket) -> None:
        loop = asyncio.get_running_loop()
        turns = self.turns.get(loop)
        if turns is None:
            turns = self.turns[loop] = {}
            loop.create_task(self._run(loop, turns))
        interval = settings.SOCKET_CHECK_SECONDS
        turns[socket] = time.monotonic() + random.uniform(0.1, 1.0) * interval  # noqa: S311 - spreading, not secrecy

    def discard(self, socket) -> None:
        for turns in self.turns.values():
            turns.pop(socket, None)

    async def _run(self, loop, turns: dict) -> None:
        try:
            while turns:
                await asyncio.sleep(self.TICK)
                now = time.monotonic()
                due = [socket for socket, turn in turns.items() if turn <= now]
                for socket in due:
                    turns[socket] = now + settings.SOCKET_CHECK_SECONDS
                if due:
                    await asyncio.gather(*(socket.periodic_check() for socket in due))
        finally:
            self.turns.pop(loop, None)


_checks = _PeriodicChecks()


class PlatformConsumer(AsyncJsonWebsocketConsumer):
    rate = 10.0  # frames per second, sustained
    burst = 30.0
    flood_limit = 50  # rate-limited frames in a row before the socket is closed
    routes: Routes = build_routes([])  # socket_consumer() gives each composed socket its own

    # The platform's own frames and events; no feature may claim these.
    PLATFORM_FRAMES = ("ping",)
    PLATFORM_EVENTS = ("session.end", "session.check", "access.changed")

    async def connect(self):
        self.user = self.scope["user"]
        self.session_key = self.scope["session"].session_key
        self.bucket = TokenBucket(self.rate, self.burst)
        self.limited_in_a_row = 0
        self.active = False  # a frame other than ping since the last session check
        self.closing = False
        self.features: list[SocketFeature] = [feature(self) for feature in self.routes.features]
        try:
            await self.channel_layer.group_add(user_group(self.user.pk), self.channel_name)
        except ChannelLayerUnavailable:
            # Redis is away: the socket still works; the periodic check still ends it when its
            # session ends, just not at once.
            logger.warning("socket of user %s connected without its live session events", self.user.pk)
        await self.accept()
        for feature in self.features:
            await feature.opened()
        loop = asyncio.get_running_loop()
        self._expiry = loop.call_later(self._seconds_left(), self._end_soon)
        _checks.add(self)

    def _seconds_left(self) -> float:
        login_at = self.scope["session"].get("_login_at", time.time())
        return max(1.0, login_at + settings.SESSION_ABSOLUTE_TIMEOUT - time.time())

    def _end_soon(self) -> None:
        asyncio.ensure_future(self._end_session())

    async def _end_session(self) -> None:
        if not self.closing:
            self.closing = True
            await self.close(code=CLOSE_SESSION_ENDED)

    async def periodic_check(self) -> None:
        try:
            await self._check_access(features=True)
        except Exception:  # a database hiccup must not end the socket, nor stop its checks
            logger.warning("periodic check of a socket of user %s failed", self.user.pk, exc_info=True)

    async def _check_access(self, *, features: bool) -> bool:
        """Verify the session again (and count frames since the last check as activity for its idle
        limit); close the socket if it no longer holds, else let the features re-check."""
        if self.closing:
            return False
        active, self.active = self.active, False
        current = await _session_checks(session_key=self.session_key, user_id=self.user.pk, active=active)
        if not current:
            await self._end_session()
            return False
        if features:
            for feature in self.features:
                await feature.access_check()
        return True

    async def disconnect(self, code):
        self.closing = True
        _checks.discard(self)
        if hasattr(self, "_expiry"):
            self._expiry.cancel()
        for feature in getattr(self, "features", ()):
            try:
                await feature.closed()
            except Exception:  # one feature's cleanup must not keep another's groups joined
                logger.exception("socket feature %s failed to close", feature.name)
        if hasattr(self, "user"):
            await self.channel_layer.group_discard(user_group(self.user.pk), self.channel_name)

    async def dispatch(self, message):
        """Channel-layer events and websocket messages: each type has one handler (core.sockets).
        The platform's own go through Channels' dispatch without its per-message connection hop
        (core.compat.channels says why)."""
        route = self.routes.events.get(message["type"])
        if route is not None:
            await getattr(self.features[route.feature], route.method)(message)
            return
        await dispatch_without_connection_cleanup(self, message)

    async def websocket_receive(self, message):
        text = message.get("text")
        size = len(text.encode(errors="replace")) if text is not None else len(message.get("bytes") or b"")
        if size > settings.WS_MAX_FRAME_BYTES:  # abuse
            detail = _("Dit bericht is te groot: meer dan %(kb)s KB. Er is niets mee gedaan.") % {
                "kb": settings.WS_MAX_FRAME_BYTES // 1024}
            await self.send_error(Invalid(detail, code="too_large"), ref=None)
            await self.close(code=CLOSE_FRAME_TOO_LARGE)
            return
        if not self.bucket.take():
            self.limited_in_a_row += 1
            if self.limited_in_a_row >= self.flood_limit:
                await self.close(code=CLOSE_FLOOD)
                return
            # The client resends what was refused: tell it which message that was.
            await self.send_error(RateLimited(), ref=safe_ref(_parse(text)) if text is not None else None)
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
        ref = safe_ref(content)
        if not isinstance(content, dict) or not isinstance(content.get("type"), str):
            detail = _('Een bericht moet een JSON-object zijn met een "type".')
            await self.send_error(Invalid(detail), ref=ref)
            return
        if self.closing:
            return
        frame_type = content["type"]
        try:
            if frame_type == "ping":
                await self.frame_ping()
                return
            self.active = True
            route = self.routes.frames.get(frame_type) if FRAME_TYPE.match(frame_type) else None
            if route is None:
                raise Invalid(_("Onbekend berichttype."))
            fields = route.schema.parse(content) if route.schema is not None else content
            await getattr(self.features[route.feature], route.method)(fields)
        except DomainError as exc:
            await self.send_error(exc, ref=ref)

    async def send_error(self, exc: DomainError, *, ref):
        await self.send_json({"type": "error", "code": exc.code, "detail": str(exc.detail), "ref": ref})

    async def frame_ping(self):
        for feature in self.features:
            await feature.pinged()
        await self.send_json({"type": "pong", "time": timezone.now().isoformat()})

    # -- the platform's channel-layer events: no rules here ----------------------------------

    async def access_changed(self, event):
        """A membership of this user ended or changed role, or a feature changed what they take
        part in: every feature re-checks what the user may still see."""
        for feature in self.features:
            await feature.access_check()

    async def session_check(self, event):
        """The user's password, account or authenticators changed (by any path): verify this
        socket's session again now instead of at its next periodic check. When the change was made
        from this socket's own session, that session lives on under a new key (`keep` -> `renewed`)."""
        if event.get("renewed") and event.get("keep") == self.session_key:
            self.session_key = event["renewed"]
        await self._check_access(features=False)

    async def session_end(self, event):
        """Logout elsewhere: close every socket of the user except those of the session that made
        the change (`keep`)."""
        if event.get("keep") != self.session_key:
            await self._end_session()


def socket_consumer(features: list[type[SocketFeature]]) -> type[PlatformConsumer]:
    """The socket consumer made of the platform's frames plus `features`' (config.routing)."""
    routes = build_routes(features, reserved_frames=PlatformConsumer.PLATFORM_FRAMES,
                          reserved_events=PlatformConsumer.PLATFORM_EVENTS)
    return type("AppConsumer", (PlatformConsumer,), {"routes": routes, "__module__": __name__})
