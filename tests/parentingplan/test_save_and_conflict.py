from __future__ import annotations

import re
import threading
import uuid

import pytest
from django.db import connection

from core.errors import Invalid
from parentingplan import services
from parentingplan.content import to_text
from parentingplan.models import Section, SectionRevision
from parentingplan.services import plan_group
from tests.parentingplan.conftest import save, section_of

ALICE_TEXT = "<p>Alice: we wisselen op maandag na school.</p>"
BOB_TEXT = "<p>Bob: we wisselen op vrijdag om zes uur.</p>"


@pytest.mark.django_db
def test_a_save_stores_a_revision_with_its_author_and_base(plan, alice):
    section = section_of(plan, "information")
    result = save(alice, section, "<p>We mailen elke zondag.</p>", base=0)
    assert result.saved
    revision = SectionRevision.objects.get(section=section)
    assert (revision.number, revision.base_number, revision.author) == (1, 0, alice)
    assert revision.content == "<p>We mailen elke zondag.</p>" and revision.created_at is not None
    section.refresh_from_db()
    assert section.head_revision == 1 and section.status == Section.Status.PROPOSED
    assert section.updated_by == alice and section.updated_at is not None
    assert result.section["revision"] == 1 and result.section["status"] == "proposed"
    assert result.section["updated_by"] == {"id": alice.pk, "name": "Alice Ouder"}
    assert set(result.section) >= {
        "id",
        "key",
        "title",
        "revision",
        "status",
        "content",
        "updated_by",
        "updated_at",
    }


@pytest.mark.django_db
def test_a_save_is_announced_to_the_family_after_commit(
    plan, alice, sent, django_capture_on_commit_callbacks
):
    section = section_of(plan, "information")
    with django_capture_on_commit_callbacks(execute=True):
        save(alice, section, "<p>Per mail.</p>", base=0)
    assert [(group, frame["type"]) for group, frame in sent] == [
        (plan_group(plan.pk, "family"), "section.updated")
    ]
    assert sent[0][1]["section"]["content"] == "<p>Per mail.</p>"


@pytest.mark.django_db
def test_a_save_on_a_shared_section_is_announced_to_relatives_too(
    plan, alice, carol, sent, django_capture_on_commit_callbacks
):
    school = section_of(plan, "school")
    services.section_manage(user=carol, plan_id=plan.pk, section_id=school.pk, shared=True)
    with django_capture_on_commit_callbacks(execute=True):
        save(alice, school, "<p>De Regenboog.</p>", base=0)
    groups = [group for group, frame in sent if frame["type"] == "section.updated"]
    assert groups == [plan_group(plan.pk, "family"), plan_group(plan.pk, "shared")]


@pytest.mark.django_db
def test_a_save_on_a_stale_base_stores_nothing_and_returns_the_head_with_a_diff(
    plan, alice, bob, sent, django_capture_on_commit_callbacks
):
    section = section_of(plan, "information")
    save(alice, section, "<p>We bellen elke week.</p>", base=0)
    save(alice, section, "<p>We bellen elke maand.</p>", base=1)
    with django_capture_on_commit_callbacks(execute=True):
        result = save(bob, section, "<p>We appen dagelijks.</p>", base=1)
    assert not result.saved
    assert result.section["revision"] == 2 and result.section["content"] == "<p>We bellen elke maand.</p>"
    assert result.diff == "We bellen elke <del>week.</del><ins>maand.</ins>"
    assert SectionRevision.objects.filter(section=section).count() == 2
    assert not SectionRevision.objects.filter(section=section, author=bob).exists()
    assert sent == []


@pytest.mark.django_db
def test_the_same_client_id_sent_twice_stores_one_revision(plan, alice):
    section = section_of(plan, "information")
    client_id = str(uuid.uuid4())
    first = save(alice, section, "<p>Eén keer.</p>", base=0, client_id=client_id)
    again = save(alice, section, "<p>Eén keer.</p>", base=0, client_id=client_id)
    assert first.saved and again.saved
    assert again.section["revision"] == first.section["revision"] == 1
    assert again.client_id == first.client_id == client_id
    assert SectionRevision.objects.filter(section=section).count() == 1


@pytest.mark.django_db
def test_a_save_of_only_whitespace_and_tags_leaves_the_section_open(plan, alice):
    section = section_of(plan, "information")
    save(alice, section, "<p> </p><br>", base=0)
    section.refresh_from_db()
    assert section.head_revision == 1 and section.status == Section.Status.OPEN


