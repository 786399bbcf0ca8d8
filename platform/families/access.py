"""The one place that answers "may this user see or do this in this family".

Every view, consumer and service asks here. Rules:
- only an active member of a family has any access to it; to everyone else the family does
  not exist (NotFound, the same answer as for an id that is not there);
- what a member may do depends on their role, per the table below;
- a refusal is written to the audit trail.
"""

from __future__ import annotations

from enum import StrEnum

from django.utils.translation import gettext as _

from audit import actions as audit_actions
from audit.models import AuditEntry
from audit.services import audit_record
from core.errors import NotFound, PermissionDenied
from families.models import Family, Membership, Role


class Action(StrEnum):
    VIEW_FAMILY = "view_family"
    VIEW_CHILDREN = "view_children"
    VIEW_MEMBERS = "view_members"
    VIEW_ACCESS_LOG = "view_access_log"
    INVITE_MEMBER = "invite_member"
    MANAGE_MEMBERS = "manage_members"
    ADD_CHILD = "add_child"
    CHANGE_CONTACT_MODE = "change_contact_mode"
    READ_PARENTS_THREAD = "read_parents_thread"
    WRITE_PARENTS_THREAD = "write_parents_thread"
    MODERATE = "moderate"
    MANAGE_THREAD_PARTICIPANTS = "manage_thread_participants"
    READ_PLAN = "read_plan"
    EDIT_PLAN = "edit_plan"
    COMMENT_PLAN = "comment_plan"
    APPROVE_PLAN = "approve_plan"
    RECORD_CHILD_VOICE = "record_child_voice"
    MANAGE_PLAN = "manage_plan"
    VIEW_DOSSIER = "view_dossier"


_A = Action
_EVERY_MEMBER = {_A.VIEW_FAMILY}
_PRACTITIONER = _EVERY_MEMBER | {
    _A.VIEW_CHILDREN, _A.VIEW_MEMBERS, _A.VIEW_ACCESS_LOG, _A.INVITE_MEMBER, _A.ADD_CHILD,
    _A.READ_PARENTS_THREAD, _A.MODERATE, _A.MANAGE_THREAD_PARTICIPANTS, _A.READ_PLAN, _A.COMMENT_PLAN,
    _A.RECORD_CHILD_VOICE, _A.VIEW_DOSSIER,
    _A.MANAGE_PLAN,
}

PERMISSIONS: dict[str, frozenset[Action]] = {
    Role.PARENT: frozenset(_EVERY_MEMBER | {
        _A.VIEW_CHILDREN, _A.VIEW_MEMBERS, _A.VIEW_ACCESS_LOG, _A.READ_PARENTS_THREAD, _A.WRITE_PARENTS_THREAD,
        _A.READ_PLAN, _A.EDIT_PLAN, _A.APPROVE_PLAN,
    }),
    Role.PRACTITIONER: frozenset(_PRACTITIONER),
    # The coordinating practitioner decides on contact mode and on who is part of the case.
    Role.COORDINATOR: frozenset(_PRACTITIONER | {_A.CHANGE_CONTACT_MODE, _A.MANAGE_MEMBERS}),
    # Relatives (a new partner, a grandparent) get a narrow role: they see the family exists and
    # only what a practitioner explicitly shares with them (plan sections marked as shared, chat
    # threads they were added to: see plan_section_visible and thread_rights).
    Role.RELATIVE: frozenset(_EVERY_MEMBER),
}


def membership_for(*, user, family_id) -> Membership | None:
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return None
    try:
        family_id = int(family_id)
    except (TypeError, ValueError):
        return None
    if not 0 < family_id < 2**63:
        return None  # no such id; SQLite would raise OverflowError on a larger one
    # At most one active membership per user and family (one_active_membership): no ORDER BY
    # needed, and building it was a third of this lookup's cost on every chat message.
    found = Membership.objects.active().select_related("family").filter(user=user, family_id=family_id)[:1]
    return next(iter(found), None)


def can(membership: Membership | None, action: Action) -> bool:
    return membership is not None and action in PERMISSIONS.get(membership.role, frozenset())


def require(*, user, family_id, action: Action, request=None) -> Membership:
    """The user's membership if they may do `action` in the family; raises NotFound for
    non-members (nothing is revealed) and PermissionDenied for members whose role does not allow it."""
    membership = membership_for(user=user, family_id=family_id)
    if membership is None:
        _record_denial(user=user, family=None, action=action, request=request, family_id=family_id)
        raise NotFound()
    if not can(membership, action):
        _record_denial(user=user, family=membership.family, action=action, request=request, role=membership.role)
        raise PermissionDenied(_("Dit kan niet in jouw rol in dit gezin."))
    return membership


def access_family(*, user, family_id, action: Action = Action.VIEW_FAMILY, request=None) -> Family:
    return require(user=user, family_id=family_id, action=action, request=request).family


def actions_for(membership: Membership | None) -> frozenset[Action]:
    if membership is None:
        return frozenset()
    return PERMISSIONS.get(membership.role, frozenset())


def _record_denial(*, user, family, action, request, role: str = "", family_id=None) -> None:
    audit_record(
        action=audit_actions.ACCESS_DENIED,
        actor=user if getattr(user, "is_authenticated", False) else None,
        acting_role=role,
        family=family,
        result=AuditEntry.Result.DENIED,
        request=request,
        details={"wanted": str(action), **({"family_id": str(family_id)[:32]} if family is None else {})},
    )


class ThreadRights:
    """What a member may do in one chat thread."""

    __slots__ = ("read", "write")

    def __init__(self, read: bool = False, write: bool = False):
        self.read, self.write = read, write


def thread_rights(membership: Membership | None, *, kind: str, owner_id: int | None,
                  participant_can_write: bool | None = None) -> ThreadRights:
    """The rules of the chat threads:
    - the parents' thread: its parents write, its practitioners read;
    - a parent's private thread: that parent and the family's practitioners read and write;
      the other parent never sees it;
    - relatives take part only where a practitioner added them (`participant_can_write` is None
      when they were not added, else whether they may write).
    """
    if membership is None:
        return ThreadRights()
    role = membership.role
    if role == Role.RELATIVE:
        if participant_can_write is None:
            return ThreadRights()
        return ThreadRights(read=True, write=participant_can_write)
    if kind == "parents":
        return ThreadRights(read=can(membership, Action.READ_PARENTS_THREAD),
                            write=can(membership, Action.WRITE_PARENTS_THREAD))
    if kind == "private":
        if role == Role.PARENT:
            mine = membership.user_id == owner_id
            return ThreadRights(read=mine, write=mine)
        if membership.is_practitioner:
            return ThreadRights(read=True, write=True)
    return ThreadRights()


def plan_section_visible(membership: Membership | None, *, shared_with_relatives: bool, hidden: bool) -> bool:
    """Parents and practitioners see every section (hidden ones only practitioners); relatives
    see only the sections a practitioner shared with them."""
    if membership is None:
        return False
    if membership.role == Role.RELATIVE:
        return shared_with_relatives and not hidden
    if hidden:
        return membership.is_practitioner
    return can(membership, Action.READ_PLAN)
