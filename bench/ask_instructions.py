"""Instructions per request, in-process, counted by callgrind: steadier than time on a shared
machine. The app is called over ASGI (no sockets); first the warm-up bench/api_load.py does (every
dev question once, then never-repeated asks and /healthz), then N never-repeated asks (a real
question with a serial number, as api_load.py sends them) and N /healthz, each phase counted on
its own (instrumentation switched on only for it).

    valgrind --tool=callgrind --instr-atstart=no --callgrind-out-file=/tmp/cg.%p \\
        python bench/ask_instructions.py --snapshot /tmp/snap.pickle [--n 300] [--phases]
    callgrind_annotate /tmp/cg.<pid>.<k>     (the dumps: 1 ask, 2 healthz, then the phases)

It prints the instructions per request of each phase (read back from the dumps' totals). With
--phases, the engine's parts are counted too, text by text with the per-text memos cleared as a
new text finds them: Service.ask_now, Ogoh.ask, classify, search, vectorize, facts, intents.
Without valgrind it prints CPU time per request instead.
"""

from __future__ import annotations

import argparse
import asyncio
import glob
import json
import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Any, Callable

sys.path.insert(0, str(Path(__file__).resolve().parent))
from inproc import app_for, call, snapshot, texts  # noqa: E402

# under valgrind its preload library is loaded (callgrind_control then finds this process)
UNDER_VALGRIND = "vgpreload" in os.environ.get("LD_PRELOAD", "") or Path("/proc/self/maps").read_text().count("vgpreload") > 0


class Counter:
    def __init__(self) -> None:
        self.pid = str(os.getpid())
        self.dumps: list[str] = []

    def on(self) -> None:
        if UNDER_VALGRIND:
            subprocess.run(["callgrind_control", "-i", "on", self.pid], capture_output=True, check=False)

    def off(self, name: str) -> None:
        if UNDER_VALGRIND:
            subprocess.run(["callgrind_control", "-d", name, self.pid], capture_output=True, check=False)
            subprocess.run(["callgrind_control", "-i", "off", self.pid], capture_output=True, check=False)
            self.dumps.append(name)


def totals() -> dict[str, int]:
    """Instructions of each dump of this process, by its name (the files callgrind wrote)."""
    out: dict[str, int] = {}
    for path in glob.glob(f"/tmp/cg.{os.getpid()}.*") + glob.glob(f"callgrind.out.{os.getpid()}.*"):
        name, total = None, None
        for line in Path(path).read_text(errors="replace").splitlines():
            if line.startswith("desc: Trigger: dump "):
                name = line.removeprefix("desc: Trigger: dump ").strip()
            elif line.startswith("totals:") or line.startswith("summary:"):
                total = int(line.split()[1])
        if name and total is not None:
            out[name] = total
    return out


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--snapshot", type=Path, default=Path("/tmp/ogoh_digest_snapshot.pickle"))
    parser.add_argument("--n", type=int, default=300)
    parser.add_argument("--warm", type=int, default=1000)
    parser.add_argument("--phases", action="store_true")
    args = parser.parse_args()
    ogoh = snapshot(args.snapshot)
    app = app_for(ogoh)
    qs, dev = texts("questions"), texts("dev/questions")
    serial = iter(range(10**9))

    def fresh() -> str:
        n = next(serial)
        return f"{qs[n % len(qs)]} {n}"

    counter = Counter()
    times: dict[str, float] = {}

    async def run() -> None:
        async with app.router.lifespan_context(app):
            for t in dev:
                await call(app, "POST", "/v1/ask", json.dumps({"text": t}).encode())
            for _ in range(args.warm):
                await call(app, "POST", "/v1/ask", json.dumps({"text": fresh()}).encode())
                await call(app, "GET", "/healthz")
            bodies = [json.dumps({"text": fresh()}).encode() for _ in range(args.n)]
            counter.on()
            start = time.thread_time()
            for b in bodies:
                status, _ = await call(app, "POST", "/v1/ask", b)
                assert status == 200
            times["ask"] = time.thread_time() - start
            counter.off("ask")
            counter.on()
            start = time.thread_time()
            for _ in range(args.n):
                status, _ = await call(app, "GET", "/healthz")
                assert status == 200
            times["healthz"] = time.thread_time() - start
            counter.off("healthz")

    asyncio.run(run())
    if args.phases:
        phases(ogoh, [fresh() for _ in range(args.n)], counter, times)
    found = totals()
    for name in ["ask", "healthz"] + [n for n in times if n not in ("ask", "healthz")]:
        if name in found:
            print(f"{name:10s} {found[name] / args.n / 1e6:6.3f} M instructions per request")
        else:
            print(f"{name:10s} {times[name] / args.n * 1000:6.3f} ms CPU per request")
    if "ask" in found and "healthz" in found:
        print(f"in-process ratio /healthz / /v1/ask: {found['healthz'] / found['ask']:.1%}")
    return 0


def phases(ogoh: Any, fresh_texts: list[str], counter: Counter, times: dict[str, float]) -> None:
    from bot.core import replies
    from bot.core.service import Service
    from bot.matcher.decide import classify
    from bot.matcher.normalize import fold_message

    index, book = ogoh.snapshot.index, ogoh.snapshot.book
    service = Service(ogoh)
    facts = index.facts
    parts: list[tuple[str, Callable[[str], object]]] = [
        ("ask_now", service.ask_now), ("ogoh.ask", ogoh.ask), ("classify", lambda t: classify(index, t)),
        ("search", index.search), ("vectorize", index.vectorize), ("facts", facts.extract),
        ("intents", lambda t: replies.intents_for(book).read(t))]
    for name, fn in parts:
        for t in fresh_texts[:5]:
            fn(t)
        counter.on()
        start = time.thread_time()
        for t in fresh_texts:
            facts._recent.clear()  # what is memoised per text (the last few texts) is not kept
            getattr(facts, "_named", {}).clear()
            fold_message.cache_clear()
            fn(t)
        times[name] = time.thread_time() - start
        counter.off(name)


if __name__ == "__main__":
    sys.exit(main())
