"""The one place that answers "may this user see or do this in this family".

Every view, consumer and service asks here. Rules:
- only an active member of a family has any access to it; to everyone else the family does
  not exist (NotFound, the same answer as for an id that is not there);
- what a member may do depends on their role, per the table below;
- a refusal is written to the audit trail, one way for every feature (see "Denials" below).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from enum import StrEnum
from functools import wraps
from typing import Any

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
    EDIT_CHILD = "edit_child"  # change a child's name or birth date, or remove the child
    CHANGE_CONTACT_MODE = "change_contact_mode"
    READ_PARENTS_THREAD = "read_parents_thread"
    WRITE_PARENTS_THREAD = "write_parents_thread"
    MODERATE = "moderate"
    MANAGE_THREAD_PARTICIPANTS = "manage_thread_participants"
    # A parent's say over who else joins a thread they write in (messaging: both parents consent
    # before a relative is added to their thread; the thread's own rules say which parents).
    CONSENT_THREAD_PARTICIPANTS = "consent_thread_participants"
    READ_PLAN = "read_plan"
    EDIT_PLAN = "edit_plan"
    COMMENT_PLAN = "comment_plan"
    NOTE_PLAN = "note_plan"  # a plan comment only practitioners see
    APPROVE_PLAN = "approve_plan"
    RECORD_CHILD_VOICE = "record_child_voice"
    MANAGE_PLAN = "manage_plan"
    VIEW_DOSSIER = "view_dossier"
    RESET_SECOND_FACTOR = "reset_second_factor"
    # Trajectories (the trajectories app): a relative has neither and sees only the talks they
    # take part in; who sees which talk is trajectories.selectors.talk_visible.
    VIEW_TRAJECTORY = "view_trajectory"
    MANAGE_TRAJECTORY = "manage_trajectory"  # start, end, switch; add, move, cancel, mark held
    # The trajectory's records (issue 12): a parent gives or withdraws their own consent; a
    # practitioner records a child's (children are not users) and writes in the dossier, which
    # VIEW_DOSSIER reads.
    GIVE_CONSENT = "give_consent"
    RECORD_CHILD_CONSENT = "record_child_consent"
    WRITE_DOSSIER = "write_dossier"
    # Working goals and the agreement (issue 12, item 1): a practitioner writes the goals and
    # their progress; a parent confirms the agreement and the receipt of the code of conduct for
    # themselves.
    WRITE_GOALS = "write_goals"
    CONFIRM_AGREEMENT = "confirm_agreement"
    # Evaluations (issue 12, item 3): a parent gives their own input before an evaluation, only
    # for the practitioners; a practitioner opens the evaluation (with both parents' input) and
    # records its outcome.
    GIVE_EVALUATION_INPUT = "give_evaluation_input"
    EVALUATE = "evaluate"
    # Reports (issue 12, item 5): practitioners write and share them (drafts are theirs alone);
    # a parent reads the shared ones (VIEW_TRAJECTORY) and adds a written response of their own.
    WRITE_REPORT = "write_report"
    RESPOND_REPORT = "respond_report"


_A = Action
_EVERY_MEMBER = {_A.VIEW_FAMILY}
_PRACTITIONER = _EVERY_MEMBER | {
    _A.VIEW_CHILDREN, _A.VIEW_MEMBERS, _A.VIEW_ACCESS_LOG, _A.INVITE_MEMBER, _A.ADD_CHILD, _A.EDIT_CHILD,
    _A.READ_PARENTS_THREAD, _A.MODERATE, _A.MANAGE_THREAD_PARTICIPANTS, _A.READ_PLAN, _A.COMMENT_PLAN,
    _A.NOTE_PLAN,
    _A.RECORD_CHILD_VOICE, _A.VIEW_DOSSIER,
    _A.MANAGE_PLAN, _A.VIEW_TRAJECTORY, _A.MANAGE_TRAJECTORY,
    _A.RECORD_CHILD_CONSENT, _A.WRITE_DOSSIER, _A.WRITE_GOALS, _A.EVALUATE, _A.WRITE_REPORT,
}

PERMISSIONS: dict[str, frozenset[Action]] = {
    Role.PARENT: frozenset(_EVERY_MEMBER | {
        _A.VIEW_CHILDREN, _A.VIEW_MEMBERS, _A.VIEW_ACCESS_LOG,
        _A.READ_PARENTS_THREAD, _A.WRITE_PARENTS_THREAD, _A.CONSENT_THREAD_PARTICIPANTS,
        _A.READ_PLAN, _A.EDIT_PLAN, _A.APPROVE_PLAN, _A.COMMENT_PLAN, _A.VIEW_TRAJECTORY,
        _A.GIVE_CONSENT, _A.CONFIRM_AGREEMENT, _A.GIVE_EVALUATION_INPUT, _A.RESPOND_REPORT,
    }),
    Role.PRACTITIONER: frozenset(_PRACTITIONER),
    # The coordinating practitioner decides on contact mode and on who is part of the case, and
    # helps a parent or relative of the family who lost their phone and backup codes.
    Role.COORDINATOR: frozenset(_PRACTITIONER | {_A.CHANGE_CONTACT_MODE, _A.MANAGE_MEMBERS,
                                                 _A.RESET_SECOND_FACTOR}),
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
    non-members (nothing is revealed) and PermissionDenied for members whose role does not allow it.
    The refusal is recorded (inside denials_recorded, by it, after the rollback)."""
    membership = membership_for(user=user, family_id=family_id)
    if membership is None:
        _refuse(NotFound(), user=user, wanted=str(action), request=request,
                family_id=str(family_id)[:32])
    if not can(membership, action):
        _refuse(PermissionDenied(_("Dit kan niet in jouw rol in dit gezin.")), user=user, wanted=str(action),
                request=request, family=membership.family, role=membership.role)
    return membership


