"""The plan's rules: saving with optimistic concurrency, agreement per section, approval and
freezing of the whole plan, comments and the children's voice. One transaction each; live
frames after commit, to the audiences that may see them."""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass
from datetime import date, timedelta

from django.db import transaction
from django.db.models import Max
from django.utils import formats, timezone
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from audit import actions
from audit.services import audit_record
from core.broadcast import broadcast_on_commit
from core.errors import Conflict, Invalid, NotFound, PermissionDenied, RateLimited
from core.groups import user_group
from families.access import (
    WORDS_FAMILY,
    WORDS_HELD,
    WORDS_PRACTITIONERS,
    Action,
    denials_recorded,
    records_denials,
)
from families.models import Child, Membership, Role
from parentingplan import content as plan_content
from parentingplan import notices, template
from parentingplan.extensions import Screened, words_may_reach_family, words_screen
from parentingplan.models import (
    ChildWish,
    Comment,
    ParentDetails,
    Plan,
    PlanApproval,
    PlanVersion,
    Section,
    SectionAgreement,
    SectionOpinion,
    SectionRevision,
    WordsDecision,
)
from parentingplan.schedule import parse_schedule
from parentingplan.selectors import (
    access_plan,
    access_section,
    disputes_of,
    head_revision,
    parent_ids,
    plan_located,
    plan_state,
    revision_set_now,
    section_frame,
    section_located,
    words_located,
    words_state,
)
from vault.hashing import canonical_json, content_hash

MAX_COMMENT_CHARS = 4000
MAX_REASON_CHARS = 2000
# Comments reach the other parent at once: enough for a real discussion, not for a flood.
MAX_COMMENTS_PER_HOUR = 30


# -- audiences ------------------------------------------------------------------------------

def plan_group(plan_id: int, audience: str) -> str:
    """family: parents and practitioners; pro: practitioners only; shared: relatives."""
    return f"plan.{plan_id}.{audience}"


def groups_for(plan_id: int, membership: Membership) -> list[str]:
    if membership.role == Role.RELATIVE:
        return [plan_group(plan_id, "shared")]
    groups = [plan_group(plan_id, "family")]
    if membership.is_practitioner:
        groups.append(plan_group(plan_id, "pro"))
    return groups


def _section_audiences(section: Section) -> list[str]:
    if section.hidden:
        return [plan_group(section.plan_id, "pro")]
    audiences = [plan_group(section.plan_id, "family")]
    if section.shared_with_relatives:
        audiences.append(plan_group(section.plan_id, "shared"))
    return audiences


def _broadcast(groups: list[str], frame: dict, *, origin: str | None = None) -> None:
    for group in groups:
        broadcast_on_commit(group, {"type": "plan.event", "frame": frame, "origin": origin})


def broadcast_plan_changed(plan_id: int) -> None:
    """Sections were added, renamed, moved, hidden or shared: clients ask for the state again."""
    frame = {"type": "plan.changed", "plan": plan_id}
    _broadcast([plan_group(plan_id, a) for a in ("family", "shared")], frame)


# -- the plan --------------------------------------------------------------------------------

def plan_ensure(*, family, language: str = "nl") -> Plan:
    """The family's plan, started from the template (idempotent)."""
    with transaction.atomic():
        plan, created = Plan.objects.get_or_create(family=family, defaults={"language": language})
        if created:
            for position, (key, kind, required, title_nl, title_en, _h1, _h2) in enumerate(template.SECTIONS):
                Section.objects.create(plan=plan, key=key, kind=kind, required=required,
                                       position=position * 10,
                                       title=title_en if language == "en" else title_nl)
    return plan


@records_denials(Action.READ_PLAN, locate=plan_located, id_kw="plan_id")
def plan_open(*, user, plan_id) -> tuple[dict, list[str], str]:
    """What plan.join needs: the plan's state as the user may see it, the live groups to join and
    their role. A refusal is recorded (a re-check of access is access_plan, which records nothing)."""
    access = access_plan(user=user, plan_id=plan_id)
    return plan_state(access), groups_for(access.plan.pk, access.membership), access.membership.role


@dataclass
class SaveResult:
    saved: bool
    section: dict
    diff: str = ""
    client_id: str = ""
    # What the section's status was before this save (a restore reports it: an agreement it undid).
    replaced_status: str = ""


def too_long_detail(length: int) -> str:
    """The refusal of a section text over MAX_CONTENT_CHARS, with the limit (the editor shows it)."""
    return _("Dit onderdeel is te lang om op te slaan: %(n)s tekens, er passen er %(max)s in (opmaak "
             "meegeteld). Er is niets opgeslagen. Maak de tekst korter of verdeel hem over meer "
             "onderdelen.") % {"n": number_format(length, force_grouping=True),
                               "max": number_format(plan_content.MAX_CONTENT_CHARS, force_grouping=True)}


