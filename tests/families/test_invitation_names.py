"""The name an invitee chooses follows the account page's rules (no invisible or right-to-left
characters, spaces tidied) and is not the name of someone else in the family: the family's records
must never show two people as one."""

from __future__ import annotations

import pytest

from accounts.models import User
from families.models import Membership, Role
from tests.families import test_invitations
from tests.families.test_invitations import _accept

invite = test_invitations.invite  # the fixture: invite(actor, email, role) -> the link's path

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("name", ["Alice Ouder", "alice   OUDER", "Carol Coördinator"])
def test_a_new_member_cannot_take_the_name_of_someone_in_the_family(invite, pim, alice, carol, anon_client,
                                                                  name):
    link = invite(pim, role=Role.RELATIVE)
    response = _accept(anon_client, link, name=name)
    assert response.status_code == 200
    assert "In het gezin heet iemand anders al zo." in response.content.decode()
    assert not User.objects.filter(email="nieuw@example.org").exists()


def test_a_name_with_a_right_to_left_override_is_refused(invite, pim, anon_client):
    link = invite(pim, role=Role.RELATIVE)
    response = _accept(anon_client, link, name="Rita\u202eredluoC")
    assert response.status_code == 200
    assert "onzichtbaar of speciaal teken" in response.content.decode()
    assert not User.objects.filter(email="nieuw@example.org").exists()


def test_the_chosen_name_is_stored_tidied(invite, pim, anon_client):
    link = invite(pim, role=Role.RELATIVE)
    assert _accept(anon_client, link, name="  Nina   Nieuw ").status_code == 302
    nina = User.objects.get(email="nieuw@example.org")
    assert nina.display_name == "Nina Nieuw"
    assert Membership.objects.get(user=nina).role == Role.RELATIVE
