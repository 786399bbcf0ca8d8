"""Relatives in a thread (issue 9, item 4): a practitioner proposes, every parent who writes in the
thread says yes for themselves, and only then is the relative added; one "no" ends it; taking
someone out needs no consent. Each step is audited and the additions and removals are records of
the thread itself. The attacks: a parent adding someone, one parent answering for the other, a
closed proposal accepted after all."""

from __future__ import annotations

import json
import uuid

import pytest
from channels.db import database_sync_to_async

from audit.models import AuditEntry
from core.errors import Invalid, NotFound, PermissionDenied
from families import services as family_services
from families.models import Membership
from messaging import membership, services
from messaging.models import Message, ParticipantProposal, ProposalAnswer, ThreadParticipant
from messaging.records import verify_thread
from messaging.selectors import access_thread
from tests.messaging.conftest import add_relative, open_socket, receive, receive_type, send

pytestmark = pytest.mark.django_db


def propose(actor, thread, user, participation="read", with_history=True):
    return membership.participant_propose(actor=actor, thread_id=thread.pk, user_id=user.pk,
                                          participation=participation, with_history=with_history)


def answer(user, proposal, accept=True):
    return membership.proposal_answer(user=user, proposal_id=proposal.pk, accept=accept)


def may(user, thread) -> str:
    try:
        access = access_thread(user=user, thread_id=thread.pk)
    except NotFound:
        return "none"
    return "write" if access.rights.write else "read"


def entries(thread) -> list[dict]:
    found = Message.objects.filter(thread=thread, kind="membership").order_by("seq")
    return [json.loads(m.body) for m in found]


def chain_ok(thread) -> bool:
    thread.refresh_from_db()
    return verify_thread(thread).ok


def actions_of(prefix="messaging:participant:") -> list[tuple]:
    return [(e.action.rsplit(":", 1)[1], e.actor_id, e.subject_user_id)
            for e in AuditEntry.objects.filter(action__startswith=prefix).order_by("pk")]


def test_a_relative_joins_the_parents_thread_only_after_both_parents_said_yes(threads, alice, bob, carol,
                                                                              rita):
    parents = threads["parents"]
    proposal = propose(carol, parents, rita)
    assert may(rita, parents) == "none"

    answer(alice, proposal)
    assert may(rita, parents) == "none"  # one yes is not enough
    assert entries(parents) == []

    answer(bob, proposal)
    proposal.refresh_from_db()
    assert proposal.status == "added" and proposal.closed_by == bob
    assert may(rita, parents) == "read"
    [entry] = entries(parents)
    assert entry["member"] == {"id": rita.pk, "name": "Rita Oma", "role": "relative"}
    assert (entry["before"], entry["after"], entry["history"]) == ("none", "read", "all")
    assert entry["proposed_by"]["id"] == carol.pk
    assert [c["name"] for c in entry["consent"]] == ["Alice Ouder", "Bob Ouder"]
    assert actions_of() == [("proposed", carol.pk, rita.pk), ("consented", alice.pk, rita.pk),
                            ("consented", bob.pk, rita.pk), ("set", bob.pk, rita.pk)]
    assert chain_ok(parents)


def test_one_no_ends_the_proposal_and_a_later_yes_changes_nothing(threads, alice, bob, carol, rita):
    proposal = propose(carol, threads["parents"], rita)
    answer(bob, proposal, accept=False)
    proposal.refresh_from_db()
    assert proposal.status == "declined" and proposal.closed_at is not None

    with pytest.raises(Invalid) as refused:
        answer(alice, proposal)
    assert refused.value.code == "closed"
    assert not ProposalAnswer.objects.filter(user=alice).exists()
    assert may(rita, threads["parents"]) == "none"
    assert entries(threads["parents"]) == []
    assert actions_of() == [("proposed", carol.pk, rita.pk), ("declined", bob.pk, rita.pk)]


def test_a_withdrawn_proposal_cannot_be_accepted(threads, alice, bob, carol, pim, rita):
    proposal = propose(carol, threads["parents"], rita)
    answer(alice, proposal)
    membership.proposal_withdraw(actor=pim, proposal_id=proposal.pk)
    with pytest.raises(Invalid) as refused:
        answer(bob, proposal)
    assert refused.value.code == "closed"
    assert may(rita, threads["parents"]) == "none"
    assert ParticipantProposal.objects.get().status == "withdrawn"
    assert actions_of()[-1] == ("proposal_withdrawn", pim.pk, rita.pk)


