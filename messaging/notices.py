"""E-mail notices for parents who are not online: "you have a new message", never its content.

At most one per thread per hour per recipient, none during the recipient's quiet hours, and sent
from a small worker pool after commit, so the sender's acknowledgement never waits for e-mail.
The check runs NOTICE_DELAY_SECONDS after a thread's first new message, once for all the
messages that arrived meanwhile: someone who reads within that time gets no e-mail, and a
conversation costs one check instead of one per message (tests/perf: the per-message check cost
as much as storing the message).
"""

from __future__ import annotations

import logging
import queue
import threading
import time
from concurrent.futures import Future, ThreadPoolExecutor
from datetime import datetime, timedelta

from django.conf import settings
from django.core.mail import send_mail
from django.db import close_old_connections, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

logger = logging.getLogger(__name__)

NOTICE_INTERVAL = timedelta(hours=1)
ONLINE_WINDOW = timedelta(seconds=90)
# Delayed checks start at most this often: many threads falling due together (a busy evening, a
# practitioner in many families) must not take the process's time from the live chat (tests/perf
# saw a three-second stall when 500 came due at once). They are e-mails: a little later is fine.
CHECKS_PER_SECOND = 25
_executor = ThreadPoolExecutor(max_workers=2, thread_name_prefix="notices")
# thread id -> the newest message of that thread waiting for its check (see schedule()).
_waiting: dict = {}
_waiting_lock = threading.Lock()
# (when, thread id) in the order scheduled, which is the order due: the delay is one constant.
_due: queue.SimpleQueue = queue.SimpleQueue()
_timer: threading.Thread | None = None


def schedule(message) -> Future | None:
    """After commit: look for offline recipients of `message` (a Message just stored, with its
    thread, or a message id) in the worker pool, NOTICE_DELAY_SECONDS later.

    A thread has at most one check waiting: a message arriving meanwhile replaces the waiting
    one, and the check looks at the newest. That gives the same answer (a notice says "there is
    something new", at most once an hour, and a recipient who has not read the newest message has
    not read it). Returns the job's future when it was submitted at once (no delay), else None."""
    global _timer
    thread_id = getattr(message, "thread_id", None)
    if thread_id is None:
        return _executor.submit(_run, message)
    with _waiting_lock:
        waiting = _waiting.get(thread_id)
        if waiting is not None:
            if message.seq > waiting.seq:  # on_commit callbacks of two senders may cross
                _waiting[thread_id] = message
            return None
        _waiting[thread_id] = message
        delay = settings.NOTICE_DELAY_SECONDS
        if delay > 0:
            if _timer is None:
                _timer = threading.Thread(target=_submit_when_due, name="notices-timer", daemon=True)
                _timer.start()
            _due.put((time.monotonic() + delay, thread_id))
            return None
    return _executor.submit(_run_waiting, thread_id)


def _submit_when_due() -> None:
    while True:
        when, thread_id = _due.get()
        time.sleep(max(0.0, when - time.monotonic()))
        _executor.submit(_run_waiting, thread_id)
        time.sleep(1 / CHECKS_PER_SECOND)


def _run_waiting(thread_id: int) -> int:
    with _waiting_lock:
        message = _waiting.pop(thread_id)
    return _run(message)


def _run(message) -> int:
    close_old_connections()
    try:
        if isinstance(message, int):
            return message_notices_send(message_id=message)
        return message_notices_send(message=message)
    except Exception:
        logger.exception("sending message notices failed (message %s)", getattr(message, "pk", message))
        return 0
    finally:
        # Like the end of a request: the connection is kept up to CONN_MAX_AGE (the pool has a
        # fixed two threads, so at most two connections). Closing it after every job made
        # PostgreSQL start a new backend for every message sent (tests/perf).
        close_old_connections()


def in_quiet_hours(user, moment: datetime) -> bool:
    local = timezone.localtime(moment).time()
    start, end = user.quiet_hours_start, user.quiet_hours_end
    if start == end:
        return False
    if start < end:
        return start <= local < end
    return local >= start or local < end  # the quiet hours run past midnight


