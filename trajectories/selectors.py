"""Reads for trajectories, and the one rule of who sees which talk.

Who sees a talk (talk_visible): the family's practitioners see every talk; a parent sees the talks
they take part in and the talks in which no adult of the family takes part (a child's talk, a
meeting of professionals), so never the other parent's own talks; a relative sees only the talks
they take part in. Every page, the calendar feed, the e-mails, the family card and the AVG download
ask visible_talks; none restates the rule. A talk someone may not see does not exist for them:
its page is the 404 page, the same as for an id that is not there.

Access to the family itself is families.access's: an outsider gets NotFound before anything here.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.db.models import Max, Q
from django.utils import timezone

from core.errors import NotFound
from families.access import Action, can, denial_record, membership_for, require
from families.models import PRACTITIONER_ROLES, Child, Membership, Role
from trajectories.models import Talk, TalkParticipant, Trajectory
from trajectories.schoolholidays import calendar_for, unknown_school_years
from trajectories.types import TalkKind, Unit


def _as_id(value) -> int | None:
    try:
        value = int(value)
    except (TypeError, ValueError):
        return None
    return value if 0 < value < 2**63 else None


# -- who sees which talk ---------------------------------------------------------------------------


def practitioner_ids(*, family_id: int) -> set[int]:
    return set(
        Membership.objects.active()
        .filter(family_id=family_id, role__in=PRACTITIONER_ROLES)
        .values_list("user_id", flat=True)
    )


def talk_visible(membership: Membership | None, *, user_ids: set[int], practitioners: set[int]) -> bool:
    """`user_ids`: the users taking part in the talk; `practitioners`: the family's practitioners now."""
    if membership is None:
        return False
    if membership.is_practitioner:
        return True
    if membership.user_id in user_ids:
        return True
    if membership.role == Role.PARENT:
        # No adult of the family takes part (anyone but the practitioners counts as one, also a
        # former member): a child's talk or a meeting of professionals.
        return not (user_ids - practitioners)
    return False


def takes_part(membership: Membership | None, talk: Talk) -> bool:
    return membership is not None and membership.user_id in talk.user_ids


def with_participants(talks: Iterable[Talk]) -> list[Talk]:
    """Each talk with `user_ids`, `child_ids` and `people` (names, in order: users, then children)."""
    talks = list(talks)
    by_talk: dict[int, list[TalkParticipant]] = {t.pk: [] for t in talks}
    rows = (
        TalkParticipant.objects.filter(talk_id__in=list(by_talk))
        .select_related("user", "child")
        .order_by("child_id", "user__display_name", "pk")
    )
    for row in rows:
        by_talk[row.talk_id].append(row)
    for talk in talks:
        rows = by_talk[talk.pk]
        talk.user_ids = {r.user_id for r in rows if r.user_id}
        talk.child_ids = {r.child_id for r in rows if r.child_id}
        talk.people = [r.user.display_name for r in rows if r.user_id] + [
            r.child.first_name for r in rows if r.child_id
        ]
    return talks


def visible_talks(
    *, membership: Membership | None, talks: Iterable[Talk], practitioners: set[int] | None = None
) -> list[Talk]:
    talks = with_participants(talks)
    if membership is None:
        return []
    if practitioners is None:
        practitioners = practitioner_ids(family_id=membership.family_id)
    return [t for t in talks if talk_visible(membership, user_ids=t.user_ids, practitioners=practitioners)]


def access_talk(*, user, family_id, talk_id, request=None) -> tuple[Membership, Talk]:
    """The member's membership and the talk, if they may see it; else NotFound (for a talk of
    another family, one that is not there, and one that is not theirs to see alike). A member's
    refused attempt is recorded in their family's access log."""
    membership = require(user=user, family_id=family_id, action=Action.VIEW_FAMILY, request=request)
    talk_pk = _as_id(talk_id)
    talk = (
        Talk.objects.select_related("trajectory").filter(pk=talk_pk, family_id=membership.family_id).first()
        if talk_pk
        else None
    )
    if talk is None or not visible_talks(membership=membership, talks=[talk]):
        denial_record(
            user=user,
            wanted="view_talk",
            family=membership.family,
            role=membership.role,
            details={"talk": str(talk_id)[:32]},
            request=request,
        )
        raise NotFound()
    return membership, with_participants([talk])[0]


# -- trajectories ---------------------------------------------------------------------------------


def active_trajectory(*, family_id: int) -> Trajectory | None:
    return Trajectory.objects.filter(family_id=family_id, status=Trajectory.Status.ACTIVE).first()


def current_trajectory(*, family_id: int) -> Trajectory | None:
    """The running trajectory, else the one that ended last."""
    return (
        active_trajectory(family_id=family_id)
        or Trajectory.objects.filter(family_id=family_id).order_by("-ended_at", "-pk").first()
    )


