"""Item 2: every message a parent delivers directly keeps its tone assessment (MessageTone), the
other parent never sees it; the tone.check frame while typing (BIFF tips in the user's language)."""

from __future__ import annotations

import json

import pytest
from channels.db import database_sync_to_async
from django.db import DatabaseError, transaction

from messaging.models import Message
from moderation.models import MessageTone
from moderation.tone import VERSION, assess
from tests.conftest import verified_session
from tests.messaging.conftest import open_socket, receive, receive_type, send
from tests.moderation.conftest import new_id

HOSTILE = "Je bent een waardeloze vader en dat weet iedereen."
FRIENDLY = "Ik haal Noor vrijdag om vijf uur op bij school, is dat goed?"

pytestmark = [pytest.mark.django_db(transaction=True)]


async def joined(user, thread):
    sock = await open_socket(user)
    await send(sock, {"type": "thread.join", "thread": thread.pk, "after": 0})
    history = await receive_type(sock, "thread.history")
    return sock, history


def tones():
    return {t.message.body: t for t in MessageTone.objects.select_related("message")}


@pytest.mark.asyncio
async def test_a_direct_message_keeps_its_assessment_and_the_other_parent_never_sees_it(
        family, threads, alice, bob, client):
    parents = threads["parents"]
    (a, _), (b, _) = await joined(alice, parents), await joined(bob, parents)
    ids = [new_id(), new_id(), new_id()]
    # Three sends back to back: the batched path (one INSERT of assessments for the batch).
    for client_id, body in zip(ids, [HOSTILE, FRIENDLY, "WAAROM ANTWOORD JE NIET!!!"], strict=True):
        await send(a, {"type": "message.send", "thread": parents.pk, "client_id": client_id, "body": body})
    seen_by_bob = [await receive_type(b, "message.new") for _ in ids]
    for _ in ids:
        await receive_type(a, "message.ack")
    stored = await database_sync_to_async(tones)()
    assert set(stored) == {HOSTILE, FRIENDLY, "WAAROM ANTWOORD JE NIET!!!"}
    for body, tone in stored.items():
        expected = assess(body)
        assert (tone.level, tone.reasons, tone.version) == (expected.level, list(expected.reasons), VERSION)
        assert tone.sender_id == alice.pk and tone.family_id == family.pk
    assert stored[HOSTILE].level in ("hostile", "threat")
    # Bob's live frames, his history and his export carry nothing of it.
    for frame in seen_by_bob:
        assert set(frame["message"]) & {"tone", "level", "reasons"} == set()
    await b.disconnect()
    _, history = await joined(bob, parents)
    text = json.dumps(history)
    assert "tone" not in text and stored[HOSTILE].level not in text

    def export():
        return verified_session(client, bob).get(f"/gesprek/{parents.pk}/export.json")
    response = await database_sync_to_async(export)()
    assert response.status_code == 200
    body = response.content.decode()
    assert HOSTILE in body and '"tone' not in body and stored[HOSTILE].level not in body
    await a.disconnect()


def test_practitioners_and_private_threads_keep_no_assessment(family, threads, alice, carol):
    from messaging.services import message_send
    message_send(sender=carol, thread_id=threads["alice"].pk, body=HOSTILE, client_id=new_id())
    message_send(sender=alice, thread_id=threads["alice"].pk, body=HOSTILE, client_id=new_id())
    assert MessageTone.objects.count() == 0


