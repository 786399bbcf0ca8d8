"""Who is in a thread, honestly: every change is a record of the thread itself, and a relative joins
the parents' conversation only with the consent of the parents who write in it.

**Membership entries.** A change of who may read or write a thread is stored as a record of that
thread (a Message of kind "membership"), numbered by the same gap-free seq and linked into the same
hash chain as the messages: everyone in the thread sees it where it happened, live and after a
reconnect, and it is in every export and every verification (docs/VERIFYING.md). Its body is the
change as canonical JSON (`change_record`), worded for people in their own language by
`change_text` (and by static/js/chat.js from the same texts). The records are never changed.

Where entries come from:
- a family membership that began, changed role or ended (families.events.membership_changed, in
  the families service's transaction): `thread_audience_follow` writes one in every thread of the
  family whose audience changed for that member (a practitioner who now reads along, a parent who
  left), and takes a relative's participations away with a role they no longer have;
- a relative added after every consenting parent said yes (`proposal_answer`), or taken out or
  limited to reading by a practitioner (`thread_participant_set`);
- a member who changed their name (accounts.events.display_name_changed): `threads_announce_rename`
  writes one in every thread they may read, so that nobody takes on another name unseen.

**Consent.** A practitioner proposes (`participant_propose`): the relative, reading or also
writing, and whether they see the earlier records. Every parent who writes in the thread
(families.access.thread_consent_needed: both parents in the parents' thread, the owner in a
private one) answers on a page (`proposal_answer`): the relative is added when all said yes, one
"no" ends the proposal. A practitioner can withdraw it; it lapses when the relative leaves the
family or the parents who must answer change. Every step is audited; answers are append-only.
Taking someone out, or letting a writer only read, needs no consent and applies at once.

**History.** A relative added without the earlier records sees the thread from the entry that
announces them (ThreadParticipant.visible_from_seq): history, scrolling back, read marks and
exports stop there (messaging.selectors.ThreadAccess.visible_from). What they can still tell: the
seq of that entry, so how many records came before it, never what they say.

Thread rows are locked (in id order when there are several) before a proposal's row, everywhere,
so that two answers or an answer and a message cannot deadlock or interleave in the chain.
"""

from __future__ import annotations

import uuid

from django.db import transaction
from django.db.models import TextChoices
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from audit import actions
from audit.services import audit_record
from core.broadcast import broadcast_on_commit
from core.errors import Invalid, NotFound, PermissionDenied
from core.groups import user_group
from families.access import (
    Action,
    Located,
    can,
    records_denials,
    thread_consent_needed,
    thread_rights,
)
from families.models import Membership, Role
from messaging.models import (
    Message,
    ParticipantProposal,
    ProposalAnswer,
    Thread,
    ThreadCursor,
    ThreadParticipant,
)
from messaging.selectors import access_thread, consenting_parents, thread_located
from messaging.services import iso, message_new_event, record_fields, thread_group
from vault.hashing import canonical_json, chain_hash

NONE, READ, WRITE = "none", "read", "write"
ORDER = {NONE: 0, READ: 1, WRITE: 2}


class Participation(TextChoices):
    """What a practitioner lets a relative do in one thread."""

    NONE = "none", gettext_lazy("doet niet mee")
    READ = "read", gettext_lazy("leest mee")
    WRITE = "write", gettext_lazy("leest mee en schrijft")


def level(rights) -> str:
    return WRITE if rights.write else READ if rights.read else NONE


# -- the entries --------------------------------------------------------------------------------


def change_record(*, user, role: str, before: str, after: str, history: bool | None = None,
                  proposal: ParticipantProposal | None = None, consent: list | None = None,
                  renamed_from: str | None = None) -> dict:
    """What a membership entry says (its body, as canonical JSON). Names are kept as they were
    then: a later change of name does not change the record, it is an entry of its own
    (`renamed_from`: the old name; `before` and `after` are then what the member may do, unchanged)."""
    change = {"member": {"id": user.pk, "name": user.display_name, "role": str(role)},
              "before": before, "after": after}
    if renamed_from is not None:
        change["renamed_from"] = renamed_from
    if before == NONE and after != NONE:
        change["history"] = "all" if history is not False else "from_here"
    if proposal is not None:
        change["proposed_by"] = {"id": proposal.proposed_by_id, "name": proposal.proposed_by.display_name}
        change["consent"] = [{"id": a.user_id, "name": a.user.display_name, "at": iso(a.answered_at)}
                             for a in consent or []]
    return change


