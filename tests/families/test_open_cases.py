"""Who may open a family of their own (User.may_open_cases), and how it follows from the role a
person has in a family: whoever becomes a professional in a family (invited as one, or given that
role) may open cases from then on, recorded in the audit trail; parents and relatives may not; only a
beheerder takes the right away (ending the membership does not)."""

from __future__ import annotations

import importlib

import pytest
from django.apps import apps
from django.urls import reverse

from accounts.models import User
from audit import actions
from audit.models import AuditEntry
from core.errors import PermissionDenied
from families import services
from families.models import Family, Membership, Role
from tests.factories import confirmed_totp

pytestmark = pytest.mark.django_db

PASSWORD = "een lange zin als wachtwoord 77"
REFUSAL = "Je kunt zelf geen gezin openen."


def _invite_and_accept(actor, family, role, email="nina@example.org") -> User:
    _invitation, token = services.invitation_create(actor=actor, family_id=family.pk, email=email, role=role)
    return services.invitation_accept_new_user(token=token, display_name="Nina Nieuw", password=PASSWORD)


def _grants():
    return AuditEntry.objects.filter(action=actions.OPEN_CASES_GRANTED)


def test_a_professional_who_accepts_an_invitation_may_open_a_family_of_their_own(carol, family):
    nina = _invite_and_accept(carol, family, Role.PRACTITIONER)

    assert User.objects.get(pk=nina.pk).may_open_cases
    entry = _grants().get()
    assert (entry.actor, entry.subject_user, entry.family) == (nina, nina, family)
    assert entry.acting_role == Role.PRACTITIONER
    own = services.family_create(actor=nina, display_name="Familie Eigen")
    assert Membership.objects.get(family=own).role == Role.COORDINATOR


@pytest.mark.parametrize("role", [Role.PARENT, Role.RELATIVE])
def test_a_parent_or_relative_who_accepts_an_invitation_may_not_open_a_family(carol, family, role):
    nina = _invite_and_accept(carol, family, role)

    assert not User.objects.get(pk=nina.pk).may_open_cases
    assert not _grants().exists()
    with pytest.raises(PermissionDenied) as refused:
        services.family_create(actor=nina, display_name="Familie Eigen")
    assert REFUSAL in str(refused.value.detail)
    assert not Family.objects.filter(display_name="Familie Eigen").exists()


def test_a_member_given_the_professional_role_may_open_cases_from_then_on(carol, rita, family):
    target = Membership.objects.active().get(family=family, user=rita)

    services.membership_role_change(actor=carol, family_id=family.pk, membership_id=target.pk,
                                    role=Role.PRACTITIONER)

    assert User.objects.get(pk=rita.pk).may_open_cases
    entry = _grants().get()
    assert (entry.actor, entry.subject_user, entry.family) == (carol, rita, family)


def test_the_right_stays_when_the_professional_membership_ends(carol, family):
    nina = _invite_and_accept(carol, family, Role.PRACTITIONER)
    membership = Membership.objects.active().get(family=family, user=nina)

    services.membership_end(actor=carol, family_id=family.pk, membership_id=membership.pk)

    assert User.objects.get(pk=nina.pk).may_open_cases


def test_someone_who_may_already_open_cases_is_not_granted_it_again(carol, pim, family, other_family):
    Membership.objects.create(user=carol, family=other_family, role=Role.COORDINATOR)
    Membership.objects.filter(user=pim).update(ended_at="2020-01-01T00:00:00Z")

    _invitation, token = services.invitation_create(actor=carol, family_id=other_family.pk, email=pim.email,
                                                    role=Role.PRACTITIONER)
    services.invitation_accept_existing(token=token, user=pim)
    services.family_create(actor=pim, display_name="Familie Pim")

    assert not _grants().exists()


# The pages


def test_an_invited_professional_sees_the_new_family_form_and_opens_a_family(carol, family, client_for):
    nina = _invite_and_accept(carol, family, Role.PRACTITIONER)
    confirmed_totp(nina)
    client = client_for(nina)

    assert 'name="display_name"' in client.get(reverse("families:home")).content.decode()
    response = client.post(reverse("families:home"), {"display_name": "Familie Eigen", "reference": ""})

    own = Family.objects.get(display_name="Familie Eigen")
    assert response["Location"] == reverse("families:detail", args=[own.pk])


def test_an_invited_parent_is_told_who_may_open_a_family_when_posting_the_form_anyway(
    carol, family, client_for
):
    nina = _invite_and_accept(carol, family, Role.PARENT)
    confirmed_totp(nina)

    response = client_for(nina).post(reverse("families:home"), {"display_name": "Familie Eigen"}, follow=True)

    body = response.content.decode()
    assert response.status_code == 200
    assert REFUSAL in body
    assert "uitgenodigd, of wie daarvoor toestemming kreeg van een beheerder" in body
    assert 'name="display_name"' not in body
    assert not Family.objects.filter(display_name="Familie Eigen").exists()


# Professionals who joined before the rule


def test_the_migration_gives_professionals_who_joined_before_the_rule_the_right_with_an_audit_entry(
    carol, pim, alice, rita, family
):
    User.objects.filter(pk__in=[carol.pk, pim.pk]).update(may_open_cases=False)
    migration = importlib.import_module("families.migrations.0002_grant_open_cases_to_professionals")

    migration.grant(apps, None)

    assert set(User.objects.filter(may_open_cases=True)) == {carol, pim}
    assert set(_grants().values_list("subject_user", "family", "actor")) == {
        (carol.pk, family.pk, None), (pim.pk, family.pk, None)}
