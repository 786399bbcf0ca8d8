"""A section too long to save: never "Opslaan…" for ever. Every size gets an answer the editor can
show, and nothing is stored:

- over MAX_CONTENT_CHARS (50,000) in a frame under 64 KiB: `invalid`, with the limit, `ref` the
  client_id (the editor shows it under the section, the text stays in the editor);
- a frame over 64 KiB (WS_MAX_FRAME_BYTES): `too_large` without a ref (the frame is not parsed),
  then the socket closes with 4009 (the editor fails its oldest waiting save, keeps the text);
- a frame over 1 MiB (Daphne's --websocket-max-message-size): the server's transport drops the
  connection, without an error frame or a close frame (the editor keeps the text).
The editor also checks both limits before it sends (tests/e2e/test_plan.py)."""

from __future__ import annotations

import json
import uuid

import pytest
from channels.db import database_sync_to_async
from websockets.exceptions import ConnectionClosed

from parentingplan.content import MAX_CONTENT_CHARS
from parentingplan.models import SectionRevision
from tests.messaging.conftest import (  # noqa: F401 - fixtures: real Daphne processes and their Redis
    assert_still_open,
    live_socket,
    open_socket,
    receive_type,
    redis_server,
    send,
    start_server,
)
from tests.parentingplan.conftest import section_of


def save_frame(section, content: str) -> dict:
    return {"type": "section.save", "section": section.pk, "base_revision": 0, "content": content,
            "client_id": str(uuid.uuid4())}


def frame_bytes(frame: dict) -> int:
    return len(json.dumps(frame, ensure_ascii=False).encode())


# (what, content, error code, ref is the client_id, closes with, words the detail must contain)
# fmt: off
OVERSIZE = [
    ("just over the text limit", "x" * (MAX_CONTENT_CHARS + 1), "invalid", True, None,
     ["50.001 tekens", "er passen er 50.000 in", "Er is niets opgeslagen"]),
    ("under the limit in characters, over 64 KiB in bytes", "é" * 40_000, "too_large", False, 4009,
     ["te groot", "64 KB"]),
    ("the issue's 64 KiB of plain text", "<p>" + "woord " * 11_000 + "</p>", "too_large", False, 4009,
     ["te groot", "64 KB"]),
]
# fmt: on


@pytest.mark.asyncio
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize(("what", "content", "code", "with_ref", "closes", "words"), OVERSIZE,
                         ids=[case[0] for case in OVERSIZE])
async def test_an_oversize_save_gets_an_error_frame_with_the_limit_and_stores_nothing(
    plan, alice, what, content, code, with_ref, closes, words
):
    section = await database_sync_to_async(section_of)(plan, "information")
    frame = save_frame(section, content)
    assert (frame_bytes(frame) > 64 * 1024) == (code == "too_large"), what
    sock = await open_socket(alice)
    await send(sock, frame)
    error = await receive_type(sock, "error")
    assert error["code"] == code
    assert error["ref"] == (frame["client_id"] if with_ref else None)
    for word in words:
        assert word in error["detail"]
    if closes:
        assert await sock.receive_output(timeout=3) == {"type": "websocket.close", "code": closes}
    else:
        await assert_still_open(sock)
    await sock.disconnect()
    assert not await database_sync_to_async(SectionRevision.objects.filter(section=section).exists)()


@pytest.mark.django_db
def test_the_service_refuses_a_text_over_the_limit_and_says_the_limit_in_english_too(plan, alice):
    from django.utils import translation

    from core.errors import Invalid
    from tests.parentingplan.conftest import save

    with translation.override("en"), pytest.raises(Invalid) as refused:
        save(alice, section_of(plan, "costs"), "y" * 60_000, base=0)
    assert str(refused.value.detail).startswith(
        "This section is too long to save: 60,000 characters, and 50,000 fit (formatting included).")
    assert not SectionRevision.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_a_real_server_drops_the_socket_on_a_save_over_one_mib_and_stores_nothing(
    start_server, live_socket, plan, alice, bob  # noqa: F811 - the fixtures imported above
):
    """Daphne's own limit (--websocket-max-message-size, 1 MiB): the application never sees the
    frame, so there is no error frame, and the transport drops the connection without a close
    frame (a browser reports 1006). The editor keeps the text; it never sends such a frame itself,
    as it checks the 64 KiB limit first (docs/PROTOCOL.md)."""
    section = section_of(plan, "information")
    server = start_server()
    sock = live_socket(server, alice)
    sock.send({"type": "plan.join", "plan": plan.pk})
    sock.receive_type("plan.state")
    sock.send(save_frame(section, "x" * (1024 * 1024 + 10)))
    frames = []
    with pytest.raises(ConnectionClosed) as closed:
        while True:
            frames.append(sock.receive(timeout=10))
    assert closed.value.rcvd is None  # dropped, no close frame
    assert [f["type"] for f in frames if f["type"] == "error"] == []
    assert not SectionRevision.objects.filter(section=section).exists()
    # The server itself is fine: the next socket works.
    other = live_socket(server, bob)
    other.send({"type": "plan.join", "plan": plan.pk})
    assert other.receive_type("plan.state")["plan"] == plan.pk
