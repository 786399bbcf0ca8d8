"""The trajectory pages: who opens what (written out per page and person, not derived from the
code), and what a practitioner does there: start, move, add, mark held, cancel, end. Every change
is audited; bad input is a form error and stores nothing."""

from __future__ import annotations

from datetime import date, time, timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from audit import actions
from audit.models import AuditEntry
from families.models import Membership
from tests.trajectories.conftest import individual_talk_of, next_monday, start, talks_of
from trajectories import services
from trajectories.models import Talk, Trajectory

pytestmark = pytest.mark.django_db

PERSONS = ["alice", "bob", "carol", "pim", "rita", "charlie", "anonymous"]

# page -> the answer each person gets (GET); "login": sent to the login page.
EXPECTED = {
    "family": dict(alice=200, bob=200, carol=200, pim=200, rita=200, charlie=404, anonymous="login"),
    "detail": dict(alice=200, bob=200, carol=200, pim=200, rita=403, charlie=404, anonymous="login"),
    "start": dict(alice=403, bob=403, carol=200, pim=200, rita=403, charlie=404, anonymous="login"),
    "start_type": dict(alice=403, bob=403, carol=200, pim=200, rita=403, charlie=404, anonymous="login"),
    "talk": dict(alice=200, bob=200, carol=200, pim=200, rita=404, charlie=404, anonymous="login"),
    "talk_ics": dict(alice=200, bob=200, carol=200, pim=200, rita=404, charlie=404, anonymous="login"),
    "talk_add": dict(alice=403, bob=403, carol=200, pim=200, rita=403, charlie=404, anonymous="login"),
    "end": dict(alice=403, bob=403, carol=200, pim=200, rita=403, charlie=404, anonymous="login"),
    "switch": dict(alice=403, bob=403, carol=200, pim=200, rita=403, charlie=404, anonymous="login"),
    "calendar": dict(alice=200, bob=200, carol=200, pim=200, rita=200, charlie=200, anonymous="login"),
}


@pytest.fixture
def running(people, family, charlie):
    return start(people["carol"], family, "mediation_1")


def _url(page, family, trajectory):
    joint = talks_of(trajectory, kind="joint")[0]
    args = {
        "family": [family.pk],
        "detail": [family.pk, trajectory.pk],
        "start": [family.pk],
        "start_type": [family.pk, "kies"],
        "talk": [family.pk, joint.pk],
        "talk_ics": [family.pk, joint.pk],
        "talk_add": [family.pk],
        "end": [family.pk, trajectory.pk],
        "switch": [family.pk, trajectory.pk],
        "calendar": [],
    }[page]
    return reverse(f"trajectories:{page}", args=args)


def _client(request, who, client_for, anon_client):
    return anon_client if who == "anonymous" else client_for(request.getfixturevalue(who))


CASES = [(page, who) for page in EXPECTED for who in PERSONS]


@pytest.mark.parametrize(("page", "who"), CASES, ids=[f"{p}-{w}" for p, w in CASES])
def test_each_person_gets_what_the_table_says(request, running, family, client_for, anon_client, page, who):
    response = _client(request, who, client_for, anon_client).get(_url(page, family, running))
    expected = EXPECTED[page][who]
    if expected == "login":
        assert response.status_code == 302 and response["Location"].startswith(reverse("accounts:login"))
    else:
        assert response.status_code == expected


def test_the_family_page_is_exactly_gezin_id_traject(family):
    assert reverse("trajectories:family", args=[family.pk]) == f"/gezin/{family.pk}/traject/"


def test_an_outsider_gets_the_same_404_for_this_family_and_one_that_does_not_exist(
    running, family, charlie, client_for
):
    client = client_for(charlie)
    assert client.get(f"/gezin/{family.pk}/traject/").status_code == 404
    assert client.get(f"/gezin/{family.pk + 999}/traject/").status_code == 404
    denied = AuditEntry.objects.filter(action=actions.ACCESS_DENIED, actor=charlie)
    assert denied.exists() and all(e.family is None for e in denied)


