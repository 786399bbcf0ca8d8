"""The settings a user keeps for themselves: name, e-mail address (confirmed at the new address),
e-mail notices and quiet hours, and the language, kept as chosen at login."""

from __future__ import annotations

import re
from datetime import time, timedelta

import pytest
from django.core import mail, signing
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts.account_settings import EMAIL_CHANGE_SALT
from accounts.models import User
from audit import actions
from audit.models import AuditEntry
from tests.accounts.conftest import enter_code, log_in_with_password
from tests.conftest import totp_now
from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

ACCOUNT = reverse("accounts:security")
SETTINGS_PAGES = ["accounts:name_change", "accounts:email_change", "accounts:notices",
                  "accounts:personal_data"]


def mails_to(address: str) -> list:
    return [m for m in mail.outbox if m.to == [address]]


def confirm_link(message) -> str:
    match = re.search(r"https?://[^/\s]+(/account/email/confirm/[^\s]+/)", message.body)
    assert match, message.body
    return match.group(1)


# -- the pages ------------------------------------------------------------------------------------

@pytest.mark.parametrize("url_name", SETTINGS_PAGES)
def test_each_settings_page_opens_for_a_verified_user(client_for, alice, url_name):
    response = client_for(alice).get(reverse(url_name))
    assert response.status_code == 200
    assert "<form" in response.content.decode()


@pytest.mark.parametrize("url_name", SETTINGS_PAGES)
def test_each_settings_page_sends_an_anonymous_visitor_to_login(anon_client, db, url_name):
    response = anon_client.get(reverse(url_name))
    assert response["Location"].startswith(reverse("accounts:login") + "?next=")


@pytest.mark.parametrize("url_name", SETTINGS_PAGES)
def test_each_settings_page_needs_the_second_factor(client_for, alice, url_name):
    response = client_for(alice, verified=False).get(reverse(url_name))
    assert response["Location"].startswith(reverse("accounts:verify"))


def test_the_account_page_links_every_setting(client_for, alice):
    html = client_for(alice).get(ACCOUNT).content.decode()
    for url_name in [*SETTINGS_PAGES, "accounts:privacy"]:
        assert f'href="{reverse(url_name)}"' in html
    assert "van 22:00 tot 07:00 (Nederlandse tijd)" in html
    assert 'name="language"' in html


def test_the_account_page_in_english(client_for, alice):
    alice.language = "en"
    alice.save(update_fields=["language"])
    html = client_for(alice).get(ACCOUNT).content.decode()
    assert '<html lang="en">' in html
    for words in ("Name and e-mail address", "E-mails and quiet hours", "Your data (GDPR)",
                  "from 22:00 to 07:00 (Dutch time)"):
        assert words in html


# -- name -----------------------------------------------------------------------------------------

def test_a_new_name_is_stored_and_audited(client_for, alice):
    response = client_for(alice).post(reverse("accounts:name_change"),
                                      {"display_name": "  Alice   de Vries "})
    assert response["Location"] == ACCOUNT
    alice.refresh_from_db()
    assert alice.display_name == "Alice de Vries"
    entry = AuditEntry.objects.get(action=actions.NAME_CHANGED)
    assert (entry.actor, entry.subject_user) == (alice, alice)
    assert entry.details == {"old": "Alice Ouder", "new": "Alice de Vries"}


@pytest.mark.parametrize("name, error", [
    ("", "Vul je naam in."),
    ("   ", "Vul je naam in."),
    ("x" * 81, "hooguit 80 tekens"),
    ("Alice\u202eredluoC", "onzichtbaar of speciaal teken"),  # right-to-left override: reads as another name
    ("Alice\u200b", "onzichtbaar of speciaal teken"),
    ("Alice\x07", "onzichtbaar of speciaal teken"),
])
def test_a_bad_name_is_refused_with_a_reason_and_nothing_changes(client_for, alice, name, error):
    response = client_for(alice).post(reverse("accounts:name_change"), {"display_name": name})
    assert response.status_code == 200
    assert error in response.content.decode()
    alice.refresh_from_db()
    assert alice.display_name == "Alice Ouder"
    assert not AuditEntry.objects.filter(action=actions.NAME_CHANGED).exists()


