from __future__ import annotations

import uuid
from datetime import date, timedelta

import pytest
from django.utils import timezone

from core.errors import Invalid, NotFound, PermissionDenied
from parentingplan import services
from parentingplan.models import ChildWish, Comment, PlanApproval, SectionRevision
from parentingplan.selectors import access_plan, plan_state
from tests.factories import ChildFactory
from tests.parentingplan.conftest import agree, approve, fill_and_agree, save, section_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def shared_school(plan, alice, carol):
    """School is shared with relatives; costs is not."""
    school = section_of(plan, "school")
    services.section_manage(user=carol, plan_id=plan.pk, section_id=school.pk, shared=True)
    save(alice, school, "<p>Noor gaat naar De Regenboog.</p>")
    save(alice, section_of(plan, "costs"), "<p>Alimentatie 300 euro per maand.</p>")
    return school


# -- relatives -------------------------------------------------------------------------------


def test_a_relative_sees_only_the_sections_shared_with_them(plan, rita, shared_school):
    state = plan_state(access_plan(user=rita, plan_id=plan.pk))
    assert [s["key"] for s in state["sections"]] == ["school"]
    assert state["sections"][0]["content"] == "<p>Noor gaat naar De Regenboog.</p>"


def test_a_relative_cannot_edit_a_shared_section(plan, rita, shared_school):
    with pytest.raises(PermissionDenied) as refused:
        save(rita, shared_school, "<p>Oma haalt op.</p>")
    assert refused.value.code == "forbidden"
    assert SectionRevision.objects.filter(section=shared_school).count() == 1


def test_a_relative_gets_not_found_for_a_section_not_shared_with_them(plan, rita, shared_school):
    costs = section_of(plan, "costs")
    with pytest.raises(NotFound):
        save(rita, costs, "<p>Oma betaalt.</p>")
    with pytest.raises(NotFound):
        services.section_agree(user=rita, section_id=costs.pk, revision=1)


def test_a_relative_cannot_agree_or_approve(plan, rita, shared_school):
    with pytest.raises(PermissionDenied):
        services.section_agree(user=rita, section_id=shared_school.pk, revision=1)
    with pytest.raises(PermissionDenied):
        services.plan_approve(user=rita, plan_id=plan.pk, version=1)


def test_the_plan_page_shows_a_relative_only_the_shared_sections(plan, rita, shared_school, client_for):
    response = client_for(rita).get(f"/gezin/{plan.family_id}/plan/")
    page = response.content.decode()
    assert response.status_code == 200
    assert "Noor gaat naar De Regenboog." in page
    assert "Alimentatie" not in page and "Kosten van verzorging" not in page
    assert "data-edit" not in page and "data-agree" not in page


def test_a_relative_gets_not_found_for_the_history_of_a_section_not_shared_with_them(
    plan, rita, shared_school, client_for
):
    client = client_for(rita)
    assert client.get(f"/plan/onderdeel/{section_of(plan, 'costs').pk}/geschiedenis/").status_code == 404
    assert client.get(f"/plan/onderdeel/{shared_school.pk}/geschiedenis/").status_code == 200


# -- practitioners ---------------------------------------------------------------------------


def test_a_practitioner_comments_but_cannot_agree_or_approve(plan, alice, bob, carol):
    costs = section_of(plan, "costs")
    save(alice, costs, "<p>Ieder de helft.</p>")
    frame = services.comment_add(user=carol, section_id=costs.pk, body="Denk aan de kinderbijslag.")
    assert frame["comment"]["body"] == "Denk aan de kinderbijslag."
    with pytest.raises(PermissionDenied) as refused:
        services.section_agree(user=carol, section_id=costs.pk, revision=1)
    assert refused.value.code == "forbidden"
    fill_and_agree(plan, alice, [alice, bob])
    with pytest.raises(PermissionDenied):
        approve(carol, plan)
    assert not PlanApproval.objects.exists()


def test_a_practitioner_does_not_write_the_parents_text(plan, pim):
    with pytest.raises(PermissionDenied):
        save(pim, section_of(plan, "costs"), "<p>Zo moet het.</p>")


def test_a_parent_comments_for_the_family_and_everyone_who_sees_the_section_reads_it(
    plan, alice, bob, carol, pim, rita, shared_school, client_for
):
    costs = section_of(plan, "costs")
    frame = services.comment_add(user=alice, section_id=costs.pk, body="Kan het <b>300</b> worden?")
    assert frame["comment"]["visibility"] == "family" and frame["comment"]["author"]["name"] == "Alice Ouder"
    services.comment_add(user=bob, section_id=shared_school.pk, body="Oma mag ook ophalen.")
    for reader in (bob, carol, pim):
        page = client_for(reader).get(f"/gezin/{plan.family_id}/plan/").content.decode()
        assert "Kan het &lt;b&gt;300&lt;/b&gt; worden?" in page and "<b>300</b>" not in page
    # A relative reads the comments on the section shared with them, and nothing else.
    relative = client_for(rita).get(f"/gezin/{plan.family_id}/plan/").content.decode()
    assert "Oma mag ook ophalen." in relative and "300" not in relative


