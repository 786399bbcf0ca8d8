"""E-mail reminders of talks, the day before: the time and the place, nothing else (not what the
talk is about, not who else takes part, not the family's name).

Durable, the way messaging.notices is: a talk's reminder is a ReminderDue row written by the
service that plans, moves or cancels the talk, in its transaction, so a restart loses nothing.
Any process may send what is due (`send_due`): every Daphne process runs a light worker thread
when NOTICE_WORKER is on (config/asgi.py, next to the chat's notices), and
`manage.py send_talk_reminders [--once]` runs one on its own. A process claims rows with
SELECT ... FOR UPDATE SKIP LOCKED and, in the same transaction, moves their due time a lease
ahead (RETRY_SECONDS) and counts the attempt, so two processes never send one reminder together.

Sent once: before a mail goes, a ReminderSent row (talk, person, the talk's start) is inserted;
its unique constraint refuses a second one, so a run repeated after a crash or by two workers
mails nobody twice. A refused mail removes that row again and the reminder is tried again after
the lease, up to MAX_ATTEMPTS. A talk that moves gets a reminder about its new time (another
start, another row); a cancelled or held talk gets none.

Who gets one: everyone taking part who is still an active member of the family (a parent, a
relative, the practitioner). Quiet hours (accounts.quiet_hours): a reminder due inside them waits
until they end, if that is still MIN_NOTICE before the talk; otherwise that person gets none.

The worker also sends the "a report is ready" notices (trajectories.mails, ReportNotice) that
wait for a parent's quiet hours to end or for a retry.

What this does not do: a mail accepted by the mail server is not tracked further; there is no
setting to turn reminders off (they carry no content and come once per talk).
"""

from __future__ import annotations

import logging
from datetime import datetime, time, timedelta

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.db.models import F
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _

from accounts.quiet_hours import quiet_hours_end_after
from core.workers import PollingWorker, SingleWorker
from families.models import Membership, Role
from trajectories.mails import report_notices_send_due
from trajectories.models import ReminderDue, ReminderSent, Talk, TalkParticipant

logger = logging.getLogger(__name__)

REMINDER_TIME = time(18, 0)  # the evening before, Dutch time
MIN_NOTICE = timedelta(hours=2)  # closer to the talk than this, a reminder is no longer sent
POLL_SECONDS = 30.0
BATCH = 50
RETRY_SECONDS = 300
MAX_ATTEMPTS = 6


# -- in the service's transaction --------------------------------------------------------------------


def reminder_due_at(starts_at: datetime) -> datetime:
    zone = timezone.get_default_timezone()
    day_before = timezone.localtime(starts_at, zone).date() - timedelta(days=1)
    return datetime.combine(day_before, REMINDER_TIME, tzinfo=zone)


def schedule(talk: Talk, *, now: datetime | None = None) -> None:
    """The talk's reminder, due the evening before (or at once when that has passed and the talk is
    still more than MIN_NOTICE away); none for a talk that is over, cancelled, held or too close.
    Call inside the transaction that stores the talk."""
    now = now or timezone.now()
    if not talk.is_upcoming or talk.starts_at - now < MIN_NOTICE:
        ReminderDue.objects.filter(talk=talk).delete()
        return
    due = max(reminder_due_at(talk.starts_at), now)
    ReminderDue.objects.update_or_create(talk=talk, defaults={"due_at": due, "attempts": 0})


def unschedule(talk: Talk) -> None:
    ReminderDue.objects.filter(talk=talk).delete()


# -- any process: claim what is due and send it -----------------------------------------------------


def send_due(*, now: datetime | None = None, limit: int = BATCH) -> int:
    """Claim up to `limit` due reminders and send them here; returns how many were claimed.
    `now` is the clock to go by (tests move it on)."""
    now = now or timezone.now()
    # The "a report is ready" notices ride along with this worker (trajectories.mails).
    notices = report_notices_send_due(now=now, limit=limit)
    if not ReminderDue.objects.filter(due_at__lte=now).exists():
        return notices  # the usual answer: one indexed read, no transaction
    claims = _claim(now=now, limit=limit)
    for claim in claims:
        _send(claim, now=now)
    return len(claims) + notices


def send_all_due(*, now: datetime | None = None) -> int:
    total = 0
    while (claimed := send_due(now=now)) > 0:
        total += claimed
        if claimed < BATCH:
            break
    return total


def _claim(*, now: datetime, limit: int) -> list[tuple[int, int, int, datetime]]:
    """(row id, talk id, attempt number, lease) of up to `limit` due rows, claimed until the lease.
    SKIP LOCKED: rows another process is claiming now are left to it."""
    lease = now + timedelta(seconds=RETRY_SECONDS)
    with transaction.atomic():
        rows = list(
            ReminderDue.objects.select_for_update(skip_locked=True)
            .filter(due_at__lte=now)
            .order_by("due_at")
            .values_list("pk", "talk_id", "attempts")[:limit]
        )
        if rows:
            ReminderDue.objects.filter(pk__in=[pk for pk, _talk, _attempts in rows]).update(
                due_at=lease, attempts=F("attempts") + 1
            )
    return [(pk, talk_id, attempts + 1, lease) for pk, talk_id, attempts in rows]


