"""Per-chat helpers: language, interview state (hashed ids, TTL), sending with retries, and the
record of message ids the bot sent (for /clear). Never stores or logs message text."""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass
from typing import Any, Callable, TypeVar

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Message, Update
from telegram.constants import ParseMode
from telegram.error import NetworkError, RetryAfter, TimedOut
from telegram.ext import ContextTypes

from bot.core.service import Localizer, Ogoh, Service, UnknownLanguage, resolve_language
from bot.core.store import StateUpdate, async_store
from bot.storage import Store
from bot.telegram.render import split_message

log = logging.getLogger("ogoh.telegram")
SEND_ATTEMPTS = 4
FLOOD_LIMIT_PER_MINUTE = 20
T = TypeVar("T")


@dataclass
class Deps:
    ogoh: Ogoh
    store: Store
    service: Any = None  # bot.core.service.Service: the API's inside the API (webhook), else made on first use


def deps(context: ContextTypes.DEFAULT_TYPE) -> Deps:
    return context.application.bot_data["deps"]


def service(d: Deps) -> Service:
    """The async service layer the handlers go through (issue 13): the API's when the bot runs
    inside it, else one over this process's store (SQLite off the event loop, redis.asyncio)."""
    if d.service is None:
        d.service = Service(d.ogoh, async_store(d.store))
    return d.service


async def state_of(d: Deps, update: Update) -> dict:
    """The user's interview state through the async store ({} when storage is down)."""
    return await service(d).state(user_key(d, update))


async def update_state(d: Deps, update: Update, fn: StateUpdate) -> dict:
    """One atomic read-change-write of the user's state through the async store."""
    return await service(d).update_state(user_key(d, update), fn)


async def language_of(d: Deps, update: Update, state: dict | None = None) -> str:
    """`language`, with the state read through the async store."""
    return language(d, update, state if state is not None else await state_of(d, update))


def user_key(d: Deps, update: Update) -> str:
    user = update.effective_user
    return d.store.hash_id("tg-user", user.id if user else 0)


def chat_key(d: Deps, chat_id: int) -> str:
    return d.store.hash_id("tg-chat", chat_id)


async def off_loop(d: Deps, fn: Callable[..., T], *args: Any) -> T:
    """A composite operation of the synchronous store (the handoff's cases, bot/handoff.py) run
    off the event loop (the SQLite thread, else a thread), within the store's timeouts:
    StoreUnavailable when storage is slow or down."""
    store = service(d).store
    if store is None:  # an API service without storage: still never on the event loop
        return await asyncio.to_thread(fn, *args)
    return await store.run_sync(fn, *args)


def language(d: Deps, update: Update, state: dict) -> str:
    """The chosen language, else Telegram's language of the user if we speak it, else Russian.
    `state` is read by the caller through the async store (`state_of`, or `language_of`)."""
    if state.get("lang"):
        return state["lang"]
    return suggested_language(d, update)


def suggested_language(d: Deps, update: Update) -> str:
    return telegram_language(d, update) or "ru"


def telegram_language(d: Deps, update: Update) -> str | None:
    """Telegram's language_code of the user ('uz', 'ru-RU', 'kk') as one of ours, else None."""
    code = update.effective_user.language_code if update.effective_user else None
    try:
        return resolve_language(d.ogoh.book, code) if code else None
    except UnknownLanguage:
        return None


def prior_language(d: Deps, update: Update, state: dict) -> str | None:
    """The prior of a typed message's reply language (issue 12 item 4): the language the user
    chose, else Telegram's language_code if we speak it, else None (the text decides; a text
    with no evidence gets the default language). The reply leaves it only on strong evidence."""
    return state.get("lang") or telegram_language(d, update)


def localizer(d: Deps, lang: str) -> Localizer:
    return Localizer(d.ogoh.book, lang)


async def _with_retries(call):
    """The one retry policy for calls to Telegram (AIORateLimiter only paces, it does not retry):
    flood control (RetryAfter) is waited out and retried, up to SEND_ATTEMPTS in all; a network
    error before the request reached Telegram is retried with backoff. A timeout is NOT retried:
    the message may have been delivered, and sending it again would show it twice."""
    delay = 0.5
    for attempt in range(SEND_ATTEMPTS):
        try:
            return await call()
        except RetryAfter as exc:
            wait = exc._retry_after.total_seconds()  # the timedelta (the int property is deprecated)
            if attempt == SEND_ATTEMPTS - 1:
                raise
            await asyncio.sleep(min(wait, 30))
        except TimedOut:
            raise
        except NetworkError:
            if attempt == SEND_ATTEMPTS - 1:
                raise
            await asyncio.sleep(delay)
            delay *= 2
    return None


async def remember(d: Deps, chat_id: int, message: Message | None) -> None:
    """Record a sent message's id for /clear, through the async store (never blocks the loop)."""
    if message is None:
        return
    await service(d).remember_message(chat_key(d, chat_id), message.message_id)


def _has_buttons(markup: InlineKeyboardMarkup | None) -> bool:
    return markup is not None and any(row for row in markup.inline_keyboard)


async def way_on(d: Deps, chat_id: int, markup: InlineKeyboardMarkup | None) -> InlineKeyboardMarkup | None:
    """Every message in a private chat ends with a way on (REVIEW4 R36): one with no buttons
    (a list of sources, a result with nothing to open, a notice) gets the menu button, in the
    language the user chose (a private chat's id is its user's id), else Russian. Groups keep
    what they were given (link buttons only)."""
    if chat_id <= 0 or _has_buttons(markup):
        return markup
    try:
        lang = (await service(d).state(d.store.hash_id("tg-user", chat_id))).get("lang") or "ru"
        loc = localizer(d, resolve_language(d.ogoh.book, lang))
    except Exception:  # storage down or an unknown language: the default language's button
        loc = localizer(d, "ru")
    return InlineKeyboardMarkup([[InlineKeyboardButton(loc.text("bot.menu_button"), callback_data="M:menu")]])


async def send(context: ContextTypes.DEFAULT_TYPE, chat_id: int, html: str,
               markup: InlineKeyboardMarkup | None = None) -> Message | None:
    """Send HTML, split under Telegram's limit; the keyboard goes on the last piece (in a private
    chat never none: `way_on`)."""
    d = deps(context)
    markup = await way_on(d, chat_id, markup)
    pieces = split_message(html)
    last = None
    for i, piece in enumerate(pieces):
        keyboard = markup if i == len(pieces) - 1 else None
        last = await _with_retries(lambda p=piece, k=keyboard: context.bot.send_message(
            chat_id, p, parse_mode=ParseMode.HTML, reply_markup=k, disable_web_page_preview=True))
        await remember(d, chat_id, last)
    return last


async def edit(context: ContextTypes.DEFAULT_TYPE, message: Message, html: str,
               markup: InlineKeyboardMarkup | None = None) -> None:
    markup = await way_on(deps(context), message.chat_id, markup)
    await _with_retries(lambda: context.bot.edit_message_text(
        split_message(html)[0], chat_id=message.chat_id, message_id=message.message_id,
        parse_mode=ParseMode.HTML, reply_markup=markup, disable_web_page_preview=True))
