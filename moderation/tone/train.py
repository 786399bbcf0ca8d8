"""Train the tone check's naive Bayes table from the labelled set.

    python -m moderation.tone.train            # tests/moderation/tone_set.jsonl -> model_nb.json

Every message except the holdout split is used, so the holdout stays a fair test. The output
is deterministic (sorted keys, integer counts), so a retrain shows as a readable diff and the
test suite can check that the shipped table matches the shipped set.
"""

from __future__ import annotations

import argparse
import json
from collections import Counter
from pathlib import Path

from .model import CLASSES, MODEL_PATH, features
from .normalise import normalise

SET_PATH = Path(__file__).resolve().parents[2] / "tests" / "moderation" / "tone_set.jsonl"
ALPHA = 1.0
EXCLUDED_SPLITS = ("holdout", "blind")


def train(rows: list[dict]) -> dict:
    used = [r for r in rows if r["split"] not in EXCLUDED_SPLITS]
    counts: dict[str, Counter] = {}
    prior = Counter(r["level"] for r in used)
    for r in used:
        norm, _ = normalise(r["text"])
        for word in features(norm):
            counts.setdefault(word, Counter())[r["level"]] += 1
    table = {word: [c[k] for k in CLASSES] for word, c in sorted(counts.items())}
    totals = [sum(v[k] for v in table.values()) for k in range(len(CLASSES))]
    return {
        "kind": "multinomial naive Bayes over word presence",
        "classes": list(CLASSES),
        "alpha": ALPHA,
        "prior": [prior[k] for k in CLASSES],
        "totals": totals,
        "trained_on": dict(sorted(Counter(r["split"] for r in used).items())),
        "counts": table,
    }


def dumps(model: dict) -> str:
    head = {k: v for k, v in model.items() if k != "counts"}
    lines = [json.dumps(head, ensure_ascii=False, sort_keys=True)[:-1] + ', "counts": {']
    items = list(model["counts"].items())
    for i, (word, c) in enumerate(items):
        sep = "," if i + 1 < len(items) else ""
        lines.append(f"  {json.dumps(word, ensure_ascii=False)}: {json.dumps(c)}{sep}")
    lines.append("}}")
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--set", type=Path, default=SET_PATH)
    parser.add_argument("--out", type=Path, default=MODEL_PATH)
    args = parser.parse_args(argv)
    with args.set.open(encoding="utf-8") as f:
        rows = [json.loads(line) for line in f if line.strip()]
    model = train(rows)
    args.out.write_text(dumps(model), encoding="utf-8")
    words, messages = len(model["counts"]), sum(model["prior"])
    print(f"{args.out}: {words} words from {messages} messages", model["trained_on"])


if __name__ == "__main__":
    main()
