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
