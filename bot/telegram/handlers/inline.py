"""Inline mode: `@bot question` in any chat offers topic cards to share.

The cards are in the asker's language (the language they chose in the bot, else Telegram's
language_code), never the language guessed from a few typed letters (issue 15). The results are
personal and cached by Telegram for a few seconds only, so one user's language never reaches
another. Topics are counted as trends like every other face, once per user and topic in
INLINE_COUNT_SECONDS: Telegram sends a query for almost every typed letter."""

from __future__ import annotations

import time

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, InlineQueryResultArticle, InputTextMessageContent, Update
from telegram.constants import ParseMode
from telegram.ext import ContextTypes

from bot.telegram.render import TELEGRAM_LIMIT, split_message, topic_card
from bot.telegram.session import deps, language_of, localizer, service

MAX_RESULTS = 9
CACHE_SECONDS = 5
INLINE_COUNT_SECONDS = 600


async def inline_query(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    d = deps(context)
    query = (update.inline_query.query or "").strip()[:256]
    lang = await language_of(d, update)
    topic_ids: list[str] = []
    if query:
        out = await service(d).ask(query, lang)
        matched = [m.topic_id for m in out.matches]
        _count(context, matched, lang)
        topic_ids = matched + [s.topic_id for s in out.suggestions]
    topic_ids += [t for t in d.ogoh.book.topics if t not in topic_ids]
    loc = localizer(d, lang)
    results = []
    for topic_id in topic_ids[:MAX_RESULTS]:
        card = service(d).topic_card(topic_id, lang)  # short (bot.core.cards): the link opens it with Sources and details
        text = split_message(topic_card(loc, card), TELEGRAM_LIMIT)[0]
        link = f"https://t.me/{context.bot.username}?start={topic_id}_{lang}"
        results.append(InlineQueryResultArticle(
            id=topic_id, title=card.title, description=card.lead[:120],
            input_message_content=InputTextMessageContent(text, parse_mode=ParseMode.HTML, disable_web_page_preview=True),
            reply_markup=InlineKeyboardMarkup([[InlineKeyboardButton(loc.text("bot.share"), url=link),
                                                InlineKeyboardButton(loc.text("ui.sources"), url=f"{link}_src")]]),
        ))
    await update.inline_query.answer(results, cache_time=CACHE_SECONDS, is_personal=True)


def _count(context: ContextTypes.DEFAULT_TYPE, topic_ids: list[str], lang: str) -> None:
    """Count each matched topic once per user in INLINE_COUNT_SECONDS (kept in memory only)."""
    now = time.time()
    seen: dict[str, float] = context.user_data.setdefault("inline_counted", {}) if context.user_data is not None else {}
    fresh = [t for t in topic_ids if now - seen.get(t, 0.0) >= INLINE_COUNT_SECONDS]
    if not fresh:
        return
    seen.update({t: now for t in fresh})
    service(deps(context)).count_topics(fresh, lang, "inline")  # batched, like the web and the API
