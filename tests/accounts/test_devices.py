"""The account page's list of sessions and devices, and signing one out (accounts.devices). The
sockets' side of it is in test_socket_attacks.py."""

import re

import pytest
from django.conf import settings
from django.urls import reverse

from accounts.devices import session_ref
from accounts.models import LoginThrottle, TrustedDevice, UserSession
from audit import actions
from audit.models import AuditEntry
from tests.accounts.conftest import (
    LAPTOP_UA,
    browser,
    full_login,
    is_verified_page,
    log_in_with_password,
    session_key,
)

pytestmark = pytest.mark.django_db

SECURITY = "/account/"


def _sessions_block(client) -> str:
    html = client.get(SECURITY).content.decode()
    start = html.index('<section class="panel" id="sessions"')
    return html[start:html.index("</section>", start)]


def _device_id(client) -> int:
    return int(client.cookies[settings.TRUSTED_DEVICE_COOKIE_NAME].value.split(".")[0])


def test_a_full_login_makes_the_browser_a_trusted_device_with_a_cookie_only_it_holds(alice):
    phone = full_login(browser(), alice)
    cookie = phone.cookies[settings.TRUSTED_DEVICE_COOKIE_NAME]
    assert cookie["httponly"] and cookie["samesite"] == "Lax"
    assert cookie["max-age"] == settings.TRUSTED_DEVICE_DAYS * 24 * 3600
    device = TrustedDevice.objects.get(user=alice)
    token = cookie.value.split(".", 1)[1]
    assert token not in device.token_digest and len(token) >= 40
    assert AuditEntry.objects.filter(action=actions.DEVICE_TRUSTED, subject_user=alice).count() == 1


def test_logging_in_again_on_the_same_browser_keeps_one_device(alice):
    phone = full_login(browser(), alice)
    phone.post(reverse("accounts:logout"))
    full_login(phone, alice)
    assert TrustedDevice.objects.filter(user=alice).count() == 1


def test_a_password_only_session_makes_no_trusted_device(client_for, alice):
    log_in_with_password(browser(), alice)
    assert not TrustedDevice.objects.exists()


def test_the_page_lists_her_devices_and_marks_this_one(alice):
    phone = full_login(browser("192.0.2.1"), alice)
    full_login(browser("192.0.2.2", LAPTOP_UA), alice)
    block = _sessions_block(phone)
    assert "Chrome op Android" in block and "Firefox op Linux" in block
    assert block.count("dit apparaat") == 1
    # this device has no sign-out button of its own (that is "Uitloggen" at the top), the other has one
    assert len(re.findall(r'name="device" value="\d+"', block)) == 1
    assert f'name="device" value="{_device_id(phone)}"' not in block


def test_the_list_is_in_english_for_an_english_reader(alice):
    phone = full_login(browser(), alice)
    phone.post(reverse("accounts:language"), {"language": "en"})
    assert "Chrome on Android" in _sessions_block(phone)


def test_the_page_shows_only_her_own_devices(alice, bob):
    phone = full_login(browser("192.0.2.1"), alice)
    full_login(browser("192.0.2.2", LAPTOP_UA), bob)
    assert "Firefox op Linux" not in _sessions_block(phone)


def test_sessions_ended_by_a_logout_are_not_listed(alice):
    phone = full_login(browser("192.0.2.1"), alice)
    laptop = full_login(browser("192.0.2.2", LAPTOP_UA), alice)
    laptop.post(reverse("accounts:logout"))  # ends the laptop's session only
    block = _sessions_block(phone)
    assert "Nu ingelogd (1 sessie)" in block  # the phone: still logged in
    assert "Nu niet ingelogd" in block  # the laptop: still known, no session


def test_signing_out_everywhere_stops_trusting_her_other_browsers_but_not_this_one(alice):
    phone = full_login(browser("192.0.2.1"), alice)
    laptop = full_login(browser("192.0.2.2", LAPTOP_UA), alice)
    phone.post(reverse("accounts:sign_out_everywhere"))
    assert TrustedDevice.objects.get(pk=_device_id(laptop)).revoked_at is not None
    assert TrustedDevice.objects.get(pk=_device_id(phone)).revoked_at is None
    assert not is_verified_page(laptop)
    block = _sessions_block(phone)
    assert "Firefox op Linux" not in block  # no longer listed: it must log in with both factors again
    assert "Nu ingelogd (1 sessie)" in block


