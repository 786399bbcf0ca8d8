"""Indirect mode through the real socket: parents cannot write in the parents' thread (a kind
explanation, nothing stored); a practitioner relays to the other parent in that parent's own thread,
and only practitioners see which messages a relay passed on. Direct mode is unchanged."""

from __future__ import annotations

import pytest
from channels.db import database_sync_to_async

from audit import actions
from audit.models import AuditEntry
from messaging.models import Message
from moderation.models import Draft, Relay
from tests.messaging.conftest import assert_still_open, open_socket, receive, receive_type, send
from tests.moderation.conftest import new_id
from tests.moderation.test_moderated_socket import close, count, frames_until_pong, joined

pytestmark = [pytest.mark.asyncio, pytest.mark.django_db(transaction=True)]

ALICE_WORDS = "Hij mag dit weekend NIET naar zijn vader, hij is ziek."


async def test_direct_mode_delivers_at_once_as_before(threads, alice, bob, carol):
    parents = threads["parents"]
    (a, history), (b, _) = await joined(alice, parents), await joined(bob, parents)
    assert history["drafts"] == []
    client_id = new_id()
    await send(a, {"type": "message.send", "thread": parents.pk, "client_id": client_id, "body": "Hoi"})
    ack = await receive_type(a, "message.ack")
    assert (ack["message"]["seq"], ack["message"]["state"]) == (1, "delivered")
    assert (await receive_type(b, "message.new"))["message"] == ack["message"]
    assert await count(Draft) == 0
    await close(a, b)


async def test_in_indirect_mode_a_parents_send_in_the_parents_thread_is_refused_kindly(indirect, alice, bob):
    parents = indirect["parents"]
    (a, _), (b, _) = await joined(alice, parents), await joined(bob, parents)
    client_id = new_id()
    await send(a, {"type": "message.send", "thread": parents.pk, "client_id": client_id, "body": ALICE_WORDS})
    refused = await receive(a)
    assert (refused["type"], refused["code"], refused["ref"]) == ("error", "forbidden", client_id)
    assert "Schrijf je begeleider in je eigen gesprek" in refused["detail"]
    assert await frames_until_pong(b) == []
    assert await count(Message, thread=parents) == 0 and await count(Draft) == 0
    await assert_still_open(a)

    # Her own thread with the practitioners takes it.
    await send(a, {"type": "message.send", "thread": indirect["alice"].pk, "client_id": new_id(),
                   "body": ALICE_WORDS})
    assert (await receive_type(a, "message.ack"))["message"]["seq"] == 1
    await close(a, b)


async def test_a_relay_reaches_the_other_parent_as_relayed_and_its_sources_stay_with_practitioners(
        indirect, alice, bob, carol, pim):
    own, bobs = indirect["alice"], indirect["bob"]
    a, _ = await joined(alice, own)
    await send(a, {"type": "message.send", "thread": own.pk, "client_id": new_id(), "body": ALICE_WORDS})
    source = (await receive_type(a, "message.ack"))["message"]
    await receive_type(a, "message.new")  # her own message, in her own thread
    (b, _), (c, _), (p, _) = await joined(bob, bobs), await joined(carol, bobs), await joined(pim, bobs)
    relay_words = "Alice laat weten dat hij ziek is. Zullen jullie het weekend ruilen?"
    client_id = new_id()

    await send(c, {"type": "message.relay", "thread": bobs.pk, "client_id": client_id, "body": relay_words,
                   "sources": [source["id"]]})

    ack = await receive_type(c, "message.ack")
    assert ack["client_id"] == client_id and ack["sources"] == [source["id"]]
    assert (ack["message"]["state"], ack["message"]["seq"]) == ("relayed", 1)
    assert ack["message"]["body"] == relay_words
    on_bob = await receive_type(b, "message.new")
    assert on_bob["message"] == ack["message"]
    assert on_bob["message"]["sender"] == {"id": carol.pk, "name": "Carol Coördinator"}
    assert set(on_bob) == {"type", "thread", "message"} and "sources" not in on_bob["message"]
    assert ALICE_WORDS not in str(on_bob)
    assert (await receive_type(p, "message.new"))["message"]["id"] == ack["message"]["id"]
    assert await frames_until_pong(a) == []  # Alice is not in Bob's thread

    # Joining again: a practitioner's history names the sources, the parent's does not.
    await send(p, {"type": "thread.join", "thread": bobs.pk, "after": 0})
    assert (await receive_type(p, "thread.history"))["relays"] == {str(ack["message"]["id"]): [source["id"]]}
    await send(b, {"type": "thread.join", "thread": bobs.pk, "after": 0})
    bob_history = await receive_type(b, "thread.history")
    assert "relays" not in bob_history and ALICE_WORDS not in str(bob_history)

    relay = await database_sync_to_async(lambda: Relay.objects.get())()
    assert relay.sources == [{"id": source["id"], "thread": own.pk, "seq": 1, "hash": source["hash"]}]
    entry = await database_sync_to_async(lambda: AuditEntry.objects.get(action=actions.MESSAGE_RELAYED))()
    assert (entry.actor_id, entry.subject_user_id, entry.details) == (carol.pk, bob.pk,
                                                                       {"thread": bobs.pk, "sources": 1})

    # The same client_id again: the same relay, nothing stored twice.
    await send(c, {"type": "message.relay", "thread": bobs.pk, "client_id": client_id, "body": relay_words,
                   "sources": [source["id"]]})
    again = await receive_type(c, "message.ack")
    assert again["message"]["id"] == ack["message"]["id"] and again["sources"] == [source["id"]]
    assert await count(Relay) == 1 and await count(Message, thread=bobs) == 1
    await close(a, b, c, p)


@pytest.mark.parametrize(("who", "target", "sources", "code"), [
    ("alice", "alice", "alice", "forbidden"),    # a parent cannot relay, not even in her own thread
    ("bob", "alice", "bob", "not_found"),        # nor into the other parent's thread
    ("carol", "parents", "alice", "forbidden"),  # relays go to a parent's own thread, not the shared one
    ("carol", "bob", "bob", "invalid"),          # the sources must come from another thread
    ("carol", "bob", "none", "invalid"),
    ("carol", "bob", "stranger", "invalid"),     # not a message of this family
])
async def test_relays_that_are_not_allowed_are_refused_and_store_nothing(
        indirect, alice, bob, carol, charlie, other_family, who, target, sources, code):
    from messaging import services as chat

    def messages():
        chat.threads_ensure_for_family(family=other_family)
        made = {}
        for name, user in (("alice", alice), ("bob", bob)):
            made[name] = chat.message_send(sender=user, thread_id=indirect[name].pk, body="Hallo",
                                           client_id=new_id())[0].pk
        foreign = other_family.threads.get(kind="private", owner=charlie)
        made["stranger"] = chat.message_send(sender=charlie, thread_id=foreign.pk, body="x",
                                             client_id=new_id())[0].pk
        return made

    made = await database_sync_to_async(messages)()
    sock = await open_socket({"alice": alice, "bob": bob, "carol": carol}[who])
    await send(sock, {"type": "message.relay", "thread": indirect[target].pk, "client_id": new_id(),
                      "body": "Doorgegeven", "sources": [] if sources == "none" else [made[sources]]})
    refused = await receive(sock)
    assert (refused["type"], refused["code"]) == ("error", code)
    assert await count(Relay) == 0 and await count(Message, state="relayed") == 0
    await close(sock)
