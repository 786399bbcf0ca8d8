"""The care rotation: who has the children which day, in a cycle of 14 days.

The parents choose a pattern, the day and time of the handover, the date it starts and which parent
the cycle begins with. Every handover happens at the handover time; a day "belongs" to the parent
who has the children at its end (from the handover time on a day the children change over).

- The named patterns run from a handover: their cycle begins on the first handover day on or after
  the chosen start date, so the blocks switch on the day the parents chose (a week on, week off
  with handover on Friday runs Friday to Friday, not Monday to Sunday).
- A custom pattern says for each of 14 days, Monday of the first week to Sunday of the second, who
  has the children; the handover time applies on every day the parent changes.

In the stored JSON (SectionRevision.schedule, docs/PROTOCOL.md) `days` holds the 14 letters from
the cycle's first day, "a" for `parent_a` and "b" for `parent_b`; `start` is that first day. Older
revisions stored the named patterns from a Monday: a named pattern is always read from PATTERNS
and from `start`'s week's handover day, so they show the rotation their handover day says.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import NamedTuple

from django.utils.dates import WEEKDAYS as WEEKDAY_NAMES
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.errors import Invalid

PATTERNS = {
    # from the first handover: a week with the first parent, then a week with the second
    "week_on_week_off": "aaaaaaa" + "bbbbbbb",
    # from the first handover: three days with the first parent, two with the second, two with
    # the first; the next week the other way round (with a Friday handover: Fri-Sun, Mon-Tue, Wed-Thu)
    "2-2-3": "aaabbaa" + "bbbaabb",
    # every other weekend: from the handover day two nights with the second parent (Friday to
    # Sunday at the handover time), the other twelve with the first
    "every_other_weekend": "bb" + "aaaaaaaaaaaa",
}
PATTERN_LABELS = {
    "week_on_week_off": gettext_lazy("Week om week"),
    "2-2-3": gettext_lazy("2-2-3 (twee, twee en drie dagen om en om)"),
    "every_other_weekend": gettext_lazy("Om het weekend"),
    "custom": gettext_lazy("Eigen rooster: per dag kiezen"),
}
WEEKDAYS = 7
CYCLE = 14


class CareDay(NamedTuple):
    """One day of the calendar: who has the children at its end, and who had them before (the
    same parent unless the children change over that day, at the handover time)."""

    date: date
    parent: int
    before: int

    @property
    def handover(self) -> bool:
        return self.parent != self.before


@dataclass(frozen=True)
class Schedule:
    pattern: str
    days: str  # 14 letters from cycle_start
    start: date
    handover_day: int  # 0 = Monday
    handover_time: time
    parent_a: int
    parent_b: int

    def as_json(self) -> str:
        return json.dumps({
            "pattern": self.pattern, "days": self.days, "start": self.start.isoformat(),
            "handover_day": self.handover_day, "handover_time": self.handover_time.strftime("%H:%M"),
            "parent_a": self.parent_a, "parent_b": self.parent_b,
        }, sort_keys=True)

    def as_dict(self) -> dict:
        return json.loads(self.as_json())

    @property
    def cycle_start(self) -> date:
        """The first day of the cycle: the Monday of the start week for a custom pattern, else the
        first handover day on or after `start`."""
        if self.pattern == "custom":
            return self.start - timedelta(days=self.start.weekday())
        return self.start + timedelta(days=(self.handover_day - self.start.weekday()) % WEEKDAYS)

    def parent_on(self, day: date) -> int:
        """Who has the children at the end of `day` (after that day's handover, if any)."""
        index = (day - self.cycle_start).days % CYCLE
        return self.parent_a if self.days[index] == "a" else self.parent_b

    def day(self, day: date) -> CareDay:
        return CareDay(day, self.parent_on(day), self.parent_on(day - timedelta(days=1)))

    def weeks(self, *, first_day: date, count: int = 4) -> list[list[CareDay]]:
        """`count` weeks of days, Monday to Sunday, from the week of `first_day`."""
        monday = first_day - timedelta(days=first_day.weekday())
        return [[self.day(monday + timedelta(days=w * WEEKDAYS + d)) for d in range(WEEKDAYS)]
                for w in range(count)]

    def next_handover(self, now: datetime) -> CareDay | None:
        """The first handover after `now` (a naive or local datetime)."""
        for offset in range(CYCLE + 1):
            care = self.day(now.date() + timedelta(days=offset))
            if care.handover and (offset > 0 or now.time() < self.handover_time):
                return care
        return None

    def describe(self, names: dict[int, str]) -> str:
        """The rotation in plain words, in the active language."""
        values = {
            "a": names.get(self.parent_a, "?"), "b": names.get(self.parent_b, "?"),
            # Django's Dutch weekday names are in lower case, as inside a Dutch sentence.
            "day": str(WEEKDAY_NAMES[self.handover_day]),
            "day2": str(WEEKDAY_NAMES[(self.handover_day + 2) % WEEKDAYS]),
            "time": self.handover_time.strftime("%H:%M"),
        }
        if self.pattern == "week_on_week_off":
            text = _("Week om week: de kinderen zijn de ene week bij %(a)s en de week erna bij %(b)s. "
                     "Ze wisselen elke %(day)s om %(time)s.")
        elif self.pattern == "2-2-3":
            text = _("2-2-3: vanaf %(day)s om %(time)s zijn de kinderen drie dagen bij %(a)s, dan twee "
                     "dagen bij %(b)s en twee bij %(a)s; de week erna precies andersom. Elke wissel is om "
                     "%(time)s.")
        elif self.pattern == "every_other_weekend":
            text = _("Om het weekend: om de week zijn de kinderen van %(day)s %(time)s tot %(day2)s "
                     "%(time)s bij %(b)s, de rest van de tijd bij %(a)s.")
        else:
            text = _("Eigen rooster van twee weken tussen %(a)s en %(b)s: het rooster hieronder laat per dag "
                     "zien bij wie de kinderen zijn. Elke wissel is om %(time)s.")
        return text % values


def parse_schedule(data, *, parent_ids: list[int]) -> Schedule:
    """Validate the structured part of the care section (from a frame or a form)."""
    if not isinstance(data, dict):
        raise Invalid(_("Het rooster klopt niet."))
    pattern = data.get("pattern")
    if pattern == "custom":
        days = str(data.get("days", "")).lower()
        if len(days) != CYCLE or set(days) - {"a", "b"}:
            raise Invalid(_("Kies bij een eigen rooster voor elke dag van de twee weken bij wie de "
                            "kinderen zijn."))
    elif pattern in PATTERNS:
        days = PATTERNS[pattern]
    else:
        raise Invalid(_("Kies een van de roosters."))
    try:
        start = date.fromisoformat(str(data.get("start")))
        handover_day = int(data.get("handover_day", 4))
        handover_time = time.fromisoformat(str(data.get("handover_time", "18:00")))
        parent_a, parent_b = int(data.get("parent_a")), int(data.get("parent_b"))
    except (TypeError, ValueError, OverflowError):
        raise Invalid(_("Het rooster klopt niet: controleer de startdatum, de wisseldag "
                        "en het tijdstip.")) from None
    if not 0 <= handover_day <= 6:
        raise Invalid(_("De wisseldag moet een dag van de week zijn."))
    if parent_a == parent_b or {parent_a, parent_b} - set(parent_ids):
        raise Invalid(_("Kies de twee ouders van dit gezin."))
    schedule = Schedule(pattern, days, start, handover_day, handover_time.replace(second=0, microsecond=0),
                        parent_a, parent_b)
    # Stored from the cycle's first day, so that the JSON reads as the calendar does.
    return Schedule(pattern, days, schedule.cycle_start, handover_day, schedule.handover_time,
                    parent_a, parent_b)


def load_schedule(raw: str) -> Schedule | None:
    if not raw:
        return None
    data = json.loads(raw)
    pattern = data["pattern"]
    # A named pattern's letters come from PATTERNS: older revisions stored them from a Monday.
    days = PATTERNS.get(pattern, data["days"])
    return Schedule(pattern, days, date.fromisoformat(data["start"]), data["handover_day"],
                    time.fromisoformat(data["handover_time"]), data["parent_a"], data["parent_b"])