def entries_append(*, thread_id: int, entries: list[tuple]) -> list[Message]:
    """Append membership entries ((sender, change) each) to a thread the caller holds the row
    lock of, in the caller's transaction; everyone with the thread joined gets them after commit
    as message.new. No e-mail notices: the entry is in the thread, the unread count shows it."""
    if not entries:
        return []
    thread = Thread.objects.select_for_update().get(pk=thread_id)  # the caller's lock: no wait
    now = timezone.now()
    sent_at = now.replace(microsecond=now.microsecond // 1000 * 1000)  # what the hash covers
    seq, head = thread.last_seq, thread.head_hash
    messages = []
    for sender, change in entries:
        seq += 1
        body = canonical_json(change).decode("utf-8")
        head = chain_hash(head, record_fields(thread_id=thread_id, seq=seq, sender_id=sender.pk,
                                              sent_at=sent_at, body=body, kind=Message.Kind.MEMBERSHIP))
        messages.append(Message(thread_id=thread_id, seq=seq, sender=sender, client_id=uuid.uuid4(),
                                body=body, sent_at=sent_at, hash=head, kind=Message.Kind.MEMBERSHIP))
    Message.objects.bulk_create(messages)
    Thread.objects.filter(pk=thread_id).update(last_seq=seq, head_hash=head)
    for message in messages:
        broadcast_on_commit(thread_group(thread_id), message_new_event(message))
    return messages


def entry_texts() -> dict[str, str]:
    """The sentences of membership entries and the role words, in the active language. `{name}`,
    `{role}`, `{proposer}` and `{names}` are filled in (once: a name is never read as a template).
    The chat page hands the same texts to static/js/chat.js, so a page and a PDF say the same."""
    return {
        "joined.read": _("{name} ({role}) leest nu mee in dit gesprek."),
        "joined.write": _("{name} ({role}) doet nu mee in dit gesprek."),
        "left.read": _("{name} ({role}) leest niet meer mee in dit gesprek."),
        "left.write": _("{name} ({role}) doet niet meer mee in dit gesprek."),
        "changed.write": _("{name} ({role}) mag nu ook schrijven in dit gesprek."),
        "changed.read": _("{name} ({role}) mag niet meer schrijven en leest alleen nog mee."),
        "history.all": _("{name} ziet ook alle eerdere berichten."),
        "history.from_here": _("{name} ziet alleen de berichten vanaf hier, niet de eerdere."),
        "consent": _("Voorgesteld door {proposer}, met instemming van {names}."),
        "renamed": _("{old} ({role}) heet voortaan {name}. Dat is dezelfde persoon met een andere naam."),
        "and": _("en"),
        "role.parent": _("ouder"),
        "role.practitioner": _("begeleider"),
        "role.coordinator": _("begeleider"),
        "role.relative": _("familielid"),
    }


def _fill(template: str, values: dict) -> str:
    return template.format_map(values)


def names_joined(names: list[str], word_and: str) -> str:
    return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} {word_and} {names[-1]}"


def change_text(change: dict, texts: dict[str, str] | None = None) -> str:
    """An entry's change in words, in the active language (see entry_texts)."""
    texts = texts or entry_texts()
    member = change.get("member", {})
    values = {"name": member.get("name", ""),
              "role": texts.get(f"role.{member.get('role')}", member.get("role", ""))}
    before, after = change.get("before"), change.get("after")
    if "renamed_from" in change:
        return _fill(texts["renamed"], {**values, "old": str(change["renamed_from"])})
    if before == NONE:
        key = f"joined.{after}"
    elif after == NONE:
        key = f"left.{before}"
    else:
        key = f"changed.{after}"
    parts = [_fill(texts[key], values)] if key in texts else []
    if before == NONE and change.get("history") in ("all", "from_here"):
        parts.append(_fill(texts[f"history.{change['history']}"], values))
    if change.get("consent"):
        parts.append(_fill(texts["consent"], {
            "proposer": change.get("proposed_by", {}).get("name", ""),
            "names": names_joined([c.get("name", "") for c in change["consent"]], texts["and"])}))
    return " ".join(parts)


# -- following the family's memberships ---------------------------------------------------------


