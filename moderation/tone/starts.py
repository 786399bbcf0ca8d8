"""Where a rule can match: the literal texts every match of a pattern starts with, read once from
the pattern, so the rule engine tries a rule only at those places instead of at every character.

Why: a rule's regular expression run over a whole message costs time in proportion to its length,
times ~590 rules: 20 to 80 ms for a message of 4,000 characters, on the chat's hot path. Trying a
rule only where its first words stand makes the cost follow what the message says, not how long
it is (tests/perf/test_tone_speed.py prints the figures).

`starts(pattern)` returns the starts of a pattern as (text, mode, offset), or None when some
match could start with anything (the rule then runs over the whole text, as before):
    "word"   the match starts with `text` where a run of word characters begins (the pattern
             opens with \\b and `text` with a word character): found through the message's index
    "begin"  the match starts with `text` at the start of the message (the pattern opens with ^)
    "any"    the match starts with `text` anywhere (found with str.find)
Only the shapes the lexicons use are read: literals, small character classes, groups and
alternatives, ?, and \\b, ^ and lookarounds (which consume nothing); anything else ends the
literal part of a start (what was read so far stays a start: a shorter start is never wrong,
only less selective). A construct it does not know (a named group, a flag) gives None.
tests/moderation/test_tone.py checks on the labelled set and on random text that every match
a rule has starts where its starts say, so this reader never changes a result.
"""

from __future__ import annotations

import re

# At most this many start texts per group or pattern; past it the literal part ends earlier.
MAX_TEXTS = 256

_ANY = ("any",)  # one character of a class not spelled out (\w, \S, [^...], ., [a-z])
_NOTHING = frozenset({("", None)})


class Unsupported(ValueError):
    pass


def _parse(p: str, i: int = 0, depth: int = 0) -> tuple[list, int]:
    """Alternatives (lists of (node, min, max)) from p[i:] up to the closing ")" or the end."""
    alts: list[list] = [[]]
    while i < len(p):
        c = p[i]
        if c == ")":
            if depth == 0:
                raise Unsupported("unbalanced )")
            return alts, i + 1
        if c == "|":
            alts.append([])
            i += 1
            continue
        if c == "(":
            if p.startswith("(?:", i):
                inner, i = _parse(p, i + 3, depth + 1)
                node = ("group", inner)
            elif p.startswith(("(?=", "(?!"), i):
                _, i = _parse(p, i + 3, depth + 1)
                node = ("zero", "look")
            elif p.startswith(("(?<=", "(?<!"), i):
                _, i = _parse(p, i + 4, depth + 1)
                node = ("zero", "look")
            elif p.startswith("(?", i):
                raise Unsupported(p[i:i + 4])
            else:
                inner, i = _parse(p, i + 1, depth + 1)
                node = ("group", inner)
        elif c == "[":
            j = i + 1
            if j < len(p) and p[j] == "^":
                j += 1
            if j < len(p) and p[j] == "]":
                j += 1
            end = p.index("]", j)
            body = p[i + 1:end]
            i = end + 1
            escapes = body.replace("\\.", "").replace("\\?", "")
            if body.startswith("^") or "-" in body.strip("-") or "\\" in escapes:
                node = _ANY  # negated, a range, or \s \w \d inside: not spelled out
            else:
                node = ("lit", frozenset(body.replace("\\", "")))
        elif c == "\\":
            e = p[i + 1]
            i += 2
            if e == "b":
                node = ("zero", "b")
            elif e == "B":
                node = ("zero", "look")
            elif e in "sSwWdD":
                node = _ANY
            elif e.isalnum():
                raise Unsupported("\\" + e)
            else:
                node = ("lit", frozenset(e))
        elif c == ".":
            node, i = _ANY, i + 1
        elif c == "^":
            node, i = ("zero", "^"), i + 1
        elif c == "$":
            node, i = ("zero", "$"), i + 1
        elif c in "*+?{":
            raise Unsupported("nothing to repeat")
        else:
            node, i = ("lit", frozenset(c)), i + 1
        lo, hi, i = _quantifier(p, i)
        alts[-1].append((node, lo, hi))
    if depth:
        raise Unsupported("unbalanced (")
    return alts, i


