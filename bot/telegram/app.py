"""Building the python-telegram-bot Application, and the two ways to run it: long polling
(`ogoh telegram`) or a webhook inside the FastAPI app."""

from __future__ import annotations

import hmac
import logging
import os
import socket
from typing import Any

from telegram import BotCommand, Update
from telegram.ext import AIORateLimiter, Application, ApplicationBuilder

from bot.core.service import Localizer, Ogoh
from bot.handoff import HandoffConfig
from bot.settings import Settings
from bot.storage import Store
from bot.telegram.handlers import register
from bot.telegram.session import Deps

# python-telegram-bot's own 429 handling (AIORateLimiter) reads RetryAfter.retry_after, which warns
# of its coming switch to a timedelta unless this opt-in is set; our code reads either form.
os.environ.setdefault("PTB_TIMEDELTA", "1")
log = logging.getLogger("ogoh.telegram")
POLLER_LOCK_TTL = 60


class PollerAlreadyRunning(RuntimeError):
    pass


def quiet_library_logs() -> None:
    """python-telegram-bot logs whole updates (the user's words) at DEBUG, and httpx logs request
    URLs (which hold the bot token) at INFO. Neither may reach our logs, whatever the root level."""
    logging.getLogger("telegram").setLevel(logging.INFO)
    logging.getLogger("httpx").setLevel(logging.WARNING)
    logging.getLogger("httpcore").setLevel(logging.WARNING)
    logging.getLogger("apscheduler").setLevel(logging.WARNING)


def build_application(ogoh: Ogoh, store: Store, settings: Settings, webhook: bool = False,
                      respect_telegram_limits: bool = True, shared_limits: Any = None) -> Application:
    """`shared_limits`: an AsyncStore through which all replicas pace their sends together
    (bot.telegram.limits); without it, this process paces itself."""
    quiet_library_logs()
    if not settings.telegram_bot_token:
        raise ValueError("TELEGRAM_BOT_TOKEN is not set")
    base = settings.telegram_api_base_url.rstrip("/")
    builder = (
        ApplicationBuilder()
        .token(settings.telegram_bot_token)
        .base_url(f"{base}/bot")
        .base_file_url(f"{base}/file/bot")
        .post_init(_post_init)
        .concurrent_updates(True)
    )
    # Telegram's outgoing limits (30 msg/s overall, 1/s per chat, 20/min per group): pacing only.
    # Retrying is session._with_retries's job alone (max_retries=0 here), so a send is tried at
    # most SEND_ATTEMPTS times. Off only in benchmarks that measure our own cost.
    if respect_telegram_limits and shared_limits is not None:
        from bot.telegram.limits import SharedRateLimiter

        builder = builder.rate_limiter(SharedRateLimiter(shared_limits))  # type: ignore[arg-type]
    elif respect_telegram_limits:
        builder = builder.rate_limiter(AIORateLimiter(max_retries=0))  # type: ignore[arg-type]
    if webhook:
        builder = builder.updater(None)
    app = builder.build()
    app.bot_data["deps"] = Deps(ogoh, store)
    app.bot_data["handoff"] = HandoffConfig.from_settings(settings)  # talk to a person (issue 16)
    register(app)
    return app


async def _post_init(app: Application) -> None:
    ogoh: Ogoh = app.bot_data["deps"].ogoh
    for lang in ogoh.book.languages:
        loc = Localizer(ogoh.book, lang)
        commands = [
            BotCommand("start", loc.text("bot.menu_button")),
            BotCommand("check", loc.text("ui.check_my_situation")),
            BotCommand("topics", loc.text("ui.topics")),
            BotCommand("gethelp", loc.text("ui.get_help")),
            BotCommand("language", loc.text("bot.menu_language")),
            BotCommand("privacy", loc.text("bot.menu_privacy")),
        ]
        if app.bot_data.get("handoff") is not None and app.bot_data["handoff"].enabled:
            commands.append(BotCommand("talk", loc.text("ui.handoff.button")))  # issue 16
        await app.bot.set_my_commands(commands, language_code=None if lang == "ru" else lang)
        # The bot's profile in the user's language (issue 15): Russian is also the default.
        code = None if lang == "ru" else lang
        await app.bot.set_my_description(loc.text("ui.bot_description")[:512], language_code=code)
        await app.bot.set_my_short_description(loc.text("ui.bot_short_description")[:120], language_code=code)


def run_polling(ogoh: Ogoh, store: Store, settings: Settings) -> None:
    """Long polling, refusing to start when another poller holds this token's lock."""
    lock = "tg-poller:" + store.hash_id("token", settings.telegram_bot_token or "")
    owner = f"{socket.gethostname()}:{os.getpid()}"
    if not store.acquire_lock(lock, owner, POLLER_LOCK_TTL):
        raise PollerAlreadyRunning("another `ogoh telegram` is already polling with this token")
    app = build_application(ogoh, store, settings)

    async def keep_lock(context) -> None:
        if not store.acquire_lock(lock, owner, POLLER_LOCK_TTL):
            log.error("lost the poller lock; stopping")
            context.application.stop_running()

    if app.job_queue is not None:
        app.job_queue.run_repeating(keep_lock, interval=POLLER_LOCK_TTL / 3)
    try:
        app.run_polling(allowed_updates=Update.ALL_TYPES, drop_pending_updates=False)
    finally:
        store.release_lock(lock, owner)


def secret_matches(settings: Settings, header: str | None) -> bool:
    expected = settings.telegram_webhook_secret
    return expected is not None and bool(expected) and header is not None and hmac.compare_digest(expected.encode(), header.encode())


async def feed_webhook_update(app: Application, payload: dict) -> None:
    """Hand the update to PTB's queue and return at once: Telegram wants a quick 200."""
    update = Update.de_json(payload, app.bot)
    await app.update_queue.put(update)


__all__ = ["build_application", "run_polling", "secret_matches", "feed_webhook_update", "PollerAlreadyRunning"]
