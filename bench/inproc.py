"""What bench/answer_digest.py and bench/ask_instructions.py share: one fixed snapshot (rule book
and trained index) pickled to a file, so that two versions of the code answer with the same index
(LinearSVC training is not deterministic to the last digit, and colleagues edit the rules at the
same time), an `Ogoh` and the API app over it, and in-process ASGI calls (no sockets).

    snapshot(path)   read the pickle at `path`, or build it from rules/ and write it there
"""

from __future__ import annotations

import asyncio
import gc
import json
import os
import sys
import threading
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
DATA = ROOT / "tests" / "data"
# Development sets only: never the held-out ones (blind*), never dev6 (being written, studied by
# two engineers only).
QUESTION_SETS = ("questions", "dev/questions", "dev3/questions")
FACT_SETS = ("dev/facts", "dev3/facts", "dev4/facts", "dev5/facts")


def texts(folder: str) -> list[str]:
    return [json.loads(line)["text"] for p in sorted((DATA / folder).glob("*.jsonl"))
            for line in p.read_text(encoding="utf-8").splitlines() if line.strip()]


def snapshot(path: Path) -> Any:
    """An `Ogoh` over the snapshot pickled at `path` (made from rules/ when the file is missing)."""
    os.environ.setdefault("OGOH_STORAGE_URL", "sqlite://:memory:")
    os.environ.setdefault("OGOH_RATE_LIMIT_PER_MINUTE", "100000000")
    from bot import ogoh as ogoh_module
    from bot.core import cache

    if path.exists():
        book, index = cache.loads(path.read_bytes())
    else:
        from bot.engine.rulebook import load_rulebook

        book = load_rulebook(ROOT / "rules")
        index = ogoh_module.build_index(book)
        path.write_bytes(cache.dumps((book, index)))
        book, index = cache.loads(path.read_bytes())  # answer from the pickle, as the other run will
    ogoh = object.__new__(ogoh_module.Ogoh)
    ogoh._snapshot = ogoh_module.Snapshot(book, index, 0.0)
    ogoh.rules_dir = ROOT / "rules"
    ogoh.cache_dir = None
    ogoh._reload_lock = threading.Lock()
    ogoh.last_reload_error = ()
    ogoh.last_reload_at = None
    ogoh_module.words_of(index)
    gc.collect()
    gc.freeze()
    return ogoh


def app_for(ogoh: Any) -> Any:
    from bot.api import create_app
    from bot.settings import Settings

    return create_app(Settings(rules_dir=ogoh.rules_dir), ogoh=ogoh, watch=False)


async def call(app: Any, method: str, path: str, body: bytes = b"",
               headers: tuple[tuple[bytes, bytes], ...] = ()) -> tuple[int, bytes]:
    scope = {"type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1", "method": method, "scheme": "http",
             "path": path, "raw_path": path.encode(), "query_string": b"", "root_path": "",
             "headers": [(b"host", b"x"), (b"content-type", b"application/json"),
                         (b"content-length", str(len(body)).encode()), *headers],
             "client": ("127.0.0.1", 5000), "server": ("127.0.0.1", 80)}
    sent = False

    async def receive() -> dict:
        nonlocal sent
        if not sent:
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}
        await asyncio.sleep(3600)
        return {"type": "http.disconnect"}

    status = 0
    out: list[bytes] = []

    async def send(message: dict) -> None:
        nonlocal status
        if message["type"] == "http.response.start":
            status = message["status"]
        elif message["type"] == "http.response.body":
            out.append(message.get("body", b""))

    await app(scope, receive, send)
    return status, b"".join(out)
