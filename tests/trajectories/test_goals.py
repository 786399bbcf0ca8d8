"""Working goals and the agreement (issue 12, item 1): the practitioner writes goals and their
progress, each parent confirms the agreement for themselves (again when the goals change), the
practice's code of conduct and its receipts; the record the database refuses to change."""

from __future__ import annotations

import pytest
from django.db import connection, transaction
from django.db.utils import DatabaseError
from django.urls import reverse

from audit import actions
from audit.models import AuditEntry
from core.errors import Invalid, NotFound, PermissionDenied
from tests.trajectories.conftest import start
from trajectories import goals
from trajectories.models import (
    AgreementConfirmation,
    CodeOfConduct,
    CodeOfConductReceipt,
    Goal,
    GoalUpdate,
)

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def trajectory(people, family):
    return start(people["carol"], family)


def _goal(actor, family, trajectory, text="We maken samen een vakantieregeling."):
    return goals.goal_add(actor=actor, family_id=family.pk, trajectory_id=trajectory.pk, text=text)


def _confirm(user, family, trajectory, seen_hash=""):
    return goals.agreement_confirm(
        actor=user, family_id=family.pk, trajectory_id=trajectory.pk, seen_hash=seen_hash
    )


def test_the_practitioner_writes_goals_and_their_progress(trajectory, people, family):
    carol, pim = people["carol"], people["pim"]
    goal = _goal(carol, family, trajectory)
    state = goals.agreement_state(trajectory=trajectory)
    assert [g.goal.text for g in state.goals] == ["We maken samen een vakantieregeling."]
    assert state.goals[0].status == "open"
    goals.goal_update(actor=pim, family_id=family.pk, goal_id=goal.pk, status="in_progress",
                      note="Eerste versie besproken.")
    goals.goal_update(actor=carol, family_id=family.pk, goal_id=goal.pk, status="reached", note="")
    state = goals.agreement_state(trajectory=trajectory)
    assert state.goals[0].status == "reached"
    assert [u.note for u in state.goals[0].updates] == ["Eerste versie besproken.", ""]
    assert AuditEntry.objects.filter(action=actions.GOAL_ADDED, actor=carol, family=family).count() == 1
    assert AuditEntry.objects.filter(action=actions.GOAL_UPDATED, family=family).count() == 2


def test_empty_or_bad_input_is_refused_with_a_clear_error(trajectory, people, family):
    carol = people["carol"]
    with pytest.raises(Invalid, match="Schrijf eerst"):
        _goal(carol, family, trajectory, text="   ")
    with pytest.raises(Invalid, match="te lang"):
        _goal(carol, family, trajectory, text="x" * (goals.GOAL_MAX_CHARS + 1))
    goal = _goal(carol, family, trajectory)
    with pytest.raises(Invalid, match="status"):
        goals.goal_update(actor=carol, family_id=family.pk, goal_id=goal.pk, status="done")
    for bad in ("abc", None, 10**20, goal.pk + 1000):
        with pytest.raises(NotFound):
            goals.goal_update(actor=carol, family_id=family.pk, goal_id=bad, status="open")
    assert not GoalUpdate.objects.exists()


def test_a_parent_or_relative_cannot_write_goals_and_an_outsider_finds_nothing(
    trajectory, people, family, charlie, other_family
):
    goal = _goal(people["carol"], family, trajectory)
    for who in ("alice", "bob", "rita"):
        with pytest.raises(PermissionDenied):
            _goal(people[who], family, trajectory)
        with pytest.raises(PermissionDenied):
            goals.goal_update(actor=people[who], family_id=family.pk, goal_id=goal.pk, status="reached")
    with pytest.raises(NotFound):
        _goal(charlie, family, trajectory)
    # Charlie's own family (he is a parent there) does not reach this goal either.
    with pytest.raises((NotFound, PermissionDenied)):
        goals.goal_update(actor=charlie, family_id=other_family.pk, goal_id=goal.pk, status="reached")
    assert Goal.objects.count() == 1 and not GoalUpdate.objects.exists()


