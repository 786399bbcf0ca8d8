"""Faults, with real processes: Redis stopped or hanging, a Daphne process killed between the
commit and the broadcast, a resume cursor the server cannot serve.

The database is the source of truth and a live frame only a notification: whatever happens to
Redis or to a server process, a sent message is stored and acknowledged (or, when the sender's
process died first, acknowledged on the resend), and a client that resumes from the last seq it
saw gets every message exactly once. Each test has a Redis of its own (see tests/processes.py).
"""

from __future__ import annotations

import time

import pytest

from messaging.models import Message

pytestmark = pytest.mark.django_db(transaction=True)

WAIT = 15  # seconds, at most, for something that must happen


def wait_until(predicate, *, what: str, timeout: float = WAIT) -> None:
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            pytest.fail(f"timed out waiting for {what}")
        time.sleep(0.05)


def resume(sock, thread_id: int, *, after: int) -> list[dict]:
    """What the chat page does after a reconnect: join from the last seq it saw, and while the
    server says the thread is not live (Redis away), join again now and then, which also fetches
    whatever came meanwhile. Returns every message received, in order."""
    received: list[dict] = []
    deadline = time.monotonic() + WAIT
    while True:
        frame = sock.join(thread_id, after=received[-1]["seq"] if received else after)
        received += frame["messages"]
        if frame["live"]:
            return received
        if time.monotonic() > deadline:
            pytest.fail("the thread did not become live again")
        time.sleep(0.5)


def bodies(thread) -> list[str]:
    return list(Message.objects.filter(thread=thread).order_by("seq").values_list("body", flat=True))


def test_with_redis_stopped_sends_are_acknowledged_and_every_reconnecting_client_gets_each_message_once(
    start_server, live_socket, redis_server, threads, alice, bob
):
    thread = threads["parents"]
    first, second = start_server(), start_server()
    a, b = live_socket(first, alice), live_socket(second, bob)
    for sock in (a, b):
        assert sock.join(thread.pk)["live"] is True
    a.send_message(thread.pk, "Voor de storing")
    a.receive_type("message.ack")
    assert b.receive_message(seq=1)["body"] == "Voor de storing"

    redis_server.stop()
    for sock, body in ((a, "Storing 1"), (b, "Storing 2"), (a, "Storing 3")):
        client_id = sock.send_message(thread.pk, body)
        ack = sock.receive_type("message.ack")
        assert (ack["client_id"], ack["message"]["body"]) == (client_id, body)
    assert bodies(thread) == ["Voor de storing", "Storing 1", "Storing 2", "Storing 3"]

    # A process started during the outage serves sockets as well, only not live; it says so.
    third = start_server()
    tab = live_socket(third, alice)
    history = tab.join(thread.pk)
    assert [m["seq"] for m in history["messages"]] == [1, 2, 3, 4]
    assert history["live"] is False
    tab.send_message(thread.pk, "Uit een nieuw tabblad")
    assert tab.receive_type("message.ack")["message"]["seq"] == 5

    assert first.alive() and second.alive() and third.alive()
    assert "channel layer send to thread" in first.log_text()  # "... failed; clients will resync"

    redis_server.start()
    # Every client reconnects (to another process, as a load balancer may send it) and resumes
    # from the last seq it saw live.
    a_again, b_again = live_socket(third, alice), live_socket(first, bob)
    assert [m["seq"] for m in resume(a_again, thread.pk, after=1)] == [2, 3, 4, 5]
    assert [m["seq"] for m in resume(b_again, thread.pk, after=1)] == [2, 3, 4, 5]

    # Live again, across the processes, and nothing arrives twice.
    a_again.send_message(thread.pk, "Na de storing")
    assert b_again.receive_message(seq=6)["body"] == "Na de storing"
    assert [f for f in b_again.frames_for(1) if f["type"] == "message.new"] == []


def test_with_redis_hanging_sockets_connect_join_and_send_without_waiting_for_it(
    start_server, live_socket, redis_server, threads, alice, bob
):
    thread = threads["parents"]
    server = start_server()
    a = live_socket(server, alice)
    a.join(thread.pk)

    redis_server.freeze()  # accepts nothing, answers nothing: a hung server or a network partition
    client_id = a.send_message(thread.pk, "Terwijl Redis hangt")
    assert a.receive_type("message.ack")["client_id"] == client_id
    b = live_socket(server, bob)
    assert [m["body"] for m in b.join(thread.pk)["messages"]] == ["Terwijl Redis hangt"]
    assert server.alive()

    redis_server.thaw()
    resume(b, thread.pk, after=1)
    a.send_message(thread.pk, "Redis is terug")
    assert b.receive_message(seq=2)["body"] == "Redis is terug"


def test_a_process_killed_between_commit_and_broadcast_loses_nothing(
    start_server, live_socket, redis_server, threads, alice, bob
):
    thread = threads["parents"]
    doomed, survivor = start_server(), start_server()
    a, b = live_socket(doomed, alice), live_socket(survivor, bob)
    for sock in (a, b):
        sock.join(thread.pk)
    a.send_message(thread.pk, "Eerste")
    b.receive_message(seq=1)

    # Redis stops answering, so the broadcast after the commit cannot get out; the process is
    # killed while it waits for it, before any frame about the message left it.
    redis_server.freeze()
    client_id = a.send_message(thread.pk, "Tweede, vlak voor de crash")
    wait_until(lambda: Message.objects.filter(thread=thread, client_id=client_id).exists(),
               what="the message to be stored")
    doomed.kill()
    redis_server.thaw()
    stored = Message.objects.get(thread=thread, client_id=client_id)

    fresh = start_server()
    # The sender's page got no ack: after reconnecting it resends with the same client_id and
    # gets the stored message back; nothing new is stored.
    a_again = live_socket(fresh, alice)
    a_again.join(thread.pk, after=1)
    a_again.send_message(thread.pk, "Tweede, vlak voor de crash", client_id=client_id)
    ack = a_again.receive_type("message.ack")
    assert (ack["client_id"], ack["message"]["id"], ack["message"]["seq"]) == (client_id, stored.pk, 2)
    assert bodies(thread) == ["Eerste", "Tweede, vlak voor de crash"]

    # The recipient resumes from the last seq it saw and gets it, once.
    b_again = live_socket(survivor, bob)
    assert [(m["seq"], m["body"]) for m in resume(b_again, thread.pk, after=1)] == [
        (2, "Tweede, vlak voor de crash")]


def test_a_resume_cursor_the_server_cannot_serve_gets_a_resync_frame(start_server, live_socket, threads,
                                                                      alice):
    thread = threads["parents"]
    a = live_socket(start_server(), alice)
    a.join(thread.pk)
    for body in ("een", "twee"):
        a.send_message(thread.pk, body)
        a.receive_type("message.ack")

    # A tab that saw seq 7 of this thread (before a restore from backup, say) asks to resume there.
    a.send({"type": "thread.join", "thread": thread.pk, "after": 7})
    assert a.receive_type("thread.history", "thread.resync") == {
        "type": "thread.resync", "thread": thread.pk, "last_seq": 2}

    # Starting over at or below that seq gives everything; nothing was skipped in silence.
    assert [m["body"] for m in a.join(thread.pk, after=0)["messages"]] == ["een", "twee"]
