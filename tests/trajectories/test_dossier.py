"""The confidential dossier (issue 12, item 4): practitioners only, encrypted at rest, every read in
the family's access log (that it was read and by whom, never what it says)."""

from __future__ import annotations

import json

import pytest
from django.db import DatabaseError, connection, transaction
from django.urls import reverse

from accounts.personal_data import personal_data_collect
from audit import actions
from audit.models import AuditEntry
from core.errors import PermissionDenied
from trajectories import dossier
from trajectories.models import DossierNote

SECRET = "Vader dreigde tijdens de intake; let op bij gezamenlijke gesprekken."


@pytest.fixture
def note(people, family):
    return dossier.dossier_note_add(actor=people["carol"], family_id=family.pk, body=SECRET)


def test_a_practitioner_of_the_family_reads_the_dossier_and_each_read_is_recorded(
    note, people, family, client_for
):
    client = client_for(people["pim"])
    url = reverse("trajectories:dossier", args=[family.pk])
    for _ in range(2):
        response = client.get(url)
        assert response.status_code == 200
        assert SECRET in response.content.decode()
    reads = AuditEntry.objects.filter(action=actions.DOSSIER_READ, actor=people["pim"], family=family)
    assert reads.count() == 2  # every read, not one per hour
    assert SECRET not in json.dumps(list(reads.values_list("details", flat=True)))


@pytest.mark.parametrize(("who", "status"), [("alice", 403), ("bob", 403), ("rita", 403), ("charlie", 404)])
def test_no_one_else_opens_the_dossier(note, people, family, client_for, charlie, who, status):
    user = charlie if who == "charlie" else people[who]
    client = client_for(user)
    url = reverse("trajectories:dossier", args=[family.pk])
    for response in (client.get(url), client.post(url, {"body": "ik schrijf mee"})):
        assert response.status_code == status
        assert SECRET not in response.content.decode()
    assert DossierNote.objects.count() == 1
    assert not AuditEntry.objects.filter(action=actions.DOSSIER_READ, actor=user).exists()
    assert AuditEntry.objects.filter(action=actions.ACCESS_DENIED, actor=user).exists()


def test_a_parent_guessing_family_ids_finds_no_dossier(note, people, family, other_family, client_for):
    client = client_for(people["alice"])
    for family_id in (other_family.pk, family.pk + 1000, 2**63):
        response = client.get(f"/gezin/{family_id}/dossier/")
        assert response.status_code == 404
        assert SECRET not in response.content.decode()


def test_a_parent_cannot_read_or_write_through_the_service(note, people, family):
    with pytest.raises(PermissionDenied):
        dossier.dossier_read(user=people["alice"], family_id=family.pk)
    with pytest.raises(PermissionDenied):
        dossier.dossier_note_add(actor=people["bob"], family_id=family.pk, body="x")


def test_the_parents_access_log_tells_who_read_the_dossier_but_not_what_it_says(
    note, people, family, client_for
):
    client_for(people["pim"]).get(reverse("trajectories:dossier", args=[family.pk]))
    log = client_for(people["alice"]).get(reverse("families:access_log", args=[family.pk]))
    page = log.content.decode()
    assert log.status_code == 200
    assert "las het vertrouwelijke dossier" in page
    assert "Pim Professional" in page
    assert SECRET not in page and "dreigde" not in page


def test_the_dossier_is_in_nobodys_avg_download(note, people, family):
    for who in ("alice", "bob", "rita", "carol", "pim"):
        data = json.dumps(personal_data_collect(user=people[who]), default=str)
        assert SECRET not in data and "dreigde" not in data


def test_a_parents_pages_never_carry_the_dossier(note, people, family, client_for):
    client = client_for(people["alice"])
    for url in (
        reverse("families:detail", args=[family.pk]),
        reverse("trajectories:family", args=[family.pk]),
        reverse("families:home"),
    ):
        page = client.get(url).content.decode()
        assert SECRET not in page
        assert reverse("trajectories:dossier", args=[family.pk]) not in page


def test_the_note_is_encrypted_at_rest_and_append_only(note):
    with connection.cursor() as cursor:
        cursor.execute("SELECT body FROM trajectories_dossiernote WHERE id = %s", [note.pk])
        stored = cursor.fetchone()[0]
    assert "dreigde" not in stored
    for statement in (
        "UPDATE trajectories_dossiernote SET created_at = now() - interval '1 day' WHERE id = %s",
        "DELETE FROM trajectories_dossiernote WHERE id = %s",
    ):
        with (
            pytest.raises(DatabaseError, match="append-only"),
            transaction.atomic(),
            connection.cursor() as cursor,
        ):
            cursor.execute(statement, [note.pk])
