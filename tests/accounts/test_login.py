import threading
from urllib.parse import parse_qs, urlsplit

import pytest
from django.db import connection, connections
from django.test import Client
from django.urls import reverse

from accounts.models import UserSession as Session
from audit import actions
from audit.models import AuditEntry
from tests.accounts.conftest import enter_code, log_in_with_password, session_key, wrong_code
from tests.conftest import totp_now
from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db


def _login_then_code(client, user, *, next_url=None):
    response = log_in_with_password(client, user, next_url=next_url)
    assert response.status_code == 302
    return enter_code(client, totp_now(user.totpdevice_set.get()), next_url=_next_param(response["Location"]))


def _next_param(location):
    return parse_qs(urlsplit(location).query).get("next", [None])[0]


def test_the_login_page_asks_for_email_and_password(anon_client):
    response = anon_client.get(reverse("accounts:login"))
    assert response.status_code == 200
    html = response.content.decode()
    assert 'name="email"' in html
    assert 'autocomplete="current-password"' in html


def test_it_shows_a_clear_error_for_a_wrong_password(anon_client, alice):
    response = log_in_with_password(anon_client, alice, password="not my password at all")
    assert response.status_code == 200
    assert "Dit e-mailadres en wachtwoord horen niet bij elkaar" in response.content.decode()
    assert "_auth_user_id" not in anon_client.session


def test_it_shows_the_same_error_for_an_unknown_address(anon_client, db):
    response = anon_client.post(reverse("accounts:login"),
                                {"email": "nobody@example.org", "password": "whatever 123"})
    assert "Dit e-mailadres en wachtwoord horen niet bij elkaar" in response.content.decode()


def test_it_records_a_wrong_password_in_the_audit_trail(anon_client, alice):
    log_in_with_password(anon_client, alice, password="not my password at all")
    entry = AuditEntry.objects.get(action=actions.LOGIN_PASSWORD_FAILED)
    assert entry.subject_user == alice
    assert entry.result == AuditEntry.Result.DENIED


def test_the_right_password_leads_to_the_code_page(anon_client, alice):
    response = log_in_with_password(anon_client, alice)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:verify"))
    assert AuditEntry.objects.filter(action=actions.LOGIN_PASSWORD, subject_user=alice).exists()


def test_the_email_address_is_matched_without_regard_to_case(anon_client, alice):
    response = anon_client.post(reverse("accounts:login"),
                                {"email": "  Alice@Example.ORG ", "password": PASSWORD})
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:verify"))


def test_a_user_without_an_authenticator_is_sent_to_enrolment(anon_client, db):
    dana = UserFactory(email="dana@example.org")
    response = log_in_with_password(anon_client, dana)
    assert response["Location"].startswith(reverse("accounts:enrol"))


@pytest.mark.parametrize("url_name", ["families:home", "accounts:security", "accounts:password_change",
                                      "accounts:backup_codes", "accounts:replace_authenticator"])
def test_a_password_only_session_is_sent_to_the_code_page(client_for, alice, url_name):
    client = client_for(alice, verified=False)
    url = reverse(url_name)
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('accounts:verify')}?next={url.replace('/', '%2F')}"


def test_a_password_only_session_without_authenticator_is_sent_to_enrolment(client_for, db):
    dana = UserFactory(email="dana@example.org")
    client = client_for(dana, verified=False)
    response = client.get(reverse("accounts:security"))
    assert response["Location"].startswith(reverse("accounts:enrol"))
    assert client.get(reverse("accounts:verify"))["Location"] == reverse("accounts:enrol")
    assert client.get(reverse("accounts:enrol")).status_code == 200


def test_a_password_only_session_reaches_the_code_page_and_logout(client_for, alice):
    client = client_for(alice, verified=False)
    assert client.get(reverse("accounts:verify")).status_code == 200
    response = client.post(reverse("accounts:logout"))
    assert response["Location"] == reverse("accounts:login")
    assert "_auth_user_id" not in client.session


