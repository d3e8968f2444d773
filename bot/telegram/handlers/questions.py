"""A question typed at any time: answered by the matcher, honestly; a message that states a
situation is also answered for that situation ("I understood: … [Right] [Change]", issue 12).
Through the async service only (issue 13)."""

from __future__ import annotations

from telegram import Update
from telegram.ext import ContextTypes

from bot.core import replies
from bot.core.cards import card_ref
from bot.core.service import MAX_QUESTION_CHARS
from bot.telegram import keyboards
from bot.telegram.handlers import understood
from bot.telegram.handlers.common import addressed_to_bot, strip_mention
from bot.telegram.handlers.handoff import offered
from bot.telegram.lead import lead_keyboard, lead_text
from bot.telegram.render import esc, topic_card
from bot.telegram.session import FLOOD_LIMIT_PER_MINUTE, deps, language, prior_language, send, service, state_of, user_key

MENU_WORDS = {"start", "menu", "меню", "старт", "menyu", "boshlash", "start again", "главное меню"}


def flooding(d, update: Update) -> bool:
    """More than FLOOD_LIMIT_PER_MINUTE messages a minute from one user (counted in memory by
    the service's limiter, shared across replicas in batches)."""
    return service(d).limiter.hit("tg-flood:" + user_key(d, update), FLOOD_LIMIT_PER_MINUTE) is not None


async def text_message(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    if update.effective_message is None or not addressed_to_bot(update, context):
        return
    d = deps(context)
    svc = service(d)
    state = await state_of(d, update)
    chat_id = update.effective_chat.id
    if flooding(d, update):
        if not context.user_data.get("warned_flood"):
            context.user_data["warned_flood"] = True
            await send(context, chat_id, esc(svc.localizer(language(d, update, state)).text("bot.too_fast")))
        return
    context.user_data.pop("warned_flood", None)
    text = strip_mention(update.effective_message.text or "", context)[:MAX_QUESTION_CHARS]
    private = update.effective_chat.type == "private"
    if private:
        from bot.telegram.handlers import interview, start

        if interview.fold(text) in MENU_WORDS:  # typed "start" or "menu" (issue 15)
            await start.leave_check(update, context)
            await start.show_menu(update, context, language(d, update, state))
            return
        if interview.check_open(state) and await interview.typed_answer(update, context, state, text):
            return
    # the chosen language, else Telegram's, is the prior: left only on strong evidence in the text
    out = await svc.ask(text, None, channel="bot", prior=prior_language(d, update, state))
    loc = svc.localizer(out.reply_lang)
    if private:  # urgent, signed, a person asked for, out of scope: the reply leads with it (bot.core.replies)
        att = replies.attention(out)
        lead = replies.lead_reply(svc, out, att, offered(context))
        if lead is not None:
            await send(context, chat_id, lead_text(loc, lead, offered(context)), lead_keyboard(loc, lead, offered(context)))
            if lead.kind in ("urgent", "signed", "person"):
                await understood.offer(update, context, out)  # what was understood follows, one message
            return
    if private and await understood.offer(update, context, out, aid=True):
        # A message that states facts gets ONE short reply, "I understood: … [Right] [Change]"
        # with one thing to do now and a contact to tap (REVIEW6 #9: on a throttled connection
        # the answer one tap away may never come): the topic card is one tap away under it (its
        # short-title button), the personal answer one tap away on Right. Three long messages
        # are too many on a cheap phone.
        return
    if out.matches:
        card = svc.match_card(out)  # short: the rest and the sources one tap away (bot.core.cards)
        await send(context, chat_id, topic_card(loc, card), keyboards.topic_actions(loc, card_ref(card), talk=offered(context)))
    elif out.small_talk and out.small_talk.kind == "privacy" and private:
        # "вы храните мои данные?" (REVIEW6 #11): the privacy notice the Privacy button shows, with /forget and /clear
        from bot.telegram.handlers import privacy

        await send(context, chat_id, privacy.notice(context, loc), keyboards.menu(loc, talk=offered(context)))
    elif out.small_talk:
        await send(context, chat_id, esc(out.small_talk.reply), keyboards.menu(loc))
    else:
        items = [(s.topic_id, s.title) for s in out.suggestions] or [(t.id, t.title) for t in out.topics]
        # one "Get help" (issue 15, ONBOARDING); a suggestion's card is for the country the question named (REVIEW5 F9)
        markup = keyboards.topics_and_help(loc, items, home=out.country_named if out.suggestions else None)
        await send(context, chat_id, esc(out.message or loc.text("ui.no_match")), markup)