def threads_announce_rename(*, user, old_name: str) -> None:
    """accounts.events.display_name_changed, in the accounts service's transaction: an entry in every
    thread the user may read (writes in or reads along), sent by the user, saying that the old
    name is now the new one. Nobody can pose under another name unseen; the earlier records keep
    the names they were written under (membership entries) and the entry links the two."""
    memberships = {m.family_id: m for m in Membership.objects.active().filter(user_id=user.pk)}
    if not memberships:
        return
    threads = list(Thread.objects.select_for_update().filter(family_id__in=memberships).order_by("pk"))
    rows = {p.thread_id: p for p in ThreadParticipant.objects.filter(thread__in=threads, user_id=user.pk)}
    for thread in threads:
        membership = memberships[thread.family_id]
        row = rows.get(thread.pk)
        now = level(thread_rights(membership, kind=thread.kind, owner_id=thread.owner_id,
                                  participant_can_write=(row.can_write if row is not None
                                                         and membership.role == Role.RELATIVE else None)))
        if now == NONE:
            continue
        entries_append(thread_id=thread.pk, entries=[(user, change_record(
            user=user, role=membership.role, before=now, after=now, renamed_from=old_name))])


def _as_role(membership: Membership, role: str | None) -> Membership | None:
    if role is None:
        return None
    return Membership(user_id=membership.user_id, family_id=membership.family_id, role=role)


def thread_audience_follow(*, membership, old_role, new_role, actor) -> None:
    """families.events.membership_changed, in the families service's transaction: an entry in every
    thread of the family whose audience changed for this member; a member who is no longer a
    relative takes no part as one any more (their participations go, and so do open proposals to
    add them); where the parents who must consent changed, open proposals lapse (they ask again).

    A parent's own new private thread gets no entry for them: it exists for them."""
    user = membership.user
    threads = list(Thread.objects.select_for_update().filter(family_id=membership.family_id).order_by("pk"))
    rows = {p.thread_id: p for p in ThreadParticipant.objects.filter(thread__in=threads, user_id=user.pk)}
    old, new = _as_role(membership, old_role), _as_role(membership, new_role)
    stays_relative = new_role == Role.RELATIVE
    for thread in threads:
        row = rows.get(thread.pk)
        before = level(thread_rights(old, kind=thread.kind, owner_id=thread.owner_id,
                                     participant_can_write=row.can_write if row else None))
        after = level(thread_rights(new, kind=thread.kind, owner_id=thread.owner_id,
                                    participant_can_write=row.can_write if row and stays_relative else None))
        if thread_consent_needed(old, kind=thread.kind, owner_id=thread.owner_id) != thread_consent_needed(
                new, kind=thread.kind, owner_id=thread.owner_id):
            _proposals_lapse(ParticipantProposal.objects.filter(thread=thread), actor=actor,
                             reason="consenting_parents_changed")
        if before == after or (thread.kind == Thread.Kind.PRIVATE and thread.owner_id == user.pk
                               and before == NONE):
            continue
        entries_append(thread_id=thread.pk, entries=[(actor, change_record(
            user=user, role=new_role or old_role, before=before, after=after,
            history=(row is None or row.visible_from_seq <= 1)))])
    if not stays_relative:
        ThreadParticipant.objects.filter(thread__in=threads, user_id=user.pk).delete()
        _proposals_lapse(ParticipantProposal.objects.filter(thread__in=threads, user_id=user.pk), actor=actor,
                         reason="no_longer_a_relative")


def _proposals_lapse(proposals, *, actor, reason: str) -> None:
    for proposal in proposals.filter(status=ParticipantProposal.Status.OPEN).select_related("thread__family",
                                                                                          "user"):
        ParticipantProposal.objects.filter(pk=proposal.pk).update(
            status=ParticipantProposal.Status.LAPSED, closed_at=timezone.now(), closed_by=actor)
        audit_record(action=actions.THREAD_PARTICIPANT_PROPOSAL_LAPSED, actor=actor,
                     family=proposal.thread.family, subject_user=proposal.user, target=proposal,
                     details={"thread": proposal.thread_id, "relative": proposal.user_id, "reason": reason})


# -- practitioners: propose, take out, withdraw -------------------------------------------------


