"""What trajectories shows on the family page and the home page (families.features)."""

from __future__ import annotations

from families.access import Action, can
from trajectories import selectors


def trajectory_card(*, request, membership) -> dict | None:
    """Parents and practitioners: the trajectory, where it stands and the next talk they may see;
    a relative: only their own next talk (no card when there is none)."""
    trajectory = selectors.current_trajectory(family_id=membership.family_id)
    next_talk = selectors.next_visible_talk(membership=membership)
    if not can(membership, Action.VIEW_TRAJECTORY):
        if next_talk is None or not selectors.takes_part(membership, next_talk):
            return None
        return {"relative": True, "next_talk": next_talk}
    current_phase = None
    if trajectory is not None and trajectory.is_active:
        talks = selectors.trajectory_talks(trajectory=trajectory, membership=membership)
        current_phase = next(
            (p for p in selectors.phases_of(trajectory, talks) if p.state == "current"), None
        )
    if trajectory is None and not membership.is_practitioner:
        return None
    return {
        "trajectory": trajectory,
        "current_phase": current_phase,
        "next_talk": next_talk,
        "for_practitioner": membership.is_practitioner,
        "may_manage": selectors.may_manage(membership),
        "shows_address": next_talk is not None
        and (membership.is_practitioner or selectors.takes_part(membership, next_talk)),
    }


def home_panel(*, request, memberships) -> dict | None:
    """A practitioner's "what needs me today"; nothing for others."""
    if not any(m.is_practitioner for m in memberships):
        return None
    today = selectors.practitioner_today(user=request.user)
    return {"today": today} if today is not None else None


def withdrawn_home_panel(*, request, memberships) -> dict | None:
    """A practitioner's home, at the top: consents withdrawn in their families' running
    trajectories (issue 12: a withdrawal is shown to the practitioner at once)."""
    from trajectories.consent import withdrawals_for_practitioner

    if not any(m.is_practitioner for m in memberships):
        return None
    withdrawn = withdrawals_for_practitioner(user=request.user)
    return {"withdrawn": withdrawn} if withdrawn else None


def records_home_panel(*, request, memberships) -> dict | None:
    """A practitioner's home: per family, who still has to consent before the child talks planned
    there can be held (a withdrawal is on withdrawn_home_panel, not here again)."""
    from trajectories.consent import missing_for_practitioner

    if not any(m.is_practitioner for m in memberships):
        return None
    missing = missing_for_practitioner(user=request.user)
    return {"missing": missing} if missing else None


def evaluations_home_panel(*, request, memberships) -> dict | None:
    """A practitioner's home: evaluations whose day has passed without a recorded outcome."""
    from trajectories.evaluations import overdue_for_practitioner

    if not any(m.is_practitioner for m in memberships):
        return None
    overdue = overdue_for_practitioner(user=request.user)
    return {"overdue": overdue} if overdue else None


def reports_home_panel(*, request, memberships) -> dict | None:
    """A practitioner's home: trajectories (ended in the last REPORT_DUE_DAYS) and phases that
    ended without a shared report, each with "no report needed" (trajectories.reports_due)."""
    from trajectories.reports_due import REPORT_DUE_DAYS, reports_to_write

    if not any(m.is_practitioner for m in memberships):
        return None
    to_write = reports_to_write(user=request.user)
    return {"to_write": to_write, "due_days": REPORT_DUE_DAYS} if to_write else None