def test_one_parent_cannot_answer_for_the_other_or_twice(threads, alice, bob, carol, rita):
    proposal = propose(carol, threads["parents"], rita)
    answer(alice, proposal)
    with pytest.raises(Invalid) as refused:
        answer(alice, proposal)  # a second yes from the same parent counts for nobody
    assert refused.value.code == "answered"
    assert list(ProposalAnswer.objects.values_list("user_id", "accepted")) == [(alice.pk, True)]
    assert ParticipantProposal.objects.get().status == "open"
    assert may(rita, threads["parents"]) == "none"


def test_a_parent_cannot_add_anyone_or_take_anyone_out(threads, alice, bob, carol, rita):
    with pytest.raises(PermissionDenied):
        propose(alice, threads["parents"], rita)
    add_relative(threads["parents"], rita, by=carol)
    with pytest.raises(PermissionDenied):
        membership.thread_participant_set(actor=bob, thread_id=threads["parents"].pk, user_id=rita.pk,
                                          participation="none")
    assert not ParticipantProposal.objects.exclude(status="added").exists()
    assert may(rita, threads["parents"]) == "read"
    assert AuditEntry.objects.filter(action="families:access:denied", actor__in=[alice, bob]).count() == 2


def test_practitioners_and_relatives_cannot_consent_for_the_parents(threads, alice, carol, pim, rita):
    proposal = propose(carol, threads["parents"], rita)
    with pytest.raises(PermissionDenied):
        answer(pim, proposal)
    with pytest.raises(NotFound):
        answer(rita, proposal)  # the one it is about does not even see it
    assert not ProposalAnswer.objects.exists()


def test_an_outsider_gets_not_found_for_every_step(threads, carol, charlie, rita):
    with pytest.raises(NotFound):
        propose(charlie, threads["parents"], rita)
    proposal = propose(carol, threads["parents"], rita)
    with pytest.raises(NotFound):
        answer(charlie, proposal)
    with pytest.raises(NotFound):
        membership.proposal_withdraw(actor=charlie, proposal_id=proposal.pk)
    assert ParticipantProposal.objects.get().status == "open"


def test_only_a_relative_of_the_family_can_be_proposed(threads, pim, bob, charlie):
    for user in (bob, charlie):
        with pytest.raises(Invalid):
            propose(pim, threads["alice"], user)
    assert not ParticipantProposal.objects.exists()


def test_more_access_is_always_a_proposal(threads, carol, rita):
    with pytest.raises(Invalid) as refused:
        membership.thread_participant_set(actor=carol, thread_id=threads["parents"].pk, user_id=rita.pk,
                                          participation="read")
    assert refused.value.code == "consent_needed"
    add_relative(threads["parents"], rita, by=carol)
    with pytest.raises(Invalid):  # and reading -> writing too
        membership.thread_participant_set(actor=carol, thread_id=threads["parents"].pk, user_id=rita.pk,
                                          participation="write")
    assert may(rita, threads["parents"]) == "read"


def test_the_practitioner_must_choose_whether_the_relative_sees_the_history(threads, carol, rita):
    with pytest.raises(Invalid, match="eerdere berichten"):
        propose(carol, threads["parents"], rita, with_history=None)
    assert not ParticipantProposal.objects.exists()


def test_a_second_proposal_waits_for_the_first(threads, carol, pim, rita):
    propose(carol, threads["parents"], rita)
    with pytest.raises(Invalid, match="Er wacht al een voorstel"):
        propose(pim, threads["parents"], rita, "write")
    assert ParticipantProposal.objects.count() == 1


def test_writing_too_needs_consent_again_and_keeps_what_the_relative_sees(threads, alice, bob, carol, rita):
    parents = threads["parents"]
    add_relative(parents, rita, by=carol, with_history=False)
    boundary = ThreadParticipant.objects.get(user=rita).visible_from_seq
    with pytest.raises(PermissionDenied):
        services.message_send(sender=rita, thread_id=parents.pk, body="Hallo", client_id=uuid.uuid4())
    add_relative(parents, rita, by=carol, participation="write", with_history=True)
    row = ThreadParticipant.objects.get(user=rita)
    assert row.can_write and row.visible_from_seq == boundary  # the history was not handed over with it
    message, created = services.message_send(sender=rita, thread_id=parents.pk, body="Hallo",
                                             client_id=uuid.uuid4())
    assert created
    assert [(e["before"], e["after"]) for e in entries(parents)] == [("none", "read"), ("read", "write")]


