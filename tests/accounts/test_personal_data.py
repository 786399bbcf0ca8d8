"""The AVG download: everything the platform holds about me, exactly as my role may read it. The
attacks: the other parent downloading their own data to read my words to the practitioners, or my
held messages; a practitioner's download of a family's records going unseen by the family."""

from __future__ import annotations

import json
import uuid

import pytest
from django.urls import reverse
from django.utils import timezone

from audit import actions
from audit.models import AuditEntry
from audit.services import audit_record
from messaging.models import Message, Thread
from messaging.services import message_send, threads_ensure_for_family
from parentingplan import services as plan_services
from parentingplan.models import Section
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db

DOWNLOAD = reverse("accounts:personal_data")
# Words each person writes where only some may read them (with a quote and non-ASCII letters, so
# that both the raw text and its JSON escape are looked for).
ALICE_TO_PARENTS = "Zaterdag breng ik Noor om tien uur"
ALICE_PRIVATE = "ALICE-PRIVÉ: ik maak me zorgen over de overdracht"
BOB_PRIVATE = 'BOB-GEHEIM: "ik wil niet dat zij dit leest" één keer'
BOB_HELD = "BOB-VASTGEHOUDEN: dit bericht wacht op de begeleider"
CHARLIE_WORDS = "CHARLIE-ANDER-GEZIN: niets voor jullie"
ALICE_PLAN = "Noor is om de week bij ieder van ons"


@pytest.fixture
def threads(family, alice, bob, carol):
    threads_ensure_for_family(family=family)
    return {
        "parents": Thread.objects.get(family=family, kind="parents"),
        "alice": Thread.objects.get(family=family, kind="private", owner=alice),
        "bob": Thread.objects.get(family=family, kind="private", owner=bob),
    }


def say(user, thread, body):
    return message_send(sender=user, thread_id=thread.pk, body=body, client_id=uuid.uuid4())[0]


def hold(user, thread, body) -> Message:
    """A message held for review (moderation): in the thread's table, not given to the others."""
    thread.refresh_from_db()
    return Message.objects.create(thread=thread, seq=thread.last_seq + 1, sender=user, body=body,
                                  sent_at=timezone.now(), state=Message.State.HELD, hash="0" * 64)


@pytest.fixture
def conversation(threads, alice, bob, carol, other_family, charlie):
    say(alice, threads["parents"], ALICE_TO_PARENTS)
    say(bob, threads["parents"], "Prima, tot zaterdag")
    say(alice, threads["alice"], ALICE_PRIVATE)
    say(bob, threads["bob"], BOB_PRIVATE)
    say(carol, threads["bob"], "Dank je, Bob. We bespreken het donderdag.")
    hold(bob, threads["parents"], BOB_HELD)
    threads_ensure_for_family(family=other_family)
    say(charlie, Thread.objects.get(family=other_family, kind="parents"), CHARLIE_WORDS)
    return threads


def as_json(words: str) -> bytes:
    """The words as they would stand in the download (quotes escaped, letters as they are)."""
    return json.dumps(words, ensure_ascii=False)[1:-1].encode()


def download(client_for, user, password=PASSWORD):
    return client_for(user).post(DOWNLOAD, {"password": password})


def test_the_download_page_asks_for_the_password_again(client_for, alice):
    response = client_for(alice).get(DOWNLOAD)
    assert response.status_code == 200
    assert 'name="password"' in response.content.decode()


def test_a_wrong_password_gives_no_download_and_records_nothing(client_for, alice, conversation):
    response = download(client_for, alice, password="not my password")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/html")
    assert "Dit wachtwoord klopt niet." in response.content.decode()
    assert not AuditEntry.objects.filter(action=actions.PERSONAL_DATA_EXPORTED).exists()


def test_the_download_is_a_json_file_with_my_account_and_memberships(client_for, alice, conversation):
    response = download(client_for, alice)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="kompas-mijn-gegevens-')
    data = json.loads(response.content)
    assert data["format"] == "kompas-personal-data/1"
    assert data["person"] == {"id": alice.pk, "name": "Alice Ouder", "email": "alice@example.org"}
    assert data["account"]["email"] == "alice@example.org"
    assert data["account"]["quiet_hours"] == {"from": "22:00", "until": "07:00",
                                              "time_zone": "Europe/Amsterdam"}
    assert data["account"]["email_on_new_messages"] is True
    [membership] = data["families"]
    assert (membership["family"], membership["role"]) == ("T-ALICE", "parent")
    assert "password" not in json.dumps(data["account"]).replace("not_included", "")


