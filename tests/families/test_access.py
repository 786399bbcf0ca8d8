"""families.access: who may do what in a family.

The expected table is written out here on purpose, not derived from access.PERMISSIONS: a change
to the rules must show up as a change to this file.
"""

from __future__ import annotations

import contextlib

import pytest
from django.contrib.auth.models import AnonymousUser
from django.utils import timezone

from audit import actions as audit_actions
from audit.models import AuditEntry
from core.errors import NotFound, PermissionDenied
from families import access
from families.access import Action
from families.models import Membership, Role
from tests.factories import MembershipFactory, UserFactory


def _words(text: str) -> set[str]:
    return set(text.split())


ALLOWED = {
    "parent": _words("""
        view_family view_children view_members view_access_log
        read_parents_thread write_parents_thread consent_thread_participants read_plan edit_plan approve_plan
        comment_plan view_trajectory give_consent confirm_agreement give_evaluation_input respond_report
    """),
    "practitioner": _words("""
        view_family view_children view_members view_access_log invite_member add_child edit_child
        read_parents_thread moderate manage_thread_participants read_plan comment_plan record_child_voice
        view_dossier manage_plan note_plan
        view_trajectory manage_trajectory record_child_consent write_dossier write_goals evaluate write_report
    """),
    "coordinator": _words("""
        view_family view_children view_members view_access_log invite_member add_child edit_child
        read_parents_thread moderate manage_thread_participants read_plan comment_plan record_child_voice
        view_dossier manage_plan note_plan
        view_trajectory manage_trajectory record_child_consent write_dossier write_goals evaluate write_report
        change_contact_mode manage_members reset_second_factor
    """),
    "relative": {"view_family"},
    # Not a member in any useful sense: the family does not exist for them.
    "outsider": set(),
    "inactive": set(),
    "anonymous": set(),
}
MEMBER_ROLES = {"parent", "practitioner", "coordinator", "relative"}

EVERY_ACTION = sorted(_words("""
    view_family view_children view_members view_access_log invite_member manage_members add_child edit_child
    change_contact_mode read_parents_thread write_parents_thread moderate manage_thread_participants read_plan
    edit_plan comment_plan consent_thread_participants note_plan
    approve_plan record_child_voice view_dossier manage_plan reset_second_factor
    view_trajectory manage_trajectory give_consent record_child_consent write_dossier
    write_goals confirm_agreement give_evaluation_input evaluate write_report respond_report
"""))


def test_the_table_names_every_action_there_is():
    assert sorted(EVERY_ACTION) == sorted(a.value for a in Action)


def _expected(who: str, action: str) -> str:
    if action in ALLOWED[who]:
        return "allowed"
    return "forbidden" if who in MEMBER_ROLES else "not_found"


TABLE = [(who, action, _expected(who, action)) for who in ALLOWED for action in EVERY_ACTION]


@pytest.fixture
def make_persona(family, other_family):
    def make(who: str):
        if who == "anonymous":
            return AnonymousUser()
        if who == "outsider":
            return MembershipFactory(family=other_family, role=Role.PARENT).user
        if who == "inactive":
            user = MembershipFactory(family=family, role=Role.PARENT).user
            user.is_active = False
            user.save(update_fields=["is_active"])
            return user
        return MembershipFactory(family=family, role=Role(who)).user

    return make


@pytest.mark.django_db
@pytest.mark.parametrize(("who", "action", "expected"), TABLE, ids=[f"{w}-{a}" for w, a, _e in TABLE])
def test_each_role_may_do_exactly_what_the_table_says(make_persona, family, who, action, expected):
    user = make_persona(who)
    membership = access.membership_for(user=user, family_id=family.pk)

    assert access.can(membership, Action(action)) is (expected == "allowed")
    if expected == "allowed":
        assert access.require(user=user, family_id=family.pk, action=Action(action)).family == family
    elif expected == "forbidden":
        with pytest.raises(PermissionDenied):
            access.require(user=user, family_id=family.pk, action=Action(action))
    else:
        with pytest.raises(NotFound):
            access.require(user=user, family_id=family.pk, action=Action(action))


