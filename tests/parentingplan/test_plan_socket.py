"""The plan editor's frames on /ws/, through the real ASGI stack and channel layer.

To show that a socket did NOT get a frame without waiting on a clock, the test sends a later
frame down the same path (a presence or comment from someone else) and reads up to it: the
channel layer keeps each socket's messages in order, so anything sent before it would have come first.
"""

from __future__ import annotations

import uuid

import pytest
from channels.db import database_sync_to_async

from parentingplan import services
from parentingplan.models import Comment, PlanVersion, Section, SectionOpinion, SectionRevision
from tests.messaging.conftest import open_socket, receive, receive_type, send
from tests.parentingplan.conftest import fill_and_agree, save, section_of

pytestmark = [pytest.mark.asyncio, pytest.mark.django_db(transaction=True)]

SECTION_KEYS = {"id", "key", "title", "revision", "status", "content", "updated_by", "updated_at"}


async def join(sock, plan) -> dict:
    await send(sock, {"type": "plan.join", "plan": plan.pk})
    return await receive_type(sock, "plan.state")


async def frames_until(sock, wanted) -> list[dict]:
    """Every frame up to and including the first one for which `wanted(frame)` is true."""
    seen = []
    while True:
        frame = await receive(sock)
        seen.append(frame)
        if wanted(frame):
            return seen


async def mark(sender, receivers, plan, section_id) -> list[list[dict]]:
    """`sender` announces presence on `section_id`; returns what each receiver got up to it."""
    await send(sender, {"type": "plan.presence", "plan": plan.pk, "section": section_id})
    return [
        await frames_until(sock, lambda f: f["type"] == "plan.presence" and f["section"] == section_id)
        for sock in receivers
    ]


def types(frames) -> list[str]:
    return [f["type"] for f in frames]


async def close(*sockets):
    for sock in sockets:
        await sock.disconnect()


@database_sync_to_async
def db(fn, *args, **kwargs):
    return fn(*args, **kwargs)


async def test_joining_the_plan_sends_its_state(plan, alice):
    a = await open_socket(alice)
    state = await join(a, plan)
    assert state["plan"] == plan.pk and state["version"] == 1
    assert [s["key"] for s in state["sections"]][:4] == ["care", "information", "costs", "children"]
    assert all(set(s) >= SECTION_KEYS for s in state["sections"])
    assert state["sections"][0]["status"] == "open" and state["sections"][0]["revision"] == 0
    await close(a)


async def test_a_save_is_acknowledged_to_the_sender_and_shown_to_the_other_parent(plan, alice, bob):
    section = await db(section_of, plan, "information")
    a, b = await open_socket(alice), await open_socket(bob)
    await join(a, plan)
    await join(b, plan)
    client_id = str(uuid.uuid4())
    await send(
        a,
        {
            "type": "section.save",
            "section": section.pk,
            "base_revision": 0,
            "content": "<p>We mailen op zondag.</p>",
            "client_id": client_id,
        },
    )
    saved = await receive_type(a, "section.saved")
    assert saved["client_id"] == client_id
    assert saved["section"]["revision"] == 1 and saved["section"]["status"] == "proposed"
    assert saved["section"]["content"] == "<p>We mailen op zondag.</p>"
    assert saved["section"]["updated_by"]["id"] == alice.pk

    updated = await receive_type(b, "section.updated")
    assert updated["section"] == saved["section"]

    [seen_by_alice] = await mark(b, [a], plan, section.pk)
    assert "section.updated" not in types(seen_by_alice)
    await close(a, b)