def test_a_parent_cannot_write_a_note_only_practitioners_see(plan, alice):
    with pytest.raises(PermissionDenied):
        services.comment_add(user=alice, section_id=section_of(plan, "costs").pk, body="Hallo",
                             visibility=Comment.Visibility.PRACTITIONERS)
    assert not Comment.objects.exists()


def test_a_parents_comment_form_has_no_choice_of_audience(plan, alice, carol, client_for):
    page = client_for(alice).get(f"/gezin/{plan.family_id}/plan/").content.decode()
    assert 'data-comment-form' in page and 'name="visibility" value="family"' in page
    assert "alleen begeleiders" not in page
    assert "alleen begeleiders" in client_for(carol).get(f"/gezin/{plan.family_id}/plan/").content.decode()


def test_a_relative_cannot_comment(plan, rita, shared_school):
    with pytest.raises(PermissionDenied):
        services.comment_add(user=rita, section_id=shared_school.pk, body="Hallo")
    assert not Comment.objects.exists()


def test_a_parent_who_floods_the_comments_is_slowed_down(plan, alice, bob):
    from core.errors import RateLimited

    costs = section_of(plan, "costs")
    for n in range(services.MAX_COMMENTS_PER_HOUR):
        services.comment_add(user=alice, section_id=costs.pk, body=f"Opmerking {n}")
    with pytest.raises(RateLimited) as refused:
        services.comment_add(user=alice, section_id=section_of(plan, "school").pk, body="Nog een")
    assert "Wacht even" in str(refused.value.detail)
    assert Comment.objects.filter(author=alice).count() == services.MAX_COMMENTS_PER_HOUR
    # The other parent is not held back by it.
    services.comment_add(user=bob, section_id=costs.pk, body="Ik reageer morgen.")


def test_a_parent_who_floods_the_other_with_reasons_for_disagreeing_is_slowed_down(plan, alice, bob):
    """Bob disagrees again and again, each time with new words that reach Alice: the reasons count
    towards the comments' hourly limit. Agreeing is never held back, nor is Alice."""
    from core.errors import RateLimited
    from parentingplan.models import SectionOpinion

    costs = section_of(plan, "costs")
    save(alice, costs, "<p>Wij delen de kosten half om half.</p>")
    for n in range(services.MAX_COMMENTS_PER_HOUR):
        agree(bob, costs, agrees=False, reason=f"Nee, en nog eens nee ({n}).")
    with pytest.raises(RateLimited) as refused:
        agree(bob, costs, agrees=False, reason="Nee, nog steeds niet.")
    assert str(refused.value.detail).startswith("Je hebt het afgelopen uur al 30 opmerkingen en redenen")
    assert SectionOpinion.objects.filter(user=bob, agrees=False).count() == services.MAX_COMMENTS_PER_HOUR
    with pytest.raises(RateLimited):  # the same limit holds for his comments
        services.comment_add(user=bob, section_id=costs.pk, body="En nog iets")
    agree(bob, costs)  # agreeing is never limited
    assert SectionOpinion.objects.filter(user=bob).latest("pk").agrees is True
    agree(alice, costs, agrees=False, reason="Toch liever anders.")  # Alice is not held back


def test_practitioner_only_notes_never_reach_the_parents_page(plan, alice, carol, pim, client_for):
    costs = section_of(plan, "costs")
    services.comment_add(user=carol, section_id=costs.pk, body="Voor iedereen: mooi voorstel.")
    services.comment_add(
        user=carol,
        section_id=costs.pk,
        body="Notitie: vader lijkt onder druk te staan.",
        visibility=Comment.Visibility.PRACTITIONERS,
    )
    parent_page = client_for(alice).get(f"/gezin/{plan.family_id}/plan/").content.decode()
    assert "Voor iedereen: mooi voorstel." in parent_page
    assert "onder druk" not in parent_page
    pro_page = client_for(pim).get(f"/gezin/{plan.family_id}/plan/").content.decode()
    assert "Notitie: vader lijkt onder druk te staan." in pro_page


def test_a_comment_needs_a_body_and_a_known_audience(plan, carol):
    costs = section_of(plan, "costs")
    with pytest.raises(Invalid):
        services.comment_add(user=carol, section_id=costs.pk, body="   ")
    with pytest.raises(Invalid):
        services.comment_add(user=carol, section_id=costs.pk, body="Hoi", visibility="everyone")
    assert not Comment.objects.exists()


