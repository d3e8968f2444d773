"""/start (with deep links), the language picker, the privacy notice and the menu.

A new user's first contact is ONE message (issue 15): the language buttons, a two-line privacy
summary, "Check my situation" (in Telegram's language, for those who need no other) and the full
privacy notice behind a button. Choosing a language shows the menu; a returning user's /start
goes straight to the menu; changing the language never re-sends the notice."""

from __future__ import annotations

from telegram import InlineKeyboardMarkup, Update
from telegram.ext import ContextTypes

from bot.core.service import UnknownLanguage, resolve_language
from bot.telegram import keyboards
from bot.telegram.render import esc
from bot.telegram.handlers.common import answer_callback
from bot.telegram.handlers.handoff import offered
from bot.telegram.session import deps, language, language_of, localizer, send, state_of, suggested_language, update_state


async def start(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    d = deps(context)
    state = await state_of(d, update)
    payload = context.args[0] if context.args else ""
    new_user = not (state.get("lang") or state.get("cid"))
    if payload == "check":  # the link from a group (issue 15): the check, in private
        from bot.telegram.handlers.interview import begin

        # A new user's first contact: the two-line privacy summary above question 1, once (the
        # check started makes them a returning user).
        intro = localizer(d, language(d, update, state)).text("ui.privacy_summary") if new_user else ""
        await begin(update, context, intro)
        return
    if payload:
        from bot.telegram.handlers.topics import send_topic

        topic_id, _, lang_code = payload.partition("_")
        lang_code, _, part = lang_code.partition("_")  # <topic>_<lang>_src: the card's sources (a group's, a shared card's)
        card_lang = language(d, update, state)
        if lang_code:
            # A shared link's language is the sharer's: it applies to this card only and never
            # changes the reader's own choice (issue 15).
            try:
                card_lang = resolve_language(d.ogoh.book, lang_code)
            except UnknownLanguage:
                pass
        if topic_id in d.ogoh.book.topics and part == "src":
            from bot.telegram.handlers.topics import send_sources

            await send_sources(update, context, topic_id, card_lang)
            return
        if topic_id in d.ogoh.book.topics:
            # A shared link may be a new user's first contact: the privacy summary ends the card.
            notes = (localizer(d, card_lang).text("ui.privacy_summary"),) if new_user else ()
            await send_topic(update, context, topic_id, card_lang, notes)
            return
    if state.get("lang") or state.get("cid"):
        # A returning user (chose a language, or started a check from the first message in
        # Telegram's language): straight to the menu, no first message again.
        await show_menu(update, context, language(d, update, state))
        return
    await first_message(update, context)


async def first_message(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """The one first message of a new user, in Telegram's language (they have chosen none yet)."""
    d = deps(context)
    suggested = suggested_language(d, update)
    loc = localizer(d, suggested)
    # the summary first, so that the prompt stands right above its buttons
    text = f"{esc(loc.text('ui.privacy_summary'))}\n\n{esc(loc.text('bot.choose_language'))}"
    await send(context, update.effective_chat.id, text, first_keyboard(loc, suggested))


def first_keyboard(loc, suggested: str) -> InlineKeyboardMarkup:
    """The languages two to a row (the suggested one first), then the check, then the notice."""
    flat = [b for row in keyboards.languages(loc, suggested).inline_keyboard for b in row]
    rows = [flat[i : i + 2] for i in range(0, len(flat), 2)]
    rows.append([keyboards.button(loc.text("ui.check_my_situation"), "M:check")])
    rows.append([keyboards.button(loc.text("bot.menu_privacy"), "M:privacy")])
    return InlineKeyboardMarkup(rows)


async def ask_language(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/language and the menu's Language button: the languages only (no privacy text again)."""
    d = deps(context)
    suggested = suggested_language(d, update)
    loc = localizer(d, await language_of(d, update))
    await send(context, update.effective_chat.id, esc(loc.text("bot.choose_language")), keyboards.languages(loc, suggested))


async def language_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    await ask_language(update, context)


async def language_chosen(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    await answer_callback(update)
    d = deps(context)
    code = update.callback_query.data[2:]
    try:
        lang = resolve_language(d.ogoh.book, code)
    except UnknownLanguage:
        return
    await update_state(d, update, lambda state: {**state, "lang": lang})  # one atomic write, off the event loop
    await show_menu(update, context, lang)  # the notice is one tap away (Privacy), never re-sent


async def unknown_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/foo, /settings, ...: the menu (in groups only when addressed to the bot)."""
    if update.effective_chat is None or update.effective_chat.type != "private":
        return
    await leave_check(update, context)
    await show_menu(update, context, await language_of(deps(context), update))


async def leave_check(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """The user went to the menu: typed words are questions again (the check's buttons still work)."""
    await update_state(deps(context), update,
                       lambda state: {**state, "paused": True} if state.get("cid") and not state.get("paused") else None)


async def show_menu(update: Update, context: ContextTypes.DEFAULT_TYPE, lang: str) -> None:
    loc = localizer(deps(context), lang)
    await send(context, update.effective_chat.id, esc(loc.text("bot.menu")), keyboards.menu(loc, talk=offered(context)))


async def help_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    d = deps(context)
    loc = localizer(d, await language_of(d, update))
    await send(context, update.effective_chat.id, esc(loc.text("bot.help")), keyboards.menu(loc, talk=offered(context)))


async def menu_pressed(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    from bot.telegram.handlers import interview, privacy, topics

    await answer_callback(update)
    d = deps(context)
    action = update.callback_query.data[2:]
    lang = await language_of(d, update)
    if action == "check":
        await interview.begin(update, context)
    elif action == "topics":
        await topics.list_topics(update, context, lang)
    elif action == "help":
        await topics.send_topic(update, context, "get-help", lang)
    elif action == "lang":
        await ask_language(update, context)
    elif action == "privacy":
        await privacy.privacy_command(update, context)
    else:
        await leave_check(update, context)
        await show_menu(update, context, lang)
