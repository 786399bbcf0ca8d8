"""Moderation frames on the shared /ws/ socket (a socket feature, core.sockets)."""

from __future__ import annotations

from core.db import db_call
from core.frames import Choice, Id, Schema, Text
from core.sockets import SocketFeature, event, frame
from moderation import services
from moderation.models import ContactMode

# The reason's length and emptiness are the service's to judge (its error says so); this bounds the frame.
MODE_SET = Schema("family.mode.set", family=Id(), mode=Choice(ContactMode.values),
                  reason=Text(max_chars=services.REASON_MAX_CHARS * 2))


class ModerationFeature(SocketFeature):
    name = "moderation"

    @frame("family.mode.set", MODE_SET)
    async def family_mode_set(self, fields):
        # The answer is the family.mode frame that every member's sockets get, this one included.
        await db_call(services.contact_mode_change)(
            actor=self.socket.user, family_id=fields["family"], mode=fields["mode"], reason=fields["reason"])

    async def access_check(self):
        """Nothing to stop: family.mode goes to the members' own user groups, so a member who left
        gets no further ones (the list of members is read when the mode changes)."""
        return None

    # -- channel-layer events -------------------------------------------------------------

    @event("family.mode")
    async def family_mode(self, event):
        await self.socket.send_json(event["frame"])