def trajectory_history(*, family_id: int) -> list[Trajectory]:
    return list(Trajectory.objects.filter(family_id=family_id).order_by("-started_on", "-pk"))


def access_trajectory(
    *, user, family_id, trajectory_id, action: Action = Action.VIEW_TRAJECTORY, request=None
) -> tuple[Membership, Trajectory]:
    membership = require(user=user, family_id=family_id, action=action, request=request)
    pk = _as_id(trajectory_id)
    trajectory = Trajectory.objects.filter(pk=pk, family_id=membership.family_id).first() if pk else None
    if trajectory is None:
        raise NotFound()
    return membership, trajectory


def end_on(trajectory: Trajectory, talks: Iterable[Talk] | None = None) -> date:
    """The end shown: the day of its last talk that is not cancelled (so it moves when the talks
    move), or the planned end when there is none."""
    if talks is None:
        last = (
            Talk.objects.filter(trajectory=trajectory)
            .exclude(status=Talk.Status.CANCELLED)
            .aggregate(last=Max("starts_at"))["last"]
        )
    else:
        moments = [t.starts_at for t in talks if t.status != Talk.Status.CANCELLED]
        last = max(moments) if moments else None
    return timezone.localdate(last) if last is not None else trajectory.planned_end_on


@dataclass(frozen=True)
class Span:
    starts: date
    ends: date
    school_weeks: int | None  # for the school-week types: how many school weeks that is
    planned_weeks: int | None
    unknown_years: list[int]  # school years without known holidays (the admin may add them)


