from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import F
from django.test import Client, override_settings
from django.urls import reverse

from accounts.models import User
from audit import actions
from audit.models import AuditEntry
from tests.accounts.conftest import age_device_throttle, enter_code, log_in_with_password, wrong_code
from tests.conftest import totp_now

pytestmark = pytest.mark.django_db

LOCKED_OUT_TEXT = "Er is te vaak een verkeerd wachtwoord ingevuld voor dit account"
DEVICE_THROTTLED_TEXT = "Te veel verkeerde codes achter elkaar"
USER_LOCKED_TEXT = "Te veel verkeerde codes. Wacht een kwartier"


def _client(address="192.0.2.10"):
    return Client(HTTP_HOST="localhost", REMOTE_ADDR=address)


def _lock_out_by_password(user, *, address="192.0.2.10"):
    client = _client(address)
    responses = [log_in_with_password(client, user, password=f"wrong password {n}")
                 for n in range(settings.AXES_FAILURE_LIMIT)]
    return responses[-1]


# -- passwords (django-axes, per account) -------------------------------------------------------


def test_wrong_passwords_up_to_the_limit_lock_the_account(alice):
    response = _lock_out_by_password(alice)
    assert response.status_code == 429
    assert LOCKED_OUT_TEXT in response.content.decode()
    entry = AuditEntry.objects.get(action=actions.LOCKOUT_PASSWORD)
    assert entry.subject_user == alice and entry.result == AuditEntry.Result.DENIED


def test_one_wrong_password_less_than_the_limit_does_not_lock(alice):
    client = _client()
    for n in range(settings.AXES_FAILURE_LIMIT - 1):
        log_in_with_password(client, alice, password=f"wrong password {n}")
    assert log_in_with_password(client, alice)["Location"].startswith(reverse("accounts:verify"))


def test_a_locked_account_stays_locked_from_another_address_even_with_the_right_password(alice):
    _lock_out_by_password(alice, address="192.0.2.10")
    response = log_in_with_password(_client("198.51.100.7"), alice)
    assert response.status_code == 429
    assert LOCKED_OUT_TEXT in response.content.decode()


def test_changing_the_case_of_the_address_does_not_dodge_the_lock(alice):
    client = _client()
    for n in range(settings.AXES_FAILURE_LIMIT):
        email = alice.email.upper() if n % 2 else alice.email.title()
        client.post(reverse("accounts:login"), {"email": email, "password": f"wrong password {n}"})
    response = log_in_with_password(_client("198.51.100.7"), alice)
    assert response.status_code == 429


def test_locking_one_account_leaves_another_alone(alice, bob):
    _lock_out_by_password(alice)
    response = log_in_with_password(_client(), bob)
    assert response["Location"].startswith(reverse("accounts:verify"))


def test_a_right_password_before_the_limit_clears_the_count(alice):
    client = _client()
    for round_ in range(2):
        for n in range(settings.AXES_FAILURE_LIMIT - 1):
            log_in_with_password(client, alice, password=f"wrong password {round_}-{n}")
        response = log_in_with_password(_client(), alice)
        assert response["Location"].startswith(reverse("accounts:verify"))


def test_after_the_password_cool_off_the_right_password_works_again(alice):
    _lock_out_by_password(alice)
    waited = settings.AXES_COOLOFF_TIME + timedelta(seconds=1)
    AccessAttempt.objects.update(attempt_time=F("attempt_time") - waited)
    response = log_in_with_password(_client("198.51.100.7"), alice)
    assert response["Location"].startswith(reverse("accounts:verify"))


def test_the_audit_trail_records_the_connecting_address_not_a_forged_header(alice):
    client = Client(HTTP_HOST="localhost", REMOTE_ADDR="192.0.2.10", HTTP_X_FORWARDED_FOR="203.0.113.66")
    log_in_with_password(client, alice)
    assert AuditEntry.objects.get(action=actions.LOGIN_PASSWORD).client_address == "192.0.2.10"


# -- second-factor codes: per device (django-otp) --------------------------------------------------