def test_parents_see_ons_traject_practitioners_the_page_they_run_it_from(running, people, family, client_for):
    parent = client_for(people["alice"]).get(f"/gezin/{family.pk}/traject/").content.decode()
    assert "<h1>Ons traject</h1>" in parent
    assert (
        "Waar staan we" in parent and "Wat we van je vragen" in parent and "Je volgende afspraken" in parent
    )
    assert "Gesprek toevoegen" not in parent
    practitioner = client_for(people["pim"]).get(f"/gezin/{family.pk}/traject/").content.decode()
    assert "<h1>Traject</h1>" in practitioner and "Gesprek toevoegen" in practitioner


def test_a_practitioners_view_is_in_the_access_log_a_parents_is_not(running, people, family, client_for):
    client_for(people["pim"]).get(f"/gezin/{family.pk}/traject/")
    client_for(people["pim"]).get(f"/gezin/{family.pk}/traject/")
    client_for(people["alice"]).get(f"/gezin/{family.pk}/traject/")
    viewed = AuditEntry.objects.filter(action=actions.TRAJECTORY_VIEWED)
    assert [(e.actor, e.family) for e in viewed] == [(people["pim"], family)]


# -- starting --------------------------------------------------------------------------------------


def _start_form(type_key="mediation_1", **overrides):
    from trajectories.types import TYPES

    options = {
        f"option_{key}": value
        for key, value in TYPES[type_key].default_options().items()
        if value is not False
    }
    if type_key == "mediation_1":
        options["option_child_talks"] = "1"
    return {
        "started_on": next_monday().isoformat(),
        "at": "09:30",
        "region": "south",
        "place": "home",
        **options,
        **overrides,
    }


def test_a_practitioner_starts_a_trajectory_with_the_form(people, family, client_for):
    response = client_for(people["pim"]).post(
        reverse("trajectories:start_type", args=[family.pk, "mediation_1"]), _start_form()
    )
    assert response.status_code == 302 and response["Location"] == f"/gezin/{family.pk}/traject/"
    trajectory = Trajectory.objects.get()
    assert (trajectory.type_key, trajectory.region, trajectory.practitioner) == (
        "mediation_1",
        "south",
        people["pim"],
    )
    assert trajectory.options == {"child_talks": 1, "professionals": 0}
    talks = talks_of(trajectory)
    assert len(talks) == 2 + 4 + 8 + 2 + 1
    assert {t.place for t in talks} == {"home"}
    assert timezone.localtime(talks[0].starts_at).strftime("%H:%M") == "09:30"
    entry = AuditEntry.objects.get(action=actions.TRAJECTORY_STARTED)
    assert (entry.actor, entry.family, entry.target_id) == (people["pim"], family, str(trajectory.pk))
    assert entry.details["type"] == "mediation_1" and entry.details["talks"] == len(talks)


@pytest.mark.parametrize(
    "bad",
    [
        {"region": "atlantis"},
        {"option_child_talks": "9"},
        {"started_on": ""},
        {"started_on": "2001-01-01"},
        {"at": "25:00"},
        {"place": "maan"},
        {"option_child_talks": "2.5"},
    ],
)
def test_bad_input_to_the_start_form_is_a_form_error_and_stores_nothing(people, family, client_for, bad):
    response = client_for(people["carol"]).post(
        reverse("trajectories:start_type", args=[family.pk, "mediation_1"]), _start_form(**bad)
    )
    assert response.status_code == 200
    assert 'role="alert"' in response.content.decode()
    assert not Trajectory.objects.exists() and not Talk.objects.exists()


def test_a_second_trajectory_while_one_runs_is_refused_on_the_form(running, people, family, client_for):
    response = client_for(people["carol"]).post(
        reverse("trajectories:start_type", args=[family.pk, "kies"]), _start_form("kies")
    )
    assert response.status_code == 200
    assert "Er loopt al een traject voor dit gezin." in response.content.decode()
    assert Trajectory.objects.count() == 1


