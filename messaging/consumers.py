"""Chat frames on the shared /ws/ socket (a socket feature, core.sockets): parse, delegate to one
service, answer. Channel-layer handlers hold no rules and touch no database; access_check asks a
selector which joined threads the user may still read."""

from __future__ import annotations

import asyncio
import logging
import time

from core.db import Batched, db_call
from core.errors import DomainError, NotFound
from core.frames import ClientId, Id, Schema, Seq, Text
from core.layers import ChannelLayerUnavailable
from core.sockets import SocketFeature, event, frame
from messaging import selectors, services
from messaging.notices import ONLINE_WINDOW

# A ping (every 25 s, docs/PROTOCOL.md) refreshes presence in the database at most this often:
# every other ping, so a live socket's row is at most about 55 s old (with _PresenceTouches' flush),
# inside ONLINE_WINDOW.
# Writing on every ping cost one UPDATE and disk flush a second per 25 open sockets (tests/perf).
PRESENCE_WRITE_INTERVAL = min(40.0, ONLINE_WINDOW.total_seconds() / 2)

logger = logging.getLogger(__name__)


class _PresenceTouches:
    """The presence refreshes that pings ask for, written for all sockets of the process together
    every FLUSH_SECONDS, in one statement: one database call a second per ping made them a fifth of
    an idle process's time (tests/perf, 1000 sockets: 20 calls a second, each its own thread
    hand-over, health check and UPDATE). A row is then at most PRESENCE_WRITE_INTERVAL +
    FLUSH_SECONDS + a ping interval old, well inside ONLINE_WINDOW. A refresh that comes after its
    socket closed changes nothing: it only updates a row that still exists."""

    FLUSH_SECONDS = 5.0

    def __init__(self):
        self.pending: dict[asyncio.AbstractEventLoop, set[str]] = {}

    def add(self, channel_name: str) -> None:
        loop = asyncio.get_running_loop()
        pending = self.pending.get(loop)
        if pending is None:
            pending = self.pending[loop] = set()
            loop.create_task(self._flush(loop, pending))
        pending.add(channel_name)

    def discard(self, channel_name: str) -> None:
        for pending in self.pending.values():
            pending.discard(channel_name)

    async def _flush(self, loop, pending: set[str]) -> None:
        try:
            while pending:
                await asyncio.sleep(self.FLUSH_SECONDS)
                changes = [{"op": "touch", "channel_name": name} for name in sorted(pending)]
                pending.clear()
                if not changes:
                    continue
                try:
                    await db_call(services.presence_update)(changes=changes)
                except Exception:  # a database hiccup: the next pings refresh them again
                    logger.warning("presence refresh of %d sockets failed", len(changes), exc_info=True)
        finally:
            self.pending.pop(loop, None)


_touches = _PresenceTouches()

# Sends from all sockets of the process are stored in batches (see core.db.Batched).
_message_send = Batched(services.messages_send, argument="sends")
# Sockets opening and closing: all sockets' presence changes go together.
_presence = Batched(services.presence_update, argument="changes")
# Sockets re-checking their joined threads (access.changed, the periodic check): one query for many.
_readable = Batched(selectors.readable_thread_ids_many, argument="checks")

JOIN = Schema("thread.join", thread=Id(), after=Seq(default=0))
LEAVE = Schema("thread.leave", thread=Id())
BEFORE = Schema("thread.before", thread=Id(), before=Id())
# The body's length is the service's to judge (its error says how long it is); this bounds the frame.
SEND = Schema("message.send", thread=Id(), client_id=ClientId(), body=Text(max_chars=64 * 1024))
READ = Schema("message.read", thread=Id(), seq=Seq())


