"""A parent's words on the plan (comments, the reason for disagreeing) follow the family's contact
mode, as chat messages do (parentingplan.extensions, moderation.plan):

- direct: to the family, tone-assessed; a possible threat is held and the family goes moderated;
- moderated: held for a practitioner, who releases them or returns them with a note;
- indirect: the author and the practitioners only.

Run as the other parent would try to read the words: the plan page, the history page, the live
socket, the frozen plan's PDF and the AVG download."""

from __future__ import annotations

import json

import pytest
from django.db import DatabaseError, transaction

from audit import actions
from audit.models import AuditEntry
from core.errors import Conflict, Invalid, NotFound, PermissionDenied
from moderation.selectors import contact_mode
from parentingplan import services
from parentingplan.models import Comment, PlanVersion, SectionOpinion, WordsDecision
from tests.moderation.conftest import set_mode
from tests.parentingplan.conftest import agree, approve, fill_and_agree, save, section_of

pytestmark = pytest.mark.django_db

ALICE_WORDS = "ALICE-RAUW: zo doen we dat niet met Noor"
ALICE_REASON = "ALICE-REDEN: de woensdag past niet bij mijn werk"
CAROL_WORDS = "Carol: laten we de woensdag samen bespreken."


@pytest.fixture
def costs(plan, alice):
    section = section_of(plan, "costs")
    save(alice, section, "<p>Ieder betaalt de helft.</p>")
    return section


def comment(user, section, body=ALICE_WORDS):
    return services.comment_add(user=user, section_id=section.pk, body=body)


def plan_page(client_for, user, family):
    response = client_for(user).get(f"/gezin/{family.pk}/plan/")
    assert response.status_code == 200
    return response.content.decode()


def history_page(client_for, user, section):
    response = client_for(user).get(f"/plan/onderdeel/{section.pk}/geschiedenis/")
    assert response.status_code == 200
    return response.content.decode()


def decide(client_for, user, kind, item_id, decision, note=""):
    return client_for(user).post(f"/plan/{kind}/{item_id}/besluit/", {"decision": decision, "note": note},
                                 follow=True)


# -- indirect: the author and the practitioners only ---------------------------------------------


def test_in_indirect_contact_a_parents_comment_is_for_the_practitioners_and_the_author_only(
        family, alice, bob, carol, costs, client_for):
    set_mode(family, carol, "indirect")
    frame = comment(alice, costs)
    stored = Comment.objects.get()
    assert stored.body == ALICE_WORDS and stored.visibility == "practitioners" and not stored.held
    assert frame["comment"]["state"] == "private"
    assert ALICE_WORDS not in plan_page(client_for, bob, family)
    carols = plan_page(client_for, carol, family)
    assert ALICE_WORDS in carols and "alleen voor begeleiders" in carols
    alices = plan_page(client_for, alice, family)
    assert ALICE_WORDS in alices and "alleen voor jou en je begeleider" in alices
    # The page where Alice writes says so.
    assert "alleen jij en je begeleider lezen deze opmerking" in alices


def test_in_indirect_contact_the_words_go_live_only_to_the_practitioners_and_the_author(
        family, alice, bob, carol, costs, sent, django_capture_on_commit_callbacks):
    set_mode(family, carol, "indirect")
    sent.clear()
    with django_capture_on_commit_callbacks(execute=True):
        comment(alice, costs)
    with django_capture_on_commit_callbacks(execute=True):
        agree(alice, costs, agrees=False, reason=ALICE_REASON)
    plan_id = costs.plan_id
    reached = {group for group, frame in sent
               if ALICE_WORDS in json.dumps(frame) or ALICE_REASON in json.dumps(frame)}
    assert reached == {f"plan.{plan_id}.pro", f"user.{alice.pk}"}
    # The family still learns of the disagreement (not of its words).
    family_frames = [frame for group, frame in sent if group == f"plan.{plan_id}.family"]
    assert [f["type"] for f in family_frames] == ["section.status"]
    assert family_frames[0]["status"] == "disputed" and family_frames[0]["disputes"][0]["reason"] is None


def test_in_indirect_contact_the_disagreement_counts_at_once_but_the_reason_stays_private(
        family, alice, bob, carol, costs, client_for):
    set_mode(family, carol, "indirect")
    frame = agree(alice, costs, agrees=False, reason=ALICE_REASON)
    costs.refresh_from_db()
    assert costs.status == "disputed" and frame["status"] == "disputed"
    opinion = SectionOpinion.objects.get(user=alice)
    assert opinion.reason == ALICE_REASON and opinion.reason_to == "practitioners"
    bobs = plan_page(client_for, bob, family)
    assert "Alice Ouder</strong> is het er niet mee eens." in bobs and ALICE_REASON not in bobs
    assert ALICE_REASON not in history_page(client_for, bob, costs)
    assert ALICE_REASON in history_page(client_for, carol, costs)
    assert ALICE_REASON in plan_page(client_for, alice, family)
    assert "Je uitleg lezen alleen jij en je begeleider" in plan_page(client_for, alice, family)
    # Bob's own view of the plan (plan.join) carries the disagreement, not the words.
    state, _groups, _role = services.plan_open(user=bob, plan_id=costs.plan_id)
    assert ALICE_REASON not in json.dumps(state)
    dispute = next(s for s in state["sections"] if s["id"] == costs.pk)["disputes"][0]
    assert dispute["user"]["id"] == alice.pk and dispute["reason"] is None