def test_a_family_without_parents_yet_cannot_start_one(carol, family, client_for):
    response = client_for(carol).post(
        reverse("trajectories:start_type", args=[family.pk, "pat"]), _start_form("pat")
    )
    assert "Nodig eerst de ouders uit" in response.content.decode()
    assert not Trajectory.objects.exists()


def test_an_unknown_type_is_404(people, family, client_for):
    assert (
        client_for(people["carol"])
        .get(reverse("trajectories:start_type", args=[family.pk, "astrologie"]))
        .status_code
        == 404
    )


# -- talks -----------------------------------------------------------------------------------------


def test_moving_a_talk_on_its_page_marks_it_moved_tells_who_takes_part_and_moves_the_end(
    running, people, family, client_for, django_capture_on_commit_callbacks
):
    alice, bob, carol = people["alice"], people["bob"], people["carol"]
    evaluation = talks_of(running, kind="evaluation")[0]
    end_before = f"{timezone.localtime(evaluation.starts_at):%-d %B %Y}"
    new_day = timezone.localtime(evaluation.starts_at).date() + timedelta(days=14)
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(carol).post(
            reverse("trajectories:talk", args=[family.pk, evaluation.pk]),
            {
                "day": new_day.isoformat(),
                "at": "14:00",
                "minutes": "90",
                "place": "practice",
                "address": "",
                "people": [f"u{carol.pk}", f"u{alice.pk}", f"u{bob.pk}"],
            },
        )
    assert response.status_code == 302
    evaluation.refresh_from_db()
    assert evaluation.status == Talk.Status.MOVED
    assert timezone.localtime(evaluation.starts_at).date() == new_day
    assert timezone.localtime(evaluation.starts_at).strftime("%H:%M") == "14:00"
    entry = AuditEntry.objects.get(action=actions.TALK_MOVED)
    assert entry.details["new"] == evaluation.starts_at.isoformat() and entry.details["old"] == (
        evaluation.moved_from.isoformat()
    )
    assert evaluation.starts_at.utcoffset() == timedelta(0)  # stored and audited in UTC
    assert sorted(m.to[0] for m in mail.outbox) == sorted([alice.email, bob.email])
    assert all("is verzet" in m.body for m in mail.outbox)
    page = client_for(alice).get(f"/gezin/{family.pk}/traject/").content.decode()
    assert f"{new_day:%-d}" in page and "verzet" in page
    assert end_before not in page.split('id="trajectory-end"')[1][:200]


def test_a_talk_cannot_be_marked_held_before_it_began(running, people, family, client_for):
    joint = talks_of(running, kind="joint")[0]
    response = client_for(people["carol"]).post(reverse("trajectories:talk_hold", args=[family.pk, joint.pk]))
    assert response.status_code == 409
    assert "nog niet begonnen" in response.content.decode()
    joint.refresh_from_db()
    assert joint.status == Talk.Status.PLANNED


def test_a_talk_that_took_place_is_marked_held_and_then_no_longer_changes(people, family, client_for):
    carol = people["carol"]
    trajectory = start(carol, family, "kies", started_on=timezone.localdate() - timedelta(days=21))
    intake = talks_of(trajectory, kind="intake")[0]
    client = client_for(carol)
    assert client.post(reverse("trajectories:talk_hold", args=[family.pk, intake.pk])).status_code == 302
    intake.refresh_from_db()
    assert (intake.status, intake.held_by) == (Talk.Status.HELD, carol)
    assert AuditEntry.objects.filter(action=actions.TALK_HELD, target_id=str(intake.pk)).exists()
    response = client.post(reverse("trajectories:talk_hold", args=[family.pk, intake.pk]))
    assert response.status_code == 409
    client.post(
        reverse("trajectories:talk", args=[family.pk, intake.pk]), {"day": "2030-01-01", "at": "10:00"}
    )
    intake.refresh_from_db()
    assert intake.status == Talk.Status.HELD and intake.starts_at.year != 2030