def _has_content(content: str, schedule_json: str = "") -> bool:
    """Text, or (care section) a rotation: either is something to agree on."""
    return bool(schedule_json) or not plan_content.is_empty(content)


def _status_after_new_revision(revision_content: str, schedule_json: str = "") -> str:
    return Section.Status.PROPOSED if _has_content(revision_content, schedule_json) else Section.Status.OPEN


@records_denials(Action.EDIT_PLAN, locate=section_located, id_kw="section_id")
def section_save(*, user, section_id, base_revision, content, client_id, schedule=None,
                 restored_from: int | None = None, origin: str | None = None) -> SaveResult:
    """Save a new revision if `base_revision` is still the head; otherwise store nothing and
    return the head with a diff of what changed since the base (the editor helps merge).

    The check and the write are one statement (UPDATE ... WHERE head_revision = base), so two
    concurrent saves on the same base cannot both win. A resend with the same client_id returns
    the revision it made.
    """
    if isinstance(base_revision, bool) or not isinstance(base_revision, int) or base_revision < 0:
        raise Invalid(_('"base_revision" moet een geheel getal van 0 of meer zijn.'))
    if not isinstance(content, str):
        raise Invalid(_("De inhoud moet tekst zijn."))
    if len(content) > plan_content.MAX_CONTENT_CHARS:
        raise Invalid(too_long_detail(len(content)))
    try:
        if not isinstance(client_id, str | uuid.UUID):  # str() would make a UUID of a 32-digit number
            raise ValueError(client_id)
        client_uuid = client_id if isinstance(client_id, uuid.UUID) else uuid.UUID(client_id)
    except ValueError:
        raise Invalid(_("client_id moet een UUID zijn.")) from None
    clean = plan_content.sanitise(content)
    with transaction.atomic():
        section, access = access_section(user=user, section_id=section_id, action=Action.EDIT_PLAN)
        previous = SectionRevision.objects.filter(section=section, author=user, client_id=client_uuid).first()
        if previous is not None:  # a resend: answer with the revision that first send made
            section.refresh_from_db()
            return SaveResult(True, section_frame(section, previous), client_id=str(client_uuid))
        schedule_json = ""
        if section.kind == Section.Kind.CARE and schedule is not None:
            schedule_json = parse_schedule(schedule, parent_ids=parent_ids(section.plan)).as_json()
        elif section.kind == Section.Kind.CARE:
            head = head_revision(section)
            schedule_json = head.schedule if head else ""
        now = timezone.now()
        new_number = base_revision + 1
        status = _status_after_new_revision(clean, schedule_json)
        won = Section.objects.filter(pk=section.pk, head_revision=base_revision).update(
            head_revision=new_number, status=status, updated_by=user, updated_at=now)
        if not won:
            section.refresh_from_db()
            head = head_revision(section)
            base = SectionRevision.objects.filter(section=section, number=base_revision).first()
            diff = plan_content.word_diff(base.content if base else "", head.content if head else "")
            return SaveResult(False, section_frame(section, head), diff=diff, client_id=str(client_uuid))
        revision = SectionRevision.objects.create(
            section=section, number=new_number, base_number=base_revision, author=user, content=clean,
            schedule=schedule_json, restored_from=restored_from, client_id=client_uuid)
        section.refresh_from_db()
        frame = section_frame(section, revision)
        _broadcast(_section_audiences(section), {"type": "section.updated", "section": frame}, origin=origin)
    return SaveResult(True, frame, client_id=str(client_uuid))


@records_denials(Action.EDIT_PLAN, locate=section_located, id_kw="section_id")
def section_restore(
    *, user, section_id, revision: int, origin: str | None = None, request=None
) -> SaveResult:
    """Restoring an old revision makes a new revision with its content: history only grows.

    Like every new revision it puts the section back to proposed (or open): an agreement on the
    current revision no longer holds, and the restore is audited with what it undid (the confirm
    page says so before, the history page after).

    The section row stays locked from reading its head to saving on it, so a save in between
    cannot turn the restore into a conflict that callers would report as saved.
    """
    if isinstance(revision, bool) or not isinstance(revision, int):
        raise Invalid(_("Kies een versie om terug te zetten."))
    with transaction.atomic():
        section, access = access_section(user=user, section_id=section_id, action=Action.EDIT_PLAN,
                                         lock=True)
        old = SectionRevision.objects.filter(section=section, number=revision).first()
        if old is None:
            raise NotFound()
        status_before, head_before = section.status, section.head_revision
        schedule = json.loads(old.schedule) if old.schedule else None
        result = section_save(user=user, section_id=section.pk, base_revision=section.head_revision,
                              content=old.content, client_id=uuid.uuid4(), schedule=schedule,
                              restored_from=old.number, origin=origin)
        result.replaced_status = status_before
        audit_record(action=actions.PLAN_SECTION_RESTORED, actor=user, acting_role=access.membership.role,
                     family=access.plan.family, target=section, request=request,
                     details={"section": section.pk, "restored_from": old.number,
                              "replaced_revision": head_before, "revision": result.section["revision"],
                              "status_before": status_before, "status_after": result.section["status"]})
    return result


