"""Time per message in-process: matching + fact extraction (what `ask` adds to the engine), and
the whole `Ogoh.ask` (rendering, summary). Messages: the labelled dev questions and the public
facts sample, each measured the first time this process sees it.

Before measuring, the other development questions (tests/data/dev, never the measured ones) are
asked once each, as a server that has seen some traffic: what the matcher memoises per word
(n-gram and stem columns, typo corrections) and the views memoised per set of facts are then as
warm as in service; nothing is memoised per text. --cold: only the first 50 measured messages.

    python bench/matcher_facts_speed.py [--cold] [--wall]
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
    dev = [json.loads(line)["text"] for p in sorted((ROOT / "tests/data/dev/questions").glob("*.jsonl"))
           for line in p.read_text(encoding="utf-8").splitlines() if line.strip()]
    for t in texts[:50] if "--cold" in sys.argv else dev:
        ogoh.ask(t)
    # CPU time of this thread (time.thread_time): on a machine shared with other work, wall time
    # measures the neighbours; pass --wall for wall-clock time
    clock = time.perf_counter if "--wall" in sys.argv else time.thread_time
    rows = {"facts only": [], "match + facts": [], "whole ask": []}
    for t in texts:
        fx._recent.clear()
        a = clock()
        fx.extract(t)
        b = clock()
        fx._recent.clear()
        classify(snap.index, t)  # reads the facts itself
        c = clock()
        ogoh.ask(t)
        d = clock()
        rows["facts only"].append((b - a) * 1000)
        rows["match + facts"].append((c - b) * 1000)
        rows["whole ask"].append((d - c) * 1000)
    warm = "50 of them asked first" if "--cold" in sys.argv else f"after {len(dev)} other questions"
    print(f"{len(texts)} messages, {'wall' if clock is time.perf_counter else 'CPU'} time, {warm}")
    for name, ms in rows.items():
        ms.sort()
        print(f"{name:14s} median {statistics.median(ms):.3f} ms, p90 {ms[int(0.9 * len(ms))]:.3f} ms, p99 {ms[int(0.99 * len(ms))]:.3f} ms")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
