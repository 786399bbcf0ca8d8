"""How the family's contact mode reaches a parent's words on the plan, without the plan importing
moderation (the same kind of hook as messaging.extensions; moderation registers one in ready()).

A parent's comment on a section, and their reason for disagreeing with one, are words to the other
parent. `words_screen` is asked once per such write, inside the write's transaction, and answers
where the words go (families.access WORDS_*): "family" (direct contact), "held" (moderated, or a
possible threat the family's policy holds: a practitioner releases or returns them) or
"practitioners" (indirect contact: the author and the practitioners only), with the tone
assessment the plan keeps beside the words. Practitioners' words are never screened: they go where
they chose. Without a registered gate (the plan on its own, in its tests) every word goes to the
family, as before.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ImproperlyConfigured

from families.access import WORDS_FAMILY, WORDS_PRACTITIONERS


@dataclass(frozen=True)
class Screened:
    to: str = WORDS_FAMILY
    # {"level", "reasons", "version"} of the tone check, {} when nothing assessed them.
    tone: dict = field(default_factory=dict)


class WordsGate:
    name = ""

    def screen(self, *, family_id: int, author: Any, text: str) -> Screened:
        return Screened()

    def route(self, *, family_id: int) -> str:
        """Where a parent's words go now, before any tone check (the plan page says so)."""
        return WORDS_FAMILY


_gates: dict[str, WordsGate] = {}


def register(gate: WordsGate) -> None:
    known = _gates.get(gate.name)
    if known is not None and type(known) is not type(gate):
        raise ImproperlyConfigured(f"two plan word gates are named {gate.name!r}")
    _gates[gate.name] = gate


def words_screen(*, family_id: int, author, text: str) -> Screened:
    """Where a parent's words go: the first gate that does not send them to the family decides."""
    result = Screened()
    for gate in _gates.values():
        answer = gate.screen(family_id=family_id, author=author, text=text)
        if answer.tone and not result.tone:
            result = Screened(to=result.to, tone=answer.tone)
        if answer.to != WORDS_FAMILY:
            return Screened(to=answer.to, tone=answer.tone or result.tone)
    return result


def words_route(*, family_id: int) -> str:
    """Where a parent's words go now by the contact mode: "family", "held" or "practitioners"."""
    for gate in _gates.values():
        to = gate.route(family_id=family_id)
        if to != WORDS_FAMILY:
            return to
    return WORDS_FAMILY


def words_may_reach_family(*, family_id: int) -> bool:
    """May held words be released to the family now (not when the family is in indirect contact)?"""
    return words_route(family_id=family_id) != WORDS_PRACTITIONERS
