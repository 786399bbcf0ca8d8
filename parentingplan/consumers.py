"""Plan editor frames on the shared /ws/ socket (a socket feature, core.sockets). Presence is not
stored: it lives in the open sockets, announced on join and on every move, and re-announced when
someone new asks. access_check re-reads the user's access to every open plan: a plan they may no
longer see is left (plan.left), and a changed role moves the socket to the right audience groups
and sends the state they may now see."""

from __future__ import annotations

import contextlib

from django.utils.translation import gettext as _

from core.db import db_call
from core.errors import Invalid, NotFound
from core.frames import Bool, Choice, ClientId, Id, Object, Schema, Seq, Text
from core.layers import ChannelLayerUnavailable
from core.sockets import SocketFeature, event, frame
from parentingplan import services
from parentingplan.selectors import access_plan

# Lengths are the services' to judge (their errors say what is allowed); these bound the frame.
_TEXT = 64 * 1024
PLAN = Schema("plan", plan=Id())
PRESENCE = Schema("plan.presence", plan=Id(), section=Id(nullable=True, default=None))
SAVE = Schema("section.save", section=Id(), base_revision=Seq(), content=Text(max_chars=_TEXT),
              client_id=ClientId(), schedule=Object(nullable=True, default=None))
AGREE = Schema("section.agree", section=Id(), revision=Seq(), agree=Bool(default=True),
               reason=Text(max_chars=_TEXT, default=""))
RESTORE = Schema("section.restore", section=Id(), revision=Id())
COMMENT = Schema("comment.add", section=Id(), body=Text(max_chars=_TEXT),
                 visibility=Choice(["family", "practitioners"], default="family"))
APPROVE = Schema("plan.approve", plan=Id(), version=Id(), revisions=Object(nullable=True, default=None))


def _join(user, plan_id):
    state, groups, _role = services.plan_open(user=user, plan_id=plan_id)
    return state, groups


def _groups_now(user, plan_ids) -> dict[int, list[str] | None]:
    """For each plan: the audience groups the user belongs to now, or None if they may not see it."""
    groups = {}
    for plan_id in plan_ids:
        try:
            access = access_plan(user=user, plan_id=plan_id)
        except NotFound:
            groups[plan_id] = None
        else:
            groups[plan_id] = services.groups_for(access.plan.pk, access.membership)
    return groups


