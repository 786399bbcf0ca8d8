"""E-mails about a talk that was added, moved, given another place or cancelled: sent after commit
to everyone taking part (still an active member of the family) except who made the change. Time
and place only, like the reminders (trajectories.reminders): never what the talk is about, who
else takes part, or the family's name."""

from __future__ import annotations

from datetime import datetime

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import formats, timezone, translation
from django.utils.translation import gettext_lazy

from families.models import Membership, Role
from trajectories.models import Talk, TalkParticipant

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


def report_ready_mail(*, share_id: int, now: datetime | None = None) -> int:
    """Tell each parent of the family (active, not a relative) that a report is ready, without
    anything of its content, its reason or the family's name: only a link to log in. Not sent in
    the parent's quiet hours (their page shows the report). Returns how many were mailed."""
    from accounts.quiet_hours import in_quiet_hours
    from trajectories.models import ReportShare

    share = ReportShare.objects.filter(pk=share_id).first()
    if share is None:
        return 0
    now = now or timezone.now()
    sent = 0
    for membership in (
        Membership.objects.active().filter(family_id=share.family_id, role=Role.PARENT).select_related("user")
    ):
        user = membership.user
        if not user.is_active or not user.email or in_quiet_hours(user, now):
            continue
        with translation.override(user.language or settings.LANGUAGE_CODE):
            context = {
                "name": user.get_short_name(),
                "site_name": settings.SITE_NAME,
                "link": settings.SITE_URL.rstrip("/")
                + reverse("trajectories:family", args=[share.family_id]) + "#reports",
            }
            send_mail(
                subject=str(REPORT_SUBJECT),
                message=render_to_string("trajectories/email/report_ready.txt", context),
                from_email=None,
                recipient_list=[user.email],
            )
        sent += 1
    return sent
