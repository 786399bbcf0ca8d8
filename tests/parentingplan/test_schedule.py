from __future__ import annotations

import json
import re
from datetime import date, datetime, timedelta

import pytest
from django.utils import timezone, translation

from core.errors import Invalid
from parentingplan.models import SectionRevision
from parentingplan.schedule import load_schedule, parse_schedule
from tests.parentingplan.conftest import save, section_of

pytestmark = pytest.mark.django_db

MONDAY = date(2025, 1, 6)
A, B = 1, 2


def rotation(pattern: str, **extra) -> dict:
    return {
        "pattern": pattern,
        "start": MONDAY.isoformat(),
        "handover_day": 4,
        "handover_time": "18:00",
        "parent_a": A,
        "parent_b": B,
        **extra,
    }


def fortnight(schedule, first: date = MONDAY) -> str:
    """Who has the children on each of 14 days from `first`, as letters."""
    return "".join("a" if schedule.parent_on(first + timedelta(days=d)) == A else "b" for d in range(14))


FRIDAY = date(2025, 1, 10)


@pytest.mark.parametrize(
    ("pattern", "days"),
    [
        ("week_on_week_off", "aaaaaaa" + "bbbbbbb"),
        ("2-2-3", "aaabbaa" + "bbbaabb"),
        ("every_other_weekend", "bb" + "aaaaaaaaaaaa"),
    ],
)
def test_each_pattern_runs_from_the_first_handover_day(pattern, days):
    schedule = parse_schedule(rotation(pattern), parent_ids=[A, B])  # starts Monday, hands over Friday
    assert schedule.cycle_start == FRIDAY
    assert fortnight(schedule, FRIDAY) == days
    # The cycle repeats every fourteen days, forwards and backwards.
    assert fortnight(schedule, FRIDAY + timedelta(days=14 * 9)) == days
    assert fortnight(schedule, FRIDAY - timedelta(days=14 * 5)) == days


def test_week_on_week_off_switches_on_the_chosen_handover_day_not_on_monday():
    schedule = parse_schedule(rotation("week_on_week_off"), parent_ids=[A, B])
    assert schedule.parent_on(date(2025, 1, 13)) == A  # Monday: still the first parent's week
    assert schedule.parent_on(date(2025, 1, 16)) == A  # Thursday
    friday = schedule.day(date(2025, 1, 17))  # the next Friday: the children go to B at 18:00
    assert (friday.before, friday.parent, friday.handover) == (A, B, True)
    assert not schedule.day(date(2025, 1, 18)).handover
    assert schedule.day(date(2025, 1, 24)) == (date(2025, 1, 24), A, B)


def test_week_on_week_off_with_a_monday_handover_runs_monday_to_monday():
    schedule = parse_schedule(rotation("week_on_week_off", handover_day=0), parent_ids=[A, B])
    assert fortnight(schedule) == "aaaaaaa" + "bbbbbbb"
    assert [schedule.day(date(2025, 1, d)).handover for d in (6, 12, 13, 14)] == [True, False, True, False]


def test_every_other_weekend_is_friday_to_sunday_at_the_handover_time_with_the_second_parent():
    schedule = parse_schedule(rotation("every_other_weekend"), parent_ids=[A, B])
    days = [schedule.day(date(2025, 1, d)) for d in (9, 10, 11, 12, 13)]
    assert [d.parent for d in days] == [A, B, B, A, A]
    assert [d.handover for d in days] == [False, True, False, True, False]  # Friday out, Sunday back
    assert [schedule.parent_on(date(2025, 1, d)) for d in (17, 18, 19)] == [A, A, A]
    assert [schedule.parent_on(date(2025, 1, d)) for d in (24, 25, 26)] == [B, B, A]


def test_two_two_three_with_a_friday_handover_is_the_usual_weekend_and_weekday_blocks():
    schedule = parse_schedule(rotation("2-2-3"), parent_ids=[A, B])
    # Mon-Tue, Wed-Thu, Fri-Sun; the week after the other way round.
    assert fortnight(schedule, date(2025, 1, 13)) == "bbaabbb" + "aabbaaa"


def test_a_custom_rotation_is_followed_day_by_day_from_monday():
    schedule = parse_schedule(rotation("custom", days="ABABABA" + "bbbaaab"), parent_ids=[A, B])
    assert schedule.days == "abababa" + "bbbaaab" and schedule.cycle_start == MONDAY
    assert fortnight(schedule) == "abababa" + "bbbaaab"
    # The handover day plays no part in a custom rotation: every change is a handover.
    assert [schedule.day(MONDAY + timedelta(days=d)).handover for d in range(3)] == [True, True, True]


