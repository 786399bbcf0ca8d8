"""E-mail notices for parents who are not online: "you have a new message", never its content.

At most one per thread per hour per recipient, none during the recipient's quiet hours, and never
on the sender's path: the sender's acknowledgement does not wait for e-mail. A thread's check runs
NOTICE_DELAY_SECONDS after its first new message, once for all the messages that arrived meanwhile:
someone who reads within that time gets no e-mail, and a conversation costs one check instead of
one per message (tests/perf: the per-message check cost as much as storing the message).

Durable: the pending check is a NoticeDue row, written by `schedule` in the transaction that stores
the messages, so a restart within the delay loses nothing. Any process may run what is due
(`send_due`): every Daphne process has a light worker thread for it (config/asgi.py), and
`manage.py send_notices` runs one on its own. A process claims rows with FOR UPDATE SKIP LOCKED
(healthchecks' sendalerts) and, in the same transaction, moves their due time a lease ahead
(RETRY_SECONDS) and counts the attempt, so two processes never run one check together. A finished
check deletes its row. One that did not finish (its mail was refused, its process died) is due
again when the lease runs out; after MAX_ATTEMPTS it is given up with an ERROR in the log.

A check may safely run twice: a recipient's cursor row is locked and `notified_at` and
`notified_seq` set before the mail goes (and set back when the mail is refused), so a second run
finds them notified.

The recipient's own choices (accounts): no notice at all when they turned notices off
(`notify_messages`); a professional who reads along in the parents' thread is told about its
messages only when they chose so (`notify_read_along`, off by default: moderation mails them about
what needs them, a parent's private thread is addressed to them and told as any); none during
their quiet hours, but the check is not dropped: when a
recipient's quiet hours are why they were not mailed, the row stays and its due time moves to the
moment those quiet hours end (the earliest such end when several recipients wait), and the check
runs again then for whoever has still not read. Those mailed meanwhile are not mailed again about
the same message (`notified_seq`). What this does not give: a mail accepted by the mail server is
not tracked further.
"""

from __future__ import annotations

import logging
import time
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.core.mail import send_mail
from django.db import close_old_connections, connection, transaction
from django.db.models import F, Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from accounts.quiet_hours import has_quiet_hours, quiet_hours_end_after
from core.workers import PollingWorker, SingleWorker
from families.models import PRACTITIONER_ROLES, Membership
from families.selectors import family_members
from messaging.models import Message, NoticeDue, Presence, Thread, ThreadCursor
from messaging.selectors import thread_rights_for

logger = logging.getLogger(__name__)

NOTICE_INTERVAL = timedelta(hours=1)
ONLINE_WINDOW = timedelta(seconds=90)
# Checks start at most this often per process: many threads falling due together (a busy evening,
# a practitioner in many families) must not take the process's time from the live chat (tests/perf
# saw a three-second stall when 500 came due at once). They are e-mails: a little later is fine.
# 10 a second is 36,000 an hour per process; at 25 the checks that fell due together stood out in
# the chat's figures of those seconds even from a process of their own.
CHECKS_PER_SECOND = 10
# Due rows claimed at a time. Most need no full check (everyone online or read it): a batch of them
# costs the same few queries as one row (_with_someone_to_tell), so claiming 10 a time cost the
# worker ten times the queries it needed (tests/perf, py-spy). The full checks stay at
# CHECKS_PER_SECOND; a claimed row's lease (RETRY_SECONDS) outlasts a batch of them.
CLAIM_BATCH = 100
# How often an idle worker looks for due checks: one cheap indexed query.
POLL_SECONDS = 2.0
# A claimed check that did not finish is due again this long after its claim. Longer than any
# check takes (a few queries and at most a few mails), so a slow one is not run twice meanwhile.
RETRY_SECONDS = 300
MAX_ATTEMPTS = 6  # about half an hour of a refusing mail server, then the notice is given up

# With NOTICE_DELAY_SECONDS=0 a check runs right after the commit, here.
_executor = ThreadPoolExecutor(max_workers=2, thread_name_prefix="notices")


