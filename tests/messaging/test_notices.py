"""E-mail notices: "you have a new message", never its text; at most one an hour per thread; none
while online, in quiet hours, to the sender, or once read; sent after commit."""

from __future__ import annotations

import uuid
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from messaging import notices, services
from messaging.models import NoticeDue, Presence, ThreadCursor
from tests.messaging.conftest import add_relative

AMSTERDAM = ZoneInfo("Europe/Amsterdam")
NOON = datetime(2026, 11, 23, 12, 0, tzinfo=AMSTERDAM)  # outside the default quiet hours (22:00-07:00)
TEXT = "Ik haal Noor vrijdag om 15:30 op bij zwemles"


def send(sender, thread, body: str = TEXT):
    return services.message_send(sender=sender, thread_id=thread.pk, body=body, client_id=uuid.uuid4())[0]


def notify(message, now: datetime = NOON) -> None:
    notices.message_notices_send(message_id=message.pk, now=now)


def mails_to(user) -> list:
    return [m for m in mail.outbox if m.to == [user.email]]


@pytest.fixture
def thread(threads):
    return threads["parents"]


def test_a_message_to_an_offline_parent_sends_one_email_without_its_text(thread, alice, bob):
    notify(send(alice, thread))
    [notice] = mails_to(bob)
    for part in (TEXT, "Noor", "zwemles", "15:30"):
        assert part not in notice.subject and part not in notice.body
    assert reverse("messaging:thread", args=[thread.pk]) in notice.body
    assert notice.subject == "Nieuw bericht in Kompas"


def test_no_email_goes_to_the_sender(thread, alice, bob):
    notify(send(alice, thread))
    assert mails_to(alice) == []
    notify(send(bob, thread, "Prima"))
    assert len(mails_to(alice)) == 1 and len(mails_to(bob)) == 1


def test_a_second_message_within_the_hour_sends_no_email(thread, alice, bob):
    notify(send(alice, thread))
    notify(send(alice, thread, "En neem de zwemtas mee"), now=NOON + timedelta(minutes=59))
    assert len(mails_to(bob)) == 1


def test_a_message_an_hour_after_the_last_email_sends_one_again(thread, alice, bob):
    notify(send(alice, thread))
    ThreadCursor.objects.filter(thread=thread, user=bob).update(notified_at=NOON - timedelta(hours=1))
    notify(send(alice, thread, "En neem de zwemtas mee"))
    assert len(mails_to(bob)) == 2


def test_no_email_while_the_recipient_is_online(thread, alice, bob):
    Presence.objects.create(user=bob, channel_name="bob-tab-1", seen_at=NOON - timedelta(seconds=30))
    notify(send(alice, thread))
    assert mails_to(bob) == []


def test_a_presence_that_went_stale_does_not_count_as_online(thread, alice, bob):
    Presence.objects.create(user=bob, channel_name="bob-tab-1", seen_at=NOON - timedelta(minutes=10))
    notify(send(alice, thread))
    assert len(mails_to(bob)) == 1


@pytest.mark.parametrize("moment", [time(23, 30), time(0, 5), time(6, 59)])
def test_no_email_in_the_recipients_quiet_hours(thread, alice, bob, moment):
    notify(send(alice, thread), now=datetime.combine(NOON.date(), moment, tzinfo=AMSTERDAM))
    assert mails_to(bob) == []


def test_an_email_when_the_quiet_hours_are_over(thread, alice, bob):
    notify(send(alice, thread), now=datetime.combine(NOON.date(), time(7, 0), tzinfo=AMSTERDAM))
    assert len(mails_to(bob)) == 1


def test_quiet_hours_follow_the_recipients_own_setting(thread, alice, bob):
    bob.quiet_hours_start, bob.quiet_hours_end = time(11, 0), time(13, 0)
    bob.save(update_fields=["quiet_hours_start", "quiet_hours_end"])
    notify(send(alice, thread))
    assert mails_to(bob) == []
    notify(send(alice, thread, "Laat je het weten?"), now=NOON.replace(hour=23, minute=30))
    assert len(mails_to(bob)) == 1


