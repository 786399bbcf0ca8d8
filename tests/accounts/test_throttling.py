"""Login throttling as attackers run it (accounts.throttle; docs/ARCHITECTURE.md "Login throttling").

The scheme: a trusted device (a browser that once passed both factors) counts only its own
failures; everywhere else failures count per account and address, per account and per address,
with a few free ones and then a wait that doubles. The attacks: a stranger who knows only the
e-mail address hammers wrong passwords; the other parent, who knows the password, hammers wrong
codes. Neither may lock the real parent out of her own phone.
"""

import re
from datetime import timedelta

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts import throttle
from accounts.models import LoginThrottle
from audit import actions
from audit.models import AuditEntry
from tests.accounts.conftest import (
    LAPTOP_UA,
    age_throttles,
    browser,
    enter_code,
    full_login,
    log_in_with_password,
    next_code,
    wrong_code,
)
from tests.conftest import totp_now

pytestmark = pytest.mark.django_db

WAIT_PAGE = "Er is te vaak een verkeerd wachtwoord ingevuld."
WAIT_TIME = re.compile(
    r"Je kunt het over (\d+) (seconden?|minuut|minuten|uur) \(om (\d\d:\d\d)\) opnieuw proberen\.")


def _free(kind: str) -> int:
    return throttle.policy(kind).free


def _wrong_passwords(client, user_or_email, times: int):
    email = getattr(user_or_email, "email", user_or_email)
    return [client.post(reverse("accounts:login"), {"email": email, "password": f"not it {n}"})
            for n in range(times)]


def _reaches_code_page(response) -> bool:
    return response.status_code == 302 and response["Location"].startswith(reverse("accounts:verify"))


def _wait_shown(response) -> re.Match:
    assert response.status_code in (200, 429), response.status_code
    match = WAIT_TIME.search(response.content.decode())
    assert match, response.content.decode()[:3000]
    return match


def _spread_over_addresses(email: str, failures: int) -> None:
    """A stranger with many addresses: each address stays within its own free failures."""
    per_address = _free("pw:acct-addr")
    for n in range(0, failures, per_address):
        _wrong_passwords(browser(f"198.51.100.{n // per_address + 1}"), email, min(per_address, failures - n))


# -- a stranger with only the e-mail address ------------------------------------------------------


def test_a_stranger_hammering_wrong_passwords_never_locks_the_parent_out_of_her_trusted_phone(alice):
    phone = full_login(browser("203.0.113.5"), alice)
    phone.post(reverse("accounts:logout"))

    # From one address until it waits, then from many more, until unknown devices of the account wait.
    _wrong_passwords(browser("198.51.100.200"), alice, _free("pw:acct-addr") + 3)
    _spread_over_addresses(alice.email, _free("pw:acct") + 5)
    assert _wait_shown(log_in_with_password(browser("192.0.2.99", LAPTOP_UA), alice))  # a new browser waits

    response = log_in_with_password(phone, alice)  # her own phone does not
    assert _reaches_code_page(response)
    assert enter_code(phone, next_code(alice.totpdevice_set.get()))["Location"] == reverse("families:home")


def test_the_stranger_is_slowed_down_at_his_address_even_when_he_then_guesses_right(alice):
    stranger = browser("198.51.100.7")
    responses = _wrong_passwords(stranger, alice, _free("pw:acct-addr") + 1)
    assert all("horen niet bij elkaar" in r.content.decode() for r in responses[:-1])
    last = responses[-1]
    assert last.status_code == 429
    assert WAIT_PAGE in last.content.decode()
    assert _wait_shown(last).group(1, 2) == ("1", "minuut")

    response = log_in_with_password(stranger, alice)  # the right password, during the wait
    assert response.status_code == 429
    assert "_auth_user_id" not in stranger.session


def test_the_wait_tells_the_local_clock_time_it_ends(alice):
    _wrong_passwords(browser(), alice, _free("pw:acct-addr") + 1)
    response = log_in_with_password(browser(), alice)
    until = LoginThrottle.objects.filter(kind="pw:acct-addr").get().blocked_until
    assert _wait_shown(response).group(3) == timezone.localtime(until).strftime("%H:%M")