def test_the_start_date_sets_which_week_is_whose():
    odd = parse_schedule(rotation("week_on_week_off", start="2025-01-13"), parent_ids=[A, B])
    assert odd.cycle_start == date(2025, 1, 17)
    assert odd.parent_on(date(2025, 1, 10)) == B
    assert odd.parent_on(date(2025, 1, 17)) == A
    assert odd.parent_on(date(2025, 3, 7)) == B  # seven weeks after the first handover
    assert odd.parent_on(date(2025, 3, 14)) == A  # eight weeks after: the first handover's parity


def test_the_rotation_is_stored_from_its_first_handover():
    schedule = parse_schedule(rotation("2-2-3", start="2025-01-11"), parent_ids=[A, B])  # a Saturday
    assert schedule.start == date(2025, 1, 17)  # the first Friday on or after it
    assert schedule.as_dict()["start"] == "2025-01-17" and schedule.as_dict()["days"] == "aaabbaa" + "bbbaabb"


def test_an_older_revision_stored_from_a_monday_is_read_with_its_handover_day():
    """Before the rotation followed the handover day, the named patterns were stored as letters
    from a Monday; the calendar now reads them by their pattern and handover day."""
    stored = json.dumps({"pattern": "week_on_week_off", "days": "aaaaaaabbbbbbb", "start": "2025-01-06",
                         "handover_day": 4, "handover_time": "18:00", "parent_a": A, "parent_b": B})
    schedule = load_schedule(stored)
    assert schedule.cycle_start == FRIDAY
    assert schedule.day(FRIDAY) == (FRIDAY, A, B)
    assert schedule.day(date(2025, 1, 17)) == (date(2025, 1, 17), B, A)
    old_every_other = json.dumps({**json.loads(stored), "pattern": "every_other_weekend",
                                  "days": "aaaabbbaaaaaaa"})
    assert fortnight(load_schedule(old_every_other), FRIDAY) == "bb" + "a" * 12


def test_the_next_handover_is_the_first_one_after_now():
    schedule = parse_schedule(rotation("week_on_week_off"), parent_ids=[A, B])
    assert schedule.next_handover(datetime(2025, 1, 10, 17, 59)).date == FRIDAY
    after = schedule.next_handover(datetime(2025, 1, 10, 18, 0))
    assert (after.date, after.before, after.parent) == (date(2025, 1, 17), A, B)


@pytest.mark.parametrize(
    ("pattern", "language", "expected"),
    [
        ("week_on_week_off", "nl", "Week om week: de kinderen zijn de ene week bij Alice en de week erna bij "
                                   "Bob. Ze wisselen elke vrijdag om 18:00."),
        ("week_on_week_off", "en", "Week on, week off: the children spend one week with Alice and the next "
                                   "with Bob. They change over every Friday at 18:00."),
        ("every_other_weekend", "nl", "Om het weekend: om de week zijn de kinderen van vrijdag 18:00 tot "
                                      "zondag 18:00 bij Bob, de rest van de tijd bij Alice."),
        ("2-2-3", "nl", "2-2-3: vanaf vrijdag om 18:00 zijn de kinderen drie dagen bij Alice, dan twee dagen "
                        "bij Bob en twee bij Alice; de week erna precies andersom. Elke wissel is om 18:00."),
    ],
)
def test_each_rotation_is_described_in_plain_words(pattern, language, expected):
    schedule = parse_schedule(rotation(pattern), parent_ids=[A, B])
    with translation.override(language):
        assert schedule.describe({A: "Alice", B: "Bob"}) == expected


def test_the_calendar_shows_four_weeks_from_the_monday_of_the_first_day():
    schedule = parse_schedule(rotation("week_on_week_off"), parent_ids=[A, B])
    weeks = schedule.weeks(first_day=date(2025, 1, 16))  # a Thursday
    assert len(weeks) == 4 and all(len(week) == 7 for week in weeks)
    assert weeks[0][0][0] == date(2025, 1, 13) and weeks[3][6][0] == date(2025, 2, 9)
    assert [week[0][1] for week in weeks] == [A, B, A, B]  # Mondays: inside each Friday-to-Friday week
    assert [week[4].handover for week in weeks] == [True] * 4 and not any(week[0].handover for week in weeks)


