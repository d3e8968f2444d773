"""Inline mode: `@bot question` in any chat offers topic cards to share."""

from __future__ import annotations

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, InlineQueryResultArticle, InputTextMessageContent, Update
from telegram.constants import ParseMode
from telegram.ext import ContextTypes

from bot.telegram.render import TELEGRAM_LIMIT, split_message, topic_card
from bot.telegram.session import deps, localizer, suggested_language

MAX_RESULTS = 9


async def inline_query(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    d = deps(context)
    query = (update.inline_query.query or "").strip()[:256]
    lang = suggested_language(d, update)
    topic_ids: list[str] = []
    if query:
        out = d.ogoh.ask(query)
        lang = out.reply_lang
        topic_ids = [m.topic_id for m in out.matches] + [s.topic_id for s in out.suggestions]
    topic_ids += [t for t in d.ogoh.book.topics if t not in topic_ids]
    loc = localizer(d, lang)
    results = []
    for topic_id in topic_ids[:MAX_RESULTS]:
        detail = d.ogoh.topic(topic_id, lang)
        card = split_message(topic_card(loc, detail.topic, detail.disclaimer, []), TELEGRAM_LIMIT)[0]
        link = f"https://t.me/{context.bot.username}?start={topic_id}_{lang}"
        results.append(InlineQueryResultArticle(
            id=topic_id, title=detail.topic.title, description=detail.topic.answer[:120],
            input_message_content=InputTextMessageContent(card, parse_mode=ParseMode.HTML, disable_web_page_preview=True),
            reply_markup=InlineKeyboardMarkup([[InlineKeyboardButton(loc.text("bot.share"), url=link)]]),
        ))
    await update.inline_query.answer(results, cache_time=300, is_personal=False)