class NoticesNotSent(Exception):
    """Some recipients' mails were refused; they were not marked as notified."""


# -- in the sender's transaction ----------------------------------------------------------------

def schedule(messages) -> tuple[str, list]:
    """The statement that, in the transaction that stores `messages` (new Messages, with seq), gives
    each of their threads a check NOTICE_DELAY_SECONDS from now, or keeps the one it has if that is
    due earlier; either way the check looks at the thread's newest message (a notice says "there is
    something new", and whoever has not read the newest has not read it). One statement for the
    whole batch, which the caller sends with the messages' own INSERT (core.db.insert_rows); it
    commits or rolls back with them. With no delay, the checks run right after the commit.

    Plain SQL: it runs on every batch of chat sends (tests/perf), and the ORM has no upsert that
    keeps the earlier of two due times."""
    newest: dict[int, int] = {}
    for message in messages:
        newest[message.thread_id] = max(message.seq, newest.get(message.thread_id, 0))
    table = connection.ops.quote_name(NoticeDue._meta.db_table)
    due_at = connection.ops.adapt_datetimefield_value(
        timezone.now() + timedelta(seconds=settings.NOTICE_DELAY_SECONDS))
    # Only the table name (from the model) is put into the text; every value is a parameter. The
    # rows of one thread arrive under its row lock, so `seq` only grows; the WHERE is a safeguard.
    sql = (
        f"INSERT INTO {table} (thread_id, seq, due_at, attempts)"  # noqa: S608
        f" VALUES {', '.join(['(%s, %s, %s, 0)'] * len(newest))}"
        " ON CONFLICT (thread_id) DO UPDATE SET seq = excluded.seq, attempts = 0,"
        f" due_at = CASE WHEN {table}.due_at < excluded.due_at THEN {table}.due_at ELSE excluded.due_at END"
        f" WHERE {table}.seq < excluded.seq"
    )
    if settings.NOTICE_DELAY_SECONDS == 0:
        thread_ids = list(newest)
        transaction.on_commit(lambda: check_soon(thread_ids))
    return sql, [v for thread_id, seq in newest.items() for v in (thread_id, seq, due_at)]


def check_soon(thread_ids: list[int]) -> Future:
    """After commit, with no delay: run these threads' due checks in the worker pool now."""
    return _executor.submit(_run_in_pool, thread_ids)


def _run_in_pool(thread_ids: list[int]) -> int:
    close_old_connections()
    try:
        claims = _claim(now=timezone.now(), limit=len(thread_ids), thread_ids=thread_ids)
        for claim in claims:
            _check(claim)
        return len(claims)
    except Exception:
        logger.exception("claiming e-mail notice checks failed (threads %s); the worker retries", thread_ids)
        return 0
    finally:
        # Like the end of a request: the connection is kept up to CONN_MAX_AGE (the pool has a
        # fixed two threads, so at most two connections). Closing it after every job made
        # PostgreSQL start a new backend for every message sent (tests/perf).
        close_old_connections()


# -- any process: claim what is due and check it ------------------------------------------------

def send_due(*, now: datetime | None = None, limit: int = CLAIM_BATCH) -> int:
    """Claim up to `limit` due checks and run them here, the full ones at most CHECKS_PER_SECOND a
    second; returns how many were claimed. `now` is the clock to go by (tests move it on)."""
    now = now or timezone.now()
    # Most calls find nothing: a plain indexed read, no transaction (on SQLite every transaction
    # takes the one write lock, which the chat's sends need).
    if not NoticeDue.objects.filter(due_at__lte=now).exists():
        return 0
    claims = _claim(now=now, limit=limit)
    for claim in _with_someone_to_tell(claims, now=now):
        started = time.monotonic()
        _check(claim, now=now)
        # Spread out (also across calls): no burst of checks next to the live chat.
        time.sleep(max(0.0, 1 / CHECKS_PER_SECOND - (time.monotonic() - started)))
    return len(claims)


