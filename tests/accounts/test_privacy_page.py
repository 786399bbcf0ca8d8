"""The page that says what is kept, for how long and why: open to everyone (also before an account
exists), linked from every page's footer and from the account page, in Dutch and English, and
honest that records are not erased on request while they may be evidence."""

from __future__ import annotations

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db

PRIVACY = reverse("accounts:privacy")


def test_anyone_can_read_it_without_logging_in(anon_client):
    response = anon_client.get(PRIVACY)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Wat we bewaren, hoe lang en waarom" in html
    assert "log in en download op je accountpagina" in html  # a visitor is told how to see their data


def test_it_says_records_are_not_erased_on_request_while_they_may_be_evidence(anon_client):
    html = anon_client.get(PRIVACY).content.decode()
    assert "Wat we niet wissen, ook niet als je erom vraagt" in html
    assert "zolang ze als bewijs kunnen dienen" in html
    assert "artikel 17, lid 3, onder e" in html
    for kept in ("Berichten", "Het ouderschapsplan", "Het logboek (audittrail)"):
        assert kept in html
    assert "Wat je kunt verbeteren of laten wissen" in html
    assert "Autoriteit Persoonsgegevens" in html


def test_it_names_the_real_time_limits(anon_client, settings):
    settings.SESSION_IDLE_TIMEOUT = 20 * 60
    settings.SESSION_ABSOLUTE_TIMEOUT = 8 * 3600
    html = anon_client.get(PRIVACY).content.decode()
    assert "na 20 minuten zonder activiteit, en na 8 uur altijd" in html
    assert f"Een uitnodiging werkt {settings.INVITATION_VALID_DAYS} dagen" in html


def test_it_reads_in_english(anon_client):
    anon_client.post(reverse("accounts:language"), {"language": "en", "next": PRIVACY})
    html = anon_client.get(PRIVACY).content.decode()
    assert '<html lang="en">' in html
    assert "What we do not erase, even when you ask" in html
    assert "Article 17(3)(e)" in html
    assert "bewijs" not in html


def test_every_page_links_it_in_the_footer(anon_client, client_for, alice):
    for html in (anon_client.get(reverse("accounts:login")).content.decode(),
                 client_for(alice).get(reverse("accounts:security")).content.decode()):
        assert f'<footer class="site-footer">\n  <a href="{PRIVACY}">' in html


def test_the_account_page_links_it_next_to_the_download(client_for, alice):
    html = client_for(alice).get(reverse("accounts:security")).content.decode()
    section = html[html.index('id="data-title"'):]
    assert f'href="{PRIVACY}"' in section[:1500]
    assert f'href="{reverse("accounts:personal_data")}"' in section[:1500]


def test_it_names_who_to_ask(anon_client, settings):
    html = anon_client.get(PRIVACY).content.decode()
    assert "Vraag het je begeleider" in html
    settings.PRIVACY_CONTACT = "privacy@kompas.example.org"
    html = anon_client.get(PRIVACY).content.decode()
    assert '<a href="mailto:privacy@kompas.example.org">privacy@kompas.example.org</a>' in html


def test_a_contact_line_is_escaped(anon_client, settings):
    settings.PRIVACY_CONTACT = "Bel <b>ons</b>"
    html = anon_client.get(PRIVACY).content.decode()
    assert "Bel &lt;b&gt;ons&lt;/b&gt;" in html