def test_the_download_holds_my_messages_and_those_i_may_read(client_for, alice, conversation):
    data = json.loads(download(client_for, alice).content)
    bodies = {(t["kind"], m["body"]) for t in data["messages"] for m in t["messages"]}
    assert ("parents", ALICE_TO_PARENTS) in bodies
    assert ("parents", "Prima, tot zaterdag") in bodies  # the other parent's, sent to me
    assert ("private", ALICE_PRIVATE) in bodies
    mine = next(m for t in data["messages"] for m in t["messages"] if m["body"] == ALICE_TO_PARENTS)
    assert mine["mine"] is True and mine["from"] == "Alice Ouder"
    assert mine["sent_at"].endswith("Z") and len(mine["hash"]) == 64


def test_as_the_other_parent_my_private_words_never_reach_their_download(client_for, alice, bob,
                                                                         conversation):
    """Bob downloads his data: Alice's words to the practitioners must not be in it."""
    content = download(client_for, bob).content
    assert ALICE_PRIVATE.encode() not in content
    assert as_json(ALICE_PRIVATE) not in content
    assert b"ALICE-PRIV" not in content
    assert as_json(BOB_PRIVATE) in content  # his own words are his


def test_the_other_parents_private_thread_and_held_message_are_not_in_my_download(client_for, alice,
                                                                                  conversation):
    content = download(client_for, alice).content
    for words in (BOB_PRIVATE, BOB_HELD, CHARLIE_WORDS, "We bespreken het donderdag"):
        assert words.encode() not in content, words
        assert as_json(words) not in content, words
    assert b"BOB-GEHEIM" not in content and b"BOB-VASTGEHOUDEN" not in content
    data = json.loads(content)
    assert {t["kind"] for t in data["messages"]} == {"parents", "private"}
    assert [t["thread"] for t in data["messages"] if t["kind"] == "private"] == [conversation["alice"].pk]


def test_my_own_held_message_is_mine_to_see(client_for, bob, conversation):
    data = json.loads(download(client_for, bob).content)
    held = [m for t in data["messages"] for m in t["messages"] if m["body"] == BOB_HELD]
    assert len(held) == 1 and held[0]["state"] == "held"


def test_a_practitioner_gets_what_they_may_read_and_the_family_sees_the_download(client_for, carol, alice,
                                                                                 conversation):
    data = json.loads(download(client_for, carol).content)
    bodies = {m["body"] for t in data["messages"] for m in t["messages"]}
    assert {ALICE_PRIVATE, BOB_PRIVATE, ALICE_TO_PARENTS} <= bodies  # practitioners read both parents
    assert BOB_HELD not in bodies and CHARLIE_WORDS not in bodies
    entries = AuditEntry.objects.filter(action=actions.PERSONAL_DATA_EXPORTED, actor=carol)
    assert {(e.family_id, e.acting_role) for e in entries} == {(None, ""), (conversation["parents"].family_id,
                                                                            "coordinator")}
    # The parents see it in their family's access log.
    log = client_for(alice).get(reverse("families:access_log", args=[conversation["parents"].family_id]))
    assert "downloadde een kopie van de eigen gegevens" in log.content.decode()


def test_a_relative_not_added_to_any_thread_gets_no_messages(client_for, rita, conversation):
    data = json.loads(download(client_for, rita).content)
    assert data["messages"] == []
    for words in (ALICE_TO_PARENTS, ALICE_PRIVATE, BOB_PRIVATE):
        assert words.encode() not in download(client_for, rita).content


def test_a_parents_download_is_recorded_for_them_only(client_for, alice, conversation):
    download(client_for, alice)
    entry = AuditEntry.objects.get(action=actions.PERSONAL_DATA_EXPORTED)
    assert (entry.actor, entry.subject_user, entry.family) == (alice, alice, None)
    assert "messages" in entry.details["parts"]


