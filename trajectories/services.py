"""Writes for trajectories: each checks access through families.access, runs in one transaction
with its audit entry, and mails after commit (time and place only, to those taking part).

Access is checked before the transaction (families.access.require records a refusal at once,
which a rollback would take along). The family row is locked while a trajectory starts, ends or is
switched, so that two practitioners cannot start two at once (the database refuses a second
running one too: one_active_trajectory_per_family); a talk row is locked while it changes.
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Callable
from datetime import UTC, date, datetime, time, timedelta

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from audit import actions
from audit.services import audit_record
from core.errors import Conflict, Invalid, NotFound
from families.access import Action, require
from families.models import Child, Family, Membership, Role
from trajectories import mails, reminders
from trajectories.escalation import rest_until
from trajectories.models import CalendarFeed, Region, Talk, TalkParticipant, Trajectory, WayUpDismissal
from trajectories.planning import FamilyPeople, calendar_for_type, plan_talks, planned_end
from trajectories.selectors import children_for
from trajectories.types import KIES_AGES, TYPES, TalkKind, TrajectoryType

START_PAST_DAYS = 2 * 366  # a trajectory under way may be entered afterwards
START_FUTURE_DAYS = 366
TALK_PAST_DAYS = 400
TALK_FUTURE_DAYS = 3 * 366
MINUTES = (15, 480)
ADDRESS_MAX_CHARS = 300
REASON_MAX_CHARS = 2000


# -- checks other parts of the trajectory may add (issue 12: the consents a child talk needs) --------

HoldCheck = Callable[[Talk], "str | None"]
PlanCheck = Callable[..., "str | None"]
_hold_checks: list[HoldCheck] = []
_plan_checks: list[PlanCheck] = []


def register_hold_check(check: HoldCheck) -> None:
    """`check(talk)` returns why the talk cannot be marked held yet (shown to the practitioner), or
    None. Runs inside talk_hold's transaction, with the talk locked."""
    if check not in _hold_checks:
        _hold_checks.append(check)


def register_plan_check(check: PlanCheck) -> None:
    """`check(trajectory=..., kind=..., child_ids=...)` returns why a talk of that kind with these
    children cannot be planned (added, or moved to another time) now, or None: where a withdrawn
    consent stops the planning of further child talks. Runs inside the service's transaction."""
    if check not in _plan_checks:
        _plan_checks.append(check)


def _check_planning(*, trajectory, kind: str, child_ids) -> None:
    for check in _plan_checks:
        problem = check(trajectory=trajectory, kind=kind, child_ids=set(child_ids))
        if problem:
            raise Invalid(problem)


# -- input -------------------------------------------------------------------------------------------


def clean_options(kind: TrajectoryType, raw: dict | None) -> dict:
    raw = raw or {}
    options = {}
    for option in kind.options:
        value = raw.get(option.key, option.default)
        if option.kind == "bool":
            options[option.key] = bool(value)
        elif option.kind == "int":
            try:
                number = int(value)
            except (TypeError, ValueError):
                number = None
            if number is None or not option.minimum <= number <= option.maximum:
                raise Invalid(
                    _("%(label)s: kies een getal van %(min)d tot en met %(max)d.")
                    % {"label": option.label, "min": option.minimum, "max": option.maximum}
                )
            options[option.key] = number
        else:
            if value not in {key for key, _label in option.choices}:
                raise Invalid(_("%(label)s: kies een van de mogelijkheden.") % {"label": option.label})
            options[option.key] = value
    return options


