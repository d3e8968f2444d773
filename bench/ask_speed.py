"""Time per question, in-process: with the shipped rules, and with a generated rule book 20 times
larger (20x the topics, each with perturbed copies of the examples).

    python bench/ask_speed.py [--scale 20] [--questions 600]
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.engine.rulebook import load_rulebook  # noqa: E402
from bot.matcher.decide import classify  # noqa: E402
from bot.matcher.index import Example, QuestionIndex  # noqa: E402
from bot.ogoh import build_index  # noqa: E402


def perturb(text: str, rng: random.Random) -> str:
    chars = list(text)
    for _ in range(max(1, len(chars) // 15)):
        i = rng.randrange(len(chars))
        chars[i] = rng.choice("абвгдеклмнопрстabcdeiklmnoprst ")
    return "".join(chars)


def scaled(examples: list[Example], scale: int) -> list[Example]:
    rng = random.Random(1)
    out = list(examples)
    for k in range(1, scale):
        out += [Example(perturb(e.text, rng), e.label if e.label.startswith("_") else f"{e.label}-{k}", e.lang) for e in examples]
    return out


def timings(index: QuestionIndex, questions: list[str]) -> tuple[float, float]:
    for q in questions[:20]:
        classify(index, q)  # warm caches
    times = []
    for q in questions:
        start = time.perf_counter()
        classify(index, q)
        times.append((time.perf_counter() - start) * 1000)
    times.sort()
    return statistics.median(times), times[int(0.99 * (len(times) - 1))]


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--scale", type=int, default=20)
    parser.add_argument("--questions", type=int, default=600)
    args = parser.parse_args()
    rows = [json.loads(l) for p in sorted((ROOT / "tests/data/questions").glob("*.jsonl")) for l in p.read_text().splitlines() if l.strip()]
    questions = [r["text"] for r in rows][: args.questions]
    base = build_index(load_rulebook(ROOT / "rules"))
    start = time.perf_counter()
    big = QuestionIndex(scaled(base.examples, args.scale))
    build_s = time.perf_counter() - start
    m1, p1 = timings(base, questions)
    m2, p2 = timings(big, questions)
    print(f"shipped rules: {len(base.examples)} examples, {len(base.labels)} labels: median {m1:.2f} ms, p99 {p1:.2f} ms")
    print(f"x{args.scale} rule book: {len(big.examples)} examples, {len(big.labels)} labels (built in {build_s:.1f} s): median {m2:.2f} ms, p99 {p2:.2f} ms")
    print(f"growth: median x{m2 / m1:.1f} for x{len(big.examples) / len(base.examples):.0f} examples")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
