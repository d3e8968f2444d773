"""Choose every threshold the matcher's decision uses, by 5-fold cross-validation on the rule
files' own examples, and write them to bot/matcher/thresholds.json (read by bot/matcher/decide.py).

The labelled questions in tests/data and the blind sets are never used here, so their scores stay
honest estimates on questions the matcher has not seen.

    python bench/tune_thresholds.py [--check]

--check only reports whether the shipped file matches what tuning gives (exit 1 if not).
Chosen, in order (each on held-out examples):
- UNLIKE_ANYTHING: below this cosine to the nearest example, "I don't know"; the largest value that
  keeps 99.9% of the held-out in-scope examples the SVM ranks right;
- SMALL_TALK: the small-talk label's decision value to answer as small talk; the value with the
  most held-out small talk recognised while no in-scope example is taken for small talk;
- CONFIDENT and MARGIN: the most in-scope examples right, a confidently wrong one counting as
  minus 3 right ones, with out-of-scope rejected >= 90%;
- SUGGEST: topics offered as suggestions score at least this: the 10th percentile of the true
  topic's decision value on held-out in-scope examples that were not matched.
"""

from __future__ import annotations

import json
import random
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.engine.rulebook import load_rulebook  # noqa: E402
from bot.matcher.index import OUT_OF_SCOPE, SMALL_TALK_PREFIX, QuestionIndex  # noqa: E402
from bot.matcher.facts import extractor_for  # noqa: E402
from bot.ogoh import build_index  # noqa: E402

FOLDS = 5
REJECT_TARGET = 0.90
WRONG_COST = 3.0
KEEP_IN_SCOPE = 0.999
OUT = ROOT / "bot" / "matcher" / "thresholds.json"


def held_out(examples, always, facts=None):
    """Each question held out once; keywords (`always`) are always trained on, never scored: the
    thresholds are for questions people write, not for single words."""
    rows = []  # (true label, ranked, nearest, only small-talk words)
    for fold in range(FOLDS):
        test = examples[fold::FOLDS]
        train = [e for i, e in enumerate(examples) if i % FOLDS != fold] + always
        index = QuestionIndex(train, facts=facts)
        for ex in test:
            hit = index.search(ex.text)
            rows.append((ex.label, hit.ranked, hit.nearest, index.only_small_talk_words(ex.text)))
    return rows


def decide(row, t):
    _, ranked, nearest, only_st = row
    if nearest < t["UNLIKE_ANYTHING"]:
        return None
    if only_st:
        return "_small"
    best = ranked[0]
    if best.label.startswith(SMALL_TALK_PREFIX):
        return "_small" if best.score >= t["SMALL_TALK"] else None
    if best.label == OUT_OF_SCOPE:
        return None
    topics = [s for s in ranked if not s.label.startswith("_")]
    first, second = topics[0], topics[1]
    if first.score >= t["CONFIDENT"] and first.score - second.score >= t["MARGIN"]:
        return first.label
    return None


def tune(rows):
    t = {"CONFIDENT": -0.35, "MARGIN": 0.1, "SMALL_TALK": -0.3, "UNLIKE_ANYTHING": 0.0, "SUGGEST": -0.75}
    inscope = [r for r in rows if not r[0].startswith("_")]
    # the largest value that loses no held-out in-scope example the other thresholds would answer
    t["UNLIKE_ANYTHING"] = -1.0
    kept = sorted(r[2] for r in inscope if decide(r, {**t, "CONFIDENT": -9, "MARGIN": 0}) == r[0])
    t["UNLIKE_ANYTHING"] = round(kept[int((1 - KEEP_IN_SCOPE) * len(kept))] - 0.005, 3)
    small = [r for r in rows if r[0].startswith(SMALL_TALK_PREFIX)]
    best = None
    for st in [x / 20 for x in range(-20, 11)]:
        t["SMALL_TALK"] = st
        got = sum(decide(r, t) == "_small" for r in small)
        bad = sum(decide(r, t) == "_small" for r in inscope)
        if best is None or (bad, -got) < (best[1], -best[0]):
            best = (got, bad, st)
    t["SMALL_TALK"] = best[2]
    oos = [r for r in rows if r[0] == OUT_OF_SCOPE or r[0].startswith(SMALL_TALK_PREFIX)]
    best = None
    for conf in [x / 20 for x in range(-20, 5)]:
        for margin in [x / 20 for x in range(0, 9)]:
            t["CONFIDENT"], t["MARGIN"] = conf, margin
            right = sum(decide(r, t) == r[0] for r in inscope) / len(inscope)
            wrong = sum(decide(r, t) not in (None, r[0]) for r in inscope) / len(inscope)
            rejected = sum(decide(r, t) in (None, "_small") for r in oos) / len(oos)
            # a confidently wrong answer costs as much as WRONG_COST right ones
            if rejected >= REJECT_TARGET and (best is None or right - WRONG_COST * wrong > best[0] - WRONG_COST * best[1]):
                best = (right, wrong, rejected, conf, margin)
    if best is None:
        raise SystemExit("no thresholds meet the targets on held-out examples")
    t["CONFIDENT"], t["MARGIN"] = best[3], best[4]
    unmatched = sorted(next(s.score for s in r[1] if s.label == r[0]) for r in inscope if decide(r, t) is None)
    t["SUGGEST"] = round(unmatched[len(unmatched) // 10], 3) if unmatched else t["CONFIDENT"] - 0.4
    return t, best


def main() -> int:
    book = load_rulebook(ROOT / "rules")
    examples = build_index(book).examples
    keywords = {(k, tid) for ex in book.examples.values() for tid, kws in ex.keywords.items() for k in kws}
    always = [e for e in examples if (e.text, e.label) in keywords]
    examples = [e for e in examples if (e.text, e.label) not in keywords]
    random.Random(7).shuffle(examples)
    rows = held_out(examples, always, extractor_for(book))
    t, best = tune(rows)
    print(f"held-out examples: {len(rows)}; in-scope right {best[0]:.1%}, confidently wrong {best[1]:.1%}, out of scope rejected {best[2]:.1%}")
    print(json.dumps(t, indent=2))
    payload = {"note": "written by bench/tune_thresholds.py (5-fold cross-validation on rules/examples); do not edit by hand", **t}
    if "--check" in sys.argv:
        shipped = json.loads(OUT.read_text()) if OUT.exists() else {}
        same = all(abs(shipped.get(k, 1e9) - v) < 1e-9 for k, v in t.items())
        print("shipped thresholds match" if same else "shipped thresholds differ from tuning")
        return 0 if same else 1
    OUT.write_text(json.dumps(payload, indent=2) + "\n")
    print(f"wrote {OUT.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
