"""Choose the matcher's thresholds by 5-fold cross-validation on the rule files' own examples.

The labelled test questions in tests/data are never used here, so their score stays an honest
estimate of how the matcher does on questions it has not seen.

    python bench/tune_thresholds.py
"""

from __future__ import annotations

import random
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.engine.rulebook import load_rulebook  # noqa: E402
from bot.matcher.index import OUT_OF_SCOPE, QuestionIndex  # noqa: E402
from bot.ogoh import build_index  # noqa: E402

FOLDS = 5
# Out-of-scope rejection to keep on held-out examples: above the 90% we promise, with room to spare.
REJECT_TARGET = 0.92


def main() -> int:
    examples = build_index(load_rulebook(ROOT / "rules")).examples
    random.Random(7).shuffle(examples)
    scored = []  # (true label, best label, best topic, best topic score, second topic score)
    for fold in range(FOLDS):
        test = examples[fold::FOLDS]
        train = [e for i, e in enumerate(examples) if i % FOLDS != fold]
        index = QuestionIndex(train)
        for ex in test:
            ranked = index.search(ex.text).ranked
            topics = [s for s in ranked if not s.label.startswith("_")]
            scored.append((ex.label, ranked[0].label, topics[0].label, topics[0].score, topics[1].score))
    print("conf   margin  in-scope  rejected")
    best = None
    for conf in [x / 20 for x in range(-16, 1)]:
        for margin in [0.0, 0.05, 0.1, 0.15, 0.2]:
            ins = [0, 0]
            oos = [0, 0]
            for true, top_label, topic, s1, s2 in scored:
                match = topic if not top_label.startswith("_") and s1 >= conf and s1 - s2 >= margin else None
                if true.startswith("_"):
                    oos[0] += match is None
                    oos[1] += 1
                else:
                    ins[0] += match == true
                    ins[1] += 1
            a, r = ins[0] / ins[1], oos[0] / oos[1]
            if r >= REJECT_TARGET and (best is None or a > best[0]):
                best = (a, r, conf, margin)
            if margin in (0.0, 0.1):
                print(f"{conf:5.2f}  {margin:5.2f}   {a:6.1%}   {r:6.1%}")
    print(f"\nbest with >= {REJECT_TARGET:.0%} rejected: conf {best[2]}, margin {best[3]}: in-scope {best[0]:.1%}, rejected {best[1]:.1%}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
