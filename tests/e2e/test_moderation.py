"""Moderated contact on three phones (360 x 740, Dutch), against a real Daphne: a parent's message
waits for review on her own phone, the practitioner releases it from the review queue with one tap,
and the other parent receives it live. Then a returned and a rephrased message, as the sender sees
them; and in indirect mode, a relay from one parent's thread to the other's."""

from __future__ import annotations

import uuid

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from messaging.models import Message
from messaging.services import message_send, threads_ensure_for_family
from moderation.services import contact_mode_change
from tests.e2e.test_chat import message, open_chat, send
from tests.e2e.test_mobile_layout import assert_fits_a_phone

pytestmark = pytest.mark.e2e

LIVE = 15_000  # ms, at most, for something to show up on another phone


@pytest.fixture
def moderated_thread(family, alice, bob, carol):
    threads_ensure_for_family(family=family)
    contact_mode_change(actor=carol, family_id=family.pk, mode="moderated", reason="Veel spanning deze week")
    return family.threads.get(kind="parents")


def open_queue(new_mobile_context, sign_in, user, family):
    context = new_mobile_context()
    sign_in(context, user)
    page = context.new_page()
    page.goto(reverse("moderation:review_queue", args=[family.pk]))
    expect(page.locator("#conn-state")).to_have_text("Verbonden")
    return page


def test_a_held_message_waits_is_released_from_the_phone_queue_and_reaches_the_other_parent_live(
        e2e_server, new_mobile_context, sign_in, family, moderated_thread, alice, bob, carol):
    alice_page = open_chat(new_mobile_context, sign_in, alice, moderated_thread)
    bob_page = open_chat(new_mobile_context, sign_in, bob, moderated_thread)
    queue = open_queue(new_mobile_context, sign_in, carol, family)
    expect(alice_page.locator("#mode-banner")).to_contain_text("Een begeleider leest je berichten")
    expect(queue.get_by_text("Er wachten geen berichten.")).to_be_visible()

    text = "Kun je zaterdag om 10:00 bij de bieb zijn met de kinderen?"
    send(alice_page, text)

    mine = message(alice_page, text)
    expect(mine).to_be_visible(timeout=LIVE)
    expect(mine.locator(".msg-state")).to_have_text("wacht op beoordeling")
    assert_fits_a_phone(alice_page, "the sender's chat with a held message")

    item = queue.locator("li.review-item").filter(has_text=text)
    expect(item).to_be_visible(timeout=LIVE)
    expect(item.locator(".item-sender")).to_have_text("Alice Ouder")
    assert_fits_a_phone(queue, "the review queue")
    item.get_by_role("button", name="Terugsturen…").click()
    expect(item.get_by_label("Reden (de ouder ziet die)")).to_be_focused()
    assert_fits_a_phone(queue, "the review queue with the return form open")
    item.get_by_role("button", name="Annuleren").click()
    assert Message.objects.filter(thread=moderated_thread).count() == 0
    expect(bob_page.get_by_text("Nog geen berichten. Schrijf het eerste bericht.")).to_be_visible()

    item.get_by_role("button", name="Doorlaten").tap()

    expect(item).to_have_count(0, timeout=LIVE)
    expect(queue.get_by_text("Er wachten geen berichten.")).to_be_visible()
    on_bob = message(bob_page, text)
    expect(on_bob).to_be_visible(timeout=LIVE)
    expect(on_bob.locator(".msg-sender")).to_have_text("Alice Ouder")
    # On Alice's phone the waiting bubble became her message in the conversation, once.
    delivered = alice_page.locator('li.msg.mine[data-seq="1"]')
    expect(delivered.locator(".msg-body")).to_have_text(text, timeout=LIVE)
    expect(alice_page.locator("li.msg.draft")).to_have_count(0)
    expect(message(alice_page, text)).to_have_count(1)

    # The coordinator moves the family to indirect contact (on her phone): Alice's open chat says so at once,
    # closes the composer and shows where to write instead.
    queue.goto(reverse("moderation:contact_mode", args=[family.pk]))
    queue.get_by_label("contact via de begeleider").check()
    queue.get_by_label("Waarom").fill("Het escaleert")
    queue.get_by_role("button", name="Opslaan en ouders laten weten").click()
    expect(queue.get_by_text("De manier van contact is veranderd.")).to_be_visible()
    banner = alice_page.locator("#mode-banner")
    expect(banner).to_contain_text("Jullie schrijven elkaar nu niet rechtstreeks", timeout=LIVE)
    expect(banner.locator('[data-mode-text="moderated"]')).to_be_hidden()
    expect(alice_page.locator("#composer")).to_be_hidden()
    expect(banner.get_by_role("link", name="Schrijf in je eigen gesprek met je begeleider")).to_be_visible()


