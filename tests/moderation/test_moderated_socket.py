"""Moderated mode through the real socket (the whole stack, Redis channel layer): who gets which
frame when a parent's message is held, released, returned or rephrased; who may open and decide the
queue; two practitioners deciding at once; resuming after a reconnect."""

from __future__ import annotations

import asyncio

import pytest
from channels.db import database_sync_to_async

from audit import actions
from audit.models import AuditEntry
from messaging.models import Message
from moderation.models import Decision, Draft
from moderation.tone import assess
from tests.messaging.conftest import assert_still_open, open_socket, receive, receive_type, send
from tests.moderation.conftest import new_id

HELD_WORDS = "Je bent een waardeloze vader en dat weet iedereen."
ITEM_KEYS = {"id", "thread", "sender", "body", "tone", "held_at", "client_id"}
STATE_KEYS = {"type", "thread", "client_id", "state", "message", "reason", "note", "proposal"}

pytestmark = [pytest.mark.asyncio, pytest.mark.django_db(transaction=True)]


async def joined(user, thread):
    sock = await open_socket(user)
    await send(sock, {"type": "thread.join", "thread": thread.pk, "after": 0})
    history = await receive_type(sock, "thread.history")
    return sock, history


async def reviewing(user, family):
    sock = await open_socket(user)
    await send(sock, {"type": "review.join", "family": family.pk})
    return sock, await receive_type(sock, "review.queue")


async def frames_until_pong(sock) -> list[dict]:
    """Every frame that arrived before the answer to a ping now."""
    await send(sock, {"type": "ping"})
    got = []
    while (frame := await receive(sock))["type"] != "pong":
        got.append(frame)
    return got


async def send_held(sock, thread, body=HELD_WORDS) -> dict:
    client_id = new_id()
    await send(sock, {"type": "message.send", "thread": thread.pk, "client_id": client_id, "body": body})
    ack = await receive_type(sock, "message.ack")
    assert ack["client_id"] == client_id
    return ack


async def count(model, **filters) -> int:
    return await database_sync_to_async(lambda: model.objects.filter(**filters).count())()


async def close(*socks):
    for sock in socks:
        await sock.disconnect()


async def test_a_held_message_reaches_its_sender_as_held_and_the_practitioners_queue_only(
        family, moderated, alice, bob, carol, pim):
    parents = moderated["parents"]
    (a, _), (b, _) = await joined(alice, parents), await joined(bob, parents)
    (c, queue), (p, _) = await reviewing(carol, family), await reviewing(pim, family)
    assert queue == {"type": "review.queue", "family": family.pk, "items": []}

    ack = await send_held(a, parents)

    assert ack["message"]["state"] == "held" and ack["message"]["seq"] is None
    assert ack["message"]["body"] == HELD_WORDS
    for sock in (c, p):
        new = await receive_type(sock, "review.new")
        assert new["family"] == family.pk and set(new["item"]) == ITEM_KEYS
        assert new["item"]["id"] == ack["message"]["id"]
        assert (new["item"]["body"], new["item"]["client_id"]) == (HELD_WORDS, ack["client_id"])
        assert new["item"]["sender"] == {"id": alice.pk, "name": "Alice Ouder"}
        tone = assess(HELD_WORDS)  # whatever the tone check says, the item carries it
        assert new["item"]["tone"] == {"level": tone.level, "reasons": list(tone.reasons)}
    assert await frames_until_pong(b) == []  # the other parent: nothing at all
    assert await count(Message, thread=parents) == 0
    await close(a, b, c, p)


async def test_release_delivers_to_the_thread_and_tells_the_sender(family, moderated, alice, bob, carol):
    parents = moderated["parents"]
    (a, _), (b, _) = await joined(alice, parents), await joined(bob, parents)
    c, _ = await reviewing(carol, family)
    ack = await send_held(a, parents, "Zaterdag haal ik ze om 10:00 op.")
    await receive_type(c, "review.new")

    await send(c, {"type": "review.decide", "item": ack["message"]["id"], "decision": "release"})

    decided = await receive_type(c, "review.decided")
    assert decided == {"type": "review.decided", "family": family.pk, "item": ack["message"]["id"],
                       "decision": "release", "by": carol.pk}
    on_bob = await receive_type(b, "message.new")
    assert (on_bob["message"]["seq"], on_bob["message"]["body"]) == (1, "Zaterdag haal ik ze om 10:00 op.")
    assert (on_bob["message"]["state"], on_bob["message"]["sender"]["id"]) == ("delivered", alice.pk)
    state = await receive_type(a, "message.state")
    assert set(state) >= STATE_KEYS
    assert (state["state"], state["client_id"]) == ("delivered", ack["client_id"])
    assert state["thread"] == parents.pk
    assert state["message"] == on_bob["message"]
    assert (state["reason"], state["note"], state["proposal"]) == (None, None, None)
    await close(a, b, c)


