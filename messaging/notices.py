"""E-mail notices for parents who are not online: "you have a new message", never its content.

At most one per thread per hour per recipient, none during the recipient's quiet hours, and sent
from a small worker pool after commit, so the sender's acknowledgement never waits for e-mail.
"""

from __future__ import annotations

import logging
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
_executor = ThreadPoolExecutor(max_workers=2, thread_name_prefix="notices")


def schedule(message_id: int) -> Future:
    return _executor.submit(_run, message_id)


def _run(message_id: int) -> int:
    close_old_connections()
    try:
        return message_notices_send(message_id=message_id)
    except Exception:
        logger.exception("sending message notices failed (message %s)", message_id)
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
    """Who should hear about a new message in `thread`: every member who may read it."""
    from families.models import Membership
    from messaging.selectors import _rights

    users = []
    for membership in Membership.objects.active().filter(family_id=thread.family_id).select_related("user"):
        if membership.user.is_active and _rights(thread, membership).read:
            users.append(membership.user)
    return users


def message_notices_send(*, message_id: int, now: datetime | None = None) -> int:
    """Mail the offline recipients of one message; returns how many were mailed."""
    from messaging.models import Message, Presence, ThreadCursor

    now = now or timezone.now()
    # Never the body: a notice does not carry it, and decrypting it is work for nothing.
    message = Message.objects.select_related("thread").defer("body").filter(pk=message_id).first()
    if message is None:
        return 0
    thread = message.thread
    recipients = [user for user in recipients_for(thread) if user.pk != message.sender_id]
    # Only the recipients' presence: the whole site's open sockets are not this message's business.
    online = set(Presence.objects.filter(user__in=recipients, seen_at__gte=now - ONLINE_WINDOW)
                 .values_list("user_id", flat=True))
    sent = 0
    for user in recipients:
        if user.pk in online or in_quiet_hours(user, now):
            continue
        # Most messages need no notice (read already, or mailed within the hour): look without
        # a lock first, and lock (a write, and a disk flush at commit) only when one may be due.
        seen = (ThreadCursor.objects.filter(thread=thread, user=user)
                .values_list("read_seq", "notified_at").first())
        if seen is not None and (seen[0] >= message.seq or (seen[1] and now - seen[1] < NOTICE_INTERVAL)):
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