def test_each_failure_after_a_wait_doubles_the_next_wait(alice):
    stranger = browser()
    _wrong_passwords(stranger, alice, _free("pw:acct-addr") + 1)
    waits = []
    for _ in range(3):
        age_throttles(seconds=3600)  # he waited it out
        response = _wrong_passwords(stranger, alice, 1)[0]
        waits.append(_wait_shown(response).group(1, 2))
    assert waits == [("2", "minuten"), ("4", "minuten"), ("8", "minuten")]


def test_the_longest_wait_is_capped(alice):
    stranger = browser()
    _wrong_passwords(stranger, alice, _free("pw:acct-addr") + 1)
    for _ in range(12):
        age_throttles(seconds=24 * 3600 - 60)  # within the day the count is kept
        _wrong_passwords(stranger, alice, 1)
    row = LoginThrottle.objects.get(kind="pw:acct-addr")
    longest = timedelta(seconds=throttle.policy("pw:acct-addr").longest_wait)
    assert row.blocked_until - row.last_failure_at == longest


def test_a_blocked_address_does_not_block_the_parent_on_another_address(alice):
    _wrong_passwords(browser("198.51.100.7"), alice, _free("pw:acct-addr") + 3)
    assert _reaches_code_page(log_in_with_password(browser("192.0.2.44", LAPTOP_UA), alice))


def test_many_addresses_make_new_browsers_wait_for_the_account_too(alice):
    _spread_over_addresses(alice.email, _free("pw:acct") + 1)
    response = log_in_with_password(browser("192.0.2.250", LAPTOP_UA), alice)
    assert response.status_code == 429
    assert _wait_shown(response)
    entry = AuditEntry.objects.filter(action=actions.LOCKOUT_PASSWORD, details__keys=["pw:acct"]).get()
    assert entry.subject_user == alice and entry.result == AuditEntry.Result.DENIED


def test_the_wait_page_offers_a_new_password_by_email(alice):
    response = _wrong_passwords(browser(), alice, _free("pw:acct-addr") + 1)[-1]
    html = response.content.decode()
    assert reverse("accounts:password_reset") in html
    assert "Op een apparaat waarop je al eerder met je code bent ingelogd, kun je gewoon inloggen" in html


def test_an_address_without_an_account_gets_the_very_same_answers(alice):
    known = _wrong_passwords(browser("198.51.100.1"), alice, _free("pw:acct-addr") + 1)
    unknown = _wrong_passwords(browser("198.51.100.2"), "nobody@example.org", _free("pw:acct-addr") + 1)
    assert [r.status_code for r in known] == [r.status_code for r in unknown]
    assert _wait_shown(known[-1]).group(1, 2) == _wait_shown(unknown[-1]).group(1, 2)


def test_changing_the_case_of_the_address_does_not_dodge_the_count(alice):
    stranger = browser()
    for n in range(_free("pw:acct-addr") + 1):
        email = alice.email.upper() if n % 2 else alice.email.title()
        stranger.post(reverse("accounts:login"), {"email": email, "password": f"not it {n}"})
    assert log_in_with_password(stranger, alice).status_code == 429


def test_the_keys_are_stored_as_digests_not_as_addresses(alice):
    _wrong_passwords(browser("198.51.100.7"), alice, 1)
    for row in LoginThrottle.objects.all():
        assert alice.email not in row.digest and "198.51.100.7" not in row.digest
        assert re.fullmatch(r"[0-9a-f]{64}", row.digest)


def test_the_first_wait_is_audited_once_per_key(alice):
    stranger = browser()
    _wrong_passwords(stranger, alice, _free("pw:acct-addr") + 1)
    age_throttles(seconds=3600)
    _wrong_passwords(stranger, alice, 1)
    entries = AuditEntry.objects.filter(action=actions.LOCKOUT_PASSWORD)
    assert [e.details["keys"] for e in entries] == [["pw:acct-addr"]]
    assert AuditEntry.objects.filter(action=actions.LOGIN_PASSWORD_FAILED, subject_user=alice).count() == \
        _free("pw:acct-addr") + 2