async def test_return_tells_the_sender_why_and_the_other_parent_nothing(family, moderated, alice, bob, carol):
    parents = moderated["parents"]
    (a, _), (b, _) = await joined(alice, parents), await joined(bob, parents)
    c, _ = await reviewing(carol, family)
    ack = await send_held(a, parents)
    await receive_type(c, "review.new")

    await send(c, {"type": "review.decide", "item": ack["message"]["id"], "decision": "return",
                   "reason": "insult", "note": "Schrijf wat je nodig hebt, zonder oordeel over hem."})

    state = await receive_type(a, "message.state")
    assert (state["state"], state["message"], state["reason"]) == ("returned", None, "insult")
    assert state["note"] == "Schrijf wat je nodig hebt, zonder oordeel over hem."
    assert (await receive_type(c, "review.decided"))["decision"] == "return"
    assert await frames_until_pong(b) == []
    assert await count(Message, thread=parents) == 0

    # The thread stays gap-free for the other parent: the next released message is seq 1.
    ack = await send_held(a, parents, "Zaterdag 10:00?")
    await receive_type(c, "review.new")
    await send(c, {"type": "review.decide", "item": ack["message"]["id"], "decision": "release"})
    on_bob = await receive_type(b, "message.new")
    assert (on_bob["message"]["seq"], on_bob["message"]["body"]) == (1, "Zaterdag 10:00?")
    await close(a, b, c)


async def test_rephrase_accepted_is_delivered_as_the_senders_message(family, moderated, alice, bob, carol):
    parents = moderated["parents"]
    (a, _), (b, _) = await joined(alice, parents), await joined(bob, parents)
    c, _ = await reviewing(carol, family)
    ack = await send_held(a, parents)
    await receive_type(c, "review.new")
    proposal = "Ik maak me zorgen over hoe het gaat. Kunnen we praten?"

    await send(c, {"type": "review.decide", "item": ack["message"]["id"], "decision": "rephrase",
                   "body": proposal})
    state = await receive_type(a, "message.state")
    assert (state["state"], state["proposal"], state["message"]) == ("rephrase_proposed", proposal, None)
    assert await frames_until_pong(b) == []

    await send(a, {"type": "rephrase.answer", "item": ack["message"]["id"], "accept": True})
    state = await receive_type(a, "message.state")
    assert state["state"] == "delivered" and state["message"]["body"] == proposal
    on_bob = await receive_type(b, "message.new")
    assert on_bob["message"] == state["message"] and on_bob["message"]["sender"]["id"] == alice.pk
    assert HELD_WORDS not in str(on_bob)
    linked = await database_sync_to_async(
        lambda: Decision.objects.get(kind="accept").message_id)()
    assert linked == state["message"]["id"]
    await close(a, b, c)


async def test_rephrase_declined_goes_back_to_the_queue(family, moderated, alice, bob, carol):
    parents = moderated["parents"]
    (a, _), (b, _) = await joined(alice, parents), await joined(bob, parents)
    c, _ = await reviewing(carol, family)
    ack = await send_held(a, parents)
    item = ack["message"]["id"]
    await receive_type(c, "review.new")
    await send(c, {"type": "review.decide", "item": item, "decision": "rephrase", "body": "Andere woorden"})
    await receive_type(a, "message.state")

    await send(a, {"type": "rephrase.answer", "item": item, "accept": False})

    assert (await receive_type(a, "message.state"))["state"] == "held"
    back = await receive_type(c, "review.new")
    assert back["item"]["id"] == item and back["item"]["body"] == HELD_WORDS
    assert await frames_until_pong(b) == []
    await send(c, {"type": "review.join", "family": family.pk})
    assert [i["id"] for i in (await receive_type(c, "review.queue"))["items"]] == [item]
    await close(a, b, c)


async def test_after_a_reconnect_the_sender_sees_held_returned_and_proposed_messages(
        family, moderated, alice, bob, carol):
    parents = moderated["parents"]
    a, _ = await joined(alice, parents)
    items = [(await send_held(a, parents, f"bericht {n}"))["message"]["id"] for n in range(3)]
    await a.disconnect()
    c, _ = await reviewing(carol, family)
    await send(c, {"type": "review.decide", "item": items[1], "decision": "return", "reason": "too_long",
                   "note": "Korter graag"})
    await send(c, {"type": "review.decide", "item": items[2], "decision": "rephrase", "body": "Korter"})
    for _ in range(2):
        await receive_type(c, "review.decided")

    a, history = await joined(alice, parents)
    assert history["messages"] == []
    drafts = {d["item"]: d for d in history["drafts"]}
    assert [drafts[i]["state"] for i in items] == ["held", "returned", "rephrase_proposed"]
    assert (drafts[items[1]]["reason"], drafts[items[1]]["note"]) == ("too_long", "Korter graag")
    assert drafts[items[2]]["proposal"] == "Korter"
    assert [drafts[i]["body"] for i in items] == ["bericht 0", "bericht 1", "bericht 2"]
    b, bob_history = await joined(bob, parents)
    assert "drafts" in bob_history and bob_history["drafts"] == []  # only one's own
    assert "bericht" not in str(bob_history)
    await close(a, b, c)


