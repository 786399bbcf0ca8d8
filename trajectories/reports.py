"""Reports (issue 12, item 5): at the end of a phase or a trajectory, or when a legal procedure
starts, the family's practitioners write a report for the parents.

A draft (Report) is prefilled from the records: the working goals and their results
(trajectories.goals), the talks held, the agreements of the latest frozen version of the parenting
plan (read through parentingplan.selectors: this app reads the plan, the plan knows nothing of
reports) and what the children said as recorded on the plan; advice or aftercare the practitioner
writes. Every practitioner of the family may edit a draft (WRITE_REPORT); a draft is never shown to
a parent or relative (403) and is no part of any download.

Sharing freezes it: the texts, who wrote and shared it and when become one canonical JSON
(vault.hashing.canonical_json), stored with its SHA-256 in ReportShare, which the database refuses
to UPDATE or DELETE (audit.appendonly); the draft's texts are emptied, so the shared row is the
only copy. docs/VERIFYING.md says how anyone recomputes the hash. An edit after sharing is
refused (report_save, and the pages say why).

The parents (not the relatives: a report is about the parents' work and the children, and it goes
to a judge as the parents' document) get an e-mail without content (trajectories.mails: a durable
notice per parent, sent right after sharing or when their quiet hours end), see it on "Ons
traject" and download it as a PDF. Each parent may add a written response: append-only,
hashed in a chain from the report's hash, shown to the other parent and the practitioners and
included in the PDF both parents get (the form says so before they write). At most
RESPONSES_PER_PARENT per parent and report, so a response cannot become a channel that floods the
other parent.

Sharing and responding are audited; reading and downloading are not (the report is the parents'
own document, and the practitioners wrote it). When a parent first opens a shared report (its page
or its PDF) that moment is kept (ReportRead, append-only), as a message keeps "first read at":
until then "Ons traject" asks them to read it.

Talks held: the prefill lists only the talks every parent may see (trajectories.selectors
talk_visible); a parent's own talks are counted, not named or dated, so the report does not tell
one parent when the other talked with the practitioner alone.
"""

from __future__ import annotations

import hashlib
import json
import logging
from dataclasses import dataclass, field
from datetime import UTC, datetime

from django.db import transaction
from django.db.models import Count
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from audit import actions
from audit.services import audit_record
from core.errors import Conflict, Invalid, NotFound, PermissionDenied
from families.access import Action, can, denial_record, require
from families.models import Membership, Role
from trajectories.consent import _locked_trajectory
from trajectories.mails import report_notices_schedule, report_notices_send_due
from trajectories.models import Report, ReportRead, ReportResponse, ReportShare, Talk, Trajectory
from trajectories.selectors import practitioner_ids, talk_visible, with_participants
from trajectories.texts import clean_text
from vault.hashing import canonical_json, chain_hash

logger = logging.getLogger(__name__)

SECTIONS = ("goals", "talks", "agreements", "children", "advice")
SECTION_MAX_CHARS = 20_000
RESPONSE_MAX_CHARS = 10_000
RESPONSES_PER_PARENT = 3
HASH_ALGORITHM = (
    "report: sha256(canonical_json({type:'report', report, family, trajectory, trajectory_type, reason, "
    "phase, written_by, shared_by, shared_at, plan_version, plan_hash, goals, talks, agreements, children, "
    "advice})); response n: sha256(previous_hash_hex + '\\n' + canonical_json({type:'report_response', "
    "report, seq, by, at, body})), previous = the report's hash for n = 1; canonical_json = JSON with "
    "sorted keys, separators (',', ':'), UTF-8, non-ASCII kept; times UTC ISO 8601 with milliseconds and Z"
)
Reason = Report.Reason