def test_a_right_password_clears_the_count_of_that_address(alice):
    client = browser()
    for _round in range(3):
        _wrong_passwords(client, alice, _free("pw:acct-addr") - 1)
        assert _reaches_code_page(log_in_with_password(client, alice))


def test_after_the_wait_the_right_password_works_again(alice):
    stranger_address = browser("198.51.100.7")
    _wrong_passwords(stranger_address, alice, _free("pw:acct-addr") + 1)
    age_throttles(seconds=61)
    assert _reaches_code_page(log_in_with_password(stranger_address, alice))


def test_a_count_is_forgotten_after_a_day_without_failures(alice):
    client = browser()
    _wrong_passwords(client, alice, _free("pw:acct-addr"))
    age_throttles(seconds=24 * 3600 + 1)
    responses = _wrong_passwords(client, alice, _free("pw:acct-addr"))
    assert all(r.status_code == 200 for r in responses)


# -- the trusted device ----------------------------------------------------------------------------


def test_a_trusted_device_counts_only_its_own_wrong_passwords(alice):
    phone = full_login(browser("203.0.113.5"), alice)
    phone.post(reverse("accounts:logout"))
    responses = _wrong_passwords(phone, alice, _free("pw:device") + 1)
    assert responses[-1].status_code == 429
    assert _wait_shown(responses[-1])
    # its failures are its own: a new browser of hers is not held up by them
    assert _reaches_code_page(log_in_with_password(browser("203.0.113.5", LAPTOP_UA), alice))


def test_a_forged_device_cookie_counts_as_an_unknown_device(alice):
    phone = full_login(browser(), alice)
    device_id = phone.cookies[settings.TRUSTED_DEVICE_COOKIE_NAME].value.split(".")[0]
    stranger = browser("198.51.100.7")
    stranger.cookies[settings.TRUSTED_DEVICE_COOKIE_NAME] = f"{device_id}.{'x' * 43}"
    responses = _wrong_passwords(stranger, alice, _free("pw:acct-addr") + 1)
    assert responses[-1].status_code == 429
    assert not LoginThrottle.objects.filter(kind="pw:device").exists()


def test_a_trusted_device_of_another_account_counts_as_unknown_for_this_one(alice, bob):
    bobs_laptop = full_login(browser("198.51.100.7", LAPTOP_UA), bob)
    bobs_laptop.post(reverse("accounts:logout"))
    responses = _wrong_passwords(bobs_laptop, alice, _free("pw:acct-addr") + 1)
    assert responses[-1].status_code == 429
    # and it did not spend his own device's count
    assert _reaches_code_page(log_in_with_password(bobs_laptop, bob))


# -- second-factor codes --------------------------------------------------------------------------


def _wrong_codes(client, user, times: int):
    device = user.totpdevice_set.get()
    return [enter_code(client, wrong_code(device)) for _ in range(times)]


def test_one_wrong_code_says_it_is_wrong_and_nothing_about_too_many(client_for, alice):
    response = _wrong_codes(client_for(alice, verified=False), alice, 1)[0]
    html = response.content.decode()
    assert "Deze code klopt niet of is al gebruikt." in html
    assert "Te veel" not in html and "te veel" not in html
    assert "moet je even wachten" not in html


def test_the_last_free_wrong_codes_say_how_many_are_left(client_for, alice):
    responses = _wrong_codes(client_for(alice, verified=False), alice, _free("otp:acct-addr"))
    assert "Na nog 1 verkeerde code moet je even wachten." in responses[-2].content.decode()