def _recompute_status(section: Section) -> str:
    if not section.head_revision:
        return Section.Status.OPEN
    opinions = dict(SectionAgreement.objects.filter(section=section, revision=section.head_revision)
                    .values_list("user_id", "agrees"))
    parents = parent_ids(section.plan)
    if any(agrees is False for agrees in opinions.values()):
        return Section.Status.DISPUTED
    if parents and all(opinions.get(pid) is True for pid in parents):
        return Section.Status.AGREED
    head = head_revision(section)
    if head is None or not _has_content(head.content, head.schedule):
        return Section.Status.OPEN
    return Section.Status.PROPOSED


@records_denials(Action.APPROVE_PLAN, locate=section_located, id_kw="section_id")
def section_agree(*, user, section_id, revision, agrees: bool = True, reason: str = "") -> dict:
    """A parent agrees to (or disagrees with) the head revision. The section is agreed only when
    every parent agreed to that same revision; a new revision puts it back to proposed.

    Disagreeing needs a reason: it is stored with the opinion, shown to everyone who sees the
    section, and kept (every opinion is an append-only SectionOpinion, for the history)."""
    if isinstance(revision, bool) or not isinstance(revision, int):
        raise Invalid(_('"revision" moet een geheel getal zijn.'))
    reason = reason.strip() if isinstance(reason, str) and not agrees else ""
    if not agrees and not reason:
        raise Invalid(_("Schrijf kort waarom je het er niet mee eens bent. "
                        "Dan weet de ander wat er anders moet."))
    if len(reason) > MAX_REASON_CHARS:
        raise Invalid(_("Je uitleg is te lang: maximaal %(max)s tekens.")
                      % {"max": number_format(MAX_REASON_CHARS, force_grouping=True)})
    with transaction.atomic():
        section, access = access_section(user=user, section_id=section_id, action=Action.APPROVE_PLAN,
                                         lock=True)
        if revision != section.head_revision:
            raise Conflict(_("Er is intussen een nieuwere versie van dit onderdeel. Lees die eerst."))
        head = head_revision(section) if section.head_revision else None
        if head is None or not _has_content(head.content, head.schedule):
            raise Invalid(_("Dit onderdeel is nog leeg. Vul het eerst in."))
        before = SectionAgreement.objects.filter(section=section, revision=revision, user=user).first()
        opinion = before.opinion if before is not None else None
        if before is None or (before.agrees, before.reason) != (bool(agrees), reason):  # not a second tap
            # A reason reaches the other parent as a comment does, so it counts towards the same
            # hourly limit: disagreeing over and over with new words is not a way round it.
            # Agreeing is never limited.
            if reason and _words_this_hour(plan_id=section.plan_id, user=user) >= MAX_COMMENTS_PER_HOUR:
                raise RateLimited(_("Je hebt het afgelopen uur al %(n)s opmerkingen en redenen geplaatst. "
                                    "Wacht even en probeer het later opnieuw.")
                                  % {"n": MAX_COMMENTS_PER_HOUR})
            # The disagreement counts at once (the status below); the reason's words follow the
            # contact mode (held, or for the practitioners only), as a comment's do.
            screened = _screen_words(access, user, reason) if reason else Screened()
            opinion = SectionOpinion.objects.create(section=section, revision=revision, user=user,
                                                    agrees=bool(agrees), reason=reason,
                                                    reason_to=screened.to, tone=screened.tone)
        SectionAgreement.objects.update_or_create(
            section=section, revision=revision, user=user,
            defaults={"agrees": bool(agrees), "reason": reason, "opinion": opinion})
        status = _recompute_status(section)
        Section.objects.filter(pk=section.pk).update(status=status)
        section.status = status
        agreed_by = list(SectionAgreement.objects.filter(section=section, revision=revision, agrees=True)
                         .values_list("user_id", flat=True))
        frame = {"type": "section.status", "plan": section.plan_id, "section": section.pk,
                 "revision": revision, "status": status,
                 "agreed_by": agreed_by, "by": user.pk, "agrees": bool(agrees),
                 "by_name": user.display_name, "reason": reason or None,
                 "disputes": disputes_of(section, revision)}
        if opinion is not None and opinion.reason_to != WORDS_FAMILY:
            # The family gets the disagreement without the words; then the author's sockets and the
            # practitioners get the whole (a channel's frames arrive in order: the last one holds).
            _broadcast(_section_audiences(section), {**frame, "reason": None})
            _private_disputes(section, frame, author_id=user.pk)
            frame = {**frame, "disputes": disputes_of(section, revision, viewer=access.membership)}
        else:
            _broadcast(_section_audiences(section), frame)
    return frame


