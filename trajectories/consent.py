"""Consent for a trajectory (issue 12, item 2): who must consent before a practitioner talks with a
child, the record of consents given and withdrawn, and the checks trajectories.services runs
before a child's talk is planned or marked held.

The rules (Dutch youth care, WGBO/Jeugdwet; KIES asks both parents in writing):
- a child under 12: both parents (every parent of the family now) consent;
- a child from 12 to 16: the parents and the child consent together;
- a child from 16: the child alone, except in KIES, whose method asks the written consent of both
  parents for every child who takes part;
- children are not users: the practitioner records a child's consent after asking the child.

Each decision is one append-only Consent row (the database refuses UPDATE and DELETE); the latest
row per person is their consent now. A parent decides only for themselves: the service takes the
acting user, never a user id from the request, so the other parent cannot give or withdraw for
them. A withdrawal stops the planning of further child talks (register_plan_check) and shows to the
practitioners at once (on the trajectory page and their home); talks already planned stay until the
practitioner moves or cancels them, and none of them can be marked held (register_hold_check).

Not covered: whether a parent holds parental authority (gezag) is not checked; the practitioner
establishes that at the intake, as on paper.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from audit import actions
from audit.services import audit_record
from core.errors import Invalid, NotFound
from families.access import Action, require
from families.models import Child, Membership, Role
from trajectories.models import Consent, Talk, TalkParticipant, Trajectory
from trajectories.types import TalkKind

CHILD_WITH_PARENTS_FROM = 12
CHILD_ALONE_FROM = 16
PARENTS_ALWAYS = frozenset({"kies"})  # types that ask both parents' consent at every age


def age_on(child: Child, day: date) -> int:
    born = child.birth_date
    return day.year - born.year - ((day.month, day.day) < (born.month, born.day))


def needed_for(child: Child, *, type_key: str, day: date | None = None) -> tuple[bool, bool]:
    """(the parents must consent, the child must consent) for a talk with this child."""
    age = age_on(child, day or timezone.localdate())
    if age >= CHILD_ALONE_FROM:
        return type_key in PARENTS_ALWAYS, True
    if age >= CHILD_WITH_PARENTS_FROM:
        return True, True
    return True, False


# -- reading the record --------------------------------------------------------------------------------


@dataclass
class PersonConsent:
    name: str
    latest: Consent | None
    user_id: int | None = None
    child: Child | None = None
    needs_own: bool = True  # for a child: whether their own consent is asked
    history: list[Consent] = field(default_factory=list)

    @property
    def given(self) -> bool:
        return self.latest is not None and self.latest.decision == Consent.Decision.GIVEN

    @property
    def withdrawn(self) -> bool:
        return self.latest is not None and self.latest.decision == Consent.Decision.WITHDRAWN


@dataclass
class ConsentState:
    trajectory: Trajectory
    parents: list[PersonConsent]
    children: list[PersonConsent]

    def parent(self, user_id: int) -> PersonConsent | None:
        return next((p for p in self.parents if p.user_id == user_id), None)

    @property
    def withdrawals(self) -> list[PersonConsent]:
        return [p for p in self.parents + self.children if p.withdrawn]

    @property
    def all_parents_given(self) -> bool:
        return bool(self.parents) and all(p.given for p in self.parents)

    def missing_for(self, child_ids) -> list[PersonConsent]:
        """Who still has to consent (or consented and withdrew) before a talk with these children."""
        missing: dict[tuple, PersonConsent] = {}
        for entry in self.children:
            if entry.child.pk not in child_ids:
                continue
            parents_needed, child_needed = needed_for(entry.child, type_key=self.trajectory.type_key)
            if child_needed and not entry.given:
                missing[("c", entry.child.pk)] = entry
            if parents_needed:
                for parent in self.parents:
                    if not parent.given:
                        missing[("u", parent.user_id)] = parent
        return list(missing.values())


def consent_state(*, trajectory: Trajectory) -> ConsentState:
    """Every parent of the family now and every child, with their latest decision and history."""
    rows = list(Consent.objects.filter(trajectory=trajectory).select_related("recorded_by"))
    by_user: dict[int, list[Consent]] = {}
    by_child: dict[int, list[Consent]] = {}
    for row in rows:
        if row.user_id:
            by_user.setdefault(row.user_id, []).append(row)
        else:
            by_child.setdefault(row.child_id, []).append(row)
    parents = [
        PersonConsent(
            name=m.user.display_name,
            user_id=m.user_id,
            latest=(by_user.get(m.user_id) or [None])[-1],
            history=by_user.get(m.user_id, []),
        )
        for m in Membership.objects.active()
        .filter(family_id=trajectory.family_id, role=Role.PARENT)
        .select_related("user")
        .order_by("created_at", "pk")
    ]
    children = []
    for child in Child.objects.filter(family_id=trajectory.family_id).order_by("birth_date", "pk"):
        _parents, own = needed_for(child, type_key=trajectory.type_key)
        children.append(
            PersonConsent(
                name=child.first_name,
                child=child,
                needs_own=own,
                latest=(by_child.get(child.pk) or [None])[-1],
                history=by_child.get(child.pk, []),
            )
        )
    return ConsentState(trajectory=trajectory, parents=parents, children=children)


def _names(people: list[PersonConsent]) -> str:
    return ", ".join(p.name for p in people)


# -- the checks trajectories.services runs -------------------------------------------------------------


def hold_check(talk: Talk) -> str | None:
    """A child's talk is marked held only with every consent it needs given."""
    if talk.kind != TalkKind.CHILD:
        return None
    child_ids = set(
        TalkParticipant.objects.filter(talk=talk, child__isnull=False).values_list("child_id", flat=True)
    )
    if not child_ids:
        return None
    missing = consent_state(trajectory=talk.trajectory).missing_for(child_ids)
    if missing:
        return _(
            "Dit kindgesprek kan nog niet als gehouden worden vastgelegd: de toestemming van "
            "%(names)s ontbreekt. Vraag om toestemming, of verzet het gesprek."
        ) % {"names": _names(missing)}
    return None


