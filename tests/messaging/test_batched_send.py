"""Sends from many sockets stored together (messages_send and core.db.Batched): each send gets the
same answer as alone, seq stays gap-free per thread and every chain stays valid."""

from __future__ import annotations

import asyncio
import threading
import uuid

import pytest
from channels.db import database_sync_to_async

from audit.models import AuditEntry
from core.db import Batched
from core.errors import Invalid, NotFound, PermissionDenied
from messaging import services
from messaging.models import Message, Thread
from messaging.records import verify_thread
from tests.messaging.conftest import open_socket, receive, receive_type, send


def a_send(sender, thread, body):
    return {"sender": sender, "thread_id": thread.pk, "body": body, "client_id": str(uuid.uuid4())}


@pytest.mark.django_db
def test_a_batch_gives_each_thread_gap_free_seqs_and_a_valid_chain(threads, alice, bob):
    parents, private = threads["parents"], threads["alice"]
    services.message_send(**a_send(alice, parents, "Eerst deze"))

    results = services.messages_send(sends=[
        a_send(bob, parents, "Hoi"),
        a_send(alice, private, "Voor de begeleider"),
        a_send(alice, parents, "Dag Bob"),
        a_send(bob, parents, "Tot morgen"),
    ])

    assert [created for _message, created in results] == [True, True, True, True]
    assert [(m.thread_id, m.seq) for m, _created in results] == [
        (parents.pk, 2), (private.pk, 1), (parents.pk, 3), (parents.pk, 4)]
    stored = [(m.seq, m.sender_id, m.body) for m in Message.objects.filter(thread=parents).order_by("seq")]
    assert stored == [(1, alice.pk, "Eerst deze"), (2, bob.pk, "Hoi"), (3, alice.pk, "Dag Bob"),
                      (4, bob.pk, "Tot morgen")]
    for thread in (parents, private):
        thread.refresh_from_db()
        assert verify_thread(thread).ok
        newest = Message.objects.filter(thread=thread).order_by("-seq").first()
        assert (thread.last_seq, thread.head_hash) == (newest.seq, newest.hash)


@pytest.mark.django_db
def test_each_refused_send_in_a_batch_gets_its_own_error_and_the_others_are_stored(threads, alice, bob, pim,
                                                                                      charlie):
    parents = threads["parents"]
    results = services.messages_send(sends=[
        a_send(alice, parents, "Goed"),
        a_send(alice, parents, "   "),
        a_send(charlie, parents, "Ik hoor hier niet"),
        a_send(pim, parents, "Ik lees alleen mee"),
        {**a_send(bob, parents, "Rare id"), "client_id": 12},
        a_send(bob, parents, "Ook goed"),
    ])

    assert isinstance(results[1], Invalid) and isinstance(results[4], Invalid)
    assert isinstance(results[2], NotFound)
    assert isinstance(results[3], PermissionDenied)
    assert [(results[i][0].seq, results[i][0].body) for i in (0, 5)] == [(1, "Goed"), (2, "Ook goed")]
    assert Message.objects.filter(thread=parents).count() == 2
    denied = AuditEntry.objects.filter(action="families:access:denied").values_list("actor_id", flat=True)
    assert sorted(denied) == sorted([charlie.pk, pim.pk])


@pytest.mark.django_db
def test_a_resend_in_a_batch_returns_the_stored_message_and_leaves_no_gap(threads, alice, bob):
    parents = threads["parents"]
    first = a_send(alice, parents, "Ben je er?")
    original, _created = services.message_send(**first)

    results = services.messages_send(sends=[{**first}, a_send(bob, parents, "Ja")])

    assert results[0] == (original, False)
    assert (results[1][0].seq, results[1][1]) == (2, True)
    assert list(Message.objects.filter(thread=parents).order_by("seq").values_list("seq", "body")) == [
        (1, "Ben je er?"), (2, "Ja")]
    assert verify_thread(Thread.objects.get(pk=parents.pk)).ok


@pytest.mark.django_db
def test_the_same_client_id_twice_in_one_batch_is_stored_once(threads, alice):
    parents = threads["parents"]
    twice = a_send(alice, parents, "Dubbel verstuurd")

    results = services.messages_send(sends=[twice, {**twice}])

    assert results[0][0].pk == results[1][0].pk
    assert sorted(created for _message, created in results) == [False, True]
    assert Message.objects.filter(thread=parents).count() == 1


