"""Consent for a trajectory (issue 12, item 2): the rules per age and type, what a withdrawal
stops, who may decide for whom, the record the database refuses to change, and the PDF."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

import pytest
from django.db import connection, transaction
from django.db.utils import DatabaseError
from django.urls import reverse
from django.utils import timezone

from accounts.personal_data import personal_data_collect
from audit import actions
from audit.models import AuditEntry
from core.errors import Invalid, PermissionDenied
from families.models import Child
from tests.pdf import read_pdf, squeezed
from tests.trajectories.conftest import start, talks_of
from trajectories import consent, services
from trajectories.models import Consent, Talk

GIVEN, WITHDRAWN = Consent.Decision.GIVEN, Consent.Decision.WITHDRAWN


def _born(years: int, days: int = 0) -> date:
    today = timezone.localdate()
    return today.replace(year=today.year - years) - timedelta(days=days)


@pytest.fixture
def kies(people, family):
    """A KIES trajectory six weeks under way: its child sessions have begun."""
    return start(people["carol"], family, "kies", started_on=timezone.localdate() - timedelta(days=42))


def _first_child_talk(trajectory) -> Talk:
    return talks_of(trajectory, kind="child")[0]


def _give(user, family, trajectory, decision=GIVEN):
    return consent.consent_decide(
        actor=user, family_id=family.pk, trajectory_id=trajectory.pk, decision=decision
    )


@pytest.mark.parametrize(
    ("years", "type_key", "parents", "child"),
    [
        (7, "mediation_1", True, False),
        (11, "kies", True, False),
        (12, "mediation_1", True, True),
        (15, "kies", True, True),
        (16, "mediation_1", False, True),  # from 16 the child alone
        (17, "kindbehartiger", False, True),
        (16, "kies", True, True),  # KIES asks both parents in writing at every age
    ],
)
def test_who_must_consent_depends_on_the_childs_age_and_the_type(years, type_key, parents, child):
    kid = Child(first_name="X", birth_date=_born(years, days=1))
    assert consent.needed_for(kid, type_key=type_key) == (parents, child)


def test_a_child_turns_twelve_on_their_birthday_not_before():
    assert consent.needed_for(Child(first_name="X", birth_date=_born(12)), type_key="pat") == (True, True)
    tomorrow_twelve = Child(first_name="X", birth_date=_born(12) + timedelta(days=1))
    assert consent.needed_for(tomorrow_twelve, type_key="pat") == (True, False)


def test_a_child_talk_is_not_marked_held_until_both_parents_consented(kies, people, family):
    alice, bob, carol = people["alice"], people["bob"], people["carol"]
    session = _first_child_talk(kies)
    with pytest.raises(Invalid, match="toestemming van Alice"):
        services.talk_hold(actor=carol, family_id=family.pk, talk_id=session.pk)
    _give(alice, family, kies)
    with pytest.raises(Invalid, match="Bob") as refused:
        services.talk_hold(actor=carol, family_id=family.pk, talk_id=session.pk)
    assert "Alice" not in str(refused.value)
    _give(bob, family, kies)
    services.talk_hold(actor=carol, family_id=family.pk, talk_id=session.pk)
    session.refresh_from_db()
    assert session.status == Talk.Status.HELD


def test_a_child_of_fourteen_must_consent_too_and_the_practitioner_records_it(kies, people, family, children):
    alice, bob, carol = people["alice"], people["bob"], people["carol"]
    noor = children[0]
    Child.objects.filter(pk=noor.pk).update(birth_date=_born(14))
    session = next(t for t in talks_of(kies, kind="child") if noor.pk in t.child_ids)
    _give(alice, family, kies)
    _give(bob, family, kies)
    with pytest.raises(Invalid, match="Noor"):
        services.talk_hold(actor=carol, family_id=family.pk, talk_id=session.pk)
    consent.child_consent_record(
        actor=carol, family_id=family.pk, trajectory_id=kies.pk, child_id=noor.pk, decision=GIVEN
    )
    services.talk_hold(actor=carol, family_id=family.pk, talk_id=session.pk)
    row = Consent.objects.get(child=noor)
    assert (row.recorded_by, row.user, row.decision) == (carol, None, GIVEN)


def test_a_child_under_twelve_gives_no_consent_of_their_own(kies, people, family, children):
    with pytest.raises(Invalid, match="jonger dan 12"):
        consent.child_consent_record(
            actor=people["carol"], family_id=family.pk, trajectory_id=kies.pk, child_id=children[1].pk,
            decision=GIVEN,
        )
    assert not Consent.objects.exists()


def test_a_parent_cannot_record_a_childs_consent(kies, people, family, children):
    Child.objects.filter(pk=children[0].pk).update(birth_date=_born(14))
    with pytest.raises(PermissionDenied):
        consent.child_consent_record(
            actor=people["alice"], family_id=family.pk, trajectory_id=kies.pk, child_id=children[0].pk,
            decision=GIVEN,
        )
    assert not Consent.objects.exists()


def test_a_withdrawal_stops_planning_child_talks_and_holding_them(kies, people, family, children):
    alice, bob, carol = people["alice"], people["bob"], people["carol"]
    _give(alice, family, kies)
    _give(bob, family, kies)
    _give(bob, family, kies, WITHDRAWN)
    session = _first_child_talk(kies)
    with pytest.raises(Invalid, match="toestemming van Bob"):
        services.talk_hold(actor=carol, family_id=family.pk, talk_id=session.pk)
    later = timezone.make_aware(datetime.combine(timezone.localdate() + timedelta(days=20), time(15)))
    with pytest.raises(Invalid, match="Bob Ouder trok de toestemming in"):
        services.talk_add(
            actor=carol, family_id=family.pk, kind="child", starts_at=later, minutes=45, place="practice",
            child_ids=[children[0].pk],
        )
    coming = talks_of(kies, kind="child")[-1]
    with pytest.raises(Invalid, match="Bob Ouder trok de toestemming in"):
        services.talk_update(
            actor=carol, family_id=family.pk, talk_id=coming.pk, starts_at=later, minutes=45,
            place="practice",
        )
    # Other talks are planned as before.
    services.talk_add(actor=carol, family_id=family.pk, kind="joint", starts_at=later, minutes=60,
                      place="practice", user_ids=[alice.pk, bob.pk])
    # Consent given again: child talks can be planned again.
    _give(bob, family, kies)
    services.talk_add(actor=carol, family_id=family.pk, kind="child", starts_at=later, minutes=45,
                      place="practice", child_ids=[children[0].pk])


def test_the_practitioner_sees_a_withdrawal_at_once_on_the_page_and_at_home(kies, people, family, client_for):
    alice, bob, carol = people["alice"], people["bob"], people["carol"]
    _give(alice, family, kies)
    _give(bob, family, kies)
    client = client_for(carol)
    before = client.get(reverse("trajectories:family", args=[family.pk])).content.decode()
    assert 'id="consent-withdrawn"' not in before
    response = client_for(bob).post(reverse("trajectories:consent", args=[family.pk, kies.pk]),
                                    {"decision": "withdrawn"})
    assert response.status_code == 302
    page = client.get(reverse("trajectories:family", args=[family.pk])).content.decode()
    assert 'id="consent-withdrawn"' in page and "Bob" in page.split('id="consent-withdrawn"')[1][:400]
    home = client.get(reverse("families:home")).content.decode()
    assert "Toestemming ingetrokken" in home
    entry = AuditEntry.objects.get(action=actions.CONSENT_WITHDRAWN)
    assert (entry.actor, entry.subject_user, entry.family) == (bob, bob, family)


def test_the_other_parent_cannot_give_or_withdraw_for_you(kies, people, family, client_for):
    alice, bob = people["alice"], people["bob"]
    _give(alice, family, kies)
    client = client_for(bob)
    url = reverse("trajectories:consent", args=[family.pk, kies.pk])
    # Naming Alice in the post changes nothing: the decision is always the sender's own.
    client.post(url, {"decision": "withdrawn", "user": alice.pk, "user_id": alice.pk})
    state = consent.consent_state(trajectory=kies)
    assert state.parent(alice.pk).given
    assert not Consent.objects.filter(user=bob).exists()  # Bob had nothing to withdraw
    client.post(url, {"decision": "given", "user": alice.pk})
    assert list(Consent.objects.filter(user=alice).values_list("decision", flat=True)) == [GIVEN]
    assert list(Consent.objects.filter(user=bob).values_list("decision", flat=True)) == [GIVEN]


def test_a_relative_and_an_outsider_cannot_consent(kies, people, family, client_for, charlie):
    url = reverse("trajectories:consent", args=[family.pk, kies.pk])
    assert client_for(people["rita"]).post(url, {"decision": "given"}).status_code == 403
    assert client_for(charlie).post(url, {"decision": "given"}).status_code == 404
    assert not Consent.objects.exists()


def test_a_second_click_adds_no_row_and_nothing_to_withdraw_is_refused(kies, people, family):
    alice = people["alice"]
    with pytest.raises(Invalid, match="niets in te trekken"):
        _give(alice, family, kies, WITHDRAWN)
    first = _give(alice, family, kies)
    assert _give(alice, family, kies) == first
    assert Consent.objects.count() == 1


def test_the_database_refuses_to_change_or_delete_a_consent(kies, people, family):
    row = _give(people["alice"], family, kies)
    for statement in (
        "UPDATE trajectories_consent SET decision = 'withdrawn' WHERE id = %s",
        "UPDATE trajectories_consent SET at = now() - interval '1 year' WHERE id = %s",
        "DELETE FROM trajectories_consent WHERE id = %s",
    ):
        with (
            pytest.raises(DatabaseError, match="append-only"),
            transaction.atomic(),
            connection.cursor() as cursor,
        ):
            cursor.execute(statement, [row.pk])
    with pytest.raises(DatabaseError), transaction.atomic():
        Consent.objects.filter(pk=row.pk).update(decision=WITHDRAWN)
    row.refresh_from_db()
    assert row.decision == GIVEN


def test_the_written_consent_pdf_has_both_confirmations(kies, people, family, client_for):
    alice, bob = people["alice"], people["bob"]
    url = reverse("trajectories:consent_pdf", args=[family.pk, kies.pk])
    _give(alice, family, kies)
    text = squeezed("\n".join(p.text for p in read_pdf(client_for(bob).get(url).content)))
    assert squeezed("Alice") in text
    assert squeezed("Bob Ouder: nog geen toestemming") in text or squeezed("nogeentoestemming") in text
    _give(bob, family, kies)
    response = client_for(bob).get(url)
    assert response["Content-Type"] == "application/pdf"
    text = squeezed("\n".join(p.text for p in read_pdf(response.content)))
    assert "Schriftelijketoestemming" in text
    assert text.count(squeezed("toestemming gegeven op")) == 2
    assert "nogeentoestemming" not in text.replace("Kinderen", "")[: text.find("Kinderen")]
    assert AuditEntry.objects.filter(action=actions.CONSENT_PDF_DOWNLOADED, actor=bob).exists()


def test_a_parent_sees_the_consent_to_give_on_ons_traject(kies, people, family, client_for):
    page = client_for(people["alice"]).get(reverse("trajectories:family", args=[family.pk])).content.decode()
    assert "Geef je toestemming voor gesprekken met de kinderen." in page
    assert 'id="give-consent"' in page
    _give(people["alice"], family, kies)
    page = client_for(people["alice"]).get(reverse("trajectories:family", args=[family.pk])).content.decode()
    assert "Geef je toestemming voor gesprekken met de kinderen." not in page
    assert "Toestemming intrekken" in page


def test_a_parents_avg_download_has_their_own_consents_only(kies, people, family):
    _give(people["alice"], family, kies)
    _give(people["bob"], family, kies)
    mine = personal_data_collect(user=people["alice"])["consents"]
    assert [row["decision"] for row in mine] == ["given"]
