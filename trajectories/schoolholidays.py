"""Dutch school holidays per region, and weeks counted without them.

The 16-week phases of the seeds run "exclusief schoolvakantieweken": a week of the school
holidays of the family's region (north, middle, south) does not count, and no talk is suggested
in one.

Where the dates come from:
1. the `holidays` library (vacanza/holidays, MIT, kept up to date with releases several times a
   month), which has the Dutch SCHOOL holidays per region since version 0.109, for 2014 to 2030,
   from the Ministry of Education's "Regeling vaststelling schoolvakanties" (Staatscourant; for
   2025-2030: stcrt-2024-19237) and rijksoverheid.nl/themas/onderwijs/schoolvakanties. The autumn
   and spring breaks there are the ministry's advice, which schools may depart from;
2. SchoolHoliday rows an administrator enters in the admin (Beheer > Schoolvakanties): when a
   region has rows for a school year (1 August to 31 July), those rows are that school year's
   holidays in that region and the library's dates for it are not used. So a year after 2030, a
   correction, or the dates a region's schools actually keep can be added without a release.

`manage.py school_holidays` prints what is in force (docs/OPERATIONS.md).

What this does not know: a single school's own days off, public holidays outside the school
holidays, and anything about a child's actual school.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache

from django.utils.translation import gettext_lazy as _

# The library's region names (its "subdivisions") for ours.
LIBRARY_REGION = {"north": "Noord", "middle": "Midden", "south": "Zuid"}
LIBRARY_YEARS = (2014, 2030)  # calendar years the library has school holidays for
LIBRARY_SOURCE = "holidays (Regeling vaststelling schoolvakanties, rijksoverheid.nl)"

# The library's Dutch names, translated the project's way.
NAMES = {
    "Herfstvakantie": _("Herfstvakantie"),
    "Kerstvakantie": _("Kerstvakantie"),
    "Voorjaarsvakantie": _("Voorjaarsvakantie"),
    "Meivakantie": _("Meivakantie"),
    "Zomervakantie": _("Zomervakantie"),
}

# A week counts as a school holiday week when at least this many of its five school days are in
# the holidays: a week of the ministry's breaks (Saturday to Sunday) is one such week whichever
# weekday the trajectory's weeks start on.
HOLIDAY_WEEK_MIN_DAYS = 3


@dataclass(frozen=True)
class HolidayPeriod:
    first_day: date
    last_day: date
    name: str
    source: str

    @property
    def label(self) -> str:
        return str(NAMES.get(self.name, self.name))

    def __contains__(self, day: date) -> bool:
        return self.first_day <= day <= self.last_day


def school_year_of(day: date) -> int:
    """The calendar year a school year starts in (1 August): 2025 for 2025-2026."""
    return day.year if day >= date(day.year, 8, 1) else day.year - 1


@lru_cache(maxsize=64)
def _library_periods(region: str, school_year: int) -> tuple[HolidayPeriod, ...]:
    import holidays

    first, last = date(school_year, 8, 1), date(school_year + 1, 7, 31)
    if not (LIBRARY_YEARS[0] <= school_year and school_year + 1 <= LIBRARY_YEARS[1]):
        return ()
    days = holidays.country_holidays(
        "NL",
        subdiv=LIBRARY_REGION[region],
        categories=("school",),
        years=(school_year, school_year + 1),
        language="nl",
    )
    periods: list[list] = []
    for day in sorted(days):
        name = days[day]
        if periods and day - periods[-1][1] == timedelta(days=1) and periods[-1][2] == name:
            periods[-1][1] = day
        else:
            periods.append([day, day, name])
    return tuple(HolidayPeriod(a, b, name, LIBRARY_SOURCE) for a, b, name in periods if first <= a <= last)


def library_has(school_year: int) -> bool:
    return LIBRARY_YEARS[0] <= school_year and school_year + 1 <= LIBRARY_YEARS[1]


def holiday_periods(*, region: str, first: date, last: date) -> list[HolidayPeriod]:
    """The school holiday periods of `region` that overlap first..last, in order."""
    from trajectories.models import SchoolHoliday

    years = range(school_year_of(first), school_year_of(last) + 1)
    entered: dict[int, list[HolidayPeriod]] = {}
    for row in SchoolHoliday.objects.filter(region=region, school_year__in=list(years)).order_by("first_day"):
        entered.setdefault(row.school_year, []).append(
            HolidayPeriod(row.first_day, row.last_day, row.name, row.source or "beheer")
        )
    periods = []
    for year in years:
        periods.extend(entered[year] if year in entered else _library_periods(region, year))
    return sorted(
        (p for p in periods if p.last_day >= first and p.first_day <= last), key=lambda p: p.first_day
    )


def unknown_school_years(*, region: str, first: date, last: date) -> list[int]:
    """School years in first..last for which no holidays are known (neither the library nor the admin)."""
    from trajectories.models import SchoolHoliday

    years = set(range(school_year_of(first), school_year_of(last) + 1))
    entered = set(
        SchoolHoliday.objects.filter(region=region, school_year__in=years).values_list(
            "school_year", flat=True
        )
    )
    return sorted(y for y in years if y not in entered and not library_has(y))


class Calendar:
    """The school holidays of one region over a stretch of time, for counting weeks and moving
    suggested dates out of the holidays. One query (the admin's rows) per Calendar."""

    def __init__(self, *, region: str, first: date, last: date):
        self.region = region
        self.periods = holiday_periods(region=region, first=first, last=last)
        self._days = {
            p.first_day + timedelta(days=i)
            for p in self.periods
            for i in range((p.last_day - p.first_day).days + 1)
        }

    def is_holiday(self, day: date) -> bool:
        return day in self._days

    def period_of(self, day: date) -> HolidayPeriod | None:
        return next((p for p in self.periods if day in p), None)

    def is_holiday_week(self, week_start: date) -> bool:
        school_days = [week_start + timedelta(days=i) for i in range(7)]
        school_days = [d for d in school_days if d.weekday() < 5]
        return sum(1 for d in school_days if d in self._days) >= HOLIDAY_WEEK_MIN_DAYS

    def school_weeks(self, start: date, count: int) -> list[date]:
        """The first days of the first `count` weeks from `start` (weeks of 7 days beginning on
        `start`'s weekday) that are not school holiday weeks."""
        weeks, week = [], start
        while len(weeks) < count:
            if not self.is_holiday_week(week):
                weeks.append(week)
            week += timedelta(days=7)
        return weeks

    def school_weeks_between(self, start: date, end: date) -> int:
        """How many weeks from `start` up to and including the week `end` falls in are school weeks."""
        count, week = 0, start
        while week <= end:
            if not self.is_holiday_week(week):
                count += 1
            week += timedelta(days=7)
        return count

    def out_of_holidays(self, day: date) -> date:
        """`day`, or the same weekday of the first week after the school holiday it falls in."""
        while day in self._days:
            day += timedelta(days=7)
        return day


def calendar_for(*, region: str, start: date, weeks_ahead: int) -> Calendar:
    """A Calendar from `start` far enough ahead for `weeks_ahead` school weeks (with room for
    every holiday in between: at most about 13 weeks a year)."""
    return Calendar(
        region=region, first=start, last=start + timedelta(weeks=weeks_ahead + weeks_ahead // 2 + 14)
    )