def test_too_many_wrong_codes_say_how_long_to_wait_and_until_when(client_for, alice):
    client = client_for(alice, verified=False)
    responses = _wrong_codes(client, alice, _free("otp:acct-addr") + 1)
    last = responses[-1].content.decode()
    assert "Deze code klopt niet, en er zijn te veel verkeerde codes ingevuld." in last
    assert _wait_shown(responses[-1]).group(1, 2) == ("1", "minuut")

    right = enter_code(client, totp_now(alice.totpdevice_set.get()))  # the right code, during the wait
    assert "Er zijn te veel verkeerde codes ingevuld." in right.content.decode()
    assert _wait_shown(right)
    assert client.get(reverse("accounts:security"))["Location"].startswith(reverse("accounts:verify"))
    assert AuditEntry.objects.filter(action=actions.LOCKOUT_SECOND_FACTOR, subject_user=alice).count() == 1


def test_after_the_wait_the_right_code_works(client_for, alice):
    client = client_for(alice, verified=False)
    _wrong_codes(client, alice, _free("otp:acct-addr") + 1)
    age_throttles(seconds=61)
    assert enter_code(client, totp_now(alice.totpdevice_set.get()))["Location"] == reverse("families:home")


def test_the_other_parent_with_her_password_cannot_block_her_codes_on_her_own_phone(alice):
    phone = full_login(browser("203.0.113.5"), alice)
    phone.post(reverse("accounts:logout"))

    # Bob knows Alice's password. From several addresses he guesses codes until every unknown
    # device of hers has to wait.
    for n in range(4):
        bob_browser = browser(f"198.51.100.{n + 1}", LAPTOP_UA)
        assert _reaches_code_page(log_in_with_password(bob_browser, alice))
        _wrong_codes(bob_browser, alice, _free("otp:acct-addr"))
    assert LoginThrottle.objects.get(kind="otp:acct").blocked_until > timezone.now()
    fresh = browser("192.0.2.77", LAPTOP_UA)
    log_in_with_password(fresh, alice)
    assert _wait_shown(enter_code(fresh, next_code(alice.totpdevice_set.get())))

    # Her own phone: password and code, straight in.
    assert _reaches_code_page(log_in_with_password(phone, alice))
    assert enter_code(phone, next_code(alice.totpdevice_set.get()))["Location"] == reverse("families:home")


def test_a_new_session_does_not_reset_the_count(client_for, alice):
    _wrong_codes(client_for(alice, verified=False), alice, _free("otp:acct-addr") + 1)
    again = browser("127.0.0.1")  # the test client's address, as client_for's
    log_in_with_password(again, alice)
    assert _wait_shown(enter_code(again, totp_now(alice.totpdevice_set.get())))


def test_wrong_backup_codes_count_the_same_way(client_for, alice):
    client = client_for(alice, verified=False)
    responses = [enter_code(client, f"wrong-cod{n}") for n in range(_free("otp:acct-addr") + 1)]
    assert _wait_shown(responses[-1])


def test_letters_on_the_enrolment_page_are_not_counted_but_wrong_codes_are(client_for, db):
    from tests.factories import UserFactory

    dana = UserFactory(email="dana@example.org")
    client = client_for(dana, verified=False)
    client.get(reverse("accounts:enrol"))
    for _ in range(10):
        client.post(reverse("accounts:enrol"), {"code": "abcdef"})
    assert not LoginThrottle.objects.exists()
    pending = TOTPDevice.objects.get(user=dana, confirmed=False)
    responses = [client.post(reverse("accounts:enrol"), {"code": wrong_code(pending)})
                 for _ in range(_free("otp:acct-addr") + 1)]
    assert _wait_shown(responses[-1])


@pytest.mark.parametrize(("seconds", "text"), [
    (30, "over 30 seconden"), (1, "over 1 seconde"), (60, "over 1 minuut"), (61, "over 2 minuten"),
    (3600, "over 60 minuten"), (2 * 3600, "over 2 uur"),
])
def test_the_wait_is_said_in_words(seconds, text):
    until = timezone.now() + timedelta(seconds=seconds, milliseconds=-200)
    assert throttle.wait_text(until).startswith(text + " (om ")
