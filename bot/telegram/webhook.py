"""The Telegram webhook inside the API process.

The bot connects to Telegram in the background and retries with backoff: Telegram unreachable at
start never takes the API and the web page down (/readyz reports `telegram: unreachable`).
Updates are checked before they are queued: a malformed one (wrong types, missing fields, absurd
nesting) is answered 200 and dropped, counted in /metrics (`ogoh_telegram_updates_dropped_total`),
since Telegram would retry a 5xx forever. Until the bot is connected, updates get 503 and
Telegram delivers them again later.
"""

from __future__ import annotations

import asyncio
import json
import logging
from typing import Any

from fastapi import APIRouter, Request, Response

from bot.api import problems
from bot.core.service import Service, error_place
from bot.settings import Settings
from bot.storage import Store

log = logging.getLogger("ogoh.telegram")
MAX_NESTING = 32
RETRY_FIRST, RETRY_MAX = 1.0, 60.0

not_configured_router = APIRouter()


@not_configured_router.post("/telegram/webhook", include_in_schema=False)
async def not_configured() -> Response:
    return problems.problem(404, "Not Found", "the Telegram webhook is not configured on this server")


def _depth(value: Any, limit: int) -> int:
    stack = [(value, 1)]
    deepest = 0
    while stack:
        item, depth = stack.pop()
        deepest = max(deepest, depth)
        if deepest > limit:
            return deepest
        if isinstance(item, dict):
            stack.extend((v, depth + 1) for v in item.values())
        elif isinstance(item, list):
            stack.extend((v, depth + 1) for v in item)
    return deepest


class WebhookBot:
    def __init__(self, service: Service, store: Store, settings: Settings):
        from bot.telegram.app import build_application

        self.service = service
        self.settings = settings
        self.app = build_application(service.ogoh, store, settings, webhook=True, shared_limits=service.store)
        self.app.bot_data["deps"].service = service
        self.running = False
        self._task: asyncio.Task[None] | None = None
        service.telegram_status = "starting"
        self.router = APIRouter()
        self.router.add_api_route("/telegram/webhook", self.webhook, methods=["POST"], include_in_schema=False)

    def start_in_background(self) -> None:
        self._task = asyncio.get_running_loop().create_task(self._connect())

    async def wait_connected(self, timeout: float) -> None:
        """Give the first attempt a moment (so a healthy start takes updates at once), never more."""
        deadline = asyncio.get_running_loop().time() + timeout
        while not self.running and self.service.telegram_status == "starting" and asyncio.get_running_loop().time() < deadline:
            await asyncio.sleep(0.05)

    async def _connect(self) -> None:
        delay = RETRY_FIRST
        while True:
            try:
                await self.app.initialize()
                if self.app.post_init:
                    await self.app.post_init(self.app)
                await self.app.start()
                self.running = True
                self.service.telegram_status = "ok"
                log.info("connected to the Telegram Bot API")
                return
            except asyncio.CancelledError:
                raise
            except Exception as exc:  # noqa: BLE001 - unreachable, bad token, ...: keep serving, retry
                self.service.telegram_status = "unreachable"
                log.warning("Telegram Bot API unreachable (%s); retrying in %.0f s", type(exc).__name__, delay)
                try:
                    await self.app.shutdown()
                except Exception:  # noqa: BLE001
                    pass
                await asyncio.sleep(delay)
                delay = min(delay * 2, RETRY_MAX)

    async def stop(self) -> None:
        if self._task is not None and not self._task.done():
            self._task.cancel()
        if self.running:
            self.running = False
            await self.app.stop()
            await self.app.shutdown()

    def _dropped(self, request: Request, why: str) -> Response:
        request.app.state.metrics.dropped_updates.inc()
        log.warning("dropped a malformed webhook update: %s", why)
        return Response(status_code=200)

    async def webhook(self, request: Request) -> Response:
        from telegram import Update

        from bot.telegram.app import secret_matches

        if not secret_matches(self.settings, request.headers.get("x-telegram-bot-api-secret-token")):
            return problems.problem(403, "Forbidden", "wrong or missing X-Telegram-Bot-Api-Secret-Token")
        try:
            payload = json.loads(await request.body())
        except (ValueError, RecursionError):
            return self._dropped(request, "not JSON")
        if not isinstance(payload, dict) or not isinstance(payload.get("update_id"), int):
            return self._dropped(request, "not an update")
        if _depth(payload, MAX_NESTING) > MAX_NESTING:
            return self._dropped(request, "nested too deep")
        try:
            update = Update.de_json(payload, self.app.bot)
            _check(update)
        except Exception as exc:  # noqa: BLE001 - any shape PTB cannot read
            return self._dropped(request, f"{type(exc).__name__} at {error_place(exc)}")
        if not self.running:
            return problems.problem(503, "Bot not connected yet", "Telegram will deliver this update again", headers={"Retry-After": "5"})
        await self.app.update_queue.put(update)  # handled in PTB's queue: Telegram wants a quick 200
        return Response(status_code=200)


def _check(update: Any) -> None:
    """The fields our handlers rely on have the types Telegram documents."""
    message = update.effective_message
    if message is not None:
        if not isinstance(message.message_id, int) or message.chat is None or not isinstance(message.chat.id, int):
            raise TypeError("message without a proper chat")
        if message.text is not None and not isinstance(message.text, str):
            raise TypeError("text is not a string")
    if update.effective_user is not None and not isinstance(update.effective_user.id, int):
        raise TypeError("user id is not a number")
    query = update.callback_query
    if query is not None and query.data is not None and not isinstance(query.data, str):
        raise TypeError("callback data is not a string")
