"""Every plan frame against malformed fields: each gets the documented invalid error frame, `ref`
repeats the client_id as sent, nothing is stored, and the socket stays open (never a 1011)."""

from __future__ import annotations

import json
import uuid

import pytest
from channels.db import database_sync_to_async

from parentingplan.models import Comment, SectionRevision
from tests.messaging.conftest import assert_still_open, open_socket, receive, receive_type, send
from tests.parentingplan.conftest import section_of

pytestmark = [pytest.mark.asyncio, pytest.mark.django_db(transaction=True)]

LONE = "\ud800"  # valid JSON ("\\ud800"), but no valid text: it cannot be encoded as UTF-8
HUGE = 2**100


def frames(plan, section) -> list[tuple[dict, str | None]]:
    """(frame, ref expected in the error) for malformed fields of every plan frame type."""
    cid = str(uuid.uuid4())
    save = {"type": "section.save", "section": section.pk, "base_revision": 0, "content": "<p>x</p>",
            "client_id": cid}
    disagree = {"type": "section.agree", "section": section.pk, "revision": 0, "agree": False}
    return [
        ({"type": "plan.join", "plan": HUGE}, None),
        ({"type": "plan.join", "plan": "1"}, None),
        ({"type": "plan.leave", "plan": True}, None),
        ({"type": "plan.presence", "plan": plan.pk, "section": HUGE}, None),
        ({"type": "plan.presence", "plan": plan.pk, "section": -(2**70)}, None),
        ({**save, "section": HUGE}, cid),
        ({**save, "base_revision": -1}, cid),
        ({**save, "base_revision": HUGE}, cid),
        ({**save, "content": LONE}, cid),
        ({**save, "content": f"<p>goed {LONE} fout</p>"}, cid),
        ({**save, "content": None}, cid),
        ({**save, "client_id": 12345678901234567890123456789012}, None),
        ({**save, "client_id": LONE}, None),
        ({**save, "schedule": {"pattern": LONE}}, cid),
        ({**save, "schedule": {"start": HUGE}}, cid),
        ({**save, "schedule": "week_on_week_off"}, cid),
        ({"type": "section.agree", "section": section.pk, "revision": 0, "agree": "yes"}, None),
        ({"type": "section.agree", "section": section.pk, "revision": HUGE}, None),
        ({"type": "section.restore", "section": section.pk, "revision": "1"}, None),
        ({"type": "comment.add", "section": section.pk, "body": LONE}, None),
        ({"type": "comment.add", "section": section.pk, "body": "Hoi", "visibility": LONE}, None),
        ({"type": "comment.add", "section": section.pk, "body": "Hoi", "visibility": "iedereen"}, None),
        ({"type": "plan.approve", "plan": plan.pk, "version": HUGE}, None),
        ({"type": "plan.approve", "plan": plan.pk, "version": None}, None),
        ({**disagree, "reason": LONE}, None),
        ({**disagree, "reason": 7}, None),
        ({"type": "plan.approve", "plan": plan.pk, "version": 1, "revisions": "12:1"}, None),
        ({"type": "plan.approve", "plan": plan.pk, "version": 1, "revisions": {"12": HUGE}}, None),
    ]


@pytest.mark.parametrize("user_name", ["alice", "carol"])
async def test_malformed_plan_fields_get_an_invalid_frame_and_the_socket_stays_open(
        request, plan, carol, user_name):
    user = request.getfixturevalue(user_name)
    section = await database_sync_to_async(section_of)(plan, "care")
    cases = frames(plan, section)
    for start in range(0, len(cases), 8):  # a new socket every few cases keeps under the rate limit
        sock = await open_socket(user)
        await send(sock, {"type": "plan.join", "plan": plan.pk})
        await receive_type(sock, "plan.state")
        for frame, ref in cases[start:start + 8]:
            await send(sock, json.dumps(frame))  # json.dumps writes a lone surrogate as "\ud800"
            answer = await receive_type(sock, "error")
            assert answer["code"] == "invalid", frame
            assert answer["ref"] == ref, frame
            assert answer["detail"], frame
            await assert_still_open(sock)
        await sock.disconnect()
    stored = await database_sync_to_async(
        lambda: (SectionRevision.objects.filter(section__plan=plan).count(), Comment.objects.count()))()
    assert stored == (0, 0)


async def test_section_save_echoes_the_client_id_exactly_as_sent(plan, alice):
    section = await database_sync_to_async(section_of)(plan, "care")
    spelled = uuid.uuid4().hex.upper()  # no hyphens, upper case: still a UUID
    sock = await open_socket(alice)
    await send(sock, {"type": "section.save", "section": section.pk, "base_revision": 0,
                      "content": "<p>Om en om een week.</p>", "client_id": spelled})
    saved = await receive_type(sock, "section.saved")
    assert saved["client_id"] == spelled
    other = str(uuid.uuid4()).upper()
    await send(sock, {"type": "section.save", "section": section.pk, "base_revision": 0,
                      "content": "<p>Anders.</p>", "client_id": other})
    conflict = await receive(sock)
    assert conflict["type"] == "section.conflict"
    assert conflict["client_id"] == other
    await sock.disconnect()
