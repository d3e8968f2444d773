"""/start (with deep links), the language picker, the privacy notice and the menu."""

from __future__ import annotations

from telegram import Update
from telegram.ext import ContextTypes

from bot.engine.i18n import UnknownLanguage, resolve_language
from bot.telegram import keyboards
from bot.telegram.render import esc
from bot.telegram.handlers.common import answer_callback
from bot.telegram.handlers.handoff import offered
from bot.telegram.session import deps, language, load_state, localizer, save_state, send, suggested_language


async def start(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    d = deps(context)
    state = load_state(d, update)
    payload = context.args[0] if context.args else ""
    if payload == "check":  # the link from a group (issue 15): the check, in private
        from bot.telegram.handlers.interview import begin

        await begin(update, context)
        return
    if payload:
        from bot.telegram.handlers.topics import send_topic

        topic_id, _, lang_code = payload.partition("_")
        card_lang = language(d, update, state)
        if lang_code:
            # A shared link's language is the sharer's: it applies to this card only and never
            # changes the reader's own choice (issue 15).
            try:
                card_lang = resolve_language(d.ogoh.book, lang_code)
            except UnknownLanguage:
                pass
        if topic_id in d.ogoh.book.topics:
            await send_topic(update, context, topic_id, card_lang)
            return
    if state.get("lang"):  # a returning user: straight to the menu, no language picker again
        await show_menu(update, context, state["lang"])
        return
    await ask_language(update, context)


async def ask_language(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    d = deps(context)
    suggested = suggested_language(d, update)
    loc = localizer(d, suggested)
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
    state = load_state(d, update)
    state["lang"] = lang
    save_state(d, update, state)
    loc = localizer(d, lang)
    await send(context, update.effective_chat.id, esc(loc.text("bot.privacy_notice")))
    await show_menu(update, context, lang)


async def unknown_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/foo, /settings, ...: the menu (in groups only when addressed to the bot)."""
    if update.effective_chat is None or update.effective_chat.type != "private":
        return
    await leave_check(update, context)
    await show_menu(update, context, language(deps(context), update))


async def leave_check(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """The user went to the menu: typed words are questions again (the check's buttons still work)."""
    d = deps(context)
    from bot.telegram.handlers.interview import _update

    _update(d, update, lambda state: {**state, "paused": True} if state.get("cid") and not state.get("paused") else None)


async def show_menu(update: Update, context: ContextTypes.DEFAULT_TYPE, lang: str) -> None:
    loc = localizer(deps(context), lang)
    await send(context, update.effective_chat.id, esc(loc.text("bot.menu")), keyboards.menu(loc, talk=offered(context)))


async def help_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    d = deps(context)
    lang = language(d, update)
    loc = localizer(d, lang)
    await send(context, update.effective_chat.id, esc(loc.text("bot.help")), keyboards.menu(loc, talk=offered(context)))


async def menu_pressed(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    from bot.telegram.handlers import interview, privacy, topics

    await answer_callback(update)
    d = deps(context)
    action = update.callback_query.data[2:]
    lang = language(d, update)
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
