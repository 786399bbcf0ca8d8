"""Evaluations (issue 12, item 3): when they are due, each parent's own input before one, and the
outcome the practitioner records.

The schedule is the trajectory's talks of kind evaluation, planned from its type when it started
(trajectories.types: PAT every three months, the Kindbehartiger after the trial period, the
16-week phases of mediation and parallel parenting at their end, parallel parenting phase 2 at the
end of its year, KIES after the four sessions, with both parents). There is no second schedule: a
practitioner plans another evaluation by adding a talk of that kind, moves one by moving the talk,
and the "next date" recorded with an outcome moves the next planned evaluation there (or plans one
when none is left). type_due_dates gives the dates the type itself suggests, from the same planning
code, for the tests and for a trajectory whose evaluation talks were all cancelled.

An evaluation is due on its talk's day, recorded once the practitioner wrote an outcome for it,
and overdue from the day after while nothing is recorded (held or not) in a running trajectory.

Before an evaluation each parent may give input, privately: only they and the family's
practitioners read it, never the other parent or a relative (not on a page, not in the access log:
audit.actions.SUBJECT_ONLY, not in anyone else's AVG download). Inputs and outcomes are encrypted
at rest and append-only in the database: a parent adds more, never edits or deletes; a practitioner
adds to an outcome. The outcome is for the practitioners unless the practitioner shares it with the
parents when recording it (`shared`, off by default): then both parents read it on "Ons traject".

Not covered: a parent may say in a talk what the other parent wrote; what they share there is
theirs to decide.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from audit import actions
from audit.services import audit_record
from core.errors import Invalid, NotFound
from families.access import Action, require
from families.models import Membership, Role
from trajectories import goals, services
from trajectories.models import EvaluationInput, EvaluationOutcome, Goal, Talk, Trajectory
from trajectories.planning import calendar_for_type, suggested_day
from trajectories.selectors import access_talk, visible_talks, with_participants
from trajectories.texts import clean_text
from trajectories.types import TalkKind, TrajectoryType

INPUT_MAX_CHARS = 4_000
INPUTS_PER_EVALUATION = 20  # per parent: more is for the talk itself
OUTCOME_MAX_CHARS = 10_000

# How each type schedules its evaluations, said to the practitioner and the parents.
RULES = {
    "kindbehartiger": gettext_lazy("Na de proefperiode: kloppen de afspraken, en is er nazorg nodig?"),
    "pat": gettext_lazy("Elke drie maanden een voortgangsevaluatie; de laatste sluit het traject af."),
    "mediation_1": gettext_lazy("Aan het eind van de fase van zestien weken."),
    "mediation_2": gettext_lazy("Aan het eind van de fase van zestien weken."),
    "parallel_1": gettext_lazy("Aan het eind van de fase van zestien weken."),
    "parallel_2": gettext_lazy("Aan het eind van het jaar, na de begeleide gesprekken."),
    "kies": gettext_lazy("Na de vier bijeenkomsten, met jullie allebei."),
}


def rule_for(trajectory: Trajectory) -> str:
    return str(RULES.get(trajectory.type_key, ""))


def type_due_dates(kind: TrajectoryType, *, start: date, options: dict, region: str) -> list[date]:
    """The days the type suggests for its evaluations (the same planning as its talks)."""
    holidays = calendar_for_type(kind, region=region, start=start, options=options)
    days = {
        suggested_day(kind, offset, start=start, holidays=holidays)
        for planned in kind.planned
        if planned.kind == TalkKind.EVALUATION
        for offset in planned.offsets(options)
    }
    return sorted(days)


# -- reading -------------------------------------------------------------------------------------------


@dataclass
class Evaluation:
    talk: Talk
    due_on: date
    state: str  # "recorded" | "overdue" | "coming" | "open" (not recorded, trajectory ended)
    outcomes: list[EvaluationOutcome] = field(default_factory=list)

    @property
    def recorded(self) -> bool:
        return bool(self.outcomes)

    @property
    def shared_outcomes(self) -> list[EvaluationOutcome]:
        return [o for o in self.outcomes if o.shared]


def _state(*, recorded: bool, due_on: date, active: bool, today: date) -> str:
    if recorded:
        return "recorded"
    if not active:
        return "open"
    return "overdue" if due_on < today else "coming"


def evaluation_talks(*, trajectory: Trajectory):
    return (
        Talk.objects.filter(trajectory=trajectory, kind=TalkKind.EVALUATION)
        .exclude(status=Talk.Status.CANCELLED)
        .select_related("trajectory")
        .order_by("starts_at", "pk")
    )


def schedule(*, trajectory: Trajectory, membership: Membership | None = None, today: date | None = None
             ) -> list[Evaluation]:
    """The trajectory's evaluations in date order (those `membership` may see, when given)."""
    today = today or timezone.localdate()
    talks = list(evaluation_talks(trajectory=trajectory))
    if membership is not None:
        talks = visible_talks(membership=membership, talks=talks)
    else:
        talks = with_participants(talks)
    outcomes: dict[int, list[EvaluationOutcome]] = {}
    for row in EvaluationOutcome.objects.filter(talk_id__in=[t.pk for t in talks]).select_related(
        "recorded_by"
    ):
        outcomes.setdefault(row.talk_id, []).append(row)
    result = []
    for talk in talks:
        due_on = timezone.localdate(talk.starts_at)
        own = outcomes.get(talk.pk, [])
        result.append(
            Evaluation(
                talk=talk,
                due_on=due_on,
                outcomes=own,
                state=_state(recorded=bool(own), due_on=due_on, active=trajectory.is_active, today=today),
            )
        )
    return result