def test_taking_out_or_limiting_needs_no_consent_and_is_announced(threads, alice, bob, carol, pim, rita):
    parents = threads["parents"]
    add_relative(parents, rita, by=carol, participation="write")
    membership.thread_participant_set(actor=pim, thread_id=parents.pk, user_id=rita.pk, participation="read")
    assert may(rita, parents) == "read"
    membership.thread_participant_set(actor=pim, thread_id=parents.pk, user_id=rita.pk, participation="none")
    assert may(rita, parents) == "none"
    assert not ThreadParticipant.objects.exists()
    assert [(e["before"], e["after"]) for e in entries(parents)] == [
        ("none", "write"), ("write", "read"), ("read", "none")]
    assert [a[:2] for a in actions_of()][-2:] == [("set", pim.pk), ("removed", pim.pk)]
    assert chain_ok(parents)


def test_a_private_thread_asks_only_its_parent(threads, alice, bob, carol, rita):
    thread = threads["alice"]
    proposal = propose(carol, thread, rita)
    with pytest.raises(NotFound):
        answer(bob, proposal)  # bob does not see alice's thread, nor proposals in it
    answer(alice, proposal)
    assert may(rita, thread) == "read"
    assert may(rita, threads["bob"]) == "none" and may(rita, threads["parents"]) == "none"


def test_a_relative_who_leaves_the_family_leaves_every_thread_and_their_proposals_lapse(
        threads, alice, bob, carol, rita):
    add_relative(threads["alice"], rita, by=carol)
    open_one = propose(carol, threads["parents"], rita)
    rita_membership = Membership.objects.get(user=rita)
    family_services.membership_end(actor=carol, family_id=rita_membership.family_id,
                                   membership_id=rita_membership.pk)
    assert not ThreadParticipant.objects.exists()
    open_one.refresh_from_db()
    assert open_one.status == "lapsed"
    assert [(e["member"]["id"], e["after"]) for e in entries(threads["alice"])] == [
        (rita.pk, "read"), (rita.pk, "none")]
    # Invited again later, she is in no thread: the old participation did not come back with her.
    Membership.objects.create(user=rita, family=rita_membership.family, role="relative")
    assert may(rita, threads["alice"]) == "none"


def test_when_the_parents_who_must_answer_change_open_proposals_lapse(threads, family, alice, carol, rita):
    proposal = propose(carol, threads["parents"], rita)
    answer(alice, proposal)  # bob has not answered yet
    bob_membership = Membership.objects.get(user__email="bob@example.org")
    family_services.membership_end(actor=carol, family_id=family.pk, membership_id=bob_membership.pk)
    proposal.refresh_from_db()
    assert proposal.status == "lapsed"  # no parent said yes to it in the new setting
    assert may(rita, threads["parents"]) == "none"


@pytest.mark.asyncio
@pytest.mark.django_db(transaction=True)
async def test_both_parents_see_the_addition_live_in_the_thread(threads, alice, bob, carol, rita):
    parents = threads["parents"]
    sockets = [await open_socket(alice), await open_socket(bob)]
    for sock in sockets:
        await send(sock, {"type": "thread.join", "thread": parents.pk, "after": 0})
        await receive_type(sock, "thread.history")
    await database_sync_to_async(add_relative)(parents, rita, by=carol)
    for sock in sockets:
        frame = await receive_type(sock, "message.new")
        assert frame["message"]["kind"] == "membership"
        assert frame["message"]["change"]["member"]["name"] == "Rita Oma"
        assert frame["message"]["change"]["after"] == "read"
        await sock.disconnect()


@pytest.mark.asyncio
@pytest.mark.django_db(transaction=True)
async def test_a_relative_taken_out_stops_getting_the_threads_live_messages(threads, alice, carol, pim, rita):
    parents = threads["parents"]
    await database_sync_to_async(add_relative)(parents, rita, by=carol)
    watcher = await open_socket(rita)
    await send(watcher, {"type": "thread.join", "thread": parents.pk, "after": 0})
    assert (await receive_type(watcher, "thread.history"))["thread"] == parents.pk

    await database_sync_to_async(membership.thread_participant_set)(
        actor=pim, thread_id=parents.pk, user_id=rita.pk, participation="none")
    entry = await receive(watcher)  # she is told, as everyone is, and that is the last she gets
    assert entry["type"] == "message.new" and entry["message"]["change"]["after"] == "none"
    assert await receive(watcher) == {"type": "thread.left", "thread": parents.pk}

    writer = await open_socket(alice)
    await send(writer, {"type": "message.send", "thread": parents.pk, "client_id": str(uuid.uuid4()),
                        "body": "Dit hoort Rita niet meer"})
    await receive_type(writer, "message.ack")
    await send(watcher, {"type": "ping"})
    assert (await receive(watcher))["type"] == "pong"  # and no message.new before it
    await send(watcher, {"type": "thread.join", "thread": parents.pk, "after": 0})
    assert (await receive(watcher))["code"] == "not_found"
    await writer.disconnect()
    await watcher.disconnect()