def _relative(thread: Thread, user_id) -> Membership:
    try:
        user_id = int(user_id)
    except (TypeError, ValueError):
        user_id = 0
    relative = (Membership.objects.active().select_related("user")
                .filter(family_id=thread.family_id, user_id=user_id, role=Role.RELATIVE).first()
                if 0 < user_id < 2**63 else None)
    if relative is None:
        raise Invalid(_("Alleen familieleden van dit gezin kunnen meedoen in een gesprek."))
    return relative


def _practitioner_access(*, actor, thread_id):
    access = access_thread(user=actor, thread_id=thread_id, lock=True)
    if not can(access.membership, Action.MANAGE_THREAD_PARTICIPANTS):
        raise PermissionDenied(
            _("Alleen een begeleider van dit gezin bepaalt wie er meedoet in een gesprek."))
    return access


@records_denials("manage_thread_participants", locate=thread_located, id_kw="thread_id", user_kw="actor")
def participant_propose(*, actor, thread_id, user_id, participation: str, with_history, request=None
                        ) -> ParticipantProposal:
    """A practitioner proposes that a relative of the family reads along (or also writes) in a
    thread, and chooses whether they will see the earlier records (`with_history`; for a relative
    who already reads along and may now also write, what they see stays as it is). Nothing changes
    for the relative until every consenting parent said yes (proposal_answer)."""
    if participation not in (READ, WRITE):
        raise Invalid(_("Kies of dit familielid meeleest of ook schrijft."))
    with transaction.atomic():
        access = _practitioner_access(actor=actor, thread_id=thread_id)
        thread = access.thread
        relative = _relative(thread, user_id)
        row = ThreadParticipant.objects.filter(thread=thread, user_id=relative.user_id).first()
        current = NONE if row is None else WRITE if row.can_write else READ
        name = relative.user.display_name
        if ORDER[current] >= ORDER[participation]:
            raise Invalid(_("%(name)s doet al zo mee in dit gesprek. Wil je minder toestaan? "
                            "Kies dat dan hier.") % {"name": name})
        if ParticipantProposal.objects.filter(thread=thread, user_id=relative.user_id,
                                              status=ParticipantProposal.Status.OPEN).exists():
            raise Invalid(_("Er wacht al een voorstel voor %(name)s. Trek dat eerst in als je iets anders "
                            "wilt voorstellen.") % {"name": name})
        if not consenting_parents(thread=thread):
            raise Invalid(_("In dit gesprek schrijft geen ouder die toestemming kan geven. Een familielid "
                            "kan pas meedoen als de ouders van het gesprek ja zeggen."))
        if row is not None:
            with_history = row.visible_from_seq <= 1
        elif not isinstance(with_history, bool):
            raise Invalid(_("Kies of %(name)s ook de eerdere berichten ziet, of alleen de berichten vanaf "
                            "het moment dat %(name)s erbij komt.") % {"name": name})
        proposal = ParticipantProposal.objects.create(
            thread=thread, user=relative.user, can_write=participation == WRITE, with_history=with_history,
            proposed_by=actor)
        audit_record(action=actions.THREAD_PARTICIPANT_PROPOSED, actor=actor,
                     acting_role=access.membership.role, family=thread.family, subject_user=relative.user,
                     target=proposal, request=request,
                     details={"thread": thread.pk, "old": current, "new": participation,
                              "history": "all" if with_history else "from_here"})
    return proposal


@records_denials("manage_thread_participants", locate=thread_located, id_kw="thread_id", user_kw="actor")
def thread_participant_set(*, actor, thread_id, user_id, participation: str, request=None) -> None:
    """A practitioner takes a relative out of a thread ("none"), or lets one who writes only read
    on ("read"): at once, without consent (less access never needs it), announced in the thread.
    More access is a proposal to the parents (participant_propose).

    The relative's open sockets stop the thread's live frames at once: the entry itself tells
    them (messaging.consumers), and access.changed makes them re-check after commit."""
    if participation not in Participation.values:
        raise Invalid(_("Kies of dit familielid meeleest, ook schrijft of niet meedoet."))
    with transaction.atomic():
        access = _practitioner_access(actor=actor, thread_id=thread_id)
        thread = access.thread
        relative = _relative(thread, user_id)
        row = ThreadParticipant.objects.filter(thread=thread, user_id=relative.user_id).first()
        current = NONE if row is None else WRITE if row.can_write else READ
        if current == participation:
            return
        if ORDER[participation] > ORDER[current]:
            raise Invalid(_("Meer laten doen kan alleen met instemming van de ouders: doe een voorstel."),
                          code="consent_needed")
        if participation == NONE:
            row.delete()
        else:
            ThreadParticipant.objects.filter(pk=row.pk).update(can_write=False)
        entries_append(thread_id=thread.pk, entries=[(actor, change_record(
            user=relative.user, role=Role.RELATIVE, before=current, after=participation))])
        audit_record(
            action=(actions.THREAD_PARTICIPANT_REMOVED if participation == NONE
                    else actions.THREAD_PARTICIPANT_SET),
            actor=actor, acting_role=access.membership.role, family=thread.family,
            subject_user=relative.user, target=thread, request=request,
            details={"old": current, "new": participation},
        )
        broadcast_on_commit(user_group(relative.user_id), {"type": "access.changed"})


