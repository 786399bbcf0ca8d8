"""The tone hint while typing, on a 360 x 740 phone in Dutch against a real Daphne: a parent types a
hostile message in the parents' thread, a gentle warning with tips appears before anything is sent,
and she can still send it (direct contact: it is delivered to the other parent)."""

from __future__ import annotations

import pytest
from django.utils import translation
from playwright.sync_api import expect

from messaging.models import Message
from moderation.chat import TONE_HINT_LEVELS
from moderation.tone import assess
from tests.e2e.test_chat import message, open_chat, parents_thread  # noqa: F401 - a fixture
from tests.e2e.test_mobile_layout import assert_fits_a_phone
from tests.e2e.test_moderation import LIVE

pytestmark = pytest.mark.e2e

HOSTILE = "Je bent een waardeloze vader en dat weet iedereen."


def test_a_gentle_warning_appears_while_typing_a_hostile_message_and_the_parent_can_still_send(
        e2e_server, new_mobile_context, sign_in, parents_thread, alice, bob):  # noqa: F811
    level = assess(HOSTILE).level
    assert level in TONE_HINT_LEVELS, f"the analyser no longer flags the test's message ({level})"
    with translation.override("nl"):
        title = str(TONE_HINT_LEVELS[level])
    alice_page = open_chat(new_mobile_context, sign_in, alice, parents_thread)
    bob_page = open_chat(new_mobile_context, sign_in, bob, parents_thread)

    box = alice_page.get_by_label("Je bericht")
    box.press_sequentially(HOSTILE, delay=20)  # typed on the phone, key by key
    hint = alice_page.locator("#tone-hint")
    expect(hint).to_be_visible(timeout=LIVE)
    expect(hint.locator(".tone-hint-title")).to_have_text(title)
    expect(hint.locator(".tone-hint-tips li").first).to_be_visible()
    expect(hint).to_contain_text("Je kunt het zo versturen, of het eerst aanpassen.")
    assert not Message.objects.filter(thread=parents_thread).exists()  # a hint, before any send
    expect(box).to_have_value(HOSTILE)  # the text is the parent's: nothing was changed or blocked
    assert_fits_a_phone(alice_page, "the chat with the tone hint")

    alice_page.get_by_role("button", name="Versturen").click()
    expect(message(alice_page, HOSTILE)).to_be_visible(timeout=LIVE)
    expect(message(bob_page, HOSTILE)).to_be_visible(timeout=LIVE)
    expect(bob_page.locator("#tone-hint")).to_be_hidden()  # the other parent never sees the hint
    stored = Message.objects.get(thread=parents_thread)
    assert (stored.sender_id, stored.body) == (alice.pk, HOSTILE)
