"""A relative added without the earlier messages sees the thread from the entry that announces them,
by every path: the socket (join from 0, resume with an old cursor, scrolling back), read marks,
unread counts, the page and both exports. Added with the history, they see it all."""

from __future__ import annotations

import json
import uuid

import pytest
from django.urls import reverse

from messaging import services
from messaging.models import Message, MessageRead
from messaging.selectors import thread_list_for_user
from tests.messaging.conftest import add_relative, open_socket, receive_type, send
from tests.messaging.test_exports import check

SECRETS = ["Geheim een: het adres van de nieuwe school", "Geheim twee: de rechtszaak",
           "Geheim drie: wat oma zei"]


def _conversation(thread, alice, bob):
    for sender, body in zip((alice, bob, alice), SECRETS, strict=True):
        services.message_send(sender=sender, thread_id=thread.pk, body=body, client_id=uuid.uuid4())


@pytest.fixture
def without_history(threads, alice, bob, carol, rita):
    """The parents' thread: three messages, then Rita added without them (her entry is seq 4),
    then one more message (seq 5)."""
    thread = threads["parents"]
    _conversation(thread, alice, bob)
    add_relative(thread, rita, by=carol, with_history=False)
    services.message_send(sender=alice, thread_id=thread.pk, body="Welkom Rita", client_id=uuid.uuid4())
    thread.refresh_from_db()
    assert thread.last_seq == 5
    return thread


def seqs(messages) -> list[int]:
    return [m["seq"] for m in messages]


@pytest.mark.django_db
def test_the_history_starts_at_her_entry_whatever_cursor_she_sends(without_history, rita):
    for after in (0, 1, 3):
        frame = services.thread_history(user=rita, thread_id=without_history.pk, after=after)
        assert seqs(frame["messages"]) == [4, 5]
        assert frame["visible_from"] == 4
    assert frame["messages"][0]["kind"] == "membership"
    assert frame["messages"][0]["change"]["history"] == "from_here"


@pytest.mark.django_db
def test_scrolling_back_stops_at_her_entry(without_history, rita):
    assert services.thread_page_before(user=rita, thread_id=without_history.pk, before=4)["messages"] == []
    page = services.thread_page_before(user=rita, thread_id=without_history.pk, before=6)
    assert seqs(page["messages"]) == [4, 5] and page["has_more"] is False


@pytest.mark.django_db
def test_read_marks_and_unread_counts_leave_the_older_messages_alone(without_history, rita):
    [item] = thread_list_for_user(user=rita)
    assert item["unread"] == 2  # her entry and the welcome, not the three before
    services.messages_mark_read(user=rita, thread_id=without_history.pk, seq=5)
    read = MessageRead.objects.filter(user=rita).values_list("message__seq", flat=True)
    assert sorted(read) == [4, 5]


@pytest.mark.django_db
def test_the_json_export_starts_at_her_entry_and_still_verifies(without_history, rita, client_for, tmp_path):
    response = client_for(rita).get(reverse("messaging:export_json", args=[without_history.pk]))
    text = response.content.decode()
    assert not any(secret in text for secret in SECRETS)
    export = json.loads(text)
    assert seqs(export["messages"]) == [4, 5]
    assert export["first_seq"] == 4
    assert export["previous_hash"] == Message.objects.get(thread=without_history, seq=3).hash
    assert export["message_count"] == 2
    assert check(export, tmp_path).startswith("OK: 2 messages (seq 4 to 5")

    export["messages"][1]["body"] = "Welkom Rita!"
    assert check(export, tmp_path) == "FAILED: seq 5: the hash does not match the content"


@pytest.mark.django_db
def test_the_pdf_export_is_made_from_the_same_records(without_history, rita, client_for, monkeypatch):
    from messaging import views

    shown = {}
    real = views.render_to_string

    def keep(template, context=None, *args, **kwargs):
        shown.update(context or {})
        return real(template, context, *args, **kwargs)

    monkeypatch.setattr(views, "render_to_string", keep)
    response = client_for(rita).get(reverse("messaging:export_pdf", args=[without_history.pk]))
    assert response.status_code == 200 and response.content.startswith(b"%PDF")
    assert seqs(shown["data"]["messages"]) == [4, 5]


@pytest.mark.django_db
def test_her_page_says_from_where_she_sees_the_thread(without_history, rita, client_for):
    page = client_for(rita).get(reverse("messaging:thread", args=[without_history.pk])).content.decode()
    assert 'data-visible-from="4"' in page
    assert "Je ziet de berichten vanaf het moment dat je erbij kwam, niet de eerdere." in page
    assert not any(secret in page for secret in SECRETS)


@pytest.mark.django_db
def test_added_with_the_history_she_sees_everything(threads, alice, bob, carol, rita, client_for, tmp_path):
    thread = threads["parents"]
    _conversation(thread, alice, bob)
    add_relative(thread, rita, by=carol, with_history=True)
    frame = services.thread_history(user=rita, thread_id=thread.pk, after=0)
    assert seqs(frame["messages"]) == [1, 2, 3, 4] and frame["visible_from"] == 1
    export = json.loads(client_for(rita).get(reverse("messaging:export_json", args=[thread.pk])).content)
    assert "first_seq" not in export and seqs(export["messages"]) == [1, 2, 3, 4]
    assert check(export, tmp_path).startswith("OK: 4 messages, chain head")


@pytest.mark.asyncio
@pytest.mark.django_db(transaction=True)
async def test_by_socket_she_gets_nothing_older_however_she_asks(without_history, rita):
    sock = await open_socket(rita)
    for after in (0, 2):  # a first join, and a resume with a cursor from before her entry
        await send(sock, {"type": "thread.join", "thread": without_history.pk, "after": after})
        history = await receive_type(sock, "thread.history")
        assert seqs(history["messages"]) == [4, 5] and history["visible_from"] == 4
    for before in (4, 3, 2):
        await send(sock, {"type": "thread.before", "thread": without_history.pk, "before": before})
        assert (await receive_type(sock, "thread.page"))["messages"] == []
    await send(sock, {"type": "thread.before", "thread": without_history.pk, "before": 5})
    assert seqs((await receive_type(sock, "thread.page"))["messages"]) == [4]
    await sock.disconnect()


@pytest.mark.django_db
def test_the_pdf_itself_holds_no_older_message(without_history, rita, client_for):
    """Read on the PDF itself, where a PDF reader is installed (pdfminer.six, the PDF tests' own)."""
    high_level = pytest.importorskip("pdfminer.high_level")
    import io

    response = client_for(rita).get(reverse("messaging:export_pdf", args=[without_history.pk]))
    text = high_level.extract_text(io.BytesIO(response.content))
    assert "Welkom Rita" in text and "Rita Oma (familielid) leest nu mee" in " ".join(text.split())
    assert not any(secret.split(":")[0] in text for secret in SECRETS)
