"""Dutch or English: counted from short function words, which every message has.

A dictionary of common words per language is enough for two languages and takes microseconds;
a general language identifier (fastText, lingua) is large and slow for this. Mixed messages
("sorry, ik ben late, traffic") go to the language with more of its words; a tie, or a message
without words (only emoji), is Dutch, the platform's default language.
"""

from __future__ import annotations

import re


def _words(text: str) -> list[str]:
    return text.split()

NL_WORDS = frozenset(
    _words("""
    de het een en ik je jij jou jouw niet dat die van op te met voor zijn maar ook wel nog naar
    om heb hebt ben bent wat als bij kan kun kunt wil wilt moet moeten geen hij zij ze wij mijn
    zijn er hier daar nu dan toch even hoor nee ja dit deze wie waar waarom wanneer hoe kinderen
    gaat ga weet zo heel echt alleen uur morgen vandaag gisteren weer altijd nooit keer allemaal
    jullie kunnen zal zou zullen heeft hebben wordt worden graag doe doen kom komt komen zeg
    zegt tegen over uit aan door tot zonder niks niets iets maar hun haar hem mij mee zeker
    weekend school ophalen brengen afgesproken oke prima bedankt dank sorry leuk fijn wel vind
    denk gewoon eens even al nou omdat want welke elke iedere zoals meer minder goed slecht
    moeder vader mama papa hallo hoi doei joh
    """)
)
EN_WORDS = frozenset(
    _words("""
    the a an and i you your not are was were that this of on to with for be but also still at
    have has had what if can will would should must no she they my his them there here now then
    just really it its dont cant wont didnt doesnt isnt arent kids going know so very only hour
    tomorrow today yesterday again always never time all do does did come say said please thanks
    sorry where why when how who which from up out about by off get got let lets okay yes yeah
    mum mom dad father mother school weekend pick back after before tonight because than think
    want need their our us any some been being am is were could hello hi usual stupid happen
    happens dead last warning
    """)
) - {"is"}  # "is" is Dutch too


# Without function words (a one-word message: "idiot.", "last warning"), spelling decides:
# letter groups that are frequent in one language and rare in the other.
_NL_SPELLING = re.compile(r"ij|oe|ui|uu|sch|cht|aa|[^e]ee|tje\b|en\b|ig\b|lijk")
_EN_SPELLING = re.compile(r"th|sh|w|y|ck|ing\b|ed\b|ly\b|ou|ea|tion")


def detect(tokens: list[str]) -> str:
    """"nl" or "en" for a normalised token list."""
    nl = en = 0
    for tok in tokens:
        if tok in NL_WORDS:
            nl += 1
        if tok in EN_WORDS:
            en += 1
    if nl == en:
        text = " ".join(tokens)
        nl, en = len(_NL_SPELLING.findall(text)), len(_EN_SPELLING.findall(text))
    return "en" if en > nl else "nl"
