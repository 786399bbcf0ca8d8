import re

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

from accounts.models import BackupCode, BackupCodeDevice
from audit import actions
from audit.models import AuditEntry
from tests.accounts.conftest import age_device_throttle, enter_code, log_in_with_password
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db

REGENERATE = "/account/backup-codes/"


def _codes(response) -> list[str]:
    return re.findall(r"<li><code>([a-z0-9]{5}-[a-z0-9]{5})</code></li>", response.content.decode())


@pytest.fixture
def alice_codes(client_for, alice):
    """Alice makes a set of backup codes on her account page."""
    response = client_for(alice).post(REGENERATE, {"password": PASSWORD})
    codes = _codes(response)
    assert len(codes) == 10
    return codes


def _password_only(user) -> Client:
    client = Client(HTTP_HOST="localhost")
    log_in_with_password(client, user)
    return client


def test_a_backup_code_logs_in_and_says_how_many_are_left(alice, alice_codes):
    client = _password_only(alice)
    response = enter_code(client, alice_codes[0])
    assert response["Location"] == reverse("families:home")
    page = client.get(reverse("accounts:security"))
    assert "Je hebt een back-upcode gebruikt. Je hebt er nog 9 over." in page.content.decode()
    entry = AuditEntry.objects.get(action=actions.BACKUP_CODE_USED)
    assert entry.subject_user == alice and entry.details == {"remaining": 9}


def test_a_backup_code_works_in_capitals_and_without_the_dash(alice, alice_codes):
    client = _password_only(alice)
    response = enter_code(client, alice_codes[3].replace("-", "").upper())
    assert response["Location"] == reverse("families:home")


def test_a_backup_code_works_only_once(alice, alice_codes):
    assert enter_code(_password_only(alice), alice_codes[0])["Location"] == reverse("families:home")
    second = _password_only(alice)
    response = enter_code(second, alice_codes[0])
    assert response.status_code == 200
    assert "Deze code klopt niet of is al gebruikt" in response.content.decode()
    assert BackupCode.objects.filter(device__user=alice, used_at__isnull=False).count() == 1


def test_backup_codes_are_stored_hashed(alice, alice_codes):
    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM accounts_backupcode")
        stored = " ".join(str(value) for row in cursor.fetchall() for value in row).lower()
    assert stored
    for code in alice_codes:
        assert code not in stored
        assert code.replace("-", "") not in stored


def test_regenerating_needs_the_password(client_for, alice, alice_codes):
    response = client_for(alice).post(REGENERATE, {"password": "not my password"})
    assert response.status_code == 200
    assert "Dit wachtwoord klopt niet." in response.content.decode()
    assert _codes(response) == []
    assert AuditEntry.objects.filter(action=actions.BACKUP_CODES_GENERATED).count() == 1  # the fixture's
    assert enter_code(_password_only(alice), alice_codes[0])["Location"] == reverse("families:home")


def test_regenerating_invalidates_the_old_codes(client_for, alice, alice_codes):
    new_codes = _codes(client_for(alice).post(REGENERATE, {"password": PASSWORD}))
    assert len(new_codes) == 10 and not set(new_codes) & set(alice_codes)
    assert BackupCode.objects.filter(device__user=alice).count() == 10
    assert AuditEntry.objects.filter(action=actions.BACKUP_CODES_GENERATED, subject_user=alice).count() == 2

    client = _password_only(alice)
    response = enter_code(client, alice_codes[0])
    assert "Deze code klopt niet of is al gebruikt" in response.content.decode()
    age_device_throttle(BackupCodeDevice.objects.get(user=alice))
    assert enter_code(client, new_codes[0])["Location"] == reverse("families:home")


def test_the_regenerate_page_needs_a_verified_session(client_for, alice):
    response = client_for(alice, verified=False).post(REGENERATE, {"password": PASSWORD})
    assert response["Location"].startswith(reverse("accounts:verify"))
    assert not BackupCode.objects.exists()


def test_another_users_backup_code_does_not_work(client_for, alice, bob, alice_codes):
    response = enter_code(_password_only(bob), alice_codes[0])
    assert "Deze code klopt niet of is al gebruikt" in response.content.decode()
    assert BackupCode.objects.filter(used_at__isnull=False).count() == 0
