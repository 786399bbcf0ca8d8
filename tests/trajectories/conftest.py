"""Trajectory fixtures: the family of tests/conftest.py (Alice and Bob its parents, Carol its
coordinating practitioner, Pim a practitioner, Rita a relative, Charlie an outsider) with two
children, and helpers to start a trajectory and find its talks."""

from __future__ import annotations

from datetime import date, time, timedelta

import pytest
from django.utils import timezone

from families.models import Child
from trajectories import services
from trajectories.models import Talk
from trajectories.selectors import with_participants


@pytest.fixture
def children(family):
    today = timezone.localdate()
    return [
        Child.objects.create(
            family=family, first_name="Noor", birth_date=today.replace(year=today.year - 10)
        ),
        Child.objects.create(family=family, first_name="Daan", birth_date=today.replace(year=today.year - 7)),
    ]


@pytest.fixture
def people(family, alice, bob, carol, pim, rita, children):
    """Everyone in the family (and the children), so that each test names only whom it uses."""
    return {"alice": alice, "bob": bob, "carol": carol, "pim": pim, "rita": rita}


def next_monday(weeks: int = 1) -> date:
    today = timezone.localdate()
    return today + timedelta(days=(7 - today.weekday()) % 7 or 7, weeks=weeks - 1)


def start(
    actor, family, type_key="mediation_1", *, started_on=None, region="middle", options=None, at=time(10, 0)
):
    return services.trajectory_start(
        actor=actor,
        family_id=family.pk,
        type_key=type_key,
        started_on=started_on or next_monday(),
        at=at,
        region=region,
        options=options,
    )


def talks_of(trajectory, **filters) -> list[Talk]:
    return with_participants(
        Talk.objects.filter(trajectory=trajectory, **filters).order_by("starts_at", "pk")
    )


def individual_talk_of(trajectory, parent) -> Talk:
    """A talk of one parent alone with the practitioner (their own intake or individual talk)."""
    for talk in talks_of(trajectory, kind__in=["individual", "intake"]):
        if parent.pk in talk.user_ids and len(talk.user_ids) == 2:
            return talk
    raise AssertionError(f"no individual talk of {parent}")


def without_quiet_hours(*users) -> None:
    """No quiet hours for these users (start == end), for a test that expects a mail at once: the
    default, 22:00 to 07:00 Dutch time, holds it back when the test happens to run at night."""
    for user in users:
        user.quiet_hours_start = user.quiet_hours_end = time(0, 0)
        user.save(update_fields=["quiet_hours_start", "quiet_hours_end"])
