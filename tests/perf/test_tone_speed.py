"""Benchmark: the CPU time of one tone check, on ordinary messages and on the worst we could think of
(not part of `make test`; part of `make perf`).

    pytest tests/perf/test_tone_speed.py -m perf -s
    PERF_TONE_REPEAT=5 pytest tests/perf/test_tone_speed.py -m perf -s    # quicker, noisier

moderation.tone.assess runs inline on every parent's message (moderation.chat's screen hook, inside
the send transaction), so one slow message delays every chat message of the same process: its
worst case matters as much as its median. Printed, per message, in CPU time of this thread (other
processes on the machine do not count, but a busy machine still slows caches and frequency):
- p50 / p99 / max over the labelled set (tests/moderation/tone_set.jsonl), best of REPEAT runs
  per message;
- each worst case (4,000 characters, the longest message allowed: words, one long word,
  punctuation, emoji, mixed Dutch and English, many lines, quotes, capitals, phrases repeated so
  that many rules have many places to try), best of REPEAT, and its level (a threat at the end
  of 4,000 characters must still be a threat: tests/moderation/test_tone.py asserts that).
Nothing here asserts on time: the figures are for a person to read (docs/TONE.md keeps them).
"""

from __future__ import annotations

import json
import os
import time
from pathlib import Path

import pytest

from messaging.services import MAX_BODY_CHARS
from moderation.tone import VERSION, assess

pytestmark = pytest.mark.perf

SET = Path(__file__).resolve().parent.parent / "moderation" / "tone_set.jsonl"
REPEAT = int(os.environ.get("PERF_TONE_REPEAT", "20"))
N = MAX_BODY_CHARS


def _fill(unit: str) -> str:
    return (unit * (N // len(unit) + 1))[:N]


def worst_cases(texts: list[str]) -> dict[str, str]:
    plain = _fill("we kunnen de kinderen zaterdag om tien uur ophalen bij school ")
    threat = "ik weet waar je woont"
    return {
        "set, joined": " ".join(texts)[:N],
        "plain words": plain,
        "threat after padding": plain[:N - len(threat) - 2] + ". " + threat,
        "one word, one letter": "a" * N,
        "one word, many letters": _fill("abcdefghij"),
        "exclamation marks": "!" * N,
        "question marks": "?" * N,
        "punctuation mixed": _fill("!?.,;:"),
        "emoji": "😡" * N,
        "emoji with skin tone": _fill("👍🏽"),
        "Dutch and English mixed": _fill(
            "sorry ik ben late, traffic is crazy, je doet altijd dit you never listen "),
        "many short lines": _fill("ok\n"),
        "many lines of words": _fill("ik weet niet\n"),
        "quotes": _fill('"ja '),
        "capitals": _fill("JIJ BENT ALTIJD TE LAAT "),
        "reported speech": _fill("je zei dat "),
        "letters repeated": _fill("nooooooo"),
        "digits": "1" * N,
        "one pronoun repeated": _fill("ik "),
        "pronouns repeated": _fill("je jij ik you i we de u het een "),
        "rule openings repeated": _fill("je bent ik ga you are i will we de kinderen the kids "),
        "negated threats repeated": _fill("ik ga je heus niet slaan. "),
        "sentence openings repeated": _fill(". nu "),
    }


def _cpu_ms(text: str) -> float:
    best = float("inf")
    for _ in range(REPEAT):
        t0 = time.thread_time_ns()
        assess(text)
        best = min(best, time.thread_time_ns() - t0)
    return best / 1e6


def _pct(sorted_values: list[float], q: float) -> float:
    return sorted_values[min(len(sorted_values) - 1, int(len(sorted_values) * q))]


def test_tone_speed():
    with SET.open(encoding="utf-8") as f:
        texts = [json.loads(line)["text"] for line in f if line.strip()]
    for text in texts[:50]:  # warm up (imports, caches)
        assess(text)
    load = os.getloadavg()[0]
    print(f"\nanalyser {VERSION}; CPU time of this thread per assessment, best of {REPEAT}; "
          f"load average {load:.1f} on {os.cpu_count()} cores")

    times = sorted(_cpu_ms(text) for text in texts)
    median_chars = sorted(map(len, texts))[len(texts) // 2]
    print(f"labelled set ({len(texts)} messages, median {median_chars} characters): "
          f"p50 {_pct(times, 0.5):.3f} ms, p99 {_pct(times, 0.99):.3f} ms, max {times[-1]:.3f} ms")

    cases = worst_cases(texts)
    worst = []
    print(f"worst cases ({N:,} characters unless said):")
    for name, text in cases.items():
        took = _cpu_ms(text)
        worst.append(took)
        print(f"  {name:<28} {len(text):5d} chars {took:7.2f} ms  {assess(text).level}")
    worst.sort()
    print(f"worst cases: p50 {_pct(worst, 0.5):.2f} ms, max {worst[-1]:.2f} ms")
    assert assess(cases["threat after padding"]).level == "threat"