def test_each_parent_confirms_for_themselves_and_a_new_goal_asks_again(trajectory, people, family):
    alice, bob, carol = people["alice"], people["bob"], people["carol"]
    with pytest.raises(Invalid, match="nog geen doelen"):
        _confirm(alice, family, trajectory)
    _goal(carol, family, trajectory)
    first = _confirm(alice, family, trajectory)
    assert _confirm(alice, family, trajectory) == first  # a second click adds nothing
    state = goals.agreement_state(trajectory=trajectory)
    assert state.parent(alice.pk).confirmed == first
    assert state.parent(bob.pk).confirmed is None
    # Progress does not change the agreement ...
    goals.goal_update(actor=carol, family_id=family.pk, goal_id=Goal.objects.get().pk,
                      status="in_progress", note="loopt")
    assert goals.agreement_state(trajectory=trajectory).parent(alice.pk).confirmed == first
    # ... a new goal does: Alice is asked again, her earlier confirmation stays on record.
    old_hash = state.goals_hash
    _goal(carol, family, trajectory, text="We praten rustig over de overdracht.")
    state = goals.agreement_state(trajectory=trajectory)
    assert state.goals_hash != old_hash
    assert state.parent(alice.pk).confirmed is None
    assert state.parent(alice.pk).earlier == first
    # Confirming on a page that showed the old goals is refused: she has not seen the new one.
    with pytest.raises(Invalid, match="veranderd"):
        _confirm(alice, family, trajectory, seen_hash=old_hash)
    second = _confirm(alice, family, trajectory, seen_hash=state.goals_hash)
    assert goals.agreement_state(trajectory=trajectory).parent(alice.pk).confirmed == second
    assert AgreementConfirmation.objects.filter(user=alice).count() == 2
    assert AuditEntry.objects.filter(action=actions.AGREEMENT_CONFIRMED, actor=alice).count() == 2


def test_a_practitioner_or_relative_cannot_confirm(trajectory, people, family, charlie):
    _goal(people["carol"], family, trajectory)
    for who in ("carol", "pim", "rita"):
        with pytest.raises(PermissionDenied):
            _confirm(people[who], family, trajectory)
    with pytest.raises(NotFound):
        _confirm(charlie, family, trajectory)
    assert not AgreementConfirmation.objects.exists()


def test_the_code_of_conduct_is_uploaded_by_one_who_may_open_cases(people, carol, alice):
    carol.may_open_cases = True
    carol.save(update_fields=["may_open_cases"])
    with pytest.raises(PermissionDenied):
        goals.code_upload(actor=alice, name="x.pdf", content=PDF)
    with pytest.raises(Invalid, match="geen pdf"):
        goals.code_upload(actor=carol, name="x.pdf", content=b"MZ\x90\x00 not a pdf")
    with pytest.raises(Invalid, match="5 MB"):
        goals.code_upload(actor=carol, name="x.pdf", content=PDF + b"0" * goals.CODE_MAX_BYTES)
    code = goals.code_upload(actor=carol, name="../gedragscode.pdf", content=PDF)
    assert CodeOfConduct.objects.count() == 1
    assert bytes(CodeOfConduct.objects.get().content) == PDF
    assert "/" not in code.name
    assert AuditEntry.objects.filter(action=actions.CODE_OF_CONDUCT_UPLOADED, actor=carol).exists()


def test_each_parent_acknowledges_the_current_code_of_conduct(trajectory, people, family):
    alice, bob, carol = people["alice"], people["bob"], people["carol"]
    with pytest.raises(Invalid, match="nog geen gedragscode"):
        goals.code_receipt_confirm(actor=alice, family_id=family.pk)
    carol.may_open_cases = True
    carol.save(update_fields=["may_open_cases"])
    first = goals.code_upload(actor=carol, name="gedragscode.pdf", content=PDF)
    receipt = goals.code_receipt_confirm(actor=alice, family_id=family.pk, document_id=first.pk)
    assert goals.code_receipt_confirm(actor=alice, family_id=family.pk) == receipt
    state = goals.agreement_state(trajectory=trajectory)
    assert state.parent(alice.pk).receipt == receipt and state.parent(bob.pk).receipt is None
    with pytest.raises(PermissionDenied):
        goals.code_receipt_confirm(actor=carol, family_id=family.pk)
    # A new version asks again; a page that showed the old one does not count for the new one.
    goals.code_upload(actor=carol, name="gedragscode-2.pdf", content=PDF + b"%v2\n")
    assert goals.agreement_state(trajectory=trajectory).parent(alice.pk).receipt is None
    with pytest.raises(Invalid, match="nieuwe gedragscode"):
        goals.code_receipt_confirm(actor=alice, family_id=family.pk, document_id=first.pk)
    assert CodeOfConductReceipt.objects.filter(user=alice).count() == 1
    assert AuditEntry.objects.filter(action=actions.CODE_OF_CONDUCT_RECEIVED, actor=alice).count() == 1


