from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
from django.utils import timezone

from core.errors import Invalid
from parentingplan.models import SectionRevision
from parentingplan.schedule import parse_schedule
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


@pytest.mark.parametrize(
    ("pattern", "days"),
    [
        ("week_on_week_off", "aaaaaaa" + "bbbbbbb"),
        ("2-2-3", "aabbaaa" + "bbaabbb"),
        ("every_other_weekend", "aaaabbb" + "aaaaaaa"),
    ],
)
def test_each_pattern_gives_the_right_parent_on_each_day(pattern, days):
    schedule = parse_schedule(rotation(pattern), parent_ids=[A, B])
    assert fortnight(schedule) == days
    # The cycle repeats every fourteen days, forwards and backwards.
    assert fortnight(schedule, MONDAY + timedelta(days=14 * 9)) == days
    assert fortnight(schedule, MONDAY - timedelta(days=14 * 5)) == days


def test_week_on_week_off_hands_over_on_the_monday_the_weeks_change():
    schedule = parse_schedule(rotation("week_on_week_off"), parent_ids=[A, B])
    assert schedule.parent_on(date(2025, 1, 12)) == A  # Sunday
    assert schedule.parent_on(date(2025, 1, 13)) == B  # Monday of the second week
    assert schedule.parent_on(date(2025, 1, 20)) == A


def test_every_other_weekend_is_friday_to_sunday_with_the_second_parent():
    schedule = parse_schedule(rotation("every_other_weekend"), parent_ids=[A, B])
    assert [schedule.parent_on(date(2025, 1, d)) for d in (9, 10, 11, 12, 13)] == [A, B, B, B, A]
    assert [schedule.parent_on(date(2025, 1, d)) for d in (17, 18, 19)] == [A, A, A]
    assert [schedule.parent_on(date(2025, 1, d)) for d in (24, 25, 26)] == [B, B, B]


def test_a_custom_fourteen_day_schedule_is_followed_letter_by_letter():
    schedule = parse_schedule(rotation("custom", days="ABABABA" + "bbbaaab"), parent_ids=[A, B])
    assert schedule.days == "abababa" + "bbbaaab"
    assert fortnight(schedule) == "abababa" + "bbbaaab"


def test_the_anchor_week_sets_the_parity_of_every_week():
    odd = parse_schedule(rotation("week_on_week_off", start="2025-01-13"), parent_ids=[A, B])
    assert odd.parent_on(date(2025, 1, 6)) == B
    assert odd.parent_on(date(2025, 1, 13)) == A
    assert odd.parent_on(date(2025, 3, 3)) == B  # seven weeks after the anchor
    assert odd.parent_on(date(2025, 3, 10)) == A  # eight weeks after: the anchor's parity


def test_a_start_date_mid_week_is_moved_back_to_its_monday():
    schedule = parse_schedule(rotation("2-2-3", start="2025-01-09"), parent_ids=[A, B])
    assert schedule.start == MONDAY
    assert fortnight(schedule) == "aabbaaa" + "bbaabbb"


def test_the_calendar_shows_four_weeks_from_the_monday_of_the_first_day():
    schedule = parse_schedule(rotation("week_on_week_off"), parent_ids=[A, B])
    weeks = schedule.weeks(first_day=date(2025, 1, 16))  # a Thursday in the second week
    assert len(weeks) == 4 and all(len(week) == 7 for week in weeks)
    assert weeks[0][0][0] == date(2025, 1, 13) and weeks[3][6][0] == date(2025, 2, 9)
    assert [week[0][1] for week in weeks] == [B, A, B, A]


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
    assert "Rooster: week om week. Wisselen op maandag om 17:30." in page
    assert len(re.findall(r'<td class="side-\w( today)? handover">', calendar)) == 4
    hidden_names = re.findall(r'<span class="visually-hidden">[^<]*: ([^<]*)</span>', calendar)
    assert hidden_names[:8] == ["Alice Ouder"] * 7 + ["Bob Ouder"]