def iso(moment: datetime) -> str:
    """UTC, millisecond precision, with a Z: the exact text the hash covers."""
    return moment.astimezone(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def _to_ms(moment: datetime) -> datetime:
    return moment.replace(microsecond=moment.microsecond // 1000 * 1000)


def report_phases(trajectory: Trajectory) -> list[str]:
    """The phases at whose end the type writes a report (its "report" element)."""
    return [e.phase for e in trajectory.type.elements if e.key == "report"]


def phase_title(trajectory: Trajectory, key: str) -> str:
    try:
        return str(trajectory.type.phase(key).title)
    except KeyError:
        return key


def report_title(*, trajectory: Trajectory, reason: str, phase: str) -> str:
    label = str(Reason(reason).label) if reason in Reason.values else reason
    label = label[:1].upper() + label[1:]
    if reason == Reason.PHASE_END and phase:
        return f"{label}: {phase_title(trajectory, phase)}"
    return label


# -- the prefill ---------------------------------------------------------------------------------------


def _day(moment) -> str:
    return formats.date_format(
        timezone.localtime(moment) if isinstance(moment, datetime) else moment, "DATE_FORMAT"
    )


def _goals_text(trajectory: Trajectory) -> str:
    from trajectories.goals import agreement_state

    lines = []
    for number, state in enumerate(agreement_state(trajectory=trajectory).goals, start=1):
        lines.append(f"{number}. {state.goal.text}")
        result = _("Resultaat: %(status)s") % {"status": state.status_label}
        if state.latest is not None:
            result += f" ({_day(state.latest.at)})"
        lines.append("   " + result)
        lines.extend(f"   - {_day(u.at)}: {u.note}" for u in state.updates if u.note)
    return "\n".join(lines)


def _talks_text(trajectory: Trajectory) -> str:
    talks = with_participants(
        Talk.objects.filter(trajectory=trajectory, status=Talk.Status.HELD)
        .select_related("trajectory")
        .order_by("starts_at", "pk")
    )
    parents = list(Membership.objects.active().filter(family_id=trajectory.family_id, role=Role.PARENT))
    practitioners = practitioner_ids(family_id=trajectory.family_id)
    lines, own = [], 0
    for talk in talks:
        if all(talk_visible(m, user_ids=talk.user_ids, practitioners=practitioners) for m in parents):
            lines.append(f"- {_day(talk.starts_at)}: {talk.title} ({', '.join(talk.people)})")
        else:
            own += 1
    if own:
        lines.append(
            ngettext(
                "Daarnaast %(n)d gesprek met één ouder apart.",
                "Daarnaast %(n)d gesprekken met een ouder apart.",
                own,
            )
            % {"n": own}
        )
    return "\n".join(lines)


def _agreements_text(family_id: int) -> tuple[str, int | None, str]:
    from parentingplan.selectors import latest_frozen_plan

    plan = latest_frozen_plan(family_id=family_id)
    if plan is None:
        return "", None, ""
    parts = [
        _("Uit het ouderschapsplan, vastgelegde versie %(n)d van %(day)s.")
        % {"n": plan.number, "day": _day(plan.frozen_at)}
    ]
    for title, text in plan.sections:
        parts.append(f"{title}\n{text}" if text else title)
    return "\n\n".join(parts), plan.number, plan.content_hash


def _children_text(family_id: int) -> str:
    from parentingplan.selectors import children_heard

    return "\n\n".join(
        _("%(child)s (gehoord op %(day)s, %(how)s): %(said)s")
        % {"child": c.child, "day": _day(c.heard_on), "how": c.how, "said": c.said}
        for c in children_heard(family_id=family_id)
    )


def prefill(*, trajectory: Trajectory) -> dict:
    """The draft's first texts, from the records as they are now (in the active language)."""
    agreements, plan_version, plan_hash = _agreements_text(trajectory.family_id)
    return {
        "goals": _goals_text(trajectory),
        "talks": _talks_text(trajectory),
        "agreements": agreements,
        "children": _children_text(trajectory.family_id),
        "advice": "",
        "plan_version": plan_version,
        "plan_hash": plan_hash,
    }


# -- access and reading --------------------------------------------------------------------------------


def is_shared(report: Report) -> bool:
    return ReportShare.objects.filter(report_id=report.pk).exists()


def access_report(*, user, family_id, report_id, request=None) -> tuple[Membership, Report]:
    """The report if the user may see it: a shared one to the family's parents and practitioners,
    a draft to the practitioners only. A relative gets PermissionDenied (403) for both, a parent
    for a draft; an outsider, or an id of another family, NotFound."""
    membership = require(user=user, family_id=family_id, action=Action.VIEW_TRAJECTORY, request=request)
    try:
        pk = int(report_id)
    except (TypeError, ValueError):
        pk = 0
    report = (
        Report.objects.select_related("trajectory", "created_by")
        .filter(pk=pk, family_id=membership.family_id)
        .first()
        if 0 < pk < 2**63
        else None
    )
    if report is None:
        # A member's attempt at a report that is not theirs to see is in their family's access log.
        denial_record(
            user=user,
            wanted="view_report",
            family=membership.family,
            role=membership.role,
            details={"report": str(report_id)[:32]},
            request=request,
        )
        raise NotFound()
    if not can(membership, Action.WRITE_REPORT) and not is_shared(report):
        denial_record(
            user=user,
            wanted="view_report_draft",
            family=membership.family,
            role=membership.role,
            details={"report": str(pk)},
            request=request,
        )
        raise PermissionDenied(
            _("Dit rapport is nog niet gedeeld. Je begeleider laat het weten als het klaar is.")
        )
    return membership, report


@dataclass
class SharedReport:
    share: ReportShare
    fields: dict
    title: str
    verified: bool  # the stored content still hashes to the stored hash
    responses: list[ReportResponse] = field(default_factory=list)
    responses_verified: bool = True

    @property
    def report_id(self) -> int:
        return self.share.report_id

    @property
    def sections(self) -> list[tuple[str, str]]:
        return [(str(SECTION_TITLES[key]), self.fields.get(key, "")) for key in SECTIONS]


SECTION_TITLES = {
    "goals": gettext_lazy("Doelen en resultaten"),
    "talks": gettext_lazy("Gehouden gesprekken"),
    "agreements": gettext_lazy("Afspraken"),
    "children": gettext_lazy("De stem van de kinderen"),
    "advice": gettext_lazy("Advies of nazorg"),
}


def response_fields(*, report_id: int, seq: int, by: str, at: datetime, body: str) -> dict:
    return {"type": "report_response", "report": report_id, "seq": seq, "by": by, "at": iso(at), "body": body}


def shared_report(share: ReportShare) -> SharedReport:
    fields = json.loads(share.content)
    responses = list(ReportResponse.objects.filter(share=share).select_related("user").order_by("seq"))
    previous, chain_ok = share.content_hash, True
    for response in responses:
        digest = chain_hash(
            previous,
            response_fields(
                report_id=share.report_id,
                seq=response.seq,
                by=response.by_name,
                at=response.at,
                body=response.body,
            ),
        )
        chain_ok = chain_ok and digest == response.hash
        previous = response.hash
    trajectory = share.trajectory
    return SharedReport(
        share=share,
        fields=fields,
        title=report_title(
            trajectory=trajectory, reason=fields.get("reason", ""), phase=fields.get("phase", "")
        ),
        verified=hashlib.sha256(share.content.encode("utf-8")).hexdigest() == share.content_hash,
        responses=responses,
        responses_verified=chain_ok,
    )


@dataclass
class ReportItem:
    report: Report
    title: str
    shared: ReportShare | None
    responses: int = 0
    unread: bool = False  # shared, and this parent has not opened it yet


def reports_of(*, trajectory: Trajectory, membership: Membership) -> list[ReportItem]:
    """The trajectory's reports for this member: every one (drafts too) for a practitioner who
    writes them, the shared ones for a parent, none for anyone else."""
    if not can(membership, Action.VIEW_TRAJECTORY):
        return []
    reports = Report.objects.filter(trajectory=trajectory).select_related("share", "trajectory")
    counts = dict(
        ReportResponse.objects.filter(share__trajectory=trajectory)
        .values_list("share__report_id")
        .annotate(n=Count("pk"))
    )
    opened = (
        set(ReportRead.objects.filter(share__trajectory=trajectory, user_id=membership.user_id)
            .values_list("share_id", flat=True))
        if can(membership, Action.RESPOND_REPORT)
        else None
    )
    items = []
    for report in reports.order_by("created_at", "pk"):
        share = getattr(report, "share", None)  # the reverse one-to-one raises when there is none
        if share is None and not can(membership, Action.WRITE_REPORT):
            continue
        items.append(
            ReportItem(
                report=report,
                title=report_title(trajectory=trajectory, reason=report.reason, phase=report.phase),
                shared=share,
                responses=counts.get(report.pk, 0),
                unread=share is not None and opened is not None and share.pk not in opened,
            )
        )
    return items


def report_opened(*, membership: Membership, share: ReportShare) -> None:
    """Keep when a parent first opened a shared report (its page or its PDF); later opens, and
    anyone who is not a parent of the family (a practitioner), add nothing. `membership` comes
    from access_report, so the report is theirs to see."""
    if not can(membership, Action.RESPOND_REPORT) or share.family_id != membership.family_id:
        return
    ReportRead.objects.get_or_create(share=share, user_id=membership.user_id)


def page_context(*, membership: Membership, trajectory: Trajectory) -> dict:
    """What the trajectory page shows of the reports (templates/trajectories/_reports.html)."""
    return {
        "reports": reports_of(trajectory=trajectory, membership=membership),
        "may_write_report": can(membership, Action.WRITE_REPORT),
    }


# -- writes --------------------------------------------------------------------------------------------


def shared_refusal_text() -> str:
    return _(
        "Dit rapport is al gedeeld met de ouders en kan niet meer worden gewijzigd. Wil je iets "
        "aanvullen of rechtzetten? Schrijf dan een nieuw rapport."
    )


def _shared_refusal() -> Conflict:
    return Conflict(shared_refusal_text(), code="report_shared")


def _reason_and_phase(trajectory: Trajectory, reason: str, phase: str) -> tuple[str, str]:
    if reason not in Reason.values:
        raise Invalid(_("Kies de aanleiding van het rapport."))
    phase = (phase or "").strip()
    keys = [p.key for p in trajectory.type.phases]
    if reason == Reason.PHASE_END:
        if phase not in keys:
            raise Invalid(_("Kies de fase die is afgelopen."))
        return reason, phase
    return reason, ""


def _locked_report(*, family_id: int, report_id) -> Report:
    try:
        pk = int(report_id)
    except (TypeError, ValueError):
        raise NotFound() from None
    report = (
        Report.objects.select_for_update().filter(pk=pk, family_id=family_id).first()
        if 0 < pk < 2**63
        else None
    )
    if report is None:
        raise NotFound()
    return report


def report_start(*, actor, family_id, trajectory_id, reason: str, phase: str = "", request=None) -> Report:
    """A new draft for the trajectory, prefilled from its records. Not audited: the family's access
    log is read by the parents, and a draft is not theirs to know of until it is shared."""
    membership = require(user=actor, family_id=family_id, action=Action.WRITE_REPORT, request=request)
    with transaction.atomic():
        trajectory = _locked_trajectory(family_id=membership.family_id, trajectory_id=trajectory_id)
        reason, phase = _reason_and_phase(trajectory, reason, phase)
        texts = prefill(trajectory=trajectory)
        return Report.objects.create(
            trajectory=trajectory,
            family_id=trajectory.family_id,
            reason=reason,
            phase=phase,
            created_by=actor,
            updated_by=actor,
            **texts,
        )


def report_save(
    *, actor, family_id, report_id, seen_version: int, reason: str, phase: str = "", request=None, **texts
) -> Report:
    """Save the draft's texts. The row is locked; `seen_version` is the version the practitioner's
    form was made from: when a colleague saved in between, nothing is saved (Conflict) rather than
    overwriting their words. A shared report is refused (Conflict, code report_shared)."""
    membership = require(user=actor, family_id=family_id, action=Action.WRITE_REPORT, request=request)
    unknown = set(texts) - set(SECTIONS)
    if unknown:
        raise TypeError(f"unknown report sections: {sorted(unknown)}")
    cleaned = {key: clean_text(texts.get(key, ""), max_chars=SECTION_MAX_CHARS) for key in SECTIONS}
    with transaction.atomic():
        report = _locked_report(family_id=membership.family_id, report_id=report_id)
        if is_shared(report):
            raise _shared_refusal()
        if report.version != seen_version:
            raise Conflict(
                _(
                    "Een collega heeft dit concept intussen bewaard. Je tekst staat nog hieronder: "
                    "kopieer wat je wilt houden en open het concept opnieuw."
                )
            )
        report.reason, report.phase = _reason_and_phase(report.trajectory, reason, phase)
        for key, value in cleaned.items():
            setattr(report, key, value)
        report.version += 1
        report.updated_by, report.updated_at = actor, timezone.now()
        report.save()
    return report


def report_fields(*, report: Report, shared_by: str, shared_at: datetime) -> dict:
    """What the report's hash covers (docs/VERIFYING.md)."""
    return {
        "type": "report",
        "report": report.pk,
        "family": report.family.reference,
        "trajectory": report.trajectory_id,
        "trajectory_type": report.trajectory.type_key,
        "reason": report.reason,
        "phase": report.phase,
        "written_by": report.created_by.display_name,
        "shared_by": shared_by,
        "shared_at": iso(shared_at),
        "plan_version": report.plan_version,
        "plan_hash": report.plan_hash,
        **{key: getattr(report, key) for key in SECTIONS},
    }


def report_share(*, actor, family_id, report_id, seen_version: int, request=None) -> ReportShare:
    """Freeze the draft as the practitioner last saw it (`seen_version`) and share it with the
    parents: the canonical content and its hash go into an append-only ReportShare, the draft's
    texts are emptied, and after commit each parent gets an e-mail without content."""
    membership = require(user=actor, family_id=family_id, action=Action.WRITE_REPORT, request=request)
    with transaction.atomic():
        report = _locked_report(family_id=membership.family_id, report_id=report_id)
        if is_shared(report):
            raise _shared_refusal()
        if report.version != seen_version:
            raise Conflict(
                _("Het concept is veranderd sinds je het opende. Lees het opnieuw en deel het dan.")
            )
        if not any(getattr(report, key).strip() for key in SECTIONS):
            raise Invalid(_("Het rapport is nog leeg. Schrijf het eerst en deel het dan."))
        now = _to_ms(timezone.now())
        raw = canonical_json(report_fields(report=report, shared_by=actor.display_name, shared_at=now))
        share = ReportShare.objects.create(
            report=report,
            trajectory_id=report.trajectory_id,
            family_id=report.family_id,
            content=raw.decode("utf-8"),
            content_hash=hashlib.sha256(raw).hexdigest(),
            shared_by=actor,
            shared_at=now,
        )
        Report.objects.filter(pk=report.pk).update(
            **{key: "" for key in SECTIONS}, version=report.version + 1, updated_by=actor, updated_at=now
        )
        audit_record(
            action=actions.REPORT_SHARED,
            actor=actor,
            acting_role=membership.role,
            family=membership.family,
            target=share,
            request=request,
            details={
                "trajectory": report.trajectory_id,
                "report": report.pk,
                "reason": report.reason,
                "content_hash": share.content_hash,
            },
        )
        report_notices_schedule(share=share, now=now)
        transaction.on_commit(_send_notices_now)
    return share


def _send_notices_now() -> None:
    """Right after the share commits, mail the parents who are not in their quiet hours; what is
    left (or refused) the reminder worker sends later (trajectories.reminders)."""
    try:
        report_notices_send_due()
    except Exception:  # the share stands and the notices wait in the database
        logger.exception("report notices were not sent at once; the worker tries again")


def report_respond(*, actor, family_id, report_id, body: str, request=None) -> ReportResponse:
    """The acting parent's written response to a shared report, appended to it (numbered, in a hash
    chain from the report's hash). The report row is locked so that two responses get their
    numbers in order."""
    membership = require(user=actor, family_id=family_id, action=Action.RESPOND_REPORT, request=request)
    body = clean_text(body, max_chars=RESPONSE_MAX_CHARS, empty=_("Schrijf eerst je reactie."))
    with transaction.atomic():
        report = _locked_report(family_id=membership.family_id, report_id=report_id)
        share = ReportShare.objects.filter(report=report).first()
        if share is None:
            raise PermissionDenied(_("Dit rapport is nog niet gedeeld."))
        earlier = list(ReportResponse.objects.filter(share=share).order_by("seq"))
        if sum(1 for r in earlier if r.user_id == actor.pk) >= RESPONSES_PER_PARENT:
            raise Invalid(
                ngettext(
                    "Je kunt hooguit %(n)d reactie op een rapport geven. Wil je nog iets kwijt? "
                    "Bespreek het met je begeleider.",
                    "Je kunt hooguit %(n)d reacties op een rapport geven. Wil je nog iets kwijt? "
                    "Bespreek het met je begeleider.",
                    RESPONSES_PER_PARENT,
                )
                % {"n": RESPONSES_PER_PARENT}
            )
        seq = earlier[-1].seq + 1 if earlier else 1
        previous = earlier[-1].hash if earlier else share.content_hash
        at = _to_ms(timezone.now())
        digest = chain_hash(
            previous, response_fields(report_id=report.pk, seq=seq, by=actor.display_name, at=at, body=body)
        )
        response = ReportResponse.objects.create(
            share=share,
            family_id=report.family_id,
            user=actor,
            by_name=actor.display_name,
            seq=seq,
            body=body,
            at=at,
            hash=digest,
        )
        audit_record(
            action=actions.REPORT_RESPONDED,
            actor=actor,
            acting_role=membership.role,
            family=membership.family,
            target=response,
            request=request,
            details={"report": report.pk, "seq": seq},
        )
    return response
