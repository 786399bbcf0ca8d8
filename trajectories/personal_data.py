"""The talks part of the AVG download (accounts.personal_data): in every family the user is an
active member of, the talks they may see (trajectories.selectors.visible_talks, the rule every page
uses), so never the other parent's own talks; the address only of talks they take part in."""

from __future__ import annotations

from families.models import Membership
from trajectories.models import Talk
from trajectories.selectors import takes_part, visible_talks


def collect(*, user) -> list[dict] | None:
    from accounts.personal_data import iso

    result = []
    for membership in Membership.objects.active().filter(user=user).select_related("family"):
        talks = Talk.objects.filter(family_id=membership.family_id).select_related("trajectory")
        for talk in visible_talks(membership=membership, talks=talks):
            mine = takes_part(membership, talk)
            result.append(
                {
                    "family": membership.family.reference,
                    "trajectory": talk.trajectory.type_key,
                    "talk": talk.title,
                    "kind": talk.kind,
                    "starts_at": iso(talk.starts_at),
                    "minutes": talk.minutes,
                    "place": talk.place,
                    **({"address": talk.address} if mine or membership.is_practitioner else {}),
                    "status": talk.status,
                    "i_take_part": mine,
                }
            )
    return result or None


def collect_consents(*, user) -> list[dict] | None:
    """The user's own consents (given and withdrawn, with their times). The practitioners' dossier
    is never part of anyone's download: it holds the practitioners' working notes (confidential,
    issue 12), and a parent's download must not carry it by any path."""
    from accounts.personal_data import iso
    from trajectories.models import Consent

    rows = Consent.objects.filter(user=user).select_related("family", "trajectory").order_by("at", "pk")
    result = [
        {
            "family": row.family.reference,
            "trajectory": row.trajectory.type_key,
            "decision": row.decision,
            "at": iso(row.at),
        }
        for row in rows
    ]
    return result or None


def collect_agreements(*, user) -> list[dict] | None:
    """The user's own confirmations of the agreement and receipts of the code of conduct, with
    their times (issue 12, item 1)."""
    from accounts.personal_data import iso
    from trajectories.models import AgreementConfirmation, CodeOfConductReceipt

    result = [
        {"family": row.family.reference, "trajectory": row.trajectory.type_key,
         "agreement_confirmed_at": iso(row.at)}
        for row in AgreementConfirmation.objects.filter(user=user).select_related("family", "trajectory")
    ] + [
        {"family": row.family.reference, "code_of_conduct": row.document.name,
         "received_at": iso(row.at)}
        for row in CodeOfConductReceipt.objects.filter(user=user).select_related("family", "document")
    ]
    return result or None


def collect_evaluation_input(*, user) -> list[dict] | None:
    """The user's own input before evaluations (issue 12, item 3), with its text: it is theirs.
    Never the other parent's input, and not the practitioners' outcomes."""
    from accounts.personal_data import iso
    from trajectories.models import EvaluationInput

    rows = EvaluationInput.objects.filter(author=user).select_related("family", "trajectory", "talk")
    result = [
        {
            "family": row.family.reference,
            "trajectory": row.trajectory.type_key,
            "evaluation": iso(row.talk.starts_at),
            "input": row.body,
            "at": iso(row.at),
        }
        for row in rows.order_by("at", "pk")
    ]
    return result or None


def collect_reports(*, user) -> list[dict] | None:
    """The reports shared with the user as a parent (in the families they are a parent of now),
    as frozen, with every response kept with them (the same as in the PDF both parents get) and
    when the user first opened it, and the user's own responses to any report. Drafts are never
    part of it (issue 12, item 5)."""
    from accounts.personal_data import iso
    from families.models import Role
    from trajectories.models import ReportRead, ReportResponse, ReportShare
    from trajectories.reports import shared_report

    families = Membership.objects.active().filter(user=user, role=Role.PARENT).values("family_id")
    opened = dict(ReportRead.objects.filter(user=user).values_list("share_id", "at"))
    result, seen = [], set()
    shares = ReportShare.objects.filter(family_id__in=families).select_related("family", "trajectory")
    for share in shares.order_by("shared_at", "pk"):
        report = shared_report(share)
        seen.add(share.pk)
        result.append({
            "family": share.family.reference,
            "report": share.report_id,
            "title": report.title,
            "shared_at": iso(share.shared_at),
            "content_hash": share.content_hash,
            "first_opened_at": iso(opened[share.pk]) if share.pk in opened else None,
            "content": report.fields,
            "responses": [
                {"seq": r.seq, "by": r.by_name, "at": iso(r.at), "body": r.body, "hash": r.hash,
                 "mine": r.user_id == user.pk}
                for r in report.responses
            ],
        })
    for response in ReportResponse.objects.filter(user=user).exclude(share_id__in=seen).select_related(
        "share", "family"
    ):
        result.append({"family": response.family.reference, "report": response.share.report_id,
                       "my_response": {"seq": response.seq, "at": iso(response.at), "body": response.body,
                                       "hash": response.hash}})
    return result or None