@override_settings(OTP_TOTP_THROTTLE_FACTOR=600)
def test_a_device_refuses_even_the_right_code_right_after_a_wrong_one(client_for, alice):
    device = alice.totpdevice_set.get()
    client = client_for(alice, verified=False)
    enter_code(client, wrong_code(device))
    device.refresh_from_db()
    assert device.throttling_failure_count == 1

    response = enter_code(client, totp_now(device))
    assert response.status_code == 200
    assert DEVICE_THROTTLED_TEXT in response.content.decode()

    age_device_throttle(device, seconds=601)  # the user waited
    assert enter_code(client, totp_now(device))["Location"] == reverse("families:home")
    device.refresh_from_db()
    assert device.throttling_failure_count == 0


# -- second-factor codes: per user (accounts.throttle) ---------------------------------------------


def _wrong_codes_until_locked(client, user):
    device = user.totpdevice_set.get()
    responses = []
    for _ in range(settings.OTP_USER_FAILURE_LIMIT):
        age_device_throttle(device)  # past django-otp's per-device pause, to reach the per-user limit
        responses.append(enter_code(client, wrong_code(device)))
    return responses


def test_wrong_codes_up_to_the_limit_lock_the_user_and_are_audited(client_for, alice):
    client = client_for(alice, verified=False)
    responses = _wrong_codes_until_locked(client, alice)
    assert all("Deze code klopt niet" in r.content.decode() for r in responses)
    alice.refresh_from_db()
    assert alice.otp_failures == settings.OTP_USER_FAILURE_LIMIT
    assert AuditEntry.objects.filter(action=actions.SECOND_FACTOR_FAILED, subject_user=alice).count() == \
        settings.OTP_USER_FAILURE_LIMIT
    entry = AuditEntry.objects.get(action=actions.LOCKOUT_SECOND_FACTOR)
    assert entry.subject_user == alice and entry.result == AuditEntry.Result.DENIED


def test_a_locked_user_is_refused_even_the_right_code(client_for, alice):
    client = client_for(alice, verified=False)
    _wrong_codes_until_locked(client, alice)
    device = alice.totpdevice_set.get()
    age_device_throttle(device)
    response = enter_code(client, totp_now(device))
    assert response.status_code == 200
    assert USER_LOCKED_TEXT in response.content.decode()
    assert client.get(reverse("accounts:security"))["Location"].startswith(reverse("accounts:verify"))


def test_the_user_lock_holds_in_a_new_session_too(client_for, alice):
    _wrong_codes_until_locked(client_for(alice, verified=False), alice)
    device = alice.totpdevice_set.get()
    age_device_throttle(device)
    fresh = client_for(alice, verified=False)
    assert USER_LOCKED_TEXT in enter_code(fresh, totp_now(device)).content.decode()


def test_after_the_cool_off_the_right_code_works_again(client_for, alice):
    client = client_for(alice, verified=False)
    _wrong_codes_until_locked(client, alice)
    device = alice.totpdevice_set.get()
    age_device_throttle(device)
    User.objects.filter(pk=alice.pk).update(
        otp_last_failure_at=F("otp_last_failure_at") - settings.OTP_USER_COOLOFF - timedelta(seconds=1)
    )
    assert enter_code(client, totp_now(device))["Location"] == reverse("families:home")
    alice.refresh_from_db()
    assert alice.otp_failures == 0 and alice.otp_last_failure_at is None


def test_a_right_code_before_the_limit_clears_the_count(client_for, alice):
    client = client_for(alice, verified=False)
    device = alice.totpdevice_set.get()
    enter_code(client, wrong_code(device))
    alice.refresh_from_db()
    assert alice.otp_failures == 1
    age_device_throttle(device)
    enter_code(client, totp_now(device))
    alice.refresh_from_db()
    assert alice.otp_failures == 0


def test_wrong_backup_codes_count_towards_the_same_user_limit(client_for, alice):
    client = client_for(alice, verified=False)
    for n in range(settings.OTP_USER_FAILURE_LIMIT):
        enter_code(client, f"wrong-cod{n}")  # no backup device yet: counts against the user all the same
    alice.refresh_from_db()
    assert alice.otp_failures == settings.OTP_USER_FAILURE_LIMIT
    assert AuditEntry.objects.filter(action=actions.LOCKOUT_SECOND_FACTOR).count() == 1
