"""The rule engine: compiles the lexicons once at import and applies them to one message.

Kept apart from the word lists (lexicon_nl, lexicon_en) so that a change of words never touches
the logic, and the logic is read in one place: negation scopes, the checks on the raw text
(shouting, bursts of exclamation marks), absolutes aimed at the reader, and the level.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from types import ModuleType

from . import lexicon_en, lexicon_nl
from .model import MODEL, THRESHOLD, features
from .normalise import QUOTE_MARK
from .starts import starts


def _words(text: str) -> list[str]:
    return text.split()

# One word token in the normalised text: never punctuation, so a gap never crosses a clause.
W = r"[^\s.,!?;:]+"

THREAT_TAGS = ("threat", "stalking")
HOSTILE_TAGS = ("insult", "contempt", "child_pressure")
CAUTION_TAGS = (
    "blame", "absolutes", "sarcasm", "demand", "lecturing", "shouting", "exclamations", "profanity", "legal",
)
LEARNED = "learned"  # the naive Bayes model raised the level; no rule names a reason
ORDER = THREAT_TAGS + HOSTILE_TAGS + CAUTION_TAGS + (LEARNED,)
RANK = {"ok": 0, "caution": 1, "hostile": 2, "threat": 3}

NEGATORS = frozenset(
    _words("""
    niet nooit geen niks niets niemand nergens nimmer not never no nobody noone nothing dont
    doesnt didnt wont wouldnt cant cannot couldnt shouldnt isnt arent aint wasnt werent hardly
    """)
)
_CLAUSE_WORDS = frozenset(
    _words("""
    als if when wanneer dan then maar but want because omdat tenzij unless anders otherwise
    zodat so en and of or
    """)
)
_PUNCT = frozenset(".,!?;:") | {QUOTE_MARK}


@dataclass(frozen=True, slots=True)
class Rule:
    tag: str
    regex: re.Pattern
    # "" never negated; "inside" a negation inside the match; "span" also just after it ("ik sla je
    # niet"); "before" also just before it ("je bent geen idioot")
    neg: str
    weak: bool  # a friendly message outweighs it
    unless: re.Pattern | None
    lang: str
    starts: tuple[tuple[str, str, int], ...] | None  # where every match starts (starts.py); None: anywhere


def _macros(module: ModuleType) -> dict[str, str]:
    macros = {k: v for k, v in vars(module).items() if k.isupper() and isinstance(v, str)}
    macros["W"] = W
    return macros


def _compile(module: ModuleType, lang: str) -> list[Rule]:
    macros = _macros(module)
    rules = []
    for entry in module.RULES:
        tag, pattern = entry[0], entry[1]
        opts = entry[2] if len(entry) > 2 else {}
        if tag not in ORDER:
            raise ValueError(f"unknown tone reason {tag!r} in {module.__name__}")
        unless = opts.get("unless")
        rules.append(Rule(
            tag=tag,
            regex=re.compile(pattern % macros),
            neg=opts.get("neg", ""),
            weak=bool(opts.get("weak", False)),
            unless=re.compile(unless % macros) if unless else None,
            lang=lang,
            starts=starts(pattern % macros),
        ))
    return rules


# Both languages run on every message: parents mix them ("wtf", "loser", "fuck off" in Dutch).
RULES: tuple[Rule, ...] = tuple(_compile(lexicon_nl, "nl") + _compile(lexicon_en, "en"))

POSITIVE = re.compile(
    r"(?:🎉|🥳|😍|❤|♥|😊|😄|😀|😁|👍|🙏|💕|💖|🥰|😘|🤗|💪|🌸|☀|"
    r"\b(?:gefeliciteerd|hoera|yay|woohoo|woo hoo|jippie|geweldig|trots|proud|congrats|congratulations|"
    r"amazing|awesome|thank you|thanks|bedankt|dank je|dankjewel|dankje|leuk|fijn|super|lief|lovely|"
    r"fantastic|brilliant|great news|goed nieuws|yes|jaa|jaaa)\b)"
)

# Absolutes aimed at the reader: "je doet ALTIJD", "you never". Not "you can always call me",
# "ik kom nooit te laat", "i'll never forget how good you were".
_ABSOLUTE = frozenset(["altijd", "nooit", "steeds", "telkens", "always", "never", "constantly"])
_ABSOLUTE_FIRST = frozenset(["elke", "iedere", "every", "each"])
_ABSOLUTE_SECOND = frozenset(["keer", "time", "single"])
_YOU = frozenset(_words("je jij jou jouw u jullie jezelf you your ur yours yourself"))
_POSITIVE_ABSOLUTE = frozenset(_words("altijd always steeds telkens"))
_ME = frozenset(["ik", "i", "we", "wij"])
_MAY = frozenset(["kun", "kunt", "kan", "mag", "mogen", "moogt", "can", "could", "may"])
_KIND_AFTER = frozenset(
    _words("""
    bellen call ask vragen welkom welcome rekenen count rely terecht langskomen come appen text
    """)
)


def _absolute_aimed_at_reader(toks: list[str]) -> bool:
    n = len(toks)
    for i, tok in enumerate(toks):
        pair = tok in _ABSOLUTE_FIRST and i + 1 < n and toks[i + 1] in _ABSOLUTE_SECOND
        if not (tok in _ABSOLUTE or pair):
            continue
        # the clause around it
        lo = i
        while lo > 0 and toks[lo - 1] not in _PUNCT and i - lo < 5:
            lo -= 1
        hi = i
        while hi + 1 < n and toks[hi + 1] not in _PUNCT and hi - i < 4:
            hi += 1
        before, after = toks[lo:i], toks[i + 1:hi + 1]
        if not (_YOU & set(before) or _YOU & set(after)):
            continue
        if tok in _POSITIVE_ABSOLUTE and (_MAY & set(before[-3:]) or (after and after[0] in _KIND_AFTER)):
            continue
        # "ik ben altijd", "i would never": the speaker speaks of themselves
        last_me = max((j for j, t in enumerate(before) if t in _ME), default=-1)
        last_you = max((j for j, t in enumerate(before) if t in _YOU), default=-1)
        if last_me > last_you:
            continue
        return True
    return False


def _negated(rule: Rule, text: str, m: re.Match) -> bool:
    if not rule.neg:
        return False
    if NEGATORS.intersection(m.group(0).split()):
        return True
    if rule.neg == "inside":
        return False
    after = text[m.end():m.end() + 60].split()[:2]
    for tok in after:
        if tok in _PUNCT or tok in _CLAUSE_WORDS:
            break
        if tok in NEGATORS:
            return True
    if rule.neg == "before":
        before = text[max(0, m.start() - 60):m.start()].split()[-3:]
        for tok in reversed(before):
            if tok in _PUNCT:
                break
            if tok in NEGATORS:
                return True
    return False


# The index of where the rules can match (starts.py), built once: a rule is tried only at the
# places where one of its starts stands, found through the first KEY_CHARS characters of each
# run of word characters in the message, so the cost follows what a message says, not its length.
# Where a start stands, all its rules are first tried together (_screen): at most places none of
# them matches, and then that costs one call instead of one per rule (tests/perf: the tone check
# was an eighth of the chat's interpreter time; 46 rules were tried on the benchmark's message, 5 now).
KEY_CHARS = 8
# Past this many places, a rule runs once over the text from its first place (one pass in C is
# cheaper than many calls from Python): a message that repeats one phrase costs at most that.
MAX_PLACES = 128


def _index(rules: tuple[Rule, ...]):
    """The word keys, the find texts, each begin text with the rules of it and of the begin texts it
    starts with, each rule's own starts, the word keys each word key starts with, and the groups:
    the rules of each (word key or find text, offset), which are screened together (_screen)."""
    by_begin: dict[str, set[int]] = {}
    groups: dict[tuple[str, int], set[int]] = {}
    word_keys: set[str] = set()
    find_texts: set[str] = set()
    keys: list[tuple[tuple[tuple[str, int], ...], tuple[str, ...], tuple[str, ...]]] = []
    for i, rule in enumerate(rules):
        word, find, begin = set(), set(), set()
        for text, mode, offset in rule.starts or ():
            if mode == "word":
                word.add((text[:KEY_CHARS], offset))
                word_keys.add(text[:KEY_CHARS])
                groups.setdefault((text[:KEY_CHARS], offset), set()).add(i)
            elif mode == "begin":
                begin.add(text)
                by_begin.setdefault(text, set()).add(i)
            else:
                find.add(text)
                find_texts.add(text)
                groups.setdefault((text, 0), set()).add(i)
        keys.append((tuple(sorted(word)), tuple(sorted(find)), tuple(sorted(begin))))
    # The word keys that begin each word key (itself included): where the longest of them stands,
    # all of these stand too. The same for the begin texts.
    chains = {k: tuple(k[:n] for n in range(1, len(k) + 1) if k[:n] in word_keys) for k in word_keys}
    begin_chains = {k: frozenset().union(*(by_begin[k[:n]] for n in range(len(k) + 1) if k[:n] in by_begin))
                    for k in by_begin}
    offsets: dict[str, list[int]] = {}
    for key, offset in sorted(groups):
        offsets.setdefault(key, []).append(offset)
    return (frozenset(word_keys), tuple(sorted(find_texts)), begin_chains, tuple(keys), chains, offsets,
            groups)


def _trie(words: set[str]) -> str:
    """An expression matching the longest of `words` that begins where it is tried: the words as a
    tree of shared beginnings, so the engine reads each character once instead of trying every
    word in turn."""
    tree: dict = {}
    for word in words:
        node = tree
        for c in word:
            node = node.setdefault(c, {})
        node[""] = {}

    def branch(node: dict) -> str:
        children = sorted(c for c in node if c)
        if not children:
            return ""
        alts = [re.escape(c) + branch(node[c]) for c in children]
        body = alts[0] if len(alts) == 1 else "(?:" + "|".join(alts) + ")"
        # Where a word ends, a longer one is tried first (greedy), then this one.
        return "(?:" + body + ")?" if "" in node else body

    return branch(tree)


_WORD_KEYS, _FIND_TEXTS, _BY_BEGIN, _KEYS, _KEY_CHAINS, _OFFSETS, _GROUPS = _index(RULES)
_EVERYWHERE = frozenset(i for i, rule in enumerate(RULES) if rule.starts is None)
# Where a run of word characters begins, the longest word key standing there (group 1): one pass
# of the regex engine over the message instead of a Python loop over every word's beginnings.
_WORD_KEY_AT = re.compile(r"\b(?=(" + _trie(set(_WORD_KEYS)) + "))")
# The longest begin text the message starts with: the rules of it and of the shorter ones in it.
_BEGIN_AT = re.compile(_trie(set(_BY_BEGIN)))
_SCREENS: dict[tuple[str, int], re.Pattern] = {}
# The rules that may start anywhere, as one expression searched once: where it finds nothing,
# none of them can match and none runs its own pass over the message.
_EVERYWHERE_SCREEN = re.compile("|".join(f"(?:{RULES[i].regex.pattern})" for i in sorted(_EVERYWHERE)))


def _screen(group: tuple[str, int]) -> re.Pattern:
    """One expression that matches at a place exactly when one of the rules of `group` (the rules
    with this start text at this offset) matches there: their patterns as alternatives, so a place
    where none of them matches costs one call into the regex engine instead of one per rule.
    Compiled the first time a message has the start (most never come up)."""
    screen = _SCREENS.get(group)
    if screen is None:
        members = sorted(_GROUPS[group])
        if len(members) == 1:
            screen = RULES[members[0]].regex
        else:
            screen = re.compile("|".join(f"(?:{RULES[i].regex.pattern})" for i in members))
        _SCREENS[group] = screen
    return screen


def _places(norm: str) -> tuple[dict[tuple[str, int], list[int]], set[int]]:
    """Where each start (a word key or a find text, with its offset) stands in `norm` and one of its
    rules matches (ascending; a start with more than MAX_PLACES places keeps them all, unscreened),
    and the rules that may match at all."""
    at: dict[str, list[int]] = {}
    for m in _WORD_KEY_AT.finditer(norm):
        pos = m.start()
        for key in _KEY_CHAINS[m.group(1)]:
            found = at.get(key)
            if found is None:
                at[key] = [pos]
            else:
                found.append(pos)
    for text in _FIND_TEXTS:
        pos = norm.find(text)
        if pos < 0:
            continue
        found = at[text] = []
        while pos >= 0 and len(found) <= MAX_PLACES:
            found.append(pos)
            pos = norm.find(text, pos + 1)
    alive: dict[tuple[str, int], list[int]] = {}
    may = set(_EVERYWHERE) if _EVERYWHERE and _EVERYWHERE_SCREEN.search(norm) else set()
    for key, found in at.items():
        for offset in _OFFSETS[key]:
            group = (key, offset)
            if len(found) > MAX_PLACES:
                kept = found
            else:
                match = _screen(group).match
                kept = [pos for pos in found if pos >= offset and match(norm, pos - offset)]
            if kept:
                alive[group] = kept
                may |= _GROUPS[group]
    begin = _BEGIN_AT.match(norm)
    if begin is not None:
        may |= _BY_BEGIN[begin.group(0)]
    return alive, may


def _tried_at(regex: re.Pattern, norm: str, places: list[int]):
    """The matches regex.finditer(norm) yields, when every one of them starts at one of `places`:
    the leftmost first, then each next one from where the last ended."""
    end = 0
    for pos in places:
        if pos < end:
            continue
        m = regex.match(norm, pos)
        if m is not None:
            yield m
            end = max(m.end(), pos + 1)


def _matches(i: int, rule: Rule, norm: str, at: dict[tuple[str, int], list[int]]):
    if rule.starts is None:
        return rule.regex.finditer(norm)
    word, find, begin = _KEYS[i]
    lists = [(at[pair], pair[1]) for pair in word if pair in at]
    lists += [(at[(text, 0)], 0) for text in find if (text, 0) in at]
    if sum(len(found) for found, _ in lists) > MAX_PLACES:
        return rule.regex.finditer(norm, min(max(0, found[0] - offset) for found, offset in lists))
    places = {pos - offset for found, offset in lists for pos in found if pos >= offset}
    if any(norm.startswith(text) for text in begin):
        places.add(0)
    return _tried_at(rule.regex, norm, sorted(places))


def match_rules(norm: str, *, prefilter: bool = True) -> tuple[dict[str, bool], frozenset[str]]:
    """{tag: strong} for every rule that fires on the normalised text (strong wins over weak), and
    the tags of rules that matched but were negated ("ik ga je heus niet slaan").

    With prefilter (the default) a rule is tried only where it can start (see _index); without,
    every rule runs over the whole text: the same result, slower (the tests compare the two)."""
    found: dict[str, bool] = {}
    negated: set[str] = set()
    at, may = _places(norm) if prefilter else ({}, range(len(RULES)))
    for i in sorted(may):  # in the rules' order, only those that may match
        rule = RULES[i]
        if found.get(rule.tag):
            continue
        for m in _matches(i, rule, norm, at) if prefilter else rule.regex.finditer(norm):
            if _negated(rule, norm, m):
                negated.add(rule.tag)
                continue
            if rule.unless is not None and rule.unless.search(norm):
                break
            found[rule.tag] = found.get(rule.tag, False) or not rule.weak
            break
    return found, frozenset(negated)


_WORD = re.compile(r"[^\W\d_]{2,}")
# Searched, never matched whole: "[!?]*(?:\?!|!\?)[!?]*" found the same places, but took time in
# the square of the length on a run of question marks.
_BURST = re.compile(r"!!!|\?!|!\?")
_DOUBLE = re.compile(r"!!")


def surface(text: str) -> dict[str, bool]:
    """Signals read from the raw text: shouting (mostly capitals) and bursts of exclamation marks."""
    found: dict[str, bool] = {}
    words = _WORD.findall(text)
    letters = sum(len(w) for w in words)
    upper = sum(map(str.isupper, "".join(words)))  # counted in C, not a generator per letter
    caps_words = sum(1 for w in words if len(w) >= 3 and w.isupper())
    if (upper >= 5 and upper >= 0.6 * letters) or (caps_words >= 3 and upper >= 0.3 * letters):
        found["shouting"] = False  # weak: "GEFELICITEERD SCHAT" is not shouting at anyone
    if _BURST.search(text) or len(_DOUBLE.findall(text)) >= 2:
        found["exclamations"] = False
    return found


# The model may raise a level only for a message to or about the reader or the children.
_GUARD_WORDS = frozenset(
    _words("je jij jou jouw u jullie jezelf you your ur yours yourself kinderen kids children")
)


def decide(norm: str, raw: str, scare_quotes: int, *, use_model: bool = True) -> tuple[str, list[str]]:
    found, negated = match_rules(norm)
    level, reasons = _decide_by_rules(found, norm, raw, scare_quotes)
    if not use_model or MODEL is None or level == "threat":
        return level, reasons
    words = features(norm)
    if not words & _GUARD_WORDS or POSITIVE.search(norm) or negated & _SEVERE:
        return level, reasons
    p = MODEL.probabilities(words)
    top = max(p, key=p.__getitem__)
    if p[top] < THRESHOLD or RANK[top] <= RANK[level]:
        return level, reasons
    extra = ["threat"] if top == "threat" else []
    return top, [t for t in ORDER if t in set(reasons) | set(extra) | {LEARNED}]


_SEVERE = frozenset(THREAT_TAGS + HOSTILE_TAGS)


def _decide_by_rules(
    found: dict[str, bool], norm: str, raw: str, scare_quotes: int
) -> tuple[str, list[str]]:
    for tag, strong in surface(raw).items():
        found[tag] = found.get(tag, False) or strong
    if _absolute_aimed_at_reader(norm.split()):
        found.setdefault("absolutes", False)
    if scare_quotes:
        found.setdefault("sarcasm", False)
    if "stalking" in found:
        found["threat"] = True

    if any(t in found for t in THREAT_TAGS):
        level = "threat"
    elif any(t in found for t in HOSTILE_TAGS):
        level = "hostile"
    else:
        caution = [t for t in CAUTION_TAGS if t in found]
        strong = any(found[t] for t in caution)
        if strong or (caution and not POSITIVE.search(norm)):
            level = "caution"
        else:
            return "ok", []
    return level, [t for t in ORDER if t in found]
