"""Writes for moderation: each in one transaction, with its audit row, live events after commit."""

from __future__ import annotations

from datetime import date, timedelta

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from audit import actions
from audit.services import audit_practitioner_view, audit_record
from core.broadcast import broadcast_on_commit
from core.errors import Conflict, Invalid, NotFound, PermissionDenied
from core.frames import has_lone_surrogate
from core.groups import user_group
from families.access import Action, can, denials_recorded, membership_for, require
from families.models import Family, Membership, Role
from messaging.extensions import Held, ScreenedSend
from messaging.models import Message
from messaging.selectors import access_thread, thread_located
from messaging.services import clean_body, message_append, parse_client_id
from moderation import caseload, frames, records
from moderation.models import ContactMode, ContactModeChange, Decision, Draft, Relay, ReturnReason
from moderation.selectors import (
    DELIVERED,
    HELD,
    REPHRASE_PROPOSED,
    RETURNED,
    contact_mode,
    draft_state,
    review_queue_drafts,
)
from moderation.tone import VERSION, assess

REASON_MAX_CHARS = 2000
REVIEW_MAX_DAYS = 2 * 365


def family_mode_frame(*, family_id: int, mode: str, since) -> dict:
    return {"type": "family.mode", "family": family_id, "mode": mode,
            "since": since.isoformat() if since is not None else None}


def contact_mode_change(
    *, actor, family_id: int, mode: str, reason: str, review_on: date | None = None, request=None
) -> ContactModeChange:
    """Set the family's contact mode. Only the coordinating practitioner may (families.access);
    the reason is required (it is kept for the practitioners and the audit, not shown to parents).
    The family row is locked so that two changes at once are stored one after the other.

    After commit: every member's open sockets get `family.mode`, and every parent an e-mail that
    says what the mode means for them, without any message content."""
    membership = require(user=actor, family_id=family_id, action=Action.CHANGE_CONTACT_MODE, request=request)
    if mode not in ContactMode.values:
        raise Invalid(_("Kies direct contact, contact met meelezen of contact via de begeleider."))
    reason = (reason or "").strip()
    if not reason:
        raise Invalid(_("Schrijf kort op waarom je de manier van contact verandert."))
    if len(reason) > REASON_MAX_CHARS:
        raise Invalid(_("De reden is te lang (%(n)d tekens, maximaal %(max)d). Maak hem korter.")
                      % {"n": len(reason), "max": REASON_MAX_CHARS})
    today = timezone.localdate()
    if review_on is not None and not today <= review_on <= today + timedelta(days=REVIEW_MAX_DAYS):
        raise Invalid(_("Kies een datum voor het opnieuw bekijken tussen vandaag en over twee jaar."))
    with transaction.atomic():
        family = Family.objects.select_for_update().get(pk=membership.family_id)
        before = contact_mode(family_id=family.pk)
        if before.mode == mode and before.review_on == review_on:
            raise Invalid(_("Het gezin heeft deze manier van contact al."))
        change = ContactModeChange.objects.create(
            family=family, mode=mode, reason=reason, review_on=review_on, changed_by=actor,
            changed_at=timezone.now())
        audit_record(action=actions.CONTACT_MODE_CHANGED, actor=actor, acting_role=membership.role,
                     family=family, target=change, request=request,
                     details={"old": before.mode, "new": mode,
                              "review_on": review_on.isoformat() if review_on else None})
        members = list(Membership.objects.active().filter(family=family).select_related("user"))
        frame = family_mode_frame(family_id=family.pk, mode=mode, since=change.changed_at)
        for member in members:
            broadcast_on_commit(user_group(member.user_id), {"type": "family.mode", "frame": frame})
        if before.mode != mode:
            parents = [m.user for m in members if m.role == Role.PARENT]
            transaction.on_commit(lambda: _mail_parents(family, mode, parents))
    return change


def _mail_parents(family: Family, mode: str, parents) -> None:
    link = settings.SITE_URL.rstrip("/") + reverse("families:detail", args=[family.pk])
    for parent in parents:
        with translation.override(parent.language or settings.LANGUAGE_CODE):
            send_mail(
                subject=_("Jullie manier van contact in %(site)s is veranderd")
                % {"site": settings.SITE_NAME},
                message=render_to_string("moderation/email/contact_mode.txt", {
                    "name": parent.get_short_name(), "family": family.display_name,
                    "mode": mode, "link": link, "site_name": settings.SITE_NAME}),
                from_email=None,
                recipient_list=[parent.email],
            )


# -- moderated mode: holding, the review queue, decisions -----------------------------------------

