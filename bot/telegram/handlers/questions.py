"""A question typed at any time: answered by the matcher, honestly."""

from __future__ import annotations

from telegram import Update
from telegram.ext import ContextTypes

from bot import trends
from bot.ogoh import MAX_QUESTION_CHARS
from bot.telegram import keyboards
from bot.telegram.render import esc
from bot.telegram.handlers.common import addressed_to_bot, strip_mention
from bot.telegram.handlers.handoff import offered
from bot.telegram.render import topic_card
from bot.telegram.session import deps, flooding, language, load_state, localizer, send

MENU_WORDS = {"start", "menu", "меню", "старт", "menyu", "boshlash", "start again", "главное меню"}


async def text_message(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    if update.effective_message is None or not addressed_to_bot(update, context):
        return
    d = deps(context)
    state = load_state(d, update)
    chat_id = update.effective_chat.id
    if flooding(d, update):
        if not context.user_data.get("warned_flood"):
            context.user_data["warned_flood"] = True
            await send(context, chat_id, esc(localizer(d, language(d, update, state)).text("bot.too_fast")))
        return
    context.user_data.pop("warned_flood", None)
    text = strip_mention(update.effective_message.text or "", context)[:MAX_QUESTION_CHARS]
    if update.effective_chat.type == "private":
        from bot.telegram.handlers import interview, start

        if interview.fold(text) in MENU_WORDS:  # typed "start" or "menu" (issue 15)
            await start.leave_check(update, context)
            await start.show_menu(update, context, language(d, update, state))
            return
        if interview.check_open(state) and await interview.typed_answer(update, context, state, text):
            return
    out = d.ogoh.ask(text, state.get("lang"))
    loc = localizer(d, out.reply_lang)
    trends.count_topics(d.store, [m.topic_id for m in out.matches], out.reply_lang, "bot")
    if out.matches:
        match = out.matches[0]
        await send(context, chat_id, topic_card(loc, match, out.disclaimer, out.notices), keyboards.topic_actions(loc, match.topic_id, talk=offered(context)))
    elif out.small_talk:
        await send(context, chat_id, esc(out.small_talk.reply), keyboards.menu(loc))
    else:
        items = [(s.topic_id, s.title) for s in out.suggestions] or [(t.id, t.title) for t in out.topics]
        markup = keyboards.topics_and_help(loc, items)  # one "Get help" (issue 15, ONBOARDING)
        await send(context, chat_id, esc(out.message or loc.text("ui.no_match")), markup)
