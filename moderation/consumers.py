"""Moderation frames on the shared /ws/ socket (a socket feature, core.sockets)."""

from __future__ import annotations

import contextlib

from core.consumers import TokenBucket
from core.db import db_call
from core.errors import DomainError, RateLimited
from core.frames import Bool, Choice, ClientId, Id, Ids, Schema, Text
from core.layers import ChannelLayerUnavailable
from core.sockets import SocketFeature, event, frame
from families.access import Action
from messaging.services import message_frame
from moderation import coaching, selectors, services
from moderation.frames import review_group
from moderation.models import ContactMode, ReturnReason

# The reason's length and emptiness are the service's to judge (its error says so); this bounds the frame.
MODE_SET = Schema("family.mode.set", family=Id(), mode=Choice(ContactMode.values),
                  reason=Text(max_chars=services.REASON_MAX_CHARS * 2))
# ref is required: the client matches the answer to what was typed (an older answer is dropped).
TONE_CHECK = Schema("tone.check", text=Text(max_chars=64 * 1024), ref=Text(max_chars=64))
TONE_RATE, TONE_BURST = 1.0, 5  # checks a second per socket: a debounced client sends far fewer
REVIEW_JOIN = Schema("review.join", family=Id())
# reason, note and body are optional here; which one a decision needs is the service's to say.
REVIEW_DECIDE = Schema(
    "review.decide", item=Id(), decision=Choice(services.REVIEW_DECISIONS),
    reason=Choice(ReturnReason.values, default=None, nullable=True),
    note=Text(max_chars=services.NOTE_MAX_CHARS * 2, default="", nullable=True),
    body=Text(max_chars=64 * 1024, default="", nullable=True))
REPHRASE_ANSWER = Schema("rephrase.answer", item=Id(), accept=Bool())
RELAY = Schema("message.relay", thread=Id(), client_id=ClientId(), body=Text(max_chars=64 * 1024),
               sources=Ids(max_items=services.MAX_SOURCES))


class ModerationFeature(SocketFeature):
    name = "moderation"

    def __init__(self, socket):
        super().__init__(socket)
        self.reviewing: set[int] = set()  # families whose review queue this socket has open
        self.tone_bucket = TokenBucket(TONE_RATE, TONE_BURST)

    async def closed(self):
        for family_id in self.reviewing:
            await self.socket.channel_layer.group_discard(review_group(family_id), self.socket.channel_name)

    @frame("family.mode.set", MODE_SET)
    async def family_mode_set(self, fields):
        # The answer is the family.mode frame that every member's sockets get, this one included.
        await db_call(services.contact_mode_change)(
            actor=self.socket.user, family_id=fields["family"], mode=fields["mode"], reason=fields["reason"])

    @frame("tone.check", TONE_CHECK)
    async def tone_check(self, fields):
        """The tone check while a parent types: no database, nothing stored, only the writer's own
        socket gets the answer. Too many in a row: rate_limited (the client waits and sends the newest)."""
        if not self.tone_bucket.take():
            raise RateLimited()
        await self.socket.send_json(coaching.tone_result(
            text=fields["text"], ref=fields["ref"], language=getattr(self.socket.user, "language", None)))

    @frame("review.join", REVIEW_JOIN)
    async def review_join(self, fields):
        family_id = fields["family"]
        # Subscribe first, then read: an item held in between arrives twice at worst (the client
        # keeps items by id), never not at all. A refusal unsubscribes again.
        # Redis away: the queue still comes from the database; review.join again to refresh it.
        with contextlib.suppress(ChannelLayerUnavailable):
            await self.socket.channel_layer.group_add(review_group(family_id), self.socket.channel_name)
        try:
            queue = await db_call(services.review_queue)(user=self.socket.user, family_id=family_id)
        except DomainError:
            if family_id not in self.reviewing:
                await self.socket.channel_layer.group_discard(review_group(family_id),
                                                              self.socket.channel_name)
            raise
        self.reviewing.add(family_id)
        await self.socket.send_json(queue)

    @frame("review.decide", REVIEW_DECIDE)
    async def review_decide(self, fields):
        # The answer is review.decided, which every socket with the family's queue open gets.
        await db_call(services.review_decide)(
            actor=self.socket.user, item_id=fields["item"], decision=fields["decision"],
            reason=fields["reason"], note=fields["note"], body=fields["body"])

    @frame("rephrase.answer", REPHRASE_ANSWER)
    async def rephrase_answer(self, fields):
        # The answer is message.state, which every socket of the sender gets.
        await db_call(services.rephrase_answer)(actor=self.socket.user, item_id=fields["item"],
                                                accept=fields["accept"])

    @frame("message.relay", RELAY)
    async def message_relay(self, fields):
        message, relay = await db_call(services.message_relay)(
            actor=self.socket.user, thread_id=fields["thread"], client_id=fields["client_id"],
            body=fields["body"], sources=fields["sources"])
        await self.socket.send_json({
            "type": "message.ack", "client_id": fields["client_id"], "message": message_frame(message),
            "sources": [s["id"] for s in relay.sources] if relay is not None else []})

    async def access_check(self):
        """Close the review queues of families the user may no longer moderate (review.left).
        family.mode goes to the members' own user groups, so a member who left gets no further ones
        (the list of members is read when the mode changes)."""
        if not self.reviewing:
            return
        allowed = await db_call(selectors.families_allowing)(
            user=self.socket.user, family_ids=frozenset(self.reviewing), action=Action.MODERATE)
        for family_id in sorted(self.reviewing - allowed):
            self.reviewing.discard(family_id)
            await self.socket.channel_layer.group_discard(review_group(family_id), self.socket.channel_name)
            await self.socket.send_json({"type": "review.left", "family": family_id})

    # -- channel-layer events: no database, no rules ---------------------------------------------

    @event("family.mode")
    async def family_mode(self, event):
        await self.socket.send_json(event["frame"])

    @event("review.new")
    async def review_new(self, event):
        if event["frame"]["family"] in self.reviewing:
            await self.socket.send_json(event["frame"])

    @event("review.decided")
    async def review_decided(self, event):
        if event["frame"]["family"] in self.reviewing:
            await self.socket.send_json(event["frame"])

    @event("review.count")
    async def review_count(self, event):
        # Sent only to the user groups of the family's practitioners (moderation.caseload).
        await self.socket.send_json(event["frame"])

    @event("alert.new")
    async def alert_new(self, event):
        # Sent only to the user groups of the family's practitioners (moderation.policy.alert_raise).
        await self.socket.send_json(event["frame"])

    @event("message.state")
    async def message_state(self, event):
        await self.socket.send_json(event["frame"])

