"""The socket handshake and the frame basics of /ws/, against the real ASGI application.

With REDIS_URL set the channel layer is Redis pub/sub, so the logout test goes through Redis.
"""

import time

import pytest
import pytest_asyncio
from channels.db import database_sync_to_async
from channels.testing import WebsocketCommunicator
from django.conf import settings
from django.db import connections
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.sessions import LOGIN_AT, SEEN_AT
from config.asgi import application
from core.consumers import CLOSE_FRAME_TOO_LARGE, CLOSE_SESSION_ENDED
from tests.conftest import session_cookie_header, totp_now
from tests.factories import PASSWORD

pytestmark = [pytest.mark.asyncio, pytest.mark.django_db(transaction=True)]


@pytest_asyncio.fixture(autouse=True)
async def _close_worker_connections():
    """Database work from async code runs in a worker thread; close its connections before the
    test database is flushed (PostgreSQL keeps them open for CONN_MAX_AGE)."""
    yield
    await database_sync_to_async(connections.close_all)()

ORIGIN = (b"origin", b"http://localhost")
WAIT = 5  # seconds to wait for a frame before giving up (a limit, not an assertion about speed)


def socket(*headers) -> WebsocketCommunicator:
    return WebsocketCommunicator(application, "/ws/", headers=list(headers))


async def connected(client) -> WebsocketCommunicator:
    communicator = socket(ORIGIN, session_cookie_header(client))
    ok, _ = await communicator.connect(timeout=WAIT)
    assert ok
    return communicator


async def assert_refused(communicator: WebsocketCommunicator) -> None:
    ok, _ = await communicator.connect(timeout=WAIT)
    assert not ok
    await communicator.disconnect()


async def assert_answers_ping(communicator: WebsocketCommunicator) -> None:
    await communicator.send_json_to({"type": "ping"})
    frame = await communicator.receive_json_from(timeout=WAIT)
    assert frame["type"] == "pong"
    assert "time" in frame


@pytest.fixture
def alice_client(client_for, alice):
    return client_for(alice)


# -- handshake -----------------------------------------------------------------------------------


async def test_it_refuses_a_visitor_who_is_not_logged_in(db):
    await assert_refused(socket(ORIGIN))


async def test_it_refuses_a_password_only_session(client_for, alice):
    client = await database_sync_to_async(client_for)(alice, verified=False)
    await assert_refused(socket(ORIGIN, session_cookie_header(client)))


async def test_it_refuses_a_foreign_origin(alice_client):
    await assert_refused(socket((b"origin", b"https://evil.example"), session_cookie_header(alice_client)))


async def test_it_refuses_a_handshake_without_origin(alice_client):
    await assert_refused(socket(session_cookie_header(alice_client)))


def _set_session(client, **values):
    session = client.session
    session.update(values)
    session.save()


async def test_it_refuses_an_idle_session(alice_client):
    await database_sync_to_async(_set_session)(
        alice_client, **{SEEN_AT: time.time() - settings.SESSION_IDLE_TIMEOUT - 1})
    await assert_refused(socket(ORIGIN, session_cookie_header(alice_client)))


async def test_it_refuses_a_session_past_the_absolute_limit(alice_client):
    await database_sync_to_async(_set_session)(
        alice_client, **{LOGIN_AT: time.time() - settings.SESSION_ABSOLUTE_TIMEOUT - 1})
    await assert_refused(socket(ORIGIN, session_cookie_header(alice_client)))


async def test_it_refuses_a_session_whose_authenticator_was_removed(alice_client, alice):
    await database_sync_to_async(lambda: alice.totpdevice_set.all().delete())()
    await assert_refused(socket(ORIGIN, session_cookie_header(alice_client)))


async def test_it_refuses_a_session_ended_by_signing_out_everywhere_elsewhere(client_for, alice):
    phone = await database_sync_to_async(client_for)(alice)
    laptop = await database_sync_to_async(client_for)(alice)
    await database_sync_to_async(laptop.post)(reverse("accounts:sign_out_everywhere"))
    await assert_refused(socket(ORIGIN, session_cookie_header(phone)))


async def test_it_refuses_a_session_that_logged_out(client_for, alice):
    phone = await database_sync_to_async(client_for)(alice)
    cookie = session_cookie_header(phone)
    await database_sync_to_async(phone.post)(reverse("accounts:logout"))
    await assert_refused(socket(ORIGIN, cookie))


async def test_it_accepts_a_verified_session_and_answers_a_ping(alice_client):
    communicator = await connected(alice_client)
    await assert_answers_ping(communicator)
    await communicator.disconnect()


# -- sessions ending elsewhere ---------------------------------------------------------------------


async def test_logout_closes_this_devices_socket_and_no_other(settings, alice_client, client_for, alice, bob):
    settings.SOCKET_CHECK_SECONDS = 3600  # only the live event can close it in time
    bobs_socket = await connected(await database_sync_to_async(client_for)(bob))
    her_laptop = await connected(await database_sync_to_async(client_for)(alice))
    communicator = await connected(alice_client)

    await database_sync_to_async(alice_client.post)(reverse("accounts:logout"))

    closed = await communicator.receive_output(timeout=WAIT)
    assert closed == {"type": "websocket.close", "code": CLOSE_SESSION_ENDED}
    await assert_answers_ping(her_laptop)  # her other device stays logged in
    await assert_answers_ping(bobs_socket)  # another user's socket stays open
    await communicator.disconnect()
    await her_laptop.disconnect()
    await bobs_socket.disconnect()


