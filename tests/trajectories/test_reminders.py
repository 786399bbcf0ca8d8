"""Reminders the day before a talk: a due row stored with the talk (durable), claimed with SKIP
LOCKED, sent once to each person taking part, with the time and the place and nothing else."""

from __future__ import annotations

import io
import threading
from datetime import datetime, time, timedelta

import pytest
from django.core import mail
from django.core.management import call_command
from django.db import connection, transaction
from django.utils import timezone

from tests.trajectories.conftest import individual_talk_of, start, talks_of, without_quiet_hours
from trajectories import reminders, services
from trajectories.models import ReminderDue, ReminderSent, Talk

pytestmark = pytest.mark.django_db


def _evening_before(talk: Talk) -> datetime:
    day = timezone.localtime(talk.starts_at).date() - timedelta(days=1)
    return datetime.combine(day, time(18, 0), tzinfo=timezone.get_default_timezone())


@pytest.fixture
def trajectory(people, family):
    return start(people["carol"], family, "mediation_1")


def test_each_talk_still_to_come_has_its_reminder_due_the_evening_before(trajectory):
    talks = talks_of(trajectory)
    due = {row.talk_id: row.due_at for row in ReminderDue.objects.all()}
    assert due == {t.pk: _evening_before(t) for t in talks}


def test_the_reminder_goes_to_each_parent_taking_part_once_with_time_and_place_only(
    trajectory, people, family
):
    alice, bob, carol = people["alice"], people["bob"], people["carol"]
    joint = talks_of(trajectory, kind="joint")[0]
    services.talk_update(
        actor=carol,
        family_id=family.pk,
        talk_id=joint.pk,
        starts_at=joint.starts_at,
        minutes=90,
        place="neutral",
        address="Bibliotheek, Oudegracht 1",
    )
    moment = _evening_before(joint)

    reminders.send_all_due(now=moment)
    reminders.send_all_due(now=moment + timedelta(minutes=10))

    mine = [m for m in mail.outbox if "Herinnering" in m.subject]
    assert sorted(m.to[0] for m in mine) == sorted([alice.email, bob.email, carol.email])
    body = next(m.body for m in mine if m.to == [alice.email])
    local = timezone.localtime(joint.starts_at)
    assert "morgen" in body and local.strftime("%H:%M") in body
    assert "op een neutrale plek" in body and "Oudegracht 1" in body
    # Nothing else: not what the talk is, not who else comes, not the family.
    for word in ("Gezamenlijk", "gesprek 1", "Bob", "Carol", family.display_name, family.reference):
        assert word not in body, word
    assert ReminderSent.objects.filter(talk=joint).count() == 3
    assert not ReminderDue.objects.filter(talk=joint).exists()


def test_a_reminder_survives_a_restart_it_is_a_row_not_a_timer(trajectory):
    talk = talks_of(trajectory)[0]
    assert ReminderDue.objects.filter(talk=talk).exists()
    # A new process (the management command) finds and sends it.
    out = io.StringIO()
    call_command("send_talk_reminders", "--once", stdout=out)  # nothing due yet now
    assert "0 talk reminder(s)" in out.getvalue()
    assert mail.outbox == []
    reminders.send_all_due(now=_evening_before(talk))
    assert set(ReminderSent.objects.filter(talk=talk).values_list("user_id", flat=True)) == talk.user_ids


def test_a_moved_talk_is_reminded_for_its_new_time_and_a_cancelled_one_not_at_all(trajectory, people, family):
    carol = people["carol"]
    first, second = talks_of(trajectory, kind="joint")[:2]
    reminders.send_all_due(now=_evening_before(first))
    sent_before = len(mail.outbox)
    assert sent_before == 3

    later = first.starts_at + timedelta(days=3)
    services.talk_update(
        actor=carol, family_id=family.pk, talk_id=first.pk, starts_at=later, minutes=90, place="practice"
    )
    services.talk_cancel(actor=carol, family_id=family.pk, talk_id=second.pk)
    first.refresh_from_db()
    assert ReminderDue.objects.get(talk=first).due_at == _evening_before(first)
    assert not ReminderDue.objects.filter(talk=second).exists()

    mail.outbox.clear()
    reminders.send_all_due(now=_evening_before(first))
    assert [m for m in mail.outbox if "Herinnering" in m.subject and m.to == [people["alice"].email]]
    assert ReminderSent.objects.filter(talk=first).count() == 6  # three for each time
    assert not ReminderSent.objects.filter(talk=second).exists()


