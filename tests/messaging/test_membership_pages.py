"""The pages of thread membership: every thread page and the family page say who takes part and who
reads along, by name and role, as it is now; a practitioner proposes a relative on the thread page;
the parents answer on the proposal's page, each for themselves."""

from __future__ import annotations

import re

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation

from messaging.models import ParticipantProposal, ProposalAnswer, ThreadParticipant
from tests.messaging.conftest import add_relative

pytestmark = pytest.mark.django_db


def text_of(html: str) -> str:
    """The page's text as a reader sees it: tags out, spaces folded."""
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.S)
    text = " ".join(re.sub(r"<[^>]+>", " ", html).split())
    return text.replace(" ,", ",").replace(" .", ".").replace(" :", ":")


def people(html: str) -> str:
    return text_of(re.search(r'<dl class="people".*?</dl>', html, re.S).group(0))


def test_the_parents_thread_page_names_who_writes_and_who_reads_along(threads, client_for, alice, bob, carol,
                                                                      pim, rita):
    url = reverse("messaging:thread", args=[threads["parents"].pk])
    page = client_for(alice).get(url).content.decode()
    assert people(page) == ("Doen mee Jij (ouder), Bob Ouder (ouder) "
                            "Lezen mee Carol Coördinator (begeleider), Pim Professional (begeleider)")
    add_relative(threads["parents"], rita, by=carol)
    page = client_for(alice).get(url).content.decode()
    assert people(page) == ("Doen mee Jij (ouder), Bob Ouder (ouder) Lezen mee Rita Oma (familielid), "
                            "Carol Coördinator (begeleider), Pim Professional (begeleider)")
    assert "met de andere ouder" not in page


def test_a_private_thread_page_names_its_people_for_the_practitioner(threads, client_for, alice, pim):
    page = client_for(pim).get(reverse("messaging:thread", args=[threads["alice"].pk])).content.decode()
    assert people(page) == ("Doen mee Alice Ouder (ouder), Carol Coördinator (begeleider), Jij (begeleider) "
                            "Lezen mee niemand")


def test_the_family_page_says_who_is_in_each_thread(threads, client_for, family, alice, bob, carol, pim,
                                                     rita):
    add_relative(threads["parents"], rita, by=carol)
    page = text_of(client_for(alice).get(reverse("families:detail", args=[family.pk])).content.decode())
    # The parents' thread has one unread record: the entry saying that Rita reads along.
    assert ("Ouders samen 1, 1 ongelezen bericht Doen mee: jij (ouder), Bob Ouder (ouder). Lezen mee: "
            "Rita Oma (familielid), Carol Coördinator (begeleider), Pim Professional (begeleider).") in page
    assert ("Jij en de begeleiders Doen mee: jij (ouder), Carol Coördinator (begeleider), Pim Professional "
            "(begeleider). Lezen mee: niemand.") in page
    assert "met de andere ouder" not in page and "je begeleider leest mee" not in page
    practitioner = text_of(client_for(pim).get(reverse("families:detail", args=[family.pk])).content.decode())
    assert "alleen jij en de begeleiders" not in practitioner
    assert ("Alice Ouder en de begeleiders Doen mee: Alice Ouder (ouder), Carol Coördinator (begeleider), "
            "jij") in practitioner


def test_a_practitioner_proposes_on_the_thread_page_and_chooses_the_history(threads, client_for, carol, rita):
    thread = threads["parents"]
    client = client_for(carol)
    response = client.post(reverse("messaging:participant_set", args=[thread.pk]),
                           {"user": rita.pk, "participation": "read", "history": "from_here"})
    assert response.status_code == 302
    proposal = ParticipantProposal.objects.get()
    assert (proposal.user, proposal.can_write, proposal.with_history, proposal.status) == (
        rita, False, False, "open")
    page = text_of(client.get(response["Location"]).content.decode())
    assert "Voorstel verstuurd. Rita Oma doet mee zodra de ouders van dit gesprek ja zeggen" in page
    assert ("Voorstel: leest mee, ziet alleen de berichten vanaf dan. Wacht op: Alice Ouder, "
            "Bob Ouder.") in page
    assert not ThreadParticipant.objects.exists()


def test_a_proposal_without_the_history_choice_is_explained_next_to_the_relative(threads, client_for, carol,
                                                                                 rita):
    response = client_for(carol).post(reverse("messaging:participant_set", args=[threads["parents"].pk]),
                                      {"user": rita.pk, "participation": "write"})
    page = response.content.decode()
    assert response.status_code == 200
    assert f'id="participation-{rita.pk}_error"' in page
    assert ("Kies of Rita Oma ook de eerdere berichten ziet, of alleen de berichten vanaf het moment dat "
            "Rita Oma erbij komt.") in page
    assert '<option value="write" selected>' in page  # the choice as posted
    assert not ParticipantProposal.objects.exists()


def _proposal(threads, carol, rita):
    from messaging import membership

    return membership.participant_propose(actor=carol, thread_id=threads["parents"].pk, user_id=rita.pk,
                                          participation="read", with_history=True)


def _url(proposal):
    return reverse("messaging:proposal", args=[proposal.thread_id, proposal.pk])