def _send(claim, *, now: datetime) -> None:
    pk, talk_id, attempt, lease = claim
    # Still ours: not moved or re-planned meanwhile (schedule() then set another due time).
    ours = ReminderDue.objects.filter(pk=pk, due_at=lease)
    try:
        sent, wait_until = talk_reminders_send(talk_id=talk_id, now=now)
    except Exception:
        if attempt >= MAX_ATTEMPTS:
            logger.exception("GIVING UP the reminders of talk %s after %d attempts", talk_id, attempt)
            ours.delete()
        else:
            logger.exception(
                "reminders of talk %s failed (attempt %d of %d); trying again in %d s",
                talk_id,
                attempt,
                MAX_ATTEMPTS,
                RETRY_SECONDS,
            )
        return
    if wait_until is not None:
        ours.update(due_at=wait_until, attempts=0)
    else:
        ours.delete()


class RemindersNotSent(Exception):
    """Some reminders were refused by the mail server; those people were not marked as reminded."""


def talk_reminders_send(*, talk_id: int, now: datetime | None = None) -> tuple[int, datetime | None]:
    """Mail the reminder of one talk to everyone taking part who has not had it for this start;
    returns (how many were mailed, until when someone in their quiet hours waits or None).
    Raises RemindersNotSent after trying everyone when a mail was refused."""
    now = now or timezone.now()
    talk = Talk.objects.filter(pk=talk_id).first()
    if talk is None or not talk.is_upcoming or talk.starts_at - now < MIN_NOTICE:
        return 0, None
    members = {
        m.user_id: m
        for m in Membership.objects.active().filter(family_id=talk.family_id).select_related("user")
    }
    user_ids = TalkParticipant.objects.filter(talk=talk, user__isnull=False).values_list("user_id", flat=True)
    sent, wait_until, refused = 0, None, []
    for user_id in user_ids:
        membership = members.get(user_id)
        if membership is None or not membership.user.is_active:
            continue  # no longer in the family: nothing about it reaches them
        user = membership.user
        if ReminderSent.objects.filter(talk=talk, user=user, starts_at=talk.starts_at).exists():
            continue
        quiet_until = quiet_hours_end_after(user, now)
        if quiet_until is not None:
            if quiet_until <= talk.starts_at - MIN_NOTICE:
                wait_until = quiet_until if wait_until is None else min(wait_until, quiet_until)
            continue
        try:
            with transaction.atomic():
                mark = ReminderSent.objects.create(
                    talk=talk, user=user, starts_at=talk.starts_at, sent_at=now
                )
        except IntegrityError:
            continue  # another run mailed them already
        try:
            _mail(user, talk, for_parent=membership.role == Role.PARENT, now=now)
        except Exception as exc:  # noqa: BLE001 - raised below, after the others were tried
            ReminderSent.objects.filter(pk=mark.pk).delete()
            refused.append(exc)
            continue
        sent += 1
    if refused:
        raise RemindersNotSent(f"{len(refused)} reminder(s) for talk {talk.pk} were refused") from refused[0]
    return sent, wait_until


def when_words(starts_at: datetime, *, now: datetime) -> str:
    local = timezone.localtime(starts_at)
    today = timezone.localdate(now)
    if local.date() == today:
        return _("vandaag")
    if local.date() == today + timedelta(days=1):
        return _("morgen")
    return _("op %(day)s") % {"day": formats.date_format(local, "l j F")}


def _mail(user, talk: Talk, *, for_parent: bool, now: datetime) -> None:
    with translation.override(user.language or settings.LANGUAGE_CODE):
        start = timezone.localtime(talk.starts_at)
        end = timezone.localtime(talk.ends_at)
        context = {
            "name": user.get_short_name(),
            "site_name": settings.SITE_NAME,
            "when": when_words(talk.starts_at, now=now),
            "day": formats.date_format(start, "l j F Y"),
            "start": formats.time_format(start, "TIME_FORMAT"),
            "end": formats.time_format(end, "TIME_FORMAT"),
            "place": talk.place_label,
            "address": talk.address,
            "for_parent": for_parent,
            "link": settings.SITE_URL.rstrip("/") + reverse("trajectories:family", args=[talk.family_id]),
        }
        send_mail(
            subject=_("Herinnering: afspraak %(when)s om %(time)s")
            % {"when": context["when"], "time": context["start"]},
            message=render_to_string("trajectories/email/reminder.txt", context),
            from_email=None,
            recipient_list=[user.email],
        )


def ReminderWorker(*, poll_seconds: float = POLL_SECONDS) -> PollingWorker:  # noqa: N802 - reads as a class
    """Runs `send_due` over and over (core.workers): at once while reminders are waiting, else every
    POLL_SECONDS; in a thread of its own or in the foreground (manage.py send_talk_reminders)."""
    return PollingWorker(send_due=send_due, name="talk-reminders", batch=BATCH, poll_seconds=poll_seconds)


_worker = SingleWorker(ReminderWorker)


def worker_start() -> PollingWorker:
    """This process's reminder worker, started on the first call (config/asgi.py, with NOTICE_WORKER)."""
    return _worker.start()
