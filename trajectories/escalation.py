"""The way up (seeds 002 and 004): a family in mediation that stays in moderated contact, or keeps
being moved back to it, is suggested a heavier trajectory (parallel parenting) on the
practitioner's home page. The switch itself is the practitioner's decision, with a reason
(services.trajectory_switch); this module only says when to suggest it and why.

The signals, each counted since the trajectory started:
- how long the family has now been in moderated or indirect contact without a break
  (STAY_DAYS or more suggests the way up);
- how many times it was moved from direct to moderated or indirect contact (REPEATS or more);
- alerts raised by moderation's escalation policy since the start (a threat held, hostile messages
  repeated, a burst at night): ALERTS or more suggests the way up.
Only moderation's selectors are read (contact_mode_history, alerts_raised), never its tables.

A practitioner who decides not to switch now lets the suggestion rest for REST_DAYS
(services.way_up_dismiss); if the signals are still there after that, it shows again.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from moderation.selectors import alerts_raised, contact_mode_history
from trajectories.models import Trajectory, WayUpDismissal
from trajectories.types import TYPES

STAY_DAYS = 21
REPEATS = 3
ALERTS = 5
REST_DAYS = 28

# moderation's ContactMode values (its selectors give them as plain strings).
DIRECT = "direct"
NOT_DIRECT = ("moderated", "indirect")


@dataclass
class Signals:
    mode: str
    not_direct_since: datetime | None  # when the present stretch of moderated/indirect contact began
    days_not_direct: int
    times_moved: int  # moves from direct to moderated or indirect since the start
    alerts: int = 0
    reasons: list[str] = field(default_factory=list)

    @property
    def suggests_way_up(self) -> bool:
        return bool(self.reasons)


def _alerts(*, family_id: int, since: datetime) -> int:
    """Alerts raised for the family since `since` (moderation's escalation policy)."""
    return alerts_raised(family_id=family_id, since=since)


def escalation_signals(*, family_id: int, since: datetime, now: datetime | None = None) -> Signals:
    now = now or timezone.now()
    history = contact_mode_history(family_id=family_id)  # newest first
    mode = history[0].mode if history else DIRECT
    stretch_start = None
    for change in history:
        if change.mode not in NOT_DIRECT:
            break
        stretch_start = change.changed_at
    # The stretch counts from the trajectory's start at the earliest.
    counted_from = max(stretch_start, since) if stretch_start is not None else None
    days = (now - counted_from).days if counted_from is not None and mode in NOT_DIRECT else 0
    moves, previous = 0, DIRECT
    for change in reversed(history):  # oldest first
        if change.changed_at >= since and change.mode in NOT_DIRECT and previous not in NOT_DIRECT:
            moves += 1
        previous = change.mode
    signals = Signals(
        mode=mode,
        not_direct_since=stretch_start if mode in NOT_DIRECT else None,
        days_not_direct=days,
        times_moved=moves,
        alerts=_alerts(family_id=family_id, since=since),
    )
    if days >= STAY_DAYS:
        signals.reasons.append(
            ngettext(
                "al %(n)d dag contact met meelezen of via de begeleider",
                "al %(n)d dagen contact met meelezen of via de begeleider",
                days,
            )
            % {"n": days}
        )
    if moves >= REPEATS:
        signals.reasons.append(
            _("%(n)d keer teruggezet naar contact met meelezen of via de begeleider") % {"n": moves}
        )
    if signals.alerts >= ALERTS:
        signals.reasons.append(_("%(n)d signalen over de toon sinds de start") % {"n": signals.alerts})
    return signals


@dataclass
class Suggestion:
    trajectory: Trajectory
    to_type: str
    signals: Signals

    @property
    def to_name(self) -> str:
        return str(TYPES[self.to_type].name)


def trajectory_start_moment(trajectory: Trajectory) -> datetime:
    return datetime.combine(
        trajectory.started_on, datetime.min.time(), tzinfo=timezone.get_default_timezone()
    )


def way_up_for(trajectory: Trajectory, *, now: datetime | None = None) -> Suggestion | None:
    """The suggestion for one trajectory, or None: not a type with a way up, not running, resting
    after a practitioner's "not now", or no signal."""
    now = now or timezone.now()
    to_type = trajectory.type.way_up_to
    if not to_type or not trajectory.is_active:
        return None
    if WayUpDismissal.objects.filter(trajectory=trajectory, until__gte=timezone.localdate(now)).exists():
        return None
    signals = escalation_signals(
        family_id=trajectory.family_id, since=trajectory_start_moment(trajectory), now=now
    )
    return Suggestion(trajectory, to_type, signals) if signals.suggests_way_up else None


def way_up_suggestions(*, trajectories: list[Trajectory], now: datetime | None = None) -> list[Suggestion]:
    found = []
    for trajectory in trajectories:
        suggestion = way_up_for(trajectory, now=now)
        if suggestion is not None:
            found.append(suggestion)
    return found


def rest_until(now: datetime | None = None):
    return timezone.localdate(now or timezone.now()) + timedelta(days=REST_DAYS)
