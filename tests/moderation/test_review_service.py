"""Moderated mode in the services: a parent's message in the parents' thread is held as a draft (not a
message of the thread), decided on by a practitioner, and what became of it is a chain of append-only
records; the chat's send path pays no query of its own for it (the family's mode and policy come
with the sends' access check)."""

from __future__ import annotations

import uuid

import pytest
from django.db import DatabaseError, connection, transaction
from django.test.utils import CaptureQueriesContext

from audit import actions
from audit.models import AuditEntry
from core.errors import Conflict, Invalid, NotFound, PermissionDenied
from families.models import Role
from messaging import extensions as chat_extensions
from messaging import services as chat
from messaging.extensions import Held, ScreenedSend
from messaging.models import Message, Thread
from messaging.records import verify_thread
from messaging.selectors import access_thread
from moderation import records, services
from moderation.models import Decision, Draft
from moderation.tone import VERSION, assess
from tests.factories import FamilyFactory, MembershipFactory, UserFactory
from tests.messaging.conftest import add_relative
from tests.moderation.conftest import set_mode

WORDS = "Jij bent altijd te laat met de kinderen, ongelooflijk."
ACCESS_STATEMENT = "WITH r(thread_id, user_id)"  # messaging.selectors.threads_access


def send(sender, thread, body=WORDS, client_id=None):
    return chat.message_send(sender=sender, thread_id=thread.pk, body=body,
                             client_id=client_id or uuid.uuid4())


def hold(sender, thread, body=WORDS) -> Draft:
    stored, created = send(sender, thread, body)
    assert isinstance(stored, Held) and created
    return Draft.objects.get(pk=stored.frame["id"])


# -- holding ---------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_parents_message_is_held_as_a_draft_and_not_stored_in_the_thread(moderated, alice):
    parents = moderated["parents"]
    stored, _created = send(alice, parents)

    assert stored.frame["state"] == "held" and stored.frame["seq"] is None
    assert Message.objects.filter(thread=parents).count() == 0
    parents.refresh_from_db()
    assert (parents.last_seq, verify_thread(parents).ok) == (0, True)
    draft = Draft.objects.get()
    assert (draft.thread, draft.sender, draft.body, draft.after_seq) == (parents, alice, WORDS, 0)
    # Whatever the tone check says (moderation.tone), the draft keeps it with the analyser's version.
    tone = assess(WORDS)
    assert (draft.tone_level, draft.tone_reasons) == (tone.level, list(tone.reasons))
    assert draft.tone_version == VERSION
    assert draft.hash == records.draft_hash(draft) == stored.frame["hash"]
    assert stored.frame["id"] == stored.frame["item"] == draft.pk


@pytest.mark.django_db
def test_the_same_client_id_again_finds_the_held_draft_and_holds_nothing_twice(moderated, alice):
    client_id = uuid.uuid4()
    first, created = send(alice, moderated["parents"], client_id=client_id)
    again, created_again = send(alice, moderated["parents"], client_id=client_id)
    assert (created, created_again) == (True, False)
    assert again.frame["id"] == first.frame["id"]
    assert Draft.objects.count() == 1


@pytest.mark.django_db
def test_private_threads_are_not_held(moderated, alice, carol):
    own = moderated["alice"]
    for sender in (alice, carol):
        message, _created = send(sender, own, "Kunnen we maandag bellen?")
        assert isinstance(message, Message) and message.seq in (1, 2)
    assert Draft.objects.count() == 0


@pytest.mark.django_db
def test_a_relative_writing_in_the_parents_thread_is_held_too(moderated, carol, rita):
    add_relative(moderated["parents"], rita, by=carol, participation="write")
    stored, _created = send(rita, moderated["parents"])
    assert isinstance(stored, Held)
    assert Draft.objects.get().sender == rita


@pytest.mark.django_db
def test_direct_mode_delivers_as_before(threads, alice):
    message, _created = send(alice, threads["parents"])
    assert isinstance(message, Message) and (message.seq, message.state) == (1, "delivered")
    assert Draft.objects.count() == 0


