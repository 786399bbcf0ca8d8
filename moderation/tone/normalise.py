"""Text normalisation for the tone check: one canonical form that the rules are written against.

What it does, in order:
1. Unicode NFKC, lower case, accents stripped ("egoïstisch" -> "egoistisch"), emoji variation
   selectors and skin tones dropped, lone surrogates and control characters replaced by a space.
2. Reported speech is set apart: text between quotation marks of three words or more, and the
   rest of a clause after "je zei (dat)", "you said (that)", "you called me" and the like, become
   a neutral marker. Words a parent quotes are not their own words. One or two words between
   quotes are kept (scare quotes: "vergeten"), and counted as a sarcasm signal.
3. Apostrophes are removed ("i'll" -> "ill", "m'n" -> "mn"), punctuation becomes separate tokens
   (a run of "!!!" becomes one "!"), letters repeated three times or more are cut to two
   ("nooooit" -> "nooit", "jaaaa" -> "jaa"), and phone shorthand is expanded
   ("mn" -> "mijn", "kheb" -> "ik heb", "ff" -> "even", "im" -> "i am", "wtf" -> "what the fuck").

The result has single spaces between tokens, so the rules can use " " and \\b safely; a clause
boundary is one of the tokens . , ! ? ; : and the rules' word gaps never cross one.
"""

from __future__ import annotations

import functools
import re
import unicodedata


def _words(text: str) -> list[str]:
    return text.split()

QUOTE_MARK = "«q»"  # stands in for reported speech; no rule matches it

# Single-token shorthand, typos and contractions (after apostrophes are removed). Kept small and
# unambiguous: a word that is also a normal word in the other language stays as it is.
TOKEN_MAP: dict[str, str] = {
    # Dutch
    "mn": "mijn", "zn": "zijn", "kheb": "ik heb", "kben": "ik ben", "kga": "ik ga",
    "kzal": "ik zal", "kweet": "ik weet", "kwil": "ik wil", "kan": "kan", "k": "ik", "t": "het",
    "ff": "even", "efkes": "even", "nie": "niet",
    "ni": "niet", "nx": "niks", "gwn": "gewoon", "mss": "misschien", "idd": "inderdaad",
    "wrm": "waarom", "wnr": "wanneer", "vnv": "vanavond", "vndg": "vandaag", "mrgn": "morgen",
    "zsm": "zo snel mogelijk", "aub": "alsjeblieft", "ajb": "alsjeblieft", "jy": "jij",
    "jai": "jij", "wa": "wat", "da": "dat", "gvd": "godverdomme", "kk": "kanker", "fk": "fuck",
    "tis": "het is", "kunnie": "kun je niet", "egoistich": "egoistisch", "egoisties": "egoistisch",
    # English
    "im": "i am", "ive": "i have", "youre": "you are", "ure": "you are", "youll": "you will",
    "youve": "you have", "youd": "you would", "theyre": "they are", "theyll": "they will",
    "hes": "he is", "shes": "she is", "itll": "it will", "ya": "you", "yu": "you", "yoo": "you",
    "gonna": "going to", "wanna": "want to", "gotta": "got to", "cuz": "because", "coz": "because",
    "cos": "because", "bc": "because", "pls": "please", "plz": "please", "thx": "thanks",
    "tnx": "thanks", "thnx": "thanks", "tmrw": "tomorrow", "tmr": "tomorrow", "2moro": "tomorrow",
    "wtf": "what the fuck", "stfu": "shut the fuck up", "gtfo": "get the fuck out",
    "fck": "fuck", "fuk": "fuck", "fcking": "fucking", "fkn": "fucking", "fckn": "fucking",
    "fukin": "fucking", "fuckin": "fucking", "fokking": "fucking", "fking": "fucking",
    "effing": "fucking", "kys": "kill yourself", "r": "are", "bf": "boyfriend",
    "gf": "girlfriend", "b4": "before", "2day": "today", "2nite": "tonight", "tonite": "tonight",
    "whats": "what is", "thats": "that is", "ull": "you will",
}

# "ill" and "id" are "i'll" and "i'd" with the apostrophe lost, except after these words.
_ILL_ADJ_BEFORE = frozenset(
    _words("""
    is was are were be been being feel feels feeling felt very so too quite really seriously
    terminally mentally gets got getting look looks looked become became fell falls bit back home
    off fallen falling
    """)
)
# ...unless a verb follows: "give them back i'll find you" is "back, I will find you".
_VERB_AFTER_ILL = frozenset(_words("""
    be find get kill make do take call see come go have hurt show tell give send pick drop bring let
    never not just try sort ring text pay keep break smash burn destroy ruin end hunt wait stay leave
    put check ask talk speak deal teach report contact also always still probably definitely know
    explain need fucking be
"""))
_ID_NOUN_BEFORE = frozenset(_words("your my his her their the an photo valid with our no"))