def next_evaluation(entries: list[Evaluation], *, after: Talk | None = None, from_day: date | None = None
                    ) -> Evaluation | None:
    """The first evaluation still to come (not recorded, its talk not yet held), after `after`, on
    or after `from_day`."""
    for entry in entries:
        if entry.recorded or not entry.talk.is_upcoming:
            continue
        if from_day is not None and entry.due_on < from_day:
            continue
        if after is not None and (entry.talk.pk == after.pk or entry.talk.starts_at <= after.starts_at):
            continue
        return entry
    return None


def my_inputs(*, trajectory: Trajectory, user) -> list[EvaluationInput]:
    """A parent's own input in this trajectory: never anyone else's."""
    return list(
        EvaluationInput.objects.filter(trajectory=trajectory, author=user)
        .select_related("talk", "trajectory")
    )


def inputs_for(*, talk: Talk) -> list[EvaluationInput]:
    """For the practitioners: the parents' input for this evaluation, and input given for an
    evaluation of the trajectory that was cancelled afterwards (it was meant for one)."""
    from django.db.models import Q

    cancelled = Talk.objects.filter(
        trajectory_id=talk.trajectory_id, kind=TalkKind.EVALUATION, status=Talk.Status.CANCELLED
    )
    return list(
        EvaluationInput.objects.filter(Q(talk=talk) | Q(talk__in=cancelled))
        .select_related("author", "talk", "trajectory")
        .order_by("author__display_name", "at", "pk")
    )


def access_evaluation(*, user, family_id, talk_id, request=None) -> tuple[Membership, Talk]:
    """A practitioner's access to one evaluation of the family: a parent or relative is refused
    (PermissionDenied, 403), anyone outside the family gets NotFound (404), as does a talk of
    another family or one that is no evaluation."""
    membership = require(user=user, family_id=family_id, action=Action.EVALUATE, request=request)
    membership, talk = access_talk(user=user, family_id=membership.family_id, talk_id=talk_id,
                                   request=request)
    if talk.kind != TalkKind.EVALUATION:
        raise NotFound()
    return membership, talk


@dataclass
class ParentSide:
    """What "Ons traject" shows a parent of the evaluations."""

    rule: str
    coming: Evaluation | None
    mine: list[EvaluationInput]
    shared: list[tuple[Evaluation, EvaluationOutcome]]
    gave_for_coming: bool


def parent_side(*, trajectory: Trajectory, membership: Membership) -> ParentSide:
    today = timezone.localdate()
    entries = schedule(trajectory=trajectory, membership=membership, today=today)
    # Not one whose day has passed (held, but not yet recorded): input goes to the next one.
    coming = next_evaluation(entries, from_day=today) if trajectory.is_active else None
    mine = my_inputs(trajectory=trajectory, user=membership.user)
    return ParentSide(
        rule=rule_for(trajectory),
        coming=coming,
        mine=mine,
        shared=[(e, o) for e in entries for o in e.shared_outcomes],
        gave_for_coming=coming is not None and any(i.talk_id == coming.talk.pk for i in mine),
    )


def overdue_for_practitioner(*, user, today: date | None = None) -> list[Evaluation]:
    """Evaluations of running trajectories in the practitioner's families whose day has passed
    without a recorded outcome, oldest first."""
    from families.models import PRACTITIONER_ROLES

    today = today or timezone.localdate()
    families = Membership.objects.active().filter(user=user, role__in=PRACTITIONER_ROLES).values("family_id")
    zone = timezone.get_default_timezone()
    day_start = datetime.combine(today, datetime.min.time(), tzinfo=zone)
    recorded = EvaluationOutcome.objects.values("talk_id")
    talks = (
        Talk.objects.filter(
            family_id__in=families,
            kind=TalkKind.EVALUATION,
            trajectory__status=Trajectory.Status.ACTIVE,
            starts_at__lt=day_start,
        )
        .exclude(status=Talk.Status.CANCELLED)
        .exclude(pk__in=recorded)
        .select_related("trajectory", "family")
        .order_by("starts_at", "pk")[:50]
    )
    return [
        Evaluation(talk=t, due_on=timezone.localdate(t.starts_at), state="overdue")
        for t in with_participants(talks)
    ]