class PlanFeature(SocketFeature):
    name = "plan"

    def __init__(self, socket):
        super().__init__(socket)
        self.plans: dict[int, list[str]] = {}  # plan id -> groups joined
        self.plan_section: dict[int, int | None] = {}

    async def closed(self):
        for plan_id, groups in self.plans.items():
            await self._presence(plan_id, None, leaving=True)
            for group in groups:
                await self.socket.channel_layer.group_discard(group, self.socket.channel_name)

    async def _subscribe(self, groups) -> bool:
        try:
            for group in groups:
                await self.socket.channel_layer.group_add(group, self.socket.channel_name)
        except ChannelLayerUnavailable:
            # Redis is away: the state still comes from the database; "live": false tells the
            # editor that others' saves show up only when it joins again (saves stay safe:
            # a stale base revision still gets a conflict).
            return False
        return True

    async def _unsubscribe(self, groups) -> None:
        for group in groups:
            await self.socket.channel_layer.group_discard(group, self.socket.channel_name)

    @frame("plan.join", PLAN)
    async def plan_join(self, fields):
        plan_id = fields["plan"]
        state, groups = await db_call(_join)(self.socket.user, plan_id)
        await self._unsubscribe(set(self.plans.get(plan_id, ())) - set(groups))
        live = await self._subscribe(groups)
        self.plans[plan_id] = groups
        self.plan_section.setdefault(plan_id, None)
        await self.socket.send_json({**state, "live": live})
        await self._presence(plan_id, self.plan_section[plan_id])
        await self._layer_send(groups[0], {"type": "plan.presence_query", "plan": plan_id,
                                           "origin": self.socket.channel_name})

    @frame("plan.leave", PLAN)
    async def plan_leave(self, fields):
        plan_id = fields["plan"]
        await self._leave(plan_id)
        await self.socket.send_json({"type": "plan.left", "plan": plan_id})

    async def _leave(self, plan_id: int) -> None:
        groups = self.plans.pop(plan_id, [])
        self.plan_section.pop(plan_id, None)
        if groups:
            await self._presence(plan_id, None, leaving=True, groups=groups)
        await self._unsubscribe(groups)

    @frame("plan.presence", PRESENCE)
    async def plan_presence(self, fields):
        plan_id = fields["plan"]
        if plan_id not in self.plans:
            raise Invalid(_("Open eerst het plan (plan.join)."))
        self.plan_section[plan_id] = fields["section"]
        await self._presence(plan_id, fields["section"])

    @frame("section.save", SAVE)
    async def section_save(self, fields):
        result = await db_call(services.section_save)(
            user=self.socket.user, section_id=fields["section"], base_revision=fields["base_revision"],
            content=fields["content"], client_id=fields["client_id"], schedule=fields["schedule"],
            origin=self.socket.channel_name)
        # Echo the client's own spelling of its client_id: that is what it matches.
        if result.saved:
            await self.socket.send_json({"type": "section.saved", "client_id": fields["client_id"],
                                         "section": result.section})
        else:
            await self.socket.send_json({"type": "section.conflict", "client_id": fields["client_id"],
                                         "section": result.section, "diff": result.diff})

    @frame("section.agree", AGREE)
    async def section_agree(self, fields):
        answer = await db_call(services.section_agree)(
            user=self.socket.user, section_id=fields["section"], revision=fields["revision"],
            agrees=fields["agree"], reason=fields["reason"])
        if answer["plan"] not in self.plans:  # joined sockets get it from the broadcast
            await self.socket.send_json(answer)

    @frame("section.restore", RESTORE)
    async def section_restore(self, fields):
        result = await db_call(services.section_restore)(
            user=self.socket.user, section_id=fields["section"], revision=fields["revision"],
            origin=self.socket.channel_name)
        await self.socket.send_json({"type": "section.saved", "client_id": result.client_id,
                                     "section": result.section})

    @frame("comment.add", COMMENT)
    async def comment_add(self, fields):
        await db_call(services.comment_add)(user=self.socket.user, section_id=fields["section"],
                                            body=fields["body"], visibility=fields["visibility"])

    @frame("plan.approve", APPROVE)
    async def plan_approve(self, fields):
        answer = await db_call(services.plan_approve)(
            user=self.socket.user, plan_id=fields["plan"], version=fields["version"],
            revisions=fields["revisions"])
        if answer["plan"] not in self.plans:
            await self.socket.send_json(answer)

    async def access_check(self):
        if not self.plans:
            return
        now = await db_call(_groups_now)(self.socket.user, list(self.plans))
        for plan_id, groups in now.items():
            joined = self.plans.get(plan_id)
            if joined is None or groups == joined:
                continue
            if groups is None:  # no longer a member of the family
                await self._leave(plan_id)
                await self.socket.send_json({"type": "plan.left", "plan": plan_id})
                continue
            # Another role (a practitioner now a relative, say): other audiences, another state.
            await self._unsubscribe(set(joined) - set(groups))
            self.plans[plan_id] = groups
            try:
                await self.plan_join({"plan": plan_id})
            except NotFound:
                await self._leave(plan_id)
                await self.socket.send_json({"type": "plan.left", "plan": plan_id})

    async def _presence(self, plan_id, section, *, leaving=False, groups=None):
        groups = groups or self.plans.get(plan_id)
        if not groups:
            return
        user = self.socket.user
        presence = {"type": "plan.presence", "plan": plan_id,
                    "user": {"id": user.pk, "name": user.display_name},
                    "section": section, "left": leaving, "socket": self.socket.channel_name[-12:]}
        await self._layer_send(groups[0], {"type": "plan.event", "frame": presence,
                                           "origin": self.socket.channel_name})

    async def _layer_send(self, group, layer_event):
        """Presence is best effort: without Redis it is simply not shown."""
        with contextlib.suppress(ChannelLayerUnavailable):
            await self.socket.channel_layer.group_send(group, layer_event)

    # -- channel-layer events ---------------------------------------------------------------

    @event("plan.event")
    async def plan_event(self, layer_event):
        if layer_event.get("origin") != self.socket.channel_name:
            await self.socket.send_json(layer_event["frame"])

    @event("plan.presence_query")
    async def plan_presence_query(self, layer_event):
        if layer_event["origin"] != self.socket.channel_name and layer_event["plan"] in self.plans:
            await self._presence(layer_event["plan"], self.plan_section.get(layer_event["plan"]))
