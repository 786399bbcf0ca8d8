from __future__ import annotations

import json

import pytest
from channels.db import database_sync_to_async
from channels.testing import WebsocketCommunicator
from django.test import Client

from messaging.models import Thread
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
