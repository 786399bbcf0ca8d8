"""Working goals and the agreement (issue 12, item 1).

The practitioner writes the trajectory's goals; each goal has a status and progress notes
(GoalUpdate rows, reviewed at the evaluations). Each parent confirms the agreement, the goals as
they stand, for themselves: the confirmation keeps a hash of the goals' wording (goals_hash), so a
goal added later makes the agreement unconfirmed again and the parent is asked again. Status
updates and progress notes do not change the agreement.

The practice's code of conduct is one PDF a practitioner who may open cases uploads (a new upload
replaces it as the current one; the old ones stay); each parent acknowledges receiving it. Members
of a family with a trajectory (parents and practitioners: VIEW_TRAJECTORY) may download it.

Every row here is append-only in the database (audit.appendonly) and every write is audited. A
parent confirms only for themselves: the services take the acting user, never a user id from the
request, so the other parent cannot confirm for them.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from audit import actions
from audit.services import audit_record
from core.errors import Invalid, NotFound, PermissionDenied
from families.access import Action, can, require
from families.models import Membership, Role
from trajectories.consent import _locked_trajectory
from trajectories.models import (
    AgreementConfirmation,
    CodeOfConduct,
    CodeOfConductReceipt,
    Goal,
    GoalUpdate,
    Trajectory,
)
from trajectories.texts import clean_text

GOAL_MAX_CHARS = 1_000
NOTE_MAX_CHARS = 4_000
CODE_MAX_BYTES = 5 * 1024 * 1024
Status = GoalUpdate.Status


# -- reading -------------------------------------------------------------------------------------------


@dataclass
class GoalState:
    goal: Goal
    updates: list[GoalUpdate] = field(default_factory=list)

    @property
    def latest(self) -> GoalUpdate | None:
        return self.updates[-1] if self.updates else None

    @property
    def status(self) -> str:
        return self.latest.status if self.latest else Status.OPEN

    @property
    def status_label(self) -> str:
        return Status(self.status).label


@dataclass
class ParentAgreement:
    name: str
    user_id: int
    confirmed: AgreementConfirmation | None  # their confirmation of the goals as they are now
    earlier: AgreementConfirmation | None  # their latest confirmation of earlier goals
    receipt: CodeOfConductReceipt | None  # of the current code of conduct


@dataclass
class AgreementState:
    trajectory: Trajectory
    goals: list[GoalState]
    goals_hash: str
    parents: list[ParentAgreement]
    code: CodeOfConduct | None

    def parent(self, user_id: int) -> ParentAgreement | None:
        return next((p for p in self.parents if p.user_id == user_id), None)


def goals_hash(goals) -> str:
    """The agreement's content: every goal's id and wording, in order."""
    digest = hashlib.sha256()
    for goal in sorted(goals, key=lambda g: g.pk):
        digest.update(f"{goal.pk}\x1f{goal.text}\x1e".encode())
    return digest.hexdigest()


def current_code() -> CodeOfConduct | None:
    return CodeOfConduct.objects.defer("content").order_by("-uploaded_at", "-pk").first()


def agreement_state(*, trajectory: Trajectory) -> AgreementState:
    goals = list(Goal.objects.filter(trajectory=trajectory).select_related("created_by"))
    updates: dict[int, list[GoalUpdate]] = {}
    for row in GoalUpdate.objects.filter(goal__trajectory=trajectory).select_related("by"):
        updates.setdefault(row.goal_id, []).append(row)
    content = goals_hash(goals)
    code = current_code()
    confirmations: dict[int, list[AgreementConfirmation]] = {}
    for row in AgreementConfirmation.objects.filter(trajectory=trajectory):
        confirmations.setdefault(row.user_id, []).append(row)
    receipts = (
        {r.user_id: r for r in CodeOfConductReceipt.objects.filter(document=code)} if code else {}
    )
    parents = []
    for m in (
        Membership.objects.active()
        .filter(family_id=trajectory.family_id, role=Role.PARENT)
        .select_related("user")
        .order_by("created_at", "pk")
    ):
        rows = confirmations.get(m.user_id, [])
        matching = [r for r in rows if r.goals_hash == content]
        parents.append(
            ParentAgreement(
                name=m.user.display_name,
                user_id=m.user_id,
                confirmed=matching[-1] if matching and goals else None,
                earlier=rows[-1] if rows else None,
                receipt=receipts.get(m.user_id),
            )
        )
    return AgreementState(
        trajectory=trajectory,
        goals=[GoalState(goal=g, updates=updates.get(g.pk, [])) for g in goals],
        goals_hash=content,
        parents=parents,
        code=code,
    )


# -- the practitioner's writes -------------------------------------------------------------------------


def goal_add(*, actor, family_id, trajectory_id, text: str, request=None) -> Goal:
    membership = require(user=actor, family_id=family_id, action=Action.WRITE_GOALS, request=request)
    text = clean_text(text, empty=_("Schrijf eerst het doel op."), max_chars=GOAL_MAX_CHARS)
    with transaction.atomic():
        trajectory = _locked_trajectory(family_id=membership.family_id, trajectory_id=trajectory_id)
        if not trajectory.is_active:
            raise Invalid(_("Dit traject is afgesloten; er kunnen geen doelen meer bij."))
        goal = Goal.objects.create(
            trajectory=trajectory, family_id=trajectory.family_id, text=text, created_by=actor
        )
        audit_record(
            action=actions.GOAL_ADDED, actor=actor, acting_role=membership.role, family=membership.family,
            target=goal, request=request, details={"trajectory": trajectory.pk},
        )
    return goal


def goal_update(*, actor, family_id, goal_id, status: str, note: str = "", request=None) -> GoalUpdate:
    membership = require(user=actor, family_id=family_id, action=Action.WRITE_GOALS, request=request)
    if status not in Status.values:
        raise Invalid(_("Kies een status: open, bezig, bereikt of gestopt."))
    note = clean_text(note, empty="", max_chars=NOTE_MAX_CHARS)
    try:
        pk = int(goal_id)
    except (TypeError, ValueError):
        raise NotFound() from None
    with transaction.atomic():
        goal = (
            Goal.objects.select_related("trajectory").filter(pk=pk, family_id=membership.family_id).first()
            if 0 < pk < 2**63
            else None
        )
        if goal is None:
            raise NotFound()
        _locked_trajectory(family_id=membership.family_id, trajectory_id=goal.trajectory_id)
        update = GoalUpdate.objects.create(goal=goal, status=status, note=note, by=actor)
        audit_record(
            action=actions.GOAL_UPDATED, actor=actor, acting_role=membership.role, family=membership.family,
            target=goal, request=request, details={"trajectory": goal.trajectory_id, "status": status},
        )
    return update


# -- the parent's writes -------------------------------------------------------------------------------


def agreement_confirm(*, actor, family_id, trajectory_id, seen_hash: str = "", request=None):
    """The acting parent confirms the goals as they stand now. `seen_hash` is the goals_hash of the
    page the parent confirmed on: when the goals changed since, nothing is recorded and the parent
    is asked to read them again. A second confirmation of the same goals adds no row."""
    membership = require(user=actor, family_id=family_id, action=Action.CONFIRM_AGREEMENT, request=request)
    with transaction.atomic():
        trajectory = _locked_trajectory(family_id=membership.family_id, trajectory_id=trajectory_id)
        if not trajectory.is_active:
            raise Invalid(_("Dit traject is afgesloten; er valt niets meer te bevestigen."))
        goals = list(Goal.objects.filter(trajectory=trajectory))
        if not goals:
            raise Invalid(_("Er zijn nog geen doelen om mee akkoord te gaan. Je begeleider schrijft ze op."))
        content = goals_hash(goals)
        if seen_hash and seen_hash != content:
            raise Invalid(
                _("De doelen zijn net veranderd. Lees ze opnieuw en ga dan akkoord als je het ermee "
                  "eens bent.")
            )
        existing = AgreementConfirmation.objects.filter(
            trajectory=trajectory, user=actor, goals_hash=content
        ).first()
        if existing is not None:
            return existing
        confirmation = AgreementConfirmation.objects.create(
            trajectory=trajectory, family_id=trajectory.family_id, user=actor, goals_hash=content
        )
        audit_record(
            action=actions.AGREEMENT_CONFIRMED, actor=actor, acting_role=membership.role,
            family=membership.family, target=confirmation, request=request,
            details={"trajectory": trajectory.pk, "goals": len(goals)},
        )
    return confirmation


def code_receipt_confirm(*, actor, family_id, document_id=None, request=None) -> CodeOfConductReceipt:
    """The acting parent acknowledges receiving the current code of conduct (the one whose id the
    page showed, when given: a newer upload in between asks them to look again)."""
    membership = require(user=actor, family_id=family_id, action=Action.CONFIRM_AGREEMENT, request=request)
    with transaction.atomic():
        code = current_code()
        if code is None:
            raise Invalid(_("Er is nog geen gedragscode. Je begeleider zet hem klaar."))
        if document_id not in (None, "") and str(document_id) != str(code.pk):
            raise Invalid(_("Er staat een nieuwe gedragscode klaar. Open hem en bevestig dan opnieuw."))
        existing = CodeOfConductReceipt.objects.filter(document=code, user=actor).first()
        if existing is not None:
            return existing
        try:
            with transaction.atomic():
                receipt = CodeOfConductReceipt.objects.create(
                    document=code, user=actor, family_id=membership.family_id
                )
        except IntegrityError:  # a double click that raced
            return CodeOfConductReceipt.objects.get(document=code, user=actor)
        audit_record(
            action=actions.CODE_OF_CONDUCT_RECEIVED, actor=actor, acting_role=membership.role,
            family=membership.family, target=receipt, request=request, details={"document": code.pk},
        )
    return receipt


# -- the code of conduct itself ------------------------------------------------------------------------


def may_upload_code(user) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.is_active and user.may_open_cases)


def code_upload(*, actor, name: str, content: bytes, request=None) -> CodeOfConduct:
    if not may_upload_code(actor):
        raise PermissionDenied(_("Alleen een begeleider die gezinnen mag openen, zet de gedragscode klaar."))
    if not content:
        raise Invalid(_("Kies een pdf-bestand."))
    if len(content) > CODE_MAX_BYTES:
        raise Invalid(_("Het bestand is groter dan 5 MB. Maak het kleiner en probeer het opnieuw."))
    if not content.startswith(b"%PDF-"):
        raise Invalid(_("Dit is geen pdf-bestand. Kies een pdf."))
    name = (name or "gedragscode.pdf").replace("/", "_").replace("\\", "_").strip()[:200] or "gedragscode.pdf"
    with transaction.atomic():
        code = CodeOfConduct.objects.create(
            name=name, content=content, size=len(content),
            sha256=hashlib.sha256(content).hexdigest(), uploaded_by=actor,
        )
        audit_record(
            action=actions.CODE_OF_CONDUCT_UPLOADED, actor=actor, target=code, request=request,
            details={"size": len(content)},
        )
    return code


def code_for_download(*, user) -> CodeOfConduct:
    """The current document, for a member of a family with a trajectory (parents and
    practitioners) or a practitioner who may upload it; NotFound for anyone else."""
    allowed = may_upload_code(user)
    if not allowed and getattr(user, "is_authenticated", False) and user.is_active:
        family_ids = Trajectory.objects.values("family_id")
        for membership in Membership.objects.active().filter(user=user, family_id__in=family_ids):
            if can(membership, Action.VIEW_TRAJECTORY):
                allowed = True
                break
    code = CodeOfConduct.objects.order_by("-uploaded_at", "-pk").first() if allowed else None
    if code is None:
        raise NotFound()
    return code