def _with_someone_to_tell(claims: list[tuple], *, now: datetime) -> list[tuple]:
    """Those of `claims` whose thread has a member who might be due a notice: not its newest
    message's sender, offline, has not read that message and was not mailed about the thread within
    NOTICE_INTERVAL. The rows of the others are done and deleted. A few queries for the whole batch
    instead of a full check per thread: in a busy hour most recipients are online or have read
    (tests/perf: full checks of every thread were a seventh of the server's time). The full check
    (_check) still decides, with rights, quiet hours and row locks; this only leaves out threads it
    would certainly find nobody in."""
    if not claims:
        return []
    threads = {thread_id for _pk, thread_id, _seq, _attempt in claims}
    newest = {(thread_id, seq): (sender_id, family_id, kind) for thread_id, seq, sender_id, family_id, kind in
              Message.objects.filter(thread_id__in=threads, seq__in={c[2] for c in claims})
              .values_list("thread_id", "seq", "sender_id", "thread__family_id", "thread__kind")}
    families = {family_id for _sender, family_id, _kind in newest.values()}
    members: dict[int, list[int]] = {}
    # Who turned notices off is nobody to tell.
    wanting = Membership.objects.active().filter(family_id__in=families, user__notify_messages=True)
    for family_id, user_id, role, read_along in wanting.values_list(
            "family_id", "user_id", "role", "user__notify_read_along"):
        members.setdefault(family_id, []).append((user_id, role, read_along))
    users = {user_id for people in members.values() for user_id, _role, _along in people}
    online = set(Presence.objects.filter(user_id__in=users, seen_at__gte=now - ONLINE_WINDOW)
                 .values_list("user_id", flat=True))
    cursors = {(thread_id, user_id): (max(read_seq, notified_seq), notified_at)
               for thread_id, user_id, read_seq, notified_seq, notified_at in
               ThreadCursor.objects.filter(thread_id__in=threads, user_id__in=users)
               .values_list("thread_id", "user_id", "read_seq", "notified_seq", "notified_at")}

    def someone(thread_id, seq) -> bool:
        if (thread_id, seq) not in newest:
            return True  # the full check says what to do with a row whose message is not there
        sender_id, family_id, kind = newest[(thread_id, seq)]
        for user_id, role, read_along in members.get(family_id, ()):
            if user_id == sender_id or user_id in online or not wants_notice(role, read_along, kind):
                continue
            # Read it, or was told about it already.
            seen_seq, notified_at = cursors.get((thread_id, user_id), (0, None))
            if seen_seq < seq and not (notified_at and now - notified_at < NOTICE_INTERVAL):
                return True
        return False

    keep, done = [], Q(pk__in=[])
    for claim in claims:
        pk, thread_id, seq, _attempt = claim
        if someone(thread_id, seq):
            keep.append(claim)
        else:
            done |= Q(pk=pk, seq=seq)  # unless a newer message arrived meanwhile
    NoticeDue.objects.filter(done).delete()
    return keep


def send_all_due(*, now: datetime | None = None) -> int:
    """send_due until nothing is due any more; returns how many checks ran."""
    total = 0
    while (claimed := send_due(now=now)) > 0:
        total += claimed
        if claimed < CLAIM_BATCH:
            break
    return total


def _claim(*, now: datetime, limit: int, thread_ids: list[int] | None = None) -> list[tuple]:
    """(row id, thread id, seq, attempt number) of up to `limit` due rows, claimed for RETRY_SECONDS.

    SKIP LOCKED: rows another process is claiming right now are left to it instead of waited for;
    once it commits their due time is a lease ahead, so they are not due here either. SQLite (the
    demo, one process) has no row locks: each transaction there takes the one write lock."""
    with transaction.atomic():
        rows = NoticeDue.objects.select_for_update(skip_locked=True).filter(due_at__lte=now)
        if thread_ids is not None:
            rows = rows.filter(thread_id__in=thread_ids)
        claims = list(rows.order_by("due_at").values_list("pk", "thread_id", "seq", "attempts")[:limit])
        if claims:
            NoticeDue.objects.filter(pk__in=[pk for pk, *_rest in claims]).update(
                due_at=now + timedelta(seconds=RETRY_SECONDS), attempts=F("attempts") + 1)
    return [(pk, thread_id, seq, attempts + 1) for pk, thread_id, seq, attempts in claims]