def _second_family():
    family = FamilyFactory()
    parents = [UserFactory(), UserFactory()]
    for parent in parents:
        MembershipFactory(user=parent, family=family, role=Role.PARENT)
    chat.threads_ensure_for_family(family=family)
    return family, parents, Thread.objects.get(family=family, kind="parents")


def _batch(pairs, n):
    return [{"sender": sender, "thread_id": thread.pk, "body": f"bericht {i}", "client_id": uuid.uuid4()}
            for i in range(n) for sender, thread in pairs]


def _queries(sends):
    with CaptureQueriesContext(connection) as captured:
        results = chat.messages_send(sends=sends)
    assert not [r for r in results if isinstance(r, Exception)]
    return results, [q["sql"] for q in captured.captured_queries]


@pytest.mark.django_db
@pytest.mark.parametrize("mode", ["direct", "moderated"])
def test_hold_or_deliver_costs_one_query_per_batch_whatever_its_size(
        threads, family, alice, bob, carol, mode):
    if mode == "moderated":
        set_mode(family, carol, mode)
    _other, (dirk, els), other_parents = _second_family()
    pairs = [(alice, threads["parents"]), (bob, threads["parents"]),
             (dirk, other_parents), (els, other_parents)]

    _results, small = _queries(_batch(pairs, 1))
    results, large = _queries(_batch(pairs, 3))

    mode_reads = [sql for sql in large if "moderation_contactmodechange" in sql]
    assert len(mode_reads) == 1  # the modes of both families, together
    assert mode_reads[0].startswith(ACCESS_STATEMENT)  # read with the access check: no round trip of its own
    assert len(large) == len(small)  # the same statements for 4 sends as for 12
    held = [r for r, _created in results if isinstance(r, Held)]
    assert len(held) == (6 if mode == "moderated" else 0)  # only Alice's family is moderated


@pytest.mark.django_db
def test_a_batch_of_private_thread_messages_makes_no_moderation_query_of_its_own(threads, alice, bob):
    _results, queries = _queries(_batch([(alice, threads["alice"]), (bob, threads["bob"])], 2))
    assert not [sql for sql in queries if "moderation" in sql and not sql.startswith(ACCESS_STATEMENT)]


@pytest.mark.django_db
def test_one_send_reads_the_mode_with_its_access_check_and_is_held(moderated, alice):
    with CaptureQueriesContext(connection) as captured:
        stored, _created = send(alice, moderated["parents"])
    assert isinstance(stored, Held)
    statements = [q["sql"] for q in captured.captured_queries]
    mode_reads = [sql for sql in statements if "moderation_contactmodechange" in sql]
    assert len(mode_reads) == 1 and mode_reads[0].startswith(ACCESS_STATEMENT)


@pytest.mark.django_db
@pytest.mark.parametrize("mode", ["direct", "moderated", "indirect"])
def test_a_send_that_comes_without_its_familys_state_has_it_read(threads, family, alice, carol, mode):
    """A caller that did not read the family's state with its access check (ScreenedSend.family
    empty) gets the same outcome: the extension reads it itself."""
    if mode != "direct":
        set_mode(family, carol, mode)
    with transaction.atomic():
        access = access_thread(user=alice, thread_id=threads["parents"].pk, write=True, lock=True)
        assert access.family == {}
        one = ScreenedSend(sender=alice, thread=access.thread, membership=access.membership, body=WORDS,
                           client_id=uuid.uuid4())
        outcome = chat_extensions.screen([one])[0]
    expected = {"direct": type(None), "moderated": Held, "indirect": PermissionDenied}[mode]
    assert isinstance(outcome, expected)


# -- deciding --------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_release_appends_the_message_and_links_it_in_a_hashed_decision(moderated, alice, carol):
    draft = hold(alice, moderated["parents"])
    decision = services.review_decide(actor=carol, item_id=draft.pk, decision="release")

    message = Message.objects.get(thread=moderated["parents"])
    assert (message.seq, message.sender, message.body) == (1, alice, WORDS)
    assert message.client_id == draft.client_id
    assert (decision.kind, decision.seq, decision.by, decision.message) == ("release", 1, carol, message)
    assert decision.hash == records.decision_hash(decision, previous=draft.hash, draft_hash_hex=draft.hash)
    assert verify_thread(Thread.objects.get(pk=moderated["parents"].pk)).ok
    assert records.verify_thread_records(moderated["parents"]) == []