# -- approval of the whole plan --------------------------------------------------------------

def current_revision_set(plan: Plan) -> dict[str, int]:
    return revision_set_now(plan)


def unchanged_since_last_version(plan: Plan, revision_set: dict[str, int] | None = None) -> bool:
    """True when the sections are exactly those of the last frozen version: approving again would
    freeze an identical copy."""
    last = (PlanApproval.objects.filter(plan=plan, version=plan.version - 1)
            .order_by("-approved_at", "-pk").first())
    return last is not None and last.revision_set == (revision_set or current_revision_set(plan))


def _revision_set_from(value) -> dict[str, int]:
    """The revisions a parent saw when they confirmed ({"<section id>": revision})."""
    if not isinstance(value, dict) or not all(
        isinstance(k, str) and k.isdigit() and isinstance(v, int) and not isinstance(v, bool) and v >= 0
        for k, v in value.items()
    ):
        raise Invalid(_('"revisions" moet per onderdeel het nummer van de versie geven.'))
    return {str(int(k)): v for k, v in value.items()}


@records_denials(Action.APPROVE_PLAN, locate=plan_located, id_kw="plan_id")
def plan_approve(*, user, plan_id, version, revisions: dict | None = None, request=None) -> dict:
    """A parent approves the plan as it stands (every visible section agreed). When every
    parent approved the same set of revisions, that set is frozen as agreed version N.

    `revisions` is what the parent saw when they confirmed: if any section moved on since, nothing
    is approved (Conflict), so an approval never covers text the parent did not see. Approving
    the same revisions again changes nothing. After commit the other parents get an e-mail
    notice (parentingplan.notices; without content)."""
    if isinstance(version, bool) or not isinstance(version, int):
        raise Invalid(_('"version" moet een geheel getal zijn.'))
    expected = _revision_set_from(revisions) if revisions is not None else None
    with transaction.atomic():
        access = access_plan(user=user, plan_id=plan_id, action=Action.APPROVE_PLAN, lock=True)
        plan = access.plan
        if version != plan.version:
            raise Conflict(_("Deze versie is al vastgelegd. Bekijk de nieuwste stand."))
        sections = list(Section.objects.filter(plan=plan, hidden=False))
        # Exactly the revisions checked here: a save does not wait for the plan's lock, so the
        # heads may move on before the freeze, and what freezes must be what was approved.
        revision_set = {str(s.pk): s.head_revision for s in sections}
        not_agreed = [s.title for s in sections if s.status != Section.Status.AGREED]
        if not_agreed:
            raise Invalid(_("Nog niet alle onderdelen zijn akkoord: %(list)s.")
                          % {"list": ", ".join(not_agreed)})
        if expected is not None and expected != revision_set:
            raise Conflict(_("Het plan is veranderd sinds je het bekeek. Lees de nieuwe stand en keur "
                             "het dan opnieuw goed."))
        if unchanged_since_last_version(plan, revision_set):
            raise Invalid(_("Er is niets veranderd sinds de vorige vastgelegde versie."))
        approver = {"id": user.pk, "name": user.display_name}
        mine = (PlanApproval.objects.filter(plan=plan, version=version, user=user)
                .order_by("-approved_at", "-pk").first())
        if mine is not None and mine.revision_set == revision_set:  # a second tap, a resent form
            return {"type": "plan.approved", "plan": plan.pk, "version": version, "user": user.pk,
                    "frozen": None, "approver": approver}
        PlanApproval.objects.create(plan=plan, version=version, user=user, revision_set=revision_set)
        audit_record(action=actions.PLAN_APPROVED, actor=user, acting_role=access.membership.role,
                     family=plan.family, target=plan, request=request, details={"version": version})
        frozen = _freeze_if_all_approved(plan, revision_set, request=request)
        frame = {"type": "plan.approved", "plan": plan.pk, "version": version, "user": user.pk,
                 "frozen": frozen.number if frozen else None, "approver": approver}
        _broadcast([plan_group(plan.pk, "family")], frame)
        if frozen:
            _broadcast([plan_group(plan.pk, a) for a in ("family", "shared")],
                       {"type": "plan.frozen", "plan": plan.pk, "version": frozen.number,
                        "content_hash": frozen.content_hash})
        others = [pid for pid in parent_ids(plan) if pid != user.pk]
        transaction.on_commit(lambda: notices.approval_notices_send(
            plan_id=plan.pk, version=version, approver_id=user.pk, recipient_ids=others,
            frozen=frozen is not None))
    return frame


