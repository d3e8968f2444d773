"""Time per message in-process: matching + fact extraction (what `ask` adds to the engine), and
the whole `Ogoh.ask` (rendering, summary). Messages: the labelled dev questions and the public
facts sample.

    python bench/matcher_facts_speed.py
"""

from __future__ import annotations

import json
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.matcher.decide import classify  # noqa: E402
from bot.matcher.facts import extractor_for  # noqa: E402
from bot.ogoh import Ogoh  # noqa: E402


def main() -> int:
    files = sorted((ROOT / "tests/data/questions").glob("*.jsonl")) + [ROOT.parent / "shared/eval/facts_sample.jsonl"]
    texts = [json.loads(line)["text"] for p in files if p.exists() for line in p.read_text(encoding="utf-8").splitlines() if line.strip()]
    ogoh = Ogoh(ROOT / "rules")
    snap = ogoh.snapshot
    fx = extractor_for(snap.book)
    for t in texts[:50]:
        ogoh.ask(t)
    rows = {"facts only": [], "match + facts": [], "whole ask": []}
    for t in texts:
        a = time.perf_counter()
        fx.extract(t)
        b = time.perf_counter()
        classify(snap.index, t)
        c = time.perf_counter()
        ogoh.ask(t)
        d = time.perf_counter()
        rows["facts only"].append((b - a) * 1000)
        rows["match + facts"].append((c - a) * 1000)
        rows["whole ask"].append((d - c) * 1000)
    print(f"{len(texts)} messages")
    for name, ms in rows.items():
        ms.sort()
        print(f"{name:14s} median {statistics.median(ms):.3f} ms, p90 {ms[int(0.9 * len(ms))]:.3f} ms, p99 {ms[int(0.99 * len(ms))]:.3f} ms")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
