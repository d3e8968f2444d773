"""When to answer: the shipped rule against decisions that use more than the three scores,
measured out of sample on development data only (never tests/data/blind*).

    python bench/decision_study.py [--no-lang] [--no-risks]

Rows, as bench/tune_thresholds.py makes them: the rule files' examples held out in 5 folds grouped
by near-copies (each scored by an index trained without its fold), and the development questions
(dev 1 tests/data/questions, dev 2 tests/data/dev/questions, dev 3 tests/data/dev3/questions)
scored by the index trained on all examples. Every decision is trained (thresholds, regions,
models) on the held-out examples plus some development sets and scored on another:
- dev 2 (ex+dev 1), dev 1 (ex+dev 2): the two directions bench/transfer.py uses;
- dev 3 (ex+dev 1+2): the third, blind-written set, never used for anything else here;
- by language: dev 1+2 questions of one language, trained without that language (--cv of
  tune_thresholds.py).
Score: right - 3 x wrong, where right is an in-scope question answered with its topic or an
out-of-scope one not answered, and wrong is any answer shown that is not right (WRONG_COST).

Decisions measured (each answers a row only where the topic-independent gates let it through):
- rule: best topic >= CONFIDENT, ahead of the second topic by MARGIN and of out-of-scope by
  OUT_MARGIN, the grid of tune_thresholds.py (what ships);
- rule + facts region: also answer, with looser thresholds tuned on the training rows, when a
  fact the message states points to the best topic: P(topic | fact) >= s among the training
  examples that state it (a stated summons -> conscription of foreigners, an occupied-territory
  job -> that topic ...), counted per fold;
- rule + risks region: the same, when the rules engine's personal answer for the stated facts
  lists the best topic among its risks (what `ask` shows as the summary);
- per-topic OUT_MARGIN / MARGIN: the rule with one shift per topic, greedily, kept only where it
  gains at least 3 on the training rows;
- gradient boosting (monotone in the three scores), alone and with the out-of-scope score, with
  the facts (how many, P(topic | fact)), and with the message's length and script, giving
  P(the best topic is right); answered above the probability with the best training score.
The pool the rule abstains on is printed per set: right first-ranked topics against wrong ones
and out-of-scope questions. A decision can only gain where that pool has more than three right
for one wrong in a region it can describe.
"""

from __future__ import annotations

import json
import math
import random
import sys
from collections import Counter, defaultdict
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.tune_thresholds import FOLDS, GRID, WRONG_COST, as_written, grouped_folds  # noqa: E402
from bot.engine.rulebook import load_rulebook  # noqa: E402
from bot.matcher.decide import THRESHOLDS  # noqa: E402
from bot.matcher.facts import extractor_for  # noqa: E402
from bot.matcher.index import OUT_OF_SCOPE, SMALL_TALK_PREFIX, QuestionIndex  # noqa: E402
from bot.matcher.variants import with_keyboard_variants  # noqa: E402
from bot.ogoh import build_index  # noqa: E402

SETS = {"dev1": "tests/data/questions/*.jsonl", "dev2": "tests/data/dev/questions/*.jsonl", "dev3": "tests/data/dev3/questions/*.jsonl"}
FLOOR = -9.0  # stands for "no out-of-scope score" in arrays


def make_rows(book, risks: bool):
    index = build_index(book)
    facts = extractor_for(book)
    examples = as_written(index.examples)
    keywords = {(k, tid) for ex in book.examples.values() for tid, kws in ex.keywords.items() for k in kws}
    always = [e for e in examples if (e.text, e.label) in keywords]
    examples = [e for e in examples if (e.text, e.label) not in keywords]
    random.Random(7).shuffle(examples)  # as tune_thresholds.py: the same folds
    fold_of = grouped_folds(examples)
    rows = []

    def add(src, lang, text, truth, idx, fold=-1):
        hit = idx.search(text)
        found = facts.extract(text)
        rows.append({"src": src, "lang": lang, "text": text, "truth": truth, "fold": fold, "ranked": hit.ranked,
                     "nearest": hit.nearest, "only_st": idx.only_small_talk_words(text), "facts": dict(found.facts)})

    for fold in range(FOLDS):
        train = with_keyboard_variants([e for e, f in zip(examples, fold_of, strict=True) if f != fold] + always)
        idx = QuestionIndex(train, facts=facts)
        for ex in (e for e, f in zip(examples, fold_of, strict=True) if f == fold):
            add("ex", ex.lang, ex.text, {ex.label}, idx, fold)
    for name, pattern in SETS.items():
        for path in sorted(ROOT.glob(pattern)):
            for line in path.read_text(encoding="utf-8").splitlines():
                if line.strip():
                    q = json.loads(line)
                    truth = set(q["expect"]) or {SMALL_TALK_PREFIX + q["small_talk"] if q.get("small_talk") else OUT_OF_SCOPE}
                    add(name, q["lang"], q["text"], truth, index)
    if risks:
        from bot.ogoh import Ogoh

        ogoh = Ogoh(ROOT / "rules", cache_dir=False)
        for r in rows:
            summary = ogoh.ask(r["text"]).summary
            r["risks"] = {x.topic_id for x in summary.risks} if summary else set()
    return rows


