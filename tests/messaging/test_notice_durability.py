"""E-mail notices survive a restart and are sent once, by whichever process claims them first:
the pending check is a database row, claimed with SKIP LOCKED, retried when a mail is refused."""

from __future__ import annotations

import logging
import threading
import time
import uuid
from datetime import time as clock
from datetime import timedelta
from io import StringIO

import pytest
from django.core import mail
from django.core.mail.backends.base import BaseEmailBackend
from django.core.management import call_command
from django.db import connections, transaction
from django.utils import timezone

from families.models import Role
from families.services import membership_end
from messaging import notices, services
from messaging.models import NoticeDue, Thread, ThreadCursor
from tests.factories import FamilyFactory, MembershipFactory, UserFactory
from tests.processes import require_postgresql

DELAY = 30
WAIT = 30  # seconds to wait for something another thread or process does


class RefusingBackend(BaseEmailBackend):
    """A mail server that is down."""

    def send_messages(self, email_messages):
        raise ConnectionRefusedError("the mail server refused the connection")


def send(thread, user, body="Hoi"):
    return services.message_send(sender=user, thread_id=thread.pk, body=body, client_id=uuid.uuid4())[0]


def mails_to(user) -> list:
    return [m for m in mail.outbox if m.to == [user.email]]


def without_quiet_hours(*users) -> None:
    """The checks go by the real clock here, and the tests may run at night."""
    for user in users:
        user.quiet_hours_start = user.quiet_hours_end = clock(0, 0)
        user.save(update_fields=["quiet_hours_start", "quiet_hours_end"])


def wait_for(condition, what: str):
    deadline = time.monotonic() + WAIT
    while not (result := condition()):
        if time.monotonic() > deadline:
            pytest.fail(f"waited {WAIT} s for {what}")
        time.sleep(0.05)
    return result


@pytest.fixture
def thread(threads, alice, bob, carol, settings):
    settings.NOTICE_DELAY_SECONDS = DELAY
    without_quiet_hours(alice, bob, carol)
    carol.notify_read_along = True  # she chose to be told about the parents' thread too
    carol.save(update_fields=["notify_read_along"])
    return threads["parents"]


def later(seconds: float = DELAY + 1):
    return timezone.now() + timedelta(seconds=seconds)


def test_a_delayed_notice_is_in_the_database_and_a_fresh_sender_sends_it_once_when_due(thread, alice, bob):
    send(thread, alice)
    # Nothing of the sending process's memory is needed: what a restarted process calls.
    assert notices.send_due(now=later(DELAY - 1)) == 0
    assert mails_to(bob) == []
    assert notices.send_due(now=later()) == 1
    assert len(mails_to(bob)) == 1
    assert notices.send_due(now=later(DELAY + 60)) == 0
    assert len(mails_to(bob)) == 1
    assert not NoticeDue.objects.exists()


def test_a_member_whose_membership_ended_before_the_due_time_gets_no_email(thread, family, alice, bob, carol):
    send(thread, alice)
    bobs = bob.memberships.get(family=family, ended_at__isnull=True)
    membership_end(actor=carol, family_id=family.pk, membership_id=bobs.pk)
    assert notices.send_due(now=later()) == 1
    assert mails_to(bob) == []
    assert len(mails_to(carol)) == 1  # the check did run


def test_send_notices_once_sends_the_notices_that_are_due_and_keeps_the_others(threads, thread, alice, bob,
                                                                               carol):
    send(thread, alice)  # due in DELAY seconds
    NoticeDue.objects.filter(thread=thread).update(due_at=timezone.now() - timedelta(seconds=1))
    send(threads["alice"], alice)  # to Carol, not due yet
    out = StringIO()
    call_command("send_notices", "--once", stdout=out)
    assert out.getvalue().strip() == "1 notice check(s) done"
    assert len(mails_to(bob)) == 1 and len(mails_to(carol)) == 1  # both of the parents' thread
    assert list(NoticeDue.objects.values_list("thread_id", flat=True)) == [threads["alice"].pk]


def test_a_refused_mail_is_tried_again_after_its_lease_and_not_before(thread, alice, bob, carol, settings):
    send(thread, alice)
    settings.EMAIL_BACKEND = f"{__name__}.RefusingBackend"
    first_try = later()
    assert notices.send_due(now=first_try) == 1
    assert mail.outbox == []
    assert NoticeDue.objects.filter(thread=thread).exists()  # not lost
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    assert notices.send_due(now=first_try + timedelta(seconds=notices.RETRY_SECONDS - 1)) == 0
    assert mail.outbox == []
    assert notices.send_due(now=first_try + timedelta(seconds=notices.RETRY_SECONDS)) == 1
    # Not taken for mailed by the refused try: each is mailed now, once.
    assert len(mails_to(bob)) == 1 and len(mails_to(carol)) == 1
    assert not NoticeDue.objects.exists()


def test_a_notice_that_keeps_being_refused_is_given_up_with_an_error_in_the_log(thread, alice, bob,
                                                                              settings, caplog):
    send(thread, alice)
    settings.EMAIL_BACKEND = f"{__name__}.RefusingBackend"
    moment = later()
    for _attempt in range(notices.MAX_ATTEMPTS):
        assert notices.send_due(now=moment) == 1
        moment += timedelta(seconds=notices.RETRY_SECONDS)
    assert not NoticeDue.objects.exists()
    [given_up] = [r for r in caplog.records if r.levelno == logging.ERROR and "GIVING UP" in r.getMessage()]
    assert f"thread {thread.pk}" in given_up.getMessage()
    assert ThreadCursor.objects.get(thread=thread, user=bob).notified_at is None  # never mailed