def _freeze_if_all_approved(plan: Plan, revision_set: dict, *, request=None) -> PlanVersion | None:
    parents = parent_ids(plan)
    latest = {}
    for approval in PlanApproval.objects.filter(plan=plan, version=plan.version).select_related("user"):
        latest[approval.user_id] = approval
    if not parents or any(pid not in latest or latest[pid].revision_set != revision_set for pid in parents):
        return None
    snapshot = version_snapshot(plan, revision_set)
    raw = canonical_json(snapshot)
    version = PlanVersion.objects.create(
        plan=plan, number=plan.version, snapshot=raw.decode("utf-8"), content_hash=content_hash(raw),
        approvers=[{"id": latest[pid].user_id, "name": latest[pid].user.display_name,
                    "approved_at": latest[pid].approved_at.isoformat()} for pid in parents],
    )
    Plan.objects.filter(pk=plan.pk).update(version=plan.version + 1)
    plan.version += 1
    audit_record(action=actions.PLAN_FROZEN, family=plan.family, target=plan, request=request,
                 details={"version": version.number, "content_hash": version.content_hash})
    return version


def version_snapshot(plan: Plan, revision_set: dict[str, int]) -> dict:
    """The content of the approved revisions ({"<section id>": number}), not of today's heads."""
    sections = []
    approved = [int(pk) for pk in revision_set]
    for section in Section.objects.filter(plan=plan, pk__in=approved).order_by("position", "pk"):
        number = revision_set[str(section.pk)]
        revision = SectionRevision.objects.filter(section=section, number=number).first() if number else None
        sections.append({
            "key": section.key, "title": section.title, "kind": section.kind, "required": section.required,
            "revision": number, "content": revision.content if revision else "",
            "schedule": json.loads(revision.schedule) if revision and revision.schedule else None,
            "evaluation_date": section.evaluation_date.isoformat() if section.evaluation_date else None,
        })
    wishes = [
        {"child": w.child.first_name, "heard_on": w.heard_on.isoformat(), "how": w.how, "said": w.said}
        for w in ChildWish.objects.filter(plan=plan).select_related("child")
    ]
    return {"plan": plan.pk, "family": plan.family.reference, "version": plan.version, "sections": sections,
            "children_heard": wishes, **plan_parties(plan)}


def plan_parties(plan: Plan) -> dict:
    """Who the plan is about, as its first page names them: the parents (name, birth date if they
    gave it) and the children (first name, birth date). Frozen into every version's snapshot."""
    births = dict(ParentDetails.objects.filter(plan=plan).values_list("user_id", "birth_date"))
    names = dict(Membership.objects.filter(family_id=plan.family_id, role=Role.PARENT)
                 .values_list("user_id", "user__display_name"))
    children = Child.objects.filter(family_id=plan.family_id).order_by("birth_date", "first_name", "pk")
    return {
        "parents": [{"id": pid, "name": names.get(pid, ""),
                     "birth_date": births[pid].isoformat() if pid in births else None}
                    for pid in parent_ids(plan)],
        "children": [{"name": c.first_name, "birth_date": c.birth_date.isoformat()} for c in children],
    }


# -- the parents' own details ----------------------------------------------------------------

OLDEST_BIRTH_DATE = date(1900, 1, 1)
YOUNGEST_PARENT_YEARS = 12


def parent_birth_date_range() -> tuple[date, date]:
    today = timezone.localdate()
    try:
        latest = today.replace(year=today.year - YOUNGEST_PARENT_YEARS)
    except ValueError:  # 29 February
        latest = today.replace(year=today.year - YOUNGEST_PARENT_YEARS, day=28)
    return OLDEST_BIRTH_DATE, latest


