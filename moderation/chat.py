"""How moderation takes part in the chat (messaging.extensions), registered in ModerationConfig.ready().

The send gate: for a batch of sends, the contact modes and escalation policies of the families whose
parents' thread is written in come with the sends' own access check (family_sql: no query of their
own) when it got the threads' locks without waiting; a send that had to wait comes without them and
they are read here, after the lock, in ONE query (so a switch to moderated committed while the send
waited holds it: messaging.selectors.threads_access). Only practitioners are exempt (they only
read there); then
- direct: nothing changes;
- moderated: the sends of parents and relatives are held for review (moderation.services.drafts_hold);
- indirect: they are refused (forbidden) with a kind explanation of where to write instead.
"""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from audit import actions
from audit.services import audit_practitioner_view
from core.errors import PermissionDenied
from families.access import Action, can
from messaging.extensions import ChatExtension, Held, ScreenedSend
from messaging.models import Message, Thread
from moderation import frames, policy, records, services
from moderation.models import ContactMode, Draft, MessageTone, Relay
from moderation.selectors import (
    contact_mode,
    draft_state,
    family_state_of,
    family_state_sql,
    modes_and_policies,
    sender_drafts,
)
from moderation.tone import assess

INDIRECT_REFUSAL = _(
    "Jullie schrijven elkaar nu niet rechtstreeks. Schrijf je begeleider in je eigen gesprek; die geeft door "
    "wat nodig is. Je bericht is niet verstuurd.")

RELAY_CANDIDATES = 20  # the other parent's newest messages offered as sources on the relay form


# What a parent reads when a practitioner returned their message, per reason code: kind and plain.
PARENT_REASONS = {
    "blame": _("Je begeleider denkt dat dit bericht als een verwijt kan overkomen."),
    "child_pressure": _("Je begeleider denkt dat dit bericht de kinderen ertussen zet."),
    "off_topic": _("Je begeleider denkt dat dit bericht niet over de kinderen of jullie afspraken gaat."),
    "too_long": _("Je begeleider denkt dat dit bericht te lang is om goed te lezen."),
    "insult": _("Je begeleider denkt dat dit bericht woorden bevat die de ander kwetsen."),
    "threat": _("Je begeleider denkt dat dit bericht als dreigend kan worden gelezen."),
    "other": _("Je begeleider heeft dit bericht teruggestuurd."),
}


TONE_HINT_LEVELS = {
    "caution": _("Even checken: zo kan je bericht verkeerd overkomen."),
    "hostile": _("Dit bericht kan de ander kwetsen."),
    "threat": _("Dit bericht kan als dreigend overkomen."),
}


def chat_labels(*, for_practitioner: bool, tone_check: bool = False) -> dict:
    """The chat page's texts for held messages, outcomes and relays (chat-moderation.js)."""
    text = {
        "held": _("wacht op beoordeling"),
        "returned": _("teruggestuurd, niet verstuurd"),
        "rephrase_proposed": _("je begeleider stelt een andere tekst voor"),
        "returnedWhy": _("Je begeleider heeft dit bericht teruggestuurd."),
        "noteIntro": _("Je begeleider schrijft:"),
        "tryAgain": _("De andere ouder heeft dit bericht niet gekregen. Je kunt het anders opschrijven en "
                      "opnieuw versturen."),
        "proposalIntro": _("Je begeleider stelt voor om het zo te versturen:"),
        "accept": _("Zo versturen"),
        "decline": _("Liever niet"),
        "rephrased": _("Herschreven met jouw akkoord"),
        "relayed": _("Doorgegeven bericht") if for_practitioner else _("Doorgegeven door je begeleider"),
        "relayedFrom": _("Uit {n} bericht(en) van de andere ouder"),
        "offline": _("Geen verbinding. Probeer het zo opnieuw."),
    }
    labels = {k: str(v) for k, v in text.items()}
    labels["reasons"] = {k: str(v) for k, v in PARENT_REASONS.items()}
    if tone_check:  # a parent or relative writing in the parents' thread: the hint while typing
        labels["toneCheck"] = True
        labels["toneLevels"] = {k: str(v) for k, v in TONE_HINT_LEVELS.items()}
        labels["toneStill"] = str(_("Je kunt het zo versturen, of het eerst aanpassen."))
    return labels


def _watched(send: ScreenedSend) -> bool:
    return send.thread.kind == Thread.Kind.PARENTS and not send.membership.is_practitioner