NOTE_MAX_CHARS = 1000
REVIEW_DECISIONS = (Decision.Kind.RELEASE, Decision.Kind.RETURN, Decision.Kind.REPHRASE)
MAX_SOURCES = 20


def _now_ms():
    """Now, to the millisecond: the precision the hashes cover (messaging.services.iso)."""
    now = timezone.now()
    return now.replace(microsecond=now.microsecond // 1000 * 1000)


def drafts_hold(sends: list[ScreenedSend]) -> list[Held]:
    """Hold these sends for review (the chat's send gate, moderation.chat, inside the send's
    transaction with the threads' rows locked): one draft each, with its tone assessment and hash,
    stored in one statement; the family's practitioners with the queue open get review.new after
    commit. The other parent is told nothing. A client_id held before makes the insert fail: the
    chat then stores its sends one by one and answers the resend with the stored draft."""
    held_at = _now_ms()
    drafts = []
    for send in sends:
        assessment = send.notes.get("moderation") or assess(send.body)
        draft = Draft(family_id=send.thread.family_id, thread=send.thread, sender=send.sender,
                      client_id=send.client_id, body=send.body, tone_level=assessment.level,
                      tone_reasons=list(assessment.reasons), tone_version=VERSION, held_at=held_at,
                      after_seq=send.thread.last_seq)
        draft.hash = records.draft_hash(draft)
        drafts.append(draft)
    Draft.objects.bulk_create(drafts)
    for family_id in sorted({draft.family_id for draft in drafts}):
        caseload.queue_count_announce(family_id=family_id)
    for draft in drafts:
        broadcast_on_commit(frames.review_group(draft.family_id), {"type": "review.new", "frame": {
            "type": "review.new", "family": draft.family_id, "item": frames.review_item(draft)}})
    return [Held(frame=frames.held_message(draft)) for draft in drafts]


def draft_located(item_id) -> tuple:
    """For the denial records: the family a review item belongs to, and the id as asked."""
    family_id = None
    if isinstance(item_id, int) and 0 < item_id < 2**63:
        family_id = Draft.objects.filter(pk=item_id).values_list("family_id", flat=True).first()
    return family_id, {"item": str(item_id)[:32]}


def review_queue(*, user, family_id: int, request=None) -> dict:
    """The review.queue frame: the family's drafts waiting for a practitioner, oldest first. Only the
    family's practitioners may see it; every read is in the family's access log."""
    membership = require(user=user, family_id=family_id, action=Action.MODERATE, request=request)
    audit_practitioner_view(action=actions.REVIEW_QUEUE_VIEWED, membership=membership,
                            target=membership.family, request=request)
    drafts = review_queue_drafts(family_id=membership.family_id)
    return {"type": "review.queue", "family": membership.family_id,
            "items": [frames.review_item(d) for d in drafts]}


def _draft_locked(item_id) -> Draft:
    if isinstance(item_id, bool) or not isinstance(item_id, int) or not 0 < item_id < 2**63:
        raise NotFound()
    # Only the draft row is locked (not its sender's user row, which logins update).
    draft = Draft.objects.select_for_update(of=("self",)).select_related("sender").filter(pk=item_id).first()
    if draft is None:
        raise NotFound()
    return draft


def _decision_add(draft: Draft, *, kind: str, by, reason: str = "", note: str = "", proposal: str = "",
                  message=None) -> Decision:
    """The draft's next decision, numbered and chained (the caller holds the draft's row lock)."""
    last = draft.decisions.order_by("-seq").first()
    decision = Decision(draft=draft, seq=(last.seq + 1) if last else 1, kind=kind, by=by, at=_now_ms(),
                        reason=reason, note=note, proposal=proposal, message=message)
    decision.hash = records.decision_hash(decision, previous=last.hash if last else draft.hash,
                                          draft_hash_hex=draft.hash)
    decision.save(force_insert=True)
    return decision


def _append_to_thread(draft: Draft, body: str):
    """The released words become the sender's message in the thread (next seq, chain hash), with the
    draft's client_id: a resend of it then finds the message, and a message can never be delivered
    twice from one draft."""
    try:
        return message_append(thread_id=draft.thread_id, sender=draft.sender, body=body,
                              client_id=draft.client_id)
    except IntegrityError:
        raise Conflict(_("Dit bericht staat al in het gesprek.")) from None


def _announce(draft: Draft, *, decision: Decision, state: str, message=None) -> None:
    """After commit: the practitioners with the queue open, and every socket of the sender; the
    family's practitioners the queue's new size (review.count, their caseload)."""
    caseload.queue_count_announce(family_id=draft.family_id)
    broadcast_on_commit(frames.review_group(draft.family_id), {"type": "review.decided", "frame": {
        "type": "review.decided", "family": draft.family_id, "item": draft.pk, "decision": decision.kind,
        "by": decision.by_id}})
    frame = frames.message_state(draft, state=state, message=message, decision=decision)
    broadcast_on_commit(user_group(draft.sender_id), {"type": "message.state", "frame": frame})


INDIRECT_NO_RELEASE = gettext_lazy(
    "Het gezin heeft nu contact via de begeleider: dit bericht kan niet meer in het gesprek van de ouders "
    "komen. Stuur het terug, of geef door wat nodig is in het gesprek van de andere ouder.")


def review_decide(*, actor, item_id, decision: str, reason: str | None = None, note: str | None = None,
                  body: str | None = None, request=None) -> Decision:
    """A practitioner of the family decides on a held message:
    - release: it joins the thread as the sender's message (every member with the thread joined gets
      message.new; the sender message.state "delivered");
    - return (a reason code, a note if wanted): it is never delivered; the sender sees why;
    - rephrase (the proposed words): the sender is asked to accept or decline (rephrase_answer).

    The draft's row is locked: of two practitioners deciding at once, the first wins and the second
    gets Conflict (nothing stored). Every decision is audited; bodies and notes stay out of the audit."""
    with denials_recorded(user=actor, wanted=str(Action.MODERATE), locate=draft_located, subject_id=item_id,
                          request=request):
        if decision not in REVIEW_DECISIONS:
            raise Invalid(_("Kies doorlaten, terugsturen of herschrijven."))
        reason, note = _reason_and_note(decision, reason, note)
        proposal = clean_body(body or "") if decision == Decision.Kind.REPHRASE else ""
        with transaction.atomic():
            draft = _draft_locked(item_id)
            membership = require(user=actor, family_id=draft.family_id, action=Action.MODERATE,
                                 request=request)
            state = draft_state(draft)
            if state != HELD:
                last = draft.decisions.select_related("by").order_by("-seq").first()
                raise Conflict(_("Dit bericht is net al beoordeeld door %(name)s. Je ziet de wachtrij "
                                 "zoals die nu is.") % {"name": last.by.display_name})
            if (decision != Decision.Kind.RETURN
                    and contact_mode(family_id=draft.family_id).mode == ContactMode.INDIRECT):
                raise Invalid(INDIRECT_NO_RELEASE)
            message = _append_to_thread(draft, draft.body) if decision == Decision.Kind.RELEASE else None
            stored = _decision_add(draft, kind=decision, by=actor, reason=reason, note=note,
                                   proposal=proposal, message=message)
            audit_record(action=actions.REVIEW_DECIDED, actor=actor, acting_role=membership.role,
                         family=membership.family, subject_user=draft.sender, target=draft, request=request,
                         details={"decision": decision, "reason": reason or None, "step": stored.seq})
            outcome = {Decision.Kind.RELEASE: DELIVERED, Decision.Kind.RETURN: RETURNED,
                       Decision.Kind.REPHRASE: REPHRASE_PROPOSED}[decision]
            _announce(draft, decision=stored, state=outcome, message=message)
    return stored


def _reason_and_note(decision: str, reason, note) -> tuple[str, str]:
    reason = reason or ""
    note = (note or "").strip()
    if decision == Decision.Kind.RELEASE:
        return "", ""
    if has_lone_surrogate(note):
        raise Invalid(_("De toelichting bevat tekens die geen geldige tekst zijn."))
    if len(note) > NOTE_MAX_CHARS:
        raise Invalid(_("De toelichting is te lang (%(n)d tekens, maximaal %(max)d).")
                      % {"n": len(note), "max": NOTE_MAX_CHARS})
    if reason and reason not in ReturnReason.values:
        raise Invalid(_("Kies een van de redenen uit de lijst."))
    if decision == Decision.Kind.RETURN and not reason:
        raise Invalid(_("Kies waarom je het bericht terugstuurt; de ouder ziet die reden."))
    return reason, note


def rephrase_answer(*, actor, item_id, accept: bool, request=None) -> Decision:
    """The sender answers a proposed rephrasing. Accepted: the proposal is delivered as their message
    (marked in the record as rephrased with their consent: the accept decision links the original
    draft and the message). Declined: the item goes back to the review queue. Only the sender may
    answer; anyone else gets NotFound (nothing is revealed)."""
    if not isinstance(accept, bool):
        raise Invalid(_('"accept" moet true of false zijn.'))
    with (denials_recorded(user=actor, wanted="answer_rephrasing", locate=draft_located, subject_id=item_id,
                           request=request),
          transaction.atomic()):
        draft = _draft_locked(item_id)
        membership = membership_for(user=actor, family_id=draft.family_id)
        if membership is None or draft.sender_id != actor.pk:
            raise NotFound()
        if draft_state(draft) != REPHRASE_PROPOSED:
            raise Conflict(_("Er wacht geen voorstel meer op je antwoord. Je ziet hoe het nu staat."))
        proposed = draft.decisions.filter(kind=Decision.Kind.REPHRASE).order_by("-seq").first()
        if accept:
            if contact_mode(family_id=draft.family_id).mode == ContactMode.INDIRECT:
                raise Invalid(_("Jullie schrijven elkaar nu via je begeleider, dus dit bericht kan niet "
                                "meer in het gesprek met de andere ouder komen. Schrijf je begeleider in "
                                "je eigen gesprek."))
            message = _append_to_thread(draft, proposed.proposal)
            stored = _decision_add(draft, kind=Decision.Kind.ACCEPT, by=actor, message=message)
            _announce(draft, decision=stored, state=DELIVERED, message=message)
        else:
            stored = _decision_add(draft, kind=Decision.Kind.DECLINE, by=actor)
            _announce(draft, decision=stored, state=HELD)
            broadcast_on_commit(frames.review_group(draft.family_id), {"type": "review.new", "frame": {
                "type": "review.new", "family": draft.family_id, "item": frames.review_item(draft)}})
        audit_record(action=actions.REPHRASE_ANSWERED, actor=actor, acting_role=membership.role,
                     family=membership.family, subject_user=actor, target=draft, request=request,
                     details={"accept": accept, "step": stored.seq})
    return stored


# -- indirect mode: relays -------------------------------------------------------------------------


def message_relay(*, actor, thread_id, client_id, body, sources, request=None
                  ) -> tuple[Message, Relay | None]:
    """A practitioner writes to a parent on the other parent's behalf: a message in the recipient's
    private thread (state "relayed", the practitioner its sender; the recipient gets message.new),
    and a record linking the messages it passes on, visible to practitioners only. `sources` are ids
    of messages of the same family in another thread (the other parent's private thread). The same
    client_id again returns the stored relay and stores nothing."""
    with denials_recorded(user=actor, wanted="relay", locate=thread_located, subject_id=thread_id,
                          request=request):
        text = clean_body(body)
        client_uuid = parse_client_id(client_id)
        source_ids = _source_ids(sources)
        with transaction.atomic():
            access = access_thread(user=actor, thread_id=thread_id, write=True, lock=True)
            if not can(access.membership, Action.MODERATE):
                raise PermissionDenied(_("Alleen een begeleider geeft berichten door."))
            thread = access.thread
            if thread.kind != "private":
                raise Invalid(_("Doorgeven kan alleen in het eigen gesprek van een ouder met de "
                                "begeleiders."))
            found = list(Message.objects.filter(pk__in=source_ids, thread__family_id=thread.family_id)
                         .exclude(thread_id=thread.pk).order_by("thread_id", "seq"))
            if len(found) != len(source_ids):
                raise Invalid(_("Kies de berichten die je doorgeeft uit het gesprek van de andere ouder."))
            try:
                message = message_append(thread_id=thread.pk, sender=actor, body=text, client_id=client_uuid,
                                         state=Message.State.RELAYED)
            except IntegrityError:
                existing = Message.objects.select_related("sender").get(thread=thread, sender=actor,
                                                                        client_id=client_uuid)
                return existing, Relay.objects.filter(message=existing).first()
            relay = Relay(message=message, thread=thread, by=actor,
                          sources=[{"id": m.pk, "thread": m.thread_id, "seq": m.seq, "hash": m.hash}
                                   for m in found])
            relay.hash = records.relay_hash(relay, message)
            relay.save(force_insert=True)
            audit_record(action=actions.MESSAGE_RELAYED, actor=actor, acting_role=access.membership.role,
                         family=access.membership.family, subject_user=thread.owner, target=message,
                         request=request, details={"thread": thread.pk, "sources": len(found)})
    return message, relay


def _source_ids(sources) -> list[int]:
    if not isinstance(sources, list) or not sources:
        raise Invalid(_("Kies minstens één bericht dat je doorgeeft."))
    if len(sources) > MAX_SOURCES:
        raise Invalid(_("Kies hoogstens %(max)d berichten om door te geven.") % {"max": MAX_SOURCES})
    if any(isinstance(s, bool) or not isinstance(s, int) or not 0 < s < 2**63 for s in sources):
        raise Invalid(_("Kies de berichten die je doorgeeft uit het gesprek van de andere ouder."))
    return sorted(set(sources))