def test_words_from_indirect_contact_cannot_be_released_later(family, alice, bob, carol, costs, client_for):
    set_mode(family, carol, "indirect")
    comment(alice, costs)
    set_mode(family, carol, "direct")
    with pytest.raises(Invalid):
        services.plan_words_decide(actor=carol, comment_id=Comment.objects.get().pk, decision="release")
    assert not WordsDecision.objects.exists()
    assert ALICE_WORDS not in plan_page(client_for, bob, family)


# -- moderated: held until a practitioner releases or returns -----------------------------------


def test_in_moderated_contact_a_comment_waits_for_the_practitioner_and_a_release_shows_it(
        family, alice, bob, carol, costs, client_for):
    set_mode(family, carol, "moderated")
    comment(alice, costs)
    held = Comment.objects.get()
    assert held.held and held.visibility == "family"
    assert ALICE_WORDS not in plan_page(client_for, bob, family)
    assert "wacht op de begeleider" in plan_page(client_for, alice, family)
    assert "Je begeleider leest je opmerking eerst" in plan_page(client_for, alice, family)
    carols = plan_page(client_for, carol, family)
    assert ALICE_WORDS in carols and f"/plan/opmerking/{held.pk}/besluit/" in carols

    response = decide(client_for, carol, "opmerking", held.pk, "release")
    assert response.status_code == 200 and "Doorgelaten naar het gezin." in response.content.decode()
    assert ALICE_WORDS in plan_page(client_for, bob, family)
    entry = AuditEntry.objects.get(action=actions.PLAN_WORDS_DECIDED)
    assert (entry.actor, entry.subject_user, entry.details["decision"]) == (carol, alice, "release")
    assert ALICE_WORDS not in json.dumps(entry.details)


def test_a_returned_comment_never_reaches_the_other_parent_and_its_author_reads_the_note(
        family, alice, bob, carol, costs, client_for):
    set_mode(family, carol, "moderated")
    comment(alice, costs)
    held = Comment.objects.get()
    decide(client_for, carol, "opmerking", held.pk, "return", note="Schrijf wat je voorstelt.")
    alices = plan_page(client_for, alice, family)
    assert "teruggestuurd door de begeleider" in alices and "Schrijf wat je voorstelt." in alices
    bobs = plan_page(client_for, bob, family)
    assert ALICE_WORDS not in bobs and "Schrijf wat je voorstelt." not in bobs
    assert Comment.objects.get().body == ALICE_WORDS  # nothing the author wrote is lost
    # Decided once: a second decision (the other practitioner, a resent form) changes nothing.
    with pytest.raises(Conflict):
        services.plan_words_decide(actor=carol, comment_id=held.pk, decision="release")
    assert list(WordsDecision.objects.values_list("kind", flat=True)) == ["return"]


def test_in_moderated_contact_the_reason_is_held_and_the_disagreement_counts_at_once(
        family, alice, bob, carol, costs, client_for):
    set_mode(family, carol, "moderated")
    agree(alice, costs, agrees=False, reason=ALICE_REASON)
    costs.refresh_from_db()
    assert costs.status == "disputed"
    assert ALICE_REASON not in plan_page(client_for, bob, family)
    assert ALICE_REASON not in history_page(client_for, bob, costs)
    opinion = SectionOpinion.objects.get(user=alice, agrees=False)
    assert f"/plan/reden/{opinion.pk}/besluit/" in plan_page(client_for, carol, family)
    decide(client_for, carol, "reden", opinion.pk, "release")
    assert ALICE_REASON in plan_page(client_for, bob, family)
    assert ALICE_REASON in history_page(client_for, bob, costs)


def test_a_practitioners_comment_is_never_held(family, alice, bob, carol, costs, client_for):
    set_mode(family, carol, "moderated")
    comment(carol, costs, CAROL_WORDS)
    assert not Comment.objects.get().held
    assert CAROL_WORDS in plan_page(client_for, bob, family)


