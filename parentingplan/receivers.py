"""How the parenting plan plugs into families: its receiver of the family events (connected in
ParentingPlanConfig.ready) and its card on the family page (registered there too).

The receiver runs inside the families service's transaction (families.events): the plan is stored
with the family, or not at all.
"""

from __future__ import annotations

from parentingplan.services import plan_ensure


def on_family_created(*, family, actor, **_kwargs) -> None:
    """Every family has its plan from the start, in the language of the professional who opened it."""
    plan_ensure(family=family, language=actor.language)


def plan_card(*, request, membership) -> dict:
    """The family page's link to the plan: every member may open it (the plan page decides what
    each role sees there)."""
    return {}
