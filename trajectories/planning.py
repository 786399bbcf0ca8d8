"""From a type, its options, a start and the family: the talks to plan, with suggested dates.

No database writes here (the service stores what this returns), and no reads but the school
holidays the Calendar was made with, so every type's schedule is tested directly
(tests/trajectories/test_planning.py).

Suggested dates (the practitioner adjusts them afterwards):
- a talk falls on the start's weekday (a weekend start: the Monday after), at the chosen time;
- SCHOOL_WEEKS and WEEKS: offset n is the (n+1)-th week from the start that is not a school
  holiday week of the family's region (so weekly sessions skip a holiday week instead of piling
  up after it); MONTHS: n calendar months on (a weekend: the Monday after), and a date in the
  school holidays moves to the same weekday of the first week after them;
- talks on the same day (one per parent or per child, or two elements in one week) come one
  after the other, half an hour between them.
"""

from __future__ import annotations

import calendar as pycalendar
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.utils import timezone

from trajectories.schoolholidays import Calendar, calendar_for
from trajectories.types import Planned, TrajectoryType, Unit, Who

GAP_MINUTES = 30  # between two talks one after the other on the same day


@dataclass(frozen=True)
class FamilyPeople:
    parents: list[int]  # user ids
    children: list[int]  # child ids, those the type's child talks are for
    relatives: list[int]  # user ids
    practitioner: int  # user id of who runs the trajectory


@dataclass
class PlannedTalk:
    element: str
    kind: str
    phase: str
    optional: bool
    starts_at: datetime
    minutes: int
    user_ids: list[int] = field(default_factory=list)
    child_ids: list[int] = field(default_factory=list)
    number: int = 0
    label: str = ""


def add_months(day: date, months: int) -> date:
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    return date(year, month, min(day.day, pycalendar.monthrange(year, month)[1]))


def on_a_weekday(day: date) -> date:
    return day + timedelta(days=(7 - day.weekday()) % 7) if day.weekday() >= 5 else day


def calendar_for_type(kind: TrajectoryType, *, region: str, start: date, options: dict) -> Calendar:
    weeks = kind.length_for(options) * (5 if kind.unit == Unit.MONTHS else 1)
    return calendar_for(region=region, start=start, weeks_ahead=weeks + 4)


def suggested_day(kind: TrajectoryType, offset: int, *, start: date, holidays: Calendar) -> date:
    start = on_a_weekday(start)
    if kind.unit in (Unit.SCHOOL_WEEKS, Unit.WEEKS):
        day = holidays.school_weeks(start, offset + 1)[offset]
        # A school week that begins midweek may begin with the last days of a holiday.
        while day.weekday() >= 5 or holidays.is_holiday(day):
            day += timedelta(days=1)
        return day
    return holidays.out_of_holidays(on_a_weekday(add_months(start, offset)))


def planned_end(kind: TrajectoryType, *, start: date, options: dict, holidays: Calendar) -> date:
    """The last day the type plans for: the end of its last school week or week, or the day its
    months are over."""
    length = kind.length_for(options)
    start = on_a_weekday(start)
    if kind.unit in (Unit.SCHOOL_WEEKS, Unit.WEEKS):
        return holidays.school_weeks(start, length)[-1] + timedelta(days=6)
    return add_months(start, length)


def _groups(who: Who, people: FamilyPeople) -> list[tuple[list[int], list[int]]]:
    """(user ids, child ids) of each talk one planned element makes per offset."""
    if who == Who.PARENTS:
        return [(list(people.parents), [])]
    if who == Who.EACH_PARENT:
        return [([parent], []) for parent in people.parents]
    if who == Who.CHILDREN:
        return [([], list(people.children))]
    if who == Who.EACH_CHILD:
        return [([], [child]) for child in people.children] or [([], [])]
    if who == Who.PARENTS_AND_CHILDREN:
        return [(list(people.parents), list(people.children))]
    if who == Who.RELATIVES:
        return [(list(people.relatives), [])]
    return [([], [])]  # PROFESSIONALS: the practitioner only


def plan_talks(
    kind: TrajectoryType, *, options: dict, start: date, at: time, people: FamilyPeople, holidays: Calendar
) -> list[PlannedTalk]:
    """Every talk the type plans for this family, in time order, numbered per label."""
    zone = timezone.get_default_timezone()
    talks: list[PlannedTalk] = []
    day_ends: dict[date, datetime] = {}  # when the last talk planned on a day ends
    for planned in kind.planned:
        for offset in planned.offsets(options):
            day = suggested_day(kind, offset, start=start, holidays=holidays)
            for user_ids, child_ids in _groups(planned.participants(options), people):
                moment = datetime.combine(day, at, tzinfo=zone)
                if day in day_ends:
                    moment = max(moment, day_ends[day] + timedelta(minutes=GAP_MINUTES))
                talks.append(_talk(planned, moment, user_ids, child_ids, people))
                day_ends[day] = moment + timedelta(minutes=planned.minutes)
    talks.sort(key=lambda t: (t.starts_at, t.element))
    _number(talks)
    return talks


def _talk(planned: Planned, moment: datetime, user_ids, child_ids, people: FamilyPeople) -> PlannedTalk:
    return PlannedTalk(
        element=planned.key,
        kind=planned.kind,
        phase=planned.phase,
        optional=planned.optional,
        # Normalised to the zone's actual offset on that day (summer or winter time).
        starts_at=timezone.localtime(moment.astimezone(timezone.get_default_timezone())),
        minutes=planned.minutes,
        user_ids=[people.practitioner, *user_ids],
        child_ids=list(child_ids),
        label=str(planned.label),
    )


def _number(talks: list[PlannedTalk]) -> None:
    """A label that comes back (four joint talks) gets numbers in date order; the talks of one
    round (one per parent, the same week) share a number."""
    rounds: dict[str, list[date]] = {}
    for talk in talks:
        day = talk.starts_at.date()
        days = rounds.setdefault(talk.label, [])
        if day not in days:
            days.append(day)
    for talk in talks:
        days = rounds[talk.label]
        talk.number = days.index(talk.starts_at.date()) + 1 if len(days) > 1 else 0
