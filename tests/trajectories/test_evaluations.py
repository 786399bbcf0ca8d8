"""Evaluations (issue 12, item 3): due per trajectory type, each parent's private input before one,
the practitioner's form (plan progress, goals, contact mode history, both parents' input), the
recorded outcome with its next date, and the overdue ones on the practitioner's home."""

from __future__ import annotations

from datetime import datetime, time, timedelta

import pytest
from django.db import connection, transaction
from django.db.utils import DatabaseError
from django.urls import reverse
from django.utils import timezone

from audit import actions
from audit.models import AuditEntry
from core.errors import Invalid, NotFound, PermissionDenied
from families.models import Membership
from tests.trajectories.conftest import next_monday, start, talks_of
from trajectories import evaluations, goals, services
from trajectories.evaluations import GoalChange
from trajectories.models import EvaluationInput, EvaluationOutcome, GoalUpdate, Talk
from trajectories.planning import add_months
from trajectories.types import TYPES, TalkKind

SECRET = "Bob haalt de kinderen steeds te laat op; ik wil dat bespreken."


def _ago(days: int):
    return timezone.localdate() - timedelta(days=days)


def _evaluations(trajectory):
    return talks_of(trajectory, kind=TalkKind.EVALUATION)


def _input(user, family, talk, body=SECRET):
    return evaluations.evaluation_input_add(actor=user, family_id=family.pk, talk_id=talk.pk, body=body)


def _record(user, family, talk, text="Het gaat beter met de overdracht.", **kwargs):
    return evaluations.evaluation_record(actor=user, family_id=family.pk, talk_id=talk.pk, text=text,
                                         **kwargs)


def _coming(trajectory):
    """The evaluation a parent gives input for now: the next one whose day has not passed."""
    entries = evaluations.schedule(trajectory=trajectory)
    return evaluations.next_evaluation(entries, from_day=timezone.localdate())


def _page(client, family):
    return client.get(reverse("trajectories:family", args=[family.pk])).content.decode()


@pytest.fixture
def pat(people, family):
    """A PAT trajectory that began four months ago: its first evaluation (month 3) is past."""
    return start(people["carol"], family, "pat", started_on=add_months(_ago(0), -4))


# -- the schedule per type -----------------------------------------------------------------------------


def test_pat_evaluates_every_three_months_and_the_last_closes_it(people, family):
    started_on = next_monday()
    trajectory = start(people["carol"], family, "pat", started_on=started_on)
    entries = evaluations.schedule(trajectory=trajectory)
    assert len(entries) == 3
    days = [started_on] + [e.due_on for e in entries]
    gaps = [(later - earlier).days for earlier, later in zip(days, days[1:], strict=False)]
    assert all(80 <= gap <= 105 for gap in gaps), gaps  # three months, moved out of a school holiday
    last_talk = max(t.starts_at for t in talks_of(trajectory))
    assert entries[-1].talk.starts_at == last_talk
    titles = ["Voortgangsevaluatie 1", "Voortgangsevaluatie 2", "Slotevaluatie"]
    assert [e.talk.title for e in entries] == titles
    assert all(e.state == "coming" for e in entries)


def test_the_kindbehartiger_evaluates_after_the_trial_period(people, family):
    short = start(people["carol"], family, "kindbehartiger", options={"trial_weeks": 4})
    final = talks_of(short, kind=TalkKind.FINAL)[0]
    [evaluation] = evaluations.schedule(trajectory=short)
    assert (evaluation.due_on - timezone.localdate(final.starts_at)).days >= 4 * 7
    services.trajectory_end(actor=people["carol"], family_id=family.pk, trajectory_id=short.pk,
                            outcome="stopped", reason="test")
    long = start(people["carol"], family, "kindbehartiger", options={"trial_weeks": 12})
    [later] = evaluations.schedule(trajectory=long)
    final = talks_of(long, kind=TalkKind.FINAL)[0]
    assert (later.due_on - timezone.localdate(final.starts_at)).days >= 12 * 7
    assert later.talk.participants.filter(user=people["alice"]).exists()
    assert later.talk.participants.filter(user=people["bob"]).exists()


