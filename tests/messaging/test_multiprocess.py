"""Several Daphne processes behind one Redis behave as one: a parent connected to one process
and the other parent connected to another exchange messages live.

Real processes, a real Redis (the test's own) and real WebSocket clients; see tests/processes.py.
"""

from __future__ import annotations

import pytest
from websockets.exceptions import ConnectionClosed

from messaging.models import Message

pytestmark = pytest.mark.django_db(transaction=True)


def test_parents_on_two_processes_exchange_messages_live(start_server, live_socket, threads, alice, bob):
    thread = threads["parents"]
    first, second = start_server(), start_server()
    a, b = live_socket(first, alice), live_socket(second, bob)
    for sock in (a, b):
        assert sock.join(thread.pk)["messages"] == []

    client_id = a.send_message(thread.pk, "Hoi Bob,\nhaal jij Sem op?")
    ack = a.receive_type("message.ack")
    assert ack["client_id"] == client_id
    new = b.receive_message(seq=1)
    assert new == ack["message"]
    assert new["body"] == "Hoi Bob,\nhaal jij Sem op?"
    assert new["sender"]["name"] == alice.display_name

    b.send_message(thread.pk, "Ja, om vijf uur.")
    reply = b.receive_type("message.ack")["message"]
    assert reply["seq"] == 2
    assert a.receive_message(seq=2) == reply

    b.send({"type": "message.read", "thread": thread.pk, "seq": 2})
    receipt = a.receive_type("receipt")
    assert (receipt["user"], receipt["seq"]) == (bob.pk, 2)

    stored = Message.objects.filter(thread=thread).order_by("seq").values_list("seq", "sender_id", "body")
    assert list(stored) == [(1, alice.pk, "Hoi Bob,\nhaal jij Sem op?"), (2, bob.pk, "Ja, om vijf uur.")]


def test_a_parents_second_tab_on_another_process_gets_their_own_messages(start_server, live_socket, threads,
                                                                          alice):
    thread = threads["parents"]
    phone, laptop = live_socket(start_server(), alice), live_socket(start_server(), alice)
    for sock in (phone, laptop):
        sock.join(thread.pk)
    phone.send_message(thread.pk, "Vanaf mijn telefoon")
    ack = phone.receive_type("message.ack")
    assert laptop.receive_message(seq=1) == ack["message"]


def test_a_real_server_answers_a_frame_over_64_kib_with_too_large_then_closes_with_4009(
    start_server, live_socket, threads, alice
):
    sock = live_socket(start_server(), alice)
    sock.send({"type": "message.send", "thread": threads["parents"].pk, "client_id": "c1",
               "body": "x" * 70_000})
    error = sock.receive_type("error")
    assert (error["code"], error["ref"]) == ("too_large", None)
    with pytest.raises(ConnectionClosed) as closed:
        sock.receive()
    assert closed.value.rcvd.code == 4009
    assert not Message.objects.filter(thread=threads["parents"]).exists()
