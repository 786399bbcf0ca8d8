"""Two parents chat on their phones, in Chromium, against a real Daphne: messages appear live on
the other phone, the sender sees when they were read, and a dropped connection loses nothing."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from messaging.models import Message, MessageRead, Thread
from messaging.services import threads_ensure_for_family

pytestmark = pytest.mark.e2e

LIVE = 15_000  # ms, at most, for something to show up on the other phone

# Lets the test drop the page's socket and keep it from coming back for a while, as a train
# tunnel would: every WebSocket the page opens is remembered, and while `__offline` is set new
# ones go to a port where nothing listens (chat.js then retries with back-off, as it does offline).
FLAKY_NETWORK = """(() => {
  const Native = window.WebSocket;
  window.__sockets = [];
  window.__offline = false;
  window.WebSocket = class extends Native {
    constructor(url, ...rest) {
      super(window.__offline ? "ws://127.0.0.1:9/" : url, ...rest);
      window.__sockets.push(this);
    }
  };
})();"""


@pytest.fixture
def parents_thread(family, alice, bob, carol):
    threads_ensure_for_family(family=family)
    return Thread.objects.get(family=family, kind=Thread.Kind.PARENTS)


def open_chat(new_mobile_context, sign_in, user, thread, *, flaky: bool = False):
    context = new_mobile_context()
    sign_in(context, user)
    page = context.new_page()
    if flaky:
        page.add_init_script(FLAKY_NETWORK)
    page.goto(reverse("messaging:thread", args=[thread.pk]))
    expect(page.locator("#conn-state")).to_have_text("Verbonden")
    return page


def send(page, text: str) -> None:
    page.get_by_label("Je bericht").fill(text)
    page.get_by_role("button", name="Versturen").click()


def message(page, text: str):
    """The chat bubble whose text is `text`."""
    return page.locator("li.msg").filter(has=page.locator(".msg-body", has_text=text.splitlines()[0]))


def test_two_parents_see_each_others_messages_live_and_the_read_mark(
    e2e_server, new_mobile_context, sign_in, parents_thread, alice, bob
):
    alice_page = open_chat(new_mobile_context, sign_in, alice, parents_thread)
    bob_page = open_chat(new_mobile_context, sign_in, bob, parents_thread)
    expect(bob_page.get_by_text("Nog geen berichten. Schrijf het eerste bericht.")).to_be_visible()
    # A phone has no Ctrl key: the shortcut is not mentioned there.
    expect(bob_page.get_by_text("Berichten kunnen niet worden gewijzigd of verwijderd.")).to_be_visible()
    expect(bob_page.get_by_text("Ctrl+Enter verstuurt.")).to_be_hidden()

    text = "Hoi Bob,\nneem jij <b>x</b> mee naar de overdracht?"
    send(alice_page, text)

    # Bob sees it without reloading: as text, markup and line break exactly as typed.
    on_bob = message(bob_page, text)
    expect(on_bob).to_be_visible(timeout=LIVE)
    expect(on_bob.locator(".msg-sender")).to_have_text("Alice Ouder")
    # Its time reads like every date and time on the pages: "3 december 2026, 15:41".
    expect(on_bob.locator(".msg-meta time")).to_have_text(re.compile(r"^\d{1,2} [a-z]+ \d{4}, \d{2}:\d{2}$"))
    assert on_bob.locator(".msg-body").inner_text() == text
    assert on_bob.locator(".msg-body b").count() == 0
    expect(bob_page.get_by_text("Nog geen berichten")).to_have_count(0)

    # Bob's page is open in front of him, so the message is read, and Alice's phone says so.
    mine = message(alice_page, text)
    expect(mine.locator(".msg-sender")).to_have_text("Jij")
    expect(mine.locator(".msg-state")).to_have_text("gelezen", timeout=LIVE)

    send(bob_page, "Ja hoor, tot vijf uur.")
    expect(message(alice_page, "Ja hoor, tot vijf uur.")).to_be_visible(timeout=LIVE)
    reply = message(bob_page, "Ja hoor, tot vijf uur.")
    expect(reply.locator(".msg-state")).to_have_text("gelezen", timeout=LIVE)

    stored = Message.objects.filter(thread=parents_thread).order_by("seq")
    assert [(m.sender_id, m.body) for m in stored] == [(alice.pk, text), (bob.pk, "Ja hoor, tot vijf uur.")]
    assert MessageRead.objects.filter(message=stored[0], user=bob).exists()
    assert MessageRead.objects.filter(message=stored[1], user=alice).exists()


def test_a_dropped_connection_loses_nothing_and_shows_nothing_twice(
    e2e_server, new_mobile_context, sign_in, parents_thread, alice, bob
):
    alice_page = open_chat(new_mobile_context, sign_in, alice, parents_thread, flaky=True)
    bob_page = open_chat(new_mobile_context, sign_in, bob, parents_thread)
    send(bob_page, "Ben je er nog?")
    expect(message(alice_page, "Ben je er nog?")).to_be_visible(timeout=LIVE)

    # Alice's connection drops and stays away for a while.
    alice_page.evaluate("window.__offline = true; window.__sockets.at(-1).close()")
    expect(alice_page.locator("#conn-state")).to_have_text("Geen verbinding. We proberen het opnieuw…")
    send(alice_page, "Ik zit in de trein")
    expect(message(alice_page, "Ik zit in de trein").locator(".msg-state")).to_have_text("wordt verstuurd")
    send(bob_page, "Bel je straks?")
    expect(message(bob_page, "Bel je straks?").locator(".msg-state")).to_have_text("verstuurd", timeout=LIVE)

    # Back online: her page reconnects by itself, fetches what she missed and sends what waited.
    alice_page.evaluate("window.__offline = false")
    expect(alice_page.locator("#conn-state")).to_have_text("Verbonden", timeout=40_000)
    expect(message(alice_page, "Bel je straks?")).to_be_visible(timeout=LIVE)
    expect(message(bob_page, "Ik zit in de trein")).to_be_visible(timeout=LIVE)
    waited = message(alice_page, "Ik zit in de trein")
    expect(waited.locator(".msg-state")).to_have_text("gelezen", timeout=LIVE)
    for page in (alice_page, bob_page):
        expect(page.locator("li.msg")).to_have_count(3)
    stored = Message.objects.filter(thread=parents_thread).order_by("seq").values_list("body", flat=True)
    assert list(stored) == ["Ben je er nog?", "Bel je straks?", "Ik zit in de trein"]