@pytest.mark.parametrize(
    "broken",
    [
        "not a dict",
        rotation("three_weeks_with_grandma"),
        rotation("custom", days="aabb"),
        rotation("custom", days="aaaaaaabbbbbbc"),
        rotation("week_on_week_off", start="next monday"),
        rotation("week_on_week_off", start=None),
        rotation("week_on_week_off", handover_day=7),
        rotation("week_on_week_off", handover_day="friday"),
        rotation("week_on_week_off", handover_time="25:00"),
        rotation("week_on_week_off", parent_b=A),
        rotation("week_on_week_off", parent_b=999),
        rotation("week_on_week_off", parent_a=None),
    ],
)
def test_an_impossible_schedule_is_refused_as_invalid(broken):
    with pytest.raises(Invalid) as refused:
        parse_schedule(broken, parent_ids=[A, B])
    assert refused.value.code == "invalid"


def test_a_care_section_with_an_impossible_schedule_stores_nothing(plan, alice, charlie):
    care = section_of(plan, "care")
    with pytest.raises(Invalid) as refused:
        save(
            alice,
            care,
            "<p>Week om week.</p>",
            base=0,
            schedule={**rotation("week_on_week_off"), "parent_a": alice.pk, "parent_b": charlie.pk},
        )
    assert refused.value.code == "invalid"
    assert not SectionRevision.objects.filter(section=care).exists()


def test_the_plan_page_shows_the_rotation_as_a_four_week_calendar(plan, alice, bob, client_for):
    this_monday = timezone.localdate() - timedelta(days=timezone.localdate().weekday())
    care = section_of(plan, "care")
    save(
        alice,
        care,
        "<p>Week om week.</p>",
        base=0,
        schedule={
            "pattern": "week_on_week_off",
            "start": this_monday.isoformat(),
            "handover_day": 0,
            "handover_time": "17:30",
            "parent_a": alice.pk,
            "parent_b": bob.pk,
        },
    )
    page = client_for(bob).get(f"/gezin/{plan.family_id}/plan/").content.decode()
    calendar = page.split('<table class="cal">', 1)[1].split("</table>", 1)[0]
    rows = re.findall(r"<tr>(.*?)</tr>", calendar, re.S)[1:]
    sides = [re.findall(r'<td class="side-(a|b)', row) for row in rows]
    assert sides == [["a"] * 7, ["b"] * 7, ["a"] * 7, ["b"] * 7]
    assert ("Week om week: de kinderen zijn de ene week bij Alice Ouder en de week erna bij Bob Ouder. "
            "Ze wisselen elke maandag om 17:30.") in page
    assert len(re.findall(r'<td class="side-\w( today)? handover from-\w">', calendar)) == 4
    hidden = re.findall(r'<span class="visually-hidden">[^<]*: ([^<]*)</span>', calendar)
    assert hidden[:8] == ["bij Bob Ouder tot 17:30, daarna bij Alice Ouder"] + ["bij Alice Ouder"] * 6 + [
        "bij Alice Ouder tot 17:30, daarna bij Bob Ouder"]
    assert '<span class="side-a">A = Alice Ouder</span> <span class="side-b">B = Bob Ouder</span>' in page
    assert "Ouder a" not in page and "Ouder b" not in page and "letters" not in page


def test_the_calendar_switches_on_a_friday_handover_and_names_the_next_one(plan, alice, bob, client_for):
    """The issue: "Wisselen op vrijdag om 18:00" while the blocks switched on Monday."""
    today = timezone.localdate()
    this_monday = today - timedelta(days=today.weekday())
    save(alice, section_of(plan, "care"), "<p>Week om week.</p>", base=0, schedule={
        "pattern": "week_on_week_off", "start": this_monday.isoformat(), "handover_day": 4,
        "handover_time": "18:00", "parent_a": alice.pk, "parent_b": bob.pk})
    page = client_for(alice).get(f"/gezin/{plan.family_id}/plan/").content.decode()
    calendar = page.split('<table class="cal">', 1)[1].split("</table>", 1)[0]
    rows = re.findall(r"<tr>(.*?)</tr>", calendar, re.S)[1:]
    cells = [re.findall(r'<td class="side-(a|b)[^"]*?( handover from-(?:a|b))?"', row) for row in rows]
    # The first handover is this Friday, to A: until then the children are with B (the cycle runs
    # backwards too); from then on they change over every Friday.
    assert [[side for side, _h in week] for week in cells] == [
        ["b"] * 4 + ["a"] * 3, ["a"] * 4 + ["b"] * 3, ["b"] * 4 + ["a"] * 3, ["a"] * 4 + ["b"] * 3]
    assert all(week[4][1] and not any(h for _s, h in week[:4] + week[5:]) for week in cells)
    assert "Ze wisselen elke vrijdag om 18:00." in page
    assert "Volgende wissel: vrijdag" in page
