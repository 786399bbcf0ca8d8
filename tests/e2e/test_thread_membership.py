"""Thread membership in a real Chromium at 360 px (issue 9, item 4): a parent answers a proposal on
a phone, and the open chat shows, live, who joined and left, in the timeline and in the list of
who takes part and who reads along."""

from __future__ import annotations

import pytest
from django.urls import reverse

from messaging import membership
from messaging.models import Thread
from messaging.services import threads_ensure_for_family

pytestmark = pytest.mark.e2e

WIDTH = "document.documentElement.scrollWidth"


def test_a_parent_consents_on_a_phone_and_the_open_chat_shows_who_joined_and_left(
        e2e_server, new_mobile_context, sign_in, family, alice, bob, carol, pim, rita):
    threads_ensure_for_family(family=family)
    thread = Thread.objects.get(family=family, kind="parents")
    proposal = membership.participant_propose(actor=carol, thread_id=thread.pk, user_id=rita.pk,
                                              participation="read", with_history=False)

    context = new_mobile_context()
    sign_in(context, alice)
    page = context.new_page()
    page.goto(reverse("messaging:proposal", args=[thread.pk, proposal.pk]))
    assert page.evaluate(WIDTH) <= 360
    page.get_by_role("button", name="Ja, ik stem in").click()
    page.wait_for_selector(".message-success")
    assert "doet pas mee als ook de andere ouder ja zegt" in page.locator(".message-success").inner_text()

    chat = context.new_page()
    chat.goto(reverse("messaging:thread", args=[thread.pk]))
    chat.wait_for_selector("#conn-state[data-state=online]")
    assert "Rita Oma" not in chat.locator("#people").inner_text()

    other = new_mobile_context()  # the other parent, on his own phone: the last yes
    sign_in(other, bob)
    answer = other.new_page()
    answer.goto(reverse("messaging:proposal", args=[thread.pk, proposal.pk]))
    assert "Alice Ouder: ja" in " ".join(answer.locator("main").inner_text().split())
    answer.get_by_role("button", name="Ja, ik stem in").click()
    answer.wait_for_selector(".message-success")

    entry = chat.locator("li.msg.system").first
    entry.wait_for()
    assert entry.locator(".msg-body").inner_text() == (
        "Rita Oma (familielid) leest nu mee in dit gesprek. Rita Oma ziet alleen de berichten vanaf hier, "
        "niet de eerdere. Voorgesteld door Carol Coördinator, met instemming van Alice Ouder en Bob Ouder.")
    chat.wait_for_selector("#people-read li[data-user]:has-text('Rita Oma')")
    assert chat.locator("#people-read").inner_text().startswith("Carol Coördinator (begeleider), ")
    assert chat.evaluate(WIDTH) <= 360

    practitioner = new_mobile_context()  # a practitioner takes her out again: no consent needed
    sign_in(practitioner, pim)
    manage = practitioner.new_page()
    manage.goto(reverse("messaging:thread", args=[thread.pk]))
    manage.locator("main details.participants > summary").click()
    manage.get_by_label("Wat mag Rita Oma in dit gesprek?").select_option("none")
    manage.locator("form.participant-form button[type=submit]").click()
    manage.wait_for_selector(".message-success")
    assert manage.evaluate(WIDTH) <= 360
    chat.locator("li.msg.system").nth(1).wait_for()
    assert chat.locator("li.msg.system").nth(1).inner_text().startswith(
        "Rita Oma (familielid) leest niet meer mee in dit gesprek.")
    chat.wait_for_function("!document.querySelector('#people-read').textContent.includes('Rita Oma')")
    assert "Rita Oma" not in chat.locator("#people").inner_text()


def test_the_other_parents_open_chat_shows_her_new_name_live(e2e_server, new_mobile_context, sign_in, family,
                                                             alice, bob, carol):
    threads_ensure_for_family(family=family)
    thread = Thread.objects.get(family=family, kind="parents")
    other = new_mobile_context()
    sign_in(other, bob)
    chat = other.new_page()
    chat.goto(reverse("messaging:thread", args=[thread.pk]))
    chat.wait_for_selector("#conn-state[data-state=online]")

    context = new_mobile_context()
    sign_in(context, alice)
    page = context.new_page()
    page.goto(reverse("accounts:name_change"))
    page.get_by_label("Je naam").fill("Alice de Vries")
    page.locator("main form button[type=submit]").click()
    page.wait_for_selector(".message-success")

    entry = chat.locator("li.msg.system").first
    entry.wait_for()
    assert entry.locator(".msg-body").inner_text() == (
        "Alice Ouder (ouder) heet voortaan Alice de Vries. Dat is dezelfde persoon met een andere naam.")
    assert chat.evaluate(WIDTH) <= 360
