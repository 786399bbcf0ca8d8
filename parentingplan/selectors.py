from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, datetime

from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from core.errors import NotFound, PermissionDenied
from families.access import (
    WORDS_FAMILY,
    WORDS_HELD,
    WORDS_PRACTITIONERS,
    Action,
    Located,
    can,
    membership_for,
    plan_section_visible,
    plan_words_visible,
)
from families.models import Membership, Role
from parentingplan.content import to_text
from parentingplan.models import (
    ChildWish,
    Comment,
    Plan,
    PlanApproval,
    PlanVersion,
    Section,
    SectionAgreement,
    SectionOpinion,
    SectionRevision,
    WordsDecision,
)
from parentingplan.schedule import load_schedule


@dataclass
class PlanAccess:
    plan: Plan
    membership: Membership

    def can(self, action: Action) -> bool:
        return can(self.membership, action)

    @property
    def is_relative(self) -> bool:
        return self.membership.role == Role.RELATIVE


def _as_id(value) -> int | None:
    try:
        value = int(value)
    except (TypeError, ValueError, OverflowError):
        return None
    return value if 0 < value < 2**63 else None


def plan_located(plan_id) -> Located:
    """For the denial records: the family a plan id belongs to (None if there is no such plan)."""
    pk = _as_id(plan_id)
    family_id = Plan.objects.filter(pk=pk).values_list("family_id", flat=True).first() if pk else None
    return family_id, {"plan": str(plan_id)[:32]}


def section_located(section_id) -> Located:
    """For the denial records: the family a section id belongs to (None if there is no such section)."""
    pk = _as_id(section_id)
    family_id = None
    if pk:
        family_id = Section.objects.filter(pk=pk).values_list("plan__family_id", flat=True).first()
    return family_id, {"section": str(section_id)[:32]}


def words_located(subject) -> Located:
    """For the denial records: the family of a comment or opinion, ("comment" | "opinion", id)."""
    kind, raw = subject
    pk = _as_id(raw)
    model = Comment if kind == "comment" else SectionOpinion
    family_id = (model.objects.filter(pk=pk).values_list("section__plan__family_id", flat=True).first()
                 if pk else None)
    return family_id, {kind: str(raw)[:32]}


def access_plan(*, user, plan_id, action: Action | None = None, lock: bool = False) -> PlanAccess:
    """The plan if the user is a member of its family (relatives too: they see shared sections
    only). NotFound for everyone else; PermissionDenied if `action` is not theirs.

    Records nothing: a re-check (access.changed) is no attempt. The services and pages that call
    it on a user's request record the refusal (families.access.denials_recorded)."""
    plan_id = _as_id(plan_id)
    queryset = Plan.objects.select_for_update() if lock else Plan.objects
    plan = queryset.select_related("family").filter(pk=plan_id).first() if plan_id else None
    membership = membership_for(user=user, family_id=plan.family_id) if plan else None
    if membership is None:
        raise NotFound()
    access = PlanAccess(plan=plan, membership=membership)
    if action is not None and not access.can(action):
        raise PermissionDenied()
    return access


def access_section(*, user, section_id, action: Action | None = None, lock: bool = False):
    """The section and the user's access to its plan if they may see it (see
    plan_section_visible); NotFound otherwise, PermissionDenied if `action` is not theirs.
    Records nothing, as access_plan."""
    section_id = _as_id(section_id)
    queryset = Section.objects.select_for_update() if lock else Section.objects
    section = queryset.filter(pk=section_id).first() if section_id else None
    if section is None:
        raise NotFound()
    access = access_plan(user=user, plan_id=section.plan_id)
    if not plan_section_visible(access.membership, shared_with_relatives=section.shared_with_relatives,
                                hidden=section.hidden):
        raise NotFound()
    if action is not None and not access.can(action):
        raise PermissionDenied()
    return section, access


