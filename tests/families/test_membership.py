"""Changing a member's role and ending a membership: the coordinator's decision, always recorded."""

from __future__ import annotations

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from audit import actions
from audit.models import AuditEntry
from core.errors import Invalid, NotFound, PermissionDenied
from families import services
from families.access import Action, require
from families.models import Membership, Role
from tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db


def _membership(family, user) -> Membership:
    return Membership.objects.active().get(family=family, user=user)


def test_the_coordinator_changes_a_parents_role_and_the_old_and_new_role_are_recorded(carol, bob, family):
    target = _membership(family, bob)

    services.membership_role_change(
        actor=carol, family_id=family.pk, membership_id=target.pk, role=Role.RELATIVE
    )

    assert _membership(family, bob).role == Role.RELATIVE
    entry = AuditEntry.objects.get(action=actions.MEMBERSHIP_ROLE_CHANGED)
    assert entry.actor == carol
    assert entry.acting_role == Role.COORDINATOR
    assert entry.subject_user == bob
    assert entry.family == family
    assert entry.details == {"old": "parent", "new": "relative"}


def test_after_a_role_change_the_member_has_the_rights_of_the_new_role(carol, bob, family):
    target = _membership(family, bob)
    services.membership_role_change(
        actor=carol, family_id=family.pk, membership_id=target.pk, role=Role.RELATIVE
    )

    with pytest.raises(PermissionDenied):
        require(user=bob, family_id=family.pk, action=Action.VIEW_CHILDREN)


@pytest.mark.parametrize("who", ["pim", "alice", "rita"])
def test_only_the_coordinator_may_change_a_role_and_the_refusal_is_recorded(request, bob, family, who):
    actor = request.getfixturevalue(who)
    target = _membership(family, bob)

    with pytest.raises(PermissionDenied):
        services.membership_role_change(
            actor=actor, family_id=family.pk, membership_id=target.pk, role=Role.RELATIVE
        )

    assert _membership(family, bob).role == Role.PARENT
    assert not AuditEntry.objects.filter(action=actions.MEMBERSHIP_ROLE_CHANGED).exists()
    denial = AuditEntry.objects.get(action=actions.ACCESS_DENIED)
    assert (denial.actor, denial.family, denial.result) == (actor, family, AuditEntry.Result.DENIED)


@pytest.mark.parametrize("who", ["pim", "alice", "rita"])
def test_only_the_coordinator_may_end_a_membership(request, bob, family, who):
    actor = request.getfixturevalue(who)
    target = _membership(family, bob)

    with pytest.raises(PermissionDenied):
        services.membership_end(actor=actor, family_id=family.pk, membership_id=target.pk)

    assert _membership(family, bob).ended_at is None
    assert AuditEntry.objects.filter(action=actions.ACCESS_DENIED, actor=actor).exists()


def test_an_outsider_cannot_change_a_role_even_knowing_the_membership_id(charlie, bob, family):
    target = _membership(family, bob)
    with pytest.raises(NotFound):
        services.membership_role_change(
            actor=charlie, family_id=family.pk, membership_id=target.pk, role=Role.RELATIVE
        )
    assert _membership(family, bob).role == Role.PARENT


def test_nobody_can_be_made_a_second_coordinator(carol, pim, family):
    target = _membership(family, pim)
    with pytest.raises(Invalid):
        services.membership_role_change(
            actor=carol, family_id=family.pk, membership_id=target.pk, role=Role.COORDINATOR
        )
    assert _membership(family, pim).role == Role.PRACTITIONER


def test_the_coordinator_cannot_change_their_own_role(carol, family):
    mine = _membership(family, carol)
    with pytest.raises(Invalid):
        services.membership_role_change(
            actor=carol, family_id=family.pk, membership_id=mine.pk, role=Role.PARENT
        )
    assert _membership(family, carol).role == Role.COORDINATOR


def test_a_role_that_does_not_exist_is_refused(carol, bob, family):
    target = _membership(family, bob)
    with pytest.raises(Invalid):
        services.membership_role_change(
            actor=carol, family_id=family.pk, membership_id=target.pk, role="king"
        )
    assert _membership(family, bob).role == Role.PARENT


def test_the_database_allows_one_active_coordinator_per_family(carol, family):
    with pytest.raises(IntegrityError), transaction.atomic():
        MembershipFactory(family=family, role=Role.COORDINATOR)
    assert Membership.objects.active().filter(family=family, role=Role.COORDINATOR).count() == 1


def test_a_new_coordinator_can_start_once_the_old_one_has_ended(carol, family):
    Membership.objects.filter(family=family, user=carol).update(ended_at=timezone.now())
    successor = MembershipFactory(family=family, role=Role.COORDINATOR)
    assert Membership.objects.active().get(family=family, role=Role.COORDINATOR) == successor


def test_the_same_coordinator_may_coordinate_two_families(carol, family, other_family):
    MembershipFactory(user=carol, family=other_family, role=Role.COORDINATOR)
    assert Membership.objects.active().filter(user=carol, role=Role.COORDINATOR).count() == 2


def test_the_coordinator_ends_a_membership_and_it_is_recorded(carol, bob, family):
    target = _membership(family, bob)

    services.membership_end(actor=carol, family_id=family.pk, membership_id=target.pk)

    assert not Membership.objects.active().filter(family=family, user=bob).exists()
    entry = AuditEntry.objects.get(action=actions.MEMBERSHIP_ENDED)
    assert (entry.actor, entry.subject_user, entry.family) == (carol, bob, family)
    assert entry.details == {"role": "parent"}
    with pytest.raises(NotFound):
        require(user=bob, family_id=family.pk, action=Action.VIEW_FAMILY)


def test_an_ended_membership_cannot_be_ended_again(carol, bob, family):
    target = _membership(family, bob)
    services.membership_end(actor=carol, family_id=family.pk, membership_id=target.pk)
    with pytest.raises(NotFound):
        services.membership_end(actor=carol, family_id=family.pk, membership_id=target.pk)
    assert AuditEntry.objects.filter(action=actions.MEMBERSHIP_ENDED).count() == 1


def test_the_coordinator_cannot_end_their_own_membership(carol, family):
    mine = _membership(family, carol)
    with pytest.raises(Invalid):
        services.membership_end(actor=carol, family_id=family.pk, membership_id=mine.pk)
    assert _membership(family, carol).ended_at is None


def test_someone_whose_membership_ended_can_join_again_later(carol, bob, family):
    services.membership_end(actor=carol, family_id=family.pk, membership_id=_membership(family, bob).pk)
    MembershipFactory(user=bob, family=family, role=Role.PARENT)
    assert Membership.objects.filter(family=family, user=bob).count() == 2
    assert require(user=bob, family_id=family.pk, action=Action.VIEW_FAMILY)


def test_a_refused_change_on_the_page_tells_the_coordinator_why(carol, pim, family, client_for):
    target = _membership(family, pim)
    response = client_for(carol).post(
        reverse("families:membership_role", args=[family.pk, target.pk]), {"role": "coordinator"}, follow=True
    )
    assert response.status_code == 200
    assert "Kies een geldige rol." in response.content.decode()
    assert _membership(family, pim).role == Role.PRACTITIONER


def test_the_coordinator_sees_the_manage_controls_for_others_but_not_for_themselves(
    carol, bob, family, client_for
):
    body = client_for(carol).get(reverse("families:detail", args=[family.pk])).content.decode()
    assert reverse("families:membership_end", args=[family.pk, _membership(family, bob).pk]) in body
    assert reverse("families:membership_end", args=[family.pk, _membership(family, carol).pk]) not in body
