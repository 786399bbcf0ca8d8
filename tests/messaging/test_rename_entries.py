"""A member who changes their name on the account page is announced in every thread they take part
in (messaging.membership.threads_announce_rename), as additions and removals are: an entry of the
thread itself, sent by them, in the chain, live, in exports, in the reader's language. A parent
cannot take on another name unseen."""

from __future__ import annotations

import json
import uuid

import pytest
from channels.db import database_sync_to_async
from django.test import Client
from django.urls import reverse
from django.utils import translation

from messaging import services
from messaging.membership import change_text
from messaging.models import Message
from messaging.records import verify_thread
from tests.conftest import verified_session
from tests.messaging.conftest import add_relative, open_socket, receive_type, send

pytestmark = pytest.mark.django_db


def rename(user, name: str):
    client = verified_session(Client(), user)
    return client.post(reverse("accounts:name_change"), {"display_name": name})


def renames(thread) -> list[tuple]:
    found = Message.objects.filter(thread=thread, kind="membership").order_by("seq")
    return [(m.sender_id, c["renamed_from"], c["member"]["name"], c["member"]["role"], c["before"])
            for c, m in ((json.loads(m.body), m) for m in found) if "renamed_from" in c]


def test_a_parent_renaming_is_announced_in_each_thread_she_is_in_and_nowhere_else(threads, alice, bob, carol):
    services.message_send(sender=alice, thread_id=threads["parents"].pk, body="Hoi", client_id=uuid.uuid4())
    response = rename(alice, "Alice de Vries")
    assert response.status_code == 302
    assert renames(threads["parents"]) == [(alice.pk, "Alice Ouder", "Alice de Vries", "parent", "write")]
    assert renames(threads["alice"]) == [(alice.pk, "Alice Ouder", "Alice de Vries", "parent", "write")]
    assert renames(threads["bob"]) == []  # she cannot read bob's own thread: nothing there
    for thread in threads.values():
        thread.refresh_from_db()
        assert verify_thread(thread).ok
    entry = Message.objects.get(thread=threads["parents"], kind="membership")
    assert entry.seq == 2  # after her message, in the same numbering


def test_the_other_parent_reads_it_in_the_thread_history(threads, alice, bob, client_for):
    rename(alice, "Alice de Vries")
    url = reverse("messaging:export_json", args=[threads["parents"].pk])
    export = json.loads(client_for(bob).get(url).content)
    [entry] = export["messages"]
    assert entry["kind"] == "membership"
    assert entry["text"] == ("Alice Ouder (ouder) heet voortaan Alice de Vries. Dat is dezelfde persoon met "
                             "een andere naam.")


def test_a_practitioner_renaming_is_announced_where_she_reads_along_too(threads, carol):
    rename(carol, "Carol Jansen")
    role = renames(threads["parents"])[0][3]
    assert renames(threads["parents"]) == [(carol.pk, "Carol Coördinator", "Carol Jansen", role, "read")]
    assert renames(threads["alice"])[0][4] == "write"
    assert renames(threads["bob"])[0][4] == "write"


def test_a_relative_is_announced_only_where_they_take_part(threads, carol, rita):
    add_relative(threads["alice"], rita, by=carol)
    rename(rita, "Oma Rita")
    assert [r[1:3] for r in renames(threads["alice"])] == [("Rita Oma", "Oma Rita")]
    assert renames(threads["parents"]) == [] and renames(threads["bob"]) == []


def test_the_name_page_says_that_her_threads_will_be_told(client_for, alice):
    html = client_for(alice).get(reverse("accounts:name_change")).content.decode()
    assert "komt te staan dat je voortaan zo heet, met je oude naam erbij" in html


def test_the_same_name_again_announces_nothing(threads, alice):
    rename(alice, "Alice Ouder")
    assert not Message.objects.filter(kind="membership").exists()


def test_a_refused_name_announces_nothing(threads, alice):
    response = rename(alice, "Alice\u202eredluoC")
    assert response.status_code == 200
    assert not Message.objects.filter(kind="membership").exists()


def test_the_entry_is_worded_in_the_readers_language_and_a_name_is_no_template():
    change = {"member": {"id": 1, "name": "{old}", "role": "parent"}, "before": "write", "after": "write",
              "renamed_from": "Alice {name}"}
    with translation.override("en"):
        assert change_text(change) == ("Alice {name} (parent) is now called {old}. It is the same person "
                                       "with a different name.")


@pytest.mark.asyncio
@pytest.mark.django_db(transaction=True)
async def test_the_other_parent_sees_the_new_name_announced_live(threads, alice, bob):
    parents = threads["parents"]
    sock = await open_socket(bob)
    await send(sock, {"type": "thread.join", "thread": parents.pk, "after": 0})
    await receive_type(sock, "thread.history")
    await database_sync_to_async(rename)(alice, "Alice de Vries")
    frame = await receive_type(sock, "message.new")
    assert frame["message"]["kind"] == "membership"
    assert frame["message"]["sender"] == {"id": alice.pk, "name": "Alice de Vries"}
    assert frame["message"]["change"]["renamed_from"] == "Alice Ouder"
    assert frame["message"]["change"]["member"] == {"id": alice.pk, "name": "Alice de Vries",
                                                    "role": "parent"}
    await sock.disconnect()


# -- nobody takes the name of someone else in their family ----------------------------------------


@pytest.mark.parametrize("name", ["Bob Ouder", "bob  ouder", "ＢＯＢ Ouder", "Carol Coördinator"])
def test_the_name_of_someone_else_in_her_family_is_refused_and_nothing_is_announced(threads, alice, bob,
                                                                                   carol, name):
    response = rename(alice, name)
    assert response.status_code == 200
    assert "In het gezin heet iemand anders al zo." in response.content.decode()
    alice.refresh_from_db()
    assert alice.display_name == "Alice Ouder"
    assert not Message.objects.filter(kind="membership").exists()


def test_the_name_of_someone_in_another_family_is_fine(threads, alice, charlie):
    assert rename(alice, charlie.display_name).status_code == 302
    alice.refresh_from_db()
    assert alice.display_name == charlie.display_name


def test_the_name_of_someone_who_left_the_family_is_fine(threads, family, alice, bob, carol):
    from families import services as family_services
    from families.models import Membership

    family_services.membership_end(actor=carol, family_id=family.pk,
                                   membership_id=Membership.objects.get(user=bob).pk)
    assert rename(alice, "Bob Ouder").status_code == 302