async def test_a_save_on_a_stale_base_gets_a_conflict_and_stores_nothing(plan, alice, bob):
    section = await db(section_of, plan, "information")
    await db(save, alice, section, "<p>Elke week bellen.</p>", base=0)
    await db(save, alice, section, "<p>Elke maand bellen.</p>", base=1)
    a, b = await open_socket(alice), await open_socket(bob)
    await join(a, plan)
    await join(b, plan)
    client_id = str(uuid.uuid4())
    await send(
        b,
        {
            "type": "section.save",
            "section": section.pk,
            "base_revision": 1,
            "content": "<p>Dagelijks appen.</p>",
            "client_id": client_id,
        },
    )
    conflict = await receive_type(b, "section.conflict")
    assert conflict["client_id"] == client_id
    assert (
        conflict["section"]["revision"] == 2 and conflict["section"]["content"] == "<p>Elke maand bellen.</p>"
    )
    assert conflict["diff"] == "Elke <del>week</del><ins>maand</ins> bellen."
    assert await db(SectionRevision.objects.filter(section=section).count) == 2

    [seen_by_alice] = await mark(b, [a], plan, section.pk)
    assert "section.updated" not in types(seen_by_alice)
    await close(a, b)


async def test_sending_the_same_save_twice_stores_and_announces_it_once(plan, alice, bob):
    section = await db(section_of, plan, "information")
    a, b = await open_socket(alice), await open_socket(bob)
    await join(a, plan)
    await join(b, plan)
    frame = {
        "type": "section.save",
        "section": section.pk,
        "base_revision": 0,
        "content": "<p>Eén keer.</p>",
        "client_id": str(uuid.uuid4()),
    }
    await send(a, frame)
    first = await receive_type(a, "section.saved")
    await send(a, frame)
    second = await receive_type(a, "section.saved")
    assert first["section"]["revision"] == second["section"]["revision"] == 1
    assert first["client_id"] == second["client_id"]
    assert await db(SectionRevision.objects.filter(section=section).count) == 1

    [seen_by_bob] = await mark(a, [b], plan, section.pk)
    assert types(seen_by_bob).count("section.updated") == 1
    await close(a, b)


async def test_agreeing_sends_the_new_status_to_both_parents(plan, alice, bob):
    section = await db(section_of, plan, "costs")
    await db(save, alice, section, "<p>Ieder de helft.</p>")
    a, b = await open_socket(alice), await open_socket(bob)
    await join(a, plan)
    await join(b, plan)
    await send(a, {"type": "section.agree", "section": section.pk, "revision": 1})
    for sock in (a, b):
        status = await receive_type(sock, "section.status")
        assert (status["section"], status["revision"], status["status"]) == (section.pk, 1, "proposed")
        assert status["agreed_by"] == [alice.pk]
    await send(b, {"type": "section.agree", "section": section.pk, "revision": 1})
    for sock in (a, b):
        status = await receive_type(sock, "section.status")
        assert status["status"] == "agreed" and sorted(status["agreed_by"]) == sorted([alice.pk, bob.pk])
    await close(a, b)


async def test_disagreeing_sends_disputed_to_both_parents(plan, alice, bob):
    section = await db(section_of, plan, "costs")
    await db(save, alice, section, "<p>Ieder de helft.</p>")
    a, b = await open_socket(alice), await open_socket(bob)
    await join(a, plan)
    await join(b, plan)
    await send(b, {"type": "section.agree", "section": section.pk, "revision": 1, "agree": False,
                   "reason": "Naar inkomen is eerlijker."})
    for sock in (a, b):
        status = await receive_type(sock, "section.status")
        assert status["status"] == "disputed" and status["by"] == bob.pk and status["agrees"] is False
        assert (status["by_name"], status["reason"]) == ("Bob Ouder", "Naar inkomen is eerlijker.")
        assert [(d["user"]["id"], d["reason"]) for d in status["disputes"]] == [
            (bob.pk, "Naar inkomen is eerlijker.")]
    await close(a, b)


async def test_disagreeing_without_a_reason_is_refused_and_changes_nothing(plan, alice, bob):
    section = await db(section_of, plan, "costs")
    await db(save, alice, section, "<p>Ieder de helft.</p>")
    b = await open_socket(bob)
    await join(b, plan)
    for reason in (None, "", "   \n "):
        frame = {"type": "section.agree", "section": section.pk, "revision": 1, "agree": False,
                 "client_id": "5c0e7d9e-0000-4000-8000-000000000001"}
        if reason is not None:
            frame["reason"] = reason
        await send(b, frame)
        error = await receive_type(b, "error")
        assert error["code"] == "invalid" and error["ref"] == frame["client_id"]
        assert "waarom" in error["detail"]
    status = await db(lambda: Section.objects.get(pk=section.pk).status)
    assert status == "proposed"
    assert not await db(lambda: SectionOpinion.objects.exists())
    await close(b)


