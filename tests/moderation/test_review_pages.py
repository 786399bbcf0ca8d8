"""The pages: the review queue for practitioners only, the chat banner that says the family's mode in
plain words (and, in indirect mode, why a parent cannot write in the parents' thread and where to
write instead), and the relay form for practitioners in a parent's own thread."""

from __future__ import annotations

import re
import uuid

import pytest
from django.urls import reverse

from audit import actions
from audit.models import AuditEntry
from messaging import services as chat
from tests.moderation.conftest import set_mode

pytestmark = pytest.mark.django_db


def page(client, url) -> str:
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def visible_mode_text(body: str) -> str:
    """The banner's paragraph that is not hidden."""
    shown = re.findall(r'<p class="mode-text" data-mode-text="(\w+)">(.*?)</p>', body, re.S)
    assert len(shown) == 1
    return " ".join(shown[0][1].split())


@pytest.mark.parametrize("who", ["carol", "pim"])
def test_the_familys_practitioners_open_the_review_queue(request, family, client_for, who):
    url = reverse("moderation:review_queue", args=[family.pk])
    body = page(client_for(request.getfixturevalue(who)), url)
    assert "Berichten beoordelen" in body
    assert f'data-family="{family.pk}"' in body and "js/review.js" in body
    assert 'id="review-labels" type="application/json"' in body  # data, not a script to run
    assert "<script>" not in body


@pytest.mark.parametrize(("who", "status"), [("alice", 403), ("bob", 403), ("rita", 403), ("charlie", 404)])
def test_parents_relatives_and_strangers_cannot_open_the_queue(request, family, client_for, who, status):
    url = reverse("moderation:review_queue", args=[family.pk])
    assert client_for(request.getfixturevalue(who)).get(url).status_code == status


def test_the_family_card_leads_practitioners_to_the_queue_with_its_size(moderated, family, alice, carol,
                                                                        client_for):
    chat.message_send(sender=alice, thread_id=moderated["parents"].pk, body="Hoi", client_id=uuid.uuid4())
    url = reverse("moderation:review_queue", args=[family.pk])
    body = page(client_for(carol), reverse("families:detail", args=[family.pk]))
    assert url in body and "(1 wacht)" in body
    assert url not in page(client_for(alice), reverse("families:detail", args=[family.pk]))


def test_in_moderated_mode_the_chat_says_so_in_plain_words(moderated, alice, carol, client_for):
    url = reverse("messaging:thread", args=[moderated["parents"].pk])
    body = page(client_for(alice), url)
    assert visible_mode_text(body).startswith(
        "<strong>Contact met meelezen.</strong> Een begeleider leest je berichten aan de andere ouder eerst.")
    assert re.search(r'<form class="composer" id="composer" novalidate>', body)  # she can write
    assert 'data-mode="moderated"' in body
    assert "Ouders sturen elkaar" not in visible_mode_text(body)
    practitioner = page(client_for(carol), url)
    assert "wachten op een begeleider" in visible_mode_text(practitioner)
    queue = reverse("moderation:review_queue", args=[moderated["parents"].family_id])
    assert f'href="{queue}"' in practitioner and queue not in body


def test_in_indirect_mode_the_parents_thread_says_why_and_where_to_write(indirect, alice, carol, client_for):
    body = page(client_for(alice), reverse("messaging:thread", args=[indirect["parents"].pk]))
    assert "Jullie schrijven elkaar nu niet rechtstreeks" in visible_mode_text(body)
    assert re.search(r'<form class="composer" id="composer" novalidate hidden>', body)
    blocked = re.search(r'<p class="mode-blocked" data-mode-blocked>(.*?)</p>', body, re.S).group(1)
    assert "Daarom kun je hier nu niet schrijven." in blocked
    assert reverse("messaging:thread", args=[indirect["alice"].pk]) in blocked

    # Her own thread takes messages, and says the same mode in the same words.
    own = page(client_for(alice), reverse("messaging:thread", args=[indirect["alice"].pk]))
    assert re.search(r'<form class="composer" id="composer" novalidate>', own)
    assert "Jullie schrijven elkaar nu niet rechtstreeks" in visible_mode_text(own)


def test_in_direct_mode_the_chat_says_so_and_hides_nothing(threads, alice, client_for):
    body = page(client_for(alice), reverse("messaging:thread", args=[threads["parents"].pk]))
    assert "Jullie sturen elkaar rechtstreeks berichten." in visible_mode_text(body)
    assert 'data-mode-blocked hidden' in body  # ready for a switch to indirect, not shown


def test_the_banner_is_ready_for_every_mode_for_the_live_switch(threads, family, alice, carol, client_for):
    body = page(client_for(alice), reverse("messaging:thread", args=[threads["parents"].pk]))
    assert sorted(re.findall(r'data-mode-text="(\w+)"', body)) == ["direct", "indirect", "moderated"]
    assert f'data-family="{family.pk}"' in body and 'data-blocks="indirect"' in body
    set_mode(family, carol, "moderated")
    private = page(client_for(alice), reverse("messaging:thread", args=[threads["alice"].pk]))
    assert 'data-blocks=""' in private  # her own thread is never closed to her


def test_practitioners_get_a_relay_form_in_a_parents_own_thread(indirect, alice, bob, carol, client_for):
    chat.message_send(sender=alice, thread_id=indirect["alice"].pk, body="Hij heeft koorts.",
                      client_id=uuid.uuid4())
    body = page(client_for(carol), reverse("messaging:thread", args=[indirect["bob"].pk]))
    form = re.search(r'<form id="relay-form".*?</form>', body, re.S).group(0)
    assert "Uit het gesprek van Alice Ouder" in form and "Hij heeft koorts." in form
    assert re.search(r'<input type="checkbox" name="source" value="\d+">', form)
    entry = AuditEntry.objects.get(action=actions.THREAD_VIEWED, target_id=str(indirect["alice"].pk))
    assert entry.actor == carol

    for user, thread in ((bob, "bob"), (carol, "parents")):
        assert 'id="relay-form"' not in page(client_for(user), reverse("messaging:thread",
                                                                       args=[indirect[thread].pk]))
    own = page(client_for(bob), reverse("messaging:thread", args=[indirect["bob"].pk]))
    assert "Hij heeft koorts." not in own


def test_the_other_parent_does_not_see_in_the_access_log_that_a_message_was_returned_or_rephrased(
        moderated, family, alice, bob, carol, client_for):
    from moderation import services

    def hold(body):
        return chat.message_send(sender=alice, thread_id=moderated["parents"].pk, body=body,
                                 client_id=uuid.uuid4())[0].frame["id"]

    services.review_decide(actor=carol, item_id=hold("Eén"), decision="return", reason="blame")
    rephrased = hold("Twee")
    services.review_decide(actor=carol, item_id=rephrased, decision="rephrase", body="Twee, vriendelijker")
    services.rephrase_answer(actor=alice, item_id=rephrased, accept=True)
    url = reverse("families:access_log", args=[family.pk])

    for who, shown in ((alice, True), (carol, True), (bob, False)):
        body = page(client_for(who), url)
        assert ("beoordeelde een bericht" in body) is shown, who
        assert ("antwoordde op een voorstel voor een bericht" in body) is shown, who
