"""Exports: the JSON export verifies with the standalone checker, which names the seq of any
change; the PDF is a PDF; outsiders get 404; every export is in the audit trail."""

from __future__ import annotations

import json
import subprocess
import sys
import uuid
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from django.urls import reverse

from audit.models import AuditEntry
from messaging import services

CHECKER = Path(__file__).resolve().parents[2] / "tools" / "verify_export.py"


def send(sender, thread, body: str) -> None:
    services.message_send(sender=sender, thread_id=thread.pk, body=body, client_id=uuid.uuid4())


@pytest.fixture
def thread(threads, alice, bob):
    thread = threads["parents"]
    for sender, body in ((alice, "Hoi Bob"), (bob, "Zaterdag 10:00 bij de bieb?"), (alice, "Goed 👍"),
                         (bob, "Tot dan\nen neem de jas mee")):
        send(sender, thread, body)
    services.messages_mark_read(user=bob, thread_id=thread.pk, seq=3)
    return thread


def export_json(client, thread) -> dict:
    response = client.get(reverse("messaging:export_json", args=[thread.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/json"
    return json.loads(response.content)


def check(export: dict, tmp_path, *extra: str) -> str:
    """Run tools/verify_export.py as someone else would: a separate Python, a file on disk."""
    path = tmp_path / "gesprek.json"
    path.write_text(json.dumps(export, ensure_ascii=False), encoding="utf-8")
    result = subprocess.run([sys.executable, str(CHECKER), str(path), *extra],  # noqa: S603
                            capture_output=True, text=True, timeout=60, check=False)
    output = result.stdout.strip()
    assert (result.returncode == 0) == output.startswith("OK"), output
    return output


def test_a_json_export_verifies_with_the_standalone_checker(client_for, alice, thread, tmp_path):
    export = export_json(client_for(alice), thread)
    assert [m["seq"] for m in export["messages"]] == [1, 2, 3, 4]
    assert export["messages"][3]["body"] == "Tot dan\nen neem de jas mee"
    assert [r["user"]["name"] for r in export["messages"][0]["read_by"]] == ["Bob Ouder"]
    thread.refresh_from_db()
    assert check(export, tmp_path) == f"OK: 4 messages, chain head {thread.head_hash}"


def test_changing_one_byte_of_a_body_fails_at_that_seq(client_for, alice, thread, tmp_path):
    export = export_json(client_for(alice), thread)
    export["messages"][1]["body"] = export["messages"][1]["body"].replace("10:00", "11:00")
    assert check(export, tmp_path) == "FAILED: seq 2: the hash does not match the content"


@pytest.mark.parametrize("field", ["sent_at", "sender"])
def test_changing_a_time_or_a_sender_fails_at_that_seq(client_for, alice, bob, thread, tmp_path, field):
    export = export_json(client_for(alice), thread)
    message = export["messages"][2]  # Alice's
    if field == "sent_at":
        earlier = datetime.fromisoformat(message["sent_at"]) - timedelta(hours=2)
        message["sent_at"] = earlier.isoformat(timespec="milliseconds").replace("+00:00", "Z")
    else:
        message["sender"] = {"id": bob.pk, "name": bob.display_name}
    assert check(export, tmp_path) == "FAILED: seq 3: the hash does not match the content"


def test_swapping_two_messages_fails_at_the_first_of_them(client_for, alice, thread, tmp_path):
    export = export_json(client_for(alice), thread)
    messages = export["messages"]
    messages[1], messages[2] = messages[2], messages[1]
    assert check(export, tmp_path) == "FAILED: seq 2 is missing or out of order (found 3)"


def test_removing_a_message_fails_at_its_seq(client_for, alice, thread, tmp_path):
    export = export_json(client_for(alice), thread)
    del export["messages"][1]
    export["message_count"] = 3
    assert check(export, tmp_path) == "FAILED: seq 2 is missing or out of order (found 3)"


def test_removing_the_last_message_fails_naming_its_seq(client_for, alice, thread, tmp_path):
    export = export_json(client_for(alice), thread)
    del export["messages"][-1]
    assert check(export, tmp_path).startswith("FAILED: seq 4 is missing")
    export["message_count"] = 3  # covering the tracks: the chain head still gives it away
    assert check(export, tmp_path).startswith("FAILED: seq 4 is missing")


def test_an_older_chain_head_is_found_in_a_later_export(client_for, alice, bob, thread, tmp_path):
    older = export_json(client_for(alice), thread)["chain_head"]
    send(bob, thread, "Nog één ding")
    export = export_json(client_for(bob), thread)
    assert check(export, tmp_path, "--expect-head", older).startswith("OK: 5 messages")


def test_a_chain_head_that_is_not_in_the_chain_fails(client_for, alice, thread, tmp_path):
    export = export_json(client_for(alice), thread)
    assert check(export, tmp_path, "--expect-head", "ab" * 32) == (
        "FAILED: the older chain head does not occur in this chain: the thread was rewritten")


def test_the_pdf_export_is_a_pdf(client_for, alice, thread):
    response = client_for(alice).get(reverse("messaging:export_pdf", args=[thread.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert response["Content-Disposition"] == f'attachment; filename="gesprek-{thread.pk}.pdf"'


@pytest.mark.parametrize("view", ["messaging:export_json", "messaging:export_pdf"])
def test_an_outsider_gets_404_for_an_export(client_for, charlie, thread, view):
    assert client_for(charlie).get(reverse(view, args=[thread.pk])).status_code == 404
    assert not AuditEntry.objects.filter(action="messaging:records:exported").exists()


@pytest.mark.parametrize("view", ["messaging:export_json", "messaging:export_pdf"])
def test_a_parent_gets_404_for_an_export_of_the_other_parents_private_thread(
    client_for, alice, threads, view
):
    hidden = client_for(alice).get(reverse(view, args=[threads["bob"].pk]))
    missing = client_for(alice).get(reverse(view, args=[999_999]))
    assert hidden.status_code == missing.status_code == 404


@pytest.mark.parametrize(("view", "fmt"), [("messaging:export_json", "json"),
                                           ("messaging:export_pdf", "pdf")])
def test_an_export_is_written_to_the_audit_trail(client_for, carol, thread, view, fmt):
    client_for(carol).get(reverse(view, args=[thread.pk]))
    entry = AuditEntry.objects.get(action="messaging:records:exported")
    assert entry.actor == carol and entry.acting_role == "coordinator"
    assert entry.family_id == thread.family_id
    assert (entry.target_type, entry.target_id) == ("thread", str(thread.pk))
    assert entry.details == {"format": fmt}