async def test_signing_out_everywhere_closes_the_other_sockets_but_not_its_own(settings, client_for, alice,
                                                                               bob):
    settings.SOCKET_CHECK_SECONDS = 3600  # only the live event can close them in time
    here = await database_sync_to_async(client_for)(alice)
    own = await connected(here)
    elsewhere = await connected(await database_sync_to_async(client_for)(alice))
    bobs_socket = await connected(await database_sync_to_async(client_for)(bob))

    await database_sync_to_async(here.post)(reverse("accounts:sign_out_everywhere"))

    closed = await elsewhere.receive_output(timeout=WAIT)
    assert closed == {"type": "websocket.close", "code": CLOSE_SESSION_ENDED}
    await assert_answers_ping(own)
    await assert_answers_ping(bobs_socket)
    for sock in (own, elsewhere, bobs_socket):
        await sock.disconnect()


async def test_a_password_change_closes_other_sessions_sockets_but_not_its_own(client_for, alice):
    here = await database_sync_to_async(client_for)(alice)
    own = await connected(here)
    elsewhere = await connected(await database_sync_to_async(client_for)(alice))
    new_password = "a brand new passphrase on the dike 7"

    await database_sync_to_async(here.post)(reverse("accounts:password_change"), {
        "old_password": PASSWORD, "new_password1": new_password, "new_password2": new_password,
    })

    closed = await elsewhere.receive_output(timeout=WAIT)
    assert closed == {"type": "websocket.close", "code": CLOSE_SESSION_ENDED}
    await assert_answers_ping(own)
    await elsewhere.disconnect()
    await own.disconnect()


def _replace_authenticator(client, user):
    old_device = user.totpdevice_set.get()
    response = client.post(reverse("accounts:replace_authenticator"), {"code": totp_now(old_device)})
    assert response.status_code == 302
    client.get(reverse("accounts:enrol"))
    return TOTPDevice.objects.get(user=user, confirmed=False)


async def test_replacing_the_authenticator_closes_other_sessions_sockets_but_not_its_own(client_for, alice):
    here = await database_sync_to_async(client_for)(alice)
    elsewhere = await connected(await database_sync_to_async(client_for)(alice))
    new_device = await database_sync_to_async(_replace_authenticator)(here, alice)
    own = await connected(here)  # the socket of the enrolment page

    enrol = database_sync_to_async(here.post)
    response = await enrol(reverse("accounts:enrol"), {"code": totp_now(new_device)})
    assert response.status_code == 200

    closed = await elsewhere.receive_output(timeout=WAIT)
    assert closed == {"type": "websocket.close", "code": CLOSE_SESSION_ENDED}
    await assert_answers_ping(own)
    await elsewhere.disconnect()
    await own.disconnect()


# -- frames ------------------------------------------------------------------------------------------


async def test_an_unknown_frame_type_gets_an_error_frame_and_the_socket_stays_open(alice_client):
    communicator = await connected(alice_client)
    await communicator.send_json_to({"type": "no.such.thing", "client_id": "c-1"})
    frame = await communicator.receive_json_from(timeout=WAIT)
    assert frame["type"] == "error"
    assert frame["code"] == "invalid"
    assert frame["ref"] == "c-1"
    assert frame["detail"]
    await assert_answers_ping(communicator)
    await communicator.disconnect()


async def test_malformed_json_gets_an_error_frame(alice_client):
    communicator = await connected(alice_client)
    await communicator.send_to(text_data="{not json")
    frame = await communicator.receive_json_from(timeout=WAIT)
    assert (frame["type"], frame["code"]) == ("error", "invalid")
    await assert_answers_ping(communicator)
    await communicator.disconnect()


@pytest.mark.parametrize("payload", ['["ping"]', '{"kind": "ping"}', '{"type": 7}', "null"])
async def test_a_frame_that_is_not_an_object_with_a_type_gets_an_error_frame(alice_client, payload):
    communicator = await connected(alice_client)
    await communicator.send_to(text_data=payload)
    frame = await communicator.receive_json_from(timeout=WAIT)
    assert (frame["type"], frame["code"]) == ("error", "invalid")
    await communicator.disconnect()


async def test_a_frame_over_64_kib_closes_the_socket(alice_client):
    communicator = await connected(alice_client)
    await communicator.send_json_to({"type": "ping", "pad": "x" * (64 * 1024)})
    frame = await communicator.receive_json_from(timeout=WAIT)
    assert (frame["type"], frame["code"]) == ("error", "too_large")
    closed = await communicator.receive_output(timeout=WAIT)
    assert closed == {"type": "websocket.close", "code": CLOSE_FRAME_TOO_LARGE}
    await communicator.disconnect()


async def test_a_frame_of_exactly_64_kib_is_accepted(alice_client):
    communicator = await connected(alice_client)
    head = '{"type": "ping", "pad": "'
    text = head + "x" * (64 * 1024 - len(head) - 2) + '"}'
    assert len(text.encode()) == 64 * 1024
    await communicator.send_to(text_data=text)
    assert (await communicator.receive_json_from(timeout=WAIT))["type"] == "pong"
    await communicator.disconnect()
