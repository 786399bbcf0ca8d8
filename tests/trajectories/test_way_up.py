"""The way up: a family in mediation that stays in moderated contact (or keeps being moved back to
it) is suggested parallel parenting on the practitioner's home page; the switch is the
practitioner's decision, with a reason that parents never see, and it is audited."""

from __future__ import annotations

from datetime import time, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from audit import actions
from audit.models import AuditEntry
from core.errors import PermissionDenied
from moderation.models import ContactModeChange
from tests.trajectories.conftest import start, talks_of
from trajectories import escalation, services
from trajectories.models import Talk, Trajectory, WayUpDismissal

pytestmark = pytest.mark.django_db

REASON = "Moeder blijft het contact weigeren; gezamenlijke gesprekken escaleren elke keer."


def _mode(family, mode, days_ago, by=None):
    """A contact mode change in the past (moderation keeps them append-only: inserted, never updated)."""
    return ContactModeChange.objects.create(
        family=family,
        mode=mode,
        reason="test",
        changed_by=by,
        changed_at=timezone.now() - timedelta(days=days_ago),
    )


@pytest.fixture
def mediation(people, family):
    return start(people["carol"], family, "mediation_1", started_on=timezone.localdate() - timedelta(days=40))


def _home(client_for, user) -> str:
    return client_for(user).get(reverse("families:home")).content.decode()


def test_three_weeks_of_moderated_contact_in_mediation_suggests_parallel_parenting(
    mediation, people, family, client_for
):
    _mode(family, "moderated", days_ago=22, by=people["carol"])

    signals = escalation.escalation_signals(
        family_id=family.pk, since=escalation.trajectory_start_moment(mediation)
    )
    assert (signals.mode, signals.days_not_direct, signals.times_moved) == ("moderated", 22, 1)
    home = _home(client_for, people["carol"])
    assert "Voorstel: parallel ouderschap" in home
    assert reverse("trajectories:switch", args=[family.pk, mediation.pk]) in home
    assert "al 22 dagen contact met meelezen of via de begeleider" in home
    # Parents are not told of it.
    assert "parallel" not in client_for(people["alice"]).get(f"/gezin/{family.pk}/traject/").content.decode()


def test_a_short_stretch_or_direct_contact_suggests_nothing(mediation, people, family, client_for):
    _mode(family, "moderated", days_ago=10, by=people["carol"])
    assert escalation.way_up_for(mediation) is None
    _mode(family, "direct", days_ago=1, by=people["carol"])
    assert escalation.way_up_for(mediation) is None
    assert "Voorstel: parallel ouderschap" not in _home(client_for, people["carol"])


def test_being_moved_back_to_moderated_contact_again_and_again_suggests_it_too(mediation, people, family):
    for days_ago in (30, 20, 10):
        _mode(family, "moderated", days_ago=days_ago)  # by the escalation policy: no person
        _mode(family, "direct", days_ago=days_ago - 2, by=people["carol"])
    suggestion = escalation.way_up_for(mediation)
    assert (
        suggestion is not None and suggestion.signals.times_moved == 3 and suggestion.to_type == "parallel_1"
    )


def test_moves_before_the_trajectory_began_do_not_count(mediation, people, family):
    for days_ago in (90, 80, 70):
        _mode(family, "moderated", days_ago=days_ago)
        _mode(family, "direct", days_ago=days_ago - 2, by=people["carol"])
    assert escalation.way_up_for(mediation) is None


def test_no_suggestion_outside_mediation(people, family):
    pat = start(people["carol"], family, "pat", started_on=timezone.localdate() - timedelta(days=40))
    _mode(family, "indirect", days_ago=30, by=people["carol"])
    assert escalation.way_up_for(pat) is None


def test_the_switch_needs_a_reason_and_stops_the_mediation_and_starts_parallel_parenting(
    mediation, people, family, client_for
):
    carol, alice = people["carol"], people["alice"]
    _mode(family, "moderated", days_ago=25, by=carol)
    client = client_for(carol)
    url = reverse("trajectories:switch", args=[family.pk, mediation.pk])
    page = client.get(url).content.decode()
    assert "Waarom dit wordt voorgesteld" in page

    refused = client.post(
        url, {"switch": "1", "reason": "", "started_on": timezone.localdate().isoformat(), "at": "10:00"}
    )
    assert refused.status_code == 200 and Trajectory.objects.count() == 1

    response = client.post(
        url, {"switch": "1", "reason": REASON, "started_on": timezone.localdate().isoformat(), "at": "10:00"}
    )
    assert response.status_code == 302
    mediation.refresh_from_db()
    parallel = Trajectory.objects.get(status=Trajectory.Status.ACTIVE)
    assert (mediation.status, mediation.end_reason, mediation.ended_by) == (
        Trajectory.Status.STOPPED,
        REASON,
        carol,
    )
    assert (parallel.type_key, parallel.previous, parallel.region) == (
        "parallel_1",
        mediation,
        mediation.region,
    )
    assert all(t.status != Talk.Status.PLANNED or t.starts_at < timezone.now() for t in talks_of(mediation))
    entry = AuditEntry.objects.get(action=actions.TRAJECTORY_SWITCHED)
    assert (entry.actor, entry.family, entry.target_id) == (carol, family, str(parallel.pk))
    assert entry.details == {
        "from": mediation.pk,
        "from_type": "mediation_1",
        "to": parallel.pk,
        "to_type": "parallel_1",
    }
    assert REASON not in str(entry.details)
    # The parents see the new trajectory, never the reason.
    parent = client_for(alice).get(f"/gezin/{family.pk}/traject/").content.decode()
    assert "Parallel ouderschap – fase 1" in parent
    assert "weigeren" not in parent
    assert "Voorstel: parallel ouderschap" not in _home(client_for, carol)