@records_denials(Action.APPROVE_PLAN, locate=plan_located, id_kw="plan_id")
def parent_details_save(*, user, plan_id, birth_date: date, request=None) -> ParentDetails:
    """A parent states their own birth date for the plan's first page. Only for themself: there
    is no way to set the other parent's. Versions frozen before keep what they had."""
    earliest, latest = parent_birth_date_range()
    if not isinstance(birth_date, date) or not earliest <= birth_date <= latest:
        raise Invalid(_("Deze geboortedatum kan niet kloppen. Kies een datum tussen %(from)s en %(to)s.")
                      % {"from": formats.date_format(earliest, "DATE_FORMAT"),
                         "to": formats.date_format(latest, "DATE_FORMAT")})
    with transaction.atomic():
        access = access_plan(user=user, plan_id=plan_id, action=Action.APPROVE_PLAN)
        details = ParentDetails.objects.filter(plan=access.plan, user=user).select_for_update().first()
        if details is not None and details.birth_date == birth_date:
            return details
        if details is None:
            details = ParentDetails.objects.create(plan=access.plan, user=user, birth_date=birth_date)
        else:
            details.birth_date = birth_date
            details.save(update_fields=["birth_date", "updated_at"])
        audit_record(action=actions.PLAN_PARENT_DETAILS_CHANGED, actor=user,
                     acting_role=access.membership.role, family=access.plan.family, target=access.plan,
                     request=request)
    return details


# -- comments and the children's voice --------------------------------------------------------

def _words_this_hour(*, plan_id: int, user) -> int:
    """The comments and reasons for disagreeing this user wrote on this plan in the last hour."""
    since = timezone.now() - timedelta(hours=1)
    comments = Comment.objects.filter(section__plan_id=plan_id, author=user, created_at__gte=since)
    reasons = SectionOpinion.objects.filter(section__plan_id=plan_id, user=user, agrees=False,
                                            created_at__gte=since)
    return comments.count() + reasons.count()


@records_denials(Action.COMMENT_PLAN, locate=section_located, id_kw="section_id")
def comment_add(*, user, section_id, body, visibility="family") -> dict:
    """A comment on a section by a parent or a practitioner. "family" comments reach everyone who
    sees the section (relatives too, on a section shared with them); "practitioners" comments are
    notes only practitioners write and read. At most MAX_COMMENTS_PER_HOUR per person and plan,
    reasons for disagreeing included: comments reach the other parent at once."""
    if not isinstance(body, str) or not body.strip():
        raise Invalid(_("Je opmerking is leeg."))
    if len(body) > MAX_COMMENT_CHARS:
        raise Invalid(_("Je opmerking is te lang: maximaal %(max)s tekens.")
                      % {"max": number_format(MAX_COMMENT_CHARS, force_grouping=True)})
    if visibility not in Comment.Visibility.values:
        raise Invalid(_("Kies wie de opmerking mag zien."))
    with transaction.atomic():
        section, access = access_section(user=user, section_id=section_id, action=Action.COMMENT_PLAN)
        if visibility == Comment.Visibility.PRACTITIONERS and not access.can(Action.NOTE_PLAN):
            raise PermissionDenied(_("Alleen begeleiders kunnen een notitie voor begeleiders plaatsen."))
        if _words_this_hour(plan_id=section.plan_id, user=user) >= MAX_COMMENTS_PER_HOUR:
            raise RateLimited(_("Je hebt het afgelopen uur al %(n)s opmerkingen geplaatst. Wacht even en "
                                "probeer het later opnieuw.") % {"n": MAX_COMMENTS_PER_HOUR})
        screened = _screen_words(access, user, body.strip())
        if screened.to == WORDS_PRACTITIONERS:
            visibility = Comment.Visibility.PRACTITIONERS
        comment = Comment.objects.create(section=section, author=user, body=body.strip(),
                                         visibility=visibility, held=screened.to == WORDS_HELD,
                                         tone=screened.tone)
        frame = {"type": "comment.new", "plan": section.plan_id, "section": section.pk,
                 "comment": comment_frame(comment)}
        if comment.words_to == WORDS_FAMILY:
            _broadcast(_section_audiences(section), frame)
        elif access.membership.is_practitioner:  # a note for the practitioners
            _broadcast([plan_group(section.plan_id, "pro")], frame)
        else:  # held words, or words for the practitioners only: to them and the author, never the family
            _broadcast([plan_group(section.plan_id, "pro"), user_group(user.pk)], frame)
    return frame


def _screen_words(access, user, text: str) -> Screened:
    """Where a parent's (or relative's) words go by the family's contact mode
    (parentingplan.extensions); a practitioner's words are never held."""
    if access.membership.is_practitioner:
        return Screened()
    return words_screen(family_id=access.plan.family_id, author=user, text=text)


