"""Notice scheduling under load: a burst of messages in a thread gets one check, for the newest
message, NOTICE_DELAY_SECONDS after the first; the check waits in the database, not in memory."""

from __future__ import annotations

import uuid
from datetime import time, timedelta

import pytest
from django.core import mail
from django.db import transaction
from django.utils import timezone

from messaging import notices, services
from messaging.models import NoticeDue

pytestmark = pytest.mark.django_db

DELAY = 30


@pytest.fixture(autouse=True)
def delay(settings):
    settings.NOTICE_DELAY_SECONDS = DELAY


@pytest.fixture
def thread(threads, alice, bob, carol):
    # No quiet hours: the checks go by the real clock, and the test may run at night.
    for user in (alice, bob, carol):
        user.quiet_hours_start = user.quiet_hours_end = time(0, 0)
        user.save(update_fields=["quiet_hours_start", "quiet_hours_end"])
    carol.notify_read_along = True  # she chose to be told about the parents' thread too
    carol.save(update_fields=["notify_read_along"])
    return threads["parents"]


def send(thread, user, body="Hoi"):
    message, _created = services.message_send(sender=user, thread_id=thread.pk, body=body,
                                              client_id=str(uuid.uuid4()))
    return message


def mails_to(user) -> list:
    return [m for m in mail.outbox if m.to == [user.email]]


def test_a_burst_of_messages_in_one_thread_is_checked_once_for_the_newest(thread, alice, bob, carol):
    send(thread, alice), send(thread, bob), send(thread, alice, "Tot vrijdag")
    assert notices.send_due(now=timezone.now() + timedelta(seconds=DELAY + 1)) == 1  # one check
    assert len(mails_to(bob)) == 1 and len(mails_to(carol)) == 1
    assert mails_to(alice) == []  # she sent the newest message
    assert notices.send_due(now=timezone.now() + timedelta(seconds=DELAY + 2)) == 0  # nothing left
    assert len(mail.outbox) == 2


def test_nothing_is_checked_before_the_delay_is_over(thread, alice, bob):
    message = send(thread, alice)
    assert notices.send_due(now=timezone.now() + timedelta(seconds=DELAY - 5)) == 0
    assert mail.outbox == []
    assert list(NoticeDue.objects.values_list("thread_id", "seq")) == [(thread.pk, message.seq)]


def test_a_later_message_does_not_push_the_check_back(thread, alice, bob):
    send(thread, alice)
    first_due = NoticeDue.objects.get(thread=thread).due_at
    newest = send(thread, bob, "Prima")
    due = NoticeDue.objects.get(thread=thread)
    assert (due.due_at, due.seq) == (first_due, newest.seq)


def test_each_thread_gets_its_own_check(threads, thread, alice, bob):
    send(thread, alice), send(threads["alice"], alice), send(threads["bob"], bob)
    assert NoticeDue.objects.count() == 3
    assert notices.send_due(now=timezone.now() + timedelta(seconds=DELAY + 1)) == 3


@pytest.mark.django_db(transaction=True)
def test_with_a_delay_nothing_is_mailed_at_commit(thread, alice, bob, notice_jobs):
    with transaction.atomic():
        send(thread, alice)
    assert notice_jobs == [] and mail.outbox == []
    assert NoticeDue.objects.filter(thread=thread).exists()  # waiting in the database
