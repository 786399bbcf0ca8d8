"""Throwing a parent out, tried as the attacker would, against a real open socket (the whole ASGI
stack: Origin, session, second factor) of a parent who logged in through the real pages.

- The other parent knows her password and presses "Stoppen" on the code page: her chat stays open.
- She signs out one of her devices on the account page: that device's socket closes at once, the
  others stay; someone else cannot sign her devices out.
- A new password through the e-mail link, and the coordinator resetting her second factor, end
  every session and socket of hers.
"""

from __future__ import annotations

import re

import pytest
import pytest_asyncio
from channels.db import database_sync_to_async
from channels.testing import WebsocketCommunicator
from django.conf import settings
from django.core import mail
from django.db import connections
from django.urls import reverse

from accounts.models import TrustedDevice
from audit import actions
from audit.models import AuditEntry
from core.consumers import CLOSE_SESSION_ENDED
from tests.accounts.conftest import LAPTOP_UA, browser, full_login, is_verified_page, log_in_with_password

pytestmark = [pytest.mark.asyncio, pytest.mark.django_db(transaction=True)]

WAIT = 8  # seconds to wait for a frame or a close (a limit, not an assertion about speed)
sync = database_sync_to_async


@pytest_asyncio.fixture(autouse=True)
async def _close_worker_connections():
    yield
    await sync(connections.close_all)()


async def socket_for(client) -> WebsocketCommunicator:
    from config.asgi import application

    cookie = f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"
    headers = [(b"origin", b"http://localhost"), (b"host", b"localhost"), (b"cookie", cookie.encode())]
    communicator = WebsocketCommunicator(application, "/ws/", headers=headers)
    connected, _ = await communicator.connect()
    assert connected, "the socket was refused"
    return communicator


async def assert_open(sock, *, rounds: int = 1) -> None:
    for _ in range(rounds):
        await sock.send_json_to({"type": "ping"})
        assert (await sock.receive_json_from(timeout=WAIT))["type"] == "pong"
        assert await sock.receive_nothing(timeout=1)


async def assert_closed(sock) -> None:
    assert await sock.receive_output(timeout=WAIT) == {"type": "websocket.close", "code": CLOSE_SESSION_ENDED}


def _device_id(client) -> str:
    return client.cookies[settings.TRUSTED_DEVICE_COOKIE_NAME].value.split(".")[0]


async def test_the_other_parent_pressing_stoppen_on_her_code_page_leaves_her_chat_open(settings, alice):
    settings.SOCKET_CHECK_SECONDS = 1  # the periodic checks run too: nothing may make them fail
    phone = await sync(full_login)(browser("203.0.113.5"), alice)
    sock = await socket_for(phone)
    await assert_open(sock)

    bob_with_her_password = browser("198.51.100.7", LAPTOP_UA)
    response = await sync(log_in_with_password)(bob_with_her_password, alice)
    assert response["Location"].startswith(reverse("accounts:verify"))
    response = await sync(bob_with_her_password.post)(reverse("accounts:logout"), follow=True)
    assert "Je bent gestopt met inloggen." in response.content.decode()

    await assert_open(sock, rounds=3)
    assert await sync(is_verified_page)(phone)
    abandoned = AuditEntry.objects.filter(action=actions.LOGIN_ABANDONED, subject_user=alice)
    assert await sync(abandoned.count)() == 1
    assert not await sync(AuditEntry.objects.filter(action=actions.LOGOUT).exists)()
    await sock.disconnect()


async def test_signing_out_a_device_closes_its_socket_at_once_and_leaves_the_others_open(settings, alice):
    settings.SOCKET_CHECK_SECONDS = 3600  # only the live event can close it in time
    phone = await sync(full_login)(browser("203.0.113.5"), alice)
    laptop = await sync(full_login)(browser("203.0.113.6", LAPTOP_UA), alice)
    phone_sock, laptop_sock = await socket_for(phone), await socket_for(laptop)

    response = await sync(laptop.post)(reverse("accounts:sign_out"), {"device": _device_id(phone)},
                                       follow=True)
    assert "Chrome op Android is uitgelogd." in response.content.decode()

    await assert_closed(phone_sock)
    await assert_open(laptop_sock)
    response = await sync(phone.get)(reverse("accounts:security"))
    assert response["Location"].startswith(reverse("accounts:login"))
    assert await sync(is_verified_page)(laptop)
    device = await sync(TrustedDevice.objects.get)(pk=_device_id(phone))
    assert device.revoked_at is not None
    entry = await sync(AuditEntry.objects.get)(action=actions.DEVICE_SIGNED_OUT)
    assert (entry.actor_id, entry.details["sessions"]) == (alice.pk, 1)
    await laptop_sock.disconnect()


async def test_nobody_can_sign_out_someone_elses_device(settings, alice, bob):
    settings.SOCKET_CHECK_SECONDS = 1
    phone = await sync(full_login)(browser("203.0.113.5"), alice)
    sock = await socket_for(phone)
    bobs = await sync(full_login)(browser("198.51.100.7", LAPTOP_UA), bob)

    response = await sync(bobs.post)(reverse("accounts:sign_out"), {"device": _device_id(phone)}, follow=True)
    assert "Dit apparaat staat niet (meer) in je lijst." in response.content.decode()

    await assert_open(sock, rounds=2)
    assert await sync(is_verified_page)(phone)
    assert await sync(TrustedDevice.objects.filter(pk=_device_id(phone), revoked_at__isnull=True).exists)()
    await sock.disconnect()


async def test_a_new_password_by_email_ends_every_other_session_and_socket(settings, alice):
    settings.SOCKET_CHECK_SECONDS = 3600
    phone = await sync(full_login)(browser("203.0.113.5"), alice)
    sock = await socket_for(phone)

    forgetful = browser("192.0.2.44", LAPTOP_UA)
    await sync(forgetful.post)(reverse("accounts:password_reset"), {"email": alice.email})
    link = re.search(r"http://\S+/login/reset/\S+/", mail.outbox[-1].body).group(0)
    response = await sync(forgetful.get)(link, follow=True)
    new_password = "een heel nieuw wachtwoord op de dijk"
    response = await sync(forgetful.post)(response.redirect_chain[-1][0],
                                          {"new_password1": new_password, "new_password2": new_password})
    assert response["Location"].startswith(reverse("accounts:verify"))

    await assert_closed(sock)
    response = await sync(phone.get)(reverse("accounts:security"))
    assert response["Location"].startswith(reverse("accounts:login"))


async def test_the_coordinator_resetting_her_second_factor_ends_her_sessions_and_socket(
        settings, alice, carol, family):
    from families.models import Membership

    settings.SOCKET_CHECK_SECONDS = 3600
    phone = await sync(full_login)(browser("203.0.113.5"), alice)
    sock = await socket_for(phone)
    coordinator = await sync(full_login)(browser("198.51.100.9", LAPTOP_UA), carol)
    membership = await sync(Membership.objects.get)(user=alice, family=family)

    url = reverse("families:member_second_factor_reset", args=[family.pk, membership.pk])
    response = await sync(coordinator.post)(url)
    assert response.status_code == 302

    await assert_closed(sock)
    response = await sync(phone.get)(reverse("accounts:security"))
    assert response["Location"].startswith(reverse("accounts:login"))
