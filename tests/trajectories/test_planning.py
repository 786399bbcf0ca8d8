"""Every type's talks and suggested dates (trajectories.planning), with the school holidays of the
family's region from the holidays library (and an administrator's corrections).

The dates below are the published ones (Regeling vaststelling schoolvakanties 2025-2030): region
middle 2025-2026 has its spring break 14-22 February 2026 and its May break 25 April-3 May 2026;
region north has its spring break 21 February-1 March 2026."""

from __future__ import annotations

from datetime import date, time, timedelta

import pytest
from django.utils import timezone

from trajectories.models import SchoolHoliday
from trajectories.planning import FamilyPeople, calendar_for_type, plan_talks, planned_end
from trajectories.schoolholidays import Calendar, holiday_periods, unknown_school_years
from trajectories.types import TYPES, TalkKind, type_problems

pytestmark = pytest.mark.django_db

ALICE, BOB, COACH, RITA = 1, 2, 9, 5
NOOR, DAAN = 10, 11
PEOPLE = FamilyPeople(parents=[ALICE, BOB], children=[NOOR, DAAN], relatives=[RITA], practitioner=COACH)
MONDAY = date(2026, 2, 2)


def plan(type_key, *, start=MONDAY, region="middle", people=PEOPLE, **options):
    kind = TYPES[type_key]
    chosen = {**kind.default_options(), **options}
    holidays = calendar_for_type(kind, region=region, start=start, options=chosen)
    talks = plan_talks(kind, options=chosen, start=start, at=time(10, 0), people=people, holidays=holidays)
    return talks, planned_end(kind, start=start, options=chosen, holidays=holidays), holidays


def days(talks, element=None, kind=None) -> list[date]:
    return sorted(
        {
            t.starts_at.date()
            for t in talks
            if (element is None or t.element == element) and (kind is None or t.kind == kind)
        }
    )


def in_holidays(talks, holidays: Calendar) -> list:
    return [t for t in talks if holidays.is_holiday(t.starts_at.date())]


@pytest.mark.parametrize("type_key", sorted(TYPES))
def test_every_type_is_well_formed_and_named_in_dutch_and_english(type_key):
    from django.utils import translation

    kind = TYPES[type_key]
    assert type_problems(kind) == []
    with translation.override("nl"):
        dutch = (str(kind.name), str(kind.about))
    with translation.override("en"):
        english = (str(kind.name), str(kind.about))
    assert dutch[1] != english[1], "the description has no English translation"
    assert all(dutch) and all(english)


@pytest.mark.parametrize("type_key", sorted(TYPES))
def test_no_type_suggests_a_talk_in_the_school_holidays_or_at_the_weekend(type_key):
    for start in (MONDAY, date(2026, 6, 24), date(2026, 12, 10)):
        talks, _end, holidays = plan(type_key, start=start)
        assert talks
        assert in_holidays(talks, holidays) == []
        assert all(t.starts_at.weekday() < 5 for t in talks)
        assert all(COACH in t.user_ids for t in talks)


def test_two_talks_on_one_day_follow_each_other_with_half_an_hour_between():
    talks, _end, _holidays = plan("mediation_1", child_talks=4, professionals=2)
    by_day = {}
    for talk in talks:
        by_day.setdefault(talk.starts_at.date(), []).append(talk)
    for day_talks in by_day.values():
        day_talks.sort(key=lambda t: t.starts_at)
        for before, after in zip(day_talks, day_talks[1:], strict=False):
            assert after.starts_at >= before.starts_at + timedelta(minutes=before.minutes + 30)


# -- systemic family mediation: 16 weeks without the school holiday weeks ------------------------------


def test_mediation_phase_1_runs_16_school_weeks_across_the_spring_and_may_breaks():
    talks, end, holidays = plan("mediation_1")

    # 2 February + 18 calendar weeks: the spring break (16 Feb) and May break (27 Apr) weeks do not count.
    assert end == date(2026, 6, 7)
    assert holidays.school_weeks_between(MONDAY, end) == 16
    assert (end - MONDAY).days + 1 == 18 * 7
    assert days(talks, "intake") == [MONDAY]
    assert days(talks, "joint") == [date(2026, 2, 23), date(2026, 3, 16), date(2026, 4, 6), date(2026, 5, 4)]
    assert days(talks, "individual") == [
        date(2026, 3, 2),
        date(2026, 3, 23),
        date(2026, 4, 13),
        date(2026, 5, 11),
    ]
    assert days(talks, "evaluation") == [date(2026, 6, 1)]
    assert in_holidays(talks, holidays) == []


