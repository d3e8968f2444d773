"""Everything the service answers, for every development text, as one digest: run it before and
after a speed change, on the same snapshot, and the answers must be the same.

    python bench/answer_digest.py --snapshot /tmp/snap.pickle --out /tmp/before.jsonl
    python bench/answer_digest.py --snapshot /tmp/snap.pickle --out /tmp/after.jsonl
    python bench/answer_digest.py --compare /tmp/before.jsonl /tmp/after.jsonl

Texts: every question of tests/data/questions, dev/questions, dev3/questions, every fact message
of dev, dev3, dev4, dev5 facts, and every example the index was trained on (rules/examples, with
the keyboard variants). Never the held-out sets (tests/data/blind*). Per text: the matcher's
search (every label's score, the language votes, the language voted most (a tie goes to the one
voted first), the nearest similarity), the classification
(kind, topics, reply language), the facts read (and about whom, the countries named), and the
`POST /v1/ask` JSON, once with no language given and once with each of Accept-Language uz and en
(the prior the reply language keeps or leaves). Floats are written exactly (repr); `--compare`
lists the texts that differ and says whether only floats differ, and by how much.

The snapshot file (`--snapshot`) is made from rules/ on the first run and read by the next ones,
so both versions of the code answer with one trained index (bench/inproc.py).
"""

from __future__ import annotations

import argparse
import asyncio
import hashlib
import json
import sys
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from inproc import FACT_SETS, QUESTION_SETS, app_for, call, snapshot, texts  # noqa: E402

PRIORS: tuple[tuple[tuple[bytes, bytes], ...], ...] = ((), ((b"accept-language", b"uz"),), ((b"accept-language", b"en"),))


def all_texts(ogoh: Any) -> list[tuple[str, str]]:
    out = [(folder, t) for folder in QUESTION_SETS + FACT_SETS for t in texts(folder)]
    out += [("examples", e.text) for e in ogoh.snapshot.index.examples]
    return out


async def records(ogoh: Any, rows: list[tuple[str, str]]) -> list[dict]:
    from bot.matcher.decide import classify

    index = ogoh.snapshot.index
    app = app_for(ogoh)
    out = []
    async with app.router.lifespan_context(app):
        for i, (folder, text) in enumerate(rows):
            hit = index.search(text)
            c = classify(index, text)
            found = index.facts.extract(text)
            asks = []
            for headers in PRIORS:
                status, body = await call(app, "POST", "/v1/ask", json.dumps({"text": text}).encode(), headers)
                asks.append([status, json.loads(body)])
            out.append({
                "i": i, "set": folder,
                "search": {"ranked": [list(s) for s in hit.ranked], "votes": hit.lang_votes, "nearest": hit.nearest,
                           "voted": max(hit.lang_votes, key=hit.lang_votes.__getitem__) if hit.lang_votes else None},
                "classify": {"kind": c.kind, "topics": [list(s) for s in c.topics], "lang": c.lang, "small_talk": c.small_talk},
                "facts": {"facts": found.facts, "about": found.about, "named": index.facts.countries_named(text)},
                "ask": asks,
            })
    return out


def floats_only(a: Any, b: Any, worst: list[float]) -> bool:
    """True when a and b are equal but for floats; the largest float difference goes in worst."""
    if isinstance(a, float) and isinstance(b, float):
        worst[0] = max(worst[0], abs(a - b))
        return True
    if type(a) is not type(b):
        return False
    if isinstance(a, dict):
        return a.keys() == b.keys() and all(floats_only(a[k], b[k], worst) for k in a)
    if isinstance(a, list):
        return len(a) == len(b) and all(floats_only(x, y, worst) for x, y in zip(a, b, strict=True))
    return bool(a == b)


def compare(path_a: Path, path_b: Path) -> int:
    a = path_a.read_text(encoding="utf-8").splitlines()
    b = path_b.read_text(encoding="utf-8").splitlines()
    if len(a) != len(b):
        print(f"different number of texts: {len(a)} vs {len(b)}")
        return 1
    same = floats = other = 0
    worst = [0.0]
    for la, lb in zip(a, b, strict=True):
        if la == lb:
            same += 1
            continue
        ra, rb = json.loads(la), json.loads(lb)
        if floats_only(ra, rb, worst):
            floats += 1
        else:
            other += 1
            if other <= 10:
                keys = [k for k in ra if ra[k] != rb.get(k)]
                print(f"differs: text {ra['i']} ({ra['set']}) in {keys}")
    print(f"{len(a)} texts: {same} identical, {floats} differ only in floats (largest difference {worst[0]:.3g}), {other} differ otherwise")
    return 1 if other else 0


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--snapshot", type=Path, default=Path("/tmp/ogoh_digest_snapshot.pickle"))
    parser.add_argument("--out", type=Path)
    parser.add_argument("--limit", type=int, default=0, help="only the first N texts (a quick check)")
    parser.add_argument("--compare", type=Path, nargs=2)
    args = parser.parse_args()
    if args.compare:
        return compare(*args.compare)
    ogoh = snapshot(args.snapshot)
    rows = all_texts(ogoh)
    if args.limit:
        rows = rows[:args.limit]
    lines = [json.dumps(r, ensure_ascii=False, sort_keys=True) for r in asyncio.run(records(ogoh, rows))]
    text = "\n".join(lines) + "\n"
    if args.out:
        args.out.write_text(text, encoding="utf-8")
    print(f"{len(lines)} texts, digest {hashlib.sha256(text.encode()).hexdigest()[:16]}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