def test_a_batch_of_sends_keeps_each_message_its_own_assessment_in_the_messages_own_statement(
        family, threads, alice, bob):
    """One batch (core.db.Batched) of both parents' sends, with a private one between them: each tone
    row belongs to its own message, and on PostgreSQL the rows take no statement of their own (they
    ride on the messages' INSERT: one round trip less for every send)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from messaging.services import messages_send
    parents, private = threads["parents"].pk, threads["alice"].pk
    sends = [(alice, parents, HOSTILE), (bob, parents, FRIENDLY), (alice, private, "Notitie voor mezelf."),
             (bob, parents, "WAAROM ANTWOORD JE NIET!!!")]
    with CaptureQueriesContext(connection) as queries:
        results = messages_send(sends=[{"sender": user, "thread_id": thread, "body": body,
                                        "client_id": new_id()} for user, thread, body in sends])
    messages = [message for message, _created in results]
    assert [m.body for m in messages] == [body for _user, _thread, body in sends]
    stored = {t.message_id: t for t in MessageTone.objects.all()}
    assert set(stored) == {messages[0].pk, messages[1].pk, messages[3].pk}  # not the private note
    for message in (messages[0], messages[1], messages[3]):
        tone = stored[message.pk]
        assert (tone.sender_id, tone.sent_at) == (message.sender_id, message.sent_at)
        assert tone.family_id == family.pk
        assert tone.level == assess(message.body).level
    assert len({stored[m.pk].level for m in (messages[0], messages[1], messages[3])}) == 3
    if connection.vendor == "postgresql":
        writes = [q["sql"] for q in queries if "moderation_messagetone" in q["sql"]]
        assert len(writes) == 1
        assert writes[0].startswith("WITH ") and "messaging_message" in writes[0]


def test_assessments_are_append_only(family, threads, alice):
    from messaging.services import message_send
    message, _ = message_send(sender=alice, thread_id=threads["parents"].pk, body=HOSTILE, client_id=new_id())
    tone = MessageTone.objects.get(message=message)
    with pytest.raises(DatabaseError), transaction.atomic():
        MessageTone.objects.filter(pk=tone.pk).update(level="ok")
    with pytest.raises(DatabaseError), transaction.atomic():
        MessageTone.objects.filter(pk=tone.pk).delete()
    assert Message.objects.filter(pk=message.pk).exists()


@pytest.mark.asyncio
async def test_tone_check_answers_the_writer_only_with_tips_in_their_language(family, threads, alice, bob):
    a, b = await open_socket(alice), await open_socket(bob)
    await send(a, {"type": "tone.check", "text": HOSTILE, "ref": "r1"})
    result = await receive_type(a, "tone.result")
    expected = assess(HOSTILE)
    assert set(result) == {"type", "ref", "level", "reasons", "tips"}
    assert result["ref"] == "r1" and result["level"] == expected.level
    assert result["reasons"] == list(expected.reasons)
    assert result["tips"] and all(isinstance(t, str) and t for t in result["tips"])
    dutch = result["tips"]
    await send(a, {"type": "tone.check", "text": FRIENDLY, "ref": "r2"})
    calm = await receive_type(a, "tone.result")
    assert calm["ref"] == "r2"
    if assess(FRIENDLY).level == "ok":
        assert calm["reasons"] == [] and calm["tips"] == []
    # Bob's socket got nothing of Alice's checks.
    await send(b, {"type": "ping"})
    assert (await receive(b))["type"] == "pong"

    def english():
        alice.language = "en"
        alice.save(update_fields=["language"])
    await database_sync_to_async(english)()
    a2 = await open_socket(alice)
    await send(a2, {"type": "tone.check", "text": HOSTILE, "ref": "r3"})
    result = await receive_type(a2, "tone.result")
    assert result["tips"] and result["tips"] != dutch
    assert all(t.isascii() for t in result["tips"])
    for sock in (a, b, a2):
        await sock.disconnect()


@pytest.mark.asyncio
async def test_tone_check_refuses_bad_frames_and_floods(family, threads, alice):
    a = await open_socket(alice)
    await send(a, {"type": "tone.check", "text": HOSTILE})
    error = await receive_type(a, "error")
    assert error["code"] == "invalid"
    await send(a, {"type": "tone.check", "text": 5, "ref": "x"})
    assert (await receive_type(a, "error"))["code"] == "invalid"
    codes = []
    for i in range(8):
        await send(a, {"type": "tone.check", "text": "hoi", "ref": f"f{i}"})
        frame = await receive(a)
        codes.append(frame.get("code") if frame["type"] == "error" else frame["type"])
    assert "rate_limited" in codes and codes[0] == "tone.result"
    await a.disconnect()