class ModerationChat(ChatExtension):
    name = "moderation"

    def screen(self, sends):
        outcomes: list = [None] * len(sends)
        watched = [i for i, send in enumerate(sends) if _watched(send)]
        if not watched:
            return outcomes
        modes, rules = self._family_states([sends[i] for i in watched])
        limited = {(sends[i].thread.family_id, sends[i].sender.pk) for i in watched
                   if rules[sends[i].thread.family_id].daily_message_limit is not None}
        today = policy.sent_today(pairs=limited)  # one query, only when a family has a daily limit
        hold, threats = [], {}
        for i in watched:
            send = sends[i]
            family_id = send.thread.family_id
            mode = modes.get(family_id, ContactMode.DIRECT)
            if mode == ContactMode.INDIRECT:
                outcomes[i] = PermissionDenied(INDIRECT_REFUSAL)
                continue
            key = (family_id, send.sender.pk)
            refusal = policy.limit_refusal(rules[family_id], chars=len(send.body), today=today.get(key, 0))
            if refusal is not None:
                outcomes[i] = refusal
                continue
            if key in today:
                today[key] += 1
            # Every parent's message in the parents' thread is assessed once, here: a held one keeps
            # it in its draft, a delivered one in MessageTone (delivered(), below).
            assessment = sends[i].notes[self.name] = assess(send.body)
            threat = assessment.level == "threat" and rules[family_id].threat_hold
            if mode == ContactMode.MODERATED or threat:
                hold.append(i)
            if threat:
                threats.setdefault(key, (send.sender, mode))
                # The family is moderated from this send on: the later sends of this batch (either
                # parent's) are held too, as they would be one batch later.
                modes[family_id] = ContactMode.MODERATED
        if hold:
            for i, held in zip(hold, services.drafts_hold([sends[i] for i in hold]), strict=True):
                outcomes[i] = held
        for (family_id, _sender_id), (sender, mode) in threats.items():
            policy.threat_escalate(family_id=family_id, sender=sender, policy=rules[family_id], mode=mode)
        return outcomes

    def family_sql(self, *, family, alias):
        return family_state_sql(family=family, alias=alias)

    def _family_states(self, sends):
        """The contact modes (families never changed are absent: direct) and the escalation policies
        of the sends' families: as read with their access check, else in one query."""
        modes, rules, missing = {}, {}, set()
        for send in sends:
            family_id = send.thread.family_id
            values = send.family.get(self.name)
            if values is None:
                missing.add(family_id)
                continue
            mode, rules[family_id] = family_state_of(family_id, values)
            if mode is not None:
                modes[family_id] = mode
        if missing:
            read_modes, read_rules = modes_and_policies(family_ids=missing)
            modes.update(read_modes)
            rules.update(read_rules)
        return modes, rules

    def delivered(self, sends, messages):
        # Stored in the messages' own statement (core.db.insert_rows), each keyed by its message.
        rows = []
        for send, message in zip(sends, messages, strict=True):
            assessment = send.notes.get(self.name)
            if assessment is not None:
                tone = MessageTone(family_id=send.thread.family_id, sender_id=send.sender.pk,
                                   sent_at=message.sent_at, level=assessment.level,
                                   reasons=list(assessment.reasons), version=assessment.version)
                rows.append((tone, "message", message))
        return rows

    def resent(self, *, thread_id, sender, client_id):
        draft = (Draft.objects.select_related("sender")
                 .filter(thread_id=thread_id, sender=sender, client_id=client_id).first())
        if draft is None:
            return None
        return Held(frame=frames.held_message(draft, state=draft_state(draft)))

    def history(self, *, user, access, messages):
        membership, thread = access.membership, access.thread
        if thread.kind == Thread.Kind.PARENTS and not membership.is_practitioner:
            drafts = sender_drafts(thread_id=thread.pk, sender_id=user.pk)
            return {"drafts": [frames.sender_draft(d, draft_state(d)) for d in drafts]}
        if membership.is_practitioner and thread.kind == Thread.Kind.PRIVATE:
            relayed = [m.pk for m in messages if m.state == Message.State.RELAYED]
            if not relayed:
                return {"relays": {}}
            return {"relays": {str(r.message_id): [s["id"] for s in r.sources]
                               for r in Relay.objects.filter(message_id__in=relayed)}}
        return {}

    def export(self, *, membership, thread, messages):
        return records.thread_export_extra(membership=membership, thread=thread, messages=messages)

    def export_templates(self):
        return ["moderation/_export_records.html"]

    def page(self, *, request, access):
        membership, thread = access.membership, access.thread
        state = contact_mode(family_id=thread.family_id)
        parent_side = not membership.is_practitioner
        blocks = ContactMode.INDIRECT if thread.kind == Thread.Kind.PARENTS and parent_side else ""
        own = None
        if blocks:
            own = Thread.objects.filter(family_id=thread.family_id, kind=Thread.Kind.PRIVATE,
                                        owner_id=membership.user_id).first()
        panels = [{
            "slot": "head", "template": "moderation/_chat_mode.html", "family_id": thread.family_id,
            "mode": state.mode, "for_practitioner": membership.is_practitioner, "blocks": blocks,
            "own_thread": own, "modes": ContactMode.values,
            "labels": chat_labels(for_practitioner=membership.is_practitioner,
                                  tone_check=thread.kind == Thread.Kind.PARENTS and parent_side),
            # Practitioners reading the parents' thread: the way to the messages waiting for them.
            "review_link": thread.kind == Thread.Kind.PARENTS and can(membership, Action.MODERATE),
        }]
        if membership.is_practitioner and thread.kind == Thread.Kind.PRIVATE:
            panels.append(self._relay_panel(request, access))
        return {"panels": panels, "compose_blocked": bool(blocks) and state.mode == blocks}

    def _relay_panel(self, request, access):
        """The relay form in a parent's private thread: the newest messages of the other parents'
        private threads to choose from (a practitioner reading them: in the access log)."""
        thread = access.thread
        others = []
        for other in (Thread.objects.filter(family_id=thread.family_id, kind=Thread.Kind.PRIVATE)
                      .exclude(pk=thread.pk).select_related("owner").order_by("pk")):
            newest = list(Message.objects.filter(thread=other).select_related("sender")
                          .order_by("-seq")[:RELAY_CANDIDATES])
            if newest:
                audit_practitioner_view(action=actions.THREAD_VIEWED, membership=access.membership,
                                        target=other, request=request)
            others.append({"thread": other, "owner": other.owner, "messages": list(reversed(newest)),
                           "url": reverse("messaging:thread", args=[other.pk])})
        return {"slot": "foot", "template": "moderation/_relay_form.html", "recipient": thread.owner,
                "others": others}

    def verify(self, thread):
        return records.verify_thread_records(thread)