class ChatFeature(SocketFeature):
    name = "chat"

    def __init__(self, socket):
        super().__init__(socket)
        self.joined: set[int] = set()
        self.presence_written = time.monotonic()

    async def opened(self):
        await _presence(op="open", channel_name=self.socket.channel_name, user_id=self.socket.user.pk)

    async def closed(self):
        _touches.discard(self.socket.channel_name)
        for thread_id in self.joined:
            await self.socket.channel_layer.group_discard(services.thread_group(thread_id),
                                                          self.socket.channel_name)
        await _presence(op="close", channel_name=self.socket.channel_name)

    async def pinged(self):
        if time.monotonic() - self.presence_written >= PRESENCE_WRITE_INTERVAL:
            self.presence_written = time.monotonic()
            _touches.add(self.socket.channel_name)

    async def _stop(self, thread_id: int) -> None:
        self.joined.discard(thread_id)
        await self.socket.channel_layer.group_discard(services.thread_group(thread_id),
                                                      self.socket.channel_name)

    @frame("thread.join", JOIN)
    async def thread_join(self, fields):
        thread_id = fields["thread"]
        # Subscribe first, then read: a message committed in between arrives twice at worst
        # (the client drops seqs it has), never not at all.
        group = services.thread_group(thread_id)
        try:
            await self.socket.channel_layer.group_add(group, self.socket.channel_name)
            live = True
        except ChannelLayerUnavailable:
            # Redis is away: the history still comes from the database; "live": false tells the
            # client to join again now and then (which also retries the subscription).
            live = False
        try:
            history = await db_call(services.thread_history)(
                user=self.socket.user, thread_id=thread_id, after=fields["after"])
        except DomainError as exc:
            # NotFound: the user may no longer see a thread they joined earlier (a membership
            # ended and the access.changed event was lost): stop its live frames too.
            if isinstance(exc, NotFound) or thread_id not in self.joined:
                await self._stop(thread_id)
            raise
        self.joined.add(thread_id)
        if history["type"] == "thread.history":
            history["live"] = live
        await self.socket.send_json(history)

    @frame("thread.leave", LEAVE)
    async def thread_leave(self, fields):
        thread_id = fields["thread"]
        if thread_id in self.joined:
            await self._stop(thread_id)
        await self.socket.send_json({"type": "thread.left", "thread": thread_id})

    @frame("thread.before", BEFORE)
    async def thread_before(self, fields):
        page = await db_call(services.thread_page_before)(
            user=self.socket.user, thread_id=fields["thread"], before=fields["before"])
        await self.socket.send_json(page)

    @frame("message.send", SEND)
    async def message_send(self, fields):
        stored, _created = await _message_send(
            sender=self.socket.user, thread_id=fields["thread"], body=fields["body"],
            client_id=fields["client_id"])
        # Echo the client's own spelling of the UUID (upper case, no hyphens): that is what it matches.
        # A message held for review comes back with "state": "held" and "seq": null (moderation).
        await self.socket.send_json({"type": "message.ack", "client_id": fields["client_id"],
                                     "message": services.stored_frame(stored)})

    @frame("message.read", READ)
    async def message_read(self, fields):
        await db_call(services.messages_mark_read)(user=self.socket.user, thread_id=fields["thread"],
                                                   seq=fields["seq"])

    async def access_check(self):
        """Stop the live frames of every joined thread the user may no longer read."""
        if not self.joined:
            return
        readable = await _readable(user=self.socket.user, thread_ids=frozenset(self.joined))
        for thread_id in sorted(self.joined - readable):
            await self._stop(thread_id)
            await self.socket.send_json({"type": "thread.left", "thread": thread_id})

    # -- channel-layer events -------------------------------------------------------------

    @event("message.new")
    async def message_new(self, event):
        if "text" not in event:  # from a process of the earlier release, during a rolling restart
            event = services.message_new_event_of(event["frame"])
        thread_id = event["thread"]
        if thread_id not in self.joined:
            return
        await self.socket.send(text_data=event["text"])  # the frame, encoded once (services)
        if event["leaves"] is not None and event["leaves"] == self.socket.user.pk:
            # The entry saying this user is out of the thread is the last of it they get: stop now,
            # in the order of the thread's own frames, without waiting for access.changed.
            await self._stop(thread_id)
            await self.socket.send_json({"type": "thread.left", "thread": thread_id})

    @event("receipt")
    async def receipt(self, event):
        if event["frame"]["thread"] in self.joined:
            await self.socket.send_json(event["frame"])