def comment_frame(comment: Comment, decision: WordsDecision | None = None) -> dict:
    """COMMENT (docs/PROTOCOL.md). "state": shown, held, returned or private (words_state); "note":
    the practitioner's note on a return (frames with it go only to the author and practitioners)."""
    state = words_state(comment.words_to, decision)
    return {"id": comment.pk, "author": {"id": comment.author_id, "name": comment.author.display_name},
            "body": comment.body, "visibility": comment.visibility,
            "created_at": comment.created_at.isoformat(), "state": state,
            "note": (decision.note or None) if decision is not None and state == "returned" else None}


WORDS_NOTE_MAX_CHARS = 2000


def _held_words(comment_id, opinion_id):
    """The held comment or opinion, its row locked (None if there is no such row)."""
    if comment_id is not None:
        pk = _positive_id(comment_id)
        return Comment.objects.select_for_update(of=("self",)).select_related("author").filter(pk=pk).first()
    pk = _positive_id(opinion_id)
    return SectionOpinion.objects.select_for_update(of=("self",)).select_related("user").filter(pk=pk).first()


def _positive_id(value) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 0 < value < 2**63:
        return 0
    return value


def plan_words_decide(*, actor, comment_id=None, opinion_id=None, decision: str, note: str = "",
                      request=None) -> WordsDecision:
    """A practitioner of the family releases a parent's held words on the plan (a comment, or the
    reason for disagreeing) to the family, or returns them to the author with a note. The words
    stay as written (append-only); the decision is one row, audited (the words are not).

    The held row is locked: of two practitioners deciding at once, the second gets Conflict. Words
    held while the family is now in indirect contact cannot be released (parents never read each
    other's raw words there): the practitioner returns them or writes a comment of their own.
    After commit: a release sends the words to the family (comment.new, or section.status with
    the reason); the author's sockets and the practitioners get the outcome (comment.state, or
    section.status with the reason's state)."""
    if decision not in WordsDecision.Kind.values:
        raise Invalid(_("Kies doorlaten of terugsturen."))
    note = (note or "").strip() if decision == WordsDecision.Kind.RETURN else ""
    if len(note) > WORDS_NOTE_MAX_CHARS:
        raise Invalid(_("De toelichting is te lang: maximaal %(max)s tekens.")
                      % {"max": number_format(WORDS_NOTE_MAX_CHARS, force_grouping=True)})
    is_comment = comment_id is not None
    with denials_recorded(user=actor, wanted=str(Action.MODERATE), locate=words_located,
                          subject_id=(("comment", comment_id) if is_comment else ("opinion", opinion_id)),
                          request=request), transaction.atomic():
        held = _held_words(comment_id, opinion_id)
        if held is None:
            raise NotFound()
        section, access = access_section(user=actor, section_id=held.section_id, action=Action.MODERATE)
        to = held.words_to if is_comment else held.reason_to
        author_id = held.author_id if is_comment else held.user_id
        if held.decisions.exists():
            raise Conflict(_("Hierover heeft een begeleider net al besloten. Je ziet de stand van nu."))
        if to != WORDS_HELD:
            raise Invalid(_("Dit wacht niet op een begeleider."))
        reachable = words_may_reach_family(family_id=access.plan.family_id)
        if decision == WordsDecision.Kind.RELEASE and not reachable:
            raise Invalid(_("Het gezin heeft nu contact via de begeleider: deze woorden kunnen niet meer "
                            "naar de andere ouder. Stuur ze terug, of schrijf zelf een opmerking met wat "
                            "nodig is."))
        stored = WordsDecision.objects.create(kind=decision, by=actor, note=note,
                                              **({"comment": held} if is_comment else {"opinion": held}))
        audit_record(action=actions.PLAN_WORDS_DECIDED, actor=actor, acting_role=access.membership.role,
                     family=access.plan.family, subject_user=held.author if is_comment else held.user,
                     target=section, request=request,
                     details={"decision": decision, "words": "comment" if is_comment else "reason",
                              "section": section.pk})
        pro, author = plan_group(section.plan_id, "pro"), user_group(author_id)
        if is_comment:
            frame = comment_frame(held, stored)
            if decision == WordsDecision.Kind.RELEASE:
                _broadcast(_section_audiences(section),
                           {"type": "comment.new", "plan": section.plan_id, "section": section.pk,
                            "comment": frame})
            _broadcast([pro, author], {"type": "comment.state", "plan": section.plan_id,
                                       "section": section.pk, "comment": frame})
        else:
            section.refresh_from_db()
            frame = {"type": "section.status", "plan": section.plan_id, "section": section.pk,
                     "revision": section.head_revision, "status": section.status,
                     "agreed_by": list(SectionAgreement.objects.filter(
                         section=section, revision=section.head_revision, agrees=True)
                         .values_list("user_id", flat=True)),
                     "by": None, "agrees": None, "by_name": None, "reason": None,
                     "disputes": disputes_of(section, section.head_revision)}
            if decision == WordsDecision.Kind.RELEASE:
                _broadcast(_section_audiences(section), frame)
            _private_disputes(section, frame, author_id=author_id)
    return stored