@pytest.mark.django_db
def test_a_return_keeps_the_words_and_delivers_nothing(moderated, alice, carol):
    draft = hold(alice, moderated["parents"])
    services.review_decide(actor=carol, item_id=draft.pk, decision="return", reason="blame",
                           note="Kun je het zonder verwijt schrijven?")
    assert Message.objects.filter(thread=moderated["parents"]).count() == 0
    stored = Draft.objects.get()
    assert stored.body == WORDS
    assert [(d.kind, d.reason, d.note) for d in stored.decisions.all()] == [
        ("return", "blame", "Kun je het zonder verwijt schrijven?")]


@pytest.mark.django_db
@pytest.mark.parametrize(("kwargs", "error", "text"), [
    ({"decision": "return"}, Invalid, "Kies waarom je het bericht terugstuurt"),
    ({"decision": "return", "reason": "rude"}, Invalid, "Kies een van de redenen"),
    ({"decision": "return", "reason": "other", "note": "x" * 1001}, Invalid, "De toelichting is te lang"),
    ({"decision": "rephrase", "body": "   "}, Invalid, "Je bericht is leeg"),
    ({"decision": "delete"}, Invalid, "Kies doorlaten, terugsturen of herschrijven"),
])
def test_bad_decisions_are_refused_and_nothing_is_stored(moderated, alice, carol, kwargs, error, text):
    draft = hold(alice, moderated["parents"])
    with pytest.raises(error, match=text):
        services.review_decide(actor=carol, item_id=draft.pk, **kwargs)
    assert Decision.objects.count() == 0


@pytest.mark.django_db
def test_an_item_is_decided_once(moderated, alice, carol, pim):
    draft = hold(alice, moderated["parents"])
    services.review_decide(actor=pim, item_id=draft.pk, decision="release")
    with pytest.raises(Conflict, match="Dit bericht is net al beoordeeld door Pim Professional"):
        services.review_decide(actor=carol, item_id=draft.pk, decision="return", reason="blame")
    assert Decision.objects.count() == 1
    assert Message.objects.filter(thread=moderated["parents"]).count() == 1


@pytest.mark.django_db
@pytest.mark.parametrize(("who", "error"), [("alice", PermissionDenied), ("bob", PermissionDenied),
                                            ("rita", PermissionDenied), ("charlie", NotFound)])
def test_only_the_familys_practitioners_decide(request, moderated, alice, who, error):
    draft = hold(alice, moderated["parents"])
    with pytest.raises(error):
        services.review_decide(actor=request.getfixturevalue(who), item_id=draft.pk, decision="release")
    assert Decision.objects.count() == 0
    denial = AuditEntry.objects.get(action=actions.ACCESS_DENIED)
    assert denial.details["wanted"] == "moderate"


@pytest.mark.django_db
def test_an_accepted_rephrasing_is_delivered_as_the_senders_message_linked_to_the_original(
        moderated, alice, carol):
    draft = hold(alice, moderated["parents"])
    proposal = "Wil je voortaan om 17:00 klaarstaan met de kinderen?"
    services.review_decide(actor=carol, item_id=draft.pk, decision="rephrase", body=proposal, reason="blame")
    assert Message.objects.filter(thread=moderated["parents"]).count() == 0
    accepted = services.rephrase_answer(actor=alice, item_id=draft.pk, accept=True)

    message = Message.objects.get(thread=moderated["parents"])
    assert (message.sender, message.body, message.seq) == (alice, proposal, 1)
    assert (accepted.kind, accepted.seq, accepted.by, accepted.message) == ("accept", 2, alice, message)
    assert Draft.objects.get().body == WORDS  # the original words are kept
    assert records.verify_thread_records(moderated["parents"]) == []