@pytest.mark.parametrize("type_key", ["mediation_1", "mediation_2", "parallel_1"])
def test_a_sixteen_week_phase_is_evaluated_at_its_end(people, family, type_key):
    started_on = next_monday()
    trajectory = start(people["carol"], family, type_key, started_on=started_on)
    [evaluation] = evaluations.schedule(trajectory=trajectory)
    assert (evaluation.due_on - started_on).days >= 15 * 7  # its sixteenth school week, or later
    assert evaluation.due_on <= trajectory.planned_end_on
    assert all(t.starts_at <= evaluation.talk.starts_at for t in talks_of(trajectory))


def test_parallel_parenting_phase_two_is_evaluated_after_the_years_guided_talks(people, family):
    started_on = next_monday()
    trajectory = start(people["carol"], family, "parallel_2", started_on=started_on)
    [evaluation] = evaluations.schedule(trajectory=trajectory)
    assert (evaluation.due_on - started_on).days >= 360
    guided = talks_of(trajectory, kind=TalkKind.JOINT)
    assert len(guided) == 4 and all(t.starts_at < evaluation.talk.starts_at for t in guided)


def test_kies_ends_with_an_evaluation_with_both_parents_after_the_sessions(people, family):
    trajectory = start(people["carol"], family, "kies")
    [evaluation] = evaluations.schedule(trajectory=trajectory)
    sessions = talks_of(trajectory, kind=TalkKind.CHILD)
    assert len(sessions) == 4 and all(s.starts_at < evaluation.talk.starts_at for s in sessions)
    assert {people["alice"].pk, people["bob"].pk} <= evaluation.talk.user_ids


@pytest.mark.parametrize("type_key", sorted(TYPES))
def test_the_schedule_is_the_types_own_planning(people, family, type_key):
    """One schedule: the evaluation talks planned at the start fall on the days the type gives."""
    trajectory = start(people["carol"], family, type_key)
    expected = evaluations.type_due_dates(
        trajectory.type, start=trajectory.started_on, options=trajectory.options, region=trajectory.region
    )
    assert [e.due_on for e in evaluations.schedule(trajectory=trajectory)] == expected
    assert expected and evaluations.rule_for(trajectory)


def test_a_practitioner_plans_an_evaluation_at_another_date(people, family, client_for):
    carol = people["carol"]
    trajectory = start(carol, family, "mediation_1")
    page = client_for(carol).get(reverse("trajectories:talk_add", args=[family.pk]) + "?soort=evaluatie")
    assert page.status_code == 200
    assert 'value="evaluation" selected' in page.content.decode()
    day = next_monday(weeks=6)
    zone = timezone.get_default_timezone()
    services.talk_add(
        actor=carol, family_id=family.pk, kind=TalkKind.EVALUATION,
        starts_at=datetime.combine(day, time(14, 0), tzinfo=zone),
        minutes=60, place=Talk.Place.PRACTICE, user_ids=[people["alice"].pk, people["bob"].pk],
    )
    assert [e.due_on for e in evaluations.schedule(trajectory=trajectory)][0] == day


# -- a parent's input: private, append-only --------------------------------------------------------------