def test_someone_elses_address_and_details_are_left_out_of_my_audit_trail(client_for, alice, carol,
                                                                          conversation):
    audit_record(action=actions.SECOND_FACTOR_RESET, actor=carol, subject_user=alice, address="203.0.113.9",
                 details={"note": "CAROL-NOTITIE"})
    audit_record(action=actions.LANGUAGE_CHANGED, actor=alice, subject_user=alice, address="198.51.100.7",
                 details={"language": "en"})
    content = download(client_for, alice).content
    assert b"203.0.113.9" not in content and b"CAROL-NOTITIE" not in content
    data = json.loads(content)
    by_carol = [e for e in data["audit_trail"] if e["action"] == actions.SECOND_FACTOR_RESET]
    assert by_carol == [{"at": by_carol[0]["at"], "what": "liet de tweede stap opnieuw instellen",
                         "action": actions.SECOND_FACTOR_RESET, "result": "allowed",
                         "by": "Carol Coördinator", "family": None}]
    mine = next(e for e in data["audit_trail"] if e["action"] == actions.LANGUAGE_CHANGED)
    assert mine["address"] == "198.51.100.7" and mine["details"] == {"language": "en"}


def test_after_my_membership_ended_the_familys_records_are_not_in_it(client_for, alice, conversation):
    alice.memberships.update(ended_at=timezone.now())
    content = download(client_for, alice).content
    assert ALICE_TO_PARENTS.encode() not in content and ALICE_PRIVATE.encode() not in content
    data = json.loads(content)
    [membership] = data["families"]
    assert membership["member_until"] is not None and membership["name"] is None
    assert "children" not in membership and "access_log" not in membership


def test_my_plan_revisions_are_in_it_and_the_other_parents_are_not(client_for, family, alice, bob,
                                                                   conversation):
    plan = plan_services.plan_ensure(family=family)
    first, second = Section.objects.filter(plan=plan).order_by("position")[:2]
    for user, section, text in ((alice, first, ALICE_PLAN), (bob, second, "BOB-PLANTEKST over de vakanties")):
        plan_services.section_save(user=user, section_id=section.pk, base_revision=section.head_revision,
                                   content=f"<p>{text}</p>", client_id=str(uuid.uuid4()))
    plan_services.section_agree(user=alice, section_id=first.pk, revision=1, agrees=True)
    data = json.loads(download(client_for, alice).content)
    [part] = data["parenting_plan"]
    assert [r["content_html"] for r in part["my_revisions"]] == [f"<p>{ALICE_PLAN}</p>"]
    assert part["my_opinions"][0]["opinion"] == "agree"
    assert b"BOB-PLANTEKST" not in download(client_for, alice).content


def test_my_reasons_for_disagreeing_are_in_my_download_and_not_in_the_other_parents(
        client_for, family, alice, bob, conversation):
    plan = plan_services.plan_ensure(family=family)
    first = Section.objects.filter(plan=plan).order_by("position").first()
    plan_services.section_save(user=alice, section_id=first.pk, base_revision=first.head_revision,
                               content=f"<p>{ALICE_PLAN}</p>", client_id=str(uuid.uuid4()))
    plan_services.section_agree(user=bob, section_id=first.pk, revision=1, agrees=False,
                                reason="BOB-REDEN: de overdracht moet op zaterdag.")
    [part] = json.loads(download(client_for, bob).content)["parenting_plan"]
    [opinion] = part["my_opinions"]
    assert opinion["opinion"] == "disagree" and opinion["revision"] == 1
    assert opinion["reason"] == "BOB-REDEN: de overdracht moet op zaterdag."
    assert opinion["reason_state"] == "shown" and opinion["note"] is None
    assert b"BOB-REDEN" not in download(client_for, alice).content  # his words, not her data


def test_a_hidden_section_is_not_in_a_parents_download(client_for, family, alice, carol, conversation):
    plan = plan_services.plan_ensure(family=family)
    section = Section.objects.filter(plan=plan, required=False).order_by("position").first()
    plan_services.section_save(user=alice, section_id=section.pk, base_revision=0,
                               content=f"<p>{ALICE_PLAN}</p>", client_id=str(uuid.uuid4()))
    plan_services.comment_add(user=carol, section_id=section.pk, body="CAROL-ALLEEN-PROFESSIONALS",
                              visibility="practitioners")
    plan_services.section_manage(user=carol, plan_id=plan.pk, section_id=section.pk, hidden=True)
    content = download(client_for, alice).content
    assert ALICE_PLAN.encode() not in content  # hidden from parents now: not in the download either
    carol_content = download(client_for, carol).content
    assert b"CAROL-ALLEEN-PROFESSIONALS" in carol_content
