"""Every client frame against bad input: each error is the documented frame, `ref` repeats the
client_id, nothing is stored, and the socket stays open (except for an oversize frame)."""

from __future__ import annotations

import asyncio
import json
import uuid

import pytest

from tests.messaging.conftest import (
    assert_still_open,
    open_socket,
    receive,
    receive_type,
    send,
    stored_messages,
)

pytestmark = [pytest.mark.asyncio, pytest.mark.django_db(transaction=True)]

FRAME_TYPES = ["message.send", "thread.join", "message.read", "thread.before"]
REQUIRED = {
    "message.send": ["thread", "client_id", "body"],
    "thread.join": ["thread"],
    "message.read": ["thread", "seq"],
    "thread.before": ["thread", "before"],
}
CASES_PER_SOCKET = 10  # two frames per case (the frame and a ping) stays under the burst of 30


def good_frame(frame_type: str, thread_id: int, client_id: str | None = None) -> dict:
    frame = {
        "message.send": {"thread": thread_id, "client_id": client_id or str(uuid.uuid4()), "body": "Hoi"},
        "thread.join": {"thread": thread_id, "after": 0},
        "message.read": {"thread": thread_id, "seq": 1},
        "thread.before": {"thread": thread_id, "before": 1},
    }[frame_type]
    return {"type": frame_type, **frame}


def with_fields(frame: dict, **fields) -> dict:
    return {**frame, **fields}


def without(frame: dict, key: str) -> dict:
    return {k: v for k, v in frame.items() if k != key}


async def expect_errors(user, cases) -> None:
    """Send each (frame, code, ref) and check the one error frame that answers it; after each,
    a ping still gets a pong. A new socket every few cases keeps under the rate limit."""
    sock = None
    for n, (frame, code, ref) in enumerate(cases):
        if n % CASES_PER_SOCKET == 0:
            if sock is not None:
                await sock.disconnect()
            sock = await open_socket(user)
        await send(sock, frame)
        answer = await receive(sock)
        shown = frame if isinstance(frame, str) else json.dumps(frame)
        expected = {"type": "error", "code": code, "detail": answer.get("detail"), "ref": ref}
        assert answer == expected, shown[:200]
        assert answer["detail"], shown[:200]
        await assert_still_open(sock)
    await sock.disconnect()


async def test_malformed_json_is_invalid_and_the_socket_stays_open(threads, alice):
    thread = threads["parents"].pk
    cases = [(json.dumps(good_frame(t, thread))[:-1], "invalid", None) for t in FRAME_TYPES]
    cases += [
        ("{'type': 'message.send'}", "invalid", None),
        ('{"type": "thread.join", "thread": 1,}', "invalid", None),
        (" ", "invalid", None),
        ("[" * 60_000, "invalid", None),  # nested deeper than the parser allows, yet under 64 KiB
    ]
    await expect_errors(alice, cases)
    assert await stored_messages(threads["parents"]) == []


async def test_json_that_is_not_an_object_is_invalid(threads, alice):
    frame = good_frame("message.send", threads["parents"].pk)
    cases = [(value, "invalid", None) for value in ([frame], "message.send", 42, None, True)]
    await expect_errors(alice, [(json.dumps(value), code, ref) for value, code, ref in cases])
    assert await stored_messages(threads["parents"]) == []


async def test_an_unknown_or_missing_type_is_invalid_with_the_client_id_as_ref(threads, alice):
    frame = good_frame("message.send", threads["parents"].pk)
    ref = frame["client_id"]
    kinds = ("message.delete", "Message.Send", "message-send", "message.send.now.later", "", "send_json",
             42, None)
    cases = [(with_fields(frame, type=kind), "invalid", ref) for kind in kinds]
    cases.append((without(frame, "type"), "invalid", ref))
    await expect_errors(alice, cases)
    assert await stored_messages(threads["parents"]) == []


