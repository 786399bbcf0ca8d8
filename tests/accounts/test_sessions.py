import time

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import UserSession as Session  # the engine's model (SESSION_ENGINE)
from accounts.sessions import LOGIN_AT, SEEN_AT
from audit import actions
from audit.models import AuditEntry
from tests.accounts.conftest import (
    age_device_throttle,
    enter_code,
    log_in_with_password,
    session_key,
    wrong_code,
)
from tests.conftest import totp_now
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db

SECURITY = "/account/"
EXPIRED_TEXT = "Je was een tijd niet actief, dus we hebben je uitgelogd."


def _set_times(client, *, login_ago: float, seen_ago: float) -> None:
    session = client.session
    now = time.time()
    session[LOGIN_AT] = now - login_ago
    session[SEEN_AT] = now - seen_ago
    session.save()


def _is_logged_out(client) -> bool:
    response = client.get(SECURITY)
    return response.status_code == 302 and response["Location"].startswith(reverse("accounts:login"))


# -- time limits ---------------------------------------------------------------------------------


def test_a_session_within_both_limits_stays(client_for, alice):
    client = client_for(alice)
    _set_times(client, login_ago=settings.SESSION_ABSOLUTE_TIMEOUT - 60,
               seen_ago=settings.SESSION_IDLE_TIMEOUT - 60)
    assert client.get(SECURITY).status_code == 200


def test_the_idle_limit_ends_the_session(client_for, alice):
    client = client_for(alice)
    old_key = session_key(client)
    _set_times(client, login_ago=settings.SESSION_IDLE_TIMEOUT + 60,
               seen_ago=settings.SESSION_IDLE_TIMEOUT + 1)
    response = client.get(SECURITY, follow=True)
    assert response.redirect_chain[0][0].startswith(reverse("accounts:login"))
    assert EXPIRED_TEXT in response.content.decode()
    assert not Session.objects.filter(session_key=old_key).exists()
    entry = AuditEntry.objects.get(action=actions.SESSION_EXPIRED)
    assert entry.subject_user == alice


def test_the_absolute_limit_ends_an_active_session(client_for, alice):
    client = client_for(alice)
    _set_times(client, login_ago=settings.SESSION_ABSOLUTE_TIMEOUT + 1, seen_ago=0)
    assert _is_logged_out(client)
    assert AuditEntry.objects.filter(action=actions.SESSION_EXPIRED, subject_user=alice).exists()


def test_the_idle_limit_ends_a_password_only_session_too(client_for, alice):
    client = client_for(alice, verified=False)
    _set_times(client, login_ago=settings.SESSION_IDLE_TIMEOUT + 60,
               seen_ago=settings.SESSION_IDLE_TIMEOUT + 1)
    response = client.get(reverse("accounts:verify"))
    assert response["Location"].startswith(reverse("accounts:login"))


def test_activity_moves_the_idle_clock_forward(client_for, alice):
    client = client_for(alice)
    _set_times(client, login_ago=600, seen_ago=120)
    before = client.session[SEEN_AT]
    client.get(SECURITY)
    assert client.session[SEEN_AT] > before + 100


def test_a_session_without_a_login_time_is_ended(client_for, alice):
    client = client_for(alice)
    session = client.session
    del session[LOGIN_AT]
    session.save()
    assert _is_logged_out(client)


# -- logout ---------------------------------------------------------------------------------------


def test_logout_ends_only_this_devices_session(client_for, alice, bob):
    phone, laptop, bobs = client_for(alice), client_for(alice), client_for(bob)
    phone_key = session_key(phone)
    response = phone.post(reverse("accounts:logout"), follow=True)
    assert "Je bent uitgelogd op dit apparaat. Op je andere apparaten verandert er niets." in (
        response.content.decode())
    assert _is_logged_out(phone)
    assert not Session.objects.filter(session_key=phone_key).exists()
    assert laptop.get(SECURITY).status_code == 200  # her other device stays logged in
    assert bobs.get(SECURITY).status_code == 200
    alice.refresh_from_db()
    assert alice.session_epoch == 0
    assert AuditEntry.objects.filter(action=actions.LOGOUT, subject_user=alice).count() == 1


# -- signing out everywhere ---------------------------------------------------------------------------


