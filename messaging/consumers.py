"""Chat frames on the shared /ws/ socket (a socket feature, core.sockets): parse, delegate to one
service, answer. Channel-layer handlers hold no rules and touch no database; access_check asks a
selector which joined threads the user may still read."""

from __future__ import annotations

import time

from core.db import Batched, db_call
from core.errors import DomainError, NotFound
from core.frames import ClientId, Id, Schema, Seq, Text
from core.layers import ChannelLayerUnavailable
from core.sockets import SocketFeature, event, frame
from messaging import selectors, services
from messaging.notices import ONLINE_WINDOW

# A ping (every 25 s, docs/PROTOCOL.md) refreshes presence in the database at most this often:
# every other ping, so a live socket's row is at most about 50 s old, inside ONLINE_WINDOW.
# Writing on every ping cost one UPDATE and disk flush a second per 25 open sockets (tests/perf).
PRESENCE_WRITE_INTERVAL = min(40.0, ONLINE_WINDOW.total_seconds() / 2)

# Sends from all sockets of the process are stored in batches (see core.db.Batched).
_message_send = Batched(services.messages_send, argument="sends")
# Sockets opening, pinging and closing: all sockets' presence changes go together.
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
        for thread_id in self.joined:
            await self.socket.channel_layer.group_discard(services.thread_group(thread_id),
                                                          self.socket.channel_name)
        await _presence(op="close", channel_name=self.socket.channel_name)

    async def pinged(self):
        if time.monotonic() - self.presence_written >= PRESENCE_WRITE_INTERVAL:
            self.presence_written = time.monotonic()
            await _presence(op="touch", channel_name=self.socket.channel_name)

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
        frame_ = event["frame"]
        thread_id = frame_["thread"]
        if thread_id not in self.joined:
            return
        await self.socket.send_json(frame_)
        change = frame_["message"].get("change")
        if (change and change.get("after") == "none"
                and change.get("member", {}).get("id") == self.socket.user.pk):
            # The entry saying this user is out of the thread is the last of it they get: stop now,
            # in the order of the thread's own frames, without waiting for access.changed.
            await self._stop(thread_id)
            await self.socket.send_json({"type": "thread.left", "thread": thread_id})

    @event("receipt")
    async def receipt(self, event):
        if event["frame"]["thread"] in self.joined:
            await self.socket.send_json(event["frame"])