def test_a_hold_check_of_the_trajectorys_records_can_refuse_marking_a_childs_talk_held(
    people, family, monkeypatch
):
    """Issue 12 hooks the consents in here; this check stands in for them."""
    carol = people["carol"]
    monkeypatch.setattr(services, "_hold_checks", [])
    services.register_hold_check(
        lambda talk: "Eerst toestemming van beide ouders." if talk.kind == "child" else None
    )
    trajectory = start(carol, family, "kies", started_on=timezone.localdate() - timedelta(days=42))
    session = talks_of(trajectory, kind="child")[0]
    intake = talks_of(trajectory, kind="intake")[0]
    from core.errors import Invalid

    with pytest.raises(Invalid, match="Eerst toestemming"):
        services.talk_hold(actor=carol, family_id=family.pk, talk_id=session.pk)
    services.talk_hold(actor=carol, family_id=family.pk, talk_id=intake.pk)
    session.refresh_from_db()
    assert session.status == Talk.Status.PLANNED


def test_cancelling_a_talk_tells_who_takes_part_and_is_audited(
    running, people, family, client_for, django_capture_on_commit_callbacks
):
    alice, carol = people["alice"], people["carol"]
    own = individual_talk_of(running, alice)
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(carol).post(reverse("trajectories:talk_cancel", args=[family.pk, own.pk]))
    assert response.status_code == 302
    own.refresh_from_db()
    assert own.status == Talk.Status.CANCELLED
    assert [m.to for m in mail.outbox] == [[alice.email]]
    assert "gaat niet door" in mail.outbox[0].subject
    assert AuditEntry.objects.filter(action=actions.TALK_CANCELLED, actor=carol).count() == 1


def test_a_parent_cannot_move_cancel_or_hold_a_talk(running, people, family, client_for):
    alice = people["alice"]
    own = individual_talk_of(running, alice)
    client = client_for(alice)
    for url_name in ("trajectories:talk", "trajectories:talk_cancel", "trajectories:talk_hold"):
        response = client.post(
            reverse(url_name, args=[family.pk, own.pk]),
            {"day": "2030-01-01", "at": "10:00", "minutes": "60", "place": "online"},
        )
        assert response.status_code == 403
    own.refresh_from_db()
    assert own.status == Talk.Status.PLANNED
    assert AuditEntry.objects.filter(action=actions.ACCESS_DENIED, actor=alice, family=family).count() == 3


def test_adding_a_talk_with_people_of_the_family(running, people, family, client_for):
    carol, alice, rita = people["carol"], people["alice"], people["rita"]
    noor = family.children.get(first_name="Noor")
    day = next_monday(3)
    response = client_for(carol).post(
        reverse("trajectories:talk_add", args=[family.pk]),
        {
            "kind": "family",
            "phase": "talks",
            "day": day.isoformat(),
            "at": "16:00",
            "minutes": "60",
            "place": "neutral",
            "address": "Speeltuin De Vlinder",
            "people": [f"u{alice.pk}", f"u{rita.pk}", f"c{noor.pk}"],
        },
    )
    assert response.status_code == 302
    talk = talks_of(running, kind="family")[0]
    assert talk.user_ids == {carol.pk, alice.pk, rita.pk} and talk.child_ids == {noor.pk}
    assert (talk.phase, talk.address, talk.element) == ("talks", "Speeltuin De Vlinder", "")
    assert AuditEntry.objects.filter(action=actions.TALK_ADDED).count() == 1


