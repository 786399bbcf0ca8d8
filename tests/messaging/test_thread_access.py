"""Who may read (thread.join) and write (message.send) in which thread, seen through the socket.

A thread someone may not see answers exactly like a thread that does not exist."""

from __future__ import annotations

import uuid

import pytest
from channels.db import database_sync_to_async
from django.utils import timezone

from families.models import Membership
from families.services import membership_end
from messaging.models import ThreadParticipant
from tests.messaging.conftest import open_socket, receive, send, stored_messages

pytestmark = [pytest.mark.asyncio, pytest.mark.django_db(transaction=True)]

MISSING_THREAD = 999_999
ANSWERS = {"thread.history", "thread.page", "message.ack", "error"}  # not live frames


async def answer(sock) -> dict:
    while True:
        frame = await receive(sock)
        if frame["type"] in ANSWERS:
            return frame


async def try_join(sock, thread_id) -> dict:
    await send(sock, {"type": "thread.join", "thread": thread_id, "after": 0})
    return await answer(sock)


async def try_send(sock, thread_id) -> dict:
    client_id = str(uuid.uuid4())
    await send(sock, {"type": "message.send", "thread": thread_id, "client_id": client_id,
                      "body": "Mag ik hier schrijven?"})
    frame = await answer(sock)
    assert frame.get("client_id", frame.get("ref")) == client_id
    return frame


def outcome(frame: dict) -> str:
    return frame["code"] if frame["type"] == "error" else frame["type"]


async def outcomes(user, threads) -> dict[str, tuple[str, str]]:
    """thread name -> (what thread.join answers, what message.send answers)."""
    sock = await open_socket(user)
    seen = {}
    for name, thread in threads.items():
        seen[name] = (outcome(await try_join(sock, thread.pk)), outcome(await try_send(sock, thread.pk)))
    await sock.disconnect()
    return seen


async def not_found_errors(user, thread_id) -> list[dict]:
    """The errors for every chat frame on `thread_id`."""
    sock = await open_socket(user)
    frames = [
        {"type": "thread.join", "thread": thread_id, "after": 0},
        {"type": "thread.before", "thread": thread_id, "before": 5},
        {"type": "message.read", "thread": thread_id, "seq": 1},
        {"type": "message.send", "thread": thread_id, "client_id": "0c6d3a8e-1a56-4b57-9f52-2b0a3c1c1e11",
         "body": "Hoi"},
    ]
    errors = []
    for frame in frames:
        await send(sock, frame)
        errors.append(await answer(sock))
    await sock.disconnect()
    return errors


async def count_stored(threads) -> dict[str, int]:
    return {name: len(await stored_messages(thread)) for name, thread in threads.items()}


@pytest.fixture
def personas(alice, bob, carol, pim):
    return {"alice": alice, "bob": bob, "carol": carol, "pim": pim}


WRITES = ("thread.history", "message.ack")
READS_ONLY = ("thread.history", "forbidden")
NOTHING = ("not_found", "not_found")


@pytest.mark.parametrize("persona", ["alice", "bob"])
async def test_a_parent_writes_the_parents_thread_and_their_own_private_thread_only(
    personas, threads, persona
):
    other = {"alice": "bob", "bob": "alice"}[persona]
    user = personas[persona]
    assert await outcomes(user, threads) == {"parents": WRITES, persona: WRITES, other: NOTHING}
    assert await count_stored(threads) == {"parents": 1, persona: 1, other: 0}


@pytest.mark.parametrize("persona", ["carol", "pim"])
async def test_a_practitioner_reads_the_parents_thread_but_may_not_send_there(personas, threads, persona):
    user = personas[persona]
    assert (await outcomes(user, {"parents": threads["parents"]}))["parents"] == READS_ONLY
    assert await count_stored(threads) == {"parents": 0, "alice": 0, "bob": 0}


@pytest.mark.parametrize("persona", ["carol", "pim"])
async def test_a_practitioner_reads_and_writes_both_private_threads(personas, threads, persona):
    user = personas[persona]
    private = {"alice": threads["alice"], "bob": threads["bob"]}
    assert await outcomes(user, private) == {"alice": WRITES, "bob": WRITES}
    assert await count_stored(threads) == {"parents": 0, "alice": 1, "bob": 1}