_DROP = dict.fromkeys(
    [0xFE0E, 0xFE0F, 0x200B, 0x200C, 0x200D, 0x2060, 0xFEFF] + list(range(0x1F3FB, 0x1F400))
)
_APOSTROPHES = re.compile(r"[\u0027\u2019\u2018\u02bc\u0060\u00b4]")
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff]")
# Quotation marks around at least three words = reported speech. A straight single quote counts
# only where it cannot be an apostrophe (after a space/start, before a space/punctuation/end).
_QUOTED = re.compile(
    r"[\"\u201c\u201d\u201e\u00ab\u00bb]([^\"\u201c\u201d\u201e\u00ab\u00bb\n]{1,400}?)[\"\u201c\u201d\u00bb]"
    r"|(?:(?<=^)|(?<=[\s:(]))[\u0027\u2018]([^\u0027\u2018\u2019\n]{1,400}?)[\u0027\u2019](?=$|[\s.,!?;:)])"
)
# Only at the start of a clause: "je zei dat ...", "... but you said ...", not "kijk uit wat je zegt".
_REPORTED = re.compile(
    r"(^|[.,!?;:]\s+|\b(?:en|and|maar|but|want|toen|when|omdat|because|since)\s+)"
    r"(?:je|jij|u|hij|zij|ze|you|he|she|they)\s+"
    r"(?:zei|zegt|zeggen|zeiden|schreef|schrijft|noemde|noemt|riep|roept|appte|beweerde|beweert|"
    r"said|say|says|wrote|write|writes|called|calls|texted|claimed|claims|yelled|shouted|screamed|"
    r"told\s+me|tells\s+me)"
    r"(?:\s+(?:tegen|to)\s+(?:me|mij|de\s+kinderen|the\s+kids))?"
    r"(?:\s+(?:me|mij))?(?:\s+(?:dat|that|een|a|an))?"
    r"[^.!?;\n]*?(?=$|[.!?;\n]|\s(?:maar|but)\b)"
)
_PUNCT_RUN = re.compile(r"([.,!?;:])[.,!?;:\s]*")
_REPEAT = re.compile(r"([a-z])\1{2,}")
_NON_WORD = re.compile(r"[^\w\s.,!?;:\u00ab\u00bb]+")
_PLAIN_SYMBOLS = frozenset("+=<>|~^$#@&*%/\\_-")


@functools.lru_cache(maxsize=4096)
def _symbol(c: str) -> str:
    """Punctuation (quotes, brackets, dashes) becomes a space; an emoji or other symbol a token."""
    if c in _PLAIN_SYMBOLS or unicodedata.category(c)[0] in "PZC":
        return " "
    return f" {c} "


def _symbols(m: re.Match) -> str:
    # one call per run of symbols, not per symbol: a message of 4,000 emoji stays cheap
    return "".join(map(_symbol, m.group(0)))


def strip_accents(text: str) -> str:
    if text.isascii():  # nothing to decompose (most messages): no pass per character
        return text
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def clean(text: str) -> str:
    """Step 1: a safe lower-case string without accents, controls or lone surrogates."""
    text = _CONTROL.sub(" ", text)
    if text.isascii():  # NFKC leaves ASCII as it is, and _DROP holds no ASCII character
        return text.lower()
    text = unicodedata.normalize("NFKC", text).translate(_DROP)
    return strip_accents(text.lower())


def set_apart_reported_speech(text: str) -> tuple[str, int]:
    """Step 2: replace quoted and reported speech by a neutral marker.

    Returns the new text and the number of scare quotes (one or two quoted words) seen."""
    scare = 0

    def quoted(m: re.Match) -> str:
        nonlocal scare
        inner = m.group(1) if m.group(1) is not None else m.group(2)
        if len(inner.split()) >= 3:
            return f" , {QUOTE_MARK} , "
        scare += 1
        return f" {inner} "

    text = _QUOTED.sub(quoted, text)
    text = _REPORTED.sub(lambda m: f"{m.group(1)} , {QUOTE_MARK} ", text)
    return text, scare


def tokens(text: str) -> list[str]:
    """Step 3: tokens, with apostrophes removed, punctuation and emoji apart, shorthand expanded."""
    text = _APOSTROPHES.sub("", text)
    text = _NON_WORD.sub(_symbols, text)
    text = _PUNCT_RUN.sub(lambda m: f" {m.group(1)} ", text)
    text = _REPEAT.sub(r"\1\1", text)
    raw = text.split()
    out: list[str] = []
    for i, tok in enumerate(raw):
        if tok in ("ill", "id"):
            prev = out[-1].rsplit(" ", 1)[-1] if out else ""
            following = raw[i + 1] if i + 1 < len(raw) else ""
        if tok == "ill" and (prev not in _ILL_ADJ_BEFORE or following in _VERB_AFTER_ILL):
            out.append("i will")
        elif tok == "id" and prev not in _ID_NOUN_BEFORE:
            out.append("i would")
        elif tok == "k" and i + 1 < len(raw) and raw[i + 1] in ("x", "keer"):
            out.append(tok)  # "1 k" is not "ik"
        else:
            out.append(TOKEN_MAP.get(tok, tok))
    return " ".join(out).split()


def normalise(text: str) -> tuple[str, int]:
    """The canonical form the rules match on, and the number of scare quotes."""
    cleaned = clean(text)
    apart, scare = set_apart_reported_speech(cleaned)
    return " ".join(tokens(apart)), scare
