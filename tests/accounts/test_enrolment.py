import re
from base64 import b32encode

import pytest
from django.test import Client
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import BackupCode
from audit import actions
from audit.models import AuditEntry
from tests.accounts.conftest import log_in_with_password, session_key, wrong_code
from tests.conftest import totp_now
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

ENROL = "/account/authenticator/setup/"


@pytest.fixture
def dana(db):
    """A new user who has set a password but no authenticator yet."""
    return UserFactory(email="dana@example.org", display_name="Dana Nieuw")


@pytest.fixture
def dana_client(client_for, dana):
    return client_for(dana, verified=False)


def _pending(user):
    return TOTPDevice.objects.get(user=user, confirmed=False)


def test_after_an_administrator_deletes_a_lost_phone_the_next_login_leads_to_enrolment(alice):
    # The lost-phone procedure of docs/OPERATIONS.md: the device goes, the password stays.
    alice.totpdevice_set.all().delete()
    browser = Client(HTTP_HOST="localhost")
    response = log_in_with_password(browser, alice, next_url="/account/", follow=True)
    assert response.redirect_chain[-1][0].startswith(ENROL)
    assert response.status_code == 200
    html = response.content.decode()
    assert re.search(r'<div class="qr"[^>]*>\s*<svg', html)
    assert f'data-secret="{b32encode(_pending(alice).bin_key).decode().rstrip("=")}"' in html
    # nothing else opens until the new authenticator is confirmed
    assert browser.get(reverse("accounts:security"))["Location"].startswith(ENROL)


def test_the_page_shows_an_inline_qr_code_and_the_secret_as_text(dana_client, dana):
    response = dana_client.get(ENROL)
    assert response.status_code == 200
    html = response.content.decode()
    assert re.search(r'<div class="qr"[^>]*>\s*<svg', html)
    assert "<img" not in html.split('class="qr"')[1].split("</div>")[0]
    secret = b32encode(_pending(dana).bin_key).decode().rstrip("=")
    assert f'data-secret="{secret}"' in html
    assert " ".join(secret[i : i + 4] for i in range(0, len(secret), 4)) in html


def test_the_qr_code_carries_no_inline_style(dana_client):
    html = dana_client.get(ENROL).content.decode()
    svg = html[html.index("<svg") : html.index("</svg>")]
    assert "style=" not in svg


def test_reloading_the_page_keeps_the_same_secret(dana_client, dana):
    dana_client.get(ENROL)
    first = _pending(dana).key
    dana_client.get(ENROL)
    assert TOTPDevice.objects.filter(user=dana).count() == 1
    assert _pending(dana).key == first


def test_the_code_field_asks_phones_for_digits_and_the_one_time_code(dana_client):
    html = dana_client.get(ENROL).content.decode()
    field = re.search(r'<input[^>]*name="code"[^>]*>', html).group(0)
    assert 'inputmode="numeric"' in field
    assert 'autocomplete="one-time-code"' in field


def test_a_wrong_code_shows_a_form_error_and_leaves_the_device_unconfirmed(dana_client, dana):
    dana_client.get(ENROL)
    response = dana_client.post(ENROL, {"code": wrong_code(_pending(dana))})
    assert response.status_code == 200
    assert "Deze code klopt niet" in response.content.decode()
    assert not TOTPDevice.objects.filter(user=dana, confirmed=True).exists()
    assert not AuditEntry.objects.filter(action=actions.TOTP_ENROLLED).exists()
    assert AuditEntry.objects.filter(action=actions.SECOND_FACTOR_FAILED, subject_user=dana).exists()
    # still half logged in
    assert dana_client.get(reverse("accounts:security"))["Location"].startswith(ENROL)


@pytest.mark.parametrize("typed", ["abcdef", "12345a", "１２３４５６", "12345", "1234567"])
def test_letters_or_the_wrong_length_are_refused_saying_six_digits(dana_client, dana, typed):
    dana_client.get(ENROL)
    response = dana_client.post(ENROL, {"code": typed})
    assert "De code bestaat uit zes cijfers, zonder letters." in response.content.decode()
    assert not TOTPDevice.objects.filter(user=dana, confirmed=True).exists()
    # not a guess at the code: it does not count towards the wait
    assert not AuditEntry.objects.filter(action=actions.SECOND_FACTOR_FAILED).exists()


def test_the_code_field_carries_the_six_digits_message_for_the_page_script(dana_client):
    html = dana_client.get(ENROL).content.decode()
    field = re.search(r'<input[^>]*name="code"[^>]*>', html).group(0)
    assert 'data-digits-message="De code bestaat uit zes cijfers, zonder letters.' in field
    assert '<script type="module" src="/static/js/account.js"></script>' in html