def test_a_parent_gives_input_only_the_practitioners_read_it(pat, people, family, client_for, charlie):
    alice, bob, carol, rita = people["alice"], people["bob"], people["carol"], people["rita"]
    coming = _coming(pat)
    assert coming.talk.pk == evaluations.schedule(trajectory=pat)[1].talk.pk  # not the overdue one
    page = _page(client_for(alice), family)
    assert 'id="give-evaluation-input"' in page and "Geef je inbreng voor de evaluatie" in page
    response = client_for(alice).post(
        reverse("trajectories:evaluation_input", args=[family.pk, coming.talk.pk]),
        {"body": SECRET, "author": bob.pk},
    )
    assert response.status_code == 302
    row = EvaluationInput.objects.get()
    assert row.author == alice and row.body == SECRET
    # Stored encrypted.
    with connection.cursor() as cursor:
        cursor.execute("SELECT body FROM trajectories_evaluationinput WHERE id = %s", [row.pk])
        assert "te laat" not in cursor.fetchone()[0]
    # Alice sees her own input listed; the ask is gone.
    page = _page(client_for(alice), family)
    assert "Bob haalt de kinderen steeds te laat op" in page
    assert "Geef je inbreng voor de evaluatie" not in page
    # Bob and Rita never see it, on "Ons traject" nor in the access log.
    for who in (bob, rita):
        assert "te laat op" not in _page(client_for(who), family)
        log = client_for(who).get(reverse("families:access_log", args=[family.pk])).content.decode()
        assert "gaf inbreng voor een evaluatie" not in log
    # The evaluation form: the practitioners read it; a parent or relative 403, a stranger 404.
    url = reverse("trajectories:evaluation", args=[family.pk, coming.talk.pk])
    assert "te laat op" in client_for(carol).get(url).content.decode()
    assert "te laat op" in client_for(people["pim"]).get(url).content.decode()
    for who in (alice, bob, rita):
        assert client_for(who).get(url).status_code == 403
    assert client_for(charlie).get(url).status_code == 404
    log = client_for(alice).get(reverse("families:access_log", args=[family.pk])).content.decode()
    assert "gaf inbreng voor een evaluatie" in log


def test_only_a_parent_gives_input_and_always_as_themselves(pat, people, family, client_for, charlie,
                                                            other_family):
    coming = _coming(pat)
    url = reverse("trajectories:evaluation_input", args=[family.pk, coming.talk.pk])
    assert client_for(people["rita"]).post(url, {"body": "x"}).status_code == 403
    assert client_for(people["carol"]).post(url, {"body": "x"}).status_code == 403
    assert client_for(charlie).post(url, {"body": "x"}).status_code == 404
    # Charlie through his own family does not reach this evaluation either.
    other = reverse("trajectories:evaluation_input", args=[other_family.pk, coming.talk.pk])
    assert client_for(charlie).post(other, {"body": "x"}).status_code == 404
    with pytest.raises(NotFound):
        _input(charlie, other_family, coming.talk)
    # A talk that is no evaluation is not one to give input for.
    intake = talks_of(pat, kind=TalkKind.INTAKE)[0]
    with pytest.raises(NotFound):
        _input(people["alice"], family, intake)
    with pytest.raises(Invalid, match="Schrijf eerst"):
        _input(people["alice"], family, coming.talk, body="   ")
    with pytest.raises(Invalid, match="te lang"):
        _input(people["alice"], family, coming.talk, body="x" * (evaluations.INPUT_MAX_CHARS + 1))
    assert not EvaluationInput.objects.exists()


def test_a_parent_adds_input_until_the_evaluation_is_held_never_after(pat, people, family):
    alice, carol = people["alice"], people["carol"]
    first = evaluations.schedule(trajectory=pat)[0]
    with pytest.raises(Invalid, match="al geweest"):  # its day has passed
        _input(alice, family, first.talk)
    coming = _coming(pat)
    _input(alice, family, coming.talk)
    _input(alice, family, coming.talk, body="Nog iets: de zomervakantie.")
    assert [i.body for i in evaluations.my_inputs(trajectory=pat, user=alice)] == [
        SECRET, "Nog iets: de zomervakantie."
    ]
    assert evaluations.my_inputs(trajectory=pat, user=people["bob"]) == []
    # The evaluation is today (it began at midnight) and its outcome is recorded: no more input.
    midnight = datetime.combine(timezone.localdate(), time(0, 0), tzinfo=timezone.get_default_timezone())
    services.talk_update(actor=carol, family_id=family.pk, talk_id=coming.talk.pk, starts_at=midnight,
                         minutes=coming.talk.minutes, place=coming.talk.place)
    _record(carol, family, coming.talk)
    with pytest.raises(Invalid, match="al geweest"):
        _input(alice, family, coming.talk)
    # Her next input goes to the next evaluation; what she gave stays listed as hers.
    membership = Membership.objects.active().get(user=alice, family=family)
    side = evaluations.parent_side(trajectory=pat, membership=membership)
    assert side.coming.talk.pk not in (first.talk.pk, coming.talk.pk) and not side.gave_for_coming
    assert len(side.mine) == 2
    assert EvaluationInput.objects.count() == 2
    entry = AuditEntry.objects.filter(action=actions.EVALUATION_INPUT_GIVEN).first()
    assert (entry.actor, entry.subject_user) == (alice, alice)