def _check(claim: tuple, *, now: datetime | None = None) -> int:
    """Run one claimed check; returns how many were mailed. Done: the row goes, unless a newer
    message arrived meanwhile (then it stays, due for that one). Not done: it stays claimed until
    its lease runs out, then it is tried again, up to MAX_ATTEMPTS. Waiting for someone's quiet
    hours: it stays, due when they end, with its attempts counted from nothing again."""
    pk, thread_id, seq, attempt = claim
    done = NoticeDue.objects.filter(pk=pk, seq=seq)
    try:
        # Never the body: a notice does not carry it, and decrypting it is work for nothing.
        message = (Message.objects.select_related("thread").defer("body")
                   .filter(thread_id=thread_id, seq=seq).first())
        run = NoticeRun() if message is None else message_notices_run(message=message, now=now)
    except Exception:
        if attempt >= MAX_ATTEMPTS:
            logger.exception("GIVING UP the e-mail notices of thread %s (message %s) after %d attempts",
                             thread_id, seq, attempt)
            done.delete()
        else:
            logger.exception("e-mail notices of thread %s (message %s) failed (attempt %d of %d); "
                             "trying again in %d s", thread_id, seq, attempt, MAX_ATTEMPTS, RETRY_SECONDS)
        return 0
    if run.wait_until is not None:
        # Unless a newer message arrived meanwhile: its own due time (schedule) is sooner, and
        # that check waits again for whoever is still in their quiet hours.
        done.update(due_at=run.wait_until, attempts=0)
    else:
        done.delete()
    return run.sent


def NoticeWorker(*, poll_seconds: float = POLL_SECONDS) -> PollingWorker:  # noqa: N802 - reads as a class
    """Runs `send_due` over and over (core.workers): at once while checks are waiting, else every
    POLL_SECONDS; in a thread of its own or in the foreground (manage.py send_notices)."""
    return PollingWorker(send_due=send_due, name="notices-worker", batch=CLAIM_BATCH,
                         poll_seconds=poll_seconds)


_worker = SingleWorker(NoticeWorker)


def worker_start() -> PollingWorker:
    """This process's notice worker, started on the first call (config/asgi.py calls it when
    NOTICE_WORKER is on)."""
    return _worker.start()


# -- one check: who is told -------------------------------------------------------------------

def wants_notice(role: str, notify_read_along: bool, thread_kind: str) -> bool:
    """Whether a member (who wants notices at all) wants one about a thread of this kind: a
    professional reads along in the parents' thread and is told about it only by choice."""
    return notify_read_along or not (thread_kind == Thread.Kind.PARENTS and role in PRACTITIONER_ROLES)


@dataclass
class NoticeRun:
    """What one check did: how many were mailed, and when the earliest recipient who was not
    mailed because of their quiet hours may be (None: nobody waits)."""

    sent: int = 0
    wait_until: datetime | None = None

    def waits_for(self, moment: datetime) -> None:
        if self.wait_until is None or moment < self.wait_until:
            self.wait_until = moment


def message_notices_send(*, message_id: int | None = None, message=None, now: datetime | None = None) -> int:
    """Mail the offline recipients of one message; returns how many were mailed (see
    message_notices_run)."""
    return message_notices_run(message_id=message_id, message=message, now=now).sent