def test_not_now_lets_the_suggestion_rest_and_is_audited(mediation, people, family, client_for):
    carol = people["carol"]
    _mode(family, "moderated", days_ago=25, by=carol)
    response = client_for(carol).post(
        reverse("trajectories:switch", args=[family.pk, mediation.pk]),
        {"dismiss": "1", "note": "Eerst nog één gesprek."},
    )
    assert response.status_code == 302
    assert escalation.way_up_for(mediation) is None
    assert "Voorstel: parallel ouderschap" not in _home(client_for, carol)
    dismissal = WayUpDismissal.objects.get()
    assert dismissal.until == timezone.localdate() + timedelta(days=escalation.REST_DAYS)
    assert AuditEntry.objects.filter(action=actions.WAY_UP_DISMISSED, actor=carol).exists()
    later = timezone.now() + timedelta(days=escalation.REST_DAYS + 1)
    assert escalation.way_up_for(mediation, now=later) is not None


def test_parents_and_relatives_cannot_switch(mediation, people, family, client_for):
    for who in ("alice", "bob", "rita"):
        response = client_for(people[who]).post(
            reverse("trajectories:switch", args=[family.pk, mediation.pk]),
            {"switch": "1", "reason": "x", "started_on": timezone.localdate().isoformat(), "at": "10:00"},
        )
        assert response.status_code == 403
    with pytest.raises(PermissionDenied):
        services.trajectory_switch(
            actor=people["alice"],
            family_id=family.pk,
            trajectory_id=mediation.pk,
            reason="x",
            started_on=timezone.localdate(),
            at=time(10, 0),
        )
    assert Trajectory.objects.count() == 1


def test_the_home_page_shows_a_practitioner_their_talks_today_and_trajectories_ending_soon(
    people, family, client_for
):
    carol = people["carol"]
    kies = start(carol, family, "kies", started_on=timezone.localdate() - timedelta(days=7 * 8))
    today = talks_of(kies, kind="evaluation")[0]
    now = timezone.localtime()
    # Today in any case: under way since a moment ago in the afternoon, in an hour in the morning.
    soon = (now - timedelta(minutes=5) if now.hour >= 12 else now + timedelta(hours=1)).replace(
        second=0, microsecond=0
    )
    services.talk_update(
        actor=carol, family_id=family.pk, talk_id=today.pk, starts_at=soon, minutes=60, place="online"
    )
    home = _home(client_for, carol)
    assert "Wat heeft je vandaag nodig" in home
    section = home.split("Vandaag")[1]
    assert reverse("trajectories:talk", args=[family.pk, today.pk]) in section
    assert (
        "Trajecten die bijna klaar zijn" in home and "KIES" in home.split("Trajecten die bijna klaar zijn")[1]
    )
    assert "Nog vastleggen" in home  # the sessions before today are not marked held yet
    # Parents have no such panel (their home is the family page).
    assert "Wat heeft je vandaag nodig" not in _home(client_for, people["alice"])


def test_alerts_that_keep_coming_suggest_the_way_up(mediation, people, family, client_for):
    from moderation.models import Alert

    for n in range(escalation.ALERTS):
        Alert.objects.create(family=family, kind="hostile_repeated", level="hostile", subject=people["alice"],
                             created_at=timezone.now() - timedelta(days=n))
    Alert.objects.create(family=family, kind="threat", level="threat", subject=people["bob"],
                         created_at=timezone.now() - timedelta(days=60))  # before the trajectory: not counted

    signals = escalation.escalation_signals(
        family_id=family.pk, since=escalation.trajectory_start_moment(mediation))
    assert signals.alerts == escalation.ALERTS
    assert signals.reasons
    assert "Voorstel: parallel ouderschap" in _home(client_for, people["carol"])