@pytest.mark.parametrize(("who", "code"), [
    ("alice", "forbidden"), ("bob", "forbidden"), ("rita", "forbidden"), ("charlie", "not_found")])
async def test_parents_relatives_and_strangers_cannot_open_or_decide_the_queue(
        family, moderated, alice, bob, rita, charlie, who, code):
    a, _ = await joined(alice, moderated["parents"])
    item = (await send_held(a, moderated["parents"]))["message"]["id"]
    sock = await open_socket({"alice": alice, "bob": bob, "rita": rita, "charlie": charlie}[who])

    await send(sock, {"type": "review.join", "family": family.pk})
    refused = await receive(sock)
    assert (refused["type"], refused["code"]) == ("error", code)
    await send(sock, {"type": "review.decide", "item": item, "decision": "release"})
    refused = await receive(sock)
    assert (refused["type"], refused["code"]) == ("error", code)
    assert await frames_until_pong(sock) == []  # no queue, no item, no body
    assert await count(Decision) == 0 and await count(Message, thread=moderated["parents"]) == 0
    await close(a, sock)


async def test_review_frames_refuse_bad_input_with_an_error_frame(family, moderated, alice, carol):
    a, _ = await joined(alice, moderated["parents"])
    item = (await send_held(a, moderated["parents"]))["message"]["id"]
    c = await open_socket(carol)
    for frame in ({"type": "review.decide", "item": item, "decision": "maybe"},
                  {"type": "review.decide", "item": item, "decision": "return"},
                  {"type": "review.decide", "item": item, "decision": "return", "reason": "ugly"},
                  {"type": "review.decide", "item": item, "decision": "rephrase", "body": ""},
                  {"type": "review.decide", "item": "1", "decision": "release"},
                  {"type": "review.decide", "item": item, "decision": "return", "reason": "blame",
                   "note": "\ud800"},
                  {"type": "rephrase.answer", "item": item, "accept": "yes"}):
        await send(c, frame)
        got = await receive(c)
        assert (got["type"], got["code"]) == ("error", "invalid"), frame
    await send(c, {"type": "review.decide", "item": 2**62, "decision": "release"})
    assert (await receive(c))["code"] == "not_found"
    await send(a, {"type": "rephrase.answer", "item": item, "accept": True})
    assert (await receive(a))["code"] == "conflict"  # nothing was proposed
    await assert_still_open(c)
    assert await count(Decision) == 0
    await close(a, c)


async def test_two_practitioners_deciding_at_once_one_wins_the_other_gets_conflict(
        family, moderated, alice, bob, carol, pim):
    parents = moderated["parents"]
    (a, _), (b, _) = await joined(alice, parents), await joined(bob, parents)
    (c, _), (p, _) = await reviewing(carol, family), await reviewing(pim, family)
    item = (await send_held(a, parents))["message"]["id"]
    for sock in (c, p):
        await receive_type(sock, "review.new")

    await asyncio.gather(
        send(c, {"type": "review.decide", "item": item, "decision": "release"}),
        send(p, {"type": "review.decide", "item": item, "decision": "return", "reason": "insult"}))

    # A socket handles its frames in order: each decide's answer (an error or nothing) comes before
    # the pong of a ping sent after it.
    errors = [f for sock in (c, p) for f in await frames_until_pong(sock) if f["type"] == "error"]
    assert len(errors) == 1 and errors[0]["code"] == "conflict"
    assert "al beoordeeld door" in errors[0]["detail"]
    decisions = await database_sync_to_async(lambda: list(Decision.objects.values_list("kind", "by_id")))()
    assert len(decisions) == 1
    winner_kind = decisions[0][0]
    assert await count(Message, thread=parents) == (1 if winner_kind == "release" else 0)
    assert await count(AuditEntry, action=actions.REVIEW_DECIDED) == 1
    await close(a, b, c, p)


async def test_a_practitioner_who_leaves_the_family_stops_getting_the_queue(
        family, moderated, alice, carol, pim):
    from families import services as family_services
    from families.models import Membership

    p, _ = await reviewing(pim, family)
    a, _ = await joined(alice, moderated["parents"])

    def end():
        membership = Membership.objects.active().get(user=pim)
        family_services.membership_end(actor=carol, family_id=family.pk, membership_id=membership.pk)

    await database_sync_to_async(end)()
    assert await receive_type(p, "review.left", timeout=8) == {"type": "review.left", "family": family.pk}
    await send_held(a, moderated["parents"])
    assert [f for f in await frames_until_pong(p) if f["type"].startswith("review.")] == []
    assert await count(Draft) == 1
    await close(a, p)
