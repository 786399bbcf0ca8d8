from __future__ import annotations

import contextlib
import json
import time
import uuid
from collections.abc import Callable, Iterator
from concurrent.futures import Future

import pytest
from channels.db import database_sync_to_async
from channels.testing import WebsocketCommunicator
from django.conf import settings
from django.test import Client
from websockets.sync.client import connect as ws_connect

from messaging import notices
from messaging.models import Message, Thread
from messaging.services import threads_ensure_for_family
from tests.conftest import session_cookie_header, verified_session
from tests.processes import LiveServer, RedisServer, require_postgresql, start_daphne, start_redis


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
    """The e-mail notice jobs started after a commit in this test (futures; with the tests'
    NOTICE_DELAY_SECONDS=0 one per committed send). Each test waits for its own before the
    database is emptied: a job still running would write into the next test."""
    started: list[Future] = []
    check_soon = notices.check_soon

    def check_soon_and_keep(thread_ids):
        future = check_soon(thread_ids)
        started.append(future)
        return future

    monkeypatch.setattr(notices, "check_soon", check_soon_and_keep)
    yield started
    for future in started:
        future.result(timeout=30)


async def open_socket(user, *, origin: bytes = b"http://localhost") -> WebsocketCommunicator:
    """A real socket through the whole stack (Origin, session, second factor) for `user`."""
    from config.asgi import application

    def login():
        return session_cookie_header(verified_session(Client(HTTP_HOST="localhost"), user))

    cookie = await database_sync_to_async(login)()
    headers = [(b"origin", origin), (b"host", b"localhost"), cookie]
    communicator = WebsocketCommunicator(application, "/ws/", headers=headers)
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
    """The socket still answers: a ping gets a pong (live frames, such as a presence change, may
    come first; a closed socket raises instead)."""
    await send(communicator, {"type": "ping"})
    assert (await receive_type(communicator, "pong"))["type"] == "pong"


async def stored_messages(thread) -> list[Message]:
    return await database_sync_to_async(lambda: list(Message.objects.filter(thread=thread).order_by("seq")))()


# -- real processes: Daphne servers behind a Redis of the test's own --------------------------------

FRAME_TIMEOUT = 10  # seconds to wait for an expected frame from a real server


class LiveSocket:
    """A real WebSocket client (the `websockets` package) on a Daphne process, signed in as `user`
    with a verified session, from the server's own origin, as a browser tab would be."""

    def __init__(self, server: LiveServer, user):
        client = verified_session(Client(HTTP_HOST="127.0.0.1"), user)
        cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
        self.user = user
        self._stack = contextlib.ExitStack()
        self.connection = self._stack.enter_context(ws_connect(
            server.ws_url,
            origin=server.url,
            additional_headers={"Cookie": f"{settings.SESSION_COOKIE_NAME}={cookie}"},
            proxy=None,
            open_timeout=FRAME_TIMEOUT,
            close_timeout=2,
        ))

    def send(self, frame: dict) -> None:
        self.connection.send(json.dumps(frame))

    def receive(self, timeout: float = FRAME_TIMEOUT) -> dict:
        return json.loads(self.connection.recv(timeout=timeout))

    def receive_type(self, *frame_types: str, timeout: float = FRAME_TIMEOUT) -> dict:
        """The next frame of one of `frame_types`, skipping others (live frames may interleave)."""
        deadline = time.monotonic() + timeout
        while True:
            frame = self.receive(timeout=max(0.01, deadline - time.monotonic()))
            if frame["type"] in frame_types:
                return frame

    def frames_for(self, seconds: float) -> list[dict]:
        """Every frame that arrives within `seconds` (to show that nothing more comes)."""
        frames, deadline = [], time.monotonic() + seconds
        while (left := deadline - time.monotonic()) > 0:
            try:
                frames.append(self.receive(timeout=left))
            except TimeoutError:
                break
        return frames

    def join(self, thread_id: int, after: int = 0) -> dict:
        """thread.join, following has_more pages: the history frame, with every page's messages."""
        self.send({"type": "thread.join", "thread": thread_id, "after": after})
        frame = self.receive_type("thread.history", "thread.resync")
        messages = list(frame.get("messages", []))
        while frame["type"] == "thread.history" and frame["has_more"]:
            self.send({"type": "thread.join", "thread": thread_id, "after": messages[-1]["seq"]})
            frame = self.receive_type("thread.history")
            messages += frame["messages"]
        return {**frame, "messages": messages} if frame["type"] == "thread.history" else frame

    def send_message(self, thread_id: int, body: str, client_id: str | None = None) -> str:
        client_id = client_id or str(uuid.uuid4())
        self.send({"type": "message.send", "thread": thread_id, "client_id": client_id, "body": body})
        return client_id

    def receive_message(self, seq: int, timeout: float = FRAME_TIMEOUT) -> dict:
        """The message of the next message.new frame with `seq` (frames for other seqs, such as the
        sender's own message coming back, are skipped)."""
        deadline = time.monotonic() + timeout
        while True:
            frame = self.receive_type("message.new", timeout=max(0.01, deadline - time.monotonic()))
            if frame["message"]["seq"] == seq:
                return frame["message"]

    def close(self) -> None:
        self._stack.close()


@pytest.fixture
def redis_server(tmp_path) -> Iterator[RedisServer]:
    """A redis-server of this test's own: stopping it disturbs nobody else."""
    server = start_redis(tmp_path / "redis.log")
    yield server
    server.stop()


@pytest.fixture
def start_server(transactional_db, redis_server, tmp_path) -> Iterator[Callable[..., LiveServer]]:
    """start_server() -> a new Daphne process on the test database and the test's own Redis.
    Every process started is stopped after the test (before the test database is flushed)."""
    require_postgresql("tests with real server processes")
    servers: list[LiveServer] = []

    def start(**env) -> LiveServer:
        number = len(servers) + 1
        server = start_daphne(tmp_path / f"daphne-{number}.log", env={"REDIS_URL": redis_server.url, **env})
        servers.append(server)
        return server

    yield start
    for server in servers:
        server.stop()


@pytest.fixture
def live_socket() -> Iterator[Callable[..., LiveSocket]]:
    """live_socket(server, user) -> a LiveSocket, closed after the test."""
    sockets: list[LiveSocket] = []

    def open_(server: LiveServer, user) -> LiveSocket:
        sock = LiveSocket(server, user)
        sockets.append(sock)
        return sock

    yield open_
    for sock in sockets:
        with contextlib.suppress(Exception):  # the server may be gone already (killed on purpose)
            sock.close()


def add_relative(thread, relative, *, by, participation: str = "read", with_history: bool = True):
    """A practitioner (`by`) proposes the relative and every parent whose consent it needs says yes:
    the way a relative comes into a thread (messaging.membership). Returns the proposal."""
    from messaging import membership
    from messaging.selectors import consenting_parents

    proposal = membership.participant_propose(actor=by, thread_id=thread.pk, user_id=relative.pk,
                                              participation=participation, with_history=with_history)
    for parent in consenting_parents(thread=thread):
        membership.proposal_answer(user=parent.user, proposal_id=proposal.pk, accept=True)
    proposal.refresh_from_db()
    assert proposal.status == "added"
    return proposal
