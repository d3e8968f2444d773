"""SQLite back end: embedded, nothing to start. One connection guarded by a lock (the API runs
handlers in a thread pool); WAL so readers do not block the writer."""

from __future__ import annotations

import json
import sqlite3
import threading
import time
import uuid

from bot.storage.base import ApiKey, Store, StoreUnavailable

SCHEMA = """
CREATE TABLE IF NOT EXISTS api_keys (id TEXT PRIMARY KEY, name TEXT NOT NULL, key_hash TEXT UNIQUE NOT NULL,
                                     created_at REAL NOT NULL, revoked INTEGER NOT NULL DEFAULT 0);
CREATE TABLE IF NOT EXISTS rate (bucket TEXT PRIMARY KEY, window_start REAL NOT NULL, n INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS state (user TEXT PRIMARY KEY, data TEXT NOT NULL, expires REAL NOT NULL);
CREATE TABLE IF NOT EXISTS sent (chat TEXT NOT NULL, message_id INTEGER NOT NULL, expires REAL NOT NULL,
                                 PRIMARY KEY (chat, message_id));
CREATE TABLE IF NOT EXISTS counters (name TEXT NOT NULL, week TEXT NOT NULL, lang TEXT NOT NULL, channel TEXT NOT NULL,
                                     n INTEGER NOT NULL, PRIMARY KEY (name, week, lang, channel));
CREATE TABLE IF NOT EXISTS locks (name TEXT PRIMARY KEY, owner TEXT NOT NULL, expires REAL NOT NULL);
"""


