"""Held and private plan words on the live socket (docs/PROTOCOL.md, "Held words on the plan"): the
other parent's socket never carries them; the author's and the practitioners' do, and a release
reaches the other parent live. As in test_plan_socket.py, "did not get" is shown by reading up to a
later frame on the same path (the channel layer keeps each socket's frames in order)."""

from __future__ import annotations

import json

import pytest

from parentingplan import services
from parentingplan.models import Comment, SectionOpinion
from tests.messaging.conftest import open_socket, receive_type, send
from tests.moderation.conftest import set_mode
from tests.parentingplan.conftest import save, section_of
from tests.parentingplan.test_plan_socket import close, db, frames_until, join

pytestmark = [pytest.mark.asyncio, pytest.mark.django_db(transaction=True)]

SECRET = "ALICE-RAUW: dit is alleen voor de begeleider"
REASON = "ALICE-REDEN: de woensdag past niet"


async def _ready(plan, family, carol, alice, mode):
    costs = await db(section_of, plan, "costs")
    await db(save, alice, costs, "<p>Ieder de helft.</p>")
    await db(set_mode, family, carol, mode)
    return costs


async def test_in_indirect_contact_the_other_parents_socket_never_carries_the_words(
        plan, family, alice, bob, carol):
    costs = await _ready(plan, family, carol, alice, "indirect")
    a, b, c = [await open_socket(u) for u in (alice, bob, carol)]
    for sock in (a, b, c):
        await join(sock, plan)
    await send(a, {"type": "comment.add", "section": costs.pk, "body": SECRET})
    for sock in (a, c):
        new = await receive_type(sock, "comment.new")
        assert new["comment"]["body"] == SECRET and new["comment"]["state"] == "private"
    revision = await db(lambda: costs.__class__.objects.get(pk=costs.pk).head_revision)
    await send(a, {"type": "section.agree", "section": costs.pk, "revision": revision, "agree": False,
                   "reason": REASON})
    mine = await frames_until(a, lambda f: f["type"] == "section.status" and f["disputes"][0]["reason"])
    assert mine[-1]["disputes"][0]["reason_state"] == "private"
    # Bob: the disagreement arrives, then a later comment of Carol's; nothing of Alice's words.
    await send(c, {"type": "comment.add", "section": costs.pk, "body": "Carol: ik bel jullie allebei."})
    seen = await frames_until(b, lambda f: f["type"] == "comment.new")
    assert seen[-1]["comment"]["body"] == "Carol: ik bel jullie allebei."
    assert SECRET not in json.dumps(seen) and REASON not in json.dumps(seen)
    status = [f for f in seen if f["type"] == "section.status"]
    assert status and status[0]["status"] == "disputed" and status[0]["disputes"][0]["reason"] is None
    await close(a, b, c)


async def test_in_moderated_contact_a_release_reaches_the_other_parent_live(plan, family, alice, bob, carol):
    costs = await _ready(plan, family, carol, alice, "moderated")
    a, b, c = [await open_socket(u) for u in (alice, bob, carol)]
    for sock in (a, b, c):
        await join(sock, plan)
    await send(a, {"type": "comment.add", "section": costs.pk, "body": SECRET})
    held = await receive_type(a, "comment.new")
    assert held["comment"]["state"] == "held"
    assert (await receive_type(c, "comment.new"))["comment"]["state"] == "held"
    comment_id = await db(lambda: Comment.objects.get().pk)
    await db(services.plan_words_decide, actor=carol, comment_id=comment_id, decision="release")
    released = await receive_type(b, "comment.new")  # the first comment frame Bob gets is the release
    assert released["comment"]["body"] == SECRET and released["comment"]["state"] == "shown"
    state = await receive_type(a, "comment.state")
    assert state["comment"]["state"] == "shown"
    await close(a, b, c)


async def test_a_returned_reason_goes_back_to_its_author_only(plan, family, alice, bob, carol):
    costs = await _ready(plan, family, carol, alice, "moderated")
    await db(lambda: services.section_agree(user=alice, section_id=costs.pk, revision=1, agrees=False,
                                            reason=REASON))
    a, b = await open_socket(alice), await open_socket(bob)
    await join(a, plan)
    state = await join(b, plan)
    assert REASON not in json.dumps(state)
    opinion_id = await db(lambda: SectionOpinion.objects.get(agrees=False).pk)
    await db(services.plan_words_decide, actor=carol, opinion_id=opinion_id, decision="return",
             note="Schrijf wat je voorstelt.")
    back = await frames_until(a, lambda f: f["type"] == "section.status"
                              and f["disputes"][0].get("reason_state") == "returned")
    assert back[-1]["disputes"][0]["note"] == "Schrijf wat je voorstelt."
    await send(a, {"type": "plan.presence", "plan": plan.pk, "section": costs.pk})
    seen = await frames_until(b, lambda f: f["type"] == "plan.presence")
    assert REASON not in json.dumps(seen) and "Schrijf wat je voorstelt." not in json.dumps(seen)
    await close(a, b)