def test_someone_from_another_family_cannot_be_added_to_a_talk(running, people, family, charlie, client_for):
    carol = people["carol"]
    joint = talks_of(running, kind="joint")[0]
    response = client_for(carol).post(
        reverse("trajectories:talk", args=[family.pk, joint.pk]),
        {
            "day": next_monday(2).isoformat(),
            "at": "10:00",
            "minutes": "60",
            "place": "practice",
            "people": [f"u{charlie.pk}"],
        },
    )
    assert response.status_code == 200  # the form again, with the choice refused
    joint.refresh_from_db()
    assert charlie.pk not in {p.user_id for p in joint.participants.all()}


# -- ending ----------------------------------------------------------------------------------------


def test_ending_cancels_the_talks_still_to_come_and_a_new_trajectory_follows_the_old_one(
    running, people, family, client_for
):
    carol = people["carol"]
    client = client_for(carol)
    response = client.post(reverse("trajectories:end", args=[family.pk, running.pk]), {"outcome": "stopped"})
    assert "verplicht bij stoppen" in response.content.decode() or response.status_code == 200
    assert Trajectory.objects.get().is_active  # a reason is needed to stop
    response = client.post(
        reverse("trajectories:end", args=[family.pk, running.pk]), {"outcome": "completed", "reason": ""}
    )
    assert response.status_code == 302
    running.refresh_from_db()
    assert running.status == Trajectory.Status.COMPLETED
    assert all(t.status == Talk.Status.CANCELLED for t in talks_of(running))
    entry = AuditEntry.objects.get(action=actions.TRAJECTORY_ENDED)
    assert entry.details["talks_cancelled"] == len(talks_of(running))
    # Phase 2 after phase 1: offered first, and linked to the one before.
    choose = client.get(reverse("trajectories:start", args=[family.pk])).content.decode()
    assert "volgt op het vorige traject" in choose
    second = start(carol, family, "mediation_2")
    assert second.previous == running


def test_a_removed_parent_no_longer_sees_the_trajectory(running, people, family, client_for):
    alice = people["alice"]
    Membership.objects.filter(user=alice, family=family).update(ended_at=timezone.now())
    assert client_for(alice).get(f"/gezin/{family.pk}/traject/").status_code == 404


def test_every_page_of_a_started_trajectory_renders_for_each_type(people, family, client_for):
    carol, alice = people["carol"], people["alice"]
    for type_key in (
        "kindbehartiger",
        "pat",
        "mediation_1",
        "mediation_2",
        "parallel_1",
        "parallel_2",
        "kies",
    ):
        trajectory = start(carol, family, type_key, started_on=date.today() - timedelta(days=40), at=time(9))
        for who in (carol, alice, people["rita"]):
            assert client_for(who).get(f"/gezin/{family.pk}/traject/").status_code == 200
            assert client_for(who).get(reverse("families:detail", args=[family.pk])).status_code == 200
        assert client_for(carol).get(reverse("families:home")).status_code == 200
        services.trajectory_end(
            actor=carol, family_id=family.pk, trajectory_id=trajectory.pk, outcome="completed"
        )
    assert Trajectory.objects.filter(status="completed").count() == 7


def test_changing_only_the_place_is_audited_as_a_change_and_told_to_those_taking_part(
    running, people, family, django_capture_on_commit_callbacks
):
    alice, carol = people["alice"], people["carol"]
    own = individual_talk_of(running, alice)
    with django_capture_on_commit_callbacks(execute=True):
        _talk, changed = services.talk_update(
            actor=carol,
            family_id=family.pk,
            talk_id=own.pk,
            starts_at=own.starts_at,
            minutes=own.minutes,
            place="online",
            address="https://video.example.org/alice",
        )
    assert changed
    own.refresh_from_db()
    assert own.status == Talk.Status.PLANNED  # not moved: the time is the same
    entry = AuditEntry.objects.get(action=actions.TALK_CHANGED)
    assert entry.details["changed"] == ["place", "address"]
    assert "video.example.org" not in str(entry.details)
    assert [m.to for m in mail.outbox] == [[alice.email]]
    assert "andere plek" in mail.outbox[0].subject and "video.example.org/alice" in mail.outbox[0].body


