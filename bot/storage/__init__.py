"""Storage: one interface (Store), two back ends (SQLite embedded by default, Redis for replicas).

Nothing here ever receives message text: only hashed ids, interview answers (fact ids and option
values), message ids, counters and hashed API keys.
"""

from __future__ import annotations

from bot.storage.base import ApiKey, Store, StoreUnavailable


def open_store(url: str, secret_key: str) -> Store:
    """`sqlite:///path.db`, `sqlite://:memory:` or `redis://host:port/db`."""
    if url.startswith("sqlite:"):
        from bot.storage.sqlite import SqliteStore

        path = url.removeprefix("sqlite:").lstrip("/") if not url.startswith("sqlite:///") else url.removeprefix("sqlite:///")
        return SqliteStore(path or ":memory:", secret_key)
    if url.startswith(("redis://", "rediss://", "unix://")):
        from bot.storage.redis import RedisStore

        return RedisStore(url, secret_key)
    raise ValueError(f"unsupported storage URL {url!r}: use sqlite:///file.db or redis://host:6379/0")


__all__ = ["ApiKey", "Store", "StoreUnavailable", "open_store"]
