"""Matcher quality on labelled question sets (in-process).

    python bench/eval_matcher.py [--misses] [--sets] [FILES...]

FILES default to tests/data/questions/*.jsonl. With --sets every development question set is scored
on its own: tests/data/questions, tests/data/dev/questions, tests/data/dev6/questions and
tests/data/dev3/questions, and the unstudied tests/data/dev11 and dev12 questions (those three only as
aggregates: no per-language line and never their misses;
the blind sets are never read). Prints in-scope top-1 accuracy, confidently wrong answers (a topic
matched that is not the question's: of in-scope questions), out-of-scope rejection and
per-language accuracy (all questions), the same measures the README reports and
/work/shared/eval/score_ask.py gives on `ogoh ask --json`.
"""

from __future__ import annotations

import json
import sys
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.ogoh import Ogoh  # noqa: E402

SETS = {"dev1": "tests/data/questions", "dev2": "tests/data/dev/questions", "dev6": "tests/data/dev6/questions", "dev3": "tests/data/dev3/questions", "dev11": "tests/data/dev11/questions", "dev12": "tests/data/dev12/questions"}
AGGREGATE_ONLY = {"dev3", "dev11", "dev12"}  # scored whole: never a line or a language of it shown


def load_rows(files: list[Path]) -> list[dict]:
    rows = []
    for path in files:
        rows += [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    return rows


def evaluate(ogoh: Ogoh, rows: list[dict]) -> dict:
    per_lang: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    ins, oos = [0, 0], [0, 0]
    wrong = 0
    misses = []
    for row in rows:
        out = ogoh.ask(row["text"])
        top = out.matches[0].topic_id if out.matches else None
        ok = (top in row["expect"]) if row["expect"] else top is None
        bucket = ins if row["expect"] else oos
        bucket[0] += ok
        bucket[1] += 1
        wrong += bool(row["expect"]) and top is not None and not ok
        per_lang[row["lang"]][0] += ok
        per_lang[row["lang"]][1] += 1
        if not ok:
            sugg = [s.topic_id for s in out.suggestions]
            misses.append((row["lang"], row["text"], row["expect"] or "-", top or "-", sugg))
    return {"in_scope": ins, "out_of_scope": oos, "wrong": wrong, "per_lang": dict(per_lang), "misses": misses}


def line(name: str, result: dict, langs: bool = True) -> str:
    ins, oos, wrong = result["in_scope"], result["out_of_scope"], result["wrong"]
    text = (f"{name}: in-scope top-1 {ins[0] / max(ins[1], 1):.1%} ({ins[0]}/{ins[1]}), confidently wrong "
            f"{wrong / max(ins[1], 1):.1%} ({wrong}), out of scope rejected {oos[0] / max(oos[1], 1):.1%} ({oos[0]}/{oos[1]})")
    if langs:
        text += " | " + " ".join(f"{lang} {ok / n:.1%}" for lang, (ok, n) in sorted(result["per_lang"].items()))
    return text


def main() -> int:
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    ogoh = Ogoh(ROOT / "rules")
    if "--sets" in sys.argv:
        for name, folder in SETS.items():
            files = sorted((ROOT / folder).glob("*.jsonl"))
            if files:
                print(line(name, evaluate(ogoh, load_rows(files)), langs=name not in AGGREGATE_ONLY))
        return 0
    files = [Path(a) for a in args] or sorted((ROOT / "tests/data/questions").glob("*.jsonl"))
    if any("blind" in str(f) for f in files):
        print("the blind sets are scored by the lead only")
        return 2
    result = evaluate(ogoh, load_rows(files))
    if "--misses" in sys.argv:
        for lang, text, want, got, sugg in result["misses"]:
            print(f"miss [{lang}] {text!r}: want {want}, got {got}, suggested {sugg}")
    print("| language | correct | total | accuracy |\n|---|---|---|---|")
    for lang, (ok, n) in sorted(result["per_lang"].items()):
        print(f"| {lang} | {ok} | {n} | {ok / n:.1%} |")
    print("\n" + line("all", result, langs=False))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
