"""Refusals become pages in one place (core.middleware.DomainErrorMiddleware): someone outside
the family gets the 404 page, a member whose role does not allow it the 403 page. A form the
service refuses comes back on the same page, with the reason and what was typed."""

from __future__ import annotations

import pytest
from django.urls import reverse

from families.models import Child, Membership
from messaging.models import Thread, ThreadParticipant
from messaging.services import threads_ensure_for_family
from parentingplan.models import ChildWish, Section
from parentingplan.services import plan_ensure
from tests.factories import ChildFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def setting(family, alice, bob, carol, rita):
    threads_ensure_for_family(family=family)
    plan = plan_ensure(family=family)
    return {
        "family": family,
        "bob": Membership.objects.get(family=family, user=bob).pk,
        "thread": Thread.objects.get(family=family, kind="parents").pk,
        "section": Section.objects.filter(plan=plan).first().pk,
        "child": ChildFactory(family=family).pk,
        "rita": rita.pk,
    }


# (url name, method, the url's arguments, posted data): the pages only practitioners reach.
PRACTITIONER_PAGES = [
    ("families:invite", "get", lambda s: [s["family"].pk], None),
    ("families:invite", "post", lambda s: [s["family"].pk], {"email": "x@example.org", "role": "parent"}),
    ("families:child_add", "get", lambda s: [s["family"].pk], None),
    ("families:child_add", "post", lambda s: [s["family"].pk],
     {"first_name": "Lotte", "birth_date": "2019-03-01"}),
    ("families:membership_role", "post", lambda s: [s["family"].pk, s["bob"]], {"role": "relative"}),
    ("families:membership_end", "post", lambda s: [s["family"].pk, s["bob"]], None),
    ("messaging:participant_set", "post", lambda s: [s["thread"]], {"user": "RITA", "participation": "read"}),
    ("parentingplan:section_add", "post", lambda s: [s["family"].pk], {"title": "Sport"}),
    ("parentingplan:section_edit", "post", lambda s: [s["section"]], {"title": "Anders"}),
    ("parentingplan:child_wish_add", "post", lambda s: [s["family"].pk],
     {"child": "CHILD", "heard_on": "2025-01-01", "how": "gesprek", "said": "ja"}),
]


def _request(client, setting, name, method, args, data):
    ids = {"RITA": setting["rita"], "CHILD": setting["child"]}
    data = {key: ids.get(value, value) for key, value in (data or {}).items()}
    return getattr(client, method)(reverse(name, args=args(setting)), data)


def _nothing_changed(setting):
    family = setting["family"]
    assert Membership.objects.get(pk=setting["bob"]).role == "parent"
    assert Membership.objects.active().filter(pk=setting["bob"]).exists()
    assert not family.invitations.exists()
    assert Child.objects.filter(family=family).count() == 1
    assert not ThreadParticipant.objects.exists()
    assert not Section.objects.filter(title__in=["Sport", "Anders"]).exists()
    assert not ChildWish.objects.exists()


@pytest.mark.parametrize(("name", "method", "args", "data"), PRACTITIONER_PAGES,
                         ids=[f"{n}-{m}" for n, m, _a, _d in PRACTITIONER_PAGES])
def test_an_outsider_gets_404_and_a_parent_403_on_each_practitioner_page(
    setting, alice, charlie, client_for, name, method, args, data
):
    outsider = _request(client_for(charlie), setting, name, method, args, data)
    assert outsider.status_code == 404
    assert setting["family"].display_name not in outsider.content.decode()
    assert "Deze pagina is er niet" in outsider.content.decode()
    parent = _request(client_for(alice), setting, name, method, args, data)
    assert parent.status_code == 403
    assert "Geen toegang" in parent.content.decode()
    _nothing_changed(setting)


def test_the_403_page_gives_the_services_reason(setting, alice, client_for):
    response = client_for(alice).post(reverse("messaging:participant_set", args=[setting["thread"]]),
                                      {"user": setting["rita"], "participation": "read"})
    assert response.status_code == 403
    reason = "Alleen een begeleider van dit gezin bepaalt wie er meedoet in een gesprek."
    assert reason in response.content.decode()


# -- one refused form per app: the same page again, with the reason and the input ------------


def test_families_a_refused_invitation_shows_the_reason_and_the_address_typed(carol, bob, family, client_for):
    response = client_for(carol).post(reverse("families:invite", args=[family.pk]),
                                      {"email": "bob@example.org", "role": "parent"})
    page = response.content.decode()
    assert response.status_code == 200
    assert "Deze persoon hoort al bij dit gezin." in page
    assert 'value="bob@example.org"' in page
    assert not family.invitations.exists()


def test_messaging_a_refused_participant_choice_shows_the_reason_on_the_thread_page(
    setting, pim, bob, client_for
):
    response = client_for(pim).post(reverse("messaging:participant_set", args=[setting["thread"]]),
                                    {"user": bob.pk, "participation": "write"})
    page = response.content.decode()
    assert response.status_code == 200
    assert "Alleen familieleden van dit gezin kunnen meedoen in een gesprek." in page
    assert 'id="messages"' in page  # the thread page itself, not a page of its own
    assert not ThreadParticipant.objects.exists()


def test_parentingplan_a_refused_section_change_shows_the_reason_and_the_title_typed(
    setting, carol, client_for
):
    required = Section.objects.filter(plan__family=setting["family"], required=True).first()
    response = client_for(carol).post(reverse("parentingplan:section_edit", args=[required.pk]),
                                      {"title": "Een nieuwe titel", "hidden": "on"})
    page = response.content.decode()
    assert response.status_code == 200
    assert "Dit onderdeel is wettelijk verplicht en kan niet worden verborgen." in page
    assert 'value="Een nieuwe titel"' in page
    required.refresh_from_db()
    assert required.title != "Een nieuwe titel" and not required.hidden


def test_parentingplan_a_refused_childs_voice_keeps_what_was_typed(setting, carol, client_for):
    response = client_for(carol).post(reverse("parentingplan:child_wish_add", args=[setting["family"].pk]), {
        "child": setting["child"], "heard_on": "2999-01-01", "how": "KIES-gesprek",
        "said": "Ik wil een hond."})
    page = response.content.decode()
    assert response.status_code == 200
    assert "De datum ligt in de toekomst." in page
    assert 'value="KIES-gesprek"' in page and "Ik wil een hond." in page
    assert not ChildWish.objects.exists()


def test_accounts_a_refused_login_shows_the_reason_and_the_address_typed(alice, anon_client):
    response = anon_client.post(reverse("accounts:login"), {"email": "alice@example.org", "password": "fout"})
    page = response.content.decode()
    assert response.status_code == 200
    assert "Dit e-mailadres en wachtwoord horen niet bij elkaar." in page
    assert 'value="alice@example.org"' in page