def test_no_email_when_the_recipient_already_read_it(thread, alice, bob):
    message = send(alice, thread)
    services.messages_mark_read(user=bob, thread_id=thread.pk, seq=message.seq)
    notify(message)
    assert mails_to(bob) == []


def test_no_email_to_someone_who_may_not_read_the_thread(threads, alice, bob, charlie):
    notify(send(alice, threads["alice"]))
    assert mails_to(bob) == [] and mails_to(charlie) == []


def test_a_practitioner_reading_along_is_not_mailed_about_the_parents_messages(thread, alice, bob, carol):
    notify(send(alice, thread))
    assert len(mails_to(bob)) == 1
    assert mails_to(carol) == []


def test_a_practitioner_who_chose_it_is_mailed_about_the_parents_messages(thread, alice, carol):
    carol.notify_read_along = True
    carol.save(update_fields=["notify_read_along"])
    notify(send(alice, thread))
    assert len(mails_to(carol)) == 1


def test_a_parents_private_thread_is_told_to_the_practitioner_without_a_choice(threads, alice, carol):
    notify(send(alice, threads["alice"]))
    assert len(mails_to(carol)) == 1


def test_the_worker_drops_a_check_only_a_practitioner_reading_along_could_be_due(thread, alice, bob, carol,
                                                                               settings):
    for user in (bob, carol):  # no quiet hours: the worker goes by the real clock, the test may run at night
        user.quiet_hours_start = user.quiet_hours_end = time(0, 0)
        user.save(update_fields=["quiet_hours_start", "quiet_hours_end"])

    def later():
        return timezone.now() + timedelta(seconds=settings.NOTICE_DELAY_SECONDS + 1)

    send(alice, thread)
    Presence.objects.create(user=bob, channel_name="bob-tab-1", seen_at=later())
    assert notices.send_due(now=later()) == 1
    assert mail.outbox == [] and due_checks(thread) == []
    carol.notify_read_along = True
    carol.save(update_fields=["notify_read_along"])
    message = send(alice, thread, "En neem de zwemtas mee")
    assert notices.send_due(now=later()) == 1
    assert len(mails_to(carol)) == 1 and mails_to(bob) == [] and due_checks(thread) == []
    assert ThreadCursor.objects.get(thread=thread, user=carol).notified_seq == message.seq


def due_checks(thread) -> list[int]:
    """The seqs of the thread's notice checks waiting in the database."""
    return list(NoticeDue.objects.filter(thread=thread).values_list("seq", flat=True))


def test_a_relative_hears_only_of_threads_a_practitioner_added_them_to(thread, alice, carol, rita):
    notify(send(alice, thread))
    assert mails_to(rita) == []
    add_relative(thread, rita, by=carol)
    notify(send(alice, thread, "En neem de zwemtas mee"))
    assert len(mails_to(rita)) == 1


@pytest.mark.django_db(transaction=True)
def test_message_send_stores_the_notice_with_the_message_and_mails_it_after_commit(thread, alice, bob,
                                                                                 notice_jobs):
    bob.quiet_hours_start = bob.quiet_hours_end = time(0, 0)  # none: the test may run at night
    bob.save(update_fields=["quiet_hours_start", "quiet_hours_end"])
    with transaction.atomic():
        message = send(alice, thread)
        assert due_checks(thread) == [message.seq]  # in the message's own transaction
        assert notice_jobs == [] and mail.outbox == []  # nothing mailed before the commit
    [job] = notice_jobs
    job.result(timeout=30)
    assert len(mails_to(bob)) == 1
    assert ThreadCursor.objects.get(thread=thread, user=bob).notified_at is not None
    assert due_checks(thread) == []  # done


@pytest.mark.django_db(transaction=True)
def test_a_rolled_back_message_leaves_no_notice(thread, alice, bob, notice_jobs):
    with pytest.raises(RuntimeError), transaction.atomic():
        send(alice, thread)
        raise RuntimeError("something later in the same transaction failed")
    assert due_checks(thread) == []
    assert notice_jobs == []
    assert mail.outbox == []