def head_revision(section: Section) -> SectionRevision | None:
    if not section.head_revision:
        return None
    return SectionRevision.objects.filter(section=section, number=section.head_revision).first()


def parent_ids(plan: Plan) -> list[int]:
    return list(Membership.objects.active().filter(family_id=plan.family_id, role=Role.PARENT)
                .order_by("created_at", "pk").values_list("user_id", flat=True))


def section_frame(
    section: Section, revision: SectionRevision | None = None, *, names: dict | None = None,
    viewer: Membership | None = None,
) -> dict:
    """SECTION as in docs/PROTOCOL.md."""
    revision = revision if revision is not None else head_revision(section)
    schedule = load_schedule(revision.schedule) if revision and revision.schedule else None
    updated_by = None
    if section.updated_by_id:
        name = (names or {}).get(section.updated_by_id) or section.updated_by.display_name
        updated_by = {"id": section.updated_by_id, "name": name}
    agreed_by = list(
        SectionAgreement.objects.filter(section=section, revision=section.head_revision, agrees=True)
        .values_list("user_id", flat=True)
    ) if section.head_revision else []
    return {
        "id": section.pk,
        "key": section.key,
        "title": section.title,
        "kind": section.kind,
        "required": section.required,
        "hidden": section.hidden,
        "shared": section.shared_with_relatives,
        "evaluation_date": section.evaluation_date.isoformat() if section.evaluation_date else None,
        "revision": revision.number if revision else section.head_revision,
        "status": section.status,
        "agreed_by": agreed_by,
        "content": revision.content if revision else "",
        "schedule": schedule.as_dict() if schedule else None,
        "updated_by": updated_by,
        "updated_at": section.updated_at.isoformat() if section.updated_at else None,
        "disputes": disputes_of(section, section.head_revision, viewer=viewer),
    }


def words_state(to: str, decision: WordsDecision | None) -> str:
    """What became of a parent's words: "shown" (to the family), "held" (waiting for a
    practitioner), "returned" (to the author, with a note) or "private" (indirect contact: the
    author and the practitioners only)."""
    if to == WORDS_PRACTITIONERS:
        return "private"
    if to == WORDS_HELD:
        if decision is None:
            return "held"
        return "shown" if decision.kind == WordsDecision.Kind.RELEASE else "returned"
    return "shown"


def decision_of(obj) -> WordsDecision | None:
    """The decision on held words (at most one), from a prefetch of `decisions` when there is one."""
    found = list(obj.decisions.all())
    return found[0] if found else None


def disputes_of(section: Section, revision: int, *, viewer: Membership | None = None,
                for_practitioners: bool = False) -> list[dict]:
    """Who disagrees with this revision of the section now, and why. The disagreement is shown to
    everyone who sees the section; the reason only to whom families.access.plan_words_visible lets
    read it. `viewer` None: the family's shared view (what a frame to the whole family may carry);
    `for_practitioners`: the practitioners' view (a frame to the plan's practitioners only).
    The author and practitioners also get the reason's state ("reason_state"), the practitioner's
    note on a return, and the opinion's id (to decide on held words)."""
    if not revision:
        return []
    rows = (SectionAgreement.objects.filter(section=section, revision=revision, agrees=False)
            .select_related("user", "opinion").prefetch_related("opinion__decisions").order_by("at", "pk"))
    disputes = []
    for row in rows:
        opinion = row.opinion
        to = opinion.reason_to if opinion is not None else WORDS_FAMILY
        decision = decision_of(opinion) if opinion is not None else None
        state = words_state(to, decision)
        released = state == "shown"
        own = for_practitioners or (viewer is not None
                                    and (viewer.is_practitioner or viewer.user_id == row.user_id))
        shown = own or (plan_words_visible(viewer, author_id=row.user_id, to=to, released=released)
                        if viewer is not None else released)
        entry = {"user": {"id": row.user_id, "name": row.user.display_name},
                 "reason": row.reason if shown else None, "at": row.at.isoformat()}
        if own:
            entry.update({"reason_state": state, "opinion": opinion.pk if opinion is not None else None,
                          "note": decision.note if decision is not None and state == "returned" else None})
        disputes.append(entry)
    return disputes