def test_mediation_phase_1_has_an_intake_and_four_individual_talks_per_parent_and_four_joint_talks():
    talks, _end, _holidays = plan("mediation_1")

    def of(kind, who):
        return [t for t in talks if t.kind == kind and set(t.user_ids) == {COACH, *who}]

    assert len(of(TalkKind.INTAKE, [ALICE])) == len(of(TalkKind.INTAKE, [BOB])) == 1
    assert len(of(TalkKind.INDIVIDUAL, [ALICE])) == len(of(TalkKind.INDIVIDUAL, [BOB])) == 4
    assert len(of(TalkKind.JOINT, [ALICE, BOB])) == 4
    assert [t.number for t in of(TalkKind.JOINT, [ALICE, BOB])] == [1, 2, 3, 4]
    assert len(of(TalkKind.EVALUATION, [ALICE, BOB])) == 1
    assert not [t for t in talks if t.kind == TalkKind.CHILD]  # optional, none unless chosen
    assert len(talks) == 2 + 8 + 4 + 1


@pytest.mark.parametrize("type_key", ["mediation_1", "mediation_2"])
def test_mediation_optional_child_talks_and_professional_meetings_are_planned_when_chosen(type_key):
    assert not [t for t in plan(type_key)[0] if t.optional]
    talks, _end, _holidays = plan(type_key, child_talks=2, professionals=1)
    child = [t for t in talks if t.kind == TalkKind.CHILD]
    assert sorted(t.child_ids[0] for t in child) == [NOOR, NOOR, DAAN, DAAN]
    assert all(t.user_ids == [COACH] and t.optional for t in child)
    professionals = [t for t in talks if t.kind == TalkKind.PROFESSIONALS]
    assert (
        len(professionals) == 1 and professionals[0].user_ids == [COACH] and professionals[0].child_ids == []
    )


@pytest.mark.parametrize("type_key", ["mediation_1", "mediation_2", "parallel_1", "parallel_2"])
def test_seed_002s_types_offer_the_parenting_plan_and_up_to_two_meetings_with_the_social_team(type_key):
    kind = TYPES[type_key]
    plan_element = next(e for e in kind.elements if e.key == "plan")
    assert plan_element.optional and plan_element.link == "plan"
    professionals = next(o for o in kind.options if o.key == "professionals")
    assert (professionals.minimum, professionals.maximum, professionals.default) == (0, 2, 0)
    talks, _end, _holidays = plan(type_key, professionals=2)
    assert len([t for t in talks if t.kind == TalkKind.PROFESSIONALS]) == 2


def test_the_region_decides_which_week_is_a_holiday_week():
    middle, _e, _h = plan("mediation_1", region="middle")
    north, _e, _h = plan("mediation_1", region="north")
    # North's spring break is a week later (21 February-1 March).
    assert days(middle, "joint")[0] == date(2026, 2, 23)
    assert days(north, "joint")[0] == date(2026, 2, 16)


def test_mediation_phase_2_may_add_a_family_talk_with_everyone():
    talks, end, _holidays = plan("mediation_2", family_talk=True)
    family = [t for t in talks if t.kind == TalkKind.FAMILY]
    assert len(family) == 1
    assert set(family[0].user_ids) == {COACH, ALICE, BOB} and set(family[0].child_ids) == {NOOR, DAAN}
    assert end == date(2026, 6, 7)
    assert [t for t in plan("mediation_2")[0] if t.kind == TalkKind.FAMILY] == []


# -- parallel parenting ------------------------------------------------------------------------------


def test_parallel_parenting_phase_1_has_five_joint_talks_in_16_school_weeks():
    talks, end, holidays = plan("parallel_1")
    assert len([t for t in talks if t.kind == TalkKind.JOINT]) == 5
    assert len([t for t in talks if t.kind == TalkKind.INTAKE]) == 2
    assert holidays.school_weeks_between(MONDAY, end) == 16
    assert [t for t in talks if t.kind == TalkKind.INDIVIDUAL] == []
    support = [t for t in plan("parallel_1", individual_support=2)[0] if t.kind == TalkKind.INDIVIDUAL]
    assert len(support) == 4  # two per parent


def test_parallel_parenting_phase_2_lasts_a_year_with_three_or_four_guided_talks():
    start = date(2026, 9, 15)
    talks, end, _holidays = plan("parallel_2", start=start, guided_talks=3)
    assert end == date(2027, 9, 15)
    assert days(talks, "joint") == [date(2026, 12, 15), date(2027, 3, 15), date(2027, 6, 15)]
    assert len(days(plan("parallel_2", start=start, guided_talks=4)[0], "joint")) == 4
    assert days(talks, "evaluation") == [date(2027, 9, 15)]


# -- PAT: nine months, an evaluation every three months -------------------------------------------------