async def test_agreeing_to_an_old_revision_is_answered_with_a_conflict_error(plan, alice):
    section = await db(section_of, plan, "costs")
    await db(save, alice, section, "<p>Eerst.</p>")
    await db(save, alice, section, "<p>Daarna.</p>")
    a = await open_socket(alice)
    await join(a, plan)
    await send(a, {"type": "section.agree", "section": section.pk, "revision": 1})
    error = await receive_type(a, "error")
    assert error["code"] == "conflict"
    await close(a)


async def test_presence_reaches_the_other_editor(plan, alice, bob):
    section = await db(section_of, plan, "holidays")
    a, b = await open_socket(alice), await open_socket(bob)
    await join(a, plan)
    await join(b, plan)
    await send(a, {"type": "plan.presence", "plan": plan.pk, "section": section.pk})
    seen = await frames_until(b, lambda f: f["type"] == "plan.presence" and f["section"] == section.pk)
    assert seen[-1]["user"] == {"id": alice.pk, "name": "Alice Ouder"} and seen[-1]["left"] is False
    await close(a)
    left = await frames_until(b, lambda f: f["type"] == "plan.presence" and f["left"])
    assert left[-1]["user"]["id"] == alice.pk
    await close(b)


async def test_someone_joining_later_hears_who_is_already_editing(plan, alice, bob):
    section = await db(section_of, plan, "holidays")
    a = await open_socket(alice)
    await join(a, plan)
    await send(a, {"type": "plan.presence", "plan": plan.pk, "section": section.pk})
    b = await open_socket(bob)
    await join(b, plan)
    # Alice's announcement and her answer to Bob's join may arrive in either order: what counts is
    # that Bob learns where she is (frames_until fails if that never comes).
    seen = await frames_until(
        b, lambda f: (f["type"] == "plan.presence" and f["user"]["id"] == alice.pk
                      and f["section"] == section.pk))
    assert seen[-1]["user"]["name"] == alice.display_name
    await close(a, b)


async def test_comments_reach_only_their_audience(plan, alice, carol, pim, rita):
    costs, school = await db(section_of, plan, "costs"), await db(section_of, plan, "school")
    await db(services.section_manage, user=carol, plan_id=plan.pk, section_id=school.pk, shared=True)
    a, c, p, r = [await open_socket(u) for u in (alice, carol, pim, rita)]
    for sock in (a, c, p, r):
        await join(sock, plan)

    await send(
        c,
        {
            "type": "comment.add",
            "section": costs.pk,
            "body": "Notitie: vader onder druk.",
            "visibility": "practitioners",
        },
    )
    note = await receive_type(p, "comment.new")
    assert (
        note["comment"]["body"] == "Notitie: vader onder druk."
        and note["comment"]["visibility"] == "practitioners"
    )
    await send(c, {"type": "comment.add", "section": costs.pk, "body": "Mooi voorstel."})
    await send(c, {"type": "comment.add", "section": school.pk, "body": "Oma mag dit lezen."})

    for sock in (a, p):
        seen = await frames_until(sock, lambda f: f["type"] == "comment.new" and f["section"] == school.pk)
        bodies = [f["comment"]["body"] for f in seen if f["type"] == "comment.new"]
        assert bodies == ["Mooi voorstel.", "Oma mag dit lezen."]
    seen_by_rita = await frames_until(r, lambda f: f["type"] == "comment.new")
    assert [f["comment"]["body"] for f in seen_by_rita if f["type"] == "comment.new"] == [
        "Oma mag dit lezen."
    ]
    await close(a, c, p, r)