def revision_set_now(plan: Plan) -> dict[str, int]:
    """What approving the plan now would cover: {"<section id>": head revision} of the visible sections."""
    return {str(pk): head for pk, head in
            Section.objects.filter(plan=plan, hidden=False).values_list("pk", "head_revision")}


def current_approvals(plan: Plan) -> dict[int, PlanApproval]:
    """The parents whose latest approval of the version being worked on covers the sections as
    they stand now (after a new revision anywhere, an earlier approval no longer counts)."""
    now = revision_set_now(plan)
    latest: dict[int, PlanApproval] = {}
    approvals = (PlanApproval.objects.filter(plan=plan, version=plan.version).select_related("user")
                 .order_by("approved_at", "pk"))
    for approval in approvals:
        latest[approval.user_id] = approval
    parents = set(parent_ids(plan))
    return {uid: a for uid, a in latest.items() if uid in parents and a.revision_set == now}


def visible_sections(access: PlanAccess) -> list[Section]:
    sections = (Section.objects.filter(plan=access.plan).select_related("updated_by")
                .order_by("position", "pk"))
    return [s for s in sections
            if plan_section_visible(access.membership, shared_with_relatives=s.shared_with_relatives,
                                    hidden=s.hidden)]


def plan_summary(sections: list[Section]) -> dict:
    """At a glance: how many sections are agreed, which are disputed, which legal parts are missing."""
    shown = [s for s in sections if not s.hidden]
    return {
        "total": len(shown),
        "agreed": sum(1 for s in shown if s.status == Section.Status.AGREED),
        "disputed": [s.title for s in shown if s.status == Section.Status.DISPUTED],
        "open": [s.title for s in shown if s.status == Section.Status.OPEN],
        "required_missing": [s.title for s in shown if s.required and s.status != Section.Status.AGREED],
        "complete": bool(shown) and all(s.status == Section.Status.AGREED for s in shown),
    }


def plan_state(access: PlanAccess) -> dict:
    sections = visible_sections(access)
    plan = access.plan
    approvals = [
        {"user": a.user_id, "version": a.version, "approved_at": a.approved_at.isoformat()}
        for a in PlanApproval.objects.filter(plan=plan, version=plan.version)
    ]
    upcoming = sorted(
        ({"section": s.pk, "title": s.title, "date": s.evaluation_date.isoformat()}
         for s in sections if s.evaluation_date and s.evaluation_date >= timezone.localdate()),
        key=lambda item: item["date"],
    )
    return {
        "type": "plan.state",
        "plan": plan.pk,
        "version": plan.version,
        "sections": [section_frame(s, viewer=access.membership) for s in sections],
        "summary": plan_summary(sections),
        "approvals": approvals,
        "frozen_versions": list(plan.versions.values_list("number", flat=True)),
        "evaluations": upcoming,
        "parents": parent_ids(plan),
    }


def comments_for(*, section: Section, membership: Membership) -> list[Comment]:
    """The section's comments this member may read (families.access.plan_words_visible: their own
    always; a parent's held comment only once released; one written in indirect contact only by
    its author and the practitioners), each with `state` and `decision` (see words_state)."""
    comments = (Comment.objects.filter(section=section).select_related("author")
                .prefetch_related("decisions"))
    if not membership.is_practitioner:
        released = WordsDecision.objects.filter(comment=OuterRef("pk"), kind=WordsDecision.Kind.RELEASE)
        comments = comments.filter(
            Q(author_id=membership.user_id)
            | Q(visibility=Comment.Visibility.FAMILY, held=False)
            | Q(visibility=Comment.Visibility.FAMILY, held=True, pk__in=released.values("comment_id")))
    shown = []
    for comment in comments:
        comment.decision = decision_of(comment)
        comment.state = words_state(comment.words_to, comment.decision)
        if plan_words_visible(membership, author_id=comment.author_id, to=comment.words_to,
                              released=comment.state == "shown"):
            shown.append(comment)
    return shown