def test_pat_has_a_progress_evaluation_every_three_months():
    start = date(2026, 9, 15)  # a Tuesday; none of the three evaluation days is in a holiday
    talks, end, _holidays = plan("pat", start=start)
    evaluations = [t for t in talks if t.kind == TalkKind.EVALUATION]
    assert [t.starts_at.date() for t in evaluations] == [
        date(2026, 12, 15),
        date(2027, 3, 15),
        date(2027, 6, 15),
    ]
    assert all(set(t.user_ids) == {COACH, ALICE, BOB} for t in evaluations)
    assert [t.label for t in evaluations] == ["Voortgangsevaluatie", "Voortgangsevaluatie", "Slotevaluatie"]
    assert end == date(2027, 6, 15)
    assert [t.starts_at.date() for t in talks if t.kind == TalkKind.INTAKE] == [start, start]


def test_a_pat_evaluation_that_falls_in_the_summer_holidays_moves_to_the_week_after():
    talks, _end, _holidays = plan("pat")  # 2 February: six months on is 2 August, in middle's summer break
    assert [t.starts_at.date() for t in talks if t.kind == TalkKind.EVALUATION] == [
        date(2026, 5, 4),
        date(2026, 8, 31),
        date(2026, 11, 2),
    ]


def test_pat_guidance_is_with_each_parent_apart_together_or_none():
    apart, _e, _h = plan("pat")
    assert {t.kind for t in apart if t.element.startswith("guidance")} == {TalkKind.INDIVIDUAL}
    assert len([t for t in apart if t.element.startswith("guidance")]) == 12
    together, _e, _h = plan("pat", guidance="together")
    guidance = [t for t in together if t.element.startswith("guidance")]
    assert len(guidance) == 6 and all(set(t.user_ids) == {COACH, ALICE, BOB} for t in guidance)
    assert [t for t in plan("pat", guidance="none")[0] if t.element.startswith("guidance")] == []


# -- KIES ------------------------------------------------------------------------------------------


def test_kies_has_the_intake_with_the_parents_before_four_one_hour_sessions_then_the_evaluation():
    talks, _end, _holidays = plan("kies")
    intake = [t for t in talks if t.kind == TalkKind.INTAKE]
    sessions = [t for t in talks if t.kind == TalkKind.CHILD]
    evaluation = [t for t in talks if t.kind == TalkKind.EVALUATION]
    assert len(intake) == 1 and set(intake[0].user_ids) == {COACH, ALICE, BOB}
    assert len(sessions) == 4 and all(t.minutes == 60 for t in sessions)
    assert all(t.user_ids == [COACH] and set(t.child_ids) == {NOOR, DAAN} for t in sessions)
    assert intake[0].starts_at < min(t.starts_at for t in sessions)
    assert len(evaluation) == 1 and evaluation[0].starts_at > max(t.starts_at for t in sessions)
    assert set(evaluation[0].user_ids) == {COACH, ALICE, BOB} and evaluation[0].child_ids == []
    # The written consent of both parents is its own phase, between the intake and the sessions.
    phases = [p.key for p in TYPES["kies"].phases]
    assert (
        phases.index("intake")
        < phases.index("consent")
        < phases.index("sessions")
        < phases.index("evaluation")
    )
    # Weekly sessions skip the spring break (16 February) instead of piling up after it.
    assert days(talks, kind=TalkKind.CHILD) == [
        date(2026, 2, 23),
        date(2026, 3, 2),
        date(2026, 3, 9),
        date(2026, 3, 16),
    ]


def test_kies_sessions_with_each_child_apart_are_four_per_child():
    talks, _end, _holidays = plan("kies", format="individual")
    sessions = [t for t in talks if t.kind == TalkKind.CHILD]
    assert sorted(t.child_ids[0] for t in sessions) == [NOOR] * 4 + [DAAN] * 4


# -- the Kindbehartiger ---------------------------------------------------------------------------


def test_the_kindbehartiger_plans_talks_with_parents_and_children_then_a_trial_period_and_evaluation():
    talks, end, holidays = plan("kindbehartiger", trial_weeks=6)
    intake = [t for t in talks if t.kind == TalkKind.INTAKE]
    assert len(intake) == 1 and set(intake[0].user_ids) == {COACH, ALICE, BOB}
    parents = [t for t in talks if t.kind == TalkKind.INDIVIDUAL]
    assert sorted(set(t.user_ids) - {COACH} for t in parents) == sorted([{ALICE}, {BOB}], key=sorted)
    child = [t for t in talks if t.kind == TalkKind.CHILD]
    assert sorted(t.child_ids[0] for t in child) == [NOOR, NOOR, DAAN, DAAN]
    final = [t for t in talks if t.kind == TalkKind.FINAL]
    assert len(final) == 1 and set(final[0].child_ids) == {NOOR, DAAN}
    evaluation = [t for t in talks if t.kind == TalkKind.EVALUATION][0]
    # The trial period: six school weeks after the final talk's week.
    assert holidays.school_weeks_between(final[0].starts_at.date(), evaluation.starts_at.date()) == 7
    assert evaluation.starts_at.date() <= end
    separately = [t for t in plan("kindbehartiger", intake="apart")[0] if t.kind == TalkKind.INTAKE]
    assert len(separately) == 2