def span_of(trajectory: Trajectory, talks: Iterable[Talk]) -> Span:
    ends = end_on(trajectory, talks)
    kind = trajectory.type
    if kind.unit != Unit.SCHOOL_WEEKS:
        return Span(trajectory.started_on, ends, None, None, [])
    weeks = max(1, (ends - trajectory.started_on).days // 7 + 1)
    holidays = calendar_for(region=trajectory.region, start=trajectory.started_on, weeks_ahead=weeks)
    return Span(
        trajectory.started_on,
        ends,
        holidays.school_weeks_between(trajectory.started_on, ends),
        kind.length_for(trajectory.options),
        unknown_school_years(region=trajectory.region, first=trajectory.started_on, last=ends),
    )


@dataclass
class PhaseState:
    key: str
    title: str
    about: str
    asks_parents: str
    optional: bool
    state: str  # "done" | "current" | "coming"
    talks: list
    elements: list


def phases_of(trajectory: Trajectory, talks: list[Talk]) -> list[PhaseState]:
    """The type's phases with their talks (those given: already filtered for the viewer) and their
    state. A phase is done when its talks are held or cancelled and it has talks, or when a later
    phase has a held talk (a phase without talks, such as a trial period, ends that way); the
    first phase not done is the current one. A finished trajectory has every phase done."""
    kind = trajectory.type
    by_phase: dict[str, list[Talk]] = {p.key: [] for p in kind.phases}
    for talk in talks:
        by_phase.setdefault(talk.phase, []).append(talk)
    held_in = [any(t.status == Talk.Status.HELD for t in by_phase.get(p.key, [])) for p in kind.phases]
    states, current_seen = [], False
    for index, phase in enumerate(kind.phases):
        own = by_phase.get(phase.key, [])
        settled = bool(own) and all(not t.is_upcoming for t in own)
        done = not trajectory.is_active or settled or any(held_in[index + 1 :])
        if done and not current_seen:
            state = "done"
        elif not current_seen:
            state, current_seen = "current", True
        else:
            state = "coming"
        states.append(
            PhaseState(
                key=phase.key,
                title=str(phase.title),
                about=str(phase.about),
                asks_parents=str(phase.asks_parents),
                optional=phase.optional,
                state=state,
                talks=own,
                elements=[e for e in kind.elements if e.phase == phase.key],
            )
        )
    return states


def trajectory_talks(*, trajectory: Trajectory, membership: Membership) -> list[Talk]:
    talks = (
        Talk.objects.filter(trajectory=trajectory).select_related("trajectory").order_by("starts_at", "pk")
    )
    return visible_talks(membership=membership, talks=talks)


def upcoming(talks: Iterable[Talk], *, now: datetime | None = None) -> list[Talk]:
    now = now or timezone.now()
    return [t for t in talks if t.is_upcoming and t.ends_at >= now]


@dataclass(frozen=True)
class Ask:
    text: str
    link: str = ""  # a URL name in the family, e.g. "parentingplan:plan"
    anchor: str = ""
    url: str = ""  # a path of its own (a shared report), used as it is


def asks_for_parent(
    *, trajectory: Trajectory, phases: list[PhaseState], talks: list[Talk], membership: Membership
) -> list[Ask]:
    """What is asked of this parent now: the current phase's ask, the plan where the phase works on
    it, and each coming talk they take part in. (The trajectory's records, issue 12, add theirs:
    goals to confirm, consent to give, evaluation input.)"""
    from django.utils.translation import gettext as _

    asks = []
    current = next((p for p in phases if p.state == "current"), None)
    if current is not None and current.asks_parents:
        asks.append(Ask(current.asks_parents))
        for element in current.elements:
            if element.link in ("plan", "children_voice"):
                asks.append(
                    Ask(
                        str(element.label),
                        "parentingplan:plan",
                        "children-voice" if element.link == "children_voice" else "",
                    )
                )
    # Their own next three: talks they are not in (the children's sessions) don't use up the places.
    theirs = [talk for talk in upcoming(talks) if takes_part(membership, talk)]
    for talk in theirs[:3]:
        asks.append(Ask(_("Kom naar: %(talk)s, %(when)s.") % {"talk": talk.title, "when": _when(talk)}))
    return asks


def _when(talk: Talk) -> str:
    from django.utils.formats import date_format

    local = timezone.localtime(talk.starts_at)
    return f"{date_format(local, 'l j F')} {date_format(local, 'TIME_FORMAT')}"


# -- the family page card and the practitioner's home -------------------------------------------------


def next_visible_talk(*, membership: Membership) -> Talk | None:
    now = timezone.now()
    talks = (
        Talk.objects.filter(
            family_id=membership.family_id, status__in=Talk.UPCOMING, starts_at__gte=now - timedelta(hours=2)
        )
        .select_related("trajectory")
        .order_by("starts_at", "pk")[:40]
    )
    shown = visible_talks(membership=membership, talks=talks)
    return shown[0] if shown else None


ENDING_SOON_DAYS = 21


@dataclass
class Today:
    today: list
    this_week: list
    to_mark: list
    ending_soon: list
    way_up: list

    @property
    def empty(self) -> bool:
        return not (self.today or self.this_week or self.to_mark or self.ending_soon or self.way_up)


def practitioner_today(*, user, now: datetime | None = None) -> Today | None:
    """What needs the practitioner: their talks today and in the next seven days, their past talks
    not yet marked held or cancelled, trajectories in their families that end within three weeks,
    and the families the way up is suggested for. None for someone who is no practitioner."""
    from trajectories.escalation import way_up_suggestions

    now = now or timezone.now()
    families = list(
        Membership.objects.active()
        .filter(user=user, role__in=PRACTITIONER_ROLES)
        .values_list("family_id", flat=True)
    )
    if not families:
        return None
    local_today = timezone.localdate(now)
    zone = timezone.get_default_timezone()
    day_start = datetime.combine(local_today, datetime.min.time(), tzinfo=zone)
    tomorrow = day_start + timedelta(days=1)
    week_end = tomorrow + timedelta(days=7)
    mine = (
        Talk.objects.filter(family_id__in=families, participants__user=user)
        .select_related("trajectory", "family")
        .order_by("starts_at", "pk")
    )
    coming = with_participants(
        mine.filter(status__in=Talk.UPCOMING, starts_at__gte=day_start, starts_at__lt=week_end)
    )
    # An evaluation whose day has passed is on the home's "evaluations overdue" panel
    # (trajectories.evaluations.overdue_for_practitioner), where its outcome is recorded: not twice.
    to_mark = [
        t
        for t in with_participants(
            mine.filter(status__in=Talk.UPCOMING, starts_at__lt=now)
            .exclude(kind=TalkKind.EVALUATION, starts_at__lt=day_start)[:40]
        )
        if t.ends_at <= now
    ][:20]
    running = (
        Trajectory.objects.filter(family_id__in=families, status=Trajectory.Status.ACTIVE)
        .select_related("family")
        .annotate(last_talk=Max("talks__starts_at", filter=~Q(talks__status=Talk.Status.CANCELLED)))
    )
    ending = []
    for trajectory in running:
        ends = timezone.localdate(trajectory.last_talk) if trajectory.last_talk else trajectory.planned_end_on
        if ends <= local_today + timedelta(days=ENDING_SOON_DAYS):
            trajectory.ends = ends
            ending.append(trajectory)
    ending.sort(key=lambda t: t.ends)
    return Today(
        today=[t for t in coming if t.starts_at < tomorrow and t.ends_at >= now],
        this_week=[t for t in coming if t.starts_at >= tomorrow],
        to_mark=to_mark,
        ending_soon=ending,
        way_up=way_up_suggestions(trajectories=[t for t in running], now=now),
    )


def children_for(*, family_id: int, ages: tuple[int, int] | None = None) -> list[Child]:
    children = list(Child.objects.filter(family_id=family_id))
    if ages is None:
        return children
    low, high = ages
    fitting = [c for c in children if low <= c.age < high]
    return fitting or children


def may_manage(membership: Membership | None) -> bool:
    return can(membership, Action.MANAGE_TRAJECTORY)


def membership_of(*, user, family_id) -> Membership | None:
    return membership_for(user=user, family_id=family_id)
