import pytest
from django.urls import reverse

from accounts import services
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db

ACCOUNT_PAGES = ["accounts:security", "accounts:backup_codes", "accounts:replace_authenticator",
                 "accounts:password_change"]


@pytest.mark.parametrize("url_name", ACCOUNT_PAGES)
def test_each_account_page_opens_for_a_verified_user(client_for, alice, url_name):
    response = client_for(alice).get(reverse(url_name))
    assert response.status_code == 200
    assert "<form" in response.content.decode() or url_name == "accounts:security"


@pytest.mark.parametrize("url_name", ACCOUNT_PAGES)
def test_each_account_page_sends_an_anonymous_visitor_to_login(anon_client, db, url_name):
    response = anon_client.get(reverse(url_name))
    assert response["Location"].startswith(reverse("accounts:login") + "?next=")


def test_the_account_page_shows_who_is_logged_in(client_for, alice):
    html = client_for(alice).get(reverse("accounts:security")).content.decode()
    assert alice.display_name in html
    assert alice.email in html
    assert "gekoppeld" in html


def test_the_account_page_warns_when_backup_codes_run_low(client_for, alice):
    html = client_for(alice).get(reverse("accounts:security")).content.decode()
    assert "Je hebt bijna geen back-upcodes meer." in html


def test_the_account_page_counts_the_backup_codes_left(client_for, alice):
    client = client_for(alice)
    client.post(reverse("accounts:backup_codes"), {"password": PASSWORD})
    html = client.get(reverse("accounts:security")).content.decode()
    assert "<dd>10</dd>" in html
    assert "Je hebt bijna geen back-upcodes meer." not in html


def test_the_account_page_shows_only_the_users_own_details(client_for, alice, bob):
    html = client_for(alice).get(reverse("accounts:security")).content.decode()
    assert bob.email not in html


def test_the_password_fields_help_password_managers(client_for, alice):
    html = client_for(alice).get(reverse("accounts:password_change")).content.decode()
    assert 'autocomplete="current-password"' in html
    assert 'autocomplete="new-password"' in html


def test_a_weak_new_password_is_refused_with_a_reason(client_for, alice):
    response = client_for(alice).post(reverse("accounts:password_change"), {
        "old_password": PASSWORD, "new_password1": "12345", "new_password2": "12345",
    })
    assert response.status_code == 200
    assert 'class="errors"' in response.content.decode()
    alice.refresh_from_db()
    assert alice.check_password(PASSWORD)


def test_the_code_page_offers_backup_codes_too(client_for, alice):
    html = client_for(alice, verified=False).get(reverse("accounts:verify")).content.decode()
    assert 'autocomplete="one-time-code"' in html
    assert "back-upcode" in html


def test_the_menu_offers_logout_to_a_verified_user(client_for, alice):
    html = client_for(alice).get(reverse("accounts:security")).content.decode()
    assert f'action="{reverse("accounts:logout")}"' in html


def test_only_a_confirmed_authenticator_counts_as_a_second_factor(alice):
    assert services.user_has_second_factor(alice)
    alice.totpdevice_set.update(confirmed=False)
    assert not services.user_has_second_factor(alice)


# Django's own messages on our pages, in the project's voice (issue 9, item 10; the Dutch lives at
# the end of locale/nl/LC_MESSAGES/django.po).
def _password_change_errors(client, old, new1, new2=None):
    response = client.post(reverse("accounts:password_change"), {
        "old_password": old, "new_password1": new1, "new_password2": new1 if new2 is None else new2})
    assert response.status_code == 200
    return response.content.decode()


def test_a_wrong_current_password_is_told_with_je(client_for, alice):
    page = _password_change_errors(client_for(alice), "niet mijn wachtwoord", "zonnige fiets op de dijk")
    assert "Je huidige wachtwoord klopt niet. Vul het opnieuw in." in page
    assert "Uw oude wachtwoord" not in page


def test_a_password_like_the_email_address_is_told_in_plain_dutch(client_for, alice):
    page = _password_change_errors(client_for(alice), PASSWORD, "alice@example.org1")
    assert "Het wachtwoord lijkt te veel op je e-mailadres. Kies een ander wachtwoord." in page
    assert "op de e-mailadres" not in page


def test_two_different_new_passwords_are_told_with_what_to_do(client_for, alice):
    page = _password_change_errors(client_for(alice), PASSWORD, "zonnige fiets op de dijk", "zonnige fiets")
    assert "De twee wachtwoorden zijn niet gelijk. Vul ze opnieuw in." in page


def test_djangos_length_messages_speak_dutch_without_u():
    from django import forms
    from django.utils import translation

    class Short(forms.Form):
        word = forms.CharField(min_length=6, max_length=8)

    with translation.override("nl"):
        too_short = Short({"word": "abc"}).errors["word"]
        too_long = Short({"word": "abcdefghij"}).errors["word"]
    assert too_short == ["Vul minstens 6 tekens in (nu 3)."]
    assert too_long == ["Dit mag hoogstens 8 tekens zijn (nu 10). Maak het korter."]
