"""Storage that never blocks the event loop.

`AsyncStore` is what the service layer uses. Two back ends:
- `SqliteAsyncStore`: the embedded SQLite store, every call run on one worker thread (SQLite is
  fast, but a write can wait for a lock; the event loop never does);
- `RedisAsyncStore`: redis.asyncio with short connect/read timeouts, so a Redis that accepts
  connections and never answers costs a request at most `timeout` seconds, and nothing else.
Every failure (unreachable, timeout, protocol error, garbage in a key) is `StoreUnavailable`; the
service turns it into a 503 only where storage is truly needed.

The key layout is the one of the synchronous stores (bot/storage), which the CLI uses for keys and
trends: both see the same data.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import json
import time
import weakref
from typing import Any, Awaitable, Callable, TypeVar

from bot.storage import ApiKey, Store, StoreUnavailable, open_store
from bot.storage.base import MESSAGE_TTL_SECONDS, STATE_TTL_SECONDS

T = TypeVar("T")
StateUpdate = Callable[[dict[str, Any]], dict[str, Any] | None]
DEFAULT_TIMEOUT = 0.5


class AsyncStore:
    """The async interface. `update_state(user, fn)` applies `fn` to the current state atomically
    (two updates at once never lose one); `fn` returns the new state, or None to leave it."""

    def __init__(self, sync: Store, timeout: float = DEFAULT_TIMEOUT):
        self.sync = sync  # for hashing and for the rare synchronous caller (locks of the poller)
        self.timeout = timeout

    def hash_id(self, kind: str, value: str | int) -> str:
        return self.sync.hash_id(kind, value)

    async def find_key(self, secret: str) -> ApiKey | None:
        raise NotImplementedError

    async def add_hits(self, bucket: str, window_start: int, n: int, window_seconds: int) -> int:
        """Add n requests to a fixed window; returns the window's total across all replicas."""
        raise NotImplementedError

    async def get_state(self, user: str) -> dict | None:
        raise NotImplementedError

    async def update_state(self, user: str, fn: StateUpdate, ttl_seconds: int = STATE_TTL_SECONDS) -> dict | None:
        raise NotImplementedError

    async def delete_state(self, user: str) -> None:
        raise NotImplementedError

    async def add_message(self, chat: str, message_id: int, ttl_seconds: int = MESSAGE_TTL_SECONDS) -> None:
        raise NotImplementedError

    async def messages(self, chat: str) -> list[int]:
        raise NotImplementedError

    async def forget_messages(self, chat: str) -> None:
        raise NotImplementedError

    async def count_many(self, items: dict[tuple[str, str, str, str], int]) -> None:
        raise NotImplementedError

    async def counts(self) -> list[tuple[str, str, str, str, int]]:
        raise NotImplementedError

    async def purge_expired(self) -> int:
        raise NotImplementedError

    async def ping(self) -> None:
        raise NotImplementedError

    async def run_sync(self, fn: Callable[..., T], *args: Any) -> T:
        """A composite synchronous operation on `self.sync` (the handoff's cases) off the event
        loop, within a few timeouts; StoreUnavailable when it takes longer."""
        try:
            return await asyncio.wait_for(asyncio.to_thread(fn, *args), self.timeout * 4)
        except asyncio.TimeoutError as exc:
            raise StoreUnavailable("store: timeout") from exc

    async def close(self) -> None:
        self.sync.close()


