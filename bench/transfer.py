"""Does training on independent writers' questions help on other independent writers' questions?

    python bench/transfer.py [--rules DIR] [a] [b] [ma] [mb]

Development data only (never tests/data/blind*). Three runs, each scoring one development set
that neither the model nor the thresholds saw:
- baseline:        train on rules/examples;           thresholds from cross-validation over the
                   examples plus dev 1's questions;   score dev 2
- + dev 1:         train on rules/examples + dev 1;   thresholds from cross-validation over that
                   training set (folds grouped by near-duplicates); score dev 2
- mirror baseline: train on rules/examples;           thresholds from CV + dev 2; score dev 1
- + dev 2:         train on rules/examples + dev 2;   thresholds from CV over it; score dev 1
Printed per language: in-scope top-1 (answered with the right topic), answered with a wrong topic
(of in-scope questions), out of scope rejected (not answered with a topic).
"""

from __future__ import annotations

import json
import random
import sys
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.tune_thresholds import GRID, Table, as_written, grouped_held_out, label_of, tune  # noqa: E402
from bot.engine.rulebook import load_rulebook  # noqa: E402
from bot.matcher.facts import extractor_for  # noqa: E402
from bot.matcher.index import OUT_OF_SCOPE, SMALL_TALK_PREFIX, Example, QuestionIndex  # noqa: E402
from bot.matcher.variants import with_keyboard_variants  # noqa: E402
from bot.ogoh import build_index  # noqa: E402

DEV1 = "tests/data/questions/*.jsonl"
DEV2 = "tests/data/dev/questions/*.jsonl"


def load(pattern: str) -> list[tuple[Example, str]]:
    """(example as the loader would file it: uz-Cyrl under uz, the reported language)."""
    out = []
    for path in sorted(ROOT.glob(pattern)):
        for line in path.read_text(encoding="utf-8").splitlines():
            if not line.strip():
                continue
            q = json.loads(line)
            label = q["expect"][0] if q["expect"] else (SMALL_TALK_PREFIX + q["small_talk"] if q.get("small_talk") else OUT_OF_SCOPE)
            out.append((Example(q["text"], label, "uz" if q["lang"] == "uz-Cyrl" else q["lang"]), q["lang"]))
    return out


def rows_of(index: QuestionIndex, items: list[tuple[Example, str]]):
    rows = []
    for ex, _ in items:
        hit = index.search(ex.text)
        rows.append(({ex.label}, hit.ranked, hit.nearest, index.only_small_talk_words(ex.text)))
    return rows


def score(rows, langs, t):
    per = defaultdict(lambda: [0, 0, 0, 0, 0, 0])  # right, wrong, n_in, rejected, n_out, first-ranked topic right
    for row, lang in zip(rows, langs, strict=True):
        got = label_of(row, t)
        inscope = not any(label.startswith("_") for label in row[0])
        first = next(s.label for s in row[1] if not s.label.startswith("_"))
        for key in (lang, "all"):
            c = per[key]
            if inscope:
                c[2] += 1
                c[5] += first in row[0]
                c[0] += got in row[0]
                c[1] += got is not None and got != "_small" and got not in row[0]
            else:
                c[4] += 1
                c[3] += got is None or got == "_small"
    return per


def run(name, examples, always, facts, extra, tune_on, scored):
    train = examples + [ex for ex, _ in extra]
    rng = random.Random(7)
    rng.shuffle(train)
    cv = grouped_held_out(train, always, facts)
    index = QuestionIndex(with_keyboard_variants(train + always), facts=facts)
    t, _ = tune(cv, rows_of(index, tune_on) if tune_on else [])
    per = score(rows_of(index, scored), [lang for _, lang in scored], t)
    print(f"\n### {name}\n\nthresholds: " + ", ".join(f"{k} {v:.3g}" for k, v in t.items()))
    print("\n| language | in-scope top-1 | wrong topic | out of scope rejected | first-ranked topic right |\n|---|---|---|---|---|")
    for lang in sorted(per, key=lambda k: (k == "all", k)):
        r, w, n, rej, no, raw = per[lang]
        print(f"| {lang} | {r / max(n, 1):.1%} | {w / max(n, 1):.1%} | {rej / max(no, 1):.1%} ({rej}/{no}) | {raw / max(n, 1):.1%} |")
    table = Table(rows_of(index, scored), t)
    feasible = [g for g in GRID if (m := table.score(*g)[1])["in-scope wrong"] <= 0.015 and m["out of scope rejected"] >= 0.95]
    if feasible:
        g = max(feasible, key=lambda g: table.score(*g)[1]["in-scope right"])
        print("\nfor comparing models only (chosen on the scored set, not shipped): the most top-1 with wrong <= 1.5% and rejected >= 95%: "
              + ", ".join(f"{k} {v:.1%}" for k, v in table.score(*g)[1].items()))
    sys.stdout.flush()
    return per


def main() -> int:
    args = sys.argv[1:]
    rules = ROOT / "rules"
    if "--rules" in args:
        i = args.index("--rules")
        rules = Path(args[i + 1])
        del args[i:i + 2]
    book = load_rulebook(rules)
    examples = as_written(build_index(book).examples)
    keywords = {(k, tid) for ex in book.examples.values() for tid, kws in ex.keywords.items() for k in kws}
    always = [e for e in examples if (e.text, e.label) in keywords]
    examples = [e for e in examples if (e.text, e.label) not in keywords]
    facts = extractor_for(book)
    dev1, dev2 = load(DEV1), load(DEV2)
    which = args or ["a", "b", "ma", "mb"]
    if "a" in which:
        run("baseline: train rules/examples, thresholds CV + dev 1, score dev 2", examples, always, facts, [], dev1, dev2)
    if "b" in which:
        run("train rules/examples + dev 1, thresholds CV, score dev 2", examples, always, facts, dev1, [], dev2)
    if "ma" in which:
        run("mirror baseline: train rules/examples, thresholds CV + dev 2, score dev 1", examples, always, facts, [], dev2, dev1)
    if "mb" in which:
        run("train rules/examples + dev 2, thresholds CV, score dev 1", examples, always, facts, dev2, [], dev1)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
