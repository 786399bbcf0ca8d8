"""Consent rules per age and per trajectory type, through the services (issue 12, item 7), beyond
test_consent.py: every type at every age, a child of 16 or more in a type that is not KIES, a child's
own withdrawal, and the database refusing to change the records (TRUNCATE too; every trajectory
record table that is declared append-only has its triggers)."""

from __future__ import annotations

from datetime import datetime, time, timedelta

import pytest
from django.db import DatabaseError, connection, transaction
from django.utils import timezone

from audit.appendonly import PROTECTED_TABLES
from core.errors import Invalid
from families.models import Child
from tests.trajectories.conftest import start, talks_of
from trajectories import consent, services
from trajectories.models import Talk
from trajectories.types import TYPES

AGES = (6, 11, 12, 13, 15, 16, 17)


def _born(years: int):
    today = timezone.localdate()
    return today.replace(year=today.year - years) - timedelta(days=1)


def _expected(age: int, type_key: str) -> tuple[bool, bool]:
    """The rule restated: parents until 16 (in KIES always), the child from 12."""
    return (age < 16 or type_key == "kies", age >= 12)


@pytest.mark.parametrize("type_key", sorted(TYPES))
@pytest.mark.parametrize("age", AGES)
def test_every_type_at_every_age_asks_the_consents_the_rules_ask(type_key, age):
    child = Child(first_name="X", birth_date=_born(age))
    assert consent.needed_for(child, type_key=type_key) == _expected(age, type_key)


def _give(user, family, trajectory, decision="given"):
    consent.consent_decide(actor=user, family_id=family.pk, trajectory_id=trajectory.pk, decision=decision)


def _talk_with(trajectory, child) -> Talk:
    return next(t for t in talks_of(trajectory, kind="child") if set(t.child_ids) == {child.pk})


def _later():
    return timezone.make_aware(datetime.combine(timezone.localdate() + timedelta(days=20), time(15)))


@pytest.fixture
def under_way(people, family):
    """A child advocate's trajectory ten weeks under way: each child's talks have begun."""
    ten_weeks_ago = timezone.localdate() - timedelta(weeks=10)
    return start(people["carol"], family, "kindbehartiger", started_on=ten_weeks_ago)


def test_from_sixteen_outside_kies_the_childs_own_consent_is_enough(under_way, people, family, children):
    carol = people["carol"]
    noor, daan = children
    Child.objects.filter(pk=noor.pk).update(birth_date=_born(17))
    noor.refresh_from_db()
    noors, daans = _talk_with(under_way, noor), _talk_with(under_way, daan)
    with pytest.raises(Invalid, match="toestemming van Noor ontbreekt"):
        services.talk_hold(actor=carol, family_id=family.pk, talk_id=noors.pk)
    consent.child_consent_record(actor=carol, family_id=family.pk, trajectory_id=under_way.pk,
                                 child_id=noor.pk, decision="given")
    services.talk_hold(actor=carol, family_id=family.pk, talk_id=noors.pk)  # no parent has consented
    # Daan is 7: his talk still waits for both parents.
    with pytest.raises(Invalid, match="Alice Ouder, Bob Ouder ontbreekt"):
        services.talk_hold(actor=carol, family_id=family.pk, talk_id=daans.pk)
    assert Talk.objects.get(pk=noors.pk).status == Talk.Status.HELD
    assert Talk.objects.get(pk=daans.pk).status == Talk.Status.PLANNED


def test_in_kies_a_child_of_sixteen_still_needs_both_parents(people, family, children):
    carol = people["carol"]
    noor = children[0]
    Child.objects.filter(pk=noor.pk).update(birth_date=_born(16))
    kies = start(carol, family, "kies", started_on=timezone.localdate() - timedelta(weeks=10),
                 options={"format": "individual"})
    talk = _talk_with(kies, noor)
    consent.child_consent_record(actor=carol, family_id=family.pk, trajectory_id=kies.pk, child_id=noor.pk,
                                 decision="given")
    with pytest.raises(Invalid, match="Alice Ouder, Bob Ouder ontbreekt"):
        services.talk_hold(actor=carol, family_id=family.pk, talk_id=talk.pk)
    _give(people["alice"], family, kies)
    _give(people["bob"], family, kies)
    services.talk_hold(actor=carol, family_id=family.pk, talk_id=talk.pk)


def test_a_parents_withdrawal_does_not_stop_the_talks_of_a_child_of_sixteen_outside_kies(
    under_way, people, family, children
):
    alice, carol = people["alice"], people["carol"]
    noor, daan = children
    Child.objects.filter(pk=noor.pk).update(birth_date=_born(16))
    _give(alice, family, under_way)
    _give(alice, family, under_way, "withdrawn")
    with pytest.raises(Invalid, match="Alice Ouder trok de toestemming in"):
        services.talk_add(actor=carol, family_id=family.pk, kind="child", starts_at=_later(), minutes=45,
                          place="practice", child_ids=[daan.pk])
    services.talk_add(actor=carol, family_id=family.pk, kind="child", starts_at=_later(), minutes=45,
                      place="practice", child_ids=[noor.pk])


def test_a_childs_own_withdrawal_stops_their_talks_and_not_their_siblings(
    under_way, people, family, children
):
    alice, bob, carol = people["alice"], people["bob"], people["carol"]
    noor, daan = children
    Child.objects.filter(pk=noor.pk).update(birth_date=_born(14))
    _give(alice, family, under_way)
    _give(bob, family, under_way)
    for decision in ("given", "withdrawn"):
        consent.child_consent_record(actor=carol, family_id=family.pk, trajectory_id=under_way.pk,
                                     child_id=noor.pk, decision=decision)
    with pytest.raises(Invalid, match="Noor trok de toestemming in"):
        services.talk_add(actor=carol, family_id=family.pk, kind="child", starts_at=_later(), minutes=45,
                          place="practice", child_ids=[noor.pk])
    with pytest.raises(Invalid, match="toestemming van Noor ontbreekt"):
        services.talk_hold(actor=carol, family_id=family.pk, talk_id=_talk_with(under_way, noor).pk)
    services.talk_add(actor=carol, family_id=family.pk, kind="child", starts_at=_later(), minutes=45,
                      place="practice", child_ids=[daan.pk])
    services.talk_hold(actor=carol, family_id=family.pk, talk_id=_talk_with(under_way, daan).pk)


# -- the database refuses -----------------------------------------------------------------------------


@pytest.mark.parametrize("table", ["trajectories_consent", "trajectories_agreementconfirmation"])
def test_the_database_refuses_to_truncate_the_consent_and_agreement_records(table, db):
    with (
        pytest.raises(DatabaseError, match="append-only"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(f'TRUNCATE "{table}" CASCADE')


def test_every_trajectory_record_declared_append_only_has_its_triggers(db):
    tables = sorted(t for t in PROTECTED_TABLES if t.startswith("trajectories_"))
    assert {"trajectories_consent", "trajectories_agreementconfirmation"} <= set(tables)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT c.relname, t.tgname FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid "
            "WHERE NOT t.tgisinternal AND c.relname LIKE 'trajectories_%%'"
        )
        triggers = set(cursor.fetchall())
    for table in tables:
        assert (table, f"{table}_append_only") in triggers, f"{table} has no UPDATE/DELETE trigger"
        assert (table, f"{table}_no_truncate") in triggers, f"{table} has no TRUNCATE trigger"