@pytest.mark.parametrize(
    ("table", "statements"),
    [
        ("trajectories_goal", ["UPDATE {t} SET text = 'anders' WHERE id = %s",
                               "DELETE FROM {t} WHERE id = %s"]),
        ("trajectories_goalupdate", ["UPDATE {t} SET status = 'reached' WHERE id = %s",
                                     "DELETE FROM {t} WHERE id = %s"]),
        ("trajectories_agreementconfirmation", ["UPDATE {t} SET at = now() - interval '1 year' WHERE id = %s",
                                                "DELETE FROM {t} WHERE id = %s"]),
        ("trajectories_codeofconduct", ["UPDATE {t} SET content = 'x' WHERE id = %s",
                                        "DELETE FROM {t} WHERE id = %s"]),
        ("trajectories_codeofconductreceipt", ["UPDATE {t} SET user_id = user_id WHERE id = %s",
                                               "DELETE FROM {t} WHERE id = %s"]),
    ],
)
def test_the_database_refuses_to_change_or_delete_the_record(trajectory, people, family, table, statements):
    alice, carol = people["alice"], people["carol"]
    carol.may_open_cases = True
    carol.save(update_fields=["may_open_cases"])
    goal = _goal(carol, family, trajectory)
    rows = {
        "trajectories_goal": goal,
        "trajectories_goalupdate": goals.goal_update(actor=carol, family_id=family.pk, goal_id=goal.pk,
                                                     status="in_progress"),
        "trajectories_agreementconfirmation": _confirm(alice, family, trajectory),
        "trajectories_codeofconduct": goals.code_upload(actor=carol, name="g.pdf", content=PDF),
    }
    rows["trajectories_codeofconductreceipt"] = goals.code_receipt_confirm(actor=alice, family_id=family.pk)
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


# -- the pages -----------------------------------------------------------------------------------------


def _page(client, family):
    return client.get(reverse("trajectories:family", args=[family.pk])).content.decode()


def test_parents_see_the_goals_and_confirm_on_ons_traject(trajectory, people, family, client_for):
    alice, bob, carol = people["alice"], people["bob"], people["carol"]
    carol_client = client_for(carol)
    response = carol_client.post(reverse("trajectories:goal_add", args=[family.pk, trajectory.pk]),
                                 {"text": "We <b>overleggen</b> per mail."})
    assert response.status_code == 302
    page = _page(client_for(alice), family)
    assert "We &lt;b&gt;overleggen&lt;/b&gt; per mail." in page
    assert "Ik ga akkoord met deze afspraken" in page
    assert "Lees de doelen en ga akkoord met de afspraken." in page.split('id="asks-h"')[1][:1500]
    # Bob posts with Alice's id: it is his own confirmation, never hers.
    bob_client = client_for(bob)
    state = goals.agreement_state(trajectory=trajectory)
    response = bob_client.post(reverse("trajectories:agreement_confirm", args=[family.pk, trajectory.pk]),
                               {"seen": state.goals_hash, "user": alice.pk, "user_id": alice.pk})
    assert response.status_code == 302
    assert list(AgreementConfirmation.objects.values_list("user_id", flat=True)) == [bob.pk]
    assert "Ik ga akkoord met deze afspraken" in _page(client_for(alice), family)
    assert 'id="agreement-done"' in _page(bob_client, family)
    # A new goal: Bob is asked again on his page.
    carol_client.post(reverse("trajectories:goal_add", args=[family.pk, trajectory.pk]),
                      {"text": "Overdracht bij school."})
    page = _page(bob_client, family)
    assert "Ik ga akkoord met deze afspraken" in page and "De doelen zijn veranderd" in page
    # The practitioner's page shows who agreed and lets her record progress.
    goal = Goal.objects.first()
    response = carol_client.post(reverse("trajectories:goal_update", args=[family.pk, goal.pk]),
                                 {"status": "reached", "note": "Gelukt in week 4."})
    assert response.status_code == 302
    page = _page(carol_client, family)
    assert "Gelukt in week 4." in page and "bereikt" in page


