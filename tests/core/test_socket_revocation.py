"""An open socket stops within seconds when what its session rests on ends, whatever path ended it
(a service, the admin, the shell, `manage.py changepassword`), and also when the event telling the
socket was lost: then the socket's own periodic check (SOCKET_CHECK_SECONDS) finds it.

Attacks as they would run: an ex-partner's socket stays open while the account is disabled, the
password reset by support, or the authenticator taken away."""

from __future__ import annotations

import pytest
import pytest_asyncio
from channels.db import database_sync_to_async
from django.contrib.auth.hashers import make_password
from django.db import connections
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import User
from core.consumers import CLOSE_SESSION_ENDED
from tests.messaging.conftest import open_socket

pytestmark = [pytest.mark.asyncio, pytest.mark.django_db(transaction=True)]

WAIT = 8  # seconds to wait for the close (a limit, not an assertion about speed)


@pytest_asyncio.fixture(autouse=True)
async def _close_worker_connections():
    yield
    await database_sync_to_async(connections.close_all)()


def _deactivate_through_save(user):  # the admin's and the shell's way: save() sends signals
    user.is_active = False
    user.save()


def _deactivate_silently(user):  # no signal at all, as if the live event were lost
    User.objects.filter(pk=user.pk).update(is_active=False)


def _set_password_through_save(user):  # what `manage.py changepassword` and the admin do
    user.set_password("a completely new passphrase 42")
    user.save()


def _set_password_silently(user):
    User.objects.filter(pk=user.pk).update(password=make_password("a completely new passphrase 42"))


def _delete_authenticator(user):
    TOTPDevice.objects.filter(user=user).delete()


def _delete_authenticator_silently(user):
    TOTPDevice.objects.filter(user=user).update(confirmed=False)  # update(): no signal


def _unconfirm_authenticator(user):
    device = TOTPDevice.objects.get(user=user)
    device.confirmed = False
    device.save()


# (change, check interval): with a long interval only the live event can close the socket in time;
# with a short one the periodic check must do it, since no event is sent.
CHANGES = [
    (_deactivate_through_save, 3600),
    (_deactivate_silently, 1),
    (_set_password_through_save, 3600),
    (_set_password_silently, 1),
    (_delete_authenticator, 3600),
    (_unconfirm_authenticator, 3600),
    (_delete_authenticator_silently, 1),
]


@pytest.mark.parametrize(("change", "interval"), CHANGES, ids=[f"{c.__name__}-{i}s" for c, i in CHANGES])
async def test_the_socket_closes_when_its_session_no_longer_holds(settings, alice, change, interval):
    settings.SOCKET_CHECK_SECONDS = interval
    sock = await open_socket(alice)
    await sock.send_json_to({"type": "ping"})
    assert (await sock.receive_json_from())["type"] == "pong"

    await database_sync_to_async(change)(alice)

    closed = await sock.receive_output(timeout=WAIT)
    assert closed == {"type": "websocket.close", "code": CLOSE_SESSION_ENDED}
    await sock.disconnect()


async def test_a_socket_whose_session_still_holds_stays_open_through_its_checks(settings, alice, bob):
    settings.SOCKET_CHECK_SECONDS = 1
    sock = await open_socket(alice)
    await database_sync_to_async(_deactivate_through_save)(bob)  # someone else's account
    for _ in range(3):  # spans a few periodic checks
        await sock.send_json_to({"type": "ping"})
        assert (await sock.receive_json_from(timeout=WAIT))["type"] == "pong"
        assert await sock.receive_nothing(timeout=1)
    await sock.disconnect()
