from __future__ import annotations

import hashlib
import json

import pytest
from django.db import DatabaseError, transaction

from audit import actions
from audit.models import AuditEntry
from core.errors import Conflict, Invalid
from parentingplan import services
from parentingplan.models import PlanApproval, PlanVersion, Section, SectionAgreement, SectionOpinion
from parentingplan.selectors import access_plan, plan_state
from parentingplan.services import plan_group
from tests.parentingplan.conftest import agree, approve, fill_and_agree, save, section_of

pytestmark = pytest.mark.django_db


def status_of(section) -> str:
    return Section.objects.get(pk=section.pk).status


# -- agreement per section -------------------------------------------------------------------


def test_a_section_is_agreed_only_when_every_parent_agreed(plan, alice, bob):
    costs = section_of(plan, "costs")
    save(alice, costs, "<p>Ieder de helft.</p>")
    agree(alice, costs)
    assert status_of(costs) == Section.Status.PROPOSED
    frame = agree(bob, costs)
    assert status_of(costs) == Section.Status.AGREED
    assert frame["status"] == "agreed" and sorted(frame["agreed_by"]) == sorted([alice.pk, bob.pk])


def test_agreeing_to_different_revisions_does_not_make_a_section_agreed(plan, alice, bob):
    costs = section_of(plan, "costs")
    save(alice, costs, "<p>Ieder de helft.</p>")
    agree(alice, costs)
    save(bob, costs, "<p>Naar inkomen.</p>")
    agree(bob, costs)
    assert status_of(costs) == Section.Status.PROPOSED
    agree(alice, costs)
    assert status_of(costs) == Section.Status.AGREED


def test_a_new_revision_puts_an_agreed_section_back_to_proposed(plan, alice, bob):
    costs = section_of(plan, "costs")
    save(alice, costs, "<p>Ieder de helft.</p>")
    agree(alice, costs)
    agree(bob, costs)
    result = save(bob, costs, "<p>Ieder de helft, schoolreisjes samen.</p>")
    assert result.section["status"] == "proposed" and result.section["agreed_by"] == []
    assert status_of(costs) == Section.Status.PROPOSED


def test_agreeing_to_an_old_revision_is_a_conflict(plan, alice, bob):
    costs = section_of(plan, "costs")
    save(alice, costs, "<p>Eerst.</p>")
    save(alice, costs, "<p>Daarna.</p>")
    with pytest.raises(Conflict):
        services.section_agree(user=bob, section_id=costs.pk, revision=1)
    assert status_of(costs) == Section.Status.PROPOSED


def test_an_empty_section_cannot_be_agreed(plan, alice):
    with pytest.raises(Invalid):
        services.section_agree(user=alice, section_id=section_of(plan, "costs").pk, revision=0)


def test_a_parent_who_does_not_agree_makes_the_section_disputed(plan, alice, bob):
    costs = section_of(plan, "costs")
    save(alice, costs, "<p>Ieder de helft.</p>")
    agree(alice, costs)
    frame = agree(bob, costs, agrees=False)
    assert frame["status"] == "disputed" and frame["agrees"] is False and frame["by"] == bob.pk
    assert status_of(costs) == Section.Status.DISPUTED
    summary = plan_state(access_plan(user=alice, plan_id=plan.pk))["summary"]
    assert summary["disputed"] == ["Kosten van verzorging en opvoeding"]


def test_a_disputed_section_is_proposed_again_after_a_new_revision(plan, alice, bob):
    costs = section_of(plan, "costs")
    save(alice, costs, "<p>Ieder de helft.</p>")
    agree(bob, costs, agrees=False)
    save(bob, costs, "<p>Naar inkomen.</p>")
    assert status_of(costs) == Section.Status.PROPOSED


def test_a_parent_can_change_their_mind_from_dispute_to_agreement(plan, alice, bob):
    costs = section_of(plan, "costs")
    save(alice, costs, "<p>Ieder de helft.</p>")
    agree(alice, costs)
    agree(bob, costs, agrees=False)
    agree(bob, costs)
    assert status_of(costs) == Section.Status.AGREED


