"""How moderation takes part in the parenting plan (parentingplan.extensions), registered in
ModerationConfig.ready(): a parent's comment on a section and their reason for disagreeing are
words to the other parent, so they follow the family's contact mode as chat messages do.

- direct: to the family, with the tone assessment kept beside them; a possible threat is held when
  the family's policy holds threats (and, as in the chat, the family goes to moderated at once);
- moderated: held for a practitioner of the family (release or return, on the plan page);
- indirect: for the author and the practitioners only (a practitioner passes on what is needed in
  a comment of their own).
The caller (parentingplan.services) asks only for parents' and relatives' words."""

from __future__ import annotations

from families.access import WORDS_FAMILY, WORDS_HELD, WORDS_PRACTITIONERS
from moderation import policy
from moderation.models import ContactMode
from moderation.selectors import contact_mode
from moderation.tone import assess
from parentingplan.extensions import Screened, WordsGate

ROUTES = {ContactMode.DIRECT: WORDS_FAMILY, ContactMode.MODERATED: WORDS_HELD,
          ContactMode.INDIRECT: WORDS_PRACTITIONERS}


class ModerationPlanGate(WordsGate):
    name = "moderation"

    def screen(self, *, family_id, author, text):
        mode = contact_mode(family_id=family_id).mode
        assessment = assess(text)
        tone = {"level": assessment.level, "reasons": list(assessment.reasons), "version": assessment.version}
        if mode != ContactMode.DIRECT:
            return Screened(to=ROUTES[mode], tone=tone)
        rules = policy.policies(family_ids=[family_id])[family_id]
        if assessment.level == "threat" and rules.threat_hold:
            policy.threat_escalate(family_id=family_id, sender=author, policy=rules, mode=mode)
            return Screened(to=WORDS_HELD, tone=tone)
        return Screened(to=WORDS_FAMILY, tone=tone)

    def route(self, *, family_id):
        return ROUTES[contact_mode(family_id=family_id).mode]
