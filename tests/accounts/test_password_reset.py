"""A forgotten password, reset by e-mail (accounts.recovery): Django's flow, the second factor still
asked afterwards, every other session ended; the page never tells whether an address has an
account, and nobody can flood a parent's inbox or void her link by logging in."""

import re

import pytest
from django.conf import settings
from django.core import mail
from django.urls import reverse

from accounts import throttle
from accounts.models import User
from accounts.services import MAIL_PROOF_SESSION_KEY
from audit import actions
from audit.models import AuditEntry
from tests.accounts.conftest import (
    LAPTOP_UA,
    browser,
    enter_code,
    full_login,
    is_verified_page,
    log_in_with_password,
    next_code,
)
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db

FORGOT = "/login/forgot/"
NEW_PASSWORD = "een heel nieuw wachtwoord op de dijk"
DONE_TEXT = "Als dit e-mailadres bij ons bekend is, krijg je binnen een paar minuten een e-mail met een link."


def _ask(client, email):
    return client.post(FORGOT, {"email": email}, follow=True)


def _link(message) -> str:
    return re.search(r"http://\S+/login/reset/\S+/", message.body).group(0)


def _set_new_password(client, link, password=NEW_PASSWORD):
    form_page = client.get(link, follow=True)
    assert form_page.status_code == 200
    return client.post(form_page.redirect_chain[-1][0],
                       {"new_password1": password, "new_password2": password})


def test_the_login_page_offers_a_new_password(anon_client, db):
    html = anon_client.get(reverse("accounts:login")).content.decode()
    assert f'href="{FORGOT}"' in html and "Wachtwoord vergeten?" in html


def test_asking_sends_one_mail_with_a_link_in_the_users_language(alice):
    User.objects.filter(pk=alice.pk).update(language="en")
    response = _ask(browser(), alice.email)
    assert response.redirect_chain[-1][0] == reverse("accounts:password_reset_done")
    assert DONE_TEXT in response.content.decode()  # the page in the asker's language
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [alice.email]
    assert message.subject == "A new password for Kompas"
    assert _link(message).startswith(settings.SITE_URL.rstrip("/") + "/login/reset/")
    assert "works for 2 hours and once" in message.body
    assert AuditEntry.objects.get(action=actions.PASSWORD_RESET_REQUESTED).subject_user == alice


def test_the_mail_greets_her_by_her_first_name(alice):
    _ask(browser(), alice.email)
    assert mail.outbox[0].body.startswith("Hallo Alice,\n")


def test_an_unknown_address_gets_the_same_page_and_no_mail(alice):
    known = _ask(browser("192.0.2.1"), alice.email).content.decode()
    unknown = _ask(browser("192.0.2.2"), "nobody@example.org").content.decode()
    strip = re.compile(r'name="csrfmiddlewaretoken" value="[^"]+"')
    assert strip.sub("", known) == strip.sub("", unknown)
    assert [m.to for m in mail.outbox] == [[alice.email]]


def test_a_stopped_account_gets_no_mail(alice):
    User.objects.filter(pk=alice.pk).update(is_active=False)
    _ask(browser(), alice.email)
    assert mail.outbox == []


def test_the_link_leads_to_a_new_password_and_then_to_the_code_page(alice):
    client = browser()
    _ask(client, alice.email)
    response = _set_new_password(client, _link(mail.outbox[0]))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:verify"))
    alice.refresh_from_db()
    assert alice.check_password(NEW_PASSWORD)
    page = client.get(response["Location"]).content.decode()
    assert "Je nieuwe wachtwoord is opgeslagen." in page

    # the second factor is still asked: nothing else opens without it
    assert client.get(reverse("accounts:security"))["Location"].startswith(reverse("accounts:verify"))
    assert client.get(reverse("families:home"))["Location"].startswith(reverse("accounts:verify"))
    assert client.session.get(MAIL_PROOF_SESSION_KEY)
    assert enter_code(client, next_code(alice.totpdevice_set.get()))["Location"] == reverse("families:home")
    assert AuditEntry.objects.filter(action=actions.PASSWORD_RESET, subject_user=alice).count() == 1


def test_a_new_password_ends_every_other_session(alice, bob):
    phone = full_login(browser("192.0.2.1"), alice)
    laptop = full_login(browser("192.0.2.2", LAPTOP_UA), alice)
    bobs = full_login(browser("192.0.2.3"), bob)
    client = browser("192.0.2.4")
    _ask(client, alice.email)
    _set_new_password(client, _link(mail.outbox[0]))
    assert not is_verified_page(phone) and not is_verified_page(laptop)
    assert is_verified_page(bobs)


def test_the_link_works_once(alice):
    client = browser()
    _ask(client, alice.email)
    link = _link(mail.outbox[0])
    _set_new_password(client, link)
    again = browser("192.0.2.9").get(link, follow=True)
    assert "Deze link werkt niet meer" in again.content.decode()
    alice.refresh_from_db()
    assert alice.check_password(NEW_PASSWORD)


def test_a_broken_link_says_what_to_do(anon_client, alice):
    response = anon_client.get("/login/reset/MQ/not-a-token/", follow=True)
    html = response.content.decode()
    assert "Deze link werkt niet meer" in html
    assert f'href="{FORGOT}"' in html


def test_the_other_parent_logging_in_with_her_old_password_does_not_void_her_link(alice):
    client = browser()
    _ask(client, alice.email)
    link = _link(mail.outbox[0])
    bob_with_her_password = browser("198.51.100.7", LAPTOP_UA)
    response = log_in_with_password(bob_with_her_password, alice)
    assert response["Location"].startswith(reverse("accounts:verify"))
    assert _set_new_password(client, link)["Location"].startswith(reverse("accounts:verify"))
    # and his half-logged-in session is over
    response = bob_with_her_password.get(reverse("accounts:verify"))
    assert response["Location"].startswith(reverse("accounts:login"))


def test_a_weak_new_password_is_refused_with_a_reason(alice):
    client = browser()
    _ask(client, alice.email)
    response = _set_new_password(client, _link(mail.outbox[0]), password="kort")
    assert response.status_code == 200
    assert 'class="errors"' in response.content.decode()
    alice.refresh_from_db()
    assert alice.check_password(PASSWORD)


def test_nobody_can_flood_her_inbox_but_her_own_phone_still_gets_its_mail(alice):
    phone = full_login(browser("203.0.113.5"), alice)
    phone.post(reverse("accounts:logout"))
    per_hour = throttle.policy("mail:acct").free
    for n in range(per_hour + 5):
        page = _ask(browser(f"198.51.100.{n + 1}"), alice.email)
        assert DONE_TEXT in page.content.decode()  # the same page, mail or not
    assert len(mail.outbox) == per_hour
    assert f"We sturen hooguit {per_hour} e-mails per uur naar hetzelfde adres" in page.content.decode()

    _ask(phone, alice.email)
    assert len(mail.outbox) == per_hour + 1


def test_the_reset_pages_work_without_being_logged_in_and_for_a_half_logged_in_user(client_for, alice):
    half = client_for(alice, verified=False)
    assert half.get(FORGOT).status_code == 200
    assert browser().get(FORGOT).status_code == 200
    assert browser().get(reverse("accounts:password_reset_done")).status_code == 200