def _private_disputes(section: Section, frame: dict, *, author_id: int) -> None:
    """After the family's frame: the practitioners' view of the disputes, and the author's own view
    (their reason with its state and note; never the other parent's held words)."""
    revision = frame["revision"]
    _broadcast([plan_group(section.plan_id, "pro")],
               {**frame, "disputes": disputes_of(section, revision, for_practitioners=True)})
    author = Membership.objects.active().filter(family_id=section.plan.family_id, user_id=author_id).first()
    if author is not None and not author.is_practitioner:
        _broadcast([user_group(author_id)],
                   {**frame, "disputes": disputes_of(section, revision, viewer=author)})


@records_denials(Action.RECORD_CHILD_VOICE, locate=plan_located, id_kw="plan_id")
def child_wish_add(
    *, user, plan_id, child_id, heard_on: date, how: str, said: str, request=None
) -> ChildWish:
    """Record how and when a child was heard and what they said (from a KIES or child talk)."""
    how, said = (how or "").strip(), (said or "").strip()
    if not how or not said:
        raise Invalid(_("Vul in hoe het kind is gehoord en wat het heeft gezegd."))
    if heard_on > timezone.localdate():
        raise Invalid(_("De datum ligt in de toekomst."))
    with transaction.atomic():
        access = access_plan(user=user, plan_id=plan_id, action=Action.RECORD_CHILD_VOICE)
        child = Child.objects.filter(pk=child_id, family=access.plan.family).first()
        if child is None:
            raise NotFound()
        wish = ChildWish.objects.create(plan=access.plan, child=child, heard_on=heard_on, how=how, said=said,
                                        recorded_by=user)
        audit_record(action=actions.CHILD_VOICE_RECORDED, actor=user, acting_role=access.membership.role,
                     family=access.plan.family, target=wish, request=request)
        broadcast_plan_changed(access.plan.pk)
    return wish


@records_denials(Action.MANAGE_PLAN, locate=plan_located, id_kw="plan_id")
def section_manage(*, user, plan_id, section_id=None, title=None, hidden=None, shared=None,
                   evaluation_date=False, move=None, request=None) -> Section:
    """A practitioner adds (section_id None), renames, hides, shares with relatives, moves a
    section up or down, or sets its evaluation date."""
    with transaction.atomic():
        access = access_plan(user=user, plan_id=plan_id, action=Action.MANAGE_PLAN, lock=True)
        plan = access.plan
        if section_id is None:
            title = (title or "").strip()
            if not title:
                raise Invalid(_("Geef het onderdeel een titel."))
            position = (Section.objects.filter(plan=plan).aggregate(m=Max("position"))["m"] or 0) + 10
            key = f"extra-{uuid.uuid4().hex[:8]}"
            section = Section.objects.create(plan=plan, key=key, title=title[:120], position=position)
        else:
            section = Section.objects.filter(pk=section_id, plan=plan).first()
            if section is None:
                raise NotFound()
            if title is not None:
                if not title.strip():
                    raise Invalid(_("Een onderdeel heeft een titel nodig."))
                section.title = title.strip()[:120]
            if hidden is not None:
                if hidden and section.required:
                    raise Invalid(_("Dit onderdeel is wettelijk verplicht en kan niet worden verborgen."))
                section.hidden = hidden
            if shared is not None:
                section.shared_with_relatives = shared
            if evaluation_date is not False:
                section.evaluation_date = evaluation_date
            section.save()
            if move in ("up", "down"):
                ordered = list(Section.objects.filter(plan=plan).order_by("position", "pk"))
                index = next(i for i, s in enumerate(ordered) if s.pk == section.pk)
                other = index - 1 if move == "up" else index + 1
                if 0 <= other < len(ordered):
                    ordered[index], ordered[other] = ordered[other], ordered[index]
                    for position, item in enumerate(ordered):
                        Section.objects.filter(pk=item.pk).update(position=position * 10)
        audit_record(action=actions.PLAN_SECTIONS_CHANGED, actor=user, acting_role=access.membership.role,
                     family=plan.family, target=section, request=request)
        broadcast_plan_changed(plan.pk)
    return section