def proposal_located(proposal_id) -> Located:
    """For the denial records: the family of a proposal (None when there is none) and the id."""
    try:
        pk = int(proposal_id)
    except (TypeError, ValueError):
        pk = 0
    family_id = None
    if 0 < pk < 2**63:
        family_id = (ParticipantProposal.objects.filter(pk=pk).values_list("thread__family_id", flat=True)
                     .first())
    return family_id, {"proposal": str(proposal_id)[:32]}


def _proposal_locked(*, user, proposal_id):
    """The user's access to the proposal's thread (its row locked) and the proposal (locked after
    it); NotFound for anyone who may not read that thread, and for the relative it is about."""
    try:
        pk = int(proposal_id)
    except (TypeError, ValueError):
        raise NotFound() from None
    thread_id = (ParticipantProposal.objects.filter(pk=pk).values_list("thread_id", flat=True).first()
                 if 0 < pk < 2**63 else None)
    if thread_id is None:
        raise NotFound()
    access = access_thread(user=user, thread_id=thread_id, lock=True)
    proposal = (ParticipantProposal.objects.select_for_update(of=("self",))
                .select_related("user", "proposed_by", "thread__family").get(pk=pk))
    if proposal.user_id == user.pk or access.membership.role == Role.RELATIVE:
        raise NotFound()
    return access, proposal


def _closed(proposal: ParticipantProposal) -> Invalid:
    reasons = {
        ParticipantProposal.Status.ADDED: _("Over dit voorstel is al beslist: %(name)s doet mee."),
        ParticipantProposal.Status.DECLINED: _("Dit voorstel gaat niet door: een ouder heeft nee gezegd."),
        ParticipantProposal.Status.WITHDRAWN: _("Dit voorstel gaat niet door: de begeleider heeft het "
                                                "ingetrokken."),
        ParticipantProposal.Status.LAPSED: _("Dit voorstel is vervallen. De begeleider kan een nieuw "
                                             "voorstel doen."),
    }
    return Invalid(reasons[proposal.status] % {"name": proposal.user.display_name}, code="closed")


@records_denials("consent_thread_participants", locate=proposal_located, id_kw="proposal_id")
def proposal_answer(*, user, proposal_id, accept, request=None) -> ParticipantProposal:
    """A parent whose consent the proposal needs says yes or no, for themselves only, once. One no
    ends the proposal. The last yes adds the relative: their participation, the entry announcing
    it (with who proposed and who consented, when), and, without the history, their boundary at
    that entry. Answering a closed proposal changes nothing (Invalid, code "closed")."""
    if not isinstance(accept, bool):
        raise Invalid(_("Kies ja of nee."))
    with transaction.atomic():
        access, proposal = _proposal_locked(user=user, proposal_id=proposal_id)
        thread = access.thread
        if not thread_consent_needed(access.membership, kind=thread.kind, owner_id=thread.owner_id):
            raise PermissionDenied(_("Hierover beslissen de ouders die in dit gesprek schrijven."))
        if proposal.status != ParticipantProposal.Status.OPEN:
            raise _closed(proposal)
        if ProposalAnswer.objects.filter(proposal=proposal, user=user).exists():
            raise Invalid(_("Je hebt al geantwoord op dit voorstel."), code="answered")
        answer = ProposalAnswer.objects.create(proposal=proposal, user=user, accepted=accept)
        audit_record(action=(actions.THREAD_PARTICIPANT_CONSENTED if accept
                             else actions.THREAD_PARTICIPANT_DECLINED),
                     actor=user, acting_role=access.membership.role, family=thread.family,
                     subject_user=proposal.user, target=proposal, request=request,
                     details={"thread": thread.pk, "answered_at": iso(answer.answered_at)})
        if not accept:
            _close(proposal, ParticipantProposal.Status.DECLINED, by=user)
            return proposal
        needed = {m.user_id for m in consenting_parents(thread=thread)}
        answers = list(ProposalAnswer.objects.filter(proposal=proposal).select_related("user")
                       .order_by("answered_at", "pk"))
        if needed <= {a.user_id for a in answers if a.accepted}:
            _add(proposal, thread=thread, actor=user, acting_role=access.membership.role,
                 answers=[a for a in answers if a.user_id in needed], request=request)
            _close(proposal, ParticipantProposal.Status.ADDED, by=user)
    return proposal


