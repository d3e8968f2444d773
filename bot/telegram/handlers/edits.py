"""An edited message (issue 15): never a second full card.

What a worker expects after fixing a typo is to know whether the bot noticed, without the chat
filling up. Editing the bot's earlier reply would change a message higher up without any
notification (Telegram does not notify edits), so the change would go unseen, and the bot would
have to keep a map from the user's messages to its replies. So the bot answers an edit with ONE
short note: it does not answer again, and the topics the new words are about are one tap away
(short-title buttons; the Topics list when nothing matches). During a check the note is the
usual "tap one of the buttons above". In groups the bot stays quiet. In an open case with the
volunteers the edit goes to them as before (bot/telegram/handlers/handoff.py, group -1)."""

from __future__ import annotations

from telegram import InlineKeyboardMarkup, Update
from telegram.ext import ContextTypes

from bot.core.service import MAX_QUESTION_CHARS
from bot.telegram import keyboards
from bot.telegram.render import esc
from bot.telegram.session import deps, language, localizer, prior_language, send, service, state_of

MAX_BUTTONS = 3


async def edited(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    message = update.edited_message
    if message is None or update.effective_chat is None or update.effective_chat.type != "private":
        return
    from bot.telegram.handlers import interview

    d = deps(context)
    state = await state_of(d, update)
    lang = language(d, update, state)
    loc = localizer(d, lang)
    chat_id = update.effective_chat.id
    if interview.check_open(state):
        await send(context, chat_id, esc(loc.text("ui.tap_a_button")),
                   InlineKeyboardMarkup([[keyboards.button(loc.text("bot.menu_button"), "M:menu")]]))
        return
    text = (message.text or message.caption or "")[:MAX_QUESTION_CHARS]
    topic_ids: list[str] = []
    if text and not text.startswith("/"):
        out = await service(d).ask(text, None, prior=prior_language(d, update, state))  # not counted as a trend: nothing is answered
        topic_ids = list(dict.fromkeys([m.topic_id for m in out.matches] + [s.topic_id for s in out.suggestions]))
    rows = [[keyboards.button(keyboards.topic_label(loc, tid), f"T:{tid}")] for tid in topic_ids[:MAX_BUTTONS]]
    rows = rows or [[keyboards.button(loc.text("ui.topics"), "M:topics")]]
    await send(context, chat_id, esc(loc.text("ui.edited_note")), InlineKeyboardMarkup(rows))