def test_the_goal_pages_refuse_parents_relatives_and_outsiders(
    trajectory, people, family, client_for, charlie
):
    goal = _goal(people["carol"], family, trajectory)
    add = reverse("trajectories:goal_add", args=[family.pk, trajectory.pk])
    update = reverse("trajectories:goal_update", args=[family.pk, goal.pk])
    confirm = reverse("trajectories:agreement_confirm", args=[family.pk, trajectory.pk])
    receipt = reverse("trajectories:code_receipt", args=[family.pk])
    alice = client_for(people["alice"])
    assert alice.post(add, {"text": "Alice wint"}).status_code == 403
    assert alice.post(update, {"status": "stopped"}).status_code == 403
    rita, outsider = client_for(people["rita"]), client_for(charlie)
    for url, data in ((add, {"text": "x"}), (update, {"status": "stopped"}), (confirm, {}), (receipt, {})):
        assert rita.post(url, data).status_code == 403
        assert outsider.post(url, data).status_code == 404
    assert client_for(people["carol"]).post(confirm, {}).status_code == 403
    assert Goal.objects.count() == 1 and not GoalUpdate.objects.exists()
    assert not AgreementConfirmation.objects.exists()


def test_the_code_of_conduct_pages(trajectory, people, family, client_for, charlie):
    from django.core.files.uploadedfile import SimpleUploadedFile

    carol, alice = people["carol"], people["alice"]
    upload = reverse("trajectories:code_upload")
    pim = people["pim"]
    pim.may_open_cases = False
    pim.save(update_fields=["may_open_cases"])
    assert client_for(pim).get(upload).status_code == 404  # may not open cases
    assert client_for(alice).post(upload, {"file": SimpleUploadedFile("c.pdf", PDF)}).status_code == 404
    carol.may_open_cases = True
    carol.save(update_fields=["may_open_cases"])
    client = client_for(carol)
    bad = client.post(upload, {"file": SimpleUploadedFile("x.pdf", b"<html>", "application/pdf")})
    assert bad.status_code == 400 and "geen pdf" in bad.content.decode()
    good = client.post(upload, {"file": SimpleUploadedFile("code.pdf", PDF, "application/pdf")})
    assert good.status_code == 302
    download = reverse("trajectories:code_download")
    response = client_for(alice).get(download)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response.content == PDF
    assert client_for(charlie).get(download).status_code == 404  # his family has no trajectory
    assert client_for(people["rita"]).get(download).status_code == 404
    page = _page(client_for(alice), family)
    assert "Ik heb de gedragscode ontvangen" in page
    assert "Lees de gedragscode en bevestig" in page
    code = CodeOfConduct.objects.get()
    response = client_for(people["bob"]).post(reverse("trajectories:code_receipt", args=[family.pk]),
                                              {"seen": code.pk, "user": alice.pk})
    assert response.status_code == 302
    assert list(CodeOfConductReceipt.objects.values_list("user_id", flat=True)) == [people["bob"].pk]
    assert "Ik heb de gedragscode ontvangen" in _page(client_for(alice), family)
    assert "Ik heb de gedragscode ontvangen" not in _page(client_for(people["bob"]), family)


def test_the_goals_panel_in_english(trajectory, people, family, client_for):
    alice = people["alice"]
    alice.language = "en"
    alice.save(update_fields=["language"])
    _goal(people["carol"], family, trajectory)
    page = _page(client_for(alice), family)
    assert "Goals and agreements" in page and "I agree with these arrangements" in page
    assert "Read the goals and agree with the arrangements." in page
    assert "Ik ga akkoord" not in page


def test_a_parents_avg_download_has_their_own_confirmations_only(trajectory, people, family):
    from accounts.personal_data import personal_data_collect

    _goal(people["carol"], family, trajectory)
    _confirm(people["alice"], family, trajectory)
    _confirm(people["bob"], family, trajectory)
    mine = personal_data_collect(user=people["alice"])["agreements"]
    assert len(mine) == 1 and mine[0]["family"] == family.reference
    assert "agreement_confirmed_at" in mine[0]
