"""The records through holds, returns, rephrasings and relays: the thread chain stays gap-free and
valid, every draft and decision verifies (tools/verify_export.py, verify_records), a practitioner's
export carries everything, a parent's only their own drafts, and the other parent's export never holds
words that were not released (checked on the bytes, JSON and PDF)."""

from __future__ import annotations

import io
import json
import uuid
from io import StringIO

import pytest
from cryptography.fernet import Fernet
from django.core.management import CommandError, call_command
from django.db import connection
from django.urls import reverse
from pypdf import PdfReader

from messaging import services as chat
from messaging.models import Thread
from moderation import services
from moderation.models import Draft
from tests.messaging.test_exports import check, export_json
from vault import keyring

RELEASED = "Zaterdag haal ik ze om 10:00 op bij school."
RETURNED = "Jij kan ook nooit iets regelen, echt typisch."
REPHRASED_ORIGINAL = "Als je weer te laat bent zeg ik het tegen de rechter!!"
PROPOSAL = "Wil je zaterdag op tijd zijn? Dat is belangrijk voor de kinderen."
STILL_HELD = "En vergeet zijn medicijnen niet, zoals altijd."
BOB_RETURNED = "Bemoei je er niet mee."
NOTE = "Probeer het zonder 'nooit' en 'altijd'."


def hold(sender, thread, body) -> int:
    stored, _created = chat.message_send(sender=sender, thread_id=thread.pk, body=body,
                                         client_id=uuid.uuid4())
    return stored.frame["id"]


@pytest.fixture
def story(moderated, alice, bob, carol, pim):
    """Every outcome once, in the parents' thread of a moderated family."""
    parents = moderated["parents"]
    released = hold(alice, parents, RELEASED)
    services.review_decide(actor=carol, item_id=released, decision="release")
    returned = hold(alice, parents, RETURNED)
    services.review_decide(actor=pim, item_id=returned, decision="return", reason="blame", note=NOTE)
    rephrased = hold(alice, parents, REPHRASED_ORIGINAL)
    services.review_decide(actor=carol, item_id=rephrased, decision="rephrase", body=PROPOSAL)
    services.rephrase_answer(actor=alice, item_id=rephrased, accept=False)
    services.review_decide(actor=carol, item_id=rephrased, decision="rephrase", body=PROPOSAL)
    services.rephrase_answer(actor=alice, item_id=rephrased, accept=True)
    hold(alice, parents, STILL_HELD)
    bobs = hold(bob, parents, BOB_RETURNED)
    services.review_decide(actor=carol, item_id=bobs, decision="return", reason="other")
    return Thread.objects.get(pk=parents.pk)


def test_the_thread_stays_gap_free_and_valid(story):
    assert story.last_seq == 2
    assert [m.body for m in story.messages.order_by("seq")] == [RELEASED, PROPOSAL]
    assert "all chains verified" in verify_records(story)


def test_the_practitioners_export_carries_every_draft_and_decision_and_verifies(story, client_for, carol,
                                                                                   tmp_path):
    export = export_json(client_for(carol), story)
    assert [d["body"] for d in export["drafts"]] == [RELEASED, RETURNED, REPHRASED_ORIGINAL, STILL_HELD,
                                                     BOB_RETURNED]
    steps = [[x["decision"] for x in d["decisions"]] for d in export["drafts"]]
    assert steps == [["release"], ["return"], ["rephrase", "decline", "rephrase", "accept"], [], ["return"]]
    accept = export["drafts"][2]["decisions"][3]
    assert accept["message"] == {"thread": story.pk, "seq": 2, "hash": export["messages"][1]["hash"]}
    assert export["drafts"][1]["decisions"][0]["note"] == NOTE
    assert check(export, tmp_path) == (
        f"OK: 2 messages, 5 drafts with 7 decisions, chain head {story.head_hash}")


def test_a_parents_export_holds_their_own_drafts_and_outcomes_only(story, client_for, alice, tmp_path):
    response = client_for(alice).get(reverse("messaging:export_json", args=[story.pk]))
    assert BOB_RETURNED.encode() not in response.content
    export = json.loads(response.content)
    assert [d["body"] for d in export["drafts"]] == [RELEASED, RETURNED, REPHRASED_ORIGINAL, STILL_HELD]
    assert export["drafts"][1]["decisions"][0]["note"] == NOTE
    assert check(export, tmp_path).startswith("OK: 2 messages, 4 drafts with 6 decisions")


def test_the_other_parents_export_never_holds_unreleased_words(story, client_for, bob, tmp_path):
    for view in ("messaging:export_json", "messaging:export_pdf"):
        response = client_for(bob).get(reverse(view, args=[story.pk]))
        assert response.status_code == 200
        text = response.content.decode() if view.endswith("json") else pdf_text(response.content)
        text = " ".join(text.split())
        for words in (RETURNED, REPHRASED_ORIGINAL, STILL_HELD, NOTE):
            assert words not in text, (view, words)
        assert "Zaterdag haal ik ze om 10:00 op" in text and "Wil je zaterdag op tijd zijn?" in text
    export = json.loads(client_for(bob).get(reverse("messaging:export_json", args=[story.pk])).content)
    assert [d["body"] for d in export["drafts"]] == [BOB_RETURNED]  # his own
    assert check(export, tmp_path).startswith("OK: 2 messages, 1 drafts with 1 decisions")