def test_a_name_with_letters_from_everywhere_is_fine(client_for, alice):
    client_for(alice).post(reverse("accounts:name_change"), {"display_name": "Zoë Çelik-Ağaoğlu"})
    alice.refresh_from_db()
    assert alice.display_name == "Zoë Çelik-Ağaoğlu"


def test_a_name_is_escaped_on_the_account_page(client_for, alice):
    client = client_for(alice)
    client.post(reverse("accounts:name_change"), {"display_name": "<script>alert(1)</script>"})
    html = client.get(ACCOUNT).content.decode()
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


# -- e-mail address -------------------------------------------------------------------------------

def ask_new_email(client, new_email="alice.nieuw@example.org", password=PASSWORD):
    return client.post(reverse("accounts:email_change"), {"new_email": new_email, "password": password})


def test_a_new_address_waits_for_the_link_and_the_old_address_is_told(client_for, alice):
    client = client_for(alice)
    response = ask_new_email(client, "Alice.Nieuw@Example.org ")
    assert response["Location"] == ACCOUNT
    alice.refresh_from_db()
    assert alice.email == "alice@example.org"  # nothing changes yet
    assert alice.pending_email == "alice.nieuw@example.org"
    [confirm] = mails_to("alice.nieuw@example.org")
    assert "/account/email/confirm/" in confirm.body
    [notice] = mails_to("alice@example.org")
    assert "alice.nieuw@example.org" in notice.body
    assert "/account/email/confirm/" not in notice.body  # the link goes only to the new address
    assert "wachtwoord" in notice.body
    entry = AuditEntry.objects.get(action=actions.EMAIL_CHANGE_REQUESTED)
    assert entry.details == {"old": "alice@example.org", "new": "alice.nieuw@example.org"}
    html = client.get(ACCOUNT).content.decode()
    assert "wacht op bevestiging" in html


def test_the_link_changes_the_address_after_confirming_and_the_old_address_hears_it(client_for, alice):
    client = client_for(alice)
    ask_new_email(client)
    link = confirm_link(mails_to("alice.nieuw@example.org")[0])
    mail.outbox.clear()
    page = client.get(link)  # opening the link (or a mail scanner opening it) changes nothing
    assert page.status_code == 200 and "alice.nieuw@example.org" in page.content.decode()
    alice.refresh_from_db()
    assert alice.email == "alice@example.org"
    response = client.post(link)
    assert response["Location"] == ACCOUNT
    alice.refresh_from_db()
    assert (alice.email, alice.pending_email) == ("alice.nieuw@example.org", "")
    [told] = mails_to("alice@example.org")
    assert "alice.nieuw@example.org" in told.body and told.body.startswith("Hallo Alice,\n")
    entry = AuditEntry.objects.get(action=actions.EMAIL_CHANGED)
    assert entry.details == {"old": "alice@example.org", "new": "alice.nieuw@example.org"}
    # And the new address is the one to log in with.
    fresh = Client(HTTP_HOST="localhost")
    assert log_in_with_password(fresh, alice)["Location"].startswith(reverse("accounts:verify"))


def test_the_link_works_once(client_for, alice):
    client = client_for(alice)
    ask_new_email(client)
    link = confirm_link(mails_to("alice.nieuw@example.org")[0])
    client.post(link)
    again = client.post(link)
    assert again.status_code == 400
    assert "al gebruikt" in again.content.decode()


def test_the_password_is_asked_again(client_for, alice):
    response = ask_new_email(client_for(alice), password="not my password")
    assert response.status_code == 200
    assert "Dit wachtwoord klopt niet." in response.content.decode()
    alice.refresh_from_db()
    assert alice.pending_email == ""
    assert mail.outbox == []


@pytest.mark.parametrize("address, error", [
    ("", "Vul je nieuwe e-mailadres in."),
    ("geen-adres", "Dit is geen geldig e-mailadres."),
    ("ALICE@example.org", "Dit is al je e-mailadres."),
])
def test_a_bad_new_address_is_refused_with_a_reason(client_for, alice, address, error):
    response = ask_new_email(client_for(alice), address)
    assert response.status_code == 200
    assert error in response.content.decode()
    alice.refresh_from_db()
    assert alice.pending_email == ""