def _quantifier(p: str, i: int) -> tuple[int, int | None, int]:
    if i >= len(p) or p[i] not in "?*+{":
        return 1, 1, i
    c = p[i]
    if c == "{":
        end = p.index("}", i)
        lo_s, _, hi_s = p[i + 1:end].partition(",")
        lo = int(lo_s or 0)
        hi = int(hi_s) if "," in p[i + 1:end] and hi_s else (None if "," in p[i + 1:end] else lo)
        i = end + 1
    else:
        lo, hi = {"?": (0, 1), "*": (0, None), "+": (1, None)}[c]
        i += 1
    if i < len(p) and p[i] in "?+":  # lazy or possessive: the same starts
        i += 1
    return lo, hi, i


def _join(a: tuple[str, str | None], b: tuple[str, str | None]) -> tuple[str, str | None]:
    """a followed by b: b's condition on the start counts only while a consumed nothing."""
    text, mode = a
    if text:
        return text + b[0], mode
    if b[1] == "begin" or mode is None:
        return b[0], b[1]
    return b[0], mode


def _node(node) -> tuple[frozenset, bool]:
    """(starts, complete) of one node; complete: every match of it is one of the texts."""
    kind = node[0]
    if kind == "lit":
        return frozenset((c, None) for c in node[1]), True
    if kind == "zero":
        what = node[1]
        if what == "b":
            return frozenset({("", "word")}), True
        if what == "^":
            return frozenset({("", "begin")}), True
        return _NOTHING, what != "$"
    if kind == "group":
        found: set = set()
        complete = True
        for alt in node[1]:
            texts, done = _sequence(alt)
            found |= texts
            complete = complete and done
        if len(found) > MAX_TEXTS:
            return _NOTHING, False
        return frozenset(found), complete
    return _NOTHING, False  # _ANY


def _sequence(items: list) -> tuple[frozenset, bool]:
    current: frozenset = _NOTHING
    for node, lo, hi in items:
        texts, complete = _node(node)
        if lo == 0 and hi == 0:
            continue
        if lo == 0:
            if hi != 1:
                return current, False
            texts = texts | _NOTHING
        joined = frozenset(_join(a, b) for a in current for b in texts)
        if len(joined) > MAX_TEXTS:
            return current, False
        current = joined
        if not complete or hi != 1:
            return current, False
    return current, True


_WORD_CHAR = re.compile(r"\w")


def _is_word_char(c: str) -> bool:
    return _WORD_CHAR.match(c) is not None  # the regex engine's own \w, as \b reads it


def starts(pattern: str) -> tuple[tuple[str, str, int], ...] | None:
    """The (text, mode, offset) starts of every match of `pattern`, or None (see the module
    docstring). With an offset, `text` stands that many characters after the match's start: a
    start such as ". nu" (after "(?:^|[.,!?] )") is found by its word "nu", where a run of word
    characters begins, and the match is tried two characters earlier."""
    try:
        alts, _ = _parse(pattern)
    except (Unsupported, ValueError, IndexError):
        return None
    found: set[tuple[str, str, int]] = set()
    for alt in alts:
        texts, _ = _sequence(alt)
        for text, mode in texts:
            if mode == "begin":
                found.add((text, "begin", 0))
            elif not text:
                return None  # this alternative can start with any character
            elif mode == "word" and _is_word_char(text[0]):
                found.add((text, "word", 0))
            else:
                offset = 0
                while offset < len(text) and not _is_word_char(text[offset]):
                    offset += 1
                if 0 < offset < len(text):  # a word character after a non-word one starts a run
                    found.add((text[offset:], "word", offset))
                else:
                    found.add((text, "any", 0))
    return tuple(sorted(found))
