"""Children of a family: practitioners add, correct and remove them; birth dates in a sensible
range; a name too long is refused with a message, never cut; a removed child stays in the records."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from audit import actions
from audit.models import AuditEntry
from core.errors import Invalid, NotFound, PermissionDenied
from families import services
from families.models import CHILD_MAX_AGE_YEARS, Child, Membership, Role
from parentingplan import services as plan_services
from parentingplan.models import ChildWish
from tests.factories import ChildFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def plan(family, alice, bob):
    return plan_services.plan_ensure(family=family)


@pytest.fixture
def noor(family):
    return Child.objects.create(family=family, first_name="Noor", birth_date=date(2015, 5, 14))


def _edit_url(family, child):
    return reverse("families:child_edit", args=[family.pk, child.pk])


def _remove_url(family, child):
    return reverse("families:child_remove", args=[family.pk, child.pk])


def _years_ago(years: int, *, days: int = 0) -> date:
    today = timezone.localdate()
    return today.replace(year=today.year - years) - timedelta(days=days)


# -- correcting a child's name and birth date ------------------------------------------------------


def test_a_practitioner_corrects_a_childs_name_and_birth_date_and_the_old_values_are_audited(
    pim, family, noor, client_for
):
    response = client_for(pim).post(_edit_url(family, noor), {"first_name": "Noortje",
                                                              "birth_date": "2015-06-14"})

    assert response.status_code == 302
    assert response["Location"] == reverse("families:detail", args=[family.pk])
    noor.refresh_from_db()
    assert (noor.first_name, noor.birth_date) == ("Noortje", date(2015, 6, 14))
    entry = AuditEntry.objects.get(action=actions.CHILD_CHANGED)
    assert (entry.actor, entry.family, entry.target_id) == (pim, family, str(noor.pk))
    assert entry.details == {"first_name": {"old": "Noor", "new": "Noortje"},
                             "birth_date": {"old": "2015-05-14", "new": "2015-06-14"}}


def test_the_edit_page_shows_the_current_values(pim, family, noor, client_for):
    body = client_for(pim).get(_edit_url(family, noor)).content.decode()
    assert 'value="Noor"' in body
    assert 'value="2015-05-14"' in body


def test_saving_without_a_change_writes_no_audit_entry(pim, family, noor, client_for):
    response = client_for(pim).post(_edit_url(family, noor), {"first_name": " Noor ",
                                                              "birth_date": "2015-05-14"})
    assert response.status_code == 302
    assert not AuditEntry.objects.filter(action=actions.CHILD_CHANGED).exists()


@pytest.mark.parametrize("who", ["alice", "rita"])
def test_a_parent_or_relative_can_neither_correct_nor_remove_a_child(
    who, alice, rita, family, noor, client_for
):
    client = client_for({"alice": alice, "rita": rita}[who])

    page = client.get(_edit_url(family, noor))
    edit = client.post(_edit_url(family, noor), {"first_name": "Anders", "birth_date": "2016-01-01"})
    remove = client.post(_remove_url(family, noor))

    assert page.status_code == edit.status_code == remove.status_code == 403
    noor.refresh_from_db()
    assert (noor.first_name, noor.birth_date, noor.removed_at) == ("Noor", date(2015, 5, 14), None)
    assert AuditEntry.objects.filter(action=actions.ACCESS_DENIED, actor__in=[alice, rita]).count() == 3
    with pytest.raises(PermissionDenied):
        services.child_remove(actor=alice, family_id=family.pk, child_id=noor.pk)


def test_a_parent_does_not_see_the_link_to_correct_a_child(alice, family, noor, client_for):
    body = client_for(alice).get(reverse("families:detail", args=[family.pk])).content.decode()
    assert "Noor" in body
    assert _edit_url(family, noor) not in body


def test_a_practitioner_sees_the_link_to_correct_each_child(pim, family, noor, client_for):
    body = client_for(pim).get(reverse("families:detail", args=[family.pk])).content.decode()
    assert _edit_url(family, noor) in body


def test_an_outsider_gets_not_found_and_learns_nothing(charlie, family, noor, client_for):
    client = client_for(charlie)
    for response in (client.get(_edit_url(family, noor)),
                     client.post(_edit_url(family, noor), {"first_name": "X", "birth_date": "2016-01-01"}),
                     client.post(_remove_url(family, noor))):
        assert response.status_code == 404
        assert "Noor" not in response.content.decode()
    noor.refresh_from_db()
    assert (noor.first_name, noor.removed_at) == ("Noor", None)


def test_a_child_of_another_family_cannot_be_reached_through_this_familys_address(
    carol, family, other_family, client_for
):
    # Carol coordinates both families; the child belongs to the other one.
    Membership.objects.create(user=carol, family=other_family, role=Role.COORDINATOR)
    elsewhere = Child.objects.create(family=other_family, first_name="Elders", birth_date=date(2016, 1, 1))
    client = client_for(carol)

    assert client.get(_edit_url(family, elsewhere)).status_code == 404
    assert client.post(_edit_url(family, elsewhere), {"first_name": "X",
                                                      "birth_date": "2016-01-01"}).status_code == 404
    assert client.post(_remove_url(family, elsewhere)).status_code == 404
    elsewhere.refresh_from_db()
    assert (elsewhere.first_name, elsewhere.removed_at) == ("Elders", None)
    with pytest.raises(NotFound):
        services.child_change(actor=carol, family_id=family.pk, child_id=elsewhere.pk, first_name="X",
                              birth_date=date(2016, 1, 1))


def test_a_child_id_too_large_for_the_database_is_simply_not_found(pim, family, client_for):
    client = client_for(pim)
    assert client.get(f"/gezin/{family.pk}/kind/{10**20}/").status_code == 404
    assert client.post(f"/gezin/{family.pk}/kind/{10**20}/verwijderen/").status_code == 404


# -- removing a child -------------------------------------------------------------------------------


def test_removing_a_child_takes_it_off_the_family_page_and_keeps_the_record(pim, alice, family, noor,
                                                                             client_for):
    response = client_for(pim).post(_remove_url(family, noor))

    assert response.status_code == 302
    stored = Child.all_objects.get(pk=noor.pk)
    assert stored.removed_at is not None
    assert stored.removed_by == pim
    assert not Child.objects.filter(pk=noor.pk).exists()
    assert list(family.children.all()) == []
    entry = AuditEntry.objects.get(action=actions.CHILD_REMOVED)
    assert (entry.actor, entry.family, entry.target_id) == (pim, family, str(noor.pk))
    page = client_for(alice).get(reverse("families:detail", args=[family.pk])).content.decode()
    assert "Noor" not in page
    assert "Nog geen kinderen ingevuld." in page


def test_a_removed_child_cannot_be_corrected_or_removed_again(pim, family, noor, client_for):
    services.child_remove(actor=pim, family_id=family.pk, child_id=noor.pk)
    client = client_for(pim)

    assert client.get(_edit_url(family, noor)).status_code == 404
    assert client.post(_edit_url(family, noor), {"first_name": "Terug",
                                                 "birth_date": "2015-05-14"}).status_code == 404
    assert client.post(_remove_url(family, noor)).status_code == 404
    assert AuditEntry.objects.filter(action=actions.CHILD_REMOVED).count() == 1
    assert Child.all_objects.get(pk=noor.pk).first_name == "Noor"


def test_what_the_plan_recorded_of_a_removed_child_stays_and_still_names_the_child(
    plan, carol, alice, family, noor, client_for
):
    plan_services.child_wish_add(user=carol, plan_id=plan.pk, child_id=noor.pk, heard_on=date(2025, 3, 4),
                                 how="KIES-gesprek", said="Ik wil mijn fiets bij beide huizen.")

    daan = Child.objects.create(family=family, first_name="Daan", birth_date=date(2018, 10, 2))

    services.child_remove(actor=carol, family_id=family.pk, child_id=noor.pk)

    wish = ChildWish.objects.get()
    assert wish.child.first_name == "Noor"
    page = client_for(carol).get(reverse("parentingplan:plan", args=[family.pk])).content.decode()
    assert "Ik wil mijn fiets bij beide huizen." in page
    assert re.search(r"Noor · ", page)  # the record still names the child
    # Only Daan is offered for a new record.
    assert f'<option value="{daan.pk}"' in page
    assert f'<option value="{noor.pk}"' not in page


def test_nothing_new_can_be_recorded_for_a_removed_child(plan, carol, family, noor):
    services.child_remove(actor=carol, family_id=family.pk, child_id=noor.pk)
    with pytest.raises(NotFound):
        plan_services.child_wish_add(user=carol, plan_id=plan.pk, child_id=noor.pk, heard_on=date(2025, 3, 4),
                                     how="Gesprek", said="Iets")
    assert not ChildWish.objects.exists()


def test_removing_asks_for_confirmation_on_the_childs_page(pim, family, noor, client_for):
    body = client_for(pim).get(_edit_url(family, noor)).content.decode()
    assert f'action="{_remove_url(family, noor)}"' in body
    assert "Zeker weten?" in body


def test_removing_only_by_post(pim, family, noor, client_for):
    assert client_for(pim).get(_remove_url(family, noor)).status_code == 405
    noor.refresh_from_db()
    assert noor.removed_at is None


# -- birth dates in a sensible range ---------------------------------------------------------------


@pytest.mark.parametrize(("birth_date", "message"), [
    ("2999-01-01", "De geboortedatum ligt in de toekomst."),
    ("tomorrow", "De geboortedatum ligt in de toekomst."),
    ("26 years ago", f"meer dan {CHILD_MAX_AGE_YEARS} jaar terug"),
    ("0001-01-01", f"meer dan {CHILD_MAX_AGE_YEARS} jaar terug"),
    ("99999-01-01", "Dit is geen geldige datum."),
    ("14 mei", "Dit is geen geldige datum."),
    ("", "Vul de geboortedatum van het kind in."),
])
@pytest.mark.parametrize("page", ["add", "edit"])
def test_a_birth_date_out_of_range_is_refused_with_a_message_on_the_form(
    pim, family, noor, client_for, birth_date, message, page
):
    birth_date = {"tomorrow": (timezone.localdate() + timedelta(days=1)).isoformat(),
                  "26 years ago": _years_ago(CHILD_MAX_AGE_YEARS + 1).isoformat()}.get(birth_date, birth_date)
    url = reverse("families:child_add", args=[family.pk]) if page == "add" else _edit_url(family, noor)

    response = client_for(pim).post(url, {"first_name": "Lotte", "birth_date": birth_date})

    assert response.status_code == 200
    assert message in response.content.decode()
    assert 'value="Lotte"' in response.content.decode()  # the input is kept
    assert list(Child.all_objects.values_list("first_name", "birth_date")) == [("Noor", date(2015, 5, 14))]


@pytest.mark.parametrize("birth_date", ["today", "25 years ago"])
def test_the_ends_of_the_range_are_accepted(pim, family, client_for, birth_date):
    value = timezone.localdate() if birth_date == "today" else _years_ago(CHILD_MAX_AGE_YEARS)
    response = client_for(pim).post(reverse("families:child_add", args=[family.pk]),
                                    {"first_name": "Lotte", "birth_date": value.isoformat()})
    assert response.status_code == 302
    assert Child.objects.get().birth_date == value


def test_the_date_picker_offers_only_the_accepted_range(pim, family, client_for):
    body = client_for(pim).get(reverse("families:child_add", args=[family.pk])).content.decode()
    assert f'min="{_years_ago(CHILD_MAX_AGE_YEARS).isoformat()}"' in body
    assert f'max="{timezone.localdate().isoformat()}"' in body


def test_the_service_refuses_a_date_out_of_range_too(pim, family, noor):
    with pytest.raises(Invalid, match="meer dan 25 jaar terug"):
        services.child_add(actor=pim, family_id=family.pk, first_name="Oud", birth_date=date(1950, 1, 1))
    with pytest.raises(Invalid, match="toekomst"):
        services.child_change(actor=pim, family_id=family.pk, child_id=noor.pk, first_name="Noor",
                              birth_date=timezone.localdate() + timedelta(days=1))
    assert list(Child.all_objects.values_list("first_name", "birth_date")) == [("Noor", date(2015, 5, 14))]


# -- nothing cut off silently ----------------------------------------------------------------------

LONGEST = "Maximiliaan-Alexander-Constantijn-Benedictus-Frederik-Willem"  # 60 characters


def test_the_name_field_does_not_let_the_browser_cut_a_long_name(pim, family, noor, client_for):
    for url in (reverse("families:child_add", args=[family.pk]), _edit_url(family, noor)):
        body = client_for(pim).get(url).content.decode()
        field = re.search(r'<input[^>]*name="first_name"[^>]*>', body).group(0)
        assert "maxlength" not in field


@pytest.mark.parametrize("page", ["add", "edit"])
def test_a_name_longer_than_the_field_is_refused_with_its_length_not_cut(pim, family, noor, client_for, page):
    too_long = LONGEST + "m"
    url = reverse("families:child_add", args=[family.pk]) if page == "add" else _edit_url(family, noor)

    response = client_for(pim).post(url, {"first_name": too_long, "birth_date": "2016-01-01"})

    body = response.content.decode()
    assert response.status_code == 200
    assert "Deze voornaam is te lang: hoogstens 60 tekens (nu 61)." in body
    assert f'value="{too_long}"' in body  # the whole input comes back to shorten
    assert not Child.all_objects.filter(first_name__startswith="Maximiliaan").exists()


def test_the_service_refuses_a_name_too_long_instead_of_a_database_error(pim, family):
    with pytest.raises(Invalid, match=r"hoogstens 60 tekens \(nu 61\)"):
        services.child_add(actor=pim, family_id=family.pk, first_name=LONGEST + "m",
                           birth_date=date(2016, 1, 1))
    assert not Child.all_objects.exists()


def test_the_longest_name_is_stored_and_shown_whole(pim, alice, family, client_for):
    client_for(pim).post(reverse("families:child_add", args=[family.pk]),
                         {"first_name": LONGEST, "birth_date": "2016-01-01"})
    assert Child.objects.get().first_name == LONGEST
    assert LONGEST in client_for(alice).get(reverse("families:detail", args=[family.pk])).content.decode()


def test_the_family_and_invitation_forms_leave_maxlength_off_too(pim, client_for, family):
    for url in (reverse("families:home"), reverse("families:invite", args=[family.pk])):
        assert "maxlength" not in client_for(pim).get(url).content.decode()


def test_a_family_name_too_long_is_refused_with_its_length(pim, client_for):
    response = client_for(pim).post(reverse("families:home"), {"display_name": "x" * 121, "reference": ""})
    assert response.status_code == 200
    assert "hoogstens 120 tekens (nu 121)" in response.content.decode()


def test_children_made_by_the_factory_are_listed_through_the_present_manager(family):
    kept, removed = ChildFactory(family=family), ChildFactory(family=family)
    Child.all_objects.filter(pk=removed.pk).update(removed_at=timezone.now())
    assert list(family.children.all()) == [kept]
    assert set(Child.all_objects.filter(family=family)) == {kept, removed}