def test_the_account_page_offers_signing_out_everywhere(client_for, alice):
    html = client_for(alice).get(SECURITY).content.decode()
    assert "Overal uitloggen" in html
    assert f'action="{reverse("accounts:sign_out_everywhere")}"' in html


def test_signing_out_everywhere_ends_every_other_session_and_keeps_this_one(client_for, alice, bob):
    here, laptop, bobs = client_for(alice), client_for(alice), client_for(bob)
    someone_with_her_password = client_for(alice, verified=False)
    key_before = session_key(here)
    response = here.post(reverse("accounts:sign_out_everywhere"), follow=True)
    assert "Je bent overal anders uitgelogd (2 sessies). Hier blijf je ingelogd." in response.content.decode()
    assert here.get(SECURITY).status_code == 200
    assert session_key(here) != key_before  # a new key: nothing that knew the old one holds
    assert _is_logged_out(laptop)
    assert someone_with_her_password.get(reverse("accounts:verify"))["Location"].startswith(
        reverse("accounts:login"))
    assert bobs.get(SECURITY).status_code == 200
    assert list(Session.objects.filter(user=alice).values_list("session_key", flat=True)) == [
        session_key(here)]
    entry = AuditEntry.objects.get(action=actions.SIGNED_OUT_EVERYWHERE)
    assert entry.subject_user == alice and entry.details["sessions"] == 2