@pytest.mark.django_db
@pytest.mark.parametrize("who", list(ALLOWED))
def test_each_refusal_is_written_to_the_audit_trail(make_persona, family, who):
    user = make_persona(who)

    for action in EVERY_ACTION:
        with contextlib.suppress(NotFound, PermissionDenied):
            access.require(user=user, family_id=family.pk, action=Action(action))

    denials = AuditEntry.objects.filter(action=audit_actions.ACCESS_DENIED).order_by("id")
    refused = [a for a in EVERY_ACTION if _expected(who, a) != "allowed"]
    assert [e.details["wanted"] for e in denials] == refused
    for entry in denials:
        assert entry.result == AuditEntry.Result.DENIED
        assert entry.actor_id == (user.pk if who != "anonymous" else None)
        if who in MEMBER_ROLES:
            assert entry.family == family
            assert entry.acting_role == who
        else:
            # A stranger's attempt is not linked to the family, only the id they tried is kept.
            assert entry.family is None
            assert entry.details["family_id"] == str(family.pk)


@pytest.mark.django_db
def test_an_outsider_gets_the_same_answer_as_for_a_family_that_does_not_exist(charlie, family):
    with pytest.raises(NotFound) as for_real_family:
        access.require(user=charlie, family_id=family.pk, action=Action.VIEW_FAMILY)
    with pytest.raises(NotFound) as for_missing_family:
        access.require(user=charlie, family_id=family.pk + 1000, action=Action.VIEW_FAMILY)

    assert for_real_family.value.code == for_missing_family.value.code == "not_found"
    assert str(for_real_family.value.detail) == str(for_missing_family.value.detail)


@pytest.mark.django_db
@pytest.mark.parametrize("family_id", ["abc", None, "", "1; DROP TABLE", 10**20])
def test_a_malformed_family_id_is_simply_not_found(alice, family_id):
    with pytest.raises(NotFound):
        access.require(user=alice, family_id=family_id, action=Action.VIEW_FAMILY)


@pytest.mark.django_db
def test_an_ended_membership_gives_no_access(alice, family):
    Membership.objects.filter(user=alice, family=family).update(ended_at=timezone.now())

    assert access.membership_for(user=alice, family_id=family.pk) is None
    with pytest.raises(NotFound):
        access.require(user=alice, family_id=family.pk, action=Action.VIEW_FAMILY)


@pytest.mark.django_db
def test_a_membership_in_another_family_gives_no_access_to_this_one(charlie, family, other_family):
    assert access.membership_for(user=charlie, family_id=other_family.pk) is not None
    assert access.membership_for(user=charlie, family_id=family.pk) is None


@pytest.mark.django_db
def test_access_family_returns_the_family_to_a_member(alice, family):
    assert access.access_family(user=alice, family_id=family.pk) == family


@pytest.mark.django_db
def test_actions_for_a_non_member_is_empty(family):
    assert access.actions_for(None) == frozenset()
    assert access.actions_for(access.membership_for(user=UserFactory(), family_id=family.pk)) == frozenset()


# Who reads a parent's words on the plan (plan_words_visible): (reader, where the words went,
# released) -> may read. The author is a parent; "other_parent" and "relative" are the family.
WORDS_TABLE = [
    ("author", "family", False, True), ("author", "held", False, True),
    ("author", "practitioners", False, True),
    ("other_parent", "family", False, True), ("other_parent", "held", False, False),
    ("other_parent", "held", True, True), ("other_parent", "practitioners", False, False),
    ("other_parent", "practitioners", True, False),
    ("relative", "family", False, True), ("relative", "held", False, False),
    ("relative", "practitioners", False, False),
    ("practitioner", "held", False, True), ("practitioner", "practitioners", False, True),
    ("coordinator", "practitioners", False, True), ("outsider", "family", False, False),
]


@pytest.mark.django_db
@pytest.mark.parametrize(("reader", "to", "released", "expected"), WORDS_TABLE)
def test_a_parents_words_on_the_plan_are_read_by_whom_the_contact_mode_lets(
        make_persona, family, reader, to, released, expected):
    author = make_persona("parent")
    role = {"author": None, "other_parent": "parent"}.get(reader, reader)
    membership = (access.membership_for(user=author, family_id=family.pk) if role is None
                  else access.membership_for(user=make_persona(role), family_id=family.pk))
    assert access.plan_words_visible(membership, author_id=author.pk, to=to, released=released) is expected