def test_a_family_with_one_parent_so_far_gets_that_parents_talks_only():
    one = FamilyPeople(parents=[ALICE], children=[NOOR], relatives=[], practitioner=COACH)
    talks, _end, _holidays = plan("mediation_1", people=one)
    assert all(BOB not in t.user_ids for t in talks)
    assert len([t for t in talks if t.kind == TalkKind.INDIVIDUAL]) == 4


# -- the school holidays themselves ------------------------------------------------------------------


def test_the_library_gives_the_published_dates_for_2025_2026_and_2026_2027():
    def period(region, first, last, name):
        found = [p for p in holiday_periods(region=region, first=first, last=last) if p.name == name]
        assert len(found) == 1, (region, name, found)
        return found[0].first_day, found[0].last_day

    assert period("middle", date(2025, 8, 1), date(2026, 7, 31), "Kerstvakantie") == (
        date(2025, 12, 20),
        date(2026, 1, 4),
    )
    assert period("south", date(2025, 8, 1), date(2025, 12, 1), "Herfstvakantie") == (
        date(2025, 10, 11),
        date(2025, 10, 19),
    )
    assert period("north", date(2026, 1, 1), date(2026, 9, 1), "Zomervakantie") == (
        date(2026, 7, 4),
        date(2026, 8, 16),
    )
    assert period("middle", date(2027, 1, 5), date(2027, 6, 1), "Voorjaarsvakantie") == (
        date(2027, 2, 20),
        date(2027, 2, 28),
    )


def test_an_administrators_dates_replace_the_librarys_for_that_school_year_and_region():
    SchoolHoliday.objects.create(
        region="middle",
        name="Voorjaarsvakantie",
        first_day=date(2026, 1, 31),
        last_day=date(2026, 2, 8),
        source="test",
    )
    talks, _end, holidays = plan("mediation_1")
    # Only the entered week is a holiday now in middle 2025-2026: the intake moves a week on, and
    # the library's spring break (16 February) counts again.
    assert days(talks, "intake") == [date(2026, 2, 9)]
    assert not holidays.is_holiday(date(2026, 2, 17))
    assert SchoolHoliday.objects.get().school_year == 2025
    # Another region keeps the library's dates.
    assert days(plan("mediation_1", region="north")[0], "intake") == [MONDAY]


def test_a_school_year_nobody_has_dates_for_is_reported_until_an_administrator_enters_it():
    assert unknown_school_years(region="south", first=date(2031, 9, 1), last=date(2032, 1, 1)) == [2031]
    assert unknown_school_years(region="south", first=date(2026, 9, 1), last=date(2027, 1, 1)) == []
    SchoolHoliday.objects.create(
        region="south", name="Kerstvakantie", first_day=date(2031, 12, 20), last_day=date(2032, 1, 4)
    )
    assert unknown_school_years(region="south", first=date(2031, 9, 1), last=date(2032, 1, 1)) == []


def test_a_talk_at_ten_in_summer_time_and_in_winter_time_is_at_ten_dutch_time():
    talks, _end, _holidays = plan("pat", start=date(2026, 9, 15))
    local = {
        timezone.localtime(t.starts_at).strftime("%H:%M") for t in talks if t.kind == TalkKind.EVALUATION
    }
    assert local == {"10:00"}


def test_the_school_holidays_command_prints_what_is_in_force_and_where_it_comes_from():
    import io

    from django.core.management import call_command

    SchoolHoliday.objects.create(
        region="south",
        name="Herfstvakantie",
        first_day=date(2031, 10, 18),
        last_day=date(2031, 10, 26),
        source="rijksoverheid.nl",
    )
    out = io.StringIO()
    call_command("school_holidays", "2026", stdout=out)
    text = out.getvalue()
    assert "2026-12-19 – 2027-01-03  Kerstvakantie" in text
    assert text.count("Zomervakantie") == 3
    out = io.StringIO()
    call_command("school_holidays", "2031", stdout=out)
    text = out.getvalue()
    assert "2031-10-18 – 2031-10-26  Herfstvakantie  [rijksoverheid.nl]" in text
    assert text.count("unknown: enter this school year") == 2  # north and middle