def test_a_password_only_session_cannot_open_enrolment_when_an_authenticator_exists(client_for, alice):
    client = client_for(alice, verified=False)
    response = client.get(reverse("accounts:enrol"))
    assert response["Location"] == reverse("accounts:verify")


def test_an_anonymous_visitor_is_sent_to_login(anon_client, db):
    response = anon_client.get(reverse("accounts:security"))
    assert response["Location"] == f"{reverse('accounts:login')}?next=%2Faccount%2F"


def test_a_right_code_after_the_password_reaches_home(anon_client, alice, family):
    response = _login_then_code(anon_client, alice)
    assert response.status_code == 302
    assert response["Location"] == reverse("families:home")
    page = anon_client.get(reverse("families:home"), follow=True)
    assert page.status_code == 200
    assert family.display_name in page.content.decode()
    assert AuditEntry.objects.filter(action=actions.LOGIN_VERIFIED, subject_user=alice).exists()


def test_a_wrong_code_shows_a_form_error_and_keeps_the_session_unverified(anon_client, alice):
    log_in_with_password(anon_client, alice)
    response = enter_code(anon_client, wrong_code(alice.totpdevice_set.get()))
    assert response.status_code == 200
    assert "Deze code klopt niet of is al gebruikt" in response.content.decode()
    assert anon_client.get(reverse("accounts:security"))["Location"].startswith(reverse("accounts:verify"))


def test_the_session_key_changes_at_login_and_again_at_verification(anon_client, alice):
    before = anon_client.session.session_key  # an anonymous session that existed before login
    log_in_with_password(anon_client, alice)
    after_password = session_key(anon_client)
    enter_code(anon_client, totp_now(alice.totpdevice_set.get()))
    after_code = session_key(anon_client)
    assert len({before, after_password, after_code}) == 3
    assert not Session.objects.filter(session_key__in=[before, after_password]).exists()
    assert Session.objects.filter(session_key=after_code).exists()


def test_it_honours_a_next_url_on_the_same_site(anon_client, alice):
    response = _login_then_code(anon_client, alice, next_url=reverse("accounts:security"))
    assert response["Location"] == reverse("accounts:security")


@pytest.mark.parametrize("next_url", ["https://evil.example/", "//evil.example/account/", "http://localhost.evil.example/",
                                      "javascript:alert(1)"])
def test_it_ignores_a_next_url_on_another_site(anon_client, alice, next_url):
    response = _login_then_code(anon_client, alice, next_url=next_url)
    assert response["Location"] == reverse("families:home")


def test_a_verified_user_opening_login_goes_to_next(client_for, alice):
    response = client_for(alice).get(reverse("accounts:login") + "?next=/account/")
    assert response["Location"] == reverse("accounts:security")


def test_it_refuses_a_replayed_code(alice):
    device = alice.totpdevice_set.get()
    code = totp_now(device)
    first, second = Client(HTTP_HOST="localhost"), Client(HTTP_HOST="localhost")
    log_in_with_password(first, alice)
    log_in_with_password(second, alice)
    assert enter_code(first, code)["Location"] == reverse("families:home")
    response = enter_code(second, code)
    assert response.status_code == 200
    assert "Deze code klopt niet of is al gebruikt" in response.content.decode()
    assert AuditEntry.objects.filter(action=actions.LOGIN_VERIFIED).count() == 1


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks need PostgreSQL")
def test_only_one_of_two_concurrent_tries_with_the_same_code_passes(alice):
    code = totp_now(alice.totpdevice_set.get())
    clients = [Client(HTTP_HOST="localhost") for _ in range(2)]
    for client in clients:
        log_in_with_password(client, alice)
    start = threading.Barrier(len(clients))
    results = []

    def try_code(client):
        try:
            start.wait()
            results.append(enter_code(client, code))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=try_code, args=(client,)) for client in clients]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    passed = [r for r in results if r.status_code == 302 and r["Location"] == reverse("families:home")]
    refused = [r for r in results if r.status_code == 200 and "al gebruikt" in r.content.decode()]
    assert (len(passed), len(refused)) == (1, 1)
    assert AuditEntry.objects.filter(action=actions.LOGIN_VERIFIED).count() == 1