@pytest.mark.parametrize("frame_type", FRAME_TYPES)
async def test_a_frame_without_a_required_field_is_invalid(threads, alice, frame_type):
    frame = good_frame(frame_type, threads["parents"].pk, client_id=str(uuid.uuid4()))
    if frame_type != "message.send":
        frame["client_id"] = str(uuid.uuid4())  # any frame may carry one; errors repeat it
    cases = []
    for field in REQUIRED[frame_type]:
        ref = None if field == "client_id" else frame["client_id"]
        cases.append((without(frame, field), "invalid", ref))
    await expect_errors(alice, cases)
    assert await stored_messages(threads["parents"]) == []


async def test_message_send_with_fields_of_the_wrong_type_is_invalid(threads, alice):
    thread = threads["parents"].pk
    frame = good_frame("message.send", thread)
    ref = frame["client_id"]
    cases = [
        (with_fields(frame, thread=str(thread)), "invalid", ref),
        (with_fields(frame, thread=True), "invalid", ref),
        (with_fields(frame, thread=float(thread)), "invalid", ref),
        (with_fields(frame, thread=None), "invalid", ref),
        (with_fields(frame, thread=2**64), "invalid", ref),
        (with_fields(frame, client_id="not-a-uuid"), "invalid", "not-a-uuid"),
        (with_fields(frame, client_id=12345678901234567890123456789012), "invalid", None),
        (with_fields(frame, client_id=[ref]), "invalid", None),
        (with_fields(frame, client_id=None), "invalid", None),
        (with_fields(frame, body=42), "invalid", ref),
        (with_fields(frame, body=None), "invalid", ref),
        (with_fields(frame, body=["Hoi"]), "invalid", ref),
        (with_fields(frame, body={"text": "Hoi"}), "invalid", ref),
    ]
    await expect_errors(alice, cases)
    assert await stored_messages(threads["parents"]) == []


async def test_thread_join_with_fields_of_the_wrong_type_is_invalid(threads, alice):
    thread = threads["parents"].pk
    frame = with_fields(good_frame("thread.join", thread), client_id=str(uuid.uuid4()))
    ref = frame["client_id"]
    cases = [(with_fields(frame, thread=v), "invalid", ref) for v in (str(thread), True, None, 1.0, 10**120)]
    cases += [(with_fields(frame, after=v), "invalid", ref) for v in ("0", True, None, -1, 0.5, 2**64)]
    await expect_errors(alice, cases)


async def test_message_read_with_fields_of_the_wrong_type_is_invalid(threads, alice):
    thread = threads["parents"].pk
    frame = good_frame("message.read", thread)
    cases = [(with_fields(frame, thread=value), "invalid", None) for value in (str(thread), False, None)]
    cases += [(with_fields(frame, seq=value), "invalid", None) for value in ("1", True, None, -1, 1.5, 2**64)]
    await expect_errors(alice, cases)


async def test_thread_before_with_fields_of_the_wrong_type_is_invalid(threads, alice):
    thread = threads["parents"].pk
    frame = good_frame("thread.before", thread)
    cases = [(with_fields(frame, thread=value), "invalid", None) for value in (str(thread), True, None)]
    cases += [(with_fields(frame, before=value), "invalid", None) for value in ("5", True, None, 0, -1, 2.0)]
    await expect_errors(alice, cases)


async def test_an_empty_or_blank_body_is_invalid_and_nothing_is_stored(threads, alice):
    frame = good_frame("message.send", threads["parents"].pk)
    ref = frame["client_id"]
    cases = [(with_fields(frame, body=body), "invalid", ref) for body in ("", " ", "\n\t \r\n")]
    await expect_errors(alice, cases)
    assert await stored_messages(threads["parents"]) == []


async def test_a_body_of_4001_characters_is_invalid_and_nothing_is_stored(threads, alice):
    frame = good_frame("message.send", threads["parents"].pk)
    cases = [(with_fields(frame, body=body), "invalid", frame["client_id"])
             for body in ("x" * 4001, "é" * 4001, "  " + "😀" * 4001 + "\n")]
    await expect_errors(alice, cases)
    assert await stored_messages(threads["parents"]) == []


async def test_a_body_of_4000_characters_is_accepted_after_trimming(threads, alice):
    body = "é" + "x" * 3998 + "!"
    frame = with_fields(good_frame("message.send", threads["parents"].pk), body=f"  {body}\n\n")
    sock = await open_socket(alice)
    await send(sock, frame)
    ack = await receive(sock)
    assert ack["type"] == "message.ack" and ack["client_id"] == frame["client_id"]
    assert ack["message"]["body"] == body and len(body) == 4000
    assert [m.body for m in await stored_messages(threads["parents"])] == [body]
    await sock.disconnect()


