"""The socket is composed of registered features: one handler per frame and event type, a clash
fails at start, and every registered feature stops its live frames the moment access ends."""

from __future__ import annotations

import uuid

import pytest
from channels.db import database_sync_to_async
from django.core.exceptions import ImproperlyConfigured
from django.utils import timezone

from config.routing import SOCKET_FEATURES
from core.consumers import socket_consumer
from core.frames import Id, Schema
from core.sockets import SocketFeature, event, frame
from families import services as family_services
from families.models import Membership, Role
from messaging import services as chat
from messaging.models import Thread
from moderation import selectors as moderation_selectors
from moderation import services as moderation_services
from parentingplan import services as plan_services
from parentingplan.models import Section
from tests.messaging.conftest import open_socket, receive, receive_type, send


class _Echo(SocketFeature):
    name = "echo"

    @frame("echo.say", Schema("echo.say", n=Id()))
    async def say(self, fields):
        await self.socket.send_json({"type": "echo.said", "n": fields["n"]})

    @event("echo.event")
    async def on_event(self, layer_event):
        await self.socket.send_json(layer_event["frame"])

    async def access_check(self):
        return None


async def _handler(self, message):
    await self.socket.send_json(message)


def _feature(name, frames=(), events=()):
    attributes = {"name": name, "access_check": _Echo.access_check}
    for kind in frames:
        attributes["f_" + kind.replace(".", "_")] = frame(kind)(lambda self, m: _handler(self, m))
    for kind in events:
        attributes["e_" + kind.replace(".", "_")] = event(kind)(lambda self, m: _handler(self, m))
    return type(name.title(), (SocketFeature,), attributes)


@pytest.mark.parametrize(("features", "message"), [
    ([_feature("one", frames=["x.do"]), _feature("two", frames=["x.do"])],
     "'x.do' is claimed by both one and two"),
    ([_feature("one", events=["x.happened"]), _feature("two", events=["x.happened"])], "'x.happened'"),
    ([_feature("one", frames=["ping"])], "'ping' is claimed by both platform and one"),
    ([_feature("one", events=["access.changed"])], "'access.changed'"),
    ([_feature("one"), _feature("one")], "unique name"),
])
def test_two_handlers_for_one_type_fail_at_start(features, message):
    with pytest.raises(ImproperlyConfigured, match=message):
        socket_consumer(features)


def test_a_feature_that_does_not_say_what_happens_when_access_ends_fails_at_start():
    class Careless(SocketFeature):
        name = "careless"

    with pytest.raises(ImproperlyConfigured, match="access_check"):
        socket_consumer([Careless])


def test_the_composed_socket_routes_each_frame_to_its_feature():
    consumer = socket_consumer([_Echo])
    assert {t: (r.feature, r.method) for t, r in consumer.routes.frames.items()} == {"echo.say": (0, "say")}
    assert {t: r.method for t, r in consumer.routes.events.items()} == {"echo.event": "on_event"}


# -- every registered feature stops its live frames when access ends ---------------------------------
#
# For each feature: how a practitioner (pim) opens its live stream, and how the parents make a live
# frame appear in it. After pim's membership ends, the stream's end frame arrives, and a later live
# frame does not: the parent's own socket, which still gets it, shows that it was sent.


def _end_membership(carol, pim):
    membership = Membership.objects.active().get(user=pim)
    family_services.membership_end(actor=carol, family_id=membership.family_id, membership_id=membership.pk)


def _end_membership_silently(carol, pim):  # no access.changed: the periodic check must find it
    Membership.objects.active().filter(user=pim).update(ended_at=timezone.now())


async def _chat_open(sock, family):
    thread = await database_sync_to_async(
        lambda: (chat.threads_ensure_for_family(family=family),
                 Thread.objects.get(family=family, kind="parents"))[1])()
    await send(sock, {"type": "thread.join", "thread": thread.pk, "after": 0})
    await receive_type(sock, "thread.history")
    return thread


async def _chat_poke(sock, thread):
    await send(sock, {"type": "message.send", "thread": thread.pk, "client_id": str(uuid.uuid4()),
                      "body": "Hoi"})
    return "message.new"


async def _plan_open(sock, family):
    plan = await database_sync_to_async(plan_services.plan_ensure)(family=family)
    await send(sock, {"type": "plan.join", "plan": plan.pk})
    await receive_type(sock, "plan.state")
    return plan


