"""Notice scheduling under load: one check per thread for a burst, after NOTICE_DELAY_SECONDS."""

from __future__ import annotations

import uuid
from datetime import datetime

import pytest
from django.utils import timezone

from messaging import services

pytestmark = pytest.mark.django_db

NOON = timezone.make_aware(datetime(2026, 11, 23, 12, 0))


def send(thread, user, body="Hoi"):
    message, _created = services.message_send(sender=user, thread_id=thread.pk, body=body,
                                              client_id=str(uuid.uuid4()))
    return message


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