def recipients_for(thread) -> list:
    """Who should hear about a new message in `thread`: the members who take part in it (may
    write). Practitioners who only read along in the parents' thread are not mailed for each message."""
    from families.models import Membership
    from messaging.selectors import _rights

    users = []
    for membership in Membership.objects.active().filter(family_id=thread.family_id).select_related("user"):
        if membership.user.is_active and _rights(thread, membership).write:
            users.append(membership.user)
    return users


def message_notices_send(*, message_id: int | None = None, message=None, now: datetime | None = None) -> int:
    """Mail the offline recipients of one message; returns how many were mailed.

    `message` is the stored Message with its thread (message_send hands it over), else it is
    read by `message_id`. One query finds every other active member with what decides about them
    (online, how far they read, when they were last mailed); only a member who may be due a
    notice is looked at further, and a row is locked only then.
    """
    from messaging.models import Message, ThreadCursor
    from messaging.selectors import _rights

    now = now or timezone.now()
    if message is None:
        # Never the body: a notice does not carry it, and decrypting it is work for nothing.
        message = Message.objects.select_related("thread").defer("body").filter(pk=message_id).first()
        if message is None:
            return 0
    thread = message.thread
    sent = 0
    for membership in _candidates(thread=thread, sender_id=message.sender_id, now=now):
        if membership.online or membership.recently_notified or (membership.read_seq or 0) >= message.seq:
            continue
        user = membership.user
        if not user.is_active or in_quiet_hours(user, now) or not _rights(thread, membership).read:
            continue
        with transaction.atomic():
            cursor, _created = ThreadCursor.objects.select_for_update().get_or_create(thread=thread, user=user)
            if cursor.read_seq >= message.seq:
                continue
            if cursor.notified_at and now - cursor.notified_at < NOTICE_INTERVAL:
                continue
            ThreadCursor.objects.filter(pk=cursor.pk).update(notified_at=now)
        _mail(user, thread)
        sent += 1
    return sent


def _candidates(*, thread, sender_id: int, now: datetime):
    """The family's other active memberships, each with `online`, `read_seq` (None: no cursor
    yet) and `recently_notified` (mailed about this thread within NOTICE_INTERVAL).

    Plain SQL: this runs for every thread with new messages, and building the same query with
    the ORM (Exists and two Subqueries) cost more CPU than all of message_send (tests/perf)."""
    from django.db import connection

    from families.models import Membership
    from messaging.models import Presence, ThreadCursor

    # Only table names (from the models) are put into the text; every value is a parameter.
    membership, presence, cursor = (m._meta.db_table for m in (Membership, Presence, ThreadCursor))
    sql = (
        "SELECT m.*, c.read_seq AS read_seq, c.notified_at > %s AS recently_notified,"  # noqa: S608
        f" EXISTS (SELECT 1 FROM {presence} p WHERE p.user_id = m.user_id AND p.seen_at >= %s) AS online"
        f" FROM {membership} m LEFT JOIN {cursor} c ON c.thread_id = %s AND c.user_id = m.user_id"
        " WHERE m.family_id = %s AND m.ended_at IS NULL AND m.user_id <> %s"
    )
    moment = connection.ops.adapt_datetimefield_value  # as the ORM writes them (SQLite: text)
    params = [moment(now - NOTICE_INTERVAL), moment(now - ONLINE_WINDOW),
              thread.pk, thread.family_id, sender_id]
    return Membership.objects.raw(sql, params)  # noqa: S611


def _mail(user, thread) -> None:
    with translation.override(user.language or settings.LANGUAGE_CODE):
        link = settings.SITE_URL.rstrip("/") + reverse("messaging:thread", args=[thread.pk])
        send_mail(
            subject=_("Nieuw bericht in %(site)s") % {"site": settings.SITE_NAME},
            message=render_to_string("messaging/email/notice.txt",
                                     {"user": user, "link": link, "site_name": settings.SITE_NAME}),
            from_email=None,
            recipient_list=[user.email],
        )