def test_the_sender_sees_a_return_with_its_reason_and_accepts_a_rephrasing(
        e2e_server, new_mobile_context, sign_in, family, moderated_thread, alice, bob, carol):
    alice_page = open_chat(new_mobile_context, sign_in, alice, moderated_thread)
    bob_page = open_chat(new_mobile_context, sign_in, bob, moderated_thread)
    queue = open_queue(new_mobile_context, sign_in, carol, family)
    returned, rude = "Jij regelt ook nooit iets.", "Als je weer te laat bent, merk je het wel."
    send(alice_page, returned)
    send(alice_page, rude)

    first = queue.locator("li.review-item").filter(has_text=returned)
    first.get_by_role("button", name="Terugsturen…").click()
    first.get_by_label("Reden (de ouder ziet die)").select_option(label="Verwijt")
    first.get_by_label("Toelichting voor de ouder (niet verplicht)").fill("Schrijf wat je nodig hebt.")
    first.get_by_role("button", name="Terugsturen", exact=True).click()
    back = message(alice_page, returned)
    expect(back.locator(".msg-state")).to_have_text("teruggestuurd, niet verstuurd", timeout=LIVE)
    expect(back).to_contain_text("Je begeleider denkt dat dit bericht als een verwijt kan overkomen.")
    expect(back).to_contain_text("Schrijf wat je nodig hebt.")

    second = queue.locator("li.review-item").filter(has_text=rude)
    second.get_by_role("button", name="Herschrijven…").click()
    proposal = "Wil je zaterdag op tijd zijn? Dat is fijn voor de kinderen."
    second.get_by_label("Jouw voorstel (de ouder kiest of het zo verstuurd wordt)").fill(proposal)
    second.get_by_role("button", name="Voorstel sturen").click()
    asked = message(alice_page, rude)
    expect(asked).to_contain_text("Je begeleider stelt voor om het zo te versturen:", timeout=LIVE)
    assert_fits_a_phone(alice_page, "the sender's chat with a suggestion")
    asked.get_by_role("button", name="Zo versturen").tap()

    on_bob = message(bob_page, proposal)
    expect(on_bob).to_be_visible(timeout=LIVE)
    mine = alice_page.locator('li.msg.mine[data-seq="1"]')
    expect(mine.locator(".msg-body")).to_have_text(proposal, timeout=LIVE)
    expect(mine.locator(".rephrased-note")).to_have_text("Herschreven met jouw akkoord")
    for words in (returned, rude):
        expect(bob_page.get_by_text(words)).to_have_count(0)

    # After a reload, the returned message and its reason are still there for Alice.
    alice_page.reload()
    expect(message(alice_page, returned).locator(".msg-state")).to_have_text("teruggestuurd, niet verstuurd")
    expect(alice_page.locator('li.msg.mine[data-seq="1"] .rephrased-note')).to_be_visible()


def test_in_indirect_mode_a_practitioner_relays_from_one_parents_thread_to_the_other(
        e2e_server, new_mobile_context, sign_in, family, alice, bob, carol):
    threads_ensure_for_family(family=family)
    contact_mode_change(actor=carol, family_id=family.pk, mode="indirect", reason="Parallel ouderschap")
    alices, bobs = (family.threads.get(kind="private", owner=parent) for parent in (alice, bob))
    said = "Sem heeft koorts, hij blijft dit weekend bij mij."
    message_send(sender=alice, thread_id=alices.pk, body=said, client_id=uuid.uuid4())

    # Alice cannot write in the parents' thread, and is told where to write.
    alice_page = open_chat(new_mobile_context, sign_in, alice, family.threads.get(kind="parents"))
    expect(alice_page.locator("#composer")).to_be_hidden()
    own = alice_page.get_by_role("link", name="Schrijf in je eigen gesprek met je begeleider")
    expect(own).to_have_attribute("href", reverse("messaging:thread", args=[alices.pk]))

    bob_page = open_chat(new_mobile_context, sign_in, bob, bobs)
    carol_page = open_chat(new_mobile_context, sign_in, carol, bobs)
    carol_page.get_by_text("Doorgeven aan Bob Ouder").click()
    assert_fits_a_phone(carol_page, "the relay form")
    carol_page.get_by_label(said).check()
    relayed = "Alice laat weten dat Sem koorts heeft. Zullen jullie het weekend ruilen?"
    carol_page.get_by_label("Je bericht aan Bob Ouder").fill(relayed)
    carol_page.get_by_role("button", name="Doorgeven", exact=True).click()

    on_bob = message(bob_page, relayed)
    expect(on_bob).to_be_visible(timeout=LIVE)
    expect(on_bob.locator(".msg-sender")).to_have_text("Carol Coördinator")
    expect(on_bob.locator(".relay-note")).to_have_text("Doorgegeven door je begeleider")
    expect(bob_page.get_by_text(said)).to_have_count(0)
    mine = message(carol_page, relayed)
    expect(mine.locator(".relay-note")).to_have_text("Uit 1 bericht(en) van de andere ouder", timeout=LIVE)