def test_the_avg_download_has_a_parents_own_input_only(pat, people, family):
    from accounts.personal_data import personal_data_collect

    coming = _coming(pat)
    _input(people["alice"], family, coming.talk)
    _input(people["bob"], family, coming.talk, body="Bobs eigen verhaal.")
    mine = personal_data_collect(user=people["alice"])["evaluation_input"]
    assert [m["input"] for m in mine] == [SECRET]
    assert "Bobs eigen verhaal" not in str(personal_data_collect(user=people["alice"]))
    assert "evaluation_input" not in personal_data_collect(user=people["rita"])


@pytest.mark.parametrize(
    ("table", "statements"),
    [
        ("trajectories_evaluationinput", ["UPDATE {t} SET at = CURRENT_TIMESTAMP WHERE id = %s",
                                          "UPDATE {t} SET body = 'x', talk_id = talk_id + 1 WHERE id = %s",
                                          "DELETE FROM {t} WHERE id = %s"]),
        ("trajectories_evaluationoutcome", ["UPDATE {t} SET shared = true WHERE id = %s",
                                            "UPDATE {t} SET next_on = NULL WHERE id = %s",
                                            "DELETE FROM {t} WHERE id = %s"]),
    ],
)
def test_the_database_refuses_to_change_or_delete_input_and_outcomes(pat, people, family, table, statements):
    first = evaluations.schedule(trajectory=pat)[0]
    rows = {
        "trajectories_evaluationinput": _input(people["alice"], family, _coming(pat).talk),
        "trajectories_evaluationoutcome": _record(people["carol"], family, first.talk,
                                                  next_on=_ago(-30)),
    }
    row = rows[table]
    for statement in statements:
        with (
            pytest.raises(DatabaseError, match="append-only"),
            transaction.atomic(),
            connection.cursor() as cursor,
        ):
            cursor.execute(statement.format(t=table), [row.pk])
    with pytest.raises(DatabaseError), transaction.atomic():
        type(row).objects.filter(pk=row.pk).delete()
    assert type(row).objects.filter(pk=row.pk).exists()


# -- the practitioner's evaluation form and the outcome -----------------------------------------------


def test_the_form_shows_plan_progress_goals_mode_history_and_both_parents_input(
    pat, people, family, client_for
):
    from moderation.services import contact_mode_change
    from parentingplan.models import Section
    from parentingplan.services import plan_ensure

    alice, bob, carol = people["alice"], people["bob"], people["carol"]
    plan = plan_ensure(family=family)
    sections = list(Section.objects.filter(plan=plan).order_by("position", "pk"))
    Section.objects.filter(pk=sections[0].pk).update(status=Section.Status.AGREED)
    Section.objects.filter(pk=sections[1].pk).update(status=Section.Status.DISPUTED)
    goals.goal_add(actor=carol, family_id=family.pk, trajectory_id=pat.pk, text="Rustige overdracht")
    contact_mode_change(actor=carol, family_id=family.pk, mode="moderated", reason="Dreigende berichten")
    coming = _coming(pat)
    _input(alice, family, coming.talk)
    _input(bob, family, coming.talk, body="Alice wil alles bepalen.")
    response = client_for(carol).get(reverse("trajectories:evaluation", args=[family.pk, coming.talk.pk]))
    assert response.status_code == 200
    page = response.content.decode()
    plan_part = page.split('id="plan-progress"')[1].split("</section>")[0]
    assert sections[0].title in plan_part.split('id="plan-agreed"')[1].split("</dd>")[0]
    assert sections[1].title in plan_part.split('id="plan-disputed"')[1].split("</dd>")[0]
    assert sections[2].title in plan_part.split('id="plan-open"')[1].split("</dd>")[0]
    assert "Rustige overdracht" in page.split('id="evaluation-goals"')[1]
    mode_part = page.split('id="mode-history"')[1].split("</section>")[0]
    assert "Dreigende berichten" in mode_part and "Carol" in mode_part
    inputs = page.split('id="inputs"')[1].split("</section>")[0]
    assert "te laat op" in inputs and "Alice wil alles bepalen." in inputs
    assert AuditEntry.objects.filter(action=actions.EVALUATION_VIEWED, actor=carol, family=family).exists()