def _close(proposal: ParticipantProposal, status: str, *, by) -> None:
    proposal.status, proposal.closed_at, proposal.closed_by = status, timezone.now(), by
    ParticipantProposal.objects.filter(pk=proposal.pk).update(status=status, closed_at=proposal.closed_at,
                                                              closed_by=by)


def _add(proposal: ParticipantProposal, *, thread: Thread, actor, acting_role: str, answers, request) -> None:
    relative = (Membership.objects.active()
                .filter(family_id=thread.family_id, user_id=proposal.user_id, role=Role.RELATIVE).first())
    if relative is None:  # left the family meanwhile (the proposal should have lapsed with it)
        raise Invalid(_("%(name)s hoort niet meer bij dit gezin.") % {"name": proposal.user.display_name})
    row = ThreadParticipant.objects.filter(thread=thread, user_id=proposal.user_id).first()
    before = NONE if row is None else WRITE if row.can_write else READ
    after = WRITE if proposal.can_write else READ
    [entry] = entries_append(thread_id=thread.pk, entries=[(actor, change_record(
        user=proposal.user, role=Role.RELATIVE, before=before, after=after, history=proposal.with_history,
        proposal=proposal, consent=answers))])
    if row is None:
        visible_from = 1 if proposal.with_history else entry.seq
        ThreadParticipant.objects.create(thread=thread, user_id=proposal.user_id,
                                         can_write=proposal.can_write, added_by=proposal.proposed_by,
                                         visible_from_seq=visible_from)
        if visible_from > 1:
            # Unread counts and read marks start at their entry, not at the first record.
            cursor, _created = ThreadCursor.objects.select_for_update().get_or_create(
                thread=thread, user_id=proposal.user_id)
            if cursor.read_seq < visible_from - 1:
                ThreadCursor.objects.filter(pk=cursor.pk).update(read_seq=visible_from - 1)
    else:
        ThreadParticipant.objects.filter(pk=row.pk).update(can_write=proposal.can_write)
    audit_record(action=actions.THREAD_PARTICIPANT_SET, actor=actor, acting_role=acting_role,
                 family=thread.family, subject_user=proposal.user, target=thread, request=request,
                 details={"old": before, "new": after, "proposal": proposal.pk,
                          "proposed_by": proposal.proposed_by_id,
                          "history": "all" if proposal.with_history else "from_here",
                          "consent": [a.user_id for a in answers]})
    broadcast_on_commit(user_group(proposal.user_id), {"type": "access.changed"})


@records_denials("manage_thread_participants", locate=proposal_located, id_kw="proposal_id", user_kw="actor")
def proposal_withdraw(*, actor, proposal_id, request=None) -> ParticipantProposal:
    """A practitioner of the family withdraws an open proposal: nobody can answer it any more."""
    with transaction.atomic():
        access, proposal = _proposal_locked(user=actor, proposal_id=proposal_id)
        if not can(access.membership, Action.MANAGE_THREAD_PARTICIPANTS):
            raise PermissionDenied(_("Alleen een begeleider van dit gezin kan een voorstel intrekken."))
        if proposal.status != ParticipantProposal.Status.OPEN:
            raise _closed(proposal)
        _close(proposal, ParticipantProposal.Status.WITHDRAWN, by=actor)
        audit_record(action=actions.THREAD_PARTICIPANT_PROPOSAL_WITHDRAWN, actor=actor,
                     acting_role=access.membership.role, family=access.thread.family,
                     subject_user=proposal.user, target=proposal, request=request,
                     details={"thread": access.thread.pk})
    return proposal