async def test_an_ack_repeats_the_client_id_as_the_client_wrote_it(threads, alice):
    client_id = str(uuid.uuid4()).upper()
    sock = await open_socket(alice)
    await send(sock, good_frame("message.send", threads["parents"].pk, client_id=client_id))
    ack = await receive(sock)
    assert ack["type"] == "message.ack" and ack["client_id"] == client_id
    await send(sock, good_frame("message.send", 999_999, client_id=client_id))
    error = await receive(sock)
    assert error["code"] == "not_found" and error["ref"] == client_id
    await sock.disconnect()


async def test_a_binary_frame_gets_invalid_and_the_socket_stays_open(threads, alice):
    sock = await open_socket(alice)
    await sock.send_to(bytes_data=b"\x00\x01 geen tekst")
    error = await receive(sock)
    assert (error["type"], error["code"], error["ref"]) == ("error", "invalid", None)
    assert "JSON" in error["detail"]
    await assert_still_open(sock)
    await sock.disconnect()


async def test_a_frame_over_64_kib_gets_too_large_and_the_socket_closes_with_4009(threads, alice):
    frame = with_fields(good_frame("message.send", threads["parents"].pk), body="x" * (64 * 1024))
    sock = await open_socket(alice)
    await send(sock, frame)
    error = await receive(sock)
    assert error == {"type": "error", "code": "too_large", "detail": error["detail"], "ref": None}
    assert await sock.receive_output(timeout=3) == {"type": "websocket.close", "code": 4009}
    await sock.disconnect()
    assert await stored_messages(threads["parents"]) == []


async def test_a_flood_is_rate_limited_with_the_client_id_as_ref_and_nothing_refused_is_stored(
    threads, alice
):
    thread = threads["parents"]
    # Cheap frames first (answered without the database) use up the burst of 30 however slow
    # the machine is; the messages after them arrive while the bucket is empty.
    cheap = [{"type": "nothing.here", "client_id": str(uuid.uuid4())} for _n in range(30)]
    messages = [good_frame("message.send", thread.pk) | {"body": f"bericht {n}"} for n in range(15)]
    sock = await open_socket(alice)
    for frame in cheap + messages:
        await send(sock, frame)
    acked, limited = [], []
    for frame in cheap + messages:  # one answer per frame, in order
        answer = await receive(sock)
        if answer["type"] == "message.ack":
            assert answer["client_id"] == frame["client_id"]
            acked.append(frame["body"])
        else:
            assert answer["type"] == "error" and answer["ref"] == frame["client_id"]
            assert answer["code"] in ("invalid", "rate_limited")
            if answer["code"] == "rate_limited":
                limited.append(frame.get("body"))
    assert [body for body in limited if body], "messages sent into an empty bucket are refused"
    assert [m.body for m in await stored_messages(thread)] == acked
    await asyncio.sleep(0.5)  # let the bucket refill a little
    await assert_still_open(sock)
    await sock.disconnect()


async def test_a_sustained_flood_closes_the_socket_with_4029(threads, alice):
    sock = await open_socket(alice)
    for _n in range(200):
        await send(sock, {"type": "nothing.here"})
    codes = []
    while True:
        output = await sock.receive_output(timeout=3)
        if output["type"] == "websocket.close":
            break
        codes.append(json.loads(output["text"])["code"])
    assert output["code"] == 4029
    assert set(codes) == {"invalid", "rate_limited"} and codes[-1] == "rate_limited"
    await sock.disconnect()


async def test_a_valid_frame_after_errors_still_works(threads, alice):
    sock = await open_socket(alice)
    await send(sock, "{")
    assert (await receive(sock))["code"] == "invalid"
    await send(sock, good_frame("thread.join", threads["parents"].pk))
    history = await receive_type(sock, "thread.history")
    assert history["messages"] == [] and history["last_seq"] == 0
    await sock.disconnect()