class SqliteStore(Store):
    def __init__(self, path: str, secret_key: str):
        super().__init__(secret_key)
        self.path = path
        self._lock = threading.Lock()
        self._db = sqlite3.connect(path, check_same_thread=False, isolation_level=None, timeout=10)
        if path != ":memory:":
            self._db.execute("PRAGMA journal_mode=WAL")
        self._db.executescript(SCHEMA)

    def _run(self, sql: str, params: tuple = ()) -> list[tuple]:
        with self._lock:
            try:
                return self._db.execute(sql, params).fetchall()
            except sqlite3.OperationalError as exc:
                raise StoreUnavailable(str(exc)) from exc

    # keys
    def create_key(self, name: str) -> tuple[ApiKey, str]:
        secret = self.new_key_secret()
        key = ApiKey(uuid.uuid4().hex[:12], name, time.time(), False)
        self._run("INSERT INTO api_keys VALUES (?, ?, ?, ?, 0)", (key.id, name, self.hash_id("apikey", secret), key.created_at))
        return key, secret

    def list_keys(self) -> list[ApiKey]:
        rows = self._run("SELECT id, name, created_at, revoked FROM api_keys ORDER BY created_at")
        return [ApiKey(r[0], r[1], r[2], bool(r[3])) for r in rows]

    def revoke_key(self, key_id: str) -> bool:
        with self._lock:
            cur = self._db.execute("UPDATE api_keys SET revoked = 1 WHERE id = ? AND revoked = 0", (key_id,))
            return cur.rowcount > 0

    def find_key(self, secret: str) -> ApiKey | None:
        rows = self._run("SELECT id, name, created_at, revoked FROM api_keys WHERE key_hash = ?", (self.hash_id("apikey", secret),))
        return ApiKey(rows[0][0], rows[0][1], rows[0][2], bool(rows[0][3])) if rows else None

    # rate limits
    def hit(self, bucket: str, window_seconds: int) -> tuple[int, float]:
        now = time.time()
        start = now - (now % window_seconds)
        rows = self._run(
            "INSERT INTO rate VALUES (?, ?, 1) ON CONFLICT(bucket) DO UPDATE SET "
            "n = CASE WHEN window_start = excluded.window_start THEN n + 1 ELSE 1 END, "
            "window_start = excluded.window_start RETURNING n",
            (bucket, start),
        )
        return rows[0][0], start + window_seconds - now

    def add_hits(self, bucket: str, window_start: int, n: int, window_seconds: int) -> int:
        start = float(window_start * window_seconds)
        rows = self._run(
            "INSERT INTO rate VALUES (?, ?, ?) ON CONFLICT(bucket) DO UPDATE SET "
            "n = CASE WHEN window_start = excluded.window_start THEN n + excluded.n ELSE excluded.n END, "
            "window_start = excluded.window_start RETURNING n",
            (bucket, start, n),
        )
        return int(rows[0][0])

    # interview state
    def get_state(self, user: str) -> dict | None:
        rows = self._run("SELECT data FROM state WHERE user = ? AND expires > ?", (user, time.time()))
        return json.loads(rows[0][0]) if rows else None

    def set_state(self, user: str, state: dict, ttl_seconds: int = 24 * 3600) -> None:
        self._run("INSERT OR REPLACE INTO state VALUES (?, ?, ?)", (user, json.dumps(state), time.time() + ttl_seconds))

    def update_state(self, user: str, fn, ttl_seconds: int = 24 * 3600) -> dict | None:
        with self._lock:
            try:
                self._db.execute("BEGIN IMMEDIATE")
                try:
                    rows = self._db.execute("SELECT data FROM state WHERE user = ? AND expires > ?", (user, time.time())).fetchall()
                    current = json.loads(rows[0][0]) if rows else {}
                    new = fn(current)
                    if new is not None:
                        self._db.execute("INSERT OR REPLACE INTO state VALUES (?, ?, ?)", (user, json.dumps(new), time.time() + ttl_seconds))
                    self._db.execute("COMMIT")
                except BaseException:
                    self._db.execute("ROLLBACK")
                    raise
            except sqlite3.OperationalError as exc:
                raise StoreUnavailable(str(exc)) from exc
        return current if new is None else new

    def count_many(self, items: dict[tuple[str, str, str, str], int]) -> None:
        with self._lock:
            try:
                self._db.executemany(
                    "INSERT INTO counters VALUES (?, ?, ?, ?, ?) ON CONFLICT(name, week, lang, channel) DO UPDATE SET n = n + excluded.n",
                    [(*fields, n) for fields, n in items.items()])
            except sqlite3.OperationalError as exc:
                raise StoreUnavailable(str(exc)) from exc

    def delete_state(self, user: str) -> None:
        self._run("DELETE FROM state WHERE user = ?", (user,))

    # sent messages
    def add_message(self, chat: str, message_id: int, ttl_seconds: int = 48 * 3600) -> None:
        self._run("INSERT OR REPLACE INTO sent VALUES (?, ?, ?)", (chat, message_id, time.time() + ttl_seconds))

    def messages(self, chat: str) -> list[int]:
        rows = self._run("SELECT message_id FROM sent WHERE chat = ? AND expires > ? ORDER BY message_id", (chat, time.time()))
        return [r[0] for r in rows]

    def forget_messages(self, chat: str) -> None:
        self._run("DELETE FROM sent WHERE chat = ?", (chat,))

    # counters
    def count(self, name: str, week: str, lang: str, channel: str, amount: int = 1) -> None:
        self._run(
            "INSERT INTO counters VALUES (?, ?, ?, ?, ?) ON CONFLICT(name, week, lang, channel) DO UPDATE SET n = n + excluded.n",
            (name, week, lang, channel, amount),
        )

    def counts(self) -> list[tuple[str, str, str, str, int]]:
        return [tuple(r) for r in self._run("SELECT name, week, lang, channel, n FROM counters ORDER BY week, name, lang, channel")]  # type: ignore[misc]

    def acquire_lock(self, name: str, owner: str, ttl_seconds: int) -> bool:
        now = time.time()
        rows = self._run(
            "INSERT INTO locks VALUES (?, ?, ?) ON CONFLICT(name) DO UPDATE SET owner = excluded.owner, expires = excluded.expires "
            "WHERE locks.owner = excluded.owner OR locks.expires <= ? RETURNING owner",
            (name, owner, now + ttl_seconds, now),
        )
        return bool(rows) and rows[0][0] == owner

    def release_lock(self, name: str, owner: str) -> None:
        self._run("DELETE FROM locks WHERE name = ? AND owner = ?", (name, owner))

    def purge_expired(self) -> int:
        now = time.time()
        with self._lock:
            a = self._db.execute("DELETE FROM state WHERE expires <= ?", (now,)).rowcount
            b = self._db.execute("DELETE FROM sent WHERE expires <= ?", (now,)).rowcount
            # Rate windows are at most a minute long; an older row only remembers a hashed client.
            c = self._db.execute("DELETE FROM rate WHERE window_start < ?", (now - 3600,)).rowcount
            d = self._db.execute("DELETE FROM locks WHERE expires <= ?", (now,)).rowcount
        return a + b + c + d

    def ping(self) -> None:
        self._run("SELECT 1")

    def close(self) -> None:
        with self._lock:
            self._db.close()