@pytest.mark.django_db
@pytest.mark.parametrize(
    "changes",
    [
        {"base_revision": -1},
        {"base_revision": "1"},
        {"base_revision": True},
        {"base_revision": None},
        {"content": None},
        {"content": 42},
        {"content": "x" * 50_001},
        {"client_id": "not-a-uuid"},
        {"client_id": None},
    ],
)
def test_a_malformed_save_is_refused_as_invalid(plan, alice, changes):
    section = section_of(plan, "information")
    arguments = {
        "user": alice,
        "section_id": section.pk,
        "base_revision": 0,
        "content": "<p>ok</p>",
        "client_id": str(uuid.uuid4()),
        **changes,
    }
    with pytest.raises(Invalid) as refused:
        services.section_save(**arguments)
    assert refused.value.code == "invalid"
    assert not SectionRevision.objects.filter(section=section).exists()


@pytest.mark.django_db
def test_a_care_section_keeps_its_rotation_when_only_the_text_changes(plan, alice, bob):
    care = section_of(plan, "care")
    rotation = {
        "pattern": "week_on_week_off",
        "start": "2025-01-06",
        "handover_day": 0,
        "handover_time": "17:30",
        "parent_a": alice.pk,
        "parent_b": bob.pk,
    }
    save(alice, care, "<p>Week om week.</p>", base=0, schedule=rotation)
    result = save(bob, care, "<p>Week om week, wisselen op school.</p>", base=1)
    assert result.section["schedule"]["pattern"] == "week_on_week_off"
    assert result.section["schedule"]["handover_time"] == "17:30"
    assert (
        SectionRevision.objects.get(section=care, number=2).schedule
        == SectionRevision.objects.get(section=care, number=1).schedule
    )


@pytest.mark.django_db(transaction=True)
def test_two_concurrent_saves_on_the_same_base_store_one_and_return_a_conflict_to_the_other(
    plan, alice, bob, monkeypatch
):
    if connection.vendor != "postgresql":
        pytest.skip("SQLite lets one writer in at a time; the row-level race needs PostgreSQL")
    section = section_of(plan, "information")
    save(alice, section, "<p>Eerste opzet.</p>", base=0)

    # Both saves pass their access and idempotency checks, then race for the head together.
    ready = threading.Barrier(2, timeout=15)
    decide_status = services._status_after_new_revision

    def status_when_both_are_ready(*args):
        ready.wait()
        return decide_status(*args)

    monkeypatch.setattr(services, "_status_after_new_revision", status_when_both_are_ready)
    results = {}

    def editor(user, text):
        try:
            results[user.pk] = save(user, section, text, base=1)
        except Exception as exc:  # noqa: BLE001 - reported by the assertion below
            results[user.pk] = exc
        finally:
            connection.close()

    threads = [
        threading.Thread(target=editor, args=(alice, ALICE_TEXT)),
        threading.Thread(target=editor, args=(bob, BOB_TEXT)),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    monkeypatch.undo()

    outcomes = list(results.values())
    assert all(isinstance(r, services.SaveResult) for r in outcomes), outcomes
    winners = [r for r in outcomes if r.saved]
    losers = [r for r in outcomes if not r.saved]
    assert len(winners) == 1 and len(losers) == 1
    winner_text = winners[0].section["content"]
    loser_text = BOB_TEXT if winner_text == ALICE_TEXT else ALICE_TEXT
    loser = next(u for u in (alice, bob) if results[u.pk] is losers[0])

    revisions = list(SectionRevision.objects.filter(section=section).order_by("number"))
    assert [r.number for r in revisions] == [1, 2] and revisions[1].content == winner_text
    section.refresh_from_db()
    assert section.head_revision == 2
    # The loser gets the head and what changed since its base, and keeps its own text to merge.
    assert losers[0].section["revision"] == 2 and losers[0].section["content"] == winner_text
    inserted = " ".join(re.findall(r"<ins>(.*?)</ins>", losers[0].diff))
    deleted = " ".join(re.findall(r"<del>(.*?)</del>", losers[0].diff))
    assert deleted == "Eerste opzet."
    assert inserted == to_text(winner_text)

    merged = save(loser, section, loser_text, base=2)
    assert merged.saved
    stored = [r.content for r in SectionRevision.objects.filter(section=section)]
    assert winner_text in stored and loser_text in stored
