"""Relatives take part in a thread only where a practitioner lets them (issue 3: "Relatives take
part only where a practitioner adds them"): reading, or reading and writing, and taken out again."""

from __future__ import annotations

import uuid

import pytest
from channels.db import database_sync_to_async

from audit.models import AuditEntry
from core.errors import Invalid, NotFound, PermissionDenied
from messaging import services
from messaging.models import ThreadParticipant
from messaging.selectors import access_thread
from tests.messaging.conftest import open_socket, receive, receive_type, send


def set_participation(actor, thread, user, participation):
    services.thread_participant_set(actor=actor, thread_id=thread.pk, user_id=user.pk,
                                    participation=participation)


def rita_may(rita, thread) -> str:
    try:
        access = access_thread(user=rita, thread_id=thread.pk)
    except NotFound:
        return "none"
    return "write" if access.rights.write else "read"


@pytest.mark.django_db
def test_a_practitioner_lets_a_relative_read_then_write_then_takes_them_out(threads, pim, rita):
    parents = threads["parents"]
    assert rita_may(rita, parents) == "none"

    set_participation(pim, parents, rita, "read")
    assert rita_may(rita, parents) == "read"
    with pytest.raises(PermissionDenied):
        services.message_send(sender=rita, thread_id=parents.pk, body="Hallo", client_id=uuid.uuid4())

    set_participation(pim, parents, rita, "write")
    message, created = services.message_send(sender=rita, thread_id=parents.pk, body="Hallo",
                                             client_id=uuid.uuid4())
    assert created and message.sender_id == rita.pk

    set_participation(pim, parents, rita, "none")
    assert rita_may(rita, parents) == "none"
    assert not ThreadParticipant.objects.filter(thread=parents).exists()
    entries = AuditEntry.objects.filter(action__startswith="messaging:participant:").order_by("pk")
    seen = [(e.action, e.actor_id, e.subject_user_id, e.details["old"], e.details["new"]) for e in entries]
    assert seen == [
        ("messaging:participant:set", pim.pk, rita.pk, "none", "read"),
        ("messaging:participant:set", pim.pk, rita.pk, "read", "write"),
        ("messaging:participant:removed", pim.pk, rita.pk, "write", "none"),
    ]


@pytest.mark.django_db
def test_the_coordinator_may_add_a_relative_to_a_parents_private_thread(threads, carol, rita):
    set_participation(carol, threads["alice"], rita, "read")
    assert rita_may(rita, threads["alice"]) == "read"
    assert rita_may(rita, threads["bob"]) == "none"


@pytest.mark.django_db
def test_a_parent_may_not_decide_who_takes_part(threads, alice, rita):
    with pytest.raises(PermissionDenied):
        set_participation(alice, threads["parents"], rita, "write")
    assert not ThreadParticipant.objects.exists()
    assert AuditEntry.objects.filter(action="families:access:denied", actor=alice).count() == 1


@pytest.mark.django_db
def test_an_outsider_gets_not_found(threads, charlie, rita):
    with pytest.raises(NotFound):
        set_participation(charlie, threads["parents"], rita, "read")
    assert not ThreadParticipant.objects.exists()


@pytest.mark.django_db
def test_only_a_relative_of_the_family_can_be_added(threads, pim, bob, charlie):
    for user in (bob, charlie):
        with pytest.raises(Invalid):
            set_participation(pim, threads["alice"], user, "read")
    assert not ThreadParticipant.objects.exists()


@pytest.mark.django_db
def test_an_unknown_participation_is_refused(threads, pim, rita):
    with pytest.raises(Invalid):
        set_participation(pim, threads["parents"], rita, "admin")
    assert not ThreadParticipant.objects.exists()


@pytest.mark.asyncio
@pytest.mark.django_db(transaction=True)
async def test_a_relative_taken_out_stops_getting_the_threads_live_messages(threads, alice, pim, rita):
    parents = threads["parents"]
    await database_sync_to_async(set_participation)(pim, parents, rita, "read")
    watcher = await open_socket(rita)
    await send(watcher, {"type": "thread.join", "thread": parents.pk, "after": 0})
    assert (await receive_type(watcher, "thread.history"))["thread"] == parents.pk

    await database_sync_to_async(set_participation)(pim, parents, rita, "none")
    assert await receive(watcher) == {"type": "thread.left", "thread": parents.pk}
    await watcher.disconnect()


# -- the page ---------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_thread_page_shows_the_choice_to_practitioners_only(threads, client_for, pim, alice, rita):
    url = f"/gesprek/{threads['parents'].pk}/"
    page = client_for(pim).get(url).content.decode()
    assert "Familieleden in dit gesprek" in page and "Rita Oma" in page
    page = client_for(alice).get(url).content.decode()
    assert "Familieleden in dit gesprek" not in page and "Rita Oma" not in page


@pytest.mark.django_db
def test_a_practitioner_saves_the_choice_on_the_page(threads, client_for, pim, rita):
    thread = threads["parents"]
    client = client_for(pim)
    response = client.post(f"/gesprek/{thread.pk}/deelnemers/", {"user": rita.pk, "participation": "write"})
    assert response.status_code == 302 and response["Location"] == f"/gesprek/{thread.pk}/"
    assert ThreadParticipant.objects.get(thread=thread, user=rita).can_write
    page = client.get(response["Location"]).content.decode()
    assert "Opgeslagen" in page
    assert '<option value="write" selected>' in page


@pytest.mark.django_db
def test_the_page_explains_a_refused_choice(threads, client_for, pim, bob):
    thread = threads["parents"]
    client = client_for(pim)
    for data, reason in (({"user": bob.pk, "participation": "read"}, "Alleen familieleden"),
                         ({"user": "iemand", "participation": "read"}, "Kies een familielid.")):
        response = client.post(f"/gesprek/{thread.pk}/deelnemers/", data)
        assert response.status_code == 200
        assert reason in response.content.decode()
    assert not ThreadParticipant.objects.exists()


@pytest.mark.django_db
def test_a_refused_choice_shows_next_to_the_relative_with_the_choice_as_posted(
    threads, client_for, pim, rita
):
    thread = threads["parents"]
    response = client_for(pim).post(f"/gesprek/{thread.pk}/deelnemers/",
                                    {"user": rita.pk, "participation": "alles"})
    page = response.content.decode()
    assert response.status_code == 200
    assert f'id="participation-{rita.pk}_error"' in page
    assert "Kies of dit familielid meeleest, ook schrijft of niet meedoet." in page
    assert not ThreadParticipant.objects.exists()


@pytest.mark.django_db
def test_a_parent_gets_403_and_an_outsider_404_when_posting_the_choice(threads, client_for, alice, charlie,
                                                                         rita):
    url = f"/gesprek/{threads['parents'].pk}/deelnemers/"
    assert client_for(alice).post(url, {"user": rita.pk, "participation": "read"}).status_code == 403
    assert client_for(charlie).post(url, {"user": rita.pk, "participation": "read"}).status_code == 404
    assert not ThreadParticipant.objects.exists()
