from __future__ import annotations

import uuid
from datetime import datetime, timedelta

import pytest
from django.utils import timezone

from messaging import services
from messaging.models import Presence, ThreadCursor
from messaging.notices import message_notices_send

pytestmark = pytest.mark.django_db

NOON = timezone.make_aware(datetime(2026, 11, 23, 12, 0))


def send(thread, user, body="Hoi"):
    message, _created = services.message_send(sender=user, thread_id=thread.pk, body=body,
                                              client_id=str(uuid.uuid4()))
    return message


def test_offline_members_get_one_notice_an_hour_without_the_body(threads, alice, bob, carol, mailoutbox):
    thread = threads["parents"]
    first = send(thread, alice, "geheime inhoud")
    assert message_notices_send(message=first, now=NOON) == 2  # Bob and Carol, not Alice
    assert sorted(m.to[0] for m in mailoutbox) == [bob.email, carol.email]
    assert all("geheime inhoud" not in m.body for m in mailoutbox)
    second = send(thread, alice)
    assert message_notices_send(message_id=second.pk, now=NOON + timedelta(minutes=10)) == 0
    assert message_notices_send(message_id=second.pk, now=NOON + timedelta(minutes=61)) == 2


def test_no_notice_for_someone_online_or_who_has_read_it(threads, alice, bob, carol, mailoutbox):
    thread = threads["parents"]
    message = send(thread, alice)
    Presence.objects.create(user=bob, channel_name="specific.test!1", seen_at=NOON - timedelta(seconds=30))
    ThreadCursor.objects.create(thread=thread, user=carol, read_seq=message.seq)
    assert message_notices_send(message_id=message.pk, now=NOON) == 0
    assert mailoutbox == []


def test_a_resend_returns_the_stored_message_and_stores_nothing(threads, alice):
    thread = threads["parents"]
    client_id = str(uuid.uuid4())
    first, created = services.message_send(sender=alice, thread_id=thread.pk, body="één", client_id=client_id)
    again, created_again = services.message_send(sender=alice, thread_id=thread.pk, body="één",
                                                  client_id=client_id)
    assert created and not created_again
    assert again.pk == first.pk and again.body == "één" and again.sender == alice
    thread.refresh_from_db()
    assert thread.last_seq == 1 and thread.messages.count() == 1
    assert send(thread, alice, "twee").seq == 2


def test_messages_waiting_for_a_worker_are_looked_at_once(threads, alice, bob, monkeypatch):
    from messaging import notices

    submitted = []
    monkeypatch.setattr(notices._executor, "submit", lambda fn, *args: submitted.append((fn, args)) or "job")
    looked_at = []
    monkeypatch.setattr(notices, "_run", lambda message: looked_at.append(message.seq) or 0)
    thread = threads["parents"]
    first, second, third = send(thread, alice), send(thread, bob), send(thread, alice)
    assert notices.schedule(second) == "job"
    assert notices.schedule(first) is None and notices.schedule(third) is None  # merged into the waiting job
    assert len(submitted) == 1
    fn, args = submitted.pop()
    fn(*args)
    assert looked_at == [third.seq]  # the newest
    assert notices.schedule(send(thread, bob)) == "job"  # nothing waits any more: a new job
    assert notices._waiting.pop(thread.pk)


def test_with_a_delay_the_check_runs_later_once_for_the_thread(threads, alice, bob, monkeypatch, settings):
    import time

    from messaging import notices

    settings.NOTICE_DELAY_SECONDS = 1
    submitted = []
    monkeypatch.setattr(notices._executor, "submit", lambda fn, *args: submitted.append((fn, args)))
    looked_at = []
    monkeypatch.setattr(notices, "_run", lambda message: looked_at.append(message.seq) or 0)
    thread = threads["parents"]
    first, second = send(thread, alice), send(thread, bob)
    assert notices.schedule(first) is None and notices.schedule(second) is None
    assert submitted == []  # not yet
    deadline = time.monotonic() + 5
    while not submitted and time.monotonic() < deadline:
        time.sleep(0.05)
    assert len(submitted) == 1
    fn, args = submitted.pop()
    fn(*args)
    assert looked_at == [second.seq]