def message_notices_run(*, message_id: int | None = None, message=None,
                        now: datetime | None = None) -> NoticeRun:
    """Mail the offline recipients of one message who want notices and are not in their quiet
    hours; say how many were mailed and until when the others in their quiet hours wait.

    `message` is a stored Message with its thread, else it is read by `message_id`. Who may be
    told is asked of families (the active members) and families.access (their rights in the
    thread); one query brings each member's facts (online, how far they read, when last mailed
    and about which message), and a cursor row is locked only for a member who is due a notice.
    Raises NoticesNotSent when a mail was refused, after trying everyone; those recipients are not
    marked as notified.
    """
    now = now or timezone.now()
    run = NoticeRun()
    if message is None:
        message = Message.objects.select_related("thread").defer("body").filter(pk=message_id).first()
        if message is None:
            return run
    thread = message.thread
    members = _members_with_facts(thread=thread, sender_id=message.sender_id, now=now)
    rights = thread_rights_for(thread=thread, memberships=members)
    refused = []
    for membership in members:
        user = membership.user
        if membership.online or max(membership.read_seq or 0, membership.notified_seq or 0) >= message.seq:
            continue  # reading along, read it, or told about it already
        if membership.notified_at and now - membership.notified_at < NOTICE_INTERVAL:
            continue
        if not user.is_active or not user.notify_messages or not rights[user.pk].read:
            continue
        if not wants_notice(membership.role, user.notify_read_along, thread.kind):
            continue
        quiet_until = quiet_hours_end_after(user, now)
        if quiet_until is not None:
            run.waits_for(quiet_until)
            continue
        with transaction.atomic():
            cursor, _created = (ThreadCursor.objects.select_for_update()
                                .get_or_create(thread=thread, user=user))
            if max(cursor.read_seq, cursor.notified_seq) >= message.seq:
                continue
            if cursor.notified_at and now - cursor.notified_at < NOTICE_INTERVAL:
                continue  # another run of this check got here first
            ThreadCursor.objects.filter(pk=cursor.pk).update(notified_at=now, notified_seq=message.seq)
        try:
            _mail(user, thread)  # outside the transaction: slow I/O holds no lock
        except Exception as exc:  # noqa: BLE001 - raised below, after the others were tried
            ThreadCursor.objects.filter(pk=cursor.pk, notified_at=now).update(
                notified_at=cursor.notified_at, notified_seq=cursor.notified_seq)
            refused.append(exc)
            continue
        run.sent += 1
    if refused:
        raise NoticesNotSent(f"{len(refused)} notice(s) for message {message.pk} were refused") \
            from refused[0]
    return run


def _members_with_facts(*, thread, sender_id: int, now: datetime) -> list:
    """The family's active memberships (families' own selector) except the sender's, each with
    its user and `online`, `read_seq`, `notified_at` and `notified_seq` (None: no cursor yet) in
    this thread. Three plain queries: one annotated with a subquery per fact cost the notice
    worker more to build than to run (tests/perf)."""
    members = list(family_members(family=thread.family_id).exclude(user_id=sender_id))
    user_ids = [m.user_id for m in members]
    cursors = {user_id: facts for user_id, *facts in
               ThreadCursor.objects.filter(thread_id=thread.pk, user_id__in=user_ids)
               .values_list("user_id", "read_seq", "notified_at", "notified_seq")}
    online = set(Presence.objects.filter(user_id__in=user_ids, seen_at__gte=now - ONLINE_WINDOW)
                 .values_list("user_id", flat=True))
    for membership in members:
        membership.online = membership.user_id in online
        membership.read_seq, membership.notified_at, membership.notified_seq = cursors.get(
            membership.user_id, (None, None, None))
    return members


def _mail(user, thread) -> None:
    with translation.override(user.language or settings.LANGUAGE_CODE):
        site = settings.SITE_URL.rstrip("/")
        context = {
            "user": user, "site_name": settings.SITE_NAME,
            "link": site + reverse("messaging:thread", args=[thread.pk]),
            "settings_link": site + reverse("accounts:notices"),
            # What the e-mail says about quiet hours is what the check does (see above).
            "quiet": has_quiet_hours(user),
            "quiet_start": user.quiet_hours_start.strftime("%H:%M"),
            "quiet_end": user.quiet_hours_end.strftime("%H:%M"),
        }
        send_mail(
            subject=_("Nieuw bericht in %(site)s") % {"site": settings.SITE_NAME},
            message=render_to_string("messaging/email/notice.txt", context),
            from_email=None,
            recipient_list=[user.email],
        )