def test_agreement_is_announced_to_the_family(plan, alice, sent, django_capture_on_commit_callbacks):
    costs = section_of(plan, "costs")
    save(alice, costs, "<p>Ieder de helft.</p>")
    with django_capture_on_commit_callbacks(execute=True):
        agree(alice, costs)
    assert [(group, frame["type"], frame["status"]) for group, frame in sent] == [
        (plan_group(plan.pk, "family"), "section.status", "proposed")
    ]


# -- approval and freezing -------------------------------------------------------------------


def test_approval_is_refused_until_every_section_is_agreed(
    plan, alice, bob, sent, django_capture_on_commit_callbacks
):
    fill_and_agree(plan, alice, [alice, bob])
    save(bob, section_of(plan, "holidays"), "<p>Kerst om en om.</p>")
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(Invalid) as refused:
        approve(alice, plan)
    assert "Vakanties en feestdagen" in str(refused.value.detail)
    assert not PlanApproval.objects.exists()
    assert sent == []


def test_the_plan_freezes_when_both_parents_approved_the_same_revisions(
    plan, alice, bob, sent, django_capture_on_commit_callbacks
):
    fill_and_agree(plan, alice, [alice, bob])
    first = approve(alice, plan)
    assert first["frozen"] is None and not PlanVersion.objects.exists()
    with django_capture_on_commit_callbacks(execute=True):
        second = approve(bob, plan)
    assert second["frozen"] == 1

    version = PlanVersion.objects.get(plan=plan)
    plan.refresh_from_db()
    assert version.number == 1 and plan.version == 2
    assert [a["name"] for a in version.approvers] == ["Alice Ouder", "Bob Ouder"]
    assert all(a["approved_at"] for a in version.approvers)
    assert version.content_hash == hashlib.sha256(version.snapshot.encode("utf-8")).hexdigest()
    snapshot = json.loads(version.snapshot)
    assert [s["key"] for s in snapshot["sections"]][:4] == ["care", "information", "costs", "children"]
    assert snapshot["sections"][1]["content"] == "<p>Afspraak over Informeren en overleggen.</p>"

    assert AuditEntry.objects.filter(action=actions.PLAN_APPROVED).count() == 2
    frozen = AuditEntry.objects.get(action=actions.PLAN_FROZEN)
    assert frozen.details == {"version": 1, "content_hash": version.content_hash}
    assert ("plan.frozen", plan_group(plan.pk, "shared")) in [(f["type"], g) for g, f in sent]


def test_an_edit_between_the_two_approvals_prevents_freezing(plan, alice, bob):
    fill_and_agree(plan, alice, [alice, bob])
    approve(alice, plan)
    school = section_of(plan, "school")
    save(bob, school, "<p>Bob brengt, Alice haalt.</p>")
    with pytest.raises(Invalid):
        approve(bob, plan)
    agree(alice, school)
    agree(bob, school)
    assert approve(bob, plan)["frozen"] is None
    assert not PlanVersion.objects.exists()
    plan.refresh_from_db()
    assert plan.version == 1

    assert approve(alice, plan)["frozen"] == 1
    snapshot = json.loads(PlanVersion.objects.get(plan=plan).snapshot)
    assert next(s for s in snapshot["sections"] if s["key"] == "school")["revision"] == 2


def test_approving_a_version_that_was_already_frozen_is_a_conflict(plan, alice, bob):
    fill_and_agree(plan, alice, [alice, bob])
    approve(alice, plan)
    approve(bob, plan)
    with pytest.raises(Conflict):
        services.plan_approve(user=alice, plan_id=plan.pk, version=1)