def test_the_right_code_confirms_the_device_and_shows_ten_backup_codes_once(dana_client, dana):
    dana_client.get(ENROL)
    device = _pending(dana)
    response = dana_client.post(ENROL, {"code": totp_now(device)})
    assert response.status_code == 200
    html = response.content.decode()
    device.refresh_from_db()
    assert device.confirmed
    codes = re.findall(r"<li><code>([a-z0-9]{5}-[a-z0-9]{5})</code></li>", html)
    assert len(codes) == 10 == len(set(codes))
    assert BackupCode.objects.filter(device__user=dana, used_at__isnull=True).count() == 10
    entry = AuditEntry.objects.get(action=actions.TOTP_ENROLLED)
    assert entry.actor == dana and entry.subject_user == dana

    # shown once: nowhere to be seen again
    for url in (ENROL, reverse("accounts:security"), reverse("accounts:backup_codes")):
        page = dana_client.get(url, follow=True).content.decode()
        assert not any(code in page for code in codes)


def test_a_code_with_a_space_in_the_middle_is_accepted(dana_client, dana):
    dana_client.get(ENROL)
    code = totp_now(_pending(dana))
    dana_client.post(ENROL, {"code": f"{code[:3]} {code[3:]}"})
    assert TOTPDevice.objects.filter(user=dana, confirmed=True).exists()


def test_after_enrolment_the_session_is_verified(dana_client, dana):
    dana_client.get(ENROL)
    dana_client.post(ENROL, {"code": totp_now(_pending(dana))})
    assert dana_client.get(reverse("accounts:security")).status_code == 200


def test_enrolment_changes_the_session_key(dana_client, dana):
    dana_client.get(ENROL)
    before = session_key(dana_client)
    dana_client.post(ENROL, {"code": totp_now(_pending(dana))})
    assert session_key(dana_client) != before


def test_enrolment_keeps_a_same_site_next_url(dana_client, dana):
    dana_client.get(ENROL + "?next=/account/")
    code = totp_now(_pending(dana))
    response = dana_client.post(ENROL + "?next=/account/", {"code": code, "next": "/account/"})
    assert 'href="/account/"' in response.content.decode()


def test_a_code_from_another_users_device_does_not_confirm(dana_client, dana, alice):
    dana_client.get(ENROL)
    response = dana_client.post(ENROL, {"code": totp_now(alice.totpdevice_set.get())})
    assert "Deze code klopt niet" in response.content.decode()
    assert not TOTPDevice.objects.filter(user=dana, confirmed=True).exists()


# -- on the phone that holds the authenticator ----------------------------------------------------


def test_the_page_offers_a_link_that_opens_the_authenticator_app_with_the_key(dana_client, dana):
    import html as html_lib
    from urllib.parse import parse_qs, urlsplit

    html = dana_client.get(ENROL).content.decode()
    link = re.search(r'<a class="button primary" id="otpauth-link" href="([^"]+)"', html)
    href = html_lib.unescape(link.group(1))
    parts = urlsplit(href)
    assert (parts.scheme, parts.netloc) == ("otpauth", "totp")
    query = parse_qs(parts.query)
    assert query["secret"] == [b32encode(_pending(dana).bin_key).decode().rstrip("=")]
    assert query["issuer"] == ["Kompas"] and query["digits"] == ["6"]
    assert "Open in je authenticator-app" in html


def test_the_key_is_visible_and_copyable_without_opening_anything(dana_client, dana):
    html = dana_client.get(ENROL).content.decode()
    secret = b32encode(_pending(dana).bin_key).decode().rstrip("=")
    assert "<details" not in html
    assert re.search(rf'<button type="button" class="button" hidden data-copy="{secret}"', html)
    assert "Kopieer de sleutel" in html


def test_stoppen_on_the_enrolment_page_ends_only_that_session(client_for, dana):
    first, second = client_for(dana, verified=False), client_for(dana, verified=False)
    response = first.post(reverse("accounts:logout"), follow=True)
    assert "Je bent gestopt met inloggen." in response.content.decode()
    assert first.get(ENROL)["Location"].startswith(reverse("accounts:login"))
    assert second.get(ENROL).status_code == 200
    dana.refresh_from_db()
    assert dana.session_epoch == 0


# -- backup codes: copy and download ------------------------------------------------------------


def test_the_backup_codes_can_be_downloaded_and_copied(dana_client, dana):
    import html as html_lib
    from urllib.parse import unquote

    dana_client.get(ENROL)
    html = dana_client.post(ENROL, {"code": totp_now(_pending(dana))}).content.decode()
    codes = re.findall(r"<li><code>([a-z0-9]{5}-[a-z0-9]{5})</code></li>", html)
    link = re.search(r'<a class="button" download="kompas-back-upcodes.txt" href="([^"]+)"', html).group(1)
    assert link.startswith("data:text/plain;charset=utf-8,")
    text = unquote(html_lib.unescape(link).split(",", 1)[1])
    assert all(code in text for code in codes) and len(codes) == 10
    assert "Kompas: je back-upcodes" in text
    copied = html_lib.unescape(re.search(r'data-copy="([^"]+)"', html).group(1))
    assert all(code in copied for code in codes)