def test_a_refused_mail_is_tried_again_and_nobody_is_marked_reminded_meanwhile(trajectory, people, settings):
    talk = individual_talk_of(trajectory, people["alice"])
    moment = _evening_before(talk)
    settings.EMAIL_BACKEND = "tests.trajectories.test_reminders.RefusingBackend"
    reminders.send_all_due(now=moment)
    assert not ReminderSent.objects.filter(talk=talk).exists()
    row = ReminderDue.objects.get(talk=talk)
    assert row.attempts == 1 and row.due_at == moment + timedelta(seconds=reminders.RETRY_SECONDS)

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    reminders.send_all_due(now=moment + timedelta(seconds=reminders.RETRY_SECONDS))
    assert set(ReminderSent.objects.filter(talk=talk).values_list("user_id", flat=True)) == {
        people["alice"].pk,
        people["carol"].pk,
    }
    assert people["alice"].email in [m.to[0] for m in mail.outbox]
    assert not ReminderDue.objects.filter(talk=talk).exists()


class RefusingBackend:
    def __init__(self, *args, **kwargs):
        pass

    def send_messages(self, messages):
        raise ConnectionRefusedError("the mail server is away")


def test_quiet_hours_postpone_a_reminder_until_they_end(trajectory, people):
    alice = people["alice"]
    alice.quiet_hours_start, alice.quiet_hours_end = time(17, 0), time(20, 0)
    alice.save(update_fields=["quiet_hours_start", "quiet_hours_end"])
    talk = individual_talk_of(trajectory, alice)
    moment = _evening_before(talk)

    reminders.send_all_due(now=moment)
    assert alice.email not in [m.to[0] for m in mail.outbox]
    assert set(ReminderSent.objects.filter(talk=talk).values_list("user_id", flat=True)) == {
        people["carol"].pk
    }
    assert ReminderDue.objects.get(talk=talk).due_at == moment.replace(hour=20)

    reminders.send_all_due(now=moment.replace(hour=20))
    assert alice.email in [m.to[0] for m in mail.outbox]
    assert ReminderSent.objects.filter(talk=talk, user=alice).count() == 1


@pytest.mark.django_db(transaction=True)
def test_a_reminder_claimed_by_one_process_is_skipped_by_another(people, family):
    """Another worker holds the due rows (its claim's row lock): this one skips them (SKIP LOCKED)
    instead of waiting or sending them too; once the lock is gone it sends them, once."""
    if connection.vendor != "postgresql":
        pytest.skip("row locks need PostgreSQL")
    trajectory = start(people["carol"], family, "mediation_1")
    moment = _evening_before(talks_of(trajectory)[0])
    locked, release = threading.Event(), threading.Event()

    def other_worker():
        from django.db import connections

        try:
            with transaction.atomic():
                list(ReminderDue.objects.select_for_update().filter(due_at__lte=moment))
                locked.set()
                release.wait(10)
        finally:
            connections.close_all()

    holder = threading.Thread(target=other_worker)
    holder.start()
    try:
        assert locked.wait(10)
        assert reminders.send_due(now=moment) == 0
        assert not ReminderSent.objects.exists()
    finally:
        release.set()
        holder.join()
    assert reminders.send_due(now=moment) == 2  # the two intakes
    assert reminders.send_due(now=moment) == 0
    assert ReminderSent.objects.count() == 4  # each parent and the practitioner, per intake


def test_no_reminder_for_someone_no_longer_in_the_family(trajectory, people, family):
    from families.models import Membership

    alice = people["alice"]
    talk = individual_talk_of(trajectory, alice)
    Membership.objects.filter(user=alice, family=family).update(ended_at=timezone.now())
    reminders.send_all_due(now=_evening_before(talk))
    assert alice.email not in [m.to[0] for m in mail.outbox]


def test_a_talk_planned_for_tomorrow_morning_after_six_in_the_evening_is_reminded_at_once(people, family):
    carol = people["carol"]
    without_quiet_hours(people["alice"])
    trajectory = start(carol, family, "kies")
    now = timezone.now()
    soon = timezone.localtime(now + timedelta(hours=6)).replace(second=0, microsecond=0)
    talk = services.talk_add(
        actor=carol,
        family_id=family.pk,
        kind="joint",
        starts_at=soon,
        minutes=60,
        place="online",
        user_ids=[people["alice"].pk],
    )
    assert ReminderDue.objects.get(talk=talk).due_at <= timezone.now()
    reminders.send_all_due()
    assert people["alice"].email in [m.to[0] for m in mail.outbox if "Herinnering" in m.subject]
    assert trajectory.pk == talk.trajectory_id