def test_edits_after_freezing_start_the_next_version(plan, alice, bob):
    fill_and_agree(plan, alice, [alice, bob])
    approve(alice, plan)
    approve(bob, plan)
    frozen = PlanVersion.objects.get(plan=plan)
    school = section_of(plan, "school")
    save(alice, school, "<p>Nieuwe school per september.</p>")
    state = plan_state(access_plan(user=alice, plan_id=plan.pk))
    assert state["version"] == 2 and state["frozen_versions"] == [1] and state["approvals"] == []
    assert status_of(school) == Section.Status.PROPOSED
    again = PlanVersion.objects.get(pk=frozen.pk)
    assert (again.snapshot, again.content_hash) == (frozen.snapshot, frozen.content_hash)

    agree(alice, school)
    agree(bob, school)
    approve(alice, plan)
    approve(bob, plan)
    assert list(PlanVersion.objects.filter(plan=plan).values_list("number", flat=True)) == [1, 2]


@pytest.mark.parametrize("change", [{"number": 7}, {"content_hash": "0" * 64}])
def test_the_database_refuses_to_change_a_frozen_version(plan, alice, bob, change):
    fill_and_agree(plan, alice, [alice, bob])
    approve(alice, plan)
    approve(bob, plan)
    version = PlanVersion.objects.get(plan=plan)
    with pytest.raises(DatabaseError), transaction.atomic():
        PlanVersion.objects.filter(pk=version.pk).update(**change)
    again = PlanVersion.objects.get(pk=version.pk)
    assert (again.number, again.content_hash) == (1, version.content_hash)


def test_the_database_refuses_to_delete_a_frozen_version(plan, alice, bob):
    fill_and_agree(plan, alice, [alice, bob])
    approve(alice, plan)
    approve(bob, plan)
    with pytest.raises(DatabaseError), transaction.atomic():
        PlanVersion.objects.filter(plan=plan).delete()
    assert PlanVersion.objects.filter(plan=plan).count() == 1


def test_a_save_landing_during_the_last_approval_is_not_frozen_into_the_version(
    plan, alice, bob, monkeypatch
):
    """A save does not wait for the plan's lock, so on PostgreSQL it can commit between the
    approval's check and the freeze; here it is made to land at exactly that moment."""
    fill_and_agree(plan, alice, [alice, bob])
    approve(alice, plan)
    school = section_of(plan, "school")
    record = services.audit_record

    def record_then_save(**kwargs):
        entry = record(**kwargs)
        if kwargs["action"] == actions.PLAN_APPROVED and kwargs["actor"] == bob:
            save(alice, school, "<p>Toch een andere school.</p>")
        return entry

    monkeypatch.setattr(services, "audit_record", record_then_save)
    assert approve(bob, plan)["frozen"] == 1
    snapshot = json.loads(PlanVersion.objects.get(plan=plan).snapshot)
    frozen_school = next(s for s in snapshot["sections"] if s["key"] == "school")
    assert (frozen_school["revision"], frozen_school["content"]) == (
        1,
        "<p>Afspraak over School en opvang.</p>",
    )
    assert status_of(school) == Section.Status.PROPOSED


# -- disagreeing, with a reason --------------------------------------------------------------


@pytest.mark.parametrize("reason", ["", "   \n\t", None, 42])
def test_disagreeing_without_a_reason_is_refused_and_stores_nothing(plan, alice, bob, reason):
    costs = section_of(plan, "costs")
    save(alice, costs, "<p>Ieder de helft.</p>")
    with pytest.raises(Invalid) as refused:
        services.section_agree(user=bob, section_id=costs.pk, revision=1, agrees=False, reason=reason)
    assert "waarom" in str(refused.value.detail)
    assert status_of(costs) == Section.Status.PROPOSED
    assert not SectionAgreement.objects.exists() and not SectionOpinion.objects.exists()


def test_a_reason_longer_than_the_limit_is_refused(plan, alice, bob):
    costs = section_of(plan, "costs")
    save(alice, costs, "<p>Ieder de helft.</p>")
    with pytest.raises(Invalid):
        agree(bob, costs, agrees=False, reason="x" * (services.MAX_REASON_CHARS + 1))
    assert not SectionOpinion.objects.exists()