def arrays(rows, unlike: float):
    # P(label | stated fact) among the held-out examples stating it, without the row's own fold
    table: dict[int, dict[str, Counter]] = defaultdict(lambda: defaultdict(Counter))
    for r in rows:
        if r["src"] == "ex":
            label = next(iter(r["truth"]))
            for term in (f"{k}={v}" for k, v in r["facts"].items()):
                for fold in range(-1, FOLDS):
                    if fold != r["fold"]:
                        table[fold][term][label] += 1
    cols: dict[str, list] = defaultdict(list)
    for r in rows:
        topics = [s for s in r["ranked"] if not s.label.startswith("_")]
        oos = next((s.score for s in r["ranked"] if s.label == OUT_OF_SCOPE), -math.inf)
        first = topics[0]
        terms = [f"{k}={v}" for k, v in r["facts"].items()]
        counts = table[r["fold"]]
        support = max((counts[t][first.label] / (sum(counts[t].values()) + 2.0) for t in terms if t in counts), default=0.0)
        inscope = not any(label.startswith("_") for label in r["truth"])
        cols["first"].append(first.score)
        cols["gap"].append(first.score - topics[1].score)
        cols["out"].append(max(first.score - oos, FLOOR))
        cols["oos"].append(max(oos, FLOOR))
        cols["support"].append(support)
        cols["n_facts"].append(len(terms))
        cols["words"].append(len(r["text"].split()))
        cols["cyrillic"].append(float(any("\u0400" <= ch <= "\u04ff" for ch in r["text"])))
        cols["in_risks"].append(float(first.label in r.get("risks", ())))
        cols["gate"].append(r["nearest"] >= unlike and not r["only_st"] and not r["ranked"][0].label.startswith("_"))
        cols["inscope"].append(inscope)
        cols["ok"].append(inscope and first.label in r["truth"])
        cols["label"].append(first.label)
        cols["src"].append(r["src"])
        cols["lang"].append(r["lang"])
    return {k: np.array(v) for k, v in cols.items()}


def subset(d, mask):
    return {k: v[mask] for k, v in d.items()}


def tally(d, shown):
    return np.array([np.sum(shown & d["ok"]), np.sum(shown & ~d["ok"] & d["inscope"]), d["inscope"].sum(),
                     np.sum(~shown & ~d["inscope"]), (~d["inscope"]).sum(), np.sum(shown & ~d["ok"])], dtype=int)


def gain(d, shown):
    right, _, _, rejected, _, wrong = tally(d, shown)
    return int(right + rejected - WRONG_COST * wrong)


def rule(d, g):
    return d["gate"] & (d["first"] >= g[0]) & (d["gap"] >= g[1]) & (d["out"] >= g[2])


def best_rule(d):
    grid = [(c, m, FLOOR if o == -math.inf else o) for c, m, o in GRID]
    return max(grid, key=lambda g: (gain(d, rule(d, g)), -g[0], -g[1], -g[2]))


def rule_method(train):
    g = best_rule(train)
    return lambda d: rule(d, g)


REGION = [(c / 10, m / 20, o / 10) for c in range(-10, 3) for m in range(0, 13) for o in range(-6, 13)]


def region_method(key, cuts):
    """The rule, plus a second region with its own thresholds where `key` >= a cut."""
    def method(train):
        g = best_rule(train)
        base = rule(train, g)
        best, found = 0, None
        for s in cuts:
            for c, m, o in REGION:
                extra = ~base & rule(train, (c, m, o)) & (train[key] >= s)
                value = int(np.sum(extra & train["ok"])) - WRONG_COST * int(np.sum(extra & ~train["ok"])) - int(np.sum(extra & ~train["inscope"]))
                if value > best:
                    best, found = value, (s, c, m, o)
        if found is None:
            return lambda d: rule(d, g)
        s, c, m, o = found
        return lambda d: rule(d, g) | (rule(d, (c, m, o)) & (d[key] >= s))
    return method


def per_topic_method(which, minimum=3, shifts=(-0.3, -0.2, -0.1, 0.1, 0.2)):
    """The rule with one OUT_MARGIN (or MARGIN) shift per topic."""
    def method(train):
        c, m, o = best_rule(train)

        def shown(d, shift):
            extra = np.array([shift.get(label, 0.0) for label in d["label"]])
            if which == "out":
                return d["gate"] & (d["first"] >= c) & (d["gap"] >= m) & (d["out"] >= o + extra)
            return d["gate"] & (d["first"] >= c) & (d["gap"] >= m + extra) & (d["out"] >= o)
        shift: dict[str, float] = {}
        for label in sorted(set(train["label"])):
            here = gain(train, shown(train, shift))
            options = [(gain(train, shown(train, {**shift, label: x})) - here, x) for x in shifts]
            value, x = max(options)
            if value >= minimum:
                shift[label] = x
        return lambda d: shown(d, shift)
    return method


