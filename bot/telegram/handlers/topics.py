"""Topics: the list, one topic's card, its sources with quotes; /gethelp."""

from __future__ import annotations

from telegram import Update
from telegram.ext import ContextTypes

from bot.telegram import keyboards
from bot.telegram.handlers.common import answer_callback
from bot.telegram.handlers.handoff import offered
from bot.telegram.render import sources_block, topic_card
from bot.telegram.session import deps, language_of, localizer, send


async def send_topic(update: Update, context: ContextTypes.DEFAULT_TYPE, topic_id: str, lang: str,
                     notes: tuple[str, ...] = ()) -> None:
    """One topic's card; `notes` go at its end (a new user's privacy summary, issue 15)."""
    d = deps(context)
    if update.effective_chat is not None and update.effective_chat.type != "private":
        from bot.telegram.handlers.groups import send_public_topic

        await send_public_topic(update, context, topic_id, lang)  # link buttons only (issue 15)
        return
    out = d.ogoh.topic(topic_id, lang)
    loc = localizer(d, lang)
    await send(context, update.effective_chat.id, topic_card(loc, out.topic, out.disclaimer, out.notices + list(notes)),
               keyboards.topic_actions(loc, topic_id, talk=offered(context)))


async def list_topics(update: Update, context: ContextTypes.DEFAULT_TYPE, lang: str) -> None:
    d = deps(context)
    out = d.ogoh.topics(lang)
    loc = localizer(d, lang)
    items = [(t.id, t.title) for t in out.topics]  # buttons show the short titles (keyboards.topic_label)
    await send(context, update.effective_chat.id, f"<b>{loc.text('ui.topics')}</b>", keyboards.topics(loc, items))


async def topics_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    await list_topics(update, context, await language_of(deps(context), update))


async def get_help_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    await send_topic(update, context, "get-help", await language_of(deps(context), update))


async def topic_pressed(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    await answer_callback(update)
    d = deps(context)
    topic_id = update.callback_query.data[2:]
    if topic_id in d.ogoh.book.topics:
        await send_topic(update, context, topic_id, await language_of(d, update))


async def topic_sources(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    await answer_callback(update)
    d = deps(context)
    topic_id = update.callback_query.data[3:]
    if topic_id not in d.ogoh.book.topics:
        return
    lang = await language_of(d, update)
    out = d.ogoh.topic(topic_id, lang)
    await send(context, update.effective_chat.id, sources_block(localizer(d, lang), out.topic.citations, with_quotes=True))
