"""The account settings and the privacy page on a 360 px phone, in Dutch and English: nothing
scrolls sideways, every field has a label, every tap target is 44 px high; and two things done
the way a parent does them: setting quiet hours with the phone's time fields, and downloading
their data (in which the other parent's words to the practitioners never appear)."""

from __future__ import annotations

import json
import uuid

import pytest
from django.urls import reverse

from accounts import account_settings
from messaging.models import Thread
from messaging.services import message_send, threads_ensure_for_family
from tests.e2e.test_mobile_layout import assert_fits_a_phone
from tests.factories import PASSWORD

pytestmark = pytest.mark.e2e

# page name -> (URL name, who is signed in, what to do before measuring)
PAGES = {
    "account": ("accounts:security", "alice", None),
    "name": ("accounts:name_change", "alice", None),
    "name-with-errors": ("accounts:name_change", "alice", "clear-and-submit"),
    "email": ("accounts:email_change", "alice", None),
    "email-with-errors": ("accounts:email_change", "alice", "submit"),
    "email-confirm": ("accounts:email_confirm", "alice", None),
    "notices": ("accounts:notices", "alice", None),
    "notices-with-errors": ("accounts:notices", "alice", "same-times"),
    "download": ("accounts:personal_data", "alice", None),
    "privacy": ("accounts:privacy", None, None),
    "privacy-signed-in": ("accounts:privacy", "alice", None),
}
LANGUAGES = {"nl": "nl-NL", "en": "en-GB"}


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("name", PAGES)
def test_the_settings_pages_fit_a_phone(name, language, request, new_mobile_context, sign_in, alice):
    url_name, who, then = PAGES[name]
    # A long address and name: one unbreakable word each, as a real one can be.
    alice.display_name = "Alexandra Wilhelmina van Oldenbarnevelt-Schimmelpenninck"
    alice.language = language
    alice.save(update_fields=["display_name", "language"])
    args = []
    if url_name == "accounts:email_confirm":
        account_settings.email_change_request(
            request=None, user=alice,
            new_email="alexandra.wilhelmina.oldenbarnevelt@gemeente-voorbeeldstad.example.org")
        args = [account_settings._email_change_token(alice)]
    context = new_mobile_context(locale=LANGUAGES[language])
    if who:
        sign_in(context, request.getfixturevalue(who))
    page = context.new_page()
    page.goto(reverse(url_name, args=args))
    assert page.locator("h1").count() == 1, page.content()
    assert page.locator("html").get_attribute("lang") == language
    if then == "clear-and-submit":
        page.fill("#id_display_name", "")
    elif then == "same-times":
        page.fill("#id_quiet_hours_start", "22:00")
        page.fill("#id_quiet_hours_end", "22:00")
    if then:
        page.locator("main form button[type=submit]").last.click()
        page.wait_for_selector(".errors, .alert-error")
        page.wait_for_load_state("load")
    assert_fits_a_phone(page, f"{name} ({language})")


def test_a_parent_sets_quiet_hours_with_the_phones_time_fields(new_mobile_context, sign_in, alice):
    context = sign_in(new_mobile_context(), alice)
    page = context.new_page()
    page.goto(reverse("accounts:security"))
    page.get_by_role("link", name="E-mails en rustige uren aanpassen").click()
    page.fill("#id_quiet_hours_start", "21:30")
    page.fill("#id_quiet_hours_end", "06:45")
    page.get_by_label("Stuur me een e-mail als er een nieuw bericht voor me klaarstaat").uncheck()
    page.get_by_role("button", name="Opslaan").click()
    page.wait_for_url("**" + reverse("accounts:security"))
    text = page.locator("main").inner_text()
    assert "van 21:30 tot 06:45 (Nederlandse tijd)" in text
    assert "E-mail bij een nieuw bericht\nuit" in text
    alice.refresh_from_db()
    assert (f"{alice.quiet_hours_start:%H:%M}", f"{alice.quiet_hours_end:%H:%M}") == ("21:30", "06:45")
    assert alice.notify_messages is False


def test_a_parent_downloads_their_data_without_the_other_parents_private_words(
        new_mobile_context, sign_in, family, alice, bob, carol):
    threads_ensure_for_family(family=family)
    parents = Thread.objects.get(family=family, kind="parents")
    bobs = Thread.objects.get(family=family, kind="private", owner=bob)
    message_send(sender=alice, thread_id=parents.pk, body="Zaterdag om tien uur bij de bieb",
                 client_id=uuid.uuid4())
    message_send(sender=bob, thread_id=bobs.pk, body="BOB-ALLEEN-VOOR-DE-BEGELEIDER", client_id=uuid.uuid4())
    context = sign_in(new_mobile_context(accept_downloads=True), alice)
    page = context.new_page()
    page.goto(reverse("accounts:security"))
    page.get_by_role("link", name="Mijn gegevens downloaden").click()
    page.get_by_label("Je wachtwoord").fill(PASSWORD)
    with page.expect_download() as info:
        page.get_by_role("button", name="Download (JSON)").click()
    download = info.value
    assert download.suggested_filename.startswith("kompas-mijn-gegevens-")
    with open(download.path(), "rb") as file:
        content = file.read()
    assert b"BOB-ALLEEN-VOOR-DE-BEGELEIDER" not in content
    data = json.loads(content)
    assert data["person"]["email"] == "alice@example.org"
    assert "Zaterdag om tien uur bij de bieb" in {m["body"] for t in data["messages"] for m in t["messages"]}