class SqliteAsyncStore(AsyncStore):
    """The SQLite store on one worker thread; a call that takes longer than the timeout is
    reported unavailable (the thread finishes it; nothing waits on the event loop)."""

    def __init__(self, sync: Store, timeout: float = 2.0):
        super().__init__(sync, timeout)
        self._pool = concurrent.futures.ThreadPoolExecutor(max_workers=1, thread_name_prefix="ogoh-sqlite")

    async def _run(self, fn: Callable[..., T], *args: Any) -> T:
        loop = asyncio.get_running_loop()
        try:
            return await asyncio.wait_for(loop.run_in_executor(self._pool, fn, *args), self.timeout)
        except asyncio.TimeoutError as exc:
            raise StoreUnavailable("sqlite: timeout") from exc

    async def run_sync(self, fn: Callable[..., T], *args: Any) -> T:
        return await self._run(fn, *args)  # on the one SQLite thread, like every other call

    async def find_key(self, secret: str) -> ApiKey | None:
        return await self._run(self.sync.find_key, secret)

    async def add_hits(self, bucket: str, window_start: int, n: int, window_seconds: int) -> int:
        return await self._run(self.sync.add_hits, bucket, window_start, n, window_seconds)

    async def get_state(self, user: str) -> dict | None:
        return await self._run(self.sync.get_state, user)

    async def update_state(self, user: str, fn: StateUpdate, ttl_seconds: int = STATE_TTL_SECONDS) -> dict | None:
        return await self._run(self.sync.update_state, user, fn, ttl_seconds)

    async def delete_state(self, user: str) -> None:
        await self._run(self.sync.delete_state, user)

    async def add_message(self, chat: str, message_id: int, ttl_seconds: int = MESSAGE_TTL_SECONDS) -> None:
        await self._run(self.sync.add_message, chat, message_id, ttl_seconds)

    async def messages(self, chat: str) -> list[int]:
        return await self._run(self.sync.messages, chat)

    async def forget_messages(self, chat: str) -> None:
        await self._run(self.sync.forget_messages, chat)

    async def count_many(self, items: dict[tuple[str, str, str, str], int]) -> None:
        await self._run(self.sync.count_many, items)

    async def counts(self) -> list[tuple[str, str, str, str, int]]:
        return await self._run(self.sync.counts)

    async def purge_expired(self) -> int:
        return await self._run(self.sync.purge_expired)

    async def ping(self) -> None:
        await self._run(self.sync.ping)

    async def close(self) -> None:
        self._pool.shutdown(wait=True)
        self.sync.close()


P = "ogoh:"