def test_someone_elses_address_is_not_revealed_and_not_taken(client_for, alice, bob):
    client = client_for(alice)
    response = ask_new_email(client, bob.email)
    # Alice sees the same as for a free address: she cannot learn that Bob has an account.
    assert response["Location"] == ACCOUNT
    [note] = mails_to(bob.email)
    assert "/account/email/confirm/" not in note.body
    assert "niets veranderd" in note.body
    alice.refresh_from_db()
    assert alice.email == "alice@example.org"


def test_an_address_taken_after_the_request_is_refused_at_the_link(client_for, alice):
    client = client_for(alice)
    ask_new_email(client)
    link = confirm_link(mails_to("alice.nieuw@example.org")[0])
    UserFactory(email="alice.nieuw@example.org")
    response = client.post(link)
    assert response.status_code == 400
    assert "hoort al bij een ander account" in response.content.decode()
    alice.refresh_from_db()
    assert alice.email == "alice@example.org"


def test_a_newer_request_makes_the_older_link_useless(client_for, alice):
    client = client_for(alice)
    ask_new_email(client, "eerste@example.org")
    old_link = confirm_link(mails_to("eerste@example.org")[0])
    ask_new_email(client, "tweede@example.org")
    response = client.post(old_link)
    assert response.status_code == 400
    alice.refresh_from_db()
    assert (alice.email, alice.pending_email) == ("alice@example.org", "tweede@example.org")


def test_a_withdrawn_request_makes_the_link_useless(client_for, alice):
    client = client_for(alice)
    ask_new_email(client)
    link = confirm_link(mails_to("alice.nieuw@example.org")[0])
    assert client.post(reverse("accounts:email_change_cancel"))["Location"] == ACCOUNT
    assert AuditEntry.objects.filter(action=actions.EMAIL_CHANGE_CANCELLED).count() == 1
    assert client.post(link).status_code == 400
    alice.refresh_from_db()
    assert (alice.email, alice.pending_email) == ("alice@example.org", "")


def test_an_expired_link_says_so(client_for, alice, settings):
    client = client_for(alice)
    ask_new_email(client)
    link = confirm_link(mails_to("alice.nieuw@example.org")[0])
    settings.EMAIL_CHANGE_VALID_HOURS = 0
    response = client.post(link)
    assert response.status_code == 400
    assert "verlopen" in response.content.decode()
    alice.refresh_from_db()
    assert alice.email == "alice@example.org"


def test_the_other_parent_cannot_use_the_link(client_for, alice, bob):
    ask_new_email(client_for(alice))
    link = confirm_link(mails_to("alice.nieuw@example.org")[0])
    response = client_for(bob).post(link)
    assert response.status_code == 400
    assert "hoort bij een ander account" in response.content.decode()
    alice.refresh_from_db()
    bob.refresh_from_db()
    assert alice.email == "alice@example.org" and bob.email == "bob@example.org"


def test_a_forged_link_for_another_address_is_refused(client_for, alice):
    client = client_for(alice)
    ask_new_email(client)
    alice.refresh_from_db()
    forged = signing.dumps({"u": alice.pk, "e": "aanvaller@example.org",
                            "t": alice.pending_email_requested_at.isoformat()}, salt="another salt")
    response = client.post(reverse("accounts:email_confirm", args=[forged]))
    assert response.status_code == 400
    swapped = signing.dumps({"u": alice.pk, "e": "aanvaller@example.org",
                             "t": alice.pending_email_requested_at.isoformat()}, salt=EMAIL_CHANGE_SALT)
    assert client.post(reverse("accounts:email_confirm", args=[swapped])).status_code == 400
    alice.refresh_from_db()
    assert alice.email == "alice@example.org"


def test_a_stranger_opening_the_link_is_asked_to_log_in(anon_client, client_for, alice):
    ask_new_email(client_for(alice))
    link = confirm_link(mails_to("alice.nieuw@example.org")[0])
    response = anon_client.post(link)
    assert response["Location"].startswith(reverse("accounts:login") + "?next=")
    alice.refresh_from_db()
    assert alice.email == "alice@example.org"


