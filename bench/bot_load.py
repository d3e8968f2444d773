"""Telegram bot speed against the fake Bot API server on 127.0.0.1 (tests/fake_telegram.py),
with the real python-telegram-bot library in long-polling mode. Bounded in time and count.

1. Latency: 50 chats talk at once, each sending its next question 1-3 s after the previous reply
   (about 25 updates/s in all, under Telegram's 30 messages/s that the bot's rate limiter
   enforces). Time from an update being available to getUpdates until its reply reaches the server.
2. Throughput: updates handled per second with 50 chats sending back to back, the outgoing rate
   limiter switched off (it would cap the result at Telegram's 30 messages/s).

    python bench/bot_load.py [--seconds 20] [--chats 50]
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

from bot.ogoh import Ogoh  # noqa: E402
from bot.settings import Settings  # noqa: E402
from bot.storage import open_store  # noqa: E402
from bot.telegram.app import build_application  # noqa: E402
from tests.fake_telegram import BotHarness, FakeBotApi, text_update  # noqa: E402

TOKEN = "123:BENCH"


def questions() -> list[str]:
    rows = [json.loads(l) for p in sorted((ROOT / "tests/data/questions").glob("*.jsonl")) for l in p.read_text().splitlines() if l.strip()]
    return [r["text"] for r in rows if r["expect"]]


def run(ogoh: Ogoh, chats: int, seconds: float, paced: bool) -> tuple[list[float], int, float]:
    fake = FakeBotApi(TOKEN).start()
    settings = Settings(rules_dir=ROOT / "rules", storage_url="sqlite://:memory:", telegram_bot_token=TOKEN, telegram_api_base_url=fake.base_url)
    app = build_application(ogoh, open_store(settings.storage_url, "bench"), settings, respect_telegram_limits=paced)
    harness = BotHarness(app, fake).start()
    qs = questions()
    rng = random.Random(5)
    pending: dict[int, float] = {}  # chat id -> when its update was pushed
    next_at = {1000 + c: time.time() + (rng.uniform(0, 2) if paced else 0) for c in range(chats)}
    latencies: list[float] = []
    seen = 0
    start = time.time()
    end = start + seconds
    while time.time() < end and len(latencies) < 100_000:
        now = time.time()
        for chat, when in next_at.items():
            if chat not in pending and when <= now:
                pending[chat] = time.time()
                fake.push(text_update(qs[rng.randrange(len(qs))], chat, "ru"))
        sent = fake.calls_to("sendMessage")
        for call in sent[seen:]:
            chat = int(call.params["chat_id"])
            if chat in pending:
                latencies.append((call.at - pending.pop(chat)) * 1000)
                next_at[chat] = call.at + (rng.uniform(1, 3) if paced else 0)
        seen = len(sent)
        time.sleep(0.002)
    elapsed = time.time() - start
    harness.stop()
    fake.stop()
    return latencies, len(latencies), elapsed


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=float, default=20)
    parser.add_argument("--chats", type=int, default=50)
    args = parser.parse_args()
    ogoh = Ogoh(ROOT / "rules")
    lat, n, elapsed = run(ogoh, args.chats, args.seconds, paced=True)
    lat.sort()
    print(f"{args.chats} chats, paced (~{n / elapsed:.0f} updates/s, rate limiter on), {n} replies:")
    print(f"  update -> reply  p50 {statistics.median(lat):.0f} ms   p95 {lat[int(0.95 * (n - 1))]:.0f} ms   p99 {lat[int(0.99 * (n - 1))]:.0f} ms   max {lat[-1]:.0f} ms")
    lat, n, elapsed = run(ogoh, args.chats, args.seconds / 2, paced=False)
    lat.sort()
    print(f"{args.chats} chats back to back (rate limiter off): {n / elapsed:.0f} updates handled/s; p50 {statistics.median(lat):.0f} ms")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
