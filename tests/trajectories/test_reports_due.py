"""The practitioner's home, "Rapporten om te schrijven" (trajectories.reports_due): an ended
trajectory is listed for REPORT_DUE_DAYS, not forever; a practitioner can mark a trajectory's end or
a phase "no report needed" with a reason, which is audited (without the reason), takes it off every
practitioner's home, is refused to parents, relatives and outsiders, and changes nothing else."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from django.db import connection, transaction
from django.db.utils import DatabaseError
from django.urls import reverse
from django.utils import timezone

from audit import actions
from audit.models import AuditEntry
from core.errors import Invalid
from tests.trajectories.conftest import start, talks_of
from trajectories import reports_due, services
from trajectories.models import ReportWaiver, Trajectory

REASON = "Ouders zijn naar een andere hulpverlener; die schrijft het verslag."
HEADING = "Rapporten om te schrijven"


@pytest.fixture
def trajectory(people, family):
    """Mediation phase 1, half a year under way: its talks up to the evaluation lie in the past."""
    return start(
        people["carol"], family, "mediation_1", started_on=timezone.localdate() - timedelta(weeks=26)
    )


@pytest.fixture
def ended(trajectory, people, family):
    services.trajectory_end(
        actor=people["carol"], family_id=family.pk, trajectory_id=trajectory.pk, outcome="completed"
    )
    return Trajectory.objects.get(pk=trajectory.pk)


def _home(client_for, user) -> str:
    return client_for(user).get(reverse("families:home")).content.decode()


def _waive_url(trajectory, phase="") -> str:
    url = reverse("trajectories:report_waive", args=[trajectory.family_id, trajectory.pk])
    return f"{url}?fase={phase}" if phase else url


def _ended_days_ago(trajectory, days: int) -> None:
    Trajectory.objects.filter(pk=trajectory.pk).update(ended_at=timezone.now() - timedelta(days=days))


def test_an_ended_trajectory_is_listed_for_ninety_days_and_then_leaves_the_home(ended, people, client_for):
    carol = people["carol"]
    _ended_days_ago(ended, reports_due.REPORT_DUE_DAYS - 1)
    assert [item.trajectory for item in reports_due.reports_to_write(user=carol)] == [ended]
    home = _home(client_for, carol)
    assert HEADING in home and "90 dagen" in home
    _ended_days_ago(ended, reports_due.REPORT_DUE_DAYS + 1)
    assert reports_due.reports_to_write(user=carol) == []
    assert HEADING not in _home(client_for, carol)
    # Off the home, not out of reach: the report can still be written from the trajectory.
    page = client_for(carol).get(reverse("trajectories:report_new", args=[ended.family_id, ended.pk]))
    assert page.status_code == 200


def test_no_report_needed_with_a_reason_takes_it_off_every_practitioners_home_and_is_audited(
    ended, people, family, client_for
):
    carol, pim = people["carol"], people["pim"]
    home = _home(client_for, carol)
    assert _waive_url(ended) in home and "Geen rapport nodig" in home
    page = client_for(carol).get(_waive_url(ended))
    assert page.status_code == 200 and "Waarom is er geen rapport nodig?" in page.content.decode()

    response = client_for(carol).post(_waive_url(ended), {"reason": REASON})
    assert response.status_code == 302 and response["Location"] == reverse("families:home")
    assert HEADING not in _home(client_for, carol)
    assert HEADING not in _home(client_for, pim)
    waiver = ReportWaiver.objects.get()
    assert (waiver.trajectory, waiver.phase, waiver.reason, waiver.by) == (ended, "", REASON, carol)
    entry = AuditEntry.objects.get(action=actions.REPORT_WAIVED)
    assert (entry.actor, entry.family_id) == (carol, family.pk)
    assert entry.details == {"type": "mediation_1", "phase": ""}
    assert REASON not in json.dumps(entry.details)
    # The reason is encrypted at rest.
    with connection.cursor() as cursor:
        cursor.execute("SELECT reason FROM trajectories_reportwaiver WHERE id = %s", [waiver.pk])
        assert "andere hulpverlener" not in cursor.fetchone()[0]


def test_without_a_reason_it_is_a_form_error_and_nothing_is_stored(ended, people, client_for):
    carol = people["carol"]
    for reason in ("", "   ", "x" * (reports_due.WAIVER_REASON_MAX_CHARS + 1)):
        response = client_for(carol).post(_waive_url(ended), {"reason": reason})
        assert response.status_code == 400
    assert "Schrijf kort op waarom er geen rapport nodig is." in (
        client_for(carol).post(_waive_url(ended), {"reason": ""}).content.decode()
    )
    assert not ReportWaiver.objects.exists()
    assert not AuditEntry.objects.filter(action=actions.REPORT_WAIVED).exists()
    assert HEADING in _home(client_for, carol)


def test_a_phase_marked_no_report_needed_also_stands_for_the_trajectorys_end(
    trajectory, people, family, client_for
):
    carol = people["carol"]
    evaluation = talks_of(trajectory, kind="evaluation")[0]
    services.talk_hold(actor=carol, family_id=family.pk, talk_id=evaluation.pk)
    [item] = reports_due.reports_to_write(user=carol)
    assert item.phase == "evaluation"
    assert _waive_url(trajectory, "evaluation") in _home(client_for, carol)
    response = client_for(carol).post(_waive_url(trajectory, "evaluation"), {"reason": REASON})
    assert response.status_code == 302
    assert reports_due.reports_to_write(user=carol) == []
    services.trajectory_end(
        actor=carol, family_id=family.pk, trajectory_id=trajectory.pk, outcome="completed"
    )
    assert reports_due.reports_to_write(user=carol) == []


def test_the_end_of_a_running_trajectory_and_a_phase_without_a_report_are_refused(
    trajectory, people, family, client_for
):
    carol = people["carol"]
    response = client_for(carol).post(_waive_url(trajectory), {"reason": REASON})
    assert response.status_code == 400 and "Dit traject loopt nog." in response.content.decode()
    response = client_for(carol).post(_waive_url(trajectory, "talks"), {"reason": REASON})
    assert response.status_code == 400
    assert "Kies een fase waarin dit traject een rapport schrijft." in response.content.decode()
    with pytest.raises(Invalid):
        reports_due.report_waive(
            actor=carol, family_id=family.pk, trajectory_id=trajectory.pk, phase="nope", reason=REASON
        )
    assert not ReportWaiver.objects.exists()


def test_parents_relatives_and_outsiders_cannot_mark_no_report_needed(ended, people, charlie, client_for):
    for user, status in ((people["alice"], 403), (people["rita"], 403), (charlie, 404)):
        assert client_for(user).get(_waive_url(ended)).status_code == status
        assert client_for(user).post(_waive_url(ended), {"reason": REASON}).status_code == status
    assert not ReportWaiver.objects.exists()
    assert HEADING in _home(client_for, people["carol"])


def test_marking_it_twice_keeps_the_first_reason_and_audits_once(ended, people, family):
    carol, pim = people["carol"], people["pim"]
    first = reports_due.report_waive(actor=carol, family_id=family.pk, trajectory_id=ended.pk, reason=REASON)
    again = reports_due.report_waive(actor=pim, family_id=family.pk, trajectory_id=ended.pk, reason="Ander")
    assert again.pk == first.pk and again.reason == REASON and again.by == carol
    assert AuditEntry.objects.filter(action=actions.REPORT_WAIVED).count() == 1


def test_the_decision_cannot_be_changed_or_removed_in_the_database(ended, people, family):
    waiver = reports_due.report_waive(
        actor=people["carol"], family_id=family.pk, trajectory_id=ended.pk, reason=REASON
    )
    for statement in (
        "UPDATE trajectories_reportwaiver SET phase = 'evaluation' WHERE id = %s",
        "DELETE FROM trajectories_reportwaiver WHERE id = %s",
    ):
        with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(statement, [waiver.pk])
    assert ReportWaiver.objects.filter(pk=waiver.pk, phase="").exists()


def test_the_parents_access_log_says_a_decision_was_made_without_the_reason(
    ended, people, family, client_for
):
    reports_due.report_waive(
        actor=people["carol"], family_id=family.pk, trajectory_id=ended.pk, reason=REASON
    )
    page = client_for(people["alice"]).get(reverse("families:access_log", args=[family.pk]))
    text = page.content.decode()
    assert "besloot dat er geen rapport nodig is" in text
    assert "andere hulpverlener" not in text


def test_the_home_item_and_the_page_in_english(ended, people, client_for):
    carol = people["carol"]
    carol.language = "en"
    carol.save(update_fields=["language"])
    home = _home(client_for, carol)
    assert "No report needed" in home and "stays here for 90 days" in home
    page = client_for(carol).get(_waive_url(ended)).content.decode()
    assert "Why is no report needed?" in page and "your reason does not" in page