async def _plan_poke(sock, plan):
    section = await database_sync_to_async(lambda: Section.objects.get(plan=plan, key="care"))()
    head = await database_sync_to_async(lambda: Section.objects.get(pk=section.pk).head_revision)()
    await send(sock, {"type": "section.save", "section": section.pk, "base_revision": head,
                      "content": f"<p>{uuid.uuid4()}</p>", "client_id": str(uuid.uuid4())})
    return "section.updated"


async def _mode_open(sock, family):
    return family  # family.mode comes to every member's sockets without joining anything


async def _mode_poke(sock, family):  # the coordinator changes the mode; the parents' sockets watch
    def change():
        coordinator = Membership.objects.active().get(family=family, role=Role.COORDINATOR).user
        now = moderation_selectors.contact_mode(family_id=family.pk).mode
        mode = "direct" if now != "direct" else "moderated"
        moderation_services.contact_mode_change(actor=coordinator, family_id=family.pk, mode=mode,
                                                reason="Test")

    await database_sync_to_async(change)()
    return "family.mode"


# feature -> (open its stream, make a live frame appear, the frame that says the stream ended or None
# when there is no stream to end: its live frames go to the members of the moment)
FEATURE_STREAMS = {
    "chat": (_chat_open, _chat_poke, "thread.left"),
    "plan": (_plan_open, _plan_poke, "plan.left"),
    "moderation": (_mode_open, _mode_poke, None),
}


def test_every_registered_feature_has_a_revocation_test():
    assert {feature.name for feature in SOCKET_FEATURES} == set(FEATURE_STREAMS)


@pytest.mark.asyncio
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("feature", sorted(FEATURE_STREAMS))
@pytest.mark.parametrize("how", [_end_membership, _end_membership_silently], ids=["event", "periodic"])
async def test_a_feature_stops_its_live_frames_when_the_membership_ends(
        settings, family, alice, bob, carol, pim, feature, how):
    settings.SOCKET_CHECK_SECONDS = 1 if how is _end_membership_silently else 3600
    open_stream, poke, end_frame = FEATURE_STREAMS[feature]
    watcher, parent, other = await open_socket(pim), await open_socket(alice), await open_socket(bob)
    stream = await open_stream(watcher, family)
    await open_stream(other, family)
    live = await poke(parent, stream)
    assert (await receive_type(watcher, live))["type"] == live  # pim sees the stream live

    await database_sync_to_async(how)(carol, pim)
    if end_frame is not None:
        assert (await receive_type(watcher, end_frame, timeout=8))["type"] == end_frame

    await poke(parent, stream)
    await receive_type(other, live)  # it went out...
    await send(watcher, {"type": "ping"})
    got = []
    while (frame_ := await receive(watcher))["type"] != "pong":
        got.append(frame_["type"])
    assert live not in got  # ...but not to the one whose access ended
    for sock in (watcher, parent, other):
        await sock.disconnect()


@pytest.mark.asyncio
@pytest.mark.django_db(transaction=True)
async def test_a_practitioner_made_relative_stops_getting_practitioner_only_comments(
    family, alice, carol, pim
):
    plan = await database_sync_to_async(plan_services.plan_ensure)(family=family)
    section = await database_sync_to_async(lambda: Section.objects.get(plan=plan, key="care"))()
    watcher = await open_socket(pim)
    await send(watcher, {"type": "plan.join", "plan": plan.pk})
    await receive_type(watcher, "plan.state")

    def comment(body):
        plan_services.comment_add(user=carol, section_id=section.pk, body=body, visibility="practitioners")

    await database_sync_to_async(comment)("Alleen voor begeleiders 1")
    assert (await receive_type(watcher, "comment.new"))["comment"]["body"] == "Alleen voor begeleiders 1"

    def demote():
        membership = Membership.objects.active().get(user=pim)
        family_services.membership_role_change(actor=carol, family_id=family.pk, membership_id=membership.pk,
                                               role=Role.RELATIVE)

    await database_sync_to_async(demote)()
    state = await receive_type(watcher, "plan.state")  # the state a relative may see
    assert all(s["key"] != "care" for s in state["sections"])  # not shared with relatives
    await database_sync_to_async(comment)("Alleen voor begeleiders 2")
    await send(watcher, {"type": "ping"})
    got = []
    while (frame_ := await receive(watcher))["type"] != "pong":
        got.append(frame_)
    assert [f for f in got if f["type"] == "comment.new"] == []
    await watcher.disconnect()