def held_words_count(*, family_ids) -> dict[int, int]:
    """Per family: the parents' comments and reasons on the plan waiting for a practitioner, in ONE
    query (the caseload asks it for every family it shows)."""
    comments = (Comment.objects.filter(section__plan__family_id__in=family_ids, held=True,
                                       decisions__isnull=True)
                .values_list("section__plan__family_id", flat=True))
    # A reason counts while it stands for its author's opinion on the section as it is now (the
    # plan page shows the disputes of the head revision only, with the form to decide).
    current = SectionAgreement.objects.filter(opinion_id=OuterRef("pk"),
                                              revision=OuterRef("section__head_revision"))
    reasons = (SectionOpinion.objects.filter(section__plan__family_id__in=family_ids, reason_to=WORDS_HELD,
                                             decisions__isnull=True)
               .filter(Exists(current)).values_list("section__plan__family_id", flat=True))
    counts: dict[int, int] = {}
    for family_id in comments.union(reasons, all=True):
        counts[family_id] = counts.get(family_id, 0) + 1
    return counts


def plan_progress(*, family_id: int) -> dict | None:
    """The plan's progress for other apps (the trajectories' evaluations): which sections are
    agreed, proposed, disputed and open, and the last frozen version. Hidden sections are left out
    (as in plan_summary). None when the family has no plan. The caller checks access."""
    plan = Plan.objects.filter(family_id=family_id).first()
    if plan is None:
        return None
    sections = list(Section.objects.filter(plan=plan, hidden=False).order_by("position", "pk"))
    by_status = {status: [s.title for s in sections if s.status == status]
                 for status in Section.Status.values}
    last = plan.versions.order_by("-number").first()
    return {
        "total": len(sections),
        "agreed": by_status[Section.Status.AGREED],
        "proposed": by_status[Section.Status.PROPOSED],
        "disputed": by_status[Section.Status.DISPUTED],
        "open": by_status[Section.Status.OPEN],
        "frozen_version": last.number if last else None,
        "frozen_at": last.frozen_at if last else None,
    }
# -- for other apps (one way: they read the plan through these, never its models) ------------------


@dataclass(frozen=True)
class FrozenPlan:
    """The latest agreed (frozen) version of a family's plan, as plain text per section."""

    number: int
    frozen_at: datetime
    content_hash: str
    sections: list[tuple[str, str]]  # (title, text), in the plan's order


def latest_frozen_plan(*, family_id: int) -> FrozenPlan | None:
    """The family's latest frozen version (both parents approved it), None when there is none.
    Its sections are read from the version's snapshot, not from today's plan."""
    version = (PlanVersion.objects.filter(plan__family_id=family_id)
               .order_by("-number", "-pk").first())
    if version is None:
        return None
    snapshot = json.loads(version.snapshot)
    sections = [(s.get("title", ""), to_text(s.get("content") or "")) for s in snapshot.get("sections", [])]
    return FrozenPlan(number=version.number, frozen_at=version.frozen_at, content_hash=version.content_hash,
                      sections=sections)


@dataclass(frozen=True)
class ChildHeard:
    child: str  # first name
    heard_on: date
    how: str
    said: str


def children_heard(*, family_id: int) -> list[ChildHeard]:
    """How and when each child was heard and what they said, as the practitioners recorded it on
    the plan (parents see these on the plan too), oldest first."""
    rows = (ChildWish.objects.filter(plan__family_id=family_id).select_related("child")
            .order_by("heard_on", "pk"))
    return [ChildHeard(child=r.child.first_name, heard_on=r.heard_on, how=r.how, said=r.said) for r in rows]
