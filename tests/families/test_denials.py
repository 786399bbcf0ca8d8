"""The one way denials are recorded (families.access): after the refusing transaction rolled
back, once however deeply services call each other, with the family for its members only."""

from __future__ import annotations

import pytest
from django.db import transaction

from audit import actions
from audit.models import AuditEntry
from core.errors import NotFound, PermissionDenied
from families.access import Action, denials_recorded, family_located, records_denials, require

pytestmark = pytest.mark.django_db


def _denials():
    return list(AuditEntry.objects.filter(action=actions.ACCESS_DENIED).order_by("pk"))


def test_a_refusal_inside_a_transaction_that_rolls_back_is_still_recorded(rita, family):
    with pytest.raises(PermissionDenied):  # noqa: SIM117 - the order of the two is the point
        with denials_recorded(user=rita, wanted="add_child", locate=family_located, subject_id=family.pk):
            with transaction.atomic():
                require(user=rita, family_id=family.pk, action=Action.ADD_CHILD)
    [entry] = _denials()
    assert (entry.actor, entry.family, entry.acting_role, entry.details["wanted"]) == (
        rita, family, "relative", "add_child")


def test_without_the_scope_that_entry_would_have_been_rolled_back(rita, family):
    with pytest.raises(PermissionDenied), transaction.atomic():
        require(user=rita, family_id=family.pk, action=Action.ADD_CHILD)
    assert _denials() == []


def test_nested_scopes_record_once_in_the_outermost(rita, family):
    @records_denials("inner", locate=family_located, id_kw="family_id")
    def inner(*, user, family_id):
        with transaction.atomic():
            require(user=user, family_id=family_id, action=Action.ADD_CHILD)

    @records_denials("outer", locate=family_located, id_kw="family_id")
    def outer(*, user, family_id):
        with transaction.atomic():
            inner(user=user, family_id=family_id)

    with pytest.raises(PermissionDenied):
        outer(user=rita, family_id=family.pk)
    assert [e.details["wanted"] for e in _denials()] == ["outer"]


def test_an_outsiders_refusal_keeps_the_family_id_but_is_not_linked_to_the_family(charlie, family):
    def refuse():
        raise NotFound()

    with pytest.raises(NotFound), denials_recorded(user=charlie, wanted="read_plan", locate=family_located,
                                                   subject_id=family.pk):
        refuse()
    [entry] = _denials()
    assert entry.family is None and entry.details["family_id"] == family.pk
    assert not AuditEntry.objects.filter(family=family).exists()  # not in the family's access log


def test_other_errors_are_not_denials(alice, family):
    from core.errors import Invalid

    with pytest.raises(Invalid), denials_recorded(user=alice, wanted="x", locate=family_located,
                                                  subject_id=family.pk):
        raise Invalid()
    assert _denials() == []