def test_a_message_arriving_while_its_thread_is_claimed_gets_a_check_of_its_own(thread, alice, bob, settings):
    send(thread, alice)
    settings.EMAIL_BACKEND = f"{__name__}.RefusingBackend"
    assert notices.send_due(now=later()) == 1  # claimed, refused: leased for RETRY_SECONDS
    newest = send(thread, bob, "Prima")
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    assert notices.send_due(now=later(DELAY + 1)) == 1  # due with the new message, not after the lease
    assert len(mails_to(alice)) == 1 and mails_to(bob) == []  # Bob sent the newest
    assert not NoticeDue.objects.filter(thread=thread, seq=newest.seq).exists()


@pytest.mark.django_db(transaction=True)
def test_two_processes_claiming_at_once_send_each_notice_exactly_once(settings):
    """One claimer is still inside its transaction (its rows locked, its checks done but not yet
    committed) while the other claims: the second skips those rows instead of waiting for them or
    taking them too, and sends the rest."""
    require_postgresql("concurrent claims with FOR UPDATE SKIP LOCKED")
    settings.NOTICE_DELAY_SECONDS = DELAY
    pairs = []
    for number in range(12):
        family = FamilyFactory()
        sender, recipient = (UserFactory(email=f"{who}{number}@example.org") for who in ("a", "b"))
        without_quiet_hours(sender, recipient)
        for user in (sender, recipient):
            MembershipFactory(user=user, family=family, role=Role.PARENT)
        services.threads_ensure_for_family(family=family)
        send(Thread.objects.get(family=family, kind="parents"), sender)
        pairs.append((sender, recipient))
    moment = later()
    first_claimed, second_done = threading.Event(), threading.Event()
    checks, waited = {}, {}

    def first():
        try:
            with transaction.atomic():
                checks["first"] = notices.send_due(now=moment, limit=4)
                first_claimed.set()
                waited["second"] = second_done.wait(timeout=WAIT)
        finally:
            first_claimed.set()
            connections.close_all()  # this thread's own connection

    def second():
        try:
            first_claimed.wait(timeout=WAIT)
            checks["second"] = notices.send_due(now=moment, limit=len(pairs))
        finally:
            second_done.set()
            connections.close_all()

    workers = [threading.Thread(target=first), threading.Thread(target=second)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(timeout=WAIT * 2)
    assert waited == {"second": True}, "the second claimer waited for the first one's rows"
    assert checks == {"first": 4, "second": len(pairs) - 4}
    for sender, recipient in pairs:
        assert len(mails_to(recipient)) == 1 and mails_to(sender) == []
    assert not NoticeDue.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_a_started_worker_sends_a_notice_once_it_is_due(thread, alice, bob):
    require_postgresql("a worker thread with its own database connection")
    with transaction.atomic():
        send(thread, alice)
        NoticeDue.objects.filter(thread=thread).update(due_at=timezone.now() + timedelta(seconds=1))
    worker = notices.NoticeWorker(poll_seconds=0.05).start()
    try:
        wait_for(lambda: mails_to(bob), "the worker's e-mail to Bob")
    finally:
        worker.stop(timeout=WAIT)
    assert len(mails_to(bob)) == 1
    assert not NoticeDue.objects.exists()


def test_a_daphne_process_started_after_the_message_sends_its_notice(thread, alice, bob, start_server):
    """A restart: the process that stored the message never checks it (no worker here); a server
    process started later finds it in the database and mails it (to its console log)."""
    with transaction.atomic():
        send(thread, alice)
        NoticeDue.objects.filter(thread=thread).update(due_at=timezone.now())
    server = start_server(NOTICE_WORKER="1")
    wait_for(lambda: not NoticeDue.objects.exists(), "the server to send the due notice")
    log = wait_for(lambda: "To: bob@example.org" in server.log_text() and server.log_text(),
                   "the mail in the log")
    assert log.count("To: bob@example.org") == 1
    assert "To: alice@example.org" not in log


def test_a_due_thread_whose_recipients_are_online_or_have_read_is_done_without_mail(thread, alice, bob):
    from messaging.models import Presence

    send(thread, alice)
    Presence.objects.create(channel_name="bobs-phone", user=bob, seen_at=later())  # bob's socket is open
    assert notices.send_due(now=later()) == 1
    assert mails_to(bob) == []
    assert not NoticeDue.objects.filter(thread=thread).exists()

    Presence.objects.all().delete()
    second = send(thread, alice, "Nog iets")
    services.messages_mark_read(user=bob, thread_id=thread.pk, seq=second.seq)  # bob read it on time
    assert notices.send_due(now=later()) == 1
    assert mails_to(bob) == []
    assert not NoticeDue.objects.filter(thread=thread).exists()


def test_of_a_batch_of_due_threads_only_the_ones_with_an_offline_reader_mail(
        thread, alice, bob, other_family):
    from messaging.models import Presence

    services.threads_ensure_for_family(family=other_family)
    dora, evi = UserFactory(email="dora@example.org"), UserFactory(email="evi@example.org")
    without_quiet_hours(dora, evi)
    for user in (dora, evi):
        MembershipFactory(user=user, family=other_family, role=Role.PARENT)
    theirs = Thread.objects.get(family=other_family, kind="parents")
    send(thread, alice)
    send(theirs, dora)
    Presence.objects.create(channel_name="bobs-phone", user=bob, seen_at=later())

    assert notices.send_due(now=later()) == 2
    assert (mails_to(bob), len(mails_to(evi))) == ([], 1)
    assert NoticeDue.objects.count() == 0
