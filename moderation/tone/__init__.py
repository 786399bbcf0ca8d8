"""Tone check for messages between parents, Dutch and English, fully offline.

    from moderation.tone import assess
    a = assess("ik weet waar je woont")
    a.level    # "threat"
    a.reasons  # ["threat", "stalking"]

Levels (LEVELS), from calm to dangerous:
    ok        informative, neutral or friendly, also when firm or saying no
    caution   likely to escalate but not abusive: blame, absolutes as accusation, sarcasm,
              shouting, lecturing, pressure to answer now, swearing at the other's doings,
              a legal step announced (a calm legal step is never more than caution)
    hostile   insults, contempt, demeaning the other as a parent, pressure through the child
    threat    any threat of harm, stalking or intimidation, veiled ones included

Reasons (REASONS), the tags in Assessment.reasons:
    threat          a threat of harm, intimidation or a veiled threat ("je zult het merken")
    stalking        watching, following, knowing where the other is ("ik weet waar je woont")
    insult          name-calling, swearing at the person ("klootzak", "fuck off")
    contempt        looking down on the other, above all as a parent ("slechte moeder")
    child_pressure  the child as messenger or weapon ("zeg maar tegen je moeder...")
    blame           "het is jouw schuld", "because of you", "weer te laat"
    absolutes       always/never aimed at the other ("je doet ALTIJD", "you never")
    sarcasm         "ja hoor", "wat een verrassing", "great job as usual", 🙄
    demand          pressure to answer now ("antwoord NU", "binnen een uur", "answer me")
    lecturing       talking down ("hoe vaak moet ik het nog zeggen", "grow up")
    shouting        mostly capital letters
    exclamations    bursts of exclamation marks ("!!!", "?!")
    profanity       swearing at the other's things or doings ("je kutregeling"); swearing at
                    a train or a printer is fine and gives no reason
    legal           a legal step announced ("ik leg dit voor aan de rechter")
    learned         no rule fired, but the learned model (model.py) is sure the message reads
                    like the caution, hostile or threatening ones it was trained on; with a
                    threat level it comes with "threat" too

An "ok" assessment has no reasons. Language ("nl" or "en") is detected from the text itself;
both languages' rules run on every message, since parents mix them.

How it works (nothing is downloaded, nothing leaves the process): normalise.py makes one
canonical form (lower case, no accents, phone shorthand expanded, quoted and reported speech
set apart); lexicon_nl.py and lexicon_en.py hold the patterns as data; rules.py applies them
with negation scopes ("ik ga je heus niet slaan"), reads capitals and exclamation marks from the
raw text, and picks the level; model.py (naive Bayes over words, model_nb.json) may then only
raise that level when it is sure. A rule is tried only where it can start (starts.py reads that
from its pattern), so the cost follows what a message says rather than its length: a fifth of a
millisecond for a usual message, under 10 ms of CPU for the worst 4,000 characters we found
(tests/perf/test_tone_speed.py). Every character is read: padding cannot hide a threat.

What it does NOT do: understand context across messages, irony without markers, or threats in
wordings no rule and no learned word covers. On batches of messages it had never seen it found
only a quarter to a third of the threats (while flagging no ok message as hostile or threat):
treat its level as a prompt for a person, never as a verdict. Figures: docs/TONE.md and
tests/perf/test_tone_quality.py.

VERSION names the analyser: stored with every assessment, and bumped whenever a rule,
a word list or the normalisation changes (tests/moderation/test_tone.py checks a fingerprint of
the rule tables, so a change without a bump fails). A change that cannot change any result (the
places index of starts.py, proven against a full scan by the tests) updates only the fingerprint.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .language import detect
from .normalise import normalise
from .rules import ORDER, RULES, decide

VERSION = "tone-4"
# sha256 of the rule modules (first 16 hex digits); tests/moderation/test_tone.py compares it.
RULES_FINGERPRINT = "3a0d78e7a32afed7"

LEVELS = ("ok", "caution", "hostile", "threat")

REASONS: dict[str, str] = {
    "threat": "a threat of harm, intimidation or a veiled threat",
    "stalking": "watching, following, knowing where the other is",
    "insult": "name-calling or swearing at the person",
    "contempt": "looking down on the other, above all as a parent",
    "child_pressure": "the child used as messenger or weapon",
    "blame": "blaming the other",
    "absolutes": "always or never aimed at the other",
    "sarcasm": "sarcasm",
    "demand": "pressure to answer now",
    "lecturing": "talking down to the other",
    "shouting": "mostly capital letters",
    "exclamations": "bursts of exclamation marks",
    "profanity": "swearing at the other's things or doings",
    "legal": "a legal step announced",
    "learned": "reads like the hostile or threatening messages the model was trained on",
}
assert tuple(REASONS) == ORDER  # noqa: S101 - one list, documented once

# Longer texts are assessed on their first MAX_CHARS characters: a message is at most 4,000
# (messaging.services.MAX_BODY_CHARS), and a longer draft must not cost more CPU.
MAX_CHARS = 5_000


@dataclass(frozen=True, slots=True)
class Assessment:
    level: str
    reasons: list[str] = field(default_factory=list)
    lang: str = "nl"
    version: str = VERSION

    def as_dict(self) -> dict:
        return {
            "level": self.level, "reasons": list(self.reasons), "lang": self.lang, "version": self.version,
        }


def assess(text: str) -> Assessment:
    """The tone of one message: level, reasons, language. Never raises on any string."""
    return _assess(text, use_model=True)


def _assess(text: str, *, use_model: bool) -> Assessment:
    """assess, optionally without the learned model (the benchmark prints both)."""
    if not isinstance(text, str):
        text = "" if text is None else str(text)
    raw = text[:MAX_CHARS]
    norm, scare_quotes = normalise(raw)
    lang = detect(norm.split())
    level, reasons = decide(norm, raw, scare_quotes, use_model=use_model)
    return Assessment(level=level, reasons=reasons, lang=lang)


__all__ = ["LEVELS", "REASONS", "RULES", "RULES_FINGERPRINT", "VERSION", "Assessment", "assess"]
