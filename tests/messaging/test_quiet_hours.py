"""Quiet hours and notice choices, with real due rows (messaging_noticedue): a notice that falls due
in a recipient's quiet hours waits until they end (the stored due time moves; nothing is lost and
nobody is mailed twice), someone who turned notices off gets none, and the e-mail tells the truth
about both."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.urls import reverse

from accounts.quiet_hours import in_quiet_hours, quiet_hours_end_after
from messaging import notices, services
from messaging.models import NoticeDue, ThreadCursor

pytestmark = pytest.mark.django_db

AMSTERDAM = ZoneInfo("Europe/Amsterdam")
# Later than any due time the test's messages get (now + NOTICE_DELAY_SECONDS), so they are due.
EVENING = datetime(2030, 1, 15, 23, 30, tzinfo=AMSTERDAM)
MORNING = datetime(2030, 1, 16, 7, 0, tzinfo=AMSTERDAM)


@pytest.fixture(autouse=True)
def delay(settings):
    settings.NOTICE_DELAY_SECONDS = 30


@pytest.fixture
def thread(threads, alice, bob, carol):
    # Bob keeps the default quiet hours (22:00-07:00); Carol has none, and chose to be told about
    # the parents' messages she reads along with.
    carol.quiet_hours_start = carol.quiet_hours_end = time(0, 0)
    carol.notify_read_along = True
    carol.save(update_fields=["quiet_hours_start", "quiet_hours_end", "notify_read_along"])
    return threads["parents"]


def send(thread, user, body="Ik breng Noor zaterdag om tien uur"):
    return services.message_send(sender=user, thread_id=thread.pk, body=body, client_id=str(uuid.uuid4()))[0]


def mails_to(user) -> list:
    return [m for m in mail.outbox if m.to == [user.email]]


def test_the_settings_time_zone_is_amsterdam(settings):
    assert settings.TIME_ZONE == "Europe/Amsterdam"


def test_a_notice_in_quiet_hours_waits_in_the_database_until_they_end(thread, alice, bob, carol):
    message = send(thread, alice)
    assert notices.send_due(now=EVENING) == 1
    assert len(mails_to(carol)) == 1  # no quiet hours: told at once
    assert mails_to(bob) == []  # in his quiet hours: not now...
    due = NoticeDue.objects.get(thread=thread)  # ...but not forgotten
    assert (due.seq, due.attempts) == (message.seq, 0)
    assert due.due_at == MORNING
    assert notices.send_due(now=MORNING - timedelta(minutes=1)) == 0
    assert mails_to(bob) == []
    assert notices.send_due(now=MORNING) == 1
    assert len(mails_to(bob)) == 1
    assert len(mails_to(carol)) == 1  # told once, not again at seven
    assert not NoticeDue.objects.filter(thread=thread).exists()
    assert notices.send_due(now=MORNING + timedelta(hours=3)) == 0
    assert len(mail.outbox) == 2


def test_who_reads_before_the_quiet_hours_end_gets_no_mail(thread, alice, bob):
    message = send(thread, alice)
    notices.send_due(now=EVENING)
    services.messages_mark_read(user=bob, thread_id=thread.pk, seq=message.seq)
    notices.send_due(now=MORNING)
    assert mails_to(bob) == []
    assert not NoticeDue.objects.filter(thread=thread).exists()


def test_a_message_arriving_during_the_wait_is_told_once_when_they_end(thread, alice, bob, carol):
    send(thread, alice)
    notices.send_due(now=EVENING)
    newest = send(thread, alice, "En de zwemtas")
    due = NoticeDue.objects.get(thread=thread)
    assert due.seq == newest.seq
    notices.send_due(now=EVENING + timedelta(hours=2))  # checked again, still quiet for Bob
    assert mails_to(bob) == []
    assert NoticeDue.objects.get(thread=thread).due_at == MORNING
    notices.send_due(now=MORNING)
    assert len(mails_to(bob)) == 1


def test_quiet_hours_in_the_day_wait_until_their_own_end(thread, alice, bob):
    bob.quiet_hours_start, bob.quiet_hours_end = time(9, 0), time(17, 30)
    bob.save(update_fields=["quiet_hours_start", "quiet_hours_end"])
    send(thread, alice)
    notices.send_due(now=datetime(2030, 1, 16, 12, 0, tzinfo=AMSTERDAM))
    assert mails_to(bob) == []
    assert NoticeDue.objects.get(thread=thread).due_at == datetime(2030, 1, 16, 17, 30, tzinfo=AMSTERDAM)


def test_the_end_of_quiet_hours_is_local_time_across_the_change_to_summer_time(bob):
    # The night of 27 to 28 March 2027: the clocks go from 02:00 to 03:00.
    evening = datetime(2027, 3, 27, 23, 0, tzinfo=AMSTERDAM)
    end = quiet_hours_end_after(bob, evening)
    assert end == datetime(2027, 3, 28, 7, 0, tzinfo=AMSTERDAM)
    assert end.astimezone(UTC) == datetime(2027, 3, 28, 5, 0, tzinfo=UTC)  # summer time: UTC+2
    assert quiet_hours_end_after(bob, datetime(2027, 3, 28, 12, 0, tzinfo=AMSTERDAM)) is None


@pytest.mark.parametrize("moment, quiet", [
    (time(21, 59), False), (time(22, 0), True), (time(3, 0), True), (time(6, 59), True), (time(7, 0), False),
])
def test_quiet_hours_past_midnight_cover_the_night_only(bob, moment, quiet):
    assert in_quiet_hours(bob, datetime.combine(EVENING.date(), moment, tzinfo=AMSTERDAM)) is quiet


def test_quiet_hours_are_amsterdam_time_whatever_the_servers_clock_says(bob):
    # 22:30 UTC in January is 23:30 in Amsterdam: quiet; 05:30 UTC is 06:30 there: still quiet.
    assert in_quiet_hours(bob, datetime(2030, 1, 15, 22, 30, tzinfo=UTC))
    assert in_quiet_hours(bob, datetime(2030, 1, 16, 5, 30, tzinfo=UTC))
    assert not in_quiet_hours(bob, datetime(2030, 1, 16, 6, 0, tzinfo=UTC))  # 07:00 there


def test_who_turned_notices_off_gets_none_and_nothing_waits_for_them(thread, alice, bob, carol):
    for user in (bob, carol):
        user.notify_messages = False
        user.save(update_fields=["notify_messages"])
    send(thread, alice)
    notices.send_due(now=EVENING)
    notices.send_due(now=MORNING)
    assert mail.outbox == []
    assert not NoticeDue.objects.filter(thread=thread).exists()


def test_turning_notices_off_is_respected_by_the_direct_check_too(thread, alice, bob):
    bob.notify_messages = False
    bob.save(update_fields=["notify_messages"])
    notices.message_notices_send(message=send(thread, alice), now=MORNING + timedelta(hours=5))
    assert mails_to(bob) == []


def test_the_email_states_the_quiet_hours_it_keeps(thread, alice, bob):
    send(thread, alice)
    notices.send_due(now=MORNING + timedelta(hours=5))
    [notice] = mails_to(bob)
    assert "Je rustige uren zijn van 22:00 tot 07:00 (Nederlandse tijd)" in notice.body
    assert "pas om 07:00" in notice.body
    assert reverse("accounts:notices") in notice.body
    assert "Noor" not in notice.body  # never the message's words


def test_the_email_says_so_when_there_are_no_quiet_hours(thread, alice, carol):
    send(thread, alice)
    notices.send_due(now=EVENING)
    [notice] = mails_to(carol)
    assert "Je hebt geen rustige uren ingesteld" in notice.body
    assert "22:00" not in notice.body


def test_the_email_is_in_the_recipients_language(thread, alice, bob):
    bob.language = "en"
    bob.save(update_fields=["language"])
    send(thread, alice)
    notices.send_due(now=MORNING + timedelta(hours=5))
    [notice] = mails_to(bob)
    assert notice.subject == "New message in Kompas"
    assert "Your quiet hours are from 22:00 to 07:00 (Dutch time)" in notice.body
    assert "Set quiet hours or turn these e-mails off here" in notice.body


def test_a_refused_mail_to_one_recipient_does_not_lose_the_one_who_waits(thread, alice, bob, carol, settings):
    settings.EMAIL_BACKEND = "tests.accounts.test_account_settings.RefusingBackend"
    send(thread, alice)
    notices.send_due(now=EVENING)  # Carol's mail refused; Bob waits anyway
    assert ThreadCursor.objects.filter(thread=thread, user=carol, notified_seq__gt=0).count() == 0
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    notices.send_due(now=EVENING + timedelta(seconds=notices.RETRY_SECONDS))
    assert len(mails_to(carol)) == 1 and mails_to(bob) == []
    assert NoticeDue.objects.get(thread=thread).due_at == MORNING
    notices.send_due(now=MORNING)
    assert len(mails_to(bob)) == 1 and len(mails_to(carol)) == 1
