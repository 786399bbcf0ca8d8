"""The plan part of the AVG download (accounts.personal_data): per family the user is in now, what
they wrote and decided in its parenting plan, in the sections their role lets them see
(parentingplan.selectors): their revisions, their comments (as comments_for shows them), their
agreements or disputes, and their approvals of the whole plan. A comment says what became of it
under the contact mode ("state": shown, held, returned with the practitioner's note, private)."""

from __future__ import annotations

import json

from core.errors import NotFound
from families.models import Membership
from parentingplan.models import Plan, PlanApproval, SectionAgreement, SectionRevision
from parentingplan.selectors import access_plan, comments_for, decision_of, visible_sections, words_state


def collect(*, user) -> list[dict]:
    from accounts.personal_data import iso

    result = []
    family_ids = Membership.objects.active().filter(user=user).values_list("family_id", flat=True)
    for plan in Plan.objects.filter(family_id__in=list(family_ids)).select_related("family").order_by("pk"):
        try:
            access = access_plan(user=user, plan_id=plan.pk)
        except NotFound:
            continue
        sections = visible_sections(access)
        titles = {section.pk: section.title for section in sections}
        revisions = (SectionRevision.objects.filter(section_id__in=titles, author=user)
                     .order_by("section_id", "number"))
        agreements = (SectionAgreement.objects.filter(section_id__in=titles, user=user)
                      .select_related("opinion").prefetch_related("opinion__decisions")
                      .order_by("section_id", "revision"))
        comments = [comment for section in sections
                    for comment in comments_for(section=section, membership=access.membership)
                    if comment.author_id == user.pk]
        result.append({
            "family": plan.family.reference,
            "plan": plan.pk,
            "my_revisions": [
                {"section": titles[r.section_id], "revision": r.number, "saved_at": iso(r.created_at),
                 "content_html": r.content, "schedule": json.loads(r.schedule) if r.schedule else None,
                 "restored_from": r.restored_from}
                for r in revisions
            ],
            "my_opinions": [_opinion(a, titles, iso) for a in agreements],
            "my_comments": [
                {"section": titles[c.section_id], "at": iso(c.created_at), "visible_to": c.visibility,
                 "text": c.body, "state": c.state,
                 "note": c.decision.note if c.state == "returned" else None}
                for c in comments
            ],
            "my_approvals": [
                {"version": a.version, "approved_at": iso(a.approved_at)}
                for a in PlanApproval.objects.filter(plan=plan, user=user).order_by("approved_at")
            ],
        })
    return result


def _opinion(agreement: SectionAgreement, titles: dict, iso) -> dict:
    entry = {"section": titles[agreement.section_id], "revision": agreement.revision,
             "opinion": "agree" if agreement.agrees else "disagree", "at": iso(agreement.at)}
    if not agreement.agrees:
        opinion = agreement.opinion
        decision = decision_of(opinion) if opinion is not None else None
        state = words_state(opinion.reason_to, decision) if opinion is not None else "shown"
        entry.update({"reason": agreement.reason, "reason_state": state,
                      "note": decision.note if decision is not None and state == "returned" else None})
    return entry