def plan_check(*, trajectory: Trajectory, kind: str, child_ids: set[int]) -> str | None:
    """After a withdrawal no further talk with the children it concerns is planned (or moved)."""
    if kind != TalkKind.CHILD or not child_ids:
        return None
    state = consent_state(trajectory=trajectory)
    withdrawn = [p for p in state.missing_for(child_ids) if p.withdrawn]
    if withdrawn:
        return _(
            "%(names)s trok de toestemming in. Er kunnen geen kindgesprekken worden gepland tot er "
            "weer toestemming is."
        ) % {"names": _names(withdrawn)}
    return None


# -- writes --------------------------------------------------------------------------------------------


def _locked_trajectory(*, family_id: int, trajectory_id) -> Trajectory:
    try:
        pk = int(trajectory_id)
    except (TypeError, ValueError):
        raise NotFound() from None
    trajectory = (
        Trajectory.objects.select_for_update().filter(pk=pk, family_id=family_id).first()
        if 0 < pk < 2**63
        else None
    )
    if trajectory is None:
        raise NotFound()
    return trajectory


def _decide(*, trajectory, membership, actor, decision, request, user=None, child=None) -> Consent:
    if decision not in Consent.Decision.values:
        raise Invalid(_("Kies: toestemming geven of intrekken."))
    if decision == Consent.Decision.GIVEN and not trajectory.is_active:
        raise Invalid(_("Dit traject is afgesloten; er is geen toestemming meer nodig."))
    latest = (
        Consent.objects.filter(trajectory=trajectory, user=user, child=child).order_by("-at", "-pk").first()
    )
    if latest is None and decision == Consent.Decision.WITHDRAWN:
        raise Invalid(_("Er is nog geen toestemming gegeven, dus er is niets in te trekken."))
    if latest is not None and latest.decision == decision:
        return latest  # a second click changes nothing and adds no row
    consent = Consent.objects.create(
        trajectory=trajectory,
        family_id=trajectory.family_id,
        user=user,
        child=child,
        decision=decision,
        recorded_by=actor,
    )
    audit_record(
        action=actions.CONSENT_GIVEN if decision == Consent.Decision.GIVEN else actions.CONSENT_WITHDRAWN,
        actor=actor,
        acting_role=membership.role,
        family=membership.family,
        subject_user=user,
        target=consent,
        request=request,
        details={"trajectory": trajectory.pk, **({"child": child.pk} if child else {})},
    )
    return consent