def test_the_reason_is_stored_with_the_opinion_and_shown_with_the_section(
    plan, alice, bob, sent, django_capture_on_commit_callbacks
):
    costs = section_of(plan, "costs")
    save(alice, costs, "<p>Ieder de helft.</p>")
    with django_capture_on_commit_callbacks(execute=True):
        frame = agree(bob, costs, agrees=False, reason="  Naar inkomen is eerlijker.  ")
    assert (frame["reason"], frame["by_name"]) == ("Naar inkomen is eerlijker.", "Bob Ouder")
    assert [(d["user"], d["reason"]) for d in frame["disputes"]] == [
        ({"id": bob.pk, "name": "Bob Ouder"}, "Naar inkomen is eerlijker.")]
    assert [(g, f["type"]) for g, f in sent] == [(plan_group(plan.pk, "family"), "section.status")]
    row = SectionAgreement.objects.get(user=bob)
    assert (row.agrees, row.reason) == (False, "Naar inkomen is eerlijker.")
    state = plan_state(access_plan(user=alice, plan_id=plan.pk))
    shown = next(s for s in state["sections"] if s["id"] == costs.pk)
    assert [d["reason"] for d in shown["disputes"]] == ["Naar inkomen is eerlijker."]


def test_every_opinion_is_kept_in_order_and_agreeing_clears_the_current_reason(plan, alice, bob):
    costs = section_of(plan, "costs")
    save(alice, costs, "<p>Ieder de helft.</p>")
    agree(bob, costs, agrees=False, reason="Te weinig.")
    agree(bob, costs, agrees=False, reason="Nog steeds te weinig.")
    agree(bob, costs, agrees=False, reason="Nog steeds te weinig.")  # a second tap: nothing new to keep
    frame = agree(bob, costs)
    assert frame["disputes"] == [] and frame["reason"] is None
    assert SectionAgreement.objects.get(user=bob).reason == ""
    assert list(SectionOpinion.objects.filter(section=costs).values_list("agrees", "reason")) == [
        (False, "Te weinig."), (False, "Nog steeds te weinig."), (True, "")]


def test_the_database_refuses_to_change_or_remove_an_opinion(plan, alice, bob):
    costs = section_of(plan, "costs")
    save(alice, costs, "<p>Ieder de helft.</p>")
    agree(bob, costs, agrees=False, reason="Te weinig.")
    opinion = SectionOpinion.objects.get()
    with pytest.raises(DatabaseError), transaction.atomic():
        SectionOpinion.objects.filter(pk=opinion.pk).update(agrees=True)
    with pytest.raises(DatabaseError), transaction.atomic():
        SectionOpinion.objects.filter(pk=opinion.pk).delete()
    assert SectionOpinion.objects.get().agrees is False


def test_the_plan_page_names_the_disagreement_and_its_reason_escaped(plan, alice, bob, carol, client_for):
    costs = section_of(plan, "costs")
    save(alice, costs, "<p>Ieder de helft.</p>")
    agree(bob, costs, agrees=False, reason="<script>alert(1)</script> Naar inkomen.")
    for reader in (alice, carol):
        page = client_for(reader).get(f"/gezin/{plan.family_id}/plan/").content.decode()
        block = page.split(f'id="section-{costs.pk}"', 1)[1].split("</section>", 1)[0]
        assert '<span class="status status-disputed" data-status>oneens</span>' in block
        assert ("<strong>Bob Ouder</strong> is het er niet mee eens: "
                "<span>&lt;script&gt;alert(1)&lt;/script&gt; Naar inkomen.</span>") in block
        assert "<script>alert" not in page
        assert "Oneens over:" in page and "Niet eens" not in page
    parent_page = client_for(alice).get(f"/gezin/{plan.family_id}/plan/").content.decode()
    assert ">Niet mee eens</button>" in parent_page and "Waarom ben je het er niet mee eens?" in parent_page
