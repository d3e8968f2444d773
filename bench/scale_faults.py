"""Two API replicas sharing Redis, on loopback, bounded in time and count.

Phase 1: mixed traffic at a fixed rate (ask 50%, assess 20%, topics 15%, Telegram webhook updates
15%) spread over both replicas: must see zero errors; replica memory sampled to check it is flat.
Phase 2: the same traffic while Redis is stopped and restarted: every request must either succeed
or fail cleanly (problem+json 503), the service must recover by itself, and nothing stored
before (an NGO key, counters) may be lost.

    python bench/scale_faults.py [--seconds 60] [--rate 100]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import socket
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.api_load import RawClient, free_port, paced, questions  # noqa: E402
from bot.storage import open_store  # noqa: E402
from tests.conftest import RedisServer  # noqa: E402
from tests.fake_telegram import FakeBotApi, text_update  # noqa: E402

TOKEN = "123:SCALE"
SECRET = "scale-webhook-secret"
MAX_REQUESTS = 50_000


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


class Replica:
    def __init__(self, redis_url: str, fake_url: str):
        self.port = free_port()
        env = {**os.environ, "OGOH_STORAGE_URL": redis_url, "OGOH_SECRET_KEY": "bench-secret",
               "OGOH_RATE_LIMIT_PER_MINUTE": "100000000", "TELEGRAM_BOT_TOKEN": TOKEN,
               "TELEGRAM_API_BASE_URL": fake_url, "TELEGRAM_WEBHOOK_SECRET": SECRET}
        self.proc = subprocess.Popen([sys.executable, "-m", "bot", "serve", "--host", "127.0.0.1", "--port", str(self.port)],
                                     cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)

    def wait_ready(self) -> None:
        for _ in range(200):
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.2):
                    return
            except OSError:
                time.sleep(0.1)
        raise RuntimeError("replica did not start")

    def stop(self) -> None:
        self.proc.terminate()
        self.proc.wait(timeout=15)


async def traffic(clients: list[RawClient], seconds: float, rate: float, log: list, chat_base: int) -> None:
    qs = questions()
    start = time.perf_counter()
    total = min(int(seconds * rate), MAX_REQUESTS)
    facts = [{"home_country": c} for c in ("UZ", "TJ", "KG", "KZ", "TM")]

    async def one(n: int) -> None:
        client = clients[n % len(clients)]
        kind = ("ask", "ask", "ask", "ask", "ask", "assess", "assess", "topics", "topics", "webhook")[n % 10] if n % 20 else "topics"
        t0 = time.perf_counter()
        try:
            if kind == "ask":
                status = await client.request("POST", "/v1/ask", json.dumps({"text": qs[n % len(qs)]}).encode())
            elif kind == "assess":
                status = await client.request("POST", "/v1/assess", json.dumps({"facts": facts[n % 5], "lang": "ky"}).encode())
            elif kind == "topics":
                status = await client.request("GET", "/v1/topics?lang=uz")
            else:
                update = {"update_id": chat_base + n, **text_update(qs[n % len(qs)], chat_base + (n // 10) % 50)}
                status = await client.request_with_headers("POST", "/telegram/webhook", json.dumps(update).encode(),
                                                           {"X-Telegram-Bot-Api-Secret-Token": SECRET})
        except (OSError, asyncio.IncompleteReadError) as exc:
            status = f"connection error {type(exc).__name__}"
        log.append((time.perf_counter() - start, kind, status, (time.perf_counter() - t0) * 1000))

    await paced(one, total, rate, start)


async def main_async(args) -> int:
    workdir = Path(tempfile.mkdtemp(prefix="ogoh-scale-"))
    redis_server = RedisServer(workdir).start()
    fake = FakeBotApi(TOKEN).start()
    store = open_store(redis_server.url, "bench-secret")
    store.r.flushdb()
    key, secret = store.create_key("NGO before the restart")
    store.count("bench:marker", "2026-W48", "ru", "bench", 11)  # a counter no traffic touches
    replicas = [Replica(redis_server.url, fake.base_url) for _ in range(2)]
    try:
        for r in replicas:
            r.wait_ready()
        clients = []
        for r in replicas:
            c = RawClient("127.0.0.1", r.port, 32)
            await c.open()
            clients.append(c)
        await traffic(clients, 3, args.rate, [], 10_000_000)  # warm up
        mem_start = [rss_mb(r.proc.pid) for r in replicas]
        log1: list = []
        await traffic(clients, args.seconds, args.rate, log1, 20_000_000)
        mem_end = [rss_mb(r.proc.pid) for r in replicas]
        by_status = Counter(s for _, _, s, _ in log1)
        lat = sorted(l for _, _, _, l in log1)
        print(f"phase 1: {len(log1)} requests at {args.rate:.0f}/s for {args.seconds:.0f} s over 2 replicas sharing Redis")
        print(f"  statuses {dict(by_status)}; p50 {lat[len(lat) // 2]:.1f} ms, p99 {lat[int(0.99 * (len(lat) - 1))]:.1f} ms")
        print(f"  replica memory MB: start {[round(m) for m in mem_start]} -> end {[round(m) for m in mem_end]}")
        await asyncio.sleep(2)  # let the last updates' replies go out
        webhook_sent = sum(1 for _, k, _, _ in log1 if k == "webhook")
        replied = len({c.params["chat_id"] for c in fake.calls_to("sendMessage")})
        print(f"  webhook updates: {webhook_sent} accepted; replies sent through the fake Bot API: {len(fake.calls_to('sendMessage'))} (to {replied} chats)")

        log2: list = []
        outage = [None, None]

        async def restart_redis() -> None:
            await asyncio.sleep(args.outage_at)
            outage[0] = time.perf_counter()
            redis_server.stop()
            await asyncio.sleep(args.outage_seconds)
            redis_server.start()
            outage[1] = time.perf_counter()

        t_start = time.perf_counter()
        await asyncio.gather(traffic(clients, args.fault_seconds, args.rate, log2, 30_000_000), restart_redis())
        clean = Counter(s for _, _, s, _ in log2)
        unclean = {s: n for s, n in clean.items() if s not in (200, 503)}
        after = [s for t, _, s, _ in log2 if t > (outage[1] - t_start) + 3]
        print(f"phase 2: {len(log2)} requests; Redis stopped at {outage[0] - t_start:.0f} s for {args.outage_seconds:.0f} s")
        print(f"  statuses {dict(clean)}; not clean (neither 200 nor 503): {unclean or 'none'}")
        print(f"  3 s after Redis is back: {sum(1 for s in after if s == 200)}/{len(after)} succeed")
        still = store.find_key(secret)
        kept = ("bench:marker", "2026-W48", "ru", "bench", 11) in store.counts()
        print(f"  stored before the restart: NGO key {'kept' if still and not still.revoked else 'LOST'}, counter {'kept' if kept else 'LOST'}")
        for c in clients:
            await c.close()
    finally:
        for r in replicas:
            r.stop()
        fake.stop()
        redis_server.stop()
    return 0


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--rate", type=float, default=100)
    parser.add_argument("--fault-seconds", type=float, default=30)
    parser.add_argument("--outage-at", type=float, default=10)
    parser.add_argument("--outage-seconds", type=float, default=5)
    return asyncio.run(main_async(parser.parse_args()))


if __name__ == "__main__":
    raise SystemExit(main())