def test_recording_the_outcome_holds_the_evaluation_updates_goals_and_moves_the_next(pat, people, family,
                                                                                     client_for):
    alice, carol = people["alice"], people["carol"]
    goal = goals.goal_add(actor=carol, family_id=family.pk, trajectory_id=pat.pk, text="Rustige overdracht")
    first, second, _last = evaluations.schedule(trajectory=pat)
    new_day = second.due_on + timedelta(days=7)
    url = reverse("trajectories:evaluation", args=[family.pk, first.talk.pk])
    page = client_for(carol).get(url).content.decode()
    assert f'value="{second.due_on.isoformat()}"' in page  # the next date: the next planned one
    response = client_for(carol).post(url, {
        "text": "Overdracht gaat <beter>.", "next_on": new_day.isoformat(),
        f"goal_{goal.pk}_status": "in_progress", f"goal_{goal.pk}_note": "Twee keer goed gegaan.",
    })
    assert response.status_code == 302
    outcome = EvaluationOutcome.objects.get()
    assert (outcome.text, outcome.next_on, outcome.shared, outcome.recorded_by) == (
        "Overdracht gaat <beter>.", new_day, False, carol
    )
    first.talk.refresh_from_db()
    assert first.talk.status == Talk.Status.HELD
    assert GoalUpdate.objects.get(goal=goal).note == "Twee keer goed gegaan."
    second.talk.refresh_from_db()
    assert timezone.localdate(second.talk.starts_at) == new_day and second.talk.status == Talk.Status.MOVED
    entry = AuditEntry.objects.get(action=actions.EVALUATION_RECORDED)
    assert (entry.actor, entry.family, entry.target_id) == (carol, family, str(first.talk.pk))
    assert "beter" not in str(entry.details)  # the audit names no text
    assert AuditEntry.objects.filter(action=actions.GOAL_UPDATED, actor=carol).count() == 1
    assert AuditEntry.objects.filter(action=actions.TALK_HELD, target_id=str(first.talk.pk)).exists()
    # Not shared: the parents do not read it.
    assert "Overdracht gaat" not in _page(client_for(alice), family)
    page = client_for(carol).get(url).content.decode()
    assert "Overdracht gaat &lt;beter&gt;." in page and "alleen voor de begeleiders" in page


def test_a_shared_outcome_shows_to_both_parents_never_to_a_relative(pat, people, family, client_for):
    first = evaluations.schedule(trajectory=pat)[0]
    _record(people["carol"], family, first.talk, text="Jullie maken goede afspraken.", shared=True)
    for who in ("alice", "bob"):
        part = _page(client_for(people[who]), family).split('id="evaluation-outcomes"')[1]
        assert "Jullie maken goede afspraken." in part
    assert "goede afspraken" not in _page(client_for(people["rita"]), family)


def test_the_last_evaluation_with_a_next_date_plans_a_new_one(people, family):
    carol = people["carol"]
    kies = start(carol, family, "kies", started_on=_ago(60))
    [evaluation] = evaluations.schedule(trajectory=kies)
    day = _ago(-90)
    _record(carol, family, evaluation.talk, next_on=day)
    entries = evaluations.schedule(trajectory=kies)
    assert [e.due_on for e in entries] == [evaluation.due_on, day]
    new = entries[1].talk
    assert {people["alice"].pk, people["bob"].pk, carol.pk} <= new.user_ids
    assert AuditEntry.objects.filter(action=actions.TALK_ADDED, target_id=str(new.pk)).exists()