def test_each_parent_is_asked_on_the_thread_and_family_pages(threads, family, client_for, alice, carol, rita):
    proposal = _proposal(threads, carol, rita)
    thread_page = text_of(client_for(alice).get(reverse("messaging:thread", args=[threads["parents"].pk]))
                          .content.decode())
    assert ("Carol Coördinator (begeleider) stelt voor dat Rita Oma (familielid) meeleest in dit gesprek. "
            "Dat gebeurt alleen als jij ja zegt.") in thread_page
    thread_html = client_for(alice).get(reverse("messaging:thread", args=[threads["parents"].pk]))
    assert _url(proposal) in thread_html.content.decode()
    family_page = text_of(client_for(alice).get(reverse("families:detail", args=[family.pk]))
                          .content.decode())
    assert "Een voorstel wacht op jouw antwoord." in family_page


def test_the_parents_answer_each_for_themselves_on_the_proposal_page(threads, client_for, alice, bob, carol,
                                                                      rita):
    proposal = _proposal(threads, carol, rita)
    page = text_of(client_for(alice).get(_url(proposal)).content.decode())
    assert "Carol Coördinator (begeleider) stelde op" in page
    assert "Rita Oma ziet dan ook alle eerdere berichten van dit gesprek." in page
    assert "Jij: nog geen antwoord" in page and "Bob Ouder: nog geen antwoord" in page

    # Alice says yes and slips in Bob's id: it counts for her only.
    as_alice = client_for(alice)
    response = as_alice.post(_url(proposal), {"answer": "yes", "user": bob.pk})
    assert response.status_code == 302
    assert list(ProposalAnswer.objects.values_list("user_id", "accepted")) == [(alice.pk, True)]
    page = text_of(as_alice.get(_url(proposal)).content.decode())
    assert "Je hebt ja gezegd. Rita Oma doet pas mee als ook de andere ouder ja zegt." in page
    assert "Ja, ik stem in" not in page  # she cannot answer again

    page = text_of(client_for(bob).get(_url(proposal)).content.decode())
    assert "Alice Ouder: ja" in page and "Jij: nog geen antwoord" in page
    client_for(bob).post(_url(proposal), {"answer": "no"})
    proposal.refresh_from_db()
    assert proposal.status == "declined"
    assert not ThreadParticipant.objects.exists()

    # A yes after the no: the page says why nothing happens.
    response = client_for(alice).post(_url(proposal), {"answer": "yes"})
    assert response.status_code == 200
    assert "Dit voorstel gaat niet door: een ouder heeft nee gezegd." in response.content.decode()
    assert ProposalAnswer.objects.count() == 2


def test_the_last_yes_adds_the_relative_and_the_page_says_so(threads, client_for, alice, bob, carol, rita):
    proposal = _proposal(threads, carol, rita)
    client_for(alice).post(_url(proposal), {"answer": "yes"})
    response = client_for(bob).post(_url(proposal), {"answer": "yes"}, follow=True)
    page = text_of(response.content.decode())
    assert "Je hebt ja gezegd. Rita Oma doet nu mee in het gesprek; iedereen in het gesprek ziet dat." in page
    assert "Rita Oma doet mee sinds" in page
    assert ThreadParticipant.objects.filter(user=rita).exists()


def test_who_may_see_and_act_on_a_proposal(threads, client_for, alice, carol, pim, rita, charlie):
    proposal = _proposal(threads, carol, rita)
    assert client_for(rita).get(_url(proposal)).status_code == 404
    assert client_for(charlie).get(_url(proposal)).status_code == 404
    assert client_for(charlie).post(_url(proposal), {"answer": "yes"}).status_code == 404
    assert client_for(pim).post(_url(proposal), {"answer": "yes"}).status_code == 403
    assert client_for(alice).post(_url(proposal), {"withdraw": "1"}).status_code == 403
    wrong_thread = reverse("messaging:proposal", args=[threads["alice"].pk, proposal.pk])
    assert client_for(alice).get(wrong_thread).status_code == 404
    assert not ProposalAnswer.objects.exists()

    response = client_for(pim).post(_url(proposal), {"withdraw": "1"}, follow=True)
    assert "Het voorstel is ingetrokken." in response.content.decode()
    proposal.refresh_from_db()
    assert proposal.status == "withdrawn"


@pytest.fixture
def dutch_afterwards():
    """A request in a user's own language leaves that language active in this thread (the
    middleware activates it): later tests expect the default again."""
    yield
    translation.activate(settings.LANGUAGE_CODE)


def test_the_pages_in_english(threads, client_for, alice, carol, rita, dutch_afterwards):
    proposal = _proposal(threads, carol, rita)
    alice.language = "en"
    alice.save(update_fields=["language"])
    client = client_for(alice)
    page = text_of(client.get(reverse("messaging:thread", args=[threads["parents"].pk])).content.decode())
    assert "Taking part You (parent), Bob Ouder (parent)" in page
    assert "Reading along Carol Coördinator (practitioner)" in page
    assert "Carol Coördinator (practitioner) proposes that Rita Oma (relative) reads along" in page
    page = text_of(client.get(_url(proposal)).content.decode())
    assert "Yes, I consent" in page and "No, I would rather not" in page
