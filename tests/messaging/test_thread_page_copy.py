"""The thread page's words: no keyboard shortcut told to phone users, downloads that say what
each is for, and no invitation to write for someone who only reads along."""

from __future__ import annotations

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def _page(client, thread) -> str:
    return client.get(reverse("messaging:thread", args=[thread.pk])).content.decode()


def test_the_keyboard_shortcut_is_only_in_the_keyboard_only_part(threads, client_for, alice):
    body = _page(client_for(alice), threads["parents"])
    assert ('Berichten kunnen niet worden gewijzigd of verwijderd.<span class="keyboard-only"> '
            "Met een toetsenbord: Ctrl+Enter verstuurt.</span>") in body
    assert body.count("Ctrl+Enter") == 1


def test_the_downloads_say_what_each_is_for(threads, client_for, alice):
    body = _page(client_for(alice), threads["parents"])
    assert "Verslag (PDF)</a>" in body and "voor een advocaat of de rechter" in body
    assert "Controlebestand (JSON)</a>" in body and "nagaan dat er niets is veranderd" in body


def test_someone_who_reads_along_is_not_asked_to_write_the_first_message(threads, client_for, alice, carol):
    reader = _page(client_for(carol), threads["parents"])
    writer = _page(client_for(alice), threads["parents"])
    assert 'data-t-empty="Nog geen berichten."' in reader
    assert 'data-t-empty="Nog geen berichten. Schrijf het eerste bericht."' in writer


def test_a_practitioner_reading_a_parents_own_thread_sees_whose_it_is(threads, client_for, alice, carol):
    body = _page(client_for(carol), threads["alice"])
    assert "Alice Ouder en de begeleiders" in body
    assert "Jij en de begeleiders" not in body and "alleen jij" not in body.lower()
    own = _page(client_for(alice), threads["alice"])
    assert "Jij en de begeleiders" in own
