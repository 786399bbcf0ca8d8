"""The learned second signal: naive Bayes over the words of a message, trained on the labelled set.

Why: rules catch the wordings someone wrote a rule for; a new wording of a threat slips through.
Measured on messages written after the rules and before anything was tuned on them (fresh2,
fresh3 in tests/moderation/tone_set.jsonl), this small model roughly doubled the threats found
when it may raise the rules' level (docs/TONE.md has the figures). Naive Bayes because it is
transparent (a table of word counts, model_nb.json), trains in a second, needs no library and
scores a message in microseconds; no model is downloaded, nothing leaves the process.

How it is used (rules.decide): it may only RAISE the level the rules gave, never lower it, and
only when it is at least THRESHOLD sure, the message speaks to or about "you" or the children,
has no friendly marker, and no rule saw a negated threat ("ik ga je heus niet slaan").

The table is made by `python -m moderation.tone.train` from every labelled message except the
holdout split, and tests/moderation/test_tone.py checks that the shipped table is exactly what
that command makes from the shipped set.
"""

from __future__ import annotations

import json
import math
from pathlib import Path

MODEL_PATH = Path(__file__).with_name("model_nb.json")
CLASSES = ("ok", "caution", "hostile", "threat")
THRESHOLD = 0.95
_SKIP = frozenset(".,!?;:") | {"«q»"}


def features(norm: str) -> set[str]:
    """The words of a normalised message (punctuation and reported speech left out)."""
    return {t for t in norm.split() if t not in _SKIP}


class NaiveBayes:
    def __init__(self, data: dict):
        self.classes = tuple(data["classes"])
        alpha = data["alpha"]
        counts: dict[str, list[int]] = data["counts"]
        totals = data["totals"]
        size = len(counts)
        n = sum(data["prior"])
        self.log_prior = [math.log(c / n) for c in data["prior"]]
        denominators = [totals[k] + alpha * size for k in range(len(self.classes))]
        self.log_like = {
            word: tuple(math.log((c[k] + alpha) / d) for k, d in enumerate(denominators))
            for word, c in counts.items()
        }

    def probabilities(self, words: set[str]) -> dict[str, float]:
        scores = list(self.log_prior)
        for word in words:
            like = self.log_like.get(word)
            if like is not None:
                for k, v in enumerate(like):
                    scores[k] += v
        top = max(scores)
        exp = [math.exp(s - top) for s in scores]
        total = sum(exp)
        return {c: e / total for c, e in zip(self.classes, exp, strict=True)}


def load(path: Path = MODEL_PATH) -> NaiveBayes | None:
    """The shipped model, or None when the file is missing (the rules then work alone)."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return None
    return NaiveBayes(data)


MODEL = load()
