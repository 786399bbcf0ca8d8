"""Plan editor frames on the shared /ws/ socket. Presence is not stored: it lives in the open
sockets, announced on join and on every move, and re-announced when someone new asks."""

from __future__ import annotations

from django.utils.translation import gettext as _

from core.db import db_call
from core.errors import Invalid
from core.layers import ChannelLayerUnavailable
from parentingplan import services


def _int(content: dict, key: str, *, allow_none: bool = False):
    value = content.get(key)
    if allow_none and value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int):
        raise Invalid(_('Het veld "%(key)s" moet een geheel getal zijn.') % {"key": key})
    return value


def _join(user, plan_id):
    return services.plan_open(user=user, plan_id=plan_id)


class PlanMixin:
    async def connect(self):
        await super().connect()
        self.plans: dict[int, list[str]] = {}  # plan id -> groups joined
        self.plan_section: dict[int, int | None] = {}

    async def disconnect(self, code):
        for plan_id, groups in getattr(self, "plans", {}).items():
            await self._presence(plan_id, None, leaving=True)
            for group in groups:
                await self.channel_layer.group_discard(group, self.channel_name)
        await super().disconnect(code)

    async def frame_plan_join(self, content):
        plan_id = _int(content, "plan")
        state, groups, _role = await db_call(_join)(self.user, plan_id)
        live = True
        try:
            for group in groups:
                await self.channel_layer.group_add(group, self.channel_name)
        except ChannelLayerUnavailable:
            # Redis is away: the state still comes from the database; "live": false tells the
            # editor that others' saves show up only when it joins again (saves stay safe:
            # a stale base revision still gets a conflict).
            live = False
        self.plans[plan_id] = groups
        self.plan_section.setdefault(plan_id, None)
        await self.send_json({**state, "live": live})
        await self._presence(plan_id, self.plan_section[plan_id])
        await self._layer_send(groups[0], {"type": "plan.presence_query", "plan": plan_id,
                                           "origin": self.channel_name})

    async def frame_plan_leave(self, content):
        plan_id = _int(content, "plan")
        groups = self.plans.pop(plan_id, [])
        if groups:
            await self._presence(plan_id, None, leaving=True, groups=groups)
        for group in groups:
            await self.channel_layer.group_discard(group, self.channel_name)
        await self.send_json({"type": "plan.left", "plan": plan_id})

    async def frame_plan_presence(self, content):
        plan_id = _int(content, "plan")
        section = _int(content, "section", allow_none=True)
        if plan_id not in self.plans:
            raise Invalid(_("Open eerst het plan (plan.join)."))
        self.plan_section[plan_id] = section
        await self._presence(plan_id, section)

    async def frame_section_save(self, content):
        result = await db_call(services.section_save)(
            user=self.user, section_id=content.get("section"), base_revision=content.get("base_revision"),
            content=content.get("content"), client_id=content.get("client_id"), schedule=content.get("schedule"),
            origin=self.channel_name)
        if result.saved:
            await self.send_json({"type": "section.saved", "client_id": result.client_id, "section": result.section})
        else:
            await self.send_json({"type": "section.conflict", "client_id": result.client_id,
                                  "section": result.section, "diff": result.diff})

    async def frame_section_agree(self, content):
        agrees = content.get("agree", True)
        if not isinstance(agrees, bool):
            raise Invalid(_('"agree" moet true of false zijn.'))
        frame = await db_call(services.section_agree)(
            user=self.user, section_id=content.get("section"), revision=content.get("revision"), agrees=agrees)
        if frame["plan"] not in self.plans:  # joined sockets get it from the broadcast
            await self.send_json(frame)

    async def frame_section_restore(self, content):
        result = await db_call(services.section_restore)(
            user=self.user, section_id=content.get("section"), revision=_int(content, "revision"),
            origin=self.channel_name)
        await self.send_json({"type": "section.saved", "client_id": result.client_id, "section": result.section})

    async def frame_comment_add(self, content):
        await db_call(services.comment_add)(
            user=self.user, section_id=content.get("section"), body=content.get("body"),
            visibility=content.get("visibility", "family"))

    async def frame_plan_approve(self, content):
        frame = await db_call(services.plan_approve)(
            user=self.user, plan_id=content.get("plan"), version=content.get("version"))
        if frame["plan"] not in self.plans:
            await self.send_json(frame)

    async def _presence(self, plan_id, section, *, leaving=False, groups=None):
        groups = groups or self.plans.get(plan_id)
        if not groups:
            return
        frame = {"type": "plan.presence", "plan": plan_id, "user": {"id": self.user.pk, "name": self.user.display_name},
                 "section": section, "left": leaving, "socket": self.channel_name[-12:]}
        await self._layer_send(groups[0], {"type": "plan.event", "frame": frame, "origin": self.channel_name})

    async def _layer_send(self, group, event):
        """Presence is best effort: without Redis it is simply not shown."""
        try:
            await self.channel_layer.group_send(group, event)
        except ChannelLayerUnavailable:
            pass

    # -- channel-layer events ---------------------------------------------------------------

    async def plan_event(self, event):
        if event.get("origin") != self.channel_name:
            await self.send_json(event["frame"])

    async def plan_presence_query(self, event):
        if event["origin"] != self.channel_name and event["plan"] in self.plans:
            await self._presence(event["plan"], self.plan_section.get(event["plan"]))