@pytest.mark.django_db
def test_a_declined_rephrasing_puts_the_item_back_in_the_queue(moderated, alice, carol):
    draft = hold(alice, moderated["parents"])
    services.review_decide(actor=carol, item_id=draft.pk, decision="rephrase", body="Andere woorden")
    assert services.review_queue(user=carol, family_id=draft.family_id)["items"] == []
    services.rephrase_answer(actor=alice, item_id=draft.pk, accept=False)
    queue = services.review_queue(user=carol, family_id=draft.family_id)
    assert [i["id"] for i in queue["items"]] == [draft.pk]
    with pytest.raises(Conflict):
        services.rephrase_answer(actor=alice, item_id=draft.pk, accept=True)  # nothing proposed now
    assert Message.objects.filter(thread=moderated["parents"]).count() == 0


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["bob", "carol", "charlie"])
def test_only_the_sender_answers_a_rephrasing(request, moderated, alice, carol, who):
    draft = hold(alice, moderated["parents"])
    services.review_decide(actor=carol, item_id=draft.pk, decision="rephrase", body="Andere woorden")
    with pytest.raises(NotFound):
        services.rephrase_answer(actor=request.getfixturevalue(who), item_id=draft.pk, accept=True)
    assert Decision.objects.count() == 1


@pytest.mark.django_db
def test_in_indirect_mode_a_held_message_can_be_returned_but_not_released(moderated, family, alice, carol):
    draft = hold(alice, moderated["parents"])
    set_mode(family, carol, "indirect")
    with pytest.raises(Invalid, match="contact via de begeleider"):
        services.review_decide(actor=carol, item_id=draft.pk, decision="release")
    services.review_decide(actor=carol, item_id=draft.pk, decision="return", reason="other")
    assert Message.objects.filter(thread=moderated["parents"]).count() == 0


@pytest.mark.django_db
def test_every_decision_is_audited_with_who_and_without_words(moderated, alice, carol, pim):
    first, second = hold(alice, moderated["parents"]), hold(alice, moderated["parents"], "Tweede bericht")
    services.review_decide(actor=carol, item_id=first.pk, decision="return", reason="insult",
                           note="Geheime toelichting")
    services.review_decide(actor=pim, item_id=second.pk, decision="rephrase", body="Voorstel")
    services.rephrase_answer(actor=alice, item_id=second.pk, accept=True)

    decided = AuditEntry.objects.filter(action=actions.REVIEW_DECIDED).order_by("id")
    assert [(e.actor, e.subject_user, e.target_id, e.details["decision"]) for e in decided] == [
        (carol, alice, str(first.pk), "return"), (pim, alice, str(second.pk), "rephrase")]
    answered = AuditEntry.objects.get(action=actions.REPHRASE_ANSWERED)
    assert (answered.actor, answered.details["accept"]) == (alice, True)
    for entry in AuditEntry.objects.all():
        assert not {WORDS, "Geheime toelichting", "Voorstel", "Tweede bericht"} & {
            str(v) for v in entry.details.values()}


@pytest.mark.django_db
def test_drafts_and_decisions_cannot_be_altered_or_removed(moderated, alice, carol):
    draft = hold(alice, moderated["parents"])
    services.review_decide(actor=carol, item_id=draft.pk, decision="return", reason="blame")
    for model, change in ((Draft, {"after_seq": 5}), (Decision, {"reason": "other"})):
        with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
            model.objects.update(**change)
        with (pytest.raises(DatabaseError, match="append-only"), transaction.atomic(),
              connection.cursor() as cursor):
            cursor.execute(f"DELETE FROM {model._meta.db_table}")  # noqa: S608 - a model's table name
    assert Draft.objects.get().after_seq == 0 and Decision.objects.get().reason == "blame"


@pytest.mark.django_db
def test_reading_the_queue_is_in_the_access_log(moderated, alice, pim):
    hold(alice, moderated["parents"])
    queue = services.review_queue(user=pim, family_id=moderated["parents"].family_id)
    assert [i["body"] for i in queue["items"]] == [WORDS]
    entry = AuditEntry.objects.get(action=actions.REVIEW_QUEUE_VIEWED)
    assert (entry.actor, entry.family_id) == (pim, moderated["parents"].family_id)