def test_the_mails_are_in_the_users_language(client_for, alice):
    alice.language = "en"
    alice.save(update_fields=["language"])
    ask_new_email(client_for(alice))
    [confirm] = mails_to("alice.nieuw@example.org")
    assert confirm.subject == "Confirm your new e-mail address for Kompas"
    [notice] = mails_to("alice@example.org")
    assert "password" in notice.body


def test_the_mails_greet_her_by_her_first_name(client_for, alice):
    ask_new_email(client_for(alice))
    [confirm] = mails_to("alice.nieuw@example.org")
    [notice] = mails_to("alice@example.org")
    assert confirm.body.startswith("Hallo Alice,\n") and notice.body.startswith("Hallo Alice,\n")


def test_a_refused_mail_says_so_and_nothing_breaks(client_for, alice, settings):
    settings.EMAIL_BACKEND = "tests.accounts.test_account_settings.RefusingBackend"
    response = ask_new_email(client_for(alice))
    assert response.status_code == 200
    assert "konden de e-mail nu niet versturen" in response.content.decode()


class RefusingBackend:
    def __init__(self, *args, **kwargs):
        pass

    def send_messages(self, messages):
        raise ConnectionRefusedError("the mail server is away")


# -- e-mail notices and quiet hours -----------------------------------------------------------------

def post_notices(client, **fields):
    data = {"notify_messages": "on", "quiet_hours_on": "on", "quiet_hours_start": "22:00",
            "quiet_hours_end": "07:00", **fields}
    return client.post(reverse("accounts:notices"), {k: v for k, v in data.items() if v is not None})


def test_the_notices_page_shows_the_current_choices(client_for, alice):
    html = client_for(alice).get(reverse("accounts:notices")).content.decode()
    assert 'type="time"' in html
    assert 'value="22:00"' in html and 'value="07:00"' in html
    assert re.search(r'<input[^>]*name="notify_messages"[^>]*checked', html)


def test_only_professionals_choose_mails_about_the_parents_thread_they_read_along_with(client_for, alice,
                                                                                       carol):
    assert "notify_read_along" not in client_for(alice).get(reverse("accounts:notices")).content.decode()
    response = post_notices(client_for(alice), notify_read_along="on")  # a parent's post changes nothing
    assert response["Location"] == ACCOUNT
    alice.refresh_from_db()
    assert alice.notify_read_along is False
    page = client_for(carol).get(reverse("accounts:notices")).content.decode()
    assert "Ook een e-mail bij berichten tussen de ouders die je meeleest" in page
    assert post_notices(client_for(carol), notify_read_along="on")["Location"] == ACCOUNT
    carol.refresh_from_db()
    assert carol.notify_read_along is True
    assert post_notices(client_for(carol))["Location"] == ACCOUNT  # unticked: off again
    carol.refresh_from_db()
    assert carol.notify_read_along is False


def test_quiet_hours_are_stored_and_audited(client_for, alice):
    response = post_notices(client_for(alice), quiet_hours_start="21:30", quiet_hours_end="06:45")
    assert response["Location"] == ACCOUNT
    alice.refresh_from_db()
    assert (alice.quiet_hours_start, alice.quiet_hours_end) == (time(21, 30), time(6, 45))
    entry = AuditEntry.objects.get(action=actions.NOTICE_SETTINGS_CHANGED)
    assert entry.details == {
        "old": {"notify_messages": True, "notify_read_along": False, "quiet_hours": "22:00-07:00"},
        "new": {"notify_messages": True, "notify_read_along": False, "quiet_hours": "21:30-06:45"}}


def test_quiet_hours_can_be_turned_off_and_notices_too(client_for, alice):
    post_notices(client_for(alice), notify_messages=None, quiet_hours_on=None)
    alice.refresh_from_db()
    assert alice.notify_messages is False
    assert alice.quiet_hours_start == alice.quiet_hours_end
    html = client_for(alice).get(ACCOUNT).content.decode()
    assert "geen: e-mails kunnen op elk moment komen" in html


def test_quiet_hours_in_the_daytime_are_fine(client_for, alice):
    post_notices(client_for(alice), quiet_hours_start="09:00", quiet_hours_end="17:00")
    alice.refresh_from_db()
    assert (alice.quiet_hours_start, alice.quiet_hours_end) == (time(9, 0), time(17, 0))