@pytest.mark.parametrize("who", ["bob", "alice", "charlie"])
def test_only_a_practitioner_of_the_family_decides_on_held_words(
        family, alice, bob, carol, charlie, costs, client_for, who):
    set_mode(family, carol, "moderated")
    comment(alice, costs)
    held = Comment.objects.get()
    user = {"bob": bob, "alice": alice, "charlie": charlie}[who]
    with pytest.raises(NotFound if who == "charlie" else PermissionDenied):
        services.plan_words_decide(actor=user, comment_id=held.pk, decision="release")
    response = client_for(user).post(f"/plan/opmerking/{held.pk}/besluit/", {"decision": "release"})
    assert response.status_code == (404 if who == "charlie" else 403)
    assert not WordsDecision.objects.exists()
    assert AuditEntry.objects.filter(action=actions.ACCESS_DENIED, actor=user).exists()


def test_a_bad_decision_is_a_clear_error_and_stores_nothing(family, alice, carol, costs, client_for):
    set_mode(family, carol, "moderated")
    comment(alice, costs)
    held = Comment.objects.get()
    response = decide(client_for, carol, "opmerking", held.pk, "delete")
    assert response.status_code == 200 and "Kies doorlaten of terugsturen." in response.content.decode()
    assert client_for(carol).post("/plan/iets/1/besluit/", {"decision": "release"}).status_code == 404
    assert not WordsDecision.objects.exists()


# -- direct: as before, tone-checked ------------------------------------------------------------


def test_in_direct_contact_a_comment_reaches_the_family_with_its_tone_kept(
        family, alice, bob, carol, costs, client_for):
    comment(alice, costs, "Jij bent ALTIJD te laat!!! Idioot.")
    stored = Comment.objects.get()
    assert not stored.held and stored.visibility == "family"
    assert stored.tone["level"] in ("hostile", "caution") and stored.tone["version"]
    assert "Idioot" in plan_page(client_for, bob, family)


def test_in_direct_contact_a_threat_is_held_and_the_family_goes_moderated(family, alice, bob, carol, costs,
                                                                         client_for):
    comment(alice, costs, "Als je dat doet, maak ik je kapot. Ik weet waar je woont.")
    stored = Comment.objects.get()
    assert stored.tone["level"] == "threat" and stored.held
    assert contact_mode(family_id=family.pk).mode == "moderated"
    assert "kapot" not in plan_page(client_for, bob, family)


# -- the other ways out: the PDF and the AVG download -------------------------------------------


def test_the_frozen_plan_and_the_other_parents_avg_download_hold_no_private_words(
        plan, family, alice, bob, carol, client_for, password):
    from tests.accounts.test_personal_data import download
    from tests.parentingplan.test_plan_pdf import pdf_text

    set_mode(family, carol, "indirect")
    costs = section_of(plan, "costs")
    save(alice, costs, "<p>Ieder betaalt de helft.</p>")
    agree(alice, costs, agrees=False, reason=ALICE_REASON)
    comment(alice, costs)
    fill_and_agree(plan, alice, [alice, bob])  # Alice agrees after all: the plan can be frozen
    approve(alice, plan)
    approve(bob, plan)
    assert PlanVersion.objects.filter(plan=plan).exists()
    _pages, text = pdf_text(client_for(bob), plan)
    assert "ALICE-RAUW" not in text and "ALICE-REDEN" not in text
    bobs = download(client_for, bob, password).content.decode()
    assert "ALICE-RAUW" not in bobs and "ALICE-REDEN" not in bobs
    alices = download(client_for, alice, password).content.decode()
    assert "ALICE-RAUW" in alices  # her own words, with where they went


def test_held_words_and_decisions_are_append_only(family, alice, carol, costs):
    set_mode(family, carol, "moderated")
    comment(alice, costs)
    held = Comment.objects.get()
    services.plan_words_decide(actor=carol, comment_id=held.pk, decision="return", note="Anders, graag.")
    agree(alice, costs, agrees=False, reason=ALICE_REASON)
    for statement in (lambda: Comment.objects.filter(pk=held.pk).update(held=False),
                      lambda: WordsDecision.objects.all().delete(),
                      lambda: SectionOpinion.objects.all().update(reason_to="family")):
        with pytest.raises(DatabaseError), transaction.atomic():
            statement()


def test_the_practitioners_caseload_says_how_many_words_wait_for_them(
        family, alice, bob, carol, costs, client_for):
    from django.urls import reverse

    from parentingplan.selectors import held_words_count

    set_mode(family, carol, "moderated")
    comment(alice, costs)
    agree(alice, costs, agrees=False, reason=ALICE_REASON)
    assert held_words_count(family_ids=[family.pk]) == {family.pk: 2}
    home = client_for(carol).get(reverse("families:home")).content.decode()
    assert "2 opmerkingen in het plan wachten op je" in home
    # A new revision: the reason was about the old one, so it no longer waits (the page would not show it).
    save(bob, costs, "<p>Ieder betaalt naar inkomen.</p>")
    assert held_words_count(family_ids=[family.pk]) == {family.pk: 1}
    services.plan_words_decide(actor=carol, comment_id=Comment.objects.get().pk, decision="release")
    assert held_words_count(family_ids=[family.pk]) == {}