def boosted_method(keys):
    from sklearn.ensemble import HistGradientBoostingClassifier

    monotone = [1 if k in ("first", "gap", "out") else 0 for k in keys]

    def method(train):
        x = np.stack([train[k] for k in keys], 1).astype(float)
        gate = train["gate"]
        model = HistGradientBoostingClassifier(max_iter=150, learning_rate=0.05, max_leaf_nodes=8, min_samples_leaf=40,
                                               l2_regularization=1.0, monotonic_cst=monotone, random_state=0)
        model.fit(x[gate], train["ok"][gate])
        p = model.predict_proba(x)[:, 1]
        cut = max(np.arange(0.5, 0.99, 0.01), key=lambda c: gain(train, gate & (p >= c)))
        return lambda d: d["gate"] & (model.predict_proba(np.stack([d[k] for k in keys], 1).astype(float))[:, 1] >= cut)
    return method


def protocols(d, method, by_language):
    ex = d["src"] == "ex"
    out = {}
    for name, train, test in [("dev 2 (ex+dev 1)", ex | (d["src"] == "dev1"), d["src"] == "dev2"),
                              ("dev 1 (ex+dev 2)", ex | (d["src"] == "dev2"), d["src"] == "dev1"),
                              ("dev 3 (ex+dev 1+2)", ex | (d["src"] == "dev1") | (d["src"] == "dev2"), d["src"] == "dev3")]:
        if test.any():
            t = subset(d, test)
            out[name] = tally(t, method(subset(d, train))(t))
    if by_language:
        dev = (d["src"] == "dev1") | (d["src"] == "dev2")
        total = np.zeros(6, dtype=int)
        for lang in sorted(set(d["lang"][dev])):
            t = subset(d, dev & (d["lang"] == lang))
            total += tally(t, method(subset(d, ex | (dev & (d["lang"] != lang))))(t))
        out["dev 1+2 by language"] = total
    return out


def fmt(c):
    right, wrong, n_in, rejected, n_out, shown_wrong = c
    return f"{right / max(n_in, 1):.1%} / {wrong / max(n_in, 1):.1%} / {rejected / max(n_out, 1):.1%} ({right + rejected - WRONG_COST * shown_wrong:.0f})"


def main() -> int:
    book = load_rulebook(ROOT / "rules")
    rows = make_rows(book, risks="--no-risks" not in sys.argv)
    d = arrays(rows, THRESHOLDS["UNLIKE_ANYTHING"])
    shipped = (THRESHOLDS["CONFIDENT"], THRESHOLDS["MARGIN"], THRESHOLDS["OUT_MARGIN"])
    print(f"rows: {Counter(d['src'].tolist())}")
    print("What the shipped rule abstains on (gated rows not answered): first-ranked topic right / wrong / out of scope")
    for src in ["ex", "dev1", "dev2", "dev3"]:
        t = subset(d, d["src"] == src)
        if not len(t["ok"]):
            continue
        pool = t["gate"] & ~rule(t, shipped)
        parts = {"all": pool, "OUT_MARGIN only": pool & (t["out"] < shipped[2]) & (t["gap"] >= shipped[1]) & (t["first"] >= shipped[0]),
                 "MARGIN only": pool & (t["gap"] < shipped[1]) & (t["out"] >= shipped[2]) & (t["first"] >= shipped[0])}
        ranked_right = t["ok"][t["inscope"]].mean()
        print(f"  {src}: first-ranked topic right {ranked_right:.1%} of in scope; " + "; ".join(
            f"{k} {int(np.sum(m & t['ok']))} / {int(np.sum(m & ~t['ok'] & t['inscope']))} / {int(np.sum(m & ~t['inscope']))}" for k, m in parts.items()))
    methods = {
        "rule (shipped)": rule_method,
        "rule + facts region (P(topic given a stated fact) >= s)": region_method("support", [0.3, 0.5, 0.7, 0.9]),
        "per-topic OUT_MARGIN": per_topic_method("out"),
        "per-topic MARGIN": per_topic_method("gap"),
        "boosting on the three scores": boosted_method(["first", "gap", "out"]),
        "boosting + out-of-scope score": boosted_method(["first", "gap", "out", "oos"]),
        "boosting + facts": boosted_method(["first", "gap", "out", "support", "n_facts"]),
        "boosting + length, script": boosted_method(["first", "gap", "out", "words", "cyrillic"]),
    }
    if "--no-risks" not in sys.argv:
        methods["rule + risks region (the topic among the summary's risks)"] = region_method("in_risks", [1.0])
    print("\nin-scope top-1 / confidently wrong / out of scope rejected (right - 3 x wrong), each set scored by a decision trained without it")
    header = None
    for name, method in methods.items():
        res = protocols(d, method, "--no-lang" not in sys.argv)
        if header is None:
            header = list(res)
            print("| decision | " + " | ".join(header) + " |\n" + "|---" * (len(header) + 1) + "|")
        print(f"| {name} | " + " | ".join(fmt(res[k]) for k in header) + " |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
