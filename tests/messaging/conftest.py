from __future__ import annotations

import json

import pytest
from channels.db import database_sync_to_async
from channels.testing import WebsocketCommunicator
from django.test import Client

from messaging import notices
from messaging.models import Message, Thread
from messaging.services import threads_ensure_for_family
from tests.conftest import session_cookie_header, verified_session


@pytest.fixture
def threads(family, alice, bob, carol):
    threads_ensure_for_family(family=family)
    return {
        "parents": Thread.objects.get(family=family, kind="parents"),
        "alice": Thread.objects.get(family=family, kind="private", owner=alice),
        "bob": Thread.objects.get(family=family, kind="private", owner=bob),
    }


@pytest.fixture(autouse=True)
def notice_jobs(db, monkeypatch):
    """The e-mail notice jobs started in this test (futures). Each test waits for its own before
    the database is emptied: a job still running would write into the next test."""
    started = []
    schedule = notices.schedule

    def schedule_and_keep(message_id):
        future = schedule(message_id)
        started.append(future)
        return future

    monkeypatch.setattr(notices, "schedule", schedule_and_keep)
    yield started
    for future in started:
        future.result(timeout=30)


async def open_socket(user, *, origin: bytes = b"http://localhost") -> WebsocketCommunicator:
    """A real socket through the whole stack (Origin, session, second factor) for `user`."""
    from config.asgi import application

    def login():
        return session_cookie_header(verified_session(Client(HTTP_HOST="localhost"), user))

    cookie = await database_sync_to_async(login)()
    communicator = WebsocketCommunicator(application, "/ws/", headers=[(b"origin", origin), (b"host", b"localhost"), cookie])
    connected, _ = await communicator.connect()
    assert connected, "the socket was refused"
    return communicator


async def send(communicator: WebsocketCommunicator, frame) -> None:
    await communicator.send_to(text_data=frame if isinstance(frame, str) else json.dumps(frame))


async def receive(communicator: WebsocketCommunicator, timeout: float = 3) -> dict:
    return await communicator.receive_json_from(timeout=timeout)


async def receive_type(communicator: WebsocketCommunicator, frame_type: str, timeout: float = 3) -> dict:
    """The next frame of `frame_type`, skipping others (live frames may interleave)."""
    while True:
        frame = await receive(communicator, timeout)
        if frame["type"] == frame_type:
            return frame


async def assert_still_open(communicator: WebsocketCommunicator) -> None:
    """The socket still answers: a ping gets a pong."""
    await send(communicator, {"type": "ping"})
    assert (await receive(communicator))["type"] == "pong"


async def stored_messages(thread) -> list[Message]:
    return await database_sync_to_async(lambda: list(Message.objects.filter(thread=thread).order_by("seq")))()
