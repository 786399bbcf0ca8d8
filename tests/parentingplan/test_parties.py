"""The parents and children the plan names: a parent gives their own birth date (only their own,
in a sensible range, audited); practitioners see it; relatives and strangers do not."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.utils import timezone, translation

from audit import actions
from audit.models import AuditEntry
from core.errors import Invalid, NotFound, PermissionDenied
from parentingplan import services
from parentingplan.models import ParentDetails
from tests.factories import ChildFactory

pytestmark = pytest.mark.django_db


def url(plan) -> str:
    return f"/gezin/{plan.family_id}/plan/gegevens/"


def test_a_parent_gives_their_own_birth_date_and_it_is_audited(plan, alice):
    services.parent_details_save(user=alice, plan_id=plan.pk, birth_date=date(1985, 5, 4))
    services.parent_details_save(user=alice, plan_id=plan.pk, birth_date=date(1985, 5, 4))  # unchanged
    services.parent_details_save(user=alice, plan_id=plan.pk, birth_date=date(1985, 5, 14))
    assert ParentDetails.objects.get(plan=plan, user=alice).birth_date == date(1985, 5, 14)
    entries = AuditEntry.objects.filter(action=actions.PLAN_PARENT_DETAILS_CHANGED, actor=alice)
    assert entries.count() == 2 and entries.first().family_id == plan.family_id


@pytest.mark.parametrize("birth_date", [
    date(1899, 12, 31),
    timezone.localdate() + timedelta(days=1),
    timezone.localdate() - timedelta(days=5 * 365),
    "1985-05-04",
])
def test_a_birth_date_that_cannot_be_right_is_refused(plan, alice, birth_date):
    with translation.override("nl"), pytest.raises(Invalid) as refused:
        services.parent_details_save(user=alice, plan_id=plan.pk, birth_date=birth_date)
    assert "Kies een datum tussen 1 januari 1900 en" in str(refused.value.detail)
    assert not ParentDetails.objects.exists()


@pytest.mark.parametrize(("who", "error"), [("carol", PermissionDenied), ("rita", PermissionDenied),
                                            ("charlie", NotFound)])
def test_nobody_but_a_parent_gives_a_parents_birth_date(plan, request, who, error):
    with pytest.raises(error):
        services.parent_details_save(user=request.getfixturevalue(who), plan_id=plan.pk,
                                     birth_date=date(1985, 5, 4))
    assert not ParentDetails.objects.exists()
    assert AuditEntry.objects.filter(action=actions.ACCESS_DENIED).count() == 1


def test_the_page_shows_both_parents_and_the_children_and_saves_only_the_posters_own_date(
    plan, family, alice, bob, client_for
):
    ChildFactory(family=family, first_name="Noor", birth_date=date(2016, 5, 2))
    services.parent_details_save(user=alice, plan_id=plan.pk, birth_date=date(1985, 5, 4))
    client = client_for(bob)
    page = client.get(url(plan)).content.decode()
    assert "Alice Ouder · geboren op 4 mei 1985" in page
    assert "Bob Ouder · <span class=\"meta\">geboortedatum nog niet ingevuld</span>" in page
    assert "Noor · geboren op 2 mei 2016" in page and 'name="birth_date"' in page

    # Bob tries to set Alice's date: there is no field for whose it is; it is his own.
    response = client.post(url(plan), {"birth_date": "1983-01-09", "user": alice.pk})
    assert response.status_code == 302
    assert ParentDetails.objects.get(plan=plan, user=alice).birth_date == date(1985, 5, 4)
    assert ParentDetails.objects.get(plan=plan, user=bob).birth_date == date(1983, 1, 9)
    assert "Bob Ouder · geboren op 9 januari 1983" in client.get(url(plan)).content.decode()


@pytest.mark.parametrize("posted", ["", "gisteren", "2030-01-01"])
def test_a_wrong_birth_date_on_the_page_is_a_form_error_and_nothing_is_stored(
    plan, alice, client_for, posted
):
    response = client_for(alice).post(url(plan), {"birth_date": posted})
    page = response.content.decode()
    assert response.status_code == 200
    assert "Vul je geboortedatum in." in page or "Vul een datum in" in page or "kan niet kloppen" in page
    assert not ParentDetails.objects.exists()


def test_a_practitioner_sees_the_parties_without_a_form_and_cannot_post(plan, alice, carol, client_for):
    client = client_for(carol)
    page = client.get(url(plan)).content.decode()
    assert "Alice Ouder" in page and 'name="birth_date"' not in page
    assert client.post(url(plan), {"birth_date": "1985-05-04"}).status_code == 403
    assert not ParentDetails.objects.exists()


def test_a_relative_and_a_stranger_do_not_see_the_parties(plan, rita, charlie, client_for):
    assert client_for(rita).get(url(plan)).status_code == 403
    assert client_for(charlie).get(url(plan)).status_code == 404
    assert client_for(rita).post(url(plan), {"birth_date": "1960-01-01"}).status_code == 403
    assert not ParentDetails.objects.exists()


def test_the_plan_page_asks_a_parent_for_their_birth_date_until_it_is_given(
    plan, alice, carol, rita, client_for
):
    ask = "Vul je geboortedatum in: die komt op de eerste bladzijde van het plan."

    def plan_page(user):
        return client_for(user).get(f"/gezin/{plan.family_id}/plan/").content.decode()

    assert ask in plan_page(alice) and f'href="{url(plan)}"' in plan_page(alice)
    assert ask not in plan_page(carol) and f'href="{url(plan)}"' in plan_page(carol)
    assert f'href="{url(plan)}"' not in plan_page(rita)
    services.parent_details_save(user=alice, plan_id=plan.pk, birth_date=date(1985, 5, 4))
    assert ask not in plan_page(alice)
