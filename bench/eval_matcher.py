"""Matcher quality on the labelled questions in tests/data/questions/*.jsonl (in-process).

    python bench/eval_matcher.py [--misses] [FILES...]

Prints in-scope top-1 accuracy, out-of-scope rejection and per-language accuracy, the same
measures the tests assert and the README reports.
"""

from __future__ import annotations

import json
import sys
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.ogoh import Ogoh  # noqa: E402


def load_rows(files: list[Path]) -> list[dict]:
    rows = []
    for path in files:
        rows += [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    return rows


def evaluate(ogoh: Ogoh, rows: list[dict]) -> dict:
    per_lang: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    ins, oos = [0, 0], [0, 0]
    misses = []
    for row in rows:
        out = ogoh.ask(row["text"])
        top = out.matches[0].topic_id if out.matches else None
        ok = (top in row["expect"]) if row["expect"] else top is None
        bucket = ins if row["expect"] else oos
        bucket[0] += ok
        bucket[1] += 1
        per_lang[row["lang"]][0] += ok
        per_lang[row["lang"]][1] += 1
        if not ok:
            sugg = [s.topic_id for s in out.suggestions]
            misses.append((row["lang"], row["text"], row["expect"] or "-", top or "-", sugg))
    return {"in_scope": ins, "out_of_scope": oos, "per_lang": dict(per_lang), "misses": misses}


def main() -> int:
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    files = [Path(a) for a in args] or sorted((ROOT / "tests/data/questions").glob("*.jsonl"))
    result = evaluate(Ogoh(ROOT / "rules"), load_rows(files))
    if "--misses" in sys.argv:
        for lang, text, want, got, sugg in result["misses"]:
            print(f"miss [{lang}] {text!r}: want {want}, got {got}, suggested {sugg}")
    ins, oos = result["in_scope"], result["out_of_scope"]
    print("| language | correct | total | accuracy |\n|---|---|---|---|")
    for lang, (ok, n) in sorted(result["per_lang"].items()):
        print(f"| {lang} | {ok} | {n} | {ok / n:.1%} |")
    print(f"\nin-scope top-1: {ins[0] / ins[1]:.1%} ({ins[0]}/{ins[1]}); out-of-scope rejected: {oos[0] / oos[1]:.1%} ({oos[0]}/{oos[1]})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