# -- a parent's input ----------------------------------------------------------------------------------


def evaluation_input_add(*, actor, family_id, talk_id, body: str, request=None) -> EvaluationInput:
    """The acting parent adds input for an evaluation they may see, until its day (and while it is
    not held or recorded). Always
    their own: the author is the one logged in, never a user from the request."""
    membership = require(user=actor, family_id=family_id, action=Action.GIVE_EVALUATION_INPUT,
                         request=request)
    body = clean_text(body, empty=_("Schrijf eerst wat je wilt meegeven."), max_chars=INPUT_MAX_CHARS)
    membership, talk = access_talk(user=actor, family_id=membership.family_id, talk_id=talk_id,
                                   request=request)
    if talk.kind != TalkKind.EVALUATION:
        raise NotFound()
    with transaction.atomic():
        talk = Talk.objects.select_for_update().select_related("trajectory").get(pk=talk.pk)
        if not talk.trajectory.is_active:
            raise Invalid(_("Dit traject is afgesloten; er komt geen evaluatie meer."))
        if talk.status == Talk.Status.CANCELLED:
            raise Invalid(_("Deze evaluatie is afgezegd. Je kunt je inbreng geven voor de volgende."))
        if (
            not talk.is_upcoming
            or timezone.localdate(talk.starts_at) < timezone.localdate()
            or EvaluationOutcome.objects.filter(talk=talk).exists()
        ):
            raise Invalid(
                _("Deze evaluatie is al geweest. Wil je nog iets kwijt? Geef het mee voor de volgende, of "
                  "stuur je begeleider een bericht.")
            )
        given = EvaluationInput.objects.filter(talk=talk, author=actor).count()
        if given >= INPUTS_PER_EVALUATION:
            raise Invalid(
                _("Je gaf al %(n)d keer inbreng voor deze evaluatie. Bespreek de rest in het gesprek zelf.")
                % {"n": given}
            )
        row = EvaluationInput.objects.create(
            talk=talk, trajectory=talk.trajectory, family_id=talk.family_id, author=actor, body=body
        )
        audit_record(
            action=actions.EVALUATION_INPUT_GIVEN, actor=actor, acting_role=membership.role,
            family=membership.family, subject_user=actor, target=talk, request=request,
            details={"trajectory": talk.trajectory_id},
        )
    return row


# -- the practitioner's outcome ------------------------------------------------------------------------


@dataclass(frozen=True)
class GoalChange:
    goal_id: int
    status: str
    note: str = ""


def evaluation_record(
    *,
    actor,
    family_id,
    talk_id,
    text: str,
    next_on: date | None = None,
    shared: bool = False,
    goal_changes: list[GoalChange] | tuple = (),
    request=None,
) -> EvaluationOutcome:
    """Record the outcome of an evaluation that has begun. In one transaction: the talk is marked
    held (when it was not yet), the outcome row, the goals' new status and notes (goals.goal_update,
    each audited), the audit entry (no text in it), and the next date: the next planned evaluation
    moves to that day (same time), or a new one is planned with the same people, place and length
    when none is left. The evaluation talk is locked, so two practitioners recording at once are
    recorded one after the other (both rows stay: the second adds to the first)."""
    membership = require(user=actor, family_id=family_id, action=Action.EVALUATE, request=request)
    text = clean_text(
        text, empty=_("Schrijf eerst de uitkomst van de evaluatie op."), max_chars=OUTCOME_MAX_CHARS
    )
    now = timezone.now()
    today = timezone.localdate(now)
    if next_on is not None and not today < next_on <= today.replace(year=today.year + 3):
        raise Invalid(_("Kies voor de volgende evaluatie een datum na vandaag (hooguit drie jaar vooruit)."))
    for change in goal_changes:
        if change.status not in goals.Status.values:
            raise Invalid(_("Kies een status: open, bezig, bereikt of gestopt."))
    with transaction.atomic():
        talk = services._locked_talk(family_id=membership.family_id, talk_id=talk_id)
        if talk.kind != TalkKind.EVALUATION:
            raise NotFound()
        trajectory = talk.trajectory
        if talk.status == Talk.Status.CANCELLED:
            raise Invalid(_("Deze evaluatie is afgezegd. Plan een nieuwe evaluatie en leg het daar vast."))
        if talk.starts_at > now:
            raise Invalid(
                _("Deze evaluatie is nog niet begonnen. Leg de uitkomst vast als ze gehouden is, of "
                  "verzet ze.")
            )
        if next_on is not None and not trajectory.is_active:
            raise Invalid(
                _("Dit traject is afgesloten; er komt geen volgende evaluatie. Laat de datum leeg.")
            )
        ids = {c.goal_id for c in goal_changes}
        if ids and Goal.objects.filter(pk__in=ids, trajectory=trajectory).count() != len(ids):
            raise Invalid(_("Een van de doelen hoort niet bij dit traject. Laad de pagina opnieuw."))
        if talk.is_upcoming:
            services.talk_hold(actor=actor, family_id=membership.family_id, talk_id=talk.pk, request=request)
        outcome = EvaluationOutcome.objects.create(
            talk=talk, trajectory=trajectory, family_id=talk.family_id, text=text, next_on=next_on,
            shared=bool(shared), recorded_by=actor, at=now,
        )
        for change in goal_changes:
            goals.goal_update(actor=actor, family_id=membership.family_id, goal_id=change.goal_id,
                              status=change.status, note=change.note, request=request)
        audit_record(
            action=actions.EVALUATION_RECORDED, actor=actor, acting_role=membership.role,
            family=membership.family, target=talk, request=request,
            details={
                "trajectory": trajectory.pk, "shared": bool(shared), "goals": len(goal_changes),
                **({"next_on": next_on.isoformat()} if next_on else {}),
            },
        )
        if next_on is not None:
            _plan_next(actor=actor, membership=membership, talk=talk, next_on=next_on, request=request)
    return outcome


