"""Which reports a practitioner still has to write ("Rapporten om te schrijven" on their home), and
the practitioner's decision that one is not needed.

A report is due, in the families where the user is a practitioner, for:
- a trajectory that ended (completed, stopped, or switched to another) within REPORT_DUE_DAYS;
- a phase of a running trajectory at whose end its type writes a report (the type's "report"
  element), once that phase is done.
It is no longer due when a report for it is shared, or when a practitioner of the family marked it
"no report needed" with a reason (report_waive: a ReportWaiver row, audited). A shared report or a
waiver for the type's report phase also stands for the trajectory's end, so the phase's report is
not asked for twice. After REPORT_DUE_DAYS an ended trajectory leaves the home (it is then no
longer "today's" work); a report for it can still be written from the trajectory's page.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from audit import actions
from audit.services import audit_record
from core.errors import Invalid
from families.access import Action
from families.models import PRACTITIONER_ROLES, Membership
from trajectories.models import Report, ReportShare, ReportWaiver, Talk, Trajectory
from trajectories.reports import phase_title, report_phases
from trajectories.selectors import access_trajectory, phases_of
from trajectories.texts import clean_text

REPORT_DUE_DAYS = 90
TO_WRITE_LIMIT = 20
WAIVER_REASON_MAX_CHARS = 2000
Reason = Report.Reason


@dataclass
class ToWrite:
    trajectory: Trajectory
    phase: str = ""  # a phase key; "" for the trajectory's end

    @property
    def phase_title(self) -> str:
        return phase_title(self.trajectory, self.phase) if self.phase else ""


def _settled(family_ids) -> dict[int, set[tuple[str, str]]]:
    """Per trajectory, the (reason, phase) pairs a shared report or a waiver covers."""
    settled: dict[int, set[tuple[str, str]]] = {}
    shares = ReportShare.objects.filter(family_id__in=family_ids).values_list(
        "trajectory_id", "report__reason", "report__phase"
    )
    for trajectory_id, reason, phase in shares:
        settled.setdefault(trajectory_id, set()).add((reason, phase))
    waivers = ReportWaiver.objects.filter(family_id__in=family_ids).values_list("trajectory_id", "phase")
    for trajectory_id, phase in waivers:
        pair = (Reason.PHASE_END, phase) if phase else (Reason.TRAJECTORY_END, "")
        settled.setdefault(trajectory_id, set()).add(pair)
    return settled


def reports_to_write(*, user, now=None) -> list[ToWrite]:
    """For a practitioner's home: the reports due in their families (see the module's docstring),
    the most recently ended first, at most TO_WRITE_LIMIT."""
    now = now or timezone.now()
    families = Membership.objects.active().filter(user=user, role__in=PRACTITIONER_ROLES).values("family_id")
    settled = _settled(families)
    found: list[ToWrite] = []
    trajectories = (
        Trajectory.objects.filter(family_id__in=families)
        .filter(Q(status=Trajectory.Status.ACTIVE) | Q(ended_at__gte=now - timedelta(days=REPORT_DUE_DAYS)))
        .select_related("family")
        .order_by("-ended_at", "-started_on", "-pk")
    )
    for trajectory in trajectories:
        done = settled.get(trajectory.pk, set())
        phases = report_phases(trajectory)
        if not trajectory.is_active:
            reported = any(reason == Reason.TRAJECTORY_END for reason, _phase in done) or any(
                (Reason.PHASE_END, p) in done for p in phases
            )
            if not reported:
                found.append(ToWrite(trajectory))
            continue
        if not phases:
            continue
        talks = list(Talk.objects.filter(trajectory=trajectory).select_related("trajectory"))
        for state in phases_of(trajectory, talks):
            if state.key in phases and state.state == "done" and (Reason.PHASE_END, state.key) not in done:
                found.append(ToWrite(trajectory, state.key))
        if len(found) >= TO_WRITE_LIMIT:
            break
    return found[:TO_WRITE_LIMIT]


def report_waive(
    *, actor, family_id, trajectory_id, phase: str = "", reason: str, request=None
) -> ReportWaiver:
    """No report needed for the end of the trajectory (`phase` "") or for one of its report phases:
    the home stops asking for it. The reason is required (kept for the practitioners, never shown
    to parents); the decision is audited, without the reason. The end of a running trajectory
    cannot be waived yet (Invalid). Marking the same twice keeps the first and records nothing
    new."""
    membership, trajectory = access_trajectory(
        user=actor,
        family_id=family_id,
        trajectory_id=trajectory_id,
        action=Action.WRITE_REPORT,
        request=request,
    )
    phase = (phase or "").strip()
    reason = clean_text(
        reason, max_chars=WAIVER_REASON_MAX_CHARS, empty=_("Schrijf kort op waarom er geen rapport nodig is.")
    )
    if phase and phase not in report_phases(trajectory):
        raise Invalid(_("Kies een fase waarin dit traject een rapport schrijft."))
    if not phase and trajectory.is_active:
        raise Invalid(
            _("Dit traject loopt nog. Na het afsluiten kun je aangeven dat er geen rapport nodig is.")
        )
    existing = ReportWaiver.objects.filter(trajectory=trajectory, phase=phase).first()
    if existing is not None:
        return existing
    try:
        with transaction.atomic():
            waiver = ReportWaiver.objects.create(
                trajectory=trajectory, family_id=trajectory.family_id, phase=phase, reason=reason, by=actor
            )
            audit_record(
                action=actions.REPORT_WAIVED,
                actor=actor,
                acting_role=membership.role,
                family=membership.family,
                target=trajectory,
                request=request,
                details={"type": trajectory.type_key, "phase": phase},
            )
    except IntegrityError:  # the same decision, posted twice at once: the first one stands
        return ReportWaiver.objects.get(trajectory=trajectory, phase=phase)
    return waiver
