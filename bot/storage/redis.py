"""Redis back end, for several replicas sharing state. Every key is namespaced `ogoh:`; expiry
is Redis's own TTL, so nothing outlives its promise even if no process is running. Connection
failures become StoreUnavailable; redis-py reconnects by itself when Redis is back."""

from __future__ import annotations

import functools
import json
import time
import uuid
from typing import Callable, TypeVar

import redis
from redis.exceptions import RedisError, WatchError

from bot.storage.base import MESSAGE_TTL_SECONDS, STATE_TTL_SECONDS, ApiKey, Store, StoreUnavailable

T = TypeVar("T")
P = "ogoh:"
_RELEASE = "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) else return 0 end"
_ACQUIRE = """
local owner = redis.call('get', KEYS[1])
if owner == false or owner == ARGV[1] then
  redis.call('set', KEYS[1], ARGV[1], 'EX', ARGV[2])
  return 1
end
return 0
"""


def _unavailable(method: Callable[..., T]) -> Callable[..., T]:
    @functools.wraps(method)
    def wrapper(*args, **kwargs):
        try:
            return method(*args, **kwargs)
        except (RedisError, OSError, ValueError, KeyError) as exc:  # a protocol error too: never a 500
            raise StoreUnavailable(f"redis: {type(exc).__name__}") from exc
    return wrapper


class RedisStore(Store):
    def __init__(self, url: str, secret_key: str):
        super().__init__(secret_key)
        self.url = url
        self.r = redis.Redis.from_url(url, socket_timeout=1.0, socket_connect_timeout=1.0, health_check_interval=10,
                                      decode_responses=True)
        self._acquire = self.r.register_script(_ACQUIRE)
        self._release = self.r.register_script(_RELEASE)

    # keys
    @_unavailable
    def create_key(self, name: str) -> tuple[ApiKey, str]:
        secret = self.new_key_secret()
        key = ApiKey(uuid.uuid4().hex[:12], name, time.time(), False)
        pipe = self.r.pipeline()
        pipe.hset(f"{P}key:{key.id}", mapping={"name": name, "created_at": key.created_at, "revoked": 0})
        pipe.set(f"{P}keyhash:{self.hash_id('apikey', secret)}", key.id)
        pipe.zadd(f"{P}keys", {key.id: key.created_at})
        pipe.execute()
        return key, secret

    def _key(self, key_id: str) -> ApiKey | None:
        data: dict[str, str] = self.r.hgetall(f"{P}key:{key_id}")  # type: ignore[assignment]
        return ApiKey(key_id, data["name"], float(data["created_at"]), data["revoked"] == "1") if data else None

    @_unavailable
    def list_keys(self) -> list[ApiKey]:
        return [k for k in (self._key(str(i)) for i in self.r.zrange(f"{P}keys", 0, -1)) if k]

    @_unavailable
    def revoke_key(self, key_id: str) -> bool:
        key = self._key(key_id)
        if key is None or key.revoked:
            return False
        self.r.hset(f"{P}key:{key_id}", "revoked", 1)
        return True

    @_unavailable
    def find_key(self, secret: str) -> ApiKey | None:
        key_id = self.r.get(f"{P}keyhash:{self.hash_id('apikey', secret)}")
        return self._key(str(key_id)) if key_id else None

    # rate limits
    @_unavailable
    def hit(self, bucket: str, window_seconds: int) -> tuple[int, float]:
        now = time.time()
        start = int(now // window_seconds)
        key = f"{P}rate:{bucket}:{start}"
        pipe = self.r.pipeline()
        pipe.incr(key)
        pipe.expire(key, window_seconds + 1)
        count, _ = pipe.execute()
        return int(count), (start + 1) * window_seconds - now

    @_unavailable
    def add_hits(self, bucket: str, window_start: int, n: int, window_seconds: int) -> int:
        key = f"{P}rate:{bucket}:{window_start}"
        pipe = self.r.pipeline()
        pipe.incrby(key, n)
        pipe.expire(key, window_seconds + 1)
        total, _ = pipe.execute()
        return int(total)

    # interview state
    @_unavailable
    def get_state(self, user: str) -> dict | None:
        raw = self.r.get(f"{P}state:{user}")
        return json.loads(raw) if raw else None

    @_unavailable
    def set_state(self, user: str, state: dict, ttl_seconds: int = STATE_TTL_SECONDS) -> None:
        self.r.set(f"{P}state:{user}", json.dumps(state), ex=ttl_seconds)

    @_unavailable
    def update_state(self, user: str, fn, ttl_seconds: int = STATE_TTL_SECONDS) -> dict | None:
        key = f"{P}state:{user}"
        with self.r.pipeline() as pipe:
            while True:
                try:
                    pipe.watch(key)
                    raw = pipe.get(key)
                    current = json.loads(raw) if raw else {}
                    new = fn(current)
                    if new is None:
                        pipe.unwatch()
                        return current
                    pipe.multi()
                    pipe.set(key, json.dumps(new), ex=ttl_seconds)
                    pipe.execute()
                    return new
                except WatchError:
                    continue

    @_unavailable
    def delete_state(self, user: str) -> None:
        self.r.delete(f"{P}state:{user}")

    # sent messages: a sorted set per chat, scored by expiry time
    @_unavailable
    def add_message(self, chat: str, message_id: int, ttl_seconds: int = MESSAGE_TTL_SECONDS) -> None:
        key = f"{P}sent:{chat}"
        pipe = self.r.pipeline()
        pipe.zadd(key, {str(message_id): time.time() + ttl_seconds})
        pipe.zremrangebyscore(key, "-inf", time.time())
        pipe.expire(key, ttl_seconds)
        pipe.execute()

    @_unavailable
    def messages(self, chat: str) -> list[int]:
        ids = self.r.zrangebyscore(f"{P}sent:{chat}", time.time(), "+inf")
        return sorted(int(str(i)) for i in ids)

    @_unavailable
    def forget_messages(self, chat: str) -> None:
        self.r.delete(f"{P}sent:{chat}")

    # counters
    @_unavailable
    def count(self, name: str, week: str, lang: str, channel: str, amount: int = 1) -> None:
        self.r.hincrby(f"{P}counters", "|".join((name, week, lang, channel)), amount)

    @_unavailable
    def counts(self) -> list[tuple[str, str, str, str, int]]:
        rows = []
        counters: dict[str, str] = self.r.hgetall(f"{P}counters")  # type: ignore[assignment]
        for field, n in counters.items():
            name, week, lang, channel = field.split("|")
            rows.append((name, week, lang, channel, int(n)))
        return sorted(rows, key=lambda r: (r[1], r[0], r[2], r[3]))

    # locks
    @_unavailable
    def acquire_lock(self, name: str, owner: str, ttl_seconds: int) -> bool:
        return bool(self._acquire(keys=[f"{P}lock:{name}"], args=[owner, ttl_seconds]))

    @_unavailable
    def release_lock(self, name: str, owner: str) -> None:
        self._release(keys=[f"{P}lock:{name}"], args=[owner])

    @_unavailable
    def purge_expired(self) -> int:
        removed = 0
        for key in self.r.scan_iter(f"{P}sent:*"):
            removed += self.r.zremrangebyscore(key, "-inf", time.time())
        return removed

    @_unavailable
    def ping(self) -> None:
        self.r.ping()

    def close(self) -> None:
        self.r.close()