def test_a_login_stopped_after_the_password_on_a_strange_browser_is_listed_and_can_be_ended(alice):
    phone = full_login(browser("192.0.2.1"), alice)
    bob_with_her_password = browser("198.51.100.7", LAPTOP_UA)
    log_in_with_password(bob_with_her_password, alice)
    block = _sessions_block(phone)
    assert "Alleen met je wachtwoord" in block
    ref = re.search(r'name="session" value="([0-9a-f]+)"', block).group(1)
    assert ref == session_ref(session_key(bob_with_her_password))
    assert session_key(bob_with_her_password) not in phone.get(SECURITY).content.decode()

    response = phone.post(reverse("accounts:sign_out"), {"session": ref}, follow=True)
    assert "Die sessie is afgesloten." in response.content.decode()
    response = bob_with_her_password.get(reverse("accounts:verify"))
    assert response["Location"].startswith(reverse("accounts:login"))
    assert is_verified_page(phone)
    assert AuditEntry.objects.filter(action=actions.SESSION_SIGNED_OUT, actor=alice).count() == 1
    assert "Alleen met je wachtwoord" not in _sessions_block(phone)


def test_signing_out_a_device_ends_its_sessions_and_its_trust(alice):
    phone = full_login(browser("192.0.2.1"), alice)
    laptop = full_login(browser("192.0.2.2", LAPTOP_UA), alice)
    response = phone.post(reverse("accounts:sign_out"), {"device": _device_id(laptop)}, follow=True)
    assert "Firefox op Linux is uitgelogd." in response.content.decode()
    assert not is_verified_page(laptop)
    assert is_verified_page(phone)
    assert not UserSession.objects.filter(device_id=_device_id(laptop)).exists()
    assert "Firefox op Linux" not in _sessions_block(phone)
    # the laptop is a stranger again: its wrong passwords count as an unknown device's
    assert TrustedDevice.objects.get(pk=_device_id(laptop)).revoked_at is not None
    log_in_with_password(laptop, alice, password="wrong")
    assert set(LoginThrottle.objects.values_list("kind", flat=True)) == {"pw:acct-addr", "pw:acct", "pw:addr"}


def test_the_device_in_use_cannot_be_signed_out_from_the_list(alice):
    phone = full_login(browser(), alice)
    response = phone.post(reverse("accounts:sign_out"), {"device": _device_id(phone)}, follow=True)
    assert "Dit is het apparaat dat je nu gebruikt." in response.content.decode()
    assert is_verified_page(phone)


def test_someone_elses_session_cannot_be_ended_by_its_name(alice, bob):
    phone = full_login(browser("192.0.2.1"), alice)
    bobs = full_login(browser("192.0.2.2", LAPTOP_UA), bob)
    ref = session_ref(session_key(phone))
    response = bobs.post(reverse("accounts:sign_out"), {"session": ref}, follow=True)
    assert "Deze sessie is al afgesloten." in response.content.decode()
    assert is_verified_page(phone)


@pytest.mark.parametrize("posted", [{"device": "x"}, {"device": "9" * 23}, {"session": ""}, {}])
def test_nonsense_is_a_message_not_an_error(client_for, alice, posted):
    client = client_for(alice)
    response = client.post(reverse("accounts:sign_out"), posted, follow=True)
    assert response.status_code == 200
    assert is_verified_page(client)


def test_signing_out_needs_a_verified_session_and_a_post(client_for, alice):
    phone = full_login(browser(), alice)
    half = client_for(alice, verified=False)
    response = half.post(reverse("accounts:sign_out"), {"device": _device_id(phone)})
    assert response["Location"].startswith(reverse("accounts:verify"))
    assert client_for(alice).get(reverse("accounts:sign_out")).status_code == 405
    assert is_verified_page(phone)


def test_a_session_past_both_factors_on_no_trusted_device_is_listed_as_a_browser(client_for, alice):
    # (made before devices were kept, as the tests' own logins are)
    here, there = client_for(alice), client_for(alice)
    block = _sessions_block(here)
    assert block.count('<span class="device-name">Een browser</span>') == 2
    assert block.count("dit apparaat") == 1
    assert block.count('name="session"') == 1  # the other one: this one logs out with "Uitloggen"
    ref = re.search(r'name="session" value="([0-9a-f]+)"', block).group(1)
    assert ref == session_ref(session_key(there))
    here.post(reverse("accounts:sign_out"), {"session": ref})
    assert not is_verified_page(there) and is_verified_page(here)
