"""What a parent reads while typing (the tone.result frame): a short tip per reason the tone check
found, that coaches toward a BIFF message (brief, informative, friendly, firm). Only the writer sees
these; nothing of it is stored. The tips are Dutch msgids with English translations (locale/)."""

from __future__ import annotations

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from moderation.tone import assess

TEXT_MAX_CHARS = 5000  # more is cut off before the check: a tip needs no more

# One tip per reason tag of moderation.tone.REASONS (docs/TONE.md); "learned" has a general tip.
TIPS = {
    "threat": _("Dit kan als een dreiging overkomen. Schrijf alleen wat je wilt afspreken, zonder te "
                "zeggen wat er anders gebeurt."),
    "stalking": _("Schrijf niet over waar de ander is of wat die doet. Houd het bij de afspraak over de "
                  "kinderen."),
    "insult": _("Laat scheldwoorden weg. Schrijf wat je nodig hebt; dat komt beter aan."),
    "contempt": _("Een oordeel over de ander als ouder maakt het gesprek moeilijker. Schrijf over wat er "
                  "moet gebeuren."),
    "child_pressure": _("Laat de kinderen erbuiten: schrijf het rechtstreeks aan de andere ouder, niet via "
                        "of over de kinderen."),
    "blame": _("Een verwijt maakt de ander boos. Schrijf wat je vraagt of voorstelt, niet wat de ander "
               "fout deed."),
    "absolutes": _("Woorden als 'altijd' en 'nooit' klinken als een aanval. Noem het ene geval waar het "
                   "om gaat."),
    "sarcasm": _("Sarcasme wordt vaak verkeerd gelezen. Zeg het liever gewoon en vriendelijk."),
    "demand": _("Geef de ander tijd om te antwoorden. Zeg wanneer je een antwoord nodig hebt en waarom."),
    "lecturing": _("Dit klinkt als een preek. Houd het kort: wat, wanneer, wie."),
    "shouting": _("Hoofdletters lezen als schreeuwen. Schrijf gewoon in kleine letters."),
    "exclamations": _("Veel uitroeptekens klinken boos. Eén punt is genoeg."),
    "profanity": _("Laat grove woorden weg; dan gaat het over de zaak en niet over de toon."),
    "legal": _("Dat mag je zeggen. Schrijf het rustig en zakelijk, zonder het als dreigement te brengen."),
    "learned": _("Lees je bericht nog eens: is het kort, duidelijk, vriendelijk en to the point?"),
}
GENERAL = _("Lees je bericht nog eens: is het kort, duidelijk, vriendelijk en to the point?")
MAX_TIPS = 3


def tone_result(*, text: str, ref: str, language: str | None) -> dict:
    """The tone.result frame for `text`, in `language` (the user's; the default when unset).
    ok: no reasons, no tips."""
    assessment = assess(text[:TEXT_MAX_CHARS])
    tips: list[str] = []
    with translation.override(language or settings.LANGUAGE_CODE):
        for reason in assessment.reasons:
            tip = str(TIPS.get(reason, GENERAL))
            if tip not in tips:
                tips.append(tip)
        if assessment.level != "ok" and not tips:
            tips.append(str(GENERAL))
    return {"type": "tone.result", "ref": ref, "level": assessment.level,
            "reasons": list(assessment.reasons), "tips": tips[:MAX_TIPS]}