def test_the_outcome_is_refused_before_the_evaluation_or_without_text(pat, people, family):
    carol = people["carol"]
    first, second, _last = evaluations.schedule(trajectory=pat)
    with pytest.raises(Invalid, match="nog niet begonnen"):
        _record(carol, family, second.talk)
    with pytest.raises(Invalid, match="Schrijf eerst"):
        _record(carol, family, first.talk, text="  ")
    with pytest.raises(Invalid, match="na vandaag"):
        _record(carol, family, first.talk, next_on=_ago(1))
    with pytest.raises(Invalid, match="status"):
        _record(carol, family, first.talk, goal_changes=[GoalChange(goal_id=1, status="klaar")])
    intake = talks_of(pat, kind=TalkKind.INTAKE)[0]
    with pytest.raises(NotFound):
        _record(carol, family, intake)
    for who in ("alice", "bob", "rita"):
        with pytest.raises(PermissionDenied):
            _record(people[who], family, first.talk)
    assert not EvaluationOutcome.objects.exists()
    first.talk.refresh_from_db()
    assert first.talk.status == Talk.Status.PLANNED


def test_the_outcome_page_refuses_parents_relatives_and_outsiders(pat, people, family, client_for, charlie):
    first = evaluations.schedule(trajectory=pat)[0]
    url = reverse("trajectories:evaluation", args=[family.pk, first.talk.pk])
    for who in ("alice", "bob", "rita"):
        assert client_for(people[who]).post(url, {"text": "Alice wint"}).status_code == 403
    assert client_for(charlie).post(url, {"text": "x"}).status_code == 404
    assert client_for(people["carol"]).post(url, {"text": ""}).status_code == 400
    missing = reverse("trajectories:evaluation", args=[family.pk, 10**12])
    assert client_for(people["carol"]).get(missing).status_code == 404
    assert not EvaluationOutcome.objects.exists()


# -- overdue on the practitioner's home ------------------------------------------------------------------


def test_an_overdue_evaluation_shows_at_home_until_its_outcome_is_recorded(pat, people, family, client_for):
    carol, pim = people["carol"], people["pim"]
    first = evaluations.schedule(trajectory=pat)[0]
    assert first.state == "overdue"
    home = client_for(carol).get(reverse("families:home")).content.decode()
    assert 'id="overdue-evaluations"' in home
    assert reverse("trajectories:evaluation", args=[family.pk, first.talk.pk]) in home
    assert 'id="overdue-evaluations"' in client_for(pim).get(reverse("families:home")).content.decode()
    for who in ("alice", "rita"):
        assert 'id="overdue-evaluations"' not in client_for(people[who]).get(
            reverse("families:home")).content.decode()
    # Marking the talk held is not enough: the outcome is what is missing.
    services.talk_hold(actor=carol, family_id=family.pk, talk_id=first.talk.pk)
    assert 'id="overdue-evaluations"' in client_for(carol).get(reverse("families:home")).content.decode()
    _record(carol, family, first.talk)
    assert 'id="overdue-evaluations"' not in client_for(carol).get(reverse("families:home")).content.decode()
    assert evaluations.schedule(trajectory=pat)[0].state == "recorded"


def test_the_trajectory_page_lists_the_evaluations_for_the_practitioner(pat, people, family, client_for):
    page = _page(client_for(people["carol"]), family)
    listed = page.split('id="evaluation-list"')[1].split("</ul>")[0]
    assert listed.count("<li>") == 3 and "nog niet vastgelegd" in listed
    assert "?soort=evaluatie" in page
    first = evaluations.schedule(trajectory=pat)[0].talk
    talk_page = client_for(people["carol"]).get(reverse("trajectories:talk", args=[family.pk, first.pk]))
    assert reverse("trajectories:evaluation", args=[family.pk, first.pk]) in talk_page.content.decode()
    parent_view = client_for(people["alice"]).get(reverse("trajectories:talk", args=[family.pk, first.pk]))
    assert 'id="open-evaluation"' not in parent_view.content.decode()


def test_the_evaluation_panel_in_english(pat, people, family, client_for):
    alice = people["alice"]
    alice.language = "en"
    alice.save(update_fields=["language"])
    page = _page(client_for(alice), family)
    assert "Your input for the evaluation" in page and "Give input" in page
    assert "Inbreng geven" not in page