@pytest.mark.asyncio
async def test_calls_made_while_a_batch_runs_go_together_in_the_next_one():
    release = threading.Event()
    batches = []

    def run_many(*, items):
        batches.append([item["n"] for item in items])
        if len(batches) == 1:
            release.wait(5)
        return [ValueError("odd") if item["n"] % 2 else item["n"] * 10 for item in items]

    batched = Batched(run_many, argument="items")
    first = asyncio.ensure_future(batched(n=0))
    await asyncio.sleep(0.05)  # the first batch is running (and waits for `release`)
    rest = [asyncio.ensure_future(batched(n=n)) for n in range(1, 5)]
    await asyncio.sleep(0.05)
    release.set()
    results = await asyncio.gather(first, *rest, return_exceptions=True)

    assert batches == [[0], [1, 2, 3, 4]]
    assert results[0] == 0 and results[2] == 20 and results[4] == 40
    assert isinstance(results[1], ValueError) and isinstance(results[3], ValueError)


@pytest.mark.asyncio
@pytest.mark.django_db(transaction=True)
async def test_sends_from_two_sockets_at_once_are_all_acknowledged_and_delivered_in_seq_order(
    threads, alice, bob
):
    parents = threads["parents"]
    alice_sock, bob_sock = await open_socket(alice), await open_socket(bob)
    for sock in (alice_sock, bob_sock):
        await send(sock, {"type": "thread.join", "thread": parents.pk, "after": 0})
        await receive_type(sock, "thread.history")

    sent = {}
    for n in range(6):  # without waiting for acks: they queue behind the first batch
        for sock, who in ((alice_sock, "alice"), (bob_sock, "bob")):
            client_id = str(uuid.uuid4())
            sent[client_id] = f"{who} {n}"
            await send(sock, {"type": "message.send", "thread": parents.pk, "client_id": client_id,
                              "body": f"{who} {n}"})

    acked, seen_by_bob = {}, []
    for _ in range(6):
        ack = await receive_type(alice_sock, "message.ack")
        acked[ack["client_id"]] = ack["message"]["body"]
    while len(seen_by_bob) < 12 or len(acked) < 12:
        frame = await receive(bob_sock)
        if frame["type"] == "message.ack":
            acked[frame["client_id"]] = frame["message"]["body"]
        elif frame["type"] == "message.new":
            seen_by_bob.append(frame["message"]["seq"])
    assert acked == sent
    assert seen_by_bob == list(range(1, 13))
    stored = await database_sync_to_async(lambda: Thread.objects.get(pk=parents.pk))()
    assert stored.last_seq == 12 and (await database_sync_to_async(verify_thread)(stored)).ok
    await alice_sock.disconnect()
    await bob_sock.disconnect()


@pytest.mark.django_db
def test_one_parents_unencodable_body_never_fails_another_familys_send_in_the_same_batch(
        threads, alice, bob, charlie, other_family):
    services.threads_ensure_for_family(family=other_family)
    theirs = Thread.objects.get(family=other_family, kind="parents")
    results = services.messages_send(sends=[
        a_send(alice, threads["parents"], "Goed"),
        a_send(bob, threads["parents"], "kapot \ud800 bericht"),  # a lone surrogate: no valid text
        a_send(charlie, theirs, "Ander gezin"),
    ])

    assert isinstance(results[1], Invalid)
    assert [(m.body, m.seq) for m, _created in (results[0], results[2])] == [("Goed", 1), ("Ander gezin", 1)]
    assert list(Message.objects.order_by("pk").values_list("body", flat=True)) == ["Goed", "Ander gezin"]


@pytest.mark.asyncio
@pytest.mark.django_db(transaction=True)
async def test_an_unencodable_body_gets_an_invalid_frame_and_the_socket_stays_open(threads, alice):
    sock = await open_socket(alice)
    client_id = str(uuid.uuid4())
    thread = threads["parents"].pk
    await send(sock, f'{{"type": "message.send", "thread": {thread}, "client_id": "{client_id}", '
                     f'"body": "a\\ud800b"}}')
    error = await receive(sock)
    assert (error["type"], error["code"], error["ref"]) == ("error", "invalid", client_id)
    await send(sock, {"type": "ping"})
    assert (await receive(sock))["type"] == "pong"
    assert await database_sync_to_async(Message.objects.count)() == 0
    await sock.disconnect()