def test_a_practitioner_records_what_a_child_said(plan, family, carol, alice, client_for):
    noor = ChildFactory(family=family, first_name="Noor")
    wish = services.child_wish_add(
        user=carol,
        plan_id=plan.pk,
        child_id=noor.pk,
        heard_on=date(2025, 3, 4),
        how="KIES-gesprek met de kindercoach",
        said="Ik wil de hond blijven zien.",
    )
    stored = ChildWish.objects.get(pk=wish.pk)
    assert (stored.child, stored.recorded_by, stored.said) == (noor, carol, "Ik wil de hond blijven zien.")
    page = client_for(alice).get(f"/gezin/{plan.family_id}/plan/").content.decode()
    assert "KIES-gesprek met de kindercoach" in page and "Ik wil de hond blijven zien." in page


def test_a_parent_cannot_record_a_childs_wishes(plan, family, alice):
    noor = ChildFactory(family=family)
    with pytest.raises(PermissionDenied):
        services.child_wish_add(
            user=alice,
            plan_id=plan.pk,
            child_id=noor.pk,
            heard_on=date(2025, 3, 4),
            how="aan tafel",
            said="Ik wil bij mama.",
        )


def test_a_childs_wishes_need_a_child_of_this_family_and_a_date_not_in_the_future(plan, carol, other_family):
    stranger = ChildFactory(family=other_family)
    with pytest.raises(NotFound):
        services.child_wish_add(
            user=carol,
            plan_id=plan.pk,
            child_id=stranger.pk,
            heard_on=date(2025, 3, 4),
            how="gesprek",
            said="iets",
        )
    noor = ChildFactory(family=plan.family)
    with pytest.raises(Invalid):
        services.child_wish_add(
            user=carol,
            plan_id=plan.pk,
            child_id=noor.pk,
            heard_on=timezone.localdate() + timedelta(days=1),
            how="gesprek",
            said="iets",
        )
    assert not ChildWish.objects.exists()


# -- hidden sections and outsiders -----------------------------------------------------------


def test_a_parent_gets_not_found_for_a_hidden_section(plan, alice, carol):
    moving = section_of(plan, "moving")
    services.section_manage(user=carol, plan_id=plan.pk, section_id=moving.pk, hidden=True)
    with pytest.raises(NotFound):
        save(alice, moving, "<p>Ik verhuis.</p>")


def test_a_parent_of_another_family_gets_not_found_for_everything(
    plan, alice, bob, carol, charlie, client_for
):
    costs = section_of(plan, "costs")
    save(alice, costs, "<p>Ieder de helft.</p>")
    agree(alice, costs)
    noor = ChildFactory(family=plan.family)
    attempts = [
        lambda: save(charlie, costs, "<p>Inbreker.</p>"),
        lambda: services.section_agree(user=charlie, section_id=costs.pk, revision=1),
        lambda: services.plan_approve(user=charlie, plan_id=plan.pk, version=1),
        lambda: services.comment_add(user=charlie, section_id=costs.pk, body="Hoi"),
        lambda: services.section_restore(user=charlie, section_id=costs.pk, revision=1),
        lambda: services.section_manage(user=charlie, plan_id=plan.pk, title="Van mij"),
        lambda: services.child_wish_add(
            user=charlie, plan_id=plan.pk, child_id=noor.pk, heard_on=date(2025, 1, 1), how="x", said="y"
        ),
        lambda: access_plan(user=charlie, plan_id=plan.pk),
    ]
    for attempt in attempts:
        with pytest.raises(NotFound) as refused:
            attempt()
        assert refused.value.code == "not_found"
    # The same answer as for something that does not exist at all.
    with pytest.raises(NotFound):
        services.section_save(
            user=charlie, section_id=10**9, base_revision=0, content="x", client_id=str(uuid.uuid4())
        )

    fill_and_agree(plan, alice, [alice, bob])
    approve(alice, plan)
    approve(bob, plan)
    client = client_for(charlie)
    family_id = plan.family_id
    for url in [
        f"/gezin/{family_id}/plan/",
        f"/plan/onderdeel/{costs.pk}/geschiedenis/",
        f"/gezin/{family_id}/plan/versie/1/",
        f"/gezin/{family_id}/plan/versie/1/pdf?lang=nl",
    ]:
        assert client.get(url).status_code == 404, url
    for url, data in [
        (f"/plan/onderdeel/{costs.pk}/terugzetten/", {"revision": 1}),
        (f"/plan/onderdeel/{costs.pk}/beheer/", {"title": "x"}),
        (f"/gezin/{family_id}/plan/onderdeel/", {"title": "x"}),
        (f"/gezin/{family_id}/plan/kind/", {"child": noor.pk}),
    ]:
        assert client.post(url, data).status_code == 404, url
    assert SectionRevision.objects.filter(author=charlie).count() == 0
