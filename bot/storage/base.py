"""The storage interface every back end implements, and the hashing both share."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from abc import ABC, abstractmethod
from dataclasses import dataclass

STATE_TTL_SECONDS = 24 * 3600  # interview answers: gone a day after the last answer
MESSAGE_TTL_SECONDS = 48 * 3600  # Telegram lets a bot delete its messages for 48 hours


class StoreUnavailable(RuntimeError):
    """The back end cannot be reached right now (e.g. Redis restarting)."""


@dataclass(frozen=True)
class ApiKey:
    id: str
    name: str
    created_at: float
    revoked: bool


class Store(ABC):
    def __init__(self, secret_key: str):
        self._secret = secret_key.encode()

    def hash_id(self, kind: str, value: str | int) -> str:
        """Keyed hash: without the server's secret nobody can tell which chat or key it was."""
        return hmac.new(self._secret, f"{kind}:{value}".encode(), hashlib.sha256).hexdigest()[:32]

    @staticmethod
    def new_key_secret() -> str:
        return "ogoh_" + secrets.token_urlsafe(24)

    # --- NGO API keys ---------------------------------------------------------------------
    @abstractmethod
    def create_key(self, name: str) -> tuple[ApiKey, str]:
        """Returns the key record and the secret, which is shown once and stored only hashed."""

    @abstractmethod
    def list_keys(self) -> list[ApiKey]: ...

    @abstractmethod
    def revoke_key(self, key_id: str) -> bool: ...

    @abstractmethod
    def find_key(self, secret: str) -> ApiKey | None: ...

    # --- rate limits ------------------------------------------------------------------------
    @abstractmethod
    def hit(self, bucket: str, window_seconds: int) -> tuple[int, float]:
        """Count one request in the current fixed window: (count so far, seconds until reset)."""

    @abstractmethod
    def add_hits(self, bucket: str, window_start: int, n: int, window_seconds: int) -> int:
        """Add n requests to the fixed window starting at `window_start` (in windows since the
        epoch); returns the window's total so far (the service layer batches its hits)."""

    # --- interview state (short-lived) ----------------------------------------------------
    @abstractmethod
    def get_state(self, user: str) -> dict | None: ...

    @abstractmethod
    def set_state(self, user: str, state: dict, ttl_seconds: int = STATE_TTL_SECONDS) -> None: ...

    @abstractmethod
    def update_state(self, user: str, fn, ttl_seconds: int = STATE_TTL_SECONDS) -> dict | None:
        """Atomically: read the state ({} if none), `fn(state)` -> new state (None: unchanged), write."""

    @abstractmethod
    def delete_state(self, user: str) -> None: ...

    # --- ids of messages the bot sent, for /clear ------------------------------------------
    @abstractmethod
    def add_message(self, chat: str, message_id: int, ttl_seconds: int = MESSAGE_TTL_SECONDS) -> None: ...

    @abstractmethod
    def messages(self, chat: str) -> list[int]: ...

    @abstractmethod
    def forget_messages(self, chat: str) -> None: ...

    # --- anonymous counters ------------------------------------------------------------------
    @abstractmethod
    def count(self, name: str, week: str, lang: str, channel: str, amount: int = 1) -> None: ...

    def count_many(self, items: dict[tuple[str, str, str, str], int]) -> None:
        """Add many counters at once: (name, week, lang, channel) -> amount."""
        for (name, week, lang, channel), n in items.items():
            self.count(name, week, lang, channel, n)

    @abstractmethod
    def counts(self) -> list[tuple[str, str, str, str, int]]:
        """(name, week, lang, channel, count) rows."""

    # --- locks (one Telegram poller per token) ------------------------------------------------
    @abstractmethod
    def acquire_lock(self, name: str, owner: str, ttl_seconds: int) -> bool:
        """Take or renew the lock if it is free, expired or already ours."""

    @abstractmethod
    def release_lock(self, name: str, owner: str) -> None: ...

    # --- housekeeping -------------------------------------------------------------------------
    @abstractmethod
    def purge_expired(self) -> int: ...

    @abstractmethod
    def ping(self) -> None:
        """Raise StoreUnavailable if the back end cannot be used."""

    def close(self) -> None:  # noqa: B027 - optional for a back end  # pragma: no cover
        pass