def access_family(*, user, family_id, action: Action = Action.VIEW_FAMILY, request=None) -> Family:
    return require(user=user, family_id=family_id, action=action, request=request).family


def actions_for(membership: Membership | None) -> frozenset[Action]:
    if membership is None:
        return frozenset()
    return PERMISSIONS.get(membership.role, frozenset())


# -- Denials ----------------------------------------------------------------------------------
#
# Every refusal (NotFound or PermissionDenied on something a user asked for) is one
# ACCESS_DENIED entry. A member's refusal belongs to their family, so its people see the attempt
# in their access log; a non-member's is not linked to the family (it would name a stranger in
# someone else's log), only the id they tried is kept. Nothing of it reaches the one refused.
#
# A service refuses inside its transaction, which then rolls back, taking any entry written
# inside it along. So the entry is written by denials_recorded (or the records_denials
# decorator) around the outermost service call, after the rollback. Outside such a scope
# require() writes its own entry at once (it runs outside any transaction there). A feature's
# own access selectors (access_thread, access_plan) record nothing: a socket re-checking access
# after access.changed is no attempt; the services and pages calling them on a request record.
#
# Not protected: a scope opened inside a transaction.atomic block of the caller; if that block
# rolls back, the entry goes with it.

# What a refused thing belongs to: (the id of its family, or None when it does not exist;
# details naming it for the entry, e.g. {"thread": "12"}).
Located = tuple[Any, dict]

_scope_depth: ContextVar[int] = ContextVar("denial_scope_depth", default=0)


def denial_record(*, user, wanted: str, family: Family | None = None, family_id=None, role: str = "",
                  details: dict | None = None, request=None) -> None:
    """Write one ACCESS_DENIED entry. `family`: the family of a member who was refused (the entry
    shows in its access log); `family_id`: for anyone else, the family id they tried (kept in the
    details only)."""
    audit_record(
        action=audit_actions.ACCESS_DENIED,
        actor=user if getattr(user, "is_authenticated", False) else None,
        acting_role=role,
        family=family,
        result=AuditEntry.Result.DENIED,
        request=request,
        details={"wanted": str(wanted), **(details or {}),
                 **({"family_id": family_id} if family is None and family_id is not None else {})},
    )


