"""How the parenting plan plugs into families: its receiver of the family events (connected in
ParentingPlanConfig.ready) and its card on the family page (registered there too).

The receiver runs inside the families service's transaction (families.events): the plan is stored
with the family, or not at all.
"""

from __future__ import annotations

from families.models import Role
from parentingplan.models import Plan
from parentingplan.selectors import current_approvals
from parentingplan.services import plan_ensure


def on_family_created(*, family, actor, **_kwargs) -> None:
    """Every family has its plan from the start, in the language of the professional who opened it."""
    plan_ensure(family=family, language=actor.language)


def plan_card(*, request, membership) -> dict:
    """The family page's link to the plan: every member may open it (the plan page decides what
    each role sees there). A parent also reads there that the other parent approved the plan as
    it stands, and is waiting for them."""
    if membership.role != Role.PARENT:
        return {}
    plan = Plan.objects.filter(family_id=membership.family_id).first()
    if plan is None:
        return {}
    approved = current_approvals(plan)
    if not approved or membership.user_id in approved:
        return {}
    names = sorted(a.user.display_name for a in approved.values())
    return {"approved_by": ", ".join(names), "version": plan.version}


def caseload_facts(*, user, memberships) -> dict[int, dict]:
    """A practitioner's caseload (families.features): per family how many of the plan's shown
    sections are agreed (one query for all families: every member may open the plan), and, where
    the practitioner may moderate, how many of the parents' words on the plan wait for them (one
    query; each adds to the row's urgency as a held message does)."""
    from django.db.models import Count, Q

    from families.access import Action, can
    from parentingplan.models import Section
    from parentingplan.selectors import held_words_count

    rows = (Section.objects.filter(plan__family_id__in=[m.family_id for m in memberships], hidden=False)
            .values_list("plan__family_id")
            .annotate(total=Count("pk"), agreed=Count("pk", filter=Q(status=Section.Status.AGREED)))
            .order_by())
    facts = {family_id: {"agreed": agreed, "total": total} for family_id, total, agreed in rows}
    moderating = [m.family_id for m in memberships if can(m, Action.MODERATE)]
    for family_id, held in held_words_count(family_ids=moderating).items():
        if family_id in facts:
            facts[family_id].update(held=held, urgency=min(held, 99) * 10)
    return facts