async def test_a_parents_comment_reaches_the_other_parent_and_the_practitioners_live(plan, alice, bob, carol):
    costs = await db(section_of, plan, "costs")
    a, b, c = [await open_socket(u) for u in (alice, bob, carol)]
    for sock in (a, b, c):
        await join(sock, plan)
    client_id = str(uuid.uuid4())
    await send(a, {"type": "comment.add", "section": costs.pk, "body": "Kan het 300 worden?",
                   "client_id": client_id})
    for sock in (a, b, c):
        new = await receive_type(sock, "comment.new")
        assert new["section"] == costs.pk and new["comment"]["body"] == "Kan het 300 worden?"
        assert new["comment"]["author"] == {"id": alice.pk, "name": "Alice Ouder"}
        assert new["comment"]["visibility"] == "family"
    # A note only practitioners would read is not a parent's to write.
    await send(a, {"type": "comment.add", "section": costs.pk, "body": "Stiekem.",
                   "visibility": "practitioners", "client_id": client_id})
    error = await receive_type(a, "error")
    assert (error["code"], error["ref"]) == ("forbidden", client_id)
    assert await db(lambda: list(Comment.objects.values_list("body", flat=True))) == ["Kan het 300 worden?"]
    await close(a, b, c)


async def test_a_relative_joins_with_only_the_shared_sections_and_cannot_edit(plan, alice, carol, rita):
    school, costs = await db(section_of, plan, "school"), await db(section_of, plan, "costs")
    await db(services.section_manage, user=carol, plan_id=plan.pk, section_id=school.pk, shared=True)
    await db(save, alice, school, "<p>De Regenboog.</p>")
    await db(save, alice, costs, "<p>Alimentatie.</p>")
    r = await open_socket(rita)
    state = await join(r, plan)
    assert [s["key"] for s in state["sections"]] == ["school"]
    assert "Alimentatie" not in str(state)

    client_id = str(uuid.uuid4())
    await send(
        r,
        {
            "type": "section.save",
            "section": school.pk,
            "base_revision": 1,
            "content": "<p>Oma haalt.</p>",
            "client_id": client_id,
        },
    )
    forbidden = await receive_type(r, "error")
    assert forbidden["code"] == "forbidden" and forbidden["ref"] == client_id
    await send(
        r,
        {
            "type": "section.save",
            "section": costs.pk,
            "base_revision": 1,
            "content": "<p>x</p>",
            "client_id": str(uuid.uuid4()),
        },
    )
    assert (await receive_type(r, "error"))["code"] == "not_found"
    await send(r, {"type": "section.agree", "section": school.pk, "revision": 1})
    assert (await receive_type(r, "error"))["code"] == "forbidden"
    assert await db(SectionRevision.objects.filter(author=rita).count) == 0
    await close(r)


async def test_a_relative_does_not_hear_about_sections_not_shared_with_them(plan, alice, carol, rita):
    school, costs = await db(section_of, plan, "school"), await db(section_of, plan, "costs")
    await db(services.section_manage, user=carol, plan_id=plan.pk, section_id=school.pk, shared=True)
    a, r = await open_socket(alice), await open_socket(rita)
    await join(a, plan)
    await join(r, plan)
    await send(
        a,
        {
            "type": "section.save",
            "section": costs.pk,
            "base_revision": 0,
            "content": "<p>Geheim.</p>",
            "client_id": str(uuid.uuid4()),
        },
    )
    await receive_type(a, "section.saved")
    await send(
        a,
        {
            "type": "section.save",
            "section": school.pk,
            "base_revision": 0,
            "content": "<p>Gedeeld.</p>",
            "client_id": str(uuid.uuid4()),
        },
    )
    seen = await frames_until(r, lambda f: f["type"] == "section.updated")
    assert [f["section"]["key"] for f in seen if f["type"] == "section.updated"] == ["school"]
    await close(a, r)


async def test_a_practitioner_cannot_agree_or_approve(plan, alice, carol):
    section = await db(section_of, plan, "costs")
    await db(save, alice, section, "<p>Ieder de helft.</p>")
    c = await open_socket(carol)
    await join(c, plan)
    await send(c, {"type": "section.agree", "section": section.pk, "revision": 1})
    assert (await receive_type(c, "error"))["code"] == "forbidden"
    await send(c, {"type": "plan.approve", "plan": plan.pk, "version": 1})
    assert (await receive_type(c, "error"))["code"] == "forbidden"
    assert await db(lambda: Section.objects.get(pk=section.pk).status) == "proposed"
    await close(c)