def _utc(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat()


def _check_start(started_on: date, *, today: date) -> None:
    if not today - timedelta(days=START_PAST_DAYS) <= started_on <= today + timedelta(days=START_FUTURE_DAYS):
        raise Invalid(_("Kies een begindatum tussen twee jaar geleden en over een jaar."))


def _check_talk_fields(*, starts_at: datetime, minutes: int, place: str, address: str, now: datetime) -> None:
    if timezone.is_naive(starts_at):
        raise Invalid(_("Kies een datum en een tijd."))
    if not now - timedelta(days=TALK_PAST_DAYS) <= starts_at <= now + timedelta(days=TALK_FUTURE_DAYS):
        raise Invalid(_("Kies een datum tussen een jaar geleden en over drie jaar."))
    if not MINUTES[0] <= minutes <= MINUTES[1]:
        raise Invalid(_("Een gesprek duurt tussen 15 en 480 minuten."))
    if place not in Talk.Place.values:
        raise Invalid(_("Kies een plek: online, de praktijk, een huisbezoek of een neutrale plek."))
    if len(address) > ADDRESS_MAX_CHARS:
        raise Invalid(
            _("Het adres is te lang (%(n)d tekens, maximaal %(max)d).")
            % {"n": len(address), "max": ADDRESS_MAX_CHARS}
        )


def _check_reason(reason: str, *, required: bool) -> str:
    reason = (reason or "").strip()
    if required and not reason:
        raise Invalid(_("Schrijf kort op waarom."))
    if len(reason) > REASON_MAX_CHARS:
        raise Invalid(
            _("De reden is te lang (%(n)d tekens, maximaal %(max)d). Maak hem korter.")
            % {"n": len(reason), "max": REASON_MAX_CHARS}
        )
    return reason


def _participants_in_family(*, family_id: int, user_ids, child_ids) -> tuple[set[int], set[int]]:
    user_ids, child_ids = set(user_ids or ()), set(child_ids or ())
    members = set(
        Membership.objects.active()
        .filter(family_id=family_id, user_id__in=user_ids)
        .values_list("user_id", flat=True)
    )
    children = set(Child.objects.filter(family_id=family_id, pk__in=child_ids).values_list("pk", flat=True))
    if members != user_ids or children != child_ids:
        raise Invalid(_("Kies alleen mensen en kinderen uit dit gezin."))
    return members, children


def _locked_talk(*, family_id: int, talk_id) -> Talk:
    try:
        pk = int(talk_id)
    except (TypeError, ValueError):
        raise NotFound() from None
    talk = (
        (
            Talk.objects.select_for_update()
            .select_related("trajectory")
            .filter(pk=pk, family_id=family_id)
            .first()
        )
        if 0 < pk < 2**63
        else None
    )
    if talk is None:
        raise NotFound()
    return talk


# -- starting, ending, switching ----------------------------------------------------------------------


def _people(*, family_id: int, kind: TrajectoryType, practitioner_id: int) -> FamilyPeople:
    members = (
        Membership.objects.active()
        .filter(family_id=family_id, role__in=(Role.PARENT, Role.RELATIVE))
        .order_by("created_at", "pk")
        .values_list("user_id", "role")
    )
    children = children_for(family_id=family_id, ages=KIES_AGES if kind.key == "kies" else None)
    return FamilyPeople(
        parents=[user_id for user_id, role in members if role == Role.PARENT],
        children=[child.pk for child in children],
        relatives=[user_id for user_id, role in members if role == Role.RELATIVE],
        practitioner=practitioner_id,
    )


def trajectory_start(
    *,
    actor,
    family_id,
    type_key: str,
    started_on: date,
    at: time,
    region: str,
    options: dict | None = None,
    place: str = Talk.Place.PRACTICE,
    request=None,
) -> Trajectory:
    """Start a trajectory of `type_key` for the family: its talks are planned with suggested dates
    (trajectories.planning) for the practitioner to adjust, with the actor taking part in each, and
    their reminders scheduled. Refused while another trajectory runs (Conflict) and for a family
    without a parent yet (Invalid)."""
    membership = require(user=actor, family_id=family_id, action=Action.MANAGE_TRAJECTORY, request=request)
    kind = TYPES.get(type_key)
    if kind is None:
        raise Invalid(_("Kies een soort traject."))
    if region not in Region.values:
        raise Invalid(_("Kies de regio van de schoolvakanties: noord, midden of zuid."))
    if place not in Talk.Place.values:
        raise Invalid(_("Kies een plek: online, de praktijk, een huisbezoek of een neutrale plek."))
    _check_start(started_on, today=timezone.localdate())
    options = clean_options(kind, options)
    with transaction.atomic():
        family = Family.objects.select_for_update().get(pk=membership.family_id)
        return _start(
            actor=actor,
            membership=membership,
            family=family,
            kind=kind,
            started_on=started_on,
            at=at,
            region=region,
            options=options,
            place=place,
            request=request,
        )


def _start(
    *,
    actor,
    membership,
    family,
    kind,
    started_on,
    at,
    region,
    options,
    place,
    request,
    previous: Trajectory | None = None,
) -> Trajectory:
    if Trajectory.objects.filter(family=family, status=Trajectory.Status.ACTIVE).exists():
        raise Conflict(_("Er loopt al een traject voor dit gezin. Sluit dat eerst af, of zet het om."))
    people = _people(family_id=family.pk, kind=kind, practitioner_id=actor.pk)
    if not people.parents:
        raise Invalid(
            _(
                "Er is nog geen ouder in dit gezin. Nodig eerst de ouders uit; daarna kun je een "
                "traject starten."
            )
        )
    now = timezone.now()
    holidays = calendar_for_type(kind, region=region, start=started_on, options=options)
    planned = plan_talks(kind, options=options, start=started_on, at=at, people=people, holidays=holidays)
    if previous is None:
        previous = Trajectory.objects.filter(family=family).order_by("-started_on", "-pk").first()
    try:
        with transaction.atomic():
            trajectory = Trajectory.objects.create(
                family=family,
                type_key=kind.key,
                region=region,
                started_on=started_on,
                planned_end_on=planned_end(kind, start=started_on, options=options, holidays=holidays),
                options=options,
                practitioner=actor,
                previous=previous,
                created_by=actor,
                created_at=now,
            )
    except IntegrityError:
        raise Conflict(
            _("Er loopt al een traject voor dit gezin. Sluit dat eerst af, of zet het om.")
        ) from None
    for item in planned:
        talk = Talk.objects.create(
            trajectory=trajectory,
            family=family,
            element=item.element,
            kind=item.kind,
            number=item.number,
            phase=item.phase,
            optional=item.optional,
            starts_at=item.starts_at,
            minutes=item.minutes,
            place=place,
            created_by=actor,
            created_at=now,
            changed_at=now,
        )
        TalkParticipant.objects.bulk_create(
            [TalkParticipant(talk=talk, user_id=user_id) for user_id in dict.fromkeys(item.user_ids)]
            + [TalkParticipant(talk=talk, child_id=child_id) for child_id in item.child_ids]
        )
        reminders.schedule(talk, now=now)
    audit_record(
        action=actions.TRAJECTORY_STARTED,
        actor=actor,
        acting_role=membership.role,
        family=family,
        target=trajectory,
        request=request,
        details={
            "type": kind.key,
            "started_on": started_on.isoformat(),
            "region": region,
            "talks": len(planned),
            "options": options,
        },
    )
    return trajectory


def _active(*, family_id: int, trajectory_id) -> Trajectory:
    try:
        pk = int(trajectory_id)
    except (TypeError, ValueError):
        raise NotFound() from None
    trajectory = Trajectory.objects.filter(pk=pk, family_id=family_id).first() if 0 < pk < 2**63 else None
    if trajectory is None:
        raise NotFound()
    if not trajectory.is_active:
        raise Invalid(_("Dit traject is al afgesloten."))
    return trajectory


def _end(*, trajectory: Trajectory, actor, outcome: str, reason: str, now: datetime) -> int:
    """End the trajectory; its talks still to come are cancelled (with their reminders). Returns
    how many were cancelled."""
    coming = list(
        Talk.objects.select_for_update().filter(
            trajectory=trajectory, status__in=Talk.UPCOMING, starts_at__gte=now
        )
    )
    for talk in coming:
        _cancel(talk, actor=actor, now=now)
    Trajectory.objects.filter(pk=trajectory.pk).update(status=outcome, ended_at=now, ended_by=actor)
    trajectory.status, trajectory.ended_at, trajectory.ended_by = outcome, now, actor
    if reason:
        trajectory.end_reason = reason
        trajectory.save(update_fields=["end_reason"])
    return len(coming)


def trajectory_end(
    *, actor, family_id, trajectory_id, outcome: str, reason: str = "", request=None
) -> Trajectory:
    """End the running trajectory: completed, or stopped early (with a reason). Its talks still to
    come are cancelled and their participants told; the talks before stay as they are."""
    membership = require(user=actor, family_id=family_id, action=Action.MANAGE_TRAJECTORY, request=request)
    if outcome not in (Trajectory.Status.COMPLETED, Trajectory.Status.STOPPED):
        raise Invalid(_("Kies: afgerond of gestopt."))
    reason = _check_reason(reason, required=outcome == Trajectory.Status.STOPPED)
    now = timezone.now()
    with transaction.atomic():
        family = Family.objects.select_for_update().get(pk=membership.family_id)
        trajectory = _active(family_id=family.pk, trajectory_id=trajectory_id)
        cancelled = _end(trajectory=trajectory, actor=actor, outcome=outcome, reason=reason, now=now)
        audit_record(
            action=actions.TRAJECTORY_ENDED,
            actor=actor,
            acting_role=membership.role,
            family=family,
            target=trajectory,
            request=request,
            details={"type": trajectory.type_key, "outcome": outcome, "talks_cancelled": cancelled},
        )
    return trajectory


def trajectory_switch(
    *,
    actor,
    family_id,
    trajectory_id,
    reason: str,
    started_on: date,
    at: time,
    options: dict | None = None,
    request=None,
) -> Trajectory:
    """The way up: stop the running trajectory (a mediation) and start the heavier one its type
    names (parallel parenting), in one transaction. The practitioner's decision, with a reason
    (kept for the practitioners and the audit, not shown to parents). Returns the new trajectory."""
    membership = require(user=actor, family_id=family_id, action=Action.MANAGE_TRAJECTORY, request=request)
    reason = _check_reason(reason, required=True)
    _check_start(started_on, today=timezone.localdate())
    now = timezone.now()
    with transaction.atomic():
        family = Family.objects.select_for_update().get(pk=membership.family_id)
        old = _active(family_id=family.pk, trajectory_id=trajectory_id)
        to_key = old.type.way_up_to
        if not to_key:
            raise Invalid(_("Dit traject kan niet worden omgezet naar parallel ouderschap."))
        kind = TYPES[to_key]
        options = clean_options(kind, options)
        _end(trajectory=old, actor=actor, outcome=Trajectory.Status.STOPPED, reason=reason, now=now)
        new = _start(
            actor=actor,
            membership=membership,
            family=family,
            kind=kind,
            started_on=started_on,
            at=at,
            region=old.region,
            options=options,
            place=Talk.Place.PRACTICE,
            request=request,
            previous=old,
        )
        audit_record(
            action=actions.TRAJECTORY_SWITCHED,
            actor=actor,
            acting_role=membership.role,
            family=family,
            target=new,
            request=request,
            details={"from": old.pk, "from_type": old.type_key, "to": new.pk, "to_type": new.type_key},
        )
    return new


def way_up_dismiss(*, actor, family_id, trajectory_id, note: str = "", request=None) -> WayUpDismissal:
    """Not now: the suggestion to switch rests for escalation.REST_DAYS."""
    membership = require(user=actor, family_id=family_id, action=Action.MANAGE_TRAJECTORY, request=request)
    note = _check_reason(note, required=False)
    with transaction.atomic():
        trajectory = _active(family_id=membership.family_id, trajectory_id=trajectory_id)
        if not trajectory.type.way_up_to:
            raise Invalid(_("Dit traject kan niet worden omgezet naar parallel ouderschap."))
        dismissal = WayUpDismissal.objects.create(
            trajectory=trajectory, dismissed_by=actor, until=rest_until(), note=note
        )
        audit_record(
            action=actions.WAY_UP_DISMISSED,
            actor=actor,
            acting_role=membership.role,
            family=membership.family,
            target=trajectory,
            request=request,
            details={"until": dismissal.until.isoformat()},
        )
    return dismissal


# -- talks --------------------------------------------------------------------------------------------


def talk_add(
    *,
    actor,
    family_id,
    kind: str,
    starts_at: datetime,
    minutes: int,
    place: str,
    address: str = "",
    user_ids=(),
    child_ids=(),
    phase: str = "",
    request=None,
) -> Talk:
    """Add a talk to the running trajectory; the actor takes part in it."""
    membership = require(user=actor, family_id=family_id, action=Action.MANAGE_TRAJECTORY, request=request)
    now = timezone.now()
    address = (address or "").strip()
    if kind not in TalkKind.values:
        raise Invalid(_("Kies een soort gesprek."))
    _check_talk_fields(starts_at=starts_at, minutes=minutes, place=place, address=address, now=now)
    users, children = _participants_in_family(
        family_id=membership.family_id, user_ids=[actor.pk, *user_ids], child_ids=child_ids
    )
    with transaction.atomic():
        trajectory = (
            Trajectory.objects.select_for_update()
            .filter(family_id=membership.family_id, status=Trajectory.Status.ACTIVE)
            .first()
        )
        if trajectory is None:
            raise Invalid(_("Er loopt geen traject. Start eerst een traject."))
        if phase and phase not in {p.key for p in trajectory.type.phases}:
            raise Invalid(_("Kies een fase van dit traject."))
        _check_planning(trajectory=trajectory, kind=kind, child_ids=children)
        talk = Talk.objects.create(
            trajectory=trajectory,
            family_id=membership.family_id,
            kind=kind,
            phase=phase,
            starts_at=starts_at,
            minutes=minutes,
            place=place,
            address=address,
            created_by=actor,
            created_at=now,
            changed_at=now,
        )
        _set_participants(talk, users, children)
        reminders.schedule(talk, now=now)
        audit_record(
            action=actions.TALK_ADDED,
            actor=actor,
            acting_role=membership.role,
            family=membership.family,
            target=talk,
            request=request,
            details={"kind": kind, "starts_at": starts_at.isoformat()},
        )
        if starts_at > now:
            transaction.on_commit(
                lambda: mails.talk_change_mail(talk_id=talk.pk, change="added", actor_id=actor.pk),
                robust=True,
            )
    return talk


def _set_participants(talk: Talk, users: set[int], children: set[int]) -> bool:
    """Returns whether anything changed."""
    rows = list(TalkParticipant.objects.filter(talk=talk))
    had_users = {r.user_id for r in rows if r.user_id}
    had_children = {r.child_id for r in rows if r.child_id}
    if had_users == users and had_children == children:
        return False
    TalkParticipant.objects.filter(talk=talk).filter(user_id__in=had_users - users).delete()
    TalkParticipant.objects.filter(talk=talk).filter(child_id__in=had_children - children).delete()
    TalkParticipant.objects.bulk_create(
        [TalkParticipant(talk=talk, user_id=u) for u in sorted(users - had_users)]
        + [TalkParticipant(talk=talk, child_id=c) for c in sorted(children - had_children)]
    )
    return True


def talk_update(
    *,
    actor,
    family_id,
    talk_id,
    starts_at: datetime,
    minutes: int,
    place: str,
    address: str = "",
    user_ids=None,
    child_ids=None,
    request=None,
) -> tuple[Talk, bool]:
    """Move a talk (new date or time: its status becomes "moved", the old time is kept) and/or change
    its length, place, address or who takes part (None: unchanged). Returns (talk, changed).
    Those taking part hear of a move or a new place by e-mail (time and place only); the reminder
    follows the new time. A talk already held or cancelled does not change."""
    membership = require(user=actor, family_id=family_id, action=Action.MANAGE_TRAJECTORY, request=request)
    now = timezone.now()
    address = (address or "").strip()
    _check_talk_fields(starts_at=starts_at, minutes=minutes, place=place, address=address, now=now)
    participants = None
    if user_ids is not None or child_ids is not None:
        participants = _participants_in_family(
            family_id=membership.family_id, user_ids=user_ids or (), child_ids=child_ids or ()
        )
    with transaction.atomic():
        talk = _locked_talk(family_id=membership.family_id, talk_id=talk_id)
        if not talk.is_upcoming:
            raise Invalid(_("Dit gesprek is al gehouden of afgezegd; het verandert niet meer."))
        old_start = talk.starts_at
        moved = starts_at != old_start
        if moved or participants is not None:
            if participants is not None:
                children = participants[1]
            else:
                rows = TalkParticipant.objects.filter(talk=talk, child__isnull=False)
                children = set(rows.values_list("child_id", flat=True))
            _check_planning(trajectory=talk.trajectory, kind=talk.kind, child_ids=children)
        changed = [
            name
            for name, new in (("minutes", minutes), ("place", place), ("address", address))
            if getattr(talk, name) != new
        ]
        if participants is not None and _set_participants(talk, *participants):
            changed.append("participants")
        if not moved and not changed:
            return talk, False
        if moved:
            talk.moved_from, talk.status, talk.starts_at = old_start, Talk.Status.MOVED, starts_at
        talk.minutes, talk.place, talk.address = minutes, place, address
        talk.sequence += 1
        talk.changed_at = now
        talk.save()
        reminders.schedule(talk, now=now)
        details = {"talk_kind": talk.kind, "changed": changed}
        if moved:
            details.update(old=_utc(old_start), new=_utc(starts_at))
        audit_record(
            action=actions.TALK_MOVED if moved else actions.TALK_CHANGED,
            actor=actor,
            acting_role=membership.role,
            family=membership.family,
            target=talk,
            request=request,
            details=details,
        )
        if (moved or "place" in changed or "address" in changed) and max(starts_at, old_start) > now:
            change = "moved" if moved else "place"
            transaction.on_commit(
                lambda: mails.talk_change_mail(
                    talk_id=talk.pk, change=change, actor_id=actor.pk, old_start=old_start
                ),
                robust=True,
            )
    return talk, True


def _talk_settle(
    *, actor, family_id, talk_id, audit_action: str, settle: Callable[[Talk, datetime], None], request
) -> Talk:
    """What marking a talk held and cancelling it share: access, the talk locked and still to
    come, then `settle(talk, now)` (which may refuse with Invalid), and the audit entry, in one
    transaction."""
    membership = require(user=actor, family_id=family_id, action=Action.MANAGE_TRAJECTORY, request=request)
    now = timezone.now()
    with transaction.atomic():
        talk = _locked_talk(family_id=membership.family_id, talk_id=talk_id)
        if not talk.is_upcoming:
            raise Invalid(_("Dit gesprek is al gehouden of afgezegd."))
        settle(talk, now)
        audit_record(
            action=audit_action,
            actor=actor,
            acting_role=membership.role,
            family=membership.family,
            target=talk,
            request=request,
            details={"talk_kind": talk.kind},
        )
    return talk


# A settled talk keeps when and by whom: held_at/held_by or cancelled_at/cancelled_by.
_SETTLED_BY = {
    Talk.Status.HELD: ("held_at", "held_by"),
    Talk.Status.CANCELLED: ("cancelled_at", "cancelled_by"),
}


def _settle(talk: Talk, status: str, *, actor, now: datetime) -> None:
    """The talk is over (held or cancelled): its SEQUENCE goes up, so calendars update it, and its
    reminder is no longer due."""
    at_field, by_field = _SETTLED_BY[status]
    talk.status = status
    setattr(talk, at_field, now)
    setattr(talk, by_field, actor)
    talk.sequence += 1
    talk.changed_at = now
    talk.save(update_fields=["status", at_field, by_field, "sequence", "changed_at"])
    reminders.unschedule(talk)


def talk_hold(*, actor, family_id, talk_id, request=None) -> Talk:
    """Record that the talk took place. Not before it began, and not while a check of the
    trajectory's records refuses (register_hold_check)."""

    def hold(talk: Talk, now: datetime) -> None:
        if talk.starts_at > now:
            raise Invalid(
                _("Dit gesprek is nog niet begonnen. Leg het vast als het gehouden is, of verzet het.")
            )
        for check in _hold_checks:
            problem = check(talk)
            if problem:
                raise Invalid(problem)
        _settle(talk, Talk.Status.HELD, actor=actor, now=now)

    return _talk_settle(
        actor=actor,
        family_id=family_id,
        talk_id=talk_id,
        audit_action=actions.TALK_HELD,
        settle=hold,
        request=request,
    )


def _cancel(talk: Talk, *, actor, now: datetime) -> None:
    _settle(talk, Talk.Status.CANCELLED, actor=actor, now=now)
    if talk.starts_at > now:
        transaction.on_commit(
            lambda: mails.talk_change_mail(talk_id=talk.pk, change="cancelled", actor_id=actor.pk),
            robust=True,
        )


def talk_cancel(*, actor, family_id, talk_id, request=None) -> Talk:
    """Cancel a talk still to come (or one that was not held); those taking part are told."""
    return _talk_settle(
        actor=actor,
        family_id=family_id,
        talk_id=talk_id,
        audit_action=actions.TALK_CANCELLED,
        settle=lambda talk, now: _cancel(talk, actor=actor, now=now),
        request=request,
    )


# -- the calendar feed ----------------------------------------------------------------------------------


def feed_token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def calendar_feed_make(*, user, request=None) -> str:
    """A new secret address for the user's calendar feed; the one before (if any) stops working at
    once. Returns the secret: only its hash is stored, so it is shown this once."""
    token = secrets.token_urlsafe(32)
    now = timezone.now()
    with transaction.atomic():
        feed = CalendarFeed.objects.select_for_update().filter(user=user).first()
        if feed is None:
            CalendarFeed.objects.create(user=user, token_hash=feed_token_hash(token), created_at=now)
            action = actions.CALENDAR_FEED_CREATED
        else:
            feed.token_hash, feed.created_at, feed.last_used_at = feed_token_hash(token), now, None
            feed.save(update_fields=["token_hash", "created_at", "last_used_at"])
            action = actions.CALENDAR_FEED_RESET
        audit_record(action=action, actor=user, subject_user=user, request=request)
    return token


def calendar_feed_stop(*, user, request=None) -> bool:
    with transaction.atomic():
        deleted, _rows = CalendarFeed.objects.filter(user=user).delete()
        if deleted:
            audit_record(action=actions.CALENDAR_FEED_STOPPED, actor=user, subject_user=user, request=request)
    return bool(deleted)


FEED_USE_RECORDED_EVERY = timedelta(hours=1)


def calendar_feed_user(*, token: str):
    """The active user whose feed has this secret, or None. When it was last fetched is kept (at
    most once an hour), so its owner can see whether someone else uses it."""
    if not token or len(token) > 100:
        return None
    feed = CalendarFeed.objects.select_related("user").filter(token_hash=feed_token_hash(token)).first()
    if feed is None or not feed.user.is_active:
        return None
    now = timezone.now()
    if feed.last_used_at is None or now - feed.last_used_at > FEED_USE_RECORDED_EVERY:
        CalendarFeed.objects.filter(pk=feed.pk).update(last_used_at=now)
    return feed.user