async def test_a_parent_never_learns_that_the_other_parents_private_thread_exists(threads, alice):
    hidden = await not_found_errors(alice, threads["bob"].pk)
    missing = await not_found_errors(alice, MISSING_THREAD)
    assert [e["code"] for e in hidden] == ["not_found"] * 4
    assert hidden == missing  # the same detail, the same ref: nothing tells them apart


async def test_a_relative_sees_no_thread_unless_added(threads, rita):
    assert await outcomes(rita, threads) == {"parents": NOTHING, "alice": NOTHING, "bob": NOTHING}
    assert await not_found_errors(rita, threads["parents"].pk) == await not_found_errors(rita, MISSING_THREAD)


async def test_a_relative_added_to_a_thread_reads_it_and_writes_only_if_allowed(threads, rita, carol):
    add = database_sync_to_async(ThreadParticipant.objects.create)
    await add(thread=threads["parents"], user=rita, can_write=False, added_by=carol)
    await add(thread=threads["alice"], user=rita, can_write=True, added_by=carol)
    assert await outcomes(rita, threads) == {"parents": READS_ONLY, "alice": WRITES, "bob": NOTHING}
    assert await count_stored(threads) == {"parents": 0, "alice": 1, "bob": 0}


async def test_an_outsider_gets_not_found_for_every_thread_and_every_frame(threads, charlie):
    assert await outcomes(charlie, threads) == {"parents": NOTHING, "alice": NOTHING, "bob": NOTHING}
    missing = await not_found_errors(charlie, MISSING_THREAD)
    for thread in threads.values():
        assert await not_found_errors(charlie, thread.pk) == missing
    assert await count_stored(threads) == {"parents": 0, "alice": 0, "bob": 0}


async def test_an_ended_membership_loses_access_to_every_thread(threads, carol, pim):
    assert (await outcomes(pim, threads))["alice"] == WRITES
    pim_membership = await database_sync_to_async(Membership.objects.get)(user=pim)
    await database_sync_to_async(membership_end)(actor=carol, family_id=pim_membership.family_id,
                                                 membership_id=pim_membership.pk)
    assert await outcomes(pim, threads) == {"parents": NOTHING, "alice": NOTHING, "bob": NOTHING}


async def test_a_socket_stops_getting_a_threads_messages_when_the_membership_ends(threads, alice, carol, pim):
    thread = threads["alice"]
    watcher = await open_socket(pim)
    assert (await try_join(watcher, thread.pk))["type"] == "thread.history"
    pim_membership = await database_sync_to_async(Membership.objects.get)(user=pim)
    await database_sync_to_async(membership_end)(actor=carol, family_id=pim_membership.family_id,
                                                 membership_id=pim_membership.pk)
    # The thread says that pim is out (messaging.membership), and that entry is the last pim gets.
    entry = await receive(watcher)
    assert entry["type"] == "message.new" and entry["message"]["kind"] == "membership"
    change = entry["message"]["change"]
    assert change["member"]["id"] == pim.pk and change["after"] == "none"
    assert await receive(watcher) == {"type": "thread.left", "thread": thread.pk}
    writer = await open_socket(alice)
    assert (await try_send(writer, thread.pk))["type"] == "message.ack"
    await send(watcher, {"type": "ping"})
    assert (await receive(watcher))["type"] == "pong"  # and no message.new before it
    await writer.disconnect()
    await watcher.disconnect()


async def test_a_refused_join_stops_the_live_frames_of_a_thread_joined_earlier(threads, alice, pim):
    thread = threads["alice"]
    watcher = await open_socket(pim)
    assert (await try_join(watcher, thread.pk))["type"] == "thread.history"
    # The membership ends without the socket hearing of it (the live event was lost).
    await database_sync_to_async(Membership.objects.filter(user=pim).update)(ended_at=timezone.now())
    assert (await try_join(watcher, thread.pk))["code"] == "not_found"
    writer = await open_socket(alice)
    assert (await try_send(writer, thread.pk))["type"] == "message.ack"
    await send(watcher, {"type": "ping"})
    assert (await receive(watcher))["type"] == "pong"  # and no message.new before it
    await writer.disconnect()
    await watcher.disconnect()