def test_the_database_refuses_a_second_running_trajectory_even_past_the_service(running, people, family):
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        Trajectory.objects.create(
            family=family,
            type_key="pat",
            region="north",
            started_on=running.started_on,
            planned_end_on=running.planned_end_on,
            practitioner=people["carol"],
            created_by=people["carol"],
        )


def test_a_plan_check_of_the_trajectorys_records_can_stop_planning_child_talks(
    running, people, family, monkeypatch
):
    """Issue 12 hooks a withdrawn consent in here; this check stands in for it."""
    from core.errors import Invalid

    carol = people["carol"]
    monkeypatch.setattr(services, "_plan_checks", [])
    services.register_plan_check(
        lambda *, trajectory, kind, child_ids: "De toestemming is ingetrokken." if child_ids else None
    )
    noor = family.children.get(first_name="Noor")
    with pytest.raises(Invalid, match="ingetrokken"):
        services.talk_add(
            actor=carol,
            family_id=family.pk,
            kind="child",
            starts_at=timezone.now() + timedelta(days=9),
            minutes=45,
            place="practice",
            child_ids=[noor.pk],
        )
    joint = talks_of(running, kind="joint")[0]
    with pytest.raises(Invalid, match="ingetrokken"):
        services.talk_update(
            actor=carol,
            family_id=family.pk,
            talk_id=joint.pk,
            starts_at=joint.starts_at,
            minutes=90,
            place="practice",
            user_ids=[carol.pk],
            child_ids=[noor.pk],
        )
    services.talk_add(
        actor=carol,
        family_id=family.pk,
        kind="joint",
        starts_at=timezone.now() + timedelta(days=9),
        minutes=60,
        place="practice",
        user_ids=[people["alice"].pk],
    )
    assert Talk.objects.filter(kind="child", element="").count() == 0


def test_pats_communication_phase_offers_the_coordinator_the_contact_mode_with_indirect_contact(
    people, family, client_for
):
    carol, pim, alice = people["carol"], people["pim"], people["alice"]
    start(carol, family, "pat", started_on=date.today() - timedelta(days=3))
    mode_url = reverse("moderation:contact_mode", args=[family.pk])
    page = client_for(carol).get(reverse("trajectories:family", args=[family.pk])).content.decode()
    assert "Voorkeur voor contact van elke ouder (ook: geen direct contact)" in page
    assert f'href="{mode_url}"' in page
    form = client_for(carol).get(mode_url).content.decode()
    assert 'value="indirect"' in form
    # Only who may change the contact mode (the coordinator) gets the link; a parent never.
    assert (
        f'href="{mode_url}"'
        not in client_for(pim).get(reverse("trajectories:family", args=[family.pk])).content.decode()
    )
    assert (
        f'href="{mode_url}"'
        not in client_for(alice).get(reverse("trajectories:family", args=[family.pk])).content.decode()
    )


def test_kies_links_the_childrens_wishes_to_the_children_s_voice_on_the_plan(people, family, client_for):
    carol = people["carol"]
    kies = start(carol, family, "kies", started_on=date.today() - timedelta(days=3))
    voice = reverse("parentingplan:plan", args=[family.pk]) + "#children-voice"
    page = client_for(carol).get(reverse("trajectories:family", args=[family.pk])).content.decode()
    assert "De wensen van de kinderen vastleggen in het ouderschapsplan" in page and voice in page
    # Once the closing talk is held, the plan phase is current: the parents are asked to take the
    # children's wishes into the plan, with the link to where the plan records them.
    closing = Talk.objects.get(trajectory=kies, kind="evaluation")
    Talk.objects.filter(pk=closing.pk).update(status=Talk.Status.HELD)
    ours = client_for(people["alice"]).get(reverse("trajectories:family", args=[family.pk])).content.decode()
    assert "Neem de wensen van de kinderen mee in het ouderschapsplan." in ours and voice in ours
