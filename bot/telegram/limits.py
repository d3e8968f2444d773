"""Telegram's outgoing limits shared by every replica: at most 30 messages a second for the bot
as a whole and one a second per chat, counted in the shared storage (Redis for replicas) in
one-second windows. Two webhook replicas together stay under Telegram's limits, which a
per-process limiter (PTB's AIORateLimiter) cannot promise. Pacing only: retrying is
session._with_retries's job. Storage down: each replica paces itself (the local fallback)."""

from __future__ import annotations

import asyncio
import time
from typing import Any

from telegram.ext import AIORateLimiter, BaseRateLimiter

from bot.core.service import StoreUnavailable
from bot.core.store import AsyncStore

OVERALL_PER_SECOND = 30
PER_CHAT_PER_SECOND = 1
MAX_WAIT_SECONDS = 30.0


class SharedRateLimiter(BaseRateLimiter[None]):
    def __init__(self, store: AsyncStore, overall: int = OVERALL_PER_SECOND, per_chat: int = PER_CHAT_PER_SECOND):
        self.store = store
        self.overall = overall
        self.per_chat = per_chat
        self.local = AIORateLimiter(max_retries=0)

    async def initialize(self) -> None:
        await self.local.initialize()

    async def shutdown(self) -> None:
        await self.local.shutdown()

    async def _slot(self, bucket: str, limit: int) -> None:
        deadline = time.monotonic() + MAX_WAIT_SECONDS
        while True:
            now = time.time()
            window = int(now)
            granted = await self.store.add_hits(bucket, window, 1, 1) <= limit
            if (granted and int(time.time()) == window) or time.monotonic() > deadline:
                return  # a slot of this very second (one granted late, for a past second, is not used)
            if int(time.time()) == window:
                await asyncio.sleep(window + 1 - time.time() + 0.001)  # the next second

    async def process_request(self, callback: Any, args: Any, kwargs: dict[str, Any], endpoint: str,
                              data: dict[str, Any], rate_limit_args: Any) -> Any:
        chat = data.get("chat_id")
        try:
            if chat is not None and endpoint in ("sendMessage", "editMessageText", "sendPhoto", "sendDocument"):
                await self._slot(f"tg-chat:{self.store.hash_id('tg-chat', str(chat))}", self.per_chat)
            await self._slot("tg-overall", self.overall)
        except StoreUnavailable:
            return await self.local.process_request(callback, args, kwargs, endpoint, data, rate_limit_args)
        return await callback(*args, **kwargs)
