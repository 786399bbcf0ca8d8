"""The family pages as each persona sees them: what is shown, what is refused, what is stored."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from audit import actions
from audit.models import AuditEntry
from families.models import Child, Family, Membership, Role
from tests.factories import UserFactory, confirmed_totp

pytestmark = pytest.mark.django_db


def _main_content(response) -> str:
    return re.search(r"<main.*</main>", response.content.decode(), re.S).group(0)


@pytest.fixture
def stranger(db):
    """A verified practitioner who belongs to no family at all."""
    user = UserFactory(email="stranger@example.org", display_name="Sam Vreemde", may_open_cases=True)
    confirmed_totp(user)
    return user


@pytest.fixture
def everyone(alice, bob, carol, pim, rita, charlie, stranger):
    return {"alice": alice, "bob": bob, "carol": carol, "pim": pim, "rita": rita, "charlie": charlie,
            "stranger": stranger}


def _bob_membership(family, bob):
    return Membership.objects.get(family=family, user=bob)


def _requests(family, bob):
    """(name, method, url, data) for every page of one family."""
    target = _bob_membership(family, bob).pk
    return [
        ("detail", "get", reverse("families:detail", args=[family.pk]), None),
        ("invite", "get", reverse("families:invite", args=[family.pk]), None),
        ("invite", "post", reverse("families:invite", args=[family.pk]),
         {"email": "x@example.org", "role": "parent"}),
        ("child_add", "get", reverse("families:child_add", args=[family.pk]), None),
        ("child_add", "post", reverse("families:child_add", args=[family.pk]),
         {"first_name": "Lotte", "birth_date": "2019-03-01"}),
        ("membership_role", "post", reverse("families:membership_role", args=[family.pk, target]),
         {"role": "relative"}),
        ("membership_end", "post", reverse("families:membership_end", args=[family.pk, target]), None),
        ("access_log", "get", reverse("families:access_log", args=[family.pk]), None),
    ]


def _nothing_changed(family, bob):
    assert not Child.objects.filter(family=family).exists()
    assert _bob_membership(family, bob).role == Role.PARENT
    assert _bob_membership(family, bob).ended_at is None
    assert not family.invitations.exists()


@pytest.mark.parametrize("who", ["charlie", "stranger"])
def test_someone_outside_the_family_gets_not_found_on_every_page_and_learns_nothing(
    everyone, family, bob, client_for, who
):
    client = client_for(everyone[who])
    for name, method, url, data in _requests(family, bob):
        response = getattr(client, method)(url, data or {})
        # A random CSRF token may spell "Bob" by chance (CI once saw "...IF3Bob6M..."): not a leak.
        body = re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", response.content.decode())
        assert response.status_code == 404, name
        assert family.display_name not in body, name
        assert family.reference not in body, name
        assert "Bob" not in body, name
    _nothing_changed(family, bob)


def test_an_outsider_sees_the_same_page_as_for_a_family_that_does_not_exist(charlie, family, client_for):
    client = client_for(charlie)
    existing = client.get(reverse("families:detail", args=[family.pk]))
    missing = client.get(reverse("families:detail", args=[family.pk + 1000]))
    assert existing.status_code == missing.status_code == 404
    assert _main_content(existing) == _main_content(missing)


def test_a_family_id_too_large_for_the_database_is_simply_not_found(alice, client_for):
    response = client_for(alice).get(reverse("families:detail", args=[10**20]))
    assert response.status_code == 404


def test_an_anonymous_visitor_is_sent_to_the_login_page_from_every_family_page(
    alice, family, bob, anon_client
):
    for name, method, url, data in _requests(family, bob):
        response = getattr(anon_client, method)(url, data or {})
        assert response.status_code == 302, name
        assert response["Location"].startswith(reverse("accounts:login")), name
    _nothing_changed(family, bob)


def test_a_parent_without_the_second_factor_cannot_open_the_family_page(alice, family, client_for):
    response = client_for(alice, verified=False).get(reverse("families:detail", args=[family.pk]))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:verify"))


# What each member may reach: "ok" (200 or a redirect after a stored change) or "forbidden" (403).
PAGES = ("detail", "invite", "child_add", "membership_role", "membership_end", "access_log")
# fmt: off
MEMBER_TABLE = {
    #          detail  invite       child_add    membership_role  membership_end  access_log
    "rita":  ("ok",   "forbidden", "forbidden", "forbidden",     "forbidden",    "forbidden"),
    "alice": ("ok",   "forbidden", "forbidden", "forbidden",     "forbidden",    "ok"),
    "pim":   ("ok",   "ok",        "ok",        "forbidden",     "forbidden",    "ok"),
    "carol": ("ok",   "ok",        "ok",        "ok",            "ok",           "ok"),
}
# fmt: on


@pytest.mark.parametrize("who", list(MEMBER_TABLE))
def test_a_member_reaches_only_the_pages_their_role_allows(everyone, family, bob, client_for, who):
    client = client_for(everyone[who])
    reach = dict(zip(PAGES, MEMBER_TABLE[who], strict=True))
    for name, method, url, data in _requests(family, bob):
        if reach[name] == "ok" and method == "post":
            continue  # the stored changes are checked one by one below
        response = getattr(client, method)(url, data or {})
        expected = 200 if reach[name] == "ok" else 403
        assert response.status_code == expected, (name, method)
    _nothing_changed(family, bob)


def test_a_relative_sees_the_family_but_not_the_children_or_the_members(rita, alice, family, client_for):
    Child.objects.create(family=family, first_name="Noortje", birth_date="2016-01-01")
    body = client_for(rita).get(reverse("families:detail", args=[family.pk])).content.decode()
    assert family.display_name in body
    assert "Noortje" not in body
    assert "Alice Ouder" not in body


def test_a_parent_sees_the_children_and_the_members(alice, bob, carol, family, client_for):
    Child.objects.create(family=family, first_name="Noortje", birth_date="2016-01-01")
    body = client_for(alice).get(reverse("families:detail", args=[family.pk])).content.decode()
    assert "Noortje" in body
    assert "Bob Ouder" in body
    assert "Carol Coördinator" in body
    assert reverse("families:invite", args=[family.pk]) not in body


def test_a_refused_page_is_recorded_as_denied(rita, family, client_for):
    client_for(rita).get(reverse("families:invite", args=[family.pk]))
    entry = AuditEntry.objects.get(action=actions.ACCESS_DENIED)
    assert (entry.actor, entry.family, entry.result) == (rita, family, AuditEntry.Result.DENIED)


def test_a_practitioner_adds_a_child(pim, family, client_for):
    response = client_for(pim).post(reverse("families:child_add", args=[family.pk]),
                                    {"first_name": "Lotte", "birth_date": "2019-03-01"})
    assert response.status_code == 302
    assert response["Location"] == reverse("families:detail", args=[family.pk])
    child = Child.objects.get(family=family)
    assert child.first_name == "Lotte"
    entry = AuditEntry.objects.get(action=actions.CHILD_ADDED)
    assert (entry.actor, entry.family, entry.target_id) == (pim, family, str(child.pk))


def test_a_child_born_in_the_future_is_refused_with_a_message_on_the_form(pim, family, client_for):
    response = client_for(pim).post(reverse("families:child_add", args=[family.pk]),
                                    {"first_name": "Lotte", "birth_date": "2999-01-01"})
    assert response.status_code == 200
    assert "De geboortedatum ligt in de toekomst." in response.content.decode()
    assert not Child.objects.exists()


def test_a_practitioner_sends_an_invitation_from_the_invite_page(
    pim, family, client_for, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(pim).post(reverse("families:invite", args=[family.pk]),
                                        {"email": "Nieuw@Example.org", "role": "parent"})
    assert response.status_code == 302
    invitation = family.invitations.get()
    assert (invitation.email, invitation.role) == ("nieuw@example.org", Role.PARENT)
    assert invitation.invited_by == pim
    assert [m.to for m in mailoutbox] == [["nieuw@example.org"]]


def test_the_coordinator_changes_a_members_role(carol, bob, family, client_for):
    target = _bob_membership(family, bob)
    response = client_for(carol).post(reverse("families:membership_role", args=[family.pk, target.pk]),
                                      {"role": "relative"})
    assert response.status_code == 302
    target.refresh_from_db()
    assert target.role == Role.RELATIVE


def test_the_coordinator_ends_a_membership(carol, bob, family, client_for):
    target = _bob_membership(family, bob)
    response = client_for(carol).post(reverse("families:membership_end", args=[family.pk, target.pk]))
    assert response.status_code == 302
    target.refresh_from_db()
    assert target.ended_at is not None
    assert client_for(bob).get(reverse("families:detail", args=[family.pk])).status_code == 404


def test_a_membership_cannot_be_changed_through_the_address_of_another_family(
    carol, bob, family, other_family, client_for
):
    # Carol also coordinates the other family; Bob's membership is not part of it.
    Membership.objects.create(user=carol, family=other_family, role=Role.COORDINATOR)
    target = _bob_membership(family, bob)
    client = client_for(carol)
    role = client.post(
        reverse("families:membership_role", args=[other_family.pk, target.pk]), {"role": "relative"}
    )
    end = client.post(reverse("families:membership_end", args=[other_family.pk, target.pk]))
    assert role.status_code == end.status_code == 404
    _nothing_changed(family, bob)


def test_a_membership_page_for_a_missing_membership_is_not_found(carol, family, client_for):
    response = client_for(carol).post(reverse("families:membership_end", args=[family.pk, 999999]))
    assert response.status_code == 404


# Home


def test_a_parent_with_one_family_is_taken_straight_to_it(alice, family, client_for):
    response = client_for(alice).get(reverse("families:home"))
    assert response.status_code == 302
    assert response["Location"] == reverse("families:detail", args=[family.pk])


def test_a_parent_in_two_families_chooses_on_the_home_page(alice, family, other_family, client_for):
    Membership.objects.create(user=alice, family=other_family, role=Role.PARENT)
    response = client_for(alice).get(reverse("families:home"))
    body = response.content.decode()
    assert response.status_code == 200
    assert family.display_name in body
    assert other_family.display_name in body


def test_a_practitioner_sees_their_families_and_the_form_to_create_one(pim, family, client_for):
    response = client_for(pim).get(reverse("families:home"))
    body = response.content.decode()
    assert response.status_code == 200
    assert family.display_name in body
    assert 'name="display_name"' in body


def test_a_parent_is_not_offered_the_form_to_create_a_family(charlie, client_for):
    Membership.objects.filter(user=charlie).delete()
    response = client_for(charlie).get(reverse("families:home"))
    assert response.status_code == 200
    assert 'name="display_name"' not in response.content.decode()


def test_a_parent_cannot_create_a_family_by_posting_the_form_anyway(charlie, client_for):
    Membership.objects.filter(user=charlie).delete()
    client_for(charlie).post(reverse("families:home"), {"display_name": "Eigen gezin"})
    assert not Family.objects.filter(display_name="Eigen gezin").exists()


def test_creating_a_family_makes_the_practitioner_its_coordinator(stranger, client_for):
    response = client_for(stranger).post(
        reverse("families:home"), {"display_name": "Familie Nieuw", "reference": ""}
    )
    family = Family.objects.get(display_name="Familie Nieuw")
    assert response.status_code == 302
    assert response["Location"] == reverse("families:detail", args=[family.pk])
    assert family.reference  # one was made
    membership = Membership.objects.get(family=family)
    assert (membership.user, membership.role) == (stranger, Role.COORDINATOR)
    entry = AuditEntry.objects.get(action=actions.FAMILY_CREATED)
    assert (entry.actor, entry.family) == (stranger, family)


def test_a_reference_already_in_use_is_refused_on_the_form(stranger, family, client_for):
    response = client_for(stranger).post(reverse("families:home"),
                                         {"display_name": "Dubbel", "reference": family.reference})
    assert response.status_code == 200
    assert "Dit dossiernummer is al in gebruik." in response.content.decode()
    assert not Family.objects.filter(display_name="Dubbel").exists()


def test_the_home_page_greets_with_the_first_name(carol, family, client_for):
    body = client_for(carol).get(reverse("families:home")).content.decode()
    assert "<h1>Hallo Carol</h1>" in body
    assert "Hallo Carol Co" not in body