def _refuse(exc: NotFound | PermissionDenied, **denial) -> None:
    if _scope_depth.get():
        exc.denial = denial  # the surrounding scope writes it, after the rollback
    else:
        denial_record(**denial)
    raise exc


@contextmanager
def denials_recorded(*, user, wanted: str, locate: Callable[[Any], Located] | None = None, subject_id=None,
                     request=None) -> Iterator[None]:
    """Around a service call (or the access check of a page): a NotFound or PermissionDenied
    raised inside is recorded once, after the service's transaction rolled back, and re-raised.

    `locate(subject_id)` says which family the refused thing belongs to; it is asked only on a
    refusal. A refusal that require() raised inside already knows its family. Nested scopes (a
    service calling another) record once, in the outermost."""
    depth = _scope_depth.get()
    token = _scope_depth.set(depth + 1)
    try:
        yield
    except (NotFound, PermissionDenied) as exc:
        if depth == 0:
            denial = getattr(exc, "denial", None) or _locate(user=user, locate=locate, subject_id=subject_id)
            denial_record(**{**denial, "user": user, "wanted": wanted,
                             "request": request or denial.get("request")})
        raise
    finally:
        _scope_depth.reset(token)


def _locate(*, user, locate, subject_id) -> dict:
    family_id, details = locate(subject_id) if locate is not None else (None, {})
    membership = membership_for(user=user, family_id=family_id) if family_id is not None else None
    if membership is not None:
        return {"family": membership.family, "role": membership.role, "details": details}
    return {"family_id": family_id, "details": details}


def records_denials(wanted: str, *, locate: Callable[[Any], Located], id_kw: str, user_kw: str = "user"):
    """denials_recorded around a service taking keyword arguments: `user_kw` is the acting
    user, `id_kw` the id `locate` is asked about, and an optional `request`."""

    def decorate(service):
        @wraps(service)
        def wrapper(**kwargs):
            with denials_recorded(user=kwargs[user_kw], wanted=wanted, locate=locate,
                                  subject_id=kwargs.get(id_kw), request=kwargs.get("request")):
                return service(**kwargs)

        return wrapper

    return decorate


def family_located(family_id) -> Located:
    """`locate` for a family id: the family itself."""
    return family_id, {}


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


def thread_consent_needed(membership: Membership | None, *, kind: str, owner_id: int | None) -> bool:
    """Whether this member must consent before a relative joins the thread or may write in it:
    every parent who writes in it (both parents for the parents' thread, the owner for a private
    one). Practitioners propose; they do not consent for the parents."""
    return (can(membership, Action.CONSENT_THREAD_PARTICIPANTS)
            and thread_rights(membership, kind=kind, owner_id=owner_id).write)


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


# Who reads a parent's own words on the plan (a comment, the reason for disagreeing), by where the
# family's contact mode sent them when they were written (parentingplan.extensions):
#   "family"        everyone who sees the section (direct contact);
#   "held"          the author and the practitioners until a practitioner releases them (moderated);
#   "practitioners" the author and the practitioners only, ever (indirect: parents never read each
#                   other's raw words; a practitioner passes on what is needed in words of their own).
WORDS_FAMILY, WORDS_HELD, WORDS_PRACTITIONERS = "family", "held", "practitioners"


def plan_words_visible(
    membership: Membership | None, *, author_id: int, to: str, released: bool = False
) -> bool:
    """May this member read words written on the plan by `author_id` that went `to` an audience
    (one of the WORDS_ values)? Section visibility is checked before (plan_section_visible)."""
    if membership is None:
        return False
    if membership.is_practitioner or membership.user_id == author_id:
        return True
    if to == WORDS_FAMILY:
        return True
    return to == WORDS_HELD and released