def test_signing_out_everywhere_needs_both_factors(client_for, alice):
    """Someone with only her password cannot end her sessions: the page sends them to the code."""
    laptop = client_for(alice)
    someone_with_her_password = client_for(alice, verified=False)
    response = someone_with_her_password.post(reverse("accounts:sign_out_everywhere"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("accounts:verify"))
    assert laptop.get(SECURITY).status_code == 200
    alice.refresh_from_db()
    assert alice.session_epoch == 0
    assert not AuditEntry.objects.filter(action=actions.SIGNED_OUT_EVERYWHERE).exists()


def test_signing_out_everywhere_needs_a_post(client_for, alice):
    laptop = client_for(alice)
    here = client_for(alice)
    assert here.get(reverse("accounts:sign_out_everywhere")).status_code == 405
    assert laptop.get(SECURITY).status_code == 200


def test_logout_needs_a_post(client_for, alice):
    client = client_for(alice)
    assert client.get(reverse("accounts:logout")).status_code == 405
    assert client.get(SECURITY).status_code == 200


def test_after_logout_the_next_login_needs_both_factors_again(client_for, alice):
    client = client_for(alice)
    client.post(reverse("accounts:logout"))
    log_in_with_password(client, alice)
    assert client.get(SECURITY)["Location"].startswith(reverse("accounts:verify"))


# -- password change --------------------------------------------------------------------------------


def test_a_password_change_ends_other_sessions_but_keeps_this_one(client_for, alice, bob):
    here, elsewhere, bobs = client_for(alice), client_for(alice), client_for(bob)
    key_before = session_key(here)
    new_password = "a brand new passphrase on the dike 7"
    response = here.post(reverse("accounts:password_change"), {
        "old_password": PASSWORD, "new_password1": new_password, "new_password2": new_password,
    }, follow=True)
    assert "Je wachtwoord is gewijzigd." in response.content.decode()
    assert here.get(SECURITY).status_code == 200
    assert session_key(here) != key_before
    assert _is_logged_out(elsewhere)
    assert bobs.get(SECURITY).status_code == 200
    alice.refresh_from_db()
    assert alice.check_password(new_password)
    assert AuditEntry.objects.filter(action=actions.PASSWORD_CHANGED, subject_user=alice).count() == 1


def test_a_password_change_with_the_wrong_old_password_changes_nothing(client_for, alice):
    here, elsewhere = client_for(alice), client_for(alice)
    response = here.post(reverse("accounts:password_change"), {
        "old_password": "not it",
        "new_password1": "another passphrase 99",
        "new_password2": "another passphrase 99",
    })
    assert response.status_code == 200
    assert 'class="errors"' in response.content.decode()
    alice.refresh_from_db()
    assert alice.check_password(PASSWORD)
    assert elsewhere.get(SECURITY).status_code == 200
    assert not AuditEntry.objects.filter(action=actions.PASSWORD_CHANGED).exists()


# -- replacing the authenticator ------------------------------------------------------------------


def test_replacing_the_authenticator_needs_a_code_first(client_for, alice):
    client = client_for(alice)
    response = client.get(reverse("accounts:enrol"))
    assert response["Location"] == reverse("accounts:replace_authenticator")
    response = client.post(reverse("accounts:replace_authenticator"),
                           {"code": wrong_code(alice.totpdevice_set.get())})
    assert response.status_code == 200
    assert "Deze code klopt niet" in response.content.decode()
    assert client.get(reverse("accounts:enrol"))["Location"] == reverse("accounts:replace_authenticator")
    assert TOTPDevice.objects.filter(user=alice).count() == 1


def test_replacing_the_authenticator_ends_other_sessions(client_for, alice, bob):
    here, elsewhere, bobs = client_for(alice), client_for(alice), client_for(bob)
    old_device = alice.totpdevice_set.get()

    response = here.post(reverse("accounts:replace_authenticator"), {"code": totp_now(old_device)})
    assert response["Location"] == reverse("accounts:enrol")
    page = here.get(reverse("accounts:enrol"))
    assert page.status_code == 200
    assert "Nieuwe authenticator koppelen" in page.content.decode()
    new_device = TOTPDevice.objects.get(user=alice, confirmed=False)

    response = here.post(reverse("accounts:enrol"), {"code": totp_now(new_device)})
    assert "Je nieuwe app is gekoppeld." in response.content.decode()
    devices = TOTPDevice.objects.filter(user=alice).values_list("pk", "confirmed")
    assert list(devices) == [(new_device.pk, True)]
    assert AuditEntry.objects.filter(action=actions.TOTP_REPLACED, subject_user=alice).count() == 1
    assert here.get(SECURITY).status_code == 200
    assert _is_logged_out(elsewhere)
    assert bobs.get(SECURITY).status_code == 200


def test_after_replacing_only_the_new_authenticator_works(client_for, alice):
    here = client_for(alice)
    old_device = alice.totpdevice_set.get()
    here.post(reverse("accounts:replace_authenticator"), {"code": totp_now(old_device)})
    here.get(reverse("accounts:enrol"))
    new_device = TOTPDevice.objects.get(user=alice, confirmed=False)
    here.post(reverse("accounts:enrol"), {"code": totp_now(new_device)})

    later = Client(HTTP_HOST="localhost")
    log_in_with_password(later, alice)
    assert "Deze code klopt niet" in enter_code(later, totp_now(old_device, offset_steps=1)).content.decode()
    age_device_throttle(new_device)
    assert enter_code(later, totp_now(new_device, offset_steps=1))["Location"] == reverse("families:home")


# -- language --------------------------------------------------------------------------------------


def test_switching_language_stores_it_and_renders_english(client_for, alice):
    client = client_for(alice)
    assert '<html lang="nl">' in client.get(SECURITY).content.decode()
    response = client.post(reverse("accounts:language"), {"language": "en", "next": SECURITY})
    assert response["Location"] == SECURITY
    alice.refresh_from_db()
    assert alice.language == "en"
    assert '<html lang="en">' in client.get(SECURITY).content.decode()
    entry = AuditEntry.objects.get(action=actions.LANGUAGE_CHANGED)
    assert entry.details == {"language": "en"}


def test_the_stored_language_follows_the_user_to_another_device(client_for, alice):
    client_for(alice).post(reverse("accounts:language"), {"language": "en"})
    assert '<html lang="en">' in client_for(alice).get(SECURITY).content.decode()


def test_an_unknown_language_is_not_stored(client_for, alice):
    client = client_for(alice)
    client.post(reverse("accounts:language"), {"language": "xx", "next": SECURITY})
    alice.refresh_from_db()
    assert alice.language == "nl"
    assert '<html lang="nl">' in client.get(SECURITY).content.decode()


def test_an_anonymous_visitor_can_switch_the_login_page_to_english(anon_client, db):
    response = anon_client.post(reverse("accounts:language"), {"language": "en"})
    assert response["Location"] == reverse("accounts:login")
    assert '<html lang="en">' in anon_client.get(reverse("accounts:login")).content.decode()


def test_the_language_switch_ignores_a_next_url_on_another_site(client_for, alice):
    response = client_for(alice).post(reverse("accounts:language"), {"language": "en", "next": "https://evil.example/"})
    assert response["Location"] == reverse("accounts:login")
