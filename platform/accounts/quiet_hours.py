"""A user's quiet hours: a daily stretch of local time (settings.TIME_ZONE, Europe/Amsterdam) in
which no notice e-mail goes to them. It may run past midnight (22:00 to 07:00); a start equal to
the end means "no quiet hours". Notices that fall due inside them wait until they end
(messaging.notices); nothing is dropped.

What this does not do: a user abroad still gets Dutch time (there is one time zone for everyone,
and every page and e-mail says so)."""

from __future__ import annotations

from datetime import datetime, time, timedelta

from django.utils import timezone

NONE = time(0, 0)  # stored as start == end


def has_quiet_hours(user) -> bool:
    return user.quiet_hours_start != user.quiet_hours_end


def in_quiet_hours(user, moment: datetime) -> bool:
    local = timezone.localtime(moment, timezone.get_default_timezone()).time()
    start, end = user.quiet_hours_start, user.quiet_hours_end
    if start == end:
        return False
    if start < end:
        return start <= local < end
    return local >= start or local < end  # the quiet hours run past midnight


def quiet_hours_end_after(user, moment: datetime) -> datetime | None:
    """When the quiet hours that `moment` falls in are over (an aware datetime), or None when
    `moment` is not in them. Local wall-clock time: across a change to or from summer time the
    end is still at the chosen hour."""
    if not in_quiet_hours(user, moment):
        return None
    zone = timezone.get_default_timezone()
    local = timezone.localtime(moment, zone)
    end = datetime.combine(local.date(), user.quiet_hours_end, tzinfo=zone)
    if end <= local:
        end = datetime.combine(local.date() + timedelta(days=1), user.quiet_hours_end, tzinfo=zone)
    return end