async def test_a_parent_of_another_family_gets_not_found_for_everything(plan, alice, charlie):
    section = await db(section_of, plan, "costs")
    await db(save, alice, section, "<p>Ieder de helft.</p>")
    x = await open_socket(charlie)
    frames = [
        {"type": "plan.join", "plan": plan.pk},
        {
            "type": "section.save",
            "section": section.pk,
            "base_revision": 1,
            "content": "<p>x</p>",
            "client_id": str(uuid.uuid4()),
        },
        {"type": "section.agree", "section": section.pk, "revision": 1},
        {"type": "section.restore", "section": section.pk, "revision": 1},
        {"type": "comment.add", "section": section.pk, "body": "Hoi"},
        {"type": "plan.approve", "plan": plan.pk, "version": 1},
    ]
    for frame in frames:
        await send(x, frame)
        error = await receive(x)
        assert (error["type"], error["code"]) == ("error", "not_found"), frame
    await send(x, {"type": "plan.presence", "plan": plan.pk, "section": section.pk})
    assert (await receive(x))["code"] == "invalid"
    await close(x)


async def test_an_impossible_schedule_is_answered_with_an_invalid_error(plan, alice, bob):
    care = await db(section_of, plan, "care")
    a = await open_socket(alice)
    await join(a, plan)
    client_id = str(uuid.uuid4())
    await send(
        a,
        {
            "type": "section.save",
            "section": care.pk,
            "base_revision": 0,
            "content": "<p>Week om week.</p>",
            "client_id": client_id,
            "schedule": {
                "pattern": "custom",
                "days": "ab",
                "start": "2025-01-06",
                "parent_a": alice.pk,
                "parent_b": bob.pk,
            },
        },
    )
    error = await receive_type(a, "error")
    assert error["code"] == "invalid" and error["ref"] == client_id
    await close(a)


async def test_the_second_approval_freezes_the_plan_for_everyone(plan, alice, bob):
    await db(fill_and_agree, plan, alice, [alice, bob])
    a, b = await open_socket(alice), await open_socket(bob)
    await join(a, plan)
    await join(b, plan)
    await send(a, {"type": "plan.approve", "plan": plan.pk, "version": 1})
    for sock in (a, b):
        approved = await receive_type(sock, "plan.approved")
        assert approved["user"] == alice.pk and approved["frozen"] is None
    await send(b, {"type": "plan.approve", "plan": plan.pk, "version": 1})
    for sock in (a, b):
        frozen = await receive_type(sock, "plan.frozen")
        assert frozen["version"] == 1
    version = await db(PlanVersion.objects.get, plan=plan)
    assert frozen["content_hash"] == version.content_hash
    await close(a, b)


async def test_without_a_channel_layer_the_plan_still_opens_and_saves_but_says_it_is_not_live(
        plan, alice, settings, unused_tcp_port):
    # A Redis that is not there: nothing listens on this port.
    settings.CHANNEL_LAYERS = {"default": {
        "BACKEND": "core.layers.RedisPubSubChannelLayer",
        "CONFIG": {"hosts": [f"redis://127.0.0.1:{unused_tcp_port}/0"], "timeout": 1.0},
    }}
    a = await open_socket(alice)
    state = await join(a, plan)
    assert state["live"] is False and len(state["sections"]) == 13
    costs = await db(section_of, plan, "costs")
    await send(a, {"type": "section.save", "section": costs.pk, "base_revision": 0,
                   "content": "<p>Ieder de helft.</p>", "client_id": str(uuid.uuid4())})
    saved = await receive_type(a, "section.saved")
    assert saved["section"]["content"] == "<p>Ieder de helft.</p>"
    assert await db(lambda: SectionRevision.objects.filter(section_id=costs.pk).count()) == 1
    await a.disconnect()