def consent_decide(*, actor, family_id, trajectory_id, decision: str, request=None) -> Consent:
    """A parent gives or withdraws their own consent for the trajectory. Appends a row (none when
    the decision is what it already was). The trajectory row is locked so that two clicks of the
    same parent are recorded in order."""
    membership = require(user=actor, family_id=family_id, action=Action.GIVE_CONSENT, request=request)
    with transaction.atomic():
        trajectory = _locked_trajectory(family_id=membership.family_id, trajectory_id=trajectory_id)
        return _decide(
            trajectory=trajectory, membership=membership, actor=actor, decision=decision,
            request=request, user=actor,
        )


def child_consent_record(
    *, actor, family_id, trajectory_id, child_id, decision: str, request=None
) -> Consent:
    """A practitioner records a child's own consent (from 12) after asking the child."""
    membership = require(user=actor, family_id=family_id, action=Action.RECORD_CHILD_CONSENT, request=request)
    try:
        child = Child.objects.filter(family_id=membership.family_id, pk=int(child_id)).first()
    except (TypeError, ValueError, OverflowError):
        child = None
    if child is None:
        raise Invalid(_("Kies een kind uit dit gezin."))
    if age_on(child, timezone.localdate()) < CHILD_WITH_PARENTS_FROM:
        raise Invalid(
            _("%(name)s is jonger dan 12: dan geven de ouders toestemming, niet het kind zelf.")
            % {"name": child.first_name}
        )
    with transaction.atomic():
        trajectory = _locked_trajectory(family_id=membership.family_id, trajectory_id=trajectory_id)
        return _decide(
            trajectory=trajectory, membership=membership, actor=actor, decision=decision,
            request=request, child=child,
        )


def withdrawals_for_practitioner(*, user) -> list[tuple[Trajectory, list[PersonConsent]]]:
    """The running trajectories in the practitioner's families where a consent is withdrawn now."""
    from families.models import PRACTITIONER_ROLES

    families = Membership.objects.active().filter(user=user, role__in=PRACTITIONER_ROLES).values("family_id")
    ids = set(
        Consent.objects.filter(
            family_id__in=families, decision=Consent.Decision.WITHDRAWN,
            trajectory__status=Trajectory.Status.ACTIVE,
        ).values_list("trajectory_id", flat=True)
    )
    found = []
    for trajectory in Trajectory.objects.filter(pk__in=ids).select_related("family"):
        withdrawn = consent_state(trajectory=trajectory).withdrawals
        if withdrawn:
            found.append((trajectory, withdrawn))
    return found


def missing_for_practitioner(*, user) -> list[tuple[Trajectory, list[PersonConsent]]]:
    """The running trajectories in the practitioner's families with child talks still to hold, and
    per trajectory who has not decided yet on a consent those talks need (withdrawals are listed by
    withdrawals_for_practitioner, so they are not repeated here)."""
    from families.models import PRACTITIONER_ROLES

    families = Membership.objects.active().filter(user=user, role__in=PRACTITIONER_ROLES).values("family_id")
    coming = (
        TalkParticipant.objects.filter(
            talk__family_id__in=families,
            talk__kind=TalkKind.CHILD,
            talk__status__in=Talk.UPCOMING,
            talk__trajectory__status=Trajectory.Status.ACTIVE,
            child__isnull=False,
        )
        .values_list("talk__trajectory_id", "child_id")
        .distinct()
    )
    children: dict[int, set[int]] = {}
    for trajectory_id, child_id in coming:
        children.setdefault(trajectory_id, set()).add(child_id)
    found = []
    trajectories = Trajectory.objects.filter(pk__in=children).select_related("family")
    for trajectory in trajectories.order_by("family__display_name", "pk"):
        state = consent_state(trajectory=trajectory)
        undecided = [p for p in state.missing_for(children[trajectory.pk]) if p.latest is None]
        if undecided:
            found.append((trajectory, undecided))
    return found