@pytest.mark.parametrize("fields, error", [
    ({"quiet_hours_start": "22:00", "quiet_hours_end": "22:00"}, "zijn gelijk"),
    ({"quiet_hours_start": "25:00"}, "Vul een tijd in, zoals 22:00."),
    ({"quiet_hours_end": "morgen"}, "Vul een tijd in, zoals 07:00."),
    ({"quiet_hours_start": ""}, "Vul een tijd in, of zet de rustige uren uit."),
])
def test_bad_quiet_hours_are_refused_with_a_reason(client_for, alice, fields, error):
    response = post_notices(client_for(alice), **fields)
    assert response.status_code == 200
    assert error in response.content.decode()
    alice.refresh_from_db()
    assert (alice.quiet_hours_start, alice.quiet_hours_end) == (time(22, 0), time(7, 0))
    assert not AuditEntry.objects.filter(action=actions.NOTICE_SETTINGS_CHANGED).exists()


def test_saving_the_same_choices_records_nothing(client_for, alice):
    post_notices(client_for(alice))
    assert not AuditEntry.objects.filter(action=actions.NOTICE_SETTINGS_CHANGED).exists()


# -- language -------------------------------------------------------------------------------------

def test_a_language_chosen_at_login_is_kept_after_the_second_factor(anon_client, alice):
    anon_client.post(reverse("accounts:language"), {"language": "en"})
    response = log_in_with_password(anon_client, alice)
    code_page = anon_client.get(response["Location"]).content.decode()
    assert '<html lang="en">' in code_page  # shown at once
    alice.refresh_from_db()
    assert alice.language == "nl"  # but not stored with the password alone
    enter_code(anon_client, totp_now(alice.totpdevice_set.get()))
    assert '<html lang="en">' in anon_client.get(ACCOUNT).content.decode()
    alice.refresh_from_db()
    assert alice.language == "en"
    assert AuditEntry.objects.get(action=actions.LANGUAGE_CHANGED).details == {"language": "en"}
    # Next login, on another device, without choosing: English.
    other = Client(HTTP_HOST="localhost")
    log_in_with_password(other, alice)
    enter_code(other, totp_now(alice.totpdevice_set.get(), offset_steps=1))
    assert '<html lang="en">' in other.get(ACCOUNT).content.decode()


def test_someone_with_only_the_password_cannot_change_the_stored_language(client_for, alice):
    client = client_for(alice, verified=False)
    client.post(reverse("accounts:language"), {"language": "en"})
    alice.refresh_from_db()
    assert alice.language == "nl"
    assert not AuditEntry.objects.filter(action=actions.LANGUAGE_CHANGED).exists()


def test_the_language_on_the_account_page_is_stored_for_every_page_and_email(client_for, alice):
    client = client_for(alice)
    response = client.post(reverse("accounts:language"), {"language": "en", "next": ACCOUNT})
    assert response["Location"] == ACCOUNT
    alice.refresh_from_db()
    assert alice.language == "en"
    assert '<html lang="en">' in client.get(reverse("families:home"), follow=True).content.decode()


def test_after_logout_the_login_page_speaks_the_users_language(client_for, alice):
    alice.language = "en"
    alice.save(update_fields=["language"])
    client = client_for(alice)
    client.get(ACCOUNT)  # the language cookie follows the user
    client.post(reverse("accounts:logout"))
    assert '<html lang="en">' in client.get(reverse("accounts:login")).content.decode()


def test_a_stored_language_is_not_overruled_by_an_old_cookie(client_for, alice):
    client = client_for(alice)
    client.cookies["kompas_language"] = "en"  # left from an earlier visit
    assert '<html lang="nl">' in client.get(ACCOUNT).content.decode()
    alice.refresh_from_db()
    assert alice.language == "nl"


def test_pending_email_link_expiry_is_told_in_the_mail(client_for, alice):
    ask_new_email(client_for(alice))
    assert "24 uur" in mails_to("alice.nieuw@example.org")[0].body
    alice.refresh_from_db()
    assert timezone.now() - alice.pending_email_requested_at < timedelta(minutes=1)
    assert User.objects.filter(email="alice.nieuw@example.org").count() == 0