class RedisAsyncStore(AsyncStore):
    """redis.asyncio, one client per event loop (a client is bound to the loop that made it)."""

    def __init__(self, sync: Store, url: str, timeout: float = DEFAULT_TIMEOUT):
        import redis.asyncio  # noqa: F401 - imported here, never first on the event loop (~0.2 s)
        import redis.exceptions  # noqa: F401

        super().__init__(sync, timeout)
        self.url = url
        self._clients: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, Any] = weakref.WeakKeyDictionary()

    def _client(self) -> Any:
        import redis.asyncio as aioredis

        loop = asyncio.get_running_loop()
        client = self._clients.get(loop)
        if client is None:
            client = aioredis.Redis.from_url(self.url, socket_timeout=self.timeout, socket_connect_timeout=self.timeout,
                                             decode_responses=True, retry_on_timeout=False, health_check_interval=10)
            self._clients[loop] = client
        return client

    async def _do(self, op: Callable[[Any], Awaitable[T]]) -> T:
        from redis.exceptions import RedisError

        try:
            return await asyncio.wait_for(op(self._client()), self.timeout * 2)
        except (RedisError, OSError, asyncio.TimeoutError, ValueError, TypeError, KeyError) as exc:
            raise StoreUnavailable(f"redis: {type(exc).__name__}") from exc

    async def find_key(self, secret: str) -> ApiKey | None:
        async def op(r: Any) -> ApiKey | None:
            key_id = await r.get(f"{P}keyhash:{self.hash_id('apikey', secret)}")
            if not key_id:
                return None
            data = await r.hgetall(f"{P}key:{key_id}")
            return ApiKey(key_id, data["name"], float(data["created_at"]), data["revoked"] == "1") if data else None
        return await self._do(op)

    async def add_hits(self, bucket: str, window_start: int, n: int, window_seconds: int) -> int:
        async def op(r: Any) -> int:
            key = f"{P}rate:{bucket}:{window_start}"
            pipe = r.pipeline(transaction=True)
            pipe.incrby(key, n)
            pipe.expire(key, window_seconds + 1)
            total, _ = await pipe.execute()
            return int(total)
        return await self._do(op)

    async def get_state(self, user: str) -> dict | None:
        async def op(r: Any) -> dict | None:
            raw = await r.get(f"{P}state:{user}")
            return json.loads(raw) if raw else None
        return await self._do(op)

    async def update_state(self, user: str, fn: StateUpdate, ttl_seconds: int = STATE_TTL_SECONDS) -> dict | None:
        from redis.exceptions import WatchError

        key = f"{P}state:{user}"

        async def op(r: Any) -> dict | None:
            for _ in range(20):
                async with r.pipeline(transaction=True) as pipe:
                    try:
                        await pipe.watch(key)
                        raw = await pipe.get(key)
                        current = json.loads(raw) if raw else {}
                        new = fn(current)
                        if new is None:
                            await pipe.unwatch()
                            return current
                        pipe.multi()
                        pipe.set(key, json.dumps(new), ex=ttl_seconds)
                        await pipe.execute()
                        return new
                    except WatchError:
                        continue
            raise StoreUnavailable("redis: state kept changing")
        return await self._do(op)

    async def delete_state(self, user: str) -> None:
        async def op(r: Any) -> None:
            await r.delete(f"{P}state:{user}")
        await self._do(op)

    async def add_message(self, chat: str, message_id: int, ttl_seconds: int = MESSAGE_TTL_SECONDS) -> None:
        async def op(r: Any) -> None:
            key = f"{P}sent:{chat}"
            pipe = r.pipeline()
            pipe.zadd(key, {str(message_id): time.time() + ttl_seconds})
            pipe.zremrangebyscore(key, "-inf", time.time())
            pipe.expire(key, ttl_seconds)
            await pipe.execute()
        await self._do(op)

    async def messages(self, chat: str) -> list[int]:
        async def op(r: Any) -> list[int]:
            ids = await r.zrangebyscore(f"{P}sent:{chat}", time.time(), "+inf")
            return sorted(int(i) for i in ids)
        return await self._do(op)

    async def forget_messages(self, chat: str) -> None:
        async def op(r: Any) -> None:
            await r.delete(f"{P}sent:{chat}")
        await self._do(op)

    async def count_many(self, items: dict[tuple[str, str, str, str], int]) -> None:
        async def op(r: Any) -> None:
            pipe = r.pipeline()
            for fields, n in items.items():
                pipe.hincrby(f"{P}counters", "|".join(fields), n)
            await pipe.execute()
        await self._do(op)

    async def counts(self) -> list[tuple[str, str, str, str, int]]:
        async def op(r: Any) -> list[tuple[str, str, str, str, int]]:
            rows = []
            for field, n in (await r.hgetall(f"{P}counters")).items():
                name, week, lang, channel = field.split("|")
                rows.append((name, week, lang, channel, int(n)))
            return sorted(rows, key=lambda row: (row[1], row[0], row[2], row[3]))
        return await self._do(op)

    async def purge_expired(self) -> int:
        async def op(r: Any) -> int:
            removed = 0
            async for key in r.scan_iter(f"{P}sent:*"):
                removed += await r.zremrangebyscore(key, "-inf", time.time())
            return removed
        return await self._do(op)

    async def ping(self) -> None:
        async def op(r: Any) -> None:
            await r.ping()
        await self._do(op)

    async def close(self) -> None:
        for client in list(self._clients.values()):
            try:
                await client.aclose()
            except Exception:  # noqa: BLE001 - closing a client bound to another loop
                pass
        self.sync.close()


def async_store(sync: Store, url: str | None = None) -> AsyncStore:
    from bot.storage.redis import RedisStore

    if isinstance(sync, RedisStore):
        return RedisAsyncStore(sync, url or sync.url)
    return SqliteAsyncStore(sync)


def open_async_store(url: str, secret_key: str) -> AsyncStore:
    return async_store(open_store(url, secret_key), url)