def _plan_next(*, actor, membership, talk: Talk, next_on: date, request) -> None:
    following = (
        Talk.objects.filter(
            trajectory_id=talk.trajectory_id, kind=TalkKind.EVALUATION, status__in=Talk.UPCOMING,
            starts_at__gt=talk.starts_at,
        )
        .exclude(pk=talk.pk)
        .order_by("starts_at", "pk")
        .first()
    )
    zone = timezone.get_default_timezone()
    if following is not None:
        local = timezone.localtime(following.starts_at)
        if local.date() == next_on:
            return
        services.talk_update(
            actor=actor, family_id=membership.family_id, talk_id=following.pk,
            starts_at=datetime.combine(next_on, local.time(), tzinfo=zone),
            minutes=following.minutes, place=following.place, address=following.address, request=request,
        )
        return
    members = set(
        Membership.objects.active().filter(family_id=talk.family_id).values_list("user_id", flat=True)
    )
    taking_part = with_participants([talk])[0].user_ids & members
    services.talk_add(
        actor=actor, family_id=membership.family_id, kind=TalkKind.EVALUATION,
        starts_at=datetime.combine(next_on, timezone.localtime(talk.starts_at).time(), tzinfo=zone),
        minutes=talk.minutes, place=talk.place, address=talk.address,
        user_ids=sorted(taking_part - {actor.pk}), phase=talk.phase, request=request,
    )


# -- what the pages show -------------------------------------------------------------------------------


def practitioner_side(*, trajectory: Trajectory) -> dict:
    entries = schedule(trajectory=trajectory)
    return {
        "evaluations": entries,
        "evaluation_rule": rule_for(trajectory),
        "evaluations_overdue": [e for e in entries if e.state == "overdue"],
    }


def form_context(*, membership: Membership, talk: Talk) -> dict:
    """Everything the evaluation form shows the practitioner."""
    from moderation.selectors import contact_mode, contact_mode_history
    from parentingplan.selectors import plan_progress

    trajectory = talk.trajectory
    entries = schedule(trajectory=trajectory)
    this = next((e for e in entries if e.talk.pk == talk.pk), None)
    following = next_evaluation(entries, after=talk)
    parents = (
        Membership.objects.active().filter(family_id=talk.family_id, role=Role.PARENT).select_related("user")
        .order_by("created_at", "pk")
    )
    inputs = inputs_for(talk=talk)
    return {
        "talk": talk,
        "trajectory": trajectory,
        "evaluation": this,
        "evaluations": entries,
        "earlier": [e for e in entries if e.recorded and e.talk.pk != talk.pk],
        "following": following,
        "inputs": [(m.user, [i for i in inputs if i.author_id == m.user_id]) for m in parents],
        "other_inputs": [i for i in inputs if i.author_id not in {m.user_id for m in parents}],
        "plan": plan_progress(family_id=talk.family_id),
        "agreement": goals.agreement_state(trajectory=trajectory),
        "mode": contact_mode(family_id=talk.family_id),
        "mode_history": contact_mode_history(family_id=talk.family_id),
        "evaluation_rule": rule_for(trajectory),
        "started": talk.starts_at <= timezone.now(),
    }
