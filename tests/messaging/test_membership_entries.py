"""Who joined or left a thread is a record of the thread itself (messaging.membership): numbered by
the same seq, linked into the same hash chain, in every export and verification, worded in the
reader's language. A family membership that begins, changes or ends writes one in every thread
whose audience it changes, so nobody reads along unseen."""

from __future__ import annotations

import json
import uuid

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import translation

from families import services as family_services
from families.models import Membership, Role
from messaging import services
from messaging.membership import change_text, entry_texts
from messaging.models import Message
from messaging.records import verify_thread
from tests.messaging.conftest import add_relative
from tests.messaging.test_exports import check

pytestmark = pytest.mark.django_db


def changes(thread) -> list[tuple]:
    found = Message.objects.filter(thread=thread, kind="membership").order_by("seq")
    return [(c["member"]["name"], c["before"], c["after"]) for c in (json.loads(m.body) for m in found)]


def send(sender, thread, body):
    services.message_send(sender=sender, thread_id=thread.pk, body=body, client_id=uuid.uuid4())


def test_an_entry_is_a_link_of_the_chain_between_the_messages(threads, alice, bob, carol, rita):
    thread = threads["parents"]
    send(alice, thread, "Hoi")
    add_relative(thread, rita, by=carol, participation="write")
    send(rita, thread, "Hallo allemaal")
    stored = list(Message.objects.filter(thread=thread).order_by("seq").values_list("seq", "kind"))
    assert stored == [(1, "message"), (2, "membership"), (3, "message")]
    thread.refresh_from_db()
    assert verify_thread(thread).ok and thread.head_hash == Message.objects.get(thread=thread, seq=3).hash


def test_the_entry_is_in_the_json_export_and_the_checker_covers_its_kind(threads, alice, bob, carol, rita,
                                                                         client_for, tmp_path):
    thread = threads["parents"]
    send(alice, thread, "Hoi")
    add_relative(thread, rita, by=carol)
    export = json.loads(client_for(alice).get(reverse("messaging:export_json", args=[thread.pk])).content)
    assert export["format"] == "kompas-thread-export/2"
    entry = export["messages"][1]
    assert entry["kind"] == "membership" and export["messages"][0]["kind"] == "message"
    assert entry["change"]["member"]["name"] == "Rita Oma"
    assert entry["text"] == ("Rita Oma (familielid) leest nu mee in dit gesprek. Rita Oma ziet ook alle "
                             "eerdere berichten. Voorgesteld door Carol Coördinator, met instemming van "
                             "Alice Ouder en Bob Ouder.")
    assert json.loads(entry["body"]) == entry["change"]
    assert check(export, tmp_path).startswith("OK: 2 messages")

    # Passing the entry off as an ordinary message, or changing whom it names, breaks the chain there.
    for tamper in (lambda e: e.update(kind="message"),
                   lambda e: e.update(body=e["body"].replace("Rita Oma", "Niemand"))):
        altered = json.loads(json.dumps(export))
        tamper(altered["messages"][1])
        assert check(altered, tmp_path) == "FAILED: seq 2: the hash does not match the content"


def test_verify_records_checks_entries_too(threads, alice, carol, rita, capsys):
    add_relative(threads["alice"], rita, by=carol)
    call_command("verify_records", thread=threads["alice"].pk)
    assert "ok" in capsys.readouterr().out.lower()


def test_the_entry_is_worded_in_the_readers_language():
    change = {"member": {"id": 7, "name": "Rita", "role": "relative"}, "before": "none", "after": "write",
              "history": "from_here", "proposed_by": {"id": 3, "name": "Carol"},
              "consent": [{"id": 1, "name": "Alice", "at": "x"}]}
    with translation.override("en"):
        assert change_text(change) == ("Rita (relative) now takes part in this conversation. Rita sees "
                                       "only the messages from here on, not the earlier ones. Proposed by "
                                       "Carol, with the consent of Alice.")
    with translation.override("nl"):
        assert change_text({**change, "before": "write", "after": "none"}) == (
            "Rita (familielid) doet niet meer mee in dit gesprek. Voorgesteld door Carol, met instemming van "
            "Alice.")


def test_a_name_is_never_read_as_a_template():
    change = {"member": {"id": 7, "name": "{role} {names} <b>", "role": "parent"}, "before": "read",
              "after": "write"}
    assert change_text(change, entry_texts()).startswith("{role} {names} <b> (ouder) mag nu ook schrijven")


def test_a_practitioner_joining_the_family_is_announced_in_every_thread(threads, family, carol, alice, bob):
    invitation, token = family_services.invitation_create(actor=carol, family_id=family.pk,
                                                          email="dirk@example.org", role=Role.PRACTITIONER)
    family_services.invitation_accept_new_user(token=token, display_name="Dirk Begeleider",
                                               password="een lang en sterk wachtwoord 42")
    assert changes(threads["parents"]) == [("Dirk Begeleider", "none", "read")]
    assert changes(threads["alice"]) == [("Dirk Begeleider", "none", "write")]
    assert changes(threads["bob"]) == [("Dirk Begeleider", "none", "write")]


def test_a_parent_leaving_or_changing_role_is_announced(threads, family, carol, alice, bob):
    bob_membership = Membership.objects.get(user=bob)
    family_services.membership_role_change(actor=carol, family_id=family.pk, membership_id=bob_membership.pk,
                                           role=Role.RELATIVE)
    assert changes(threads["parents"]) == [("Bob Ouder", "write", "none")]
    assert changes(threads["bob"]) == [("Bob Ouder", "write", "none")]
    assert changes(threads["alice"]) == []  # bob was never in alice's thread
    alice_membership = Membership.objects.get(user=alice)
    family_services.membership_end(actor=carol, family_id=family.pk, membership_id=alice_membership.pk)
    assert changes(threads["parents"])[-1] == ("Alice Ouder", "write", "none")
    for thread in threads.values():
        thread.refresh_from_db()
        assert verify_thread(thread).ok


def test_a_new_parents_own_thread_does_not_announce_them_to_themselves(family, carol):
    from messaging.models import Thread

    invitation, token = family_services.invitation_create(actor=carol, family_id=family.pk,
                                                          email="eva@example.org", role=Role.PARENT)
    eva = family_services.invitation_accept_new_user(token=token, display_name="Eva Ouder",
                                                     password="een lang en sterk wachtwoord 42")
    own = Thread.objects.get(family=family, kind="private", owner=eva)
    assert changes(own) == []
    assert changes(Thread.objects.get(family=family, kind="parents"))[-1] == ("Eva Ouder", "none", "write")
