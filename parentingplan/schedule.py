"""The care rotation: who has the children which day, from a 14-day pattern.

A pattern is 14 letters, one per day starting on a Monday: "a" for the first parent, "b" for the
second. The cycle is anchored at `start` (a Monday), so week parity is stable over time.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, time, timedelta

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.errors import Invalid

PATTERNS = {
    # week on, week off
    "week_on_week_off": "aaaaaaa" + "bbbbbbb",
    # 2-2-3: Mon-Tue a, Wed-Thu b, Fri-Sun a; the next week mirrored
    "2-2-3": "aabbaaa" + "bbaabbb",
    # every other weekend (Friday to Sunday) with the second parent
    "every_other_weekend": "aaaabbb" + "aaaaaaa",
}
PATTERN_LABELS = {
    "week_on_week_off": gettext_lazy("week om week"),
    "2-2-3": gettext_lazy("2-2-3"),
    "every_other_weekend": gettext_lazy("om het weekend"),
    "custom": gettext_lazy("eigen schema van 14 dagen"),
}
WEEKDAYS = 7


@dataclass(frozen=True)
class Schedule:
    pattern: str
    days: str  # 14 letters
    start: date  # a Monday
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

    def parent_on(self, day: date) -> int:
        index = (day - self.start).days % 14
        return self.parent_a if self.days[index] == "a" else self.parent_b

    def weeks(self, *, first_day: date, count: int = 4) -> list[list[tuple[date, int]]]:
        monday = first_day - timedelta(days=first_day.weekday())
        return [[(monday + timedelta(days=w * 7 + d), self.parent_on(monday + timedelta(days=w * 7 + d)))
                 for d in range(WEEKDAYS)] for w in range(count)]


def parse_schedule(data, *, parent_ids: list[int]) -> Schedule:
    """Validate the structured part of the care section (from a frame or a form)."""
    if not isinstance(data, dict):
        raise Invalid(_("Het rooster klopt niet."))
    pattern = data.get("pattern")
    if pattern == "custom":
        days = str(data.get("days", "")).lower()
        if len(days) != 14 or set(days) - {"a", "b"}:
            raise Invalid(_("Een eigen schema heeft 14 dagen, elk a of b."))
    elif pattern in PATTERNS:
        days = PATTERNS[pattern]
    else:
        raise Invalid(_("Kies een van de roosters."))
    try:
        start = date.fromisoformat(str(data.get("start")))
        handover_day = int(data.get("handover_day", 4))
        handover_time = time.fromisoformat(str(data.get("handover_time", "18:00")))
        parent_a, parent_b = int(data.get("parent_a")), int(data.get("parent_b"))
    except (TypeError, ValueError):
        raise Invalid(_("Het rooster klopt niet: controleer de startdatum, de wisseldag "
                        "en het tijdstip.")) from None
    if not 0 <= handover_day <= 6:
        raise Invalid(_("De wisseldag moet een dag van de week zijn."))
    if parent_a == parent_b or {parent_a, parent_b} - set(parent_ids):
        raise Invalid(_("Kies de twee ouders van dit gezin."))
    start -= timedelta(days=start.weekday())
    return Schedule(pattern, days, start, handover_day, handover_time, parent_a, parent_b)


def load_schedule(raw: str) -> Schedule | None:
    if not raw:
        return None
    data = json.loads(raw)
    return Schedule(data["pattern"], data["days"], date.fromisoformat(data["start"]), data["handover_day"],
                    time.fromisoformat(data["handover_time"]), data["parent_a"], data["parent_b"])
