"""Chat frames on the shared /ws/ socket: parse, delegate to one service, answer.
Channel-layer handlers at the bottom hold no rules and touch no database, except access_changed,
which asks a selector which joined threads the user may still read."""

from __future__ import annotations

import time

from django.utils.translation import gettext as _

from core.db import Batched, db_call
from core.errors import DomainError, Invalid, NotFound
from core.layers import ChannelLayerUnavailable
from messaging import selectors, services
from messaging.notices import ONLINE_WINDOW

# A ping (every 25 s, docs/PROTOCOL.md) refreshes presence in the database at most this often:
# every other ping, so a live socket's row is at most about 50 s old, inside ONLINE_WINDOW.
# Writing on every ping cost one UPDATE and disk flush a second per 25 open sockets (tests/perf).
PRESENCE_WRITE_INTERVAL = min(40.0, ONLINE_WINDOW.total_seconds() / 2)

# Ids and seqs are 64-bit in the database; a larger JSON number is no id (and would make a
# channel-layer group name too long).
_INT_RANGE = range(-(2**63), 2**63)


# Sends from all sockets of the process are stored in batches (see core.db.Batched).
_message_send = Batched(services.messages_send, argument="sends")


def _int(content: dict, key: str, *, default=None) -> int:
    value = content.get(key, default)
    if isinstance(value, bool) or not isinstance(value, int) or value not in _INT_RANGE:
        raise Invalid(_('Het veld "%(key)s" moet een geheel getal zijn.') % {"key": key})
    return value


# Sockets opening, pinging and closing: all sockets' presence changes go together.
_presence = Batched(services.presence_update, argument="changes")


class MessagingMixin:
    async def connect(self):
        await super().connect()
        self.joined_threads: set[int] = set()
        await _presence(op="open", channel_name=self.channel_name, user_id=self.user.pk)
        self.presence_written = time.monotonic()

    async def disconnect(self, code):
        for thread_id in getattr(self, "joined_threads", ()):
            await self.channel_layer.group_discard(services.thread_group(thread_id), self.channel_name)
        await _presence(op="close", channel_name=self.channel_name)
        await super().disconnect(code)

    async def frame_ping(self, content):
        if time.monotonic() - self.presence_written >= PRESENCE_WRITE_INTERVAL:
            self.presence_written = time.monotonic()
            await _presence(op="touch", channel_name=self.channel_name)
        await super().frame_ping(content)

    async def frame_thread_join(self, content):
        thread_id = _int(content, "thread")
        after = _int(content, "after", default=0)
        # Subscribe first, then read: a message committed in between arrives twice at worst
        # (the client drops seqs it has), never not at all.
        group = services.thread_group(thread_id)
        try:
            await self.channel_layer.group_add(group, self.channel_name)
            live = True
        except ChannelLayerUnavailable:
            # Redis is away: the history still comes from the database; "live": false tells the
            # client to join again now and then (which also retries the subscription).
            live = False
        try:
            frame = await db_call(services.thread_history)(user=self.user, thread_id=thread_id, after=after)
        except DomainError as exc:
            # NotFound: the user may no longer see a thread they joined earlier (a membership
            # ended and the access.changed event was lost): stop its live frames too.
            if isinstance(exc, NotFound) or thread_id not in self.joined_threads:
                self.joined_threads.discard(thread_id)
                await self.channel_layer.group_discard(group, self.channel_name)
            raise
        self.joined_threads.add(thread_id)
        if frame["type"] == "thread.history":
            frame["live"] = live
        await self.send_json(frame)

    async def frame_thread_leave(self, content):
        thread_id = _int(content, "thread")
        if thread_id in self.joined_threads:
            self.joined_threads.discard(thread_id)
            await self.channel_layer.group_discard(services.thread_group(thread_id), self.channel_name)
        await self.send_json({"type": "thread.left", "thread": thread_id})

    async def frame_thread_before(self, content):
        thread_id = _int(content, "thread")
        before = _int(content, "before")
        frame = await db_call(services.thread_page_before)(user=self.user, thread_id=thread_id, before=before)
        await self.send_json(frame)

    async def frame_message_send(self, content):
        thread_id = _int(content, "thread")
        message, _created = await _message_send(
            sender=self.user, thread_id=thread_id, body=content.get("body"), client_id=content.get("client_id"))
        # Echo the client's own spelling of the UUID (upper case, no hyphens): that is what it matches.
        await self.send_json({"type": "message.ack", "client_id": content["client_id"],
                              "message": services.message_frame(message)})

    async def frame_message_read(self, content):
        thread_id = _int(content, "thread")
        seq = _int(content, "seq")
        await db_call(services.messages_mark_read)(user=self.user, thread_id=thread_id, seq=seq)

    # -- channel-layer events -------------------------------------------------------------

    async def access_changed(self, event):
        """Stop the live frames of every joined thread the user may no longer read."""
        readable = await db_call(selectors.readable_thread_ids)(
            user=self.user, thread_ids=set(self.joined_threads))
        for thread_id in sorted(self.joined_threads - readable):
            self.joined_threads.discard(thread_id)
            await self.channel_layer.group_discard(services.thread_group(thread_id), self.channel_name)
            await self.send_json({"type": "thread.left", "thread": thread_id})
        await super().access_changed(event)

    async def message_new(self, event):
        if event["frame"]["thread"] in self.joined_threads:
            await self.send_json(event["frame"])

    async def receipt(self, event):
        if event["frame"]["thread"] in self.joined_threads:
            await self.send_json(event["frame"])
