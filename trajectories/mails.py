"""E-mails about a talk that was added, moved, given another place or cancelled: sent after commit
to everyone taking part (still an active member of the family) except who made the change. Time
and place only, like the reminders (trajectories.reminders): never what the talk is about, who
else takes part, or the family's name."""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import F
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import formats, timezone, translation
from django.utils.translation import gettext_lazy

from accounts.quiet_hours import quiet_hours_end_after
from families.models import Membership, Role
from trajectories.models import ReportNotice, Talk, TalkParticipant

logger = logging.getLogger(__name__)

SUBJECTS = {
    "added": gettext_lazy("Nieuwe afspraak op %(day)s"),
    "moved": gettext_lazy("Je afspraak is verzet naar %(day)s"),
    "place": gettext_lazy("Je afspraak van %(day)s is op een andere plek"),
    "cancelled": gettext_lazy("Je afspraak van %(day)s gaat niet door"),
}
REPORT_SUBJECT = gettext_lazy("Er staat een rapport voor je klaar")


def _moment(value: datetime) -> dict:
    local = timezone.localtime(value)
    return {"day": formats.date_format(local, "l j F Y"), "time": formats.time_format(local, "TIME_FORMAT")}


def talk_change_mail(*, talk_id: int, change: str, actor_id: int, old_start: datetime | None = None) -> int:
    """Mail the change to those taking part; returns how many were mailed."""
    talk = Talk.objects.filter(pk=talk_id).first()
    if talk is None:
        return 0
    members = {
        m.user_id: m
        for m in Membership.objects.active().filter(family_id=talk.family_id).select_related("user")
    }
    sent = 0
    for user_id in TalkParticipant.objects.filter(talk=talk, user__isnull=False).values_list(
        "user_id", flat=True
    ):
        membership = members.get(user_id)
        if user_id == actor_id or membership is None or not membership.user.is_active:
            continue
        user = membership.user
        with translation.override(user.language or settings.LANGUAGE_CODE):
            new = _moment(talk.starts_at)
            context = {
                "name": user.get_short_name(),
                "site_name": settings.SITE_NAME,
                "change": change,
                "day": new["day"],
                "start": new["time"],
                "end": formats.time_format(timezone.localtime(talk.ends_at), "TIME_FORMAT"),
                "old": _moment(old_start) if old_start is not None else None,
                "place": talk.place_label,
                "address": talk.address,
                "for_parent": membership.role == Role.PARENT,
                "link": settings.SITE_URL.rstrip("/") + reverse("trajectories:family", args=[talk.family_id]),
            }
            send_mail(
                subject=str(SUBJECTS[change]) % {"day": new["day"]},
                message=render_to_string("trajectories/email/talk_changed.txt", context),
                from_email=None,
                recipient_list=[user.email],
            )
        sent += 1
    return sent


# -- "a report is ready" (issue 12, item 5): durable, like the talk reminders -----------------------

NOTICE_BATCH = 50
NOTICE_RETRY_SECONDS = 300
NOTICE_MAX_ATTEMPTS = 6


def report_notices_schedule(*, share, now: datetime) -> None:
    """In the sharing transaction: one notice per parent of the family now (not the relatives),
    due at once or when the parent's quiet hours end."""
    for membership in (
        Membership.objects.active().filter(family_id=share.family_id, role=Role.PARENT).select_related("user")
    ):
        due = quiet_hours_end_after(membership.user, now) or now
        ReportNotice.objects.create(share=share, user=membership.user, due_at=due)


def report_notices_send_due(*, now: datetime | None = None, limit: int = NOTICE_BATCH) -> int:
    """Claim the due notices (SELECT ... FOR UPDATE SKIP LOCKED, a lease ahead, as the reminders
    do) and mail them outside the claiming transaction; returns how many were claimed."""
    now = now or timezone.now()
    due = ReportNotice.objects.filter(done_at__isnull=True, due_at__lte=now)
    if not due.exists():
        return 0
    lease = now + timedelta(seconds=NOTICE_RETRY_SECONDS)
    with transaction.atomic():
        ids = list(
            due.select_for_update(skip_locked=True).order_by("due_at").values_list("pk", flat=True)[:limit]
        )
        ReportNotice.objects.filter(pk__in=ids).update(due_at=lease, attempts=F("attempts") + 1)
    for notice in ReportNotice.objects.filter(pk__in=ids).select_related("user", "share"):
        _report_notice_send(notice, now=now)
    return len(ids)


def _report_notice_send(notice, *, now: datetime) -> None:
    user = notice.user
    ours = ReportNotice.objects.filter(pk=notice.pk)
    still_parent = (
        Membership.objects.active()
        .filter(family_id=notice.share.family_id, user=user, role=Role.PARENT)
        .exists()
    )
    if not still_parent or not user.is_active or not user.email:
        ours.update(done_at=now)  # nothing about the family reaches someone no longer in it
        return
    quiet_until = quiet_hours_end_after(user, now)
    if quiet_until is not None:
        ours.update(due_at=quiet_until, attempts=0)
        return
    try:
        report_ready_mail(user=user, family_id=notice.share.family_id)
    except Exception:
        if notice.attempts >= NOTICE_MAX_ATTEMPTS:
            logger.exception("GIVING UP the report notice %s after %d attempts", notice.pk, notice.attempts)
            ours.update(done_at=now)
        else:
            logger.exception(
                "report notice %s failed (attempt %d); trying again later", notice.pk, notice.attempts
            )
        return
    ours.update(done_at=now)


def report_ready_mail(*, user, family_id: int) -> None:
    """Tell a parent that a report is ready, without anything of its content, its reason or the
    family's name: only a link to log in."""
    with translation.override(user.language or settings.LANGUAGE_CODE):
        context = {
            "name": user.get_short_name(),
            "site_name": settings.SITE_NAME,
            "link": settings.SITE_URL.rstrip("/")
            + reverse("trajectories:family", args=[family_id])
            + "#reports",
        }
        send_mail(
            subject=str(REPORT_SUBJECT),
            message=render_to_string("trajectories/email/report_ready.txt", context),
            from_email=None,
            recipient_list=[user.email],
        )