def test_the_practitioners_pdf_shows_the_held_words_and_their_outcomes(story, client_for, carol):
    response = client_for(carol).get(reverse("messaging:export_pdf", args=[story.pk]))
    text = pdf_text(response.content)
    assert "Berichten die wachtten op beoordeling" in text
    for words in ("Jij kan ook nooit iets regelen", "zeg ik het tegen de rechter", "Bemoei je er niet mee"):
        assert words in text
    assert "teruggestuurd" in text and "herschrijving aanvaard" in text and "Reden: Verwijt" in text


@pytest.mark.parametrize(("tamper", "problem"), [
    (lambda e: e["drafts"][1].update(body=e["drafts"][1]["body"] + "."),
     "the hash does not match the content"),
    (lambda e: e["drafts"][1]["decisions"][0].update(note="Anders"), "decision 1: the hash does not match"),
    (lambda e: e["drafts"][2]["decisions"].pop(1), "decision 2 is missing or out of order"),
    (lambda e: e["drafts"][0]["decisions"][0]["message"].update(seq=2),
     "decision 1: the hash does not match"),
    (lambda e: e["drafts"][3]["decisions"].append(dict(e["drafts"][0]["decisions"][0])),
     "decision 1: the hash does not match"),
])
def test_a_changed_draft_or_decision_in_an_export_fails(story, client_for, carol, tmp_path, tamper, problem):
    export = export_json(client_for(carol), story)
    tamper(export)
    output = check(export, tmp_path)
    assert output.startswith("FAILED: draft ") and problem in output, output


def test_a_release_linked_to_another_message_fails_even_with_recomputed_hashes(
        story, client_for, carol, tmp_path):
    """Someone rewriting the link and recomputing the decision's hash is still caught: the linked
    message must be in the chain and carry the released words."""
    import importlib.util
    from pathlib import Path

    spec = importlib.util.spec_from_file_location(
        "verify_export", Path(__file__).resolve().parents[2] / "tools" / "verify_export.py")
    checker = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(checker)
    export = export_json(client_for(carol), story)
    draft = export["drafts"][0]
    decision = draft["decisions"][0]
    decision["message"] = {"thread": story.pk, "seq": 2, "hash": export["messages"][1]["hash"]}
    decision["hash"] = checker.decision_hash(draft["hash"], draft["hash"], decision)
    assert check(export, tmp_path) == (
        f"FAILED: draft {draft['id']}: decision 1: the linked message does not carry the released words")


def test_verify_records_finds_a_draft_whose_words_were_swapped_in_the_database(story):
    # Only the words' ciphertext may change (for rotate_keys), so the database lets this through;
    # the draft's hash, which covers the plaintext, is what catches it.
    draft = next(d for d in Draft.objects.all() if d.body == STILL_HELD)  # bodies are encrypted
    with connection.cursor() as cursor:
        cursor.execute(f"UPDATE {Draft._meta.db_table} SET body = %s WHERE id = %s",  # noqa: S608
                       [keyring.encrypt("Vergeet zijn medicijnen niet."), draft.pk])
    out = StringIO()
    with pytest.raises(CommandError):
        call_command("verify_records", thread=story.pk, stdout=out)
    assert f"BROKEN: draft {draft.pk}: the hash does not match the content" in out.getvalue()


def test_rotate_keys_re_encrypts_drafts_and_decisions_and_everything_still_verifies(story, settings):
    new_key = Fernet.generate_key().decode()
    settings.FIELD_ENCRYPTION_KEYS = [new_key, *settings.FIELD_ENCRYPTION_KEYS]
    call_command("rotate_keys", stdout=StringIO())
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT body FROM {Draft._meta.db_table} ORDER BY id")  # noqa: S608
        assert Fernet(new_key).decrypt(cursor.fetchone()[0].encode()).decode() == RELEASED
    assert "all chains verified" in verify_records(story)


def test_relays_verify_in_the_practitioners_export_and_stay_out_of_the_parents(
        indirect, alice, bob, carol, client_for, tmp_path):
    source, _created = chat.message_send(sender=alice, thread_id=indirect["alice"].pk,
                                         body="Hij heeft koorts, dit weekend blijft hij hier.",
                                         client_id=uuid.uuid4())
    services.message_relay(actor=carol, thread_id=indirect["bob"].pk, client_id=uuid.uuid4(),
                           body="Alice laat weten dat hij ziek is en dit weekend bij haar blijft.",
                           sources=[source.pk])
    bobs = Thread.objects.get(pk=indirect["bob"].pk)

    export = export_json(client_for(carol), bobs)
    assert export["relays"][0]["sources"] == [{"id": source.pk, "thread": source.thread_id, "seq": 1,
                                               "hash": source.hash}]
    assert check(export, tmp_path) == f"OK: 1 messages, 1 relays, chain head {bobs.head_hash}"
    export["relays"][0]["sources"][0]["seq"] = 2
    assert check(export, tmp_path) == "FAILED: relay of seq 1: the hash does not match the content"

    response = client_for(bob).get(reverse("messaging:export_json", args=[bobs.pk]))
    assert b"koorts" not in response.content and b"relays" not in response.content
    assert json.loads(response.content)["messages"][0]["state"] == "relayed"
    assert "all chains verified" in verify_records(bobs)


def verify_records(thread) -> str:
    out = StringIO()
    call_command("verify_records", thread=thread.pk, stdout=out)
    return out.getvalue()


def pdf_text(content: bytes) -> str:
    """The PDF's text with every run of white space as one space (table cells wrap lines)."""
    reader = PdfReader(io.BytesIO(content))
    return " ".join(" ".join(page.extract_text() for page in reader.pages).split())
