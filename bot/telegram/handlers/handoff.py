"""Talk to a person: the worker's side (/talk, consent, relay, /stop) and the volunteers' side
(replies, /cases, /close) of the anonymous handoff. The case logic is bot/handoff.py.

Setting up a volunteers' group: add the bot to the group and make it an administrator (or turn
its privacy mode off with @BotFather), so that it receives the volunteers' replies and commands;
put the group's chat id in OGOH_HANDOFF_CHATS. Replies must be Telegram replies to a message of
the case (the bot's copy, its case notice or the shared check).

What the volunteers' group receives is only ever: copies made by the bot (`copyMessage`, never a
forward, so no name, username, profile link or id), under a button that carries the encrypted
case token, plus the bot's own notices with the case label and language. Replies go back as
copies too, so the worker never sees a volunteer's name. Nothing here logs or stores text."""

from __future__ import annotations

import asyncio
import logging

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Message, Update
from telegram.constants import ChatType
from telegram.error import BadRequest, Forbidden, NetworkError, RetryAfter, TelegramError, TimedOut
from telegram.ext import Application, ApplicationHandlerStop, CallbackQueryHandler, CommandHandler, ContextTypes, MessageHandler, filters

from bot.core import replies
from bot.core.service import Localizer, UnknownLanguage, resolve_language
from bot.handoff import TOKEN_PREFIX, Case, Cases, HandoffConfig, Ticket, age_text, check_summary, seal, unseal, urgency_for
from bot.storage import StoreUnavailable
from bot.telegram.handlers.common import answer_callback
from bot.telegram.keyboards import talk_row
from bot.telegram.render import esc
from bot.telegram.session import chat_key, deps, language, language_of, localizer, off_loop, send, service, state_of

log = logging.getLogger("ogoh.telegram")

# Photos, videos, files and round videos can show a face, a document or a place: warned first.
WARN_FIRST = filters.PHOTO | filters.VIDEO | filters.VIDEO_NOTE | filters.Document.ALL | filters.ANIMATION
NEVER_RELAYED = filters.LOCATION | filters.VENUE | filters.CONTACT


async def _retrying(call, attempts: int = 4):
    """Flood control (a busy volunteers' group hits Telegram's 20 messages a minute) and network
    errors: wait and try again a few times, then give up with the last error."""
    delay = 0.5
    for attempt in range(attempts):
        try:
            return await call()
        except RetryAfter as exc:
            if attempt == attempts - 1:
                raise
            wait = exc.retry_after.total_seconds() if hasattr(exc.retry_after, "total_seconds") else float(exc.retry_after)
            await asyncio.sleep(min(wait, 30))
        except (TimedOut, NetworkError) as exc:
            if attempt == attempts - 1 or isinstance(exc, (BadRequest, Forbidden)):
                raise
            await asyncio.sleep(delay)
            delay *= 2
    return None


async def _remember(context: ContextTypes.DEFAULT_TYPE, chat_id: int, message_id: int | None) -> None:
    """Message ids in the worker's chat (what they sent the volunteers, the volunteers' answers),
    kept 48 hours like the bot's own, so that /clear deletes the conversation from the phone."""
    if message_id is None:
        return
    d = deps(context)
    await service(d).remember_message(chat_key(d, chat_id), message_id)  # async store; logs when down


def config(context: ContextTypes.DEFAULT_TYPE) -> HandoffConfig:
    return context.application.bot_data.get("handoff") or HandoffConfig()


def offered(context: ContextTypes.DEFAULT_TYPE) -> bool:
    """Is "talk to a person" offered at all (a volunteers' group is configured)?"""
    return config(context).enabled


def privacy_text(context: ContextTypes.DEFAULT_TYPE, loc: Localizer) -> str:
    """The handoff paragraph of the privacy screen, or "" when the handoff is off."""
    return loc.text("ui.handoff.privacy", ngo=_ngo(context, loc)) if offered(context) else ""


def _ngo(context: ContextTypes.DEFAULT_TYPE, loc: Localizer) -> str:
    return config(context).ngo_name or loc.text("ui.handoff.ngo_unnamed")


def _cases(context: ContextTypes.DEFAULT_TYPE) -> Cases:
    """The cases over the synchronous store: every call to them goes through `_do`, off the
    event loop (session.off_loop), never straight from a handler."""
    return Cases(deps(context).store)


async def _do(context: ContextTypes.DEFAULT_TYPE, fn, *args):
    """One operation on the cases (`_cases(context).current`, ...) off the event loop."""
    return await off_loop(deps(context), fn, *args)


def _op_loc(context: ContextTypes.DEFAULT_TYPE) -> Localizer:
    d = deps(context)
    try:
        lang = resolve_language(d.ogoh.book, config(context).operator_lang)
    except UnknownLanguage:
        lang = "ru"
    return localizer(d, lang)


def _lang_name(context: ContextTypes.DEFAULT_TYPE, lang: str) -> str:
    langs = deps(context).ogoh.book.languages
    return f"{langs[lang].name} ({lang})" if lang in langs else lang


def _op_markup(context: ContextTypes.DEFAULT_TYPE, chat_id: int, case: Case) -> InlineKeyboardMarkup:
    """The button under every operator-side message: its data is the encrypted case token."""
    token = seal(config(context).key, chat_id, case.case)
    return InlineKeyboardMarkup([[InlineKeyboardButton(f"#{case.label} · {case.lang}", callback_data=token)]])


def _private(update: Update) -> bool:
    return update.effective_chat is not None and update.effective_chat.type == ChatType.PRIVATE


# --- the worker's side ----------------------------------------------------------------------------

async def talk_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    if not _private(update):
        return
    await _offer_consent(update, context)


async def _offer_consent(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    d = deps(context)
    lang = await language_of(d, update)
    loc = localizer(d, lang)
    chat_id = update.effective_chat.id
    if not offered(context):
        from bot.telegram.handlers.topics import send_topic

        await send_topic(update, context, "get-help", lang)
        return
    try:
        case = await _do(context, _cases(context).current, chat_id)
    except StoreUnavailable:
        await send(context, chat_id, esc(loc.text("bot.error")))
        return
    if case is not None:
        await send(context, chat_id, esc(loc.text("ui.handoff.connected", label=case.label)), _worker_markup(loc))
        return
    markup = InlineKeyboardMarkup([
        [InlineKeyboardButton(loc.text("ui.handoff.agree"), callback_data="H:yes")],
        [InlineKeyboardButton(loc.text("ui.handoff.cancel"), callback_data="H:no")],
    ])
    await send(context, chat_id, esc(loc.text("ui.handoff.consent", ngo=_ngo(context, loc))), markup)


def _worker_markup(loc: Localizer) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup([
        [InlineKeyboardButton(loc.text("ui.handoff.share"), callback_data="H:share")],
        [InlineKeyboardButton(loc.text("ui.handoff.stop_button"), callback_data="H:stop")],
    ])


async def _connect(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    d = deps(context)
    chat_id = update.effective_chat.id
    state = await state_of(d, update)
    lang = language(d, update, state)
    loc = localizer(d, lang)
    cfg = config(context)
    group = cfg.group_for(lang, (state.get("answers") or {}).get("home_country"))
    if group is None:
        await send(context, chat_id, esc(loc.text("ui.handoff.unavailable")))
        return
    cases = _cases(context)
    try:
        case = await _do(context, cases.current, chat_id)
        if case is None:
            if not await _do(context, cases.allow_relay, chat_id):  # opening cases counts too: no flood of new cases
                await send(context, chat_id, esc(loc.text("ui.handoff.too_fast")))
                return
            case = await _do(context, cases.open, chat_id, lang, group)
            op = _op_loc(context)
            await _retrying(lambda: context.bot.send_message(
                group, op.text("ui.handoff.op.new_case", label=case.label, language=_lang_name(context, lang)),
                reply_markup=_op_markup(context, chat_id, case)))
    except StoreUnavailable:
        await send(context, chat_id, esc(loc.text("bot.error")))
        return
    except TelegramError as exc:  # the bot is not in the group, or the group is gone
        log.warning("handoff: the volunteers' group cannot be reached: %s", type(exc).__name__)
        try:
            await _do(context, cases.end, chat_id)
        except StoreUnavailable:
            pass  # the case expires by itself
        await send(context, chat_id, esc(loc.text("ui.handoff.unavailable")))
        return
    await send(context, chat_id, esc(loc.text("ui.handoff.connected", label=case.label)), _worker_markup(loc))


async def pressed(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Buttons H:talk, H:yes, H:no, H:share, H:share!, H:stop, H:p:<message id>, H:pn."""
    await answer_callback(update)
    if not _private(update):
        return
    action = update.callback_query.data[2:]
    d = deps(context)
    loc = localizer(d, await language_of(d, update))
    chat_id = update.effective_chat.id
    if action == "talk":
        await _offer_consent(update, context)
        return
    if not offered(context):
        return
    if action == "yes":
        await _connect(update, context)
    elif action == "no":
        await send(context, chat_id, esc(loc.text("ui.handoff.cancelled")))
    elif action == "stop":
        await _stop(update, context)
    elif action in ("share", "share!"):
        await _share(update, context, confirmed=action == "share!")
    elif action.startswith("p:"):
        cases = _cases(context)
        case = await _do(context, cases.current, chat_id)
        if case is None:
            await send(context, chat_id, esc(loc.text("ui.handoff.no_case")))
            return
        await _do(context, lambda: cases.touch(chat_id, case, photo_warned=True))
        case.photo_warned = True
        try:
            message_id = int(action[2:])
        except ValueError:
            return
        await _relay(update, context, case, message_id)
    elif action == "pn":
        await send(context, chat_id, esc(loc.text("ui.handoff.cancelled")))


async def _share(update: Update, context: ContextTypes.DEFAULT_TYPE, confirmed: bool) -> None:
    """"Share my check": first the worker sees exactly what will be sent, then it is sent."""
    d = deps(context)
    chat_id = update.effective_chat.id
    state = await state_of(d, update)
    lang = language(d, update, state)
    loc = localizer(d, lang)
    case = await _do(context, _cases(context).current, chat_id)
    if case is None:
        await send(context, chat_id, esc(loc.text("ui.handoff.no_case")))
        return
    answers = state.get("answers") or {}
    preview = "\n".join(check_summary(d.ogoh, answers, lang))
    if not preview:
        await send(context, chat_id, esc(loc.text("ui.handoff.share_nothing")))
        return
    if not confirmed:
        markup = InlineKeyboardMarkup([[InlineKeyboardButton(loc.text("ui.handoff.share_send"), callback_data="H:share!"),
                                        InlineKeyboardButton(loc.text("ui.handoff.cancel"), callback_data="H:no")]])
        await send(context, chat_id, f"{esc(loc.text('ui.handoff.share_preview'))}\n\n{esc(preview)}", markup)
        return
    op = _op_loc(context)
    summary = "\n".join(check_summary(d.ogoh, answers, op.lang))
    try:
        await _retrying(lambda: context.bot.send_message(
            case.group, op.text("ui.handoff.op.summary", label=case.label) + "\n\n" + summary,
            reply_markup=_op_markup(context, chat_id, case), protect_content=True))
    except TelegramError as exc:
        log.warning("handoff: the check could not be shared: %s", type(exc).__name__)
        await send(context, chat_id, esc(loc.text("ui.handoff.not_relayed")))
        return
    await _do(context, lambda: _cases(context).touch(chat_id, case, shared=True))
    await send(context, chat_id, esc(loc.text("ui.handoff.shared")))


async def stop_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    if _private(update) and offered(context):
        await _stop(update, context)


async def _stop(update: Update, context: ContextTypes.DEFAULT_TYPE, quiet: bool = False) -> None:
    d = deps(context)
    chat_id = update.effective_chat.id
    loc = localizer(d, await language_of(d, update))
    try:
        case = await _do(context, _cases(context).end, chat_id)
    except StoreUnavailable:
        if not quiet:
            await send(context, chat_id, esc(loc.text("bot.error")))
        return
    if case is not None and case.group is not None:
        try:
            await _retrying(lambda: context.bot.send_message(case.group, _op_loc(context).text("ui.handoff.op.ended", label=case.label)))
        except TelegramError as exc:
            log.warning("handoff: could not tell the group a case ended: %s", type(exc).__name__)
    if not quiet:
        await send(context, chat_id, esc(loc.text("ui.handoff.ended" if case else "ui.handoff.no_case")))


async def forget_too(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/forget also ends an open case at once (runs after the usual /forget)."""
    if _private(update) and offered(context):
        await _stop(update, context, quiet=True)


async def worker_message(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Runs before the usual handlers: in an open case, what the worker sends goes to the
    volunteers (and is not answered by the bot); otherwise it passes on untouched."""
    if not offered(context) or not _private(update):
        return
    message = update.effective_message
    if message is None or (message.text or "").startswith("/"):
        return
    d = deps(context)
    chat_id = update.effective_chat.id
    cases = _cases(context)
    try:
        if await _do(context, cases.was_closed_by_operator, chat_id):
            loc = localizer(d, await language_of(d, update))
            await send(context, chat_id, esc(loc.text("ui.handoff.ended_by_volunteer")))
            return  # the message is answered by the bot as usual
        case = await _do(context, cases.current, chat_id)
    except StoreUnavailable:
        return
    if case is None:
        return
    loc = localizer(d, case.lang)
    if not await _do(context, cases.allow_relay, chat_id):
        if not context.user_data.get("handoff_warned"):
            context.user_data["handoff_warned"] = True
            await send(context, chat_id, esc(loc.text("ui.handoff.too_fast")))
        raise ApplicationHandlerStop
    context.user_data.pop("handoff_warned", None)
    if NEVER_RELAYED.check_update(update):
        await send(context, chat_id, esc(loc.text("ui.handoff.not_relayed")))
    elif WARN_FIRST.check_update(update) and not case.photo_warned:
        markup = InlineKeyboardMarkup([[InlineKeyboardButton(loc.text("ui.handoff.photo_send"), callback_data=f"H:p:{message.message_id}"),
                                        InlineKeyboardButton(loc.text("ui.handoff.photo_dont"), callback_data="H:pn")]])
        await send(context, chat_id, esc(loc.text("ui.handoff.photo_warning")), markup)
    else:
        await _relay(update, context, case, message.message_id)
    raise ApplicationHandlerStop


async def _relay(update: Update, context: ContextTypes.DEFAULT_TYPE, case: Case, message_id: int) -> None:
    chat_id = update.effective_chat.id
    try:
        await _retrying(lambda: context.bot.copy_message(case.group, chat_id, message_id,
                                                         reply_markup=_op_markup(context, chat_id, case), protect_content=True))
    except TelegramError as exc:
        log.warning("handoff: a message could not be relayed: %s", type(exc).__name__)
        loc = localizer(deps(context), case.lang)
        await send(context, chat_id, esc(loc.text("ui.handoff.not_relayed")))
        return
    await _remember(context, chat_id, message_id)
    await _do(context, _cases(context).touch, chat_id, case)


async def offer_after_answer(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Runs after the bot answered a typed message: offers a person when the words show urgency
    (detained, taken, forced, "срочно", a relative missing) or when the bot could not answer."""
    if not offered(context) or not _private(update) or update.effective_message is None:
        return
    d = deps(context)
    text = update.effective_message.text or ""
    if replies.families(service(d), text).wants_person:
        return  # the reply itself offered a person (bot.core.replies): once is enough
    state = await state_of(d, update)
    urgent = urgency_for(d.ogoh.book).found_in(text)
    if not urgent:
        out = d.ogoh.ask(text[:1000], state.get("lang"))
        if out.matches or out.small_talk:
            return
    chat_id = update.effective_chat.id
    if not await _do(context, _cases(context).should_offer, chat_id):
        return
    loc = localizer(d, language(d, update, state))
    await send(context, chat_id, esc(loc.text("ui.handoff.offer")), InlineKeyboardMarkup([talk_row(loc)]))


# --- the volunteers' side ---------------------------------------------------------------------

def _ticket_of(context: ContextTypes.DEFAULT_TYPE, message: Message | None) -> Ticket | None | bool:
    """The case token under a bot message: a Ticket, None (a token that does not open), or False
    (no token: not a case message)."""
    if message is None or message.reply_markup is None:
        return False
    for row in message.reply_markup.inline_keyboard:
        for b in row:
            if isinstance(b.callback_data, str) and b.callback_data.startswith(TOKEN_PREFIX):
                return unseal(config(context).key, b.callback_data)
    return False


async def operator_message(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Every message in a volunteers' group: replies to case messages go to the worker; /cases and
    /close; anything else is ignored (the bot stays quiet in the group)."""
    cfg = config(context)
    chat = update.effective_chat
    if chat is None or chat.id not in cfg.groups:
        return
    message = update.message  # an edited reply is not delivered a second time
    if message is None:
        raise ApplicationHandlerStop
    op = _op_loc(context)
    words = (message.text or "").split()
    command = words[0].split("@")[0].lower() if words and words[0].startswith("/") else ""
    cases = _cases(context)
    ticket = _ticket_of(context, message.reply_to_message)
    try:
        if command == "/cases":
            open_cases = await _do(context, cases.open_cases, chat.id)
            lines = [f"#{c.label} · {_lang_name(context, c.lang)} · {age_text(c.opened)}" for c in open_cases]
            await message.reply_text(op.text("ui.handoff.op.cases") + "\n" + "\n".join(lines) if lines else op.text("ui.handoff.op.no_cases"))
        elif command == "/close":
            await _close(context, message, ticket, words[1] if len(words) > 1 else None)
        elif command:
            pass  # another command: not for the worker
        elif ticket is None:
            await message.reply_text(op.text("ui.handoff.op.refused", label="?"))
        elif isinstance(ticket, Ticket):
            await _deliver(context, message, ticket)
    except StoreUnavailable:
        await message.reply_text(op.text("bot.error"))
    raise ApplicationHandlerStop


async def _deliver(context: ContextTypes.DEFAULT_TYPE, message: Message, ticket: Ticket) -> None:
    op = _op_loc(context)
    cases = _cases(context)
    if not await _do(context, cases.is_open, ticket):
        await message.reply_text(op.text("ui.handoff.op.refused", label=ticket.label))
        return
    try:
        copied = await _retrying(lambda: context.bot.copy_message(ticket.chat_id, message.chat_id, message.message_id))
    except (Forbidden, BadRequest) as exc:
        log.warning("handoff: a reply could not be delivered: %s", type(exc).__name__)
        await message.reply_text(op.text("ui.handoff.op.undeliverable", label=ticket.label))
        if isinstance(exc, Forbidden):  # the worker blocked the bot or deleted the chat
            await _do(context, cases.close_ticket, ticket)
        return
    await _remember(context, ticket.chat_id, getattr(copied, "message_id", None))


async def _close(context: ContextTypes.DEFAULT_TYPE, message: Message, ticket: Ticket | None | bool, label: str | None) -> None:
    op = _op_loc(context)
    cases = _cases(context)
    if isinstance(ticket, Ticket):
        if not await _do(context, cases.close_ticket, ticket):
            await message.reply_text(op.text("ui.handoff.op.refused", label=ticket.label))
            return
        await message.reply_text(op.text("ui.handoff.op.closed", label=ticket.label))
        record_lang = await _worker_lang(context, ticket)
        try:
            await send(context, ticket.chat_id, esc(localizer(deps(context), record_lang).text("ui.handoff.ended_by_volunteer")))
        except TelegramError:
            pass
        return
    if label and await _do(context, cases.close_label, message.chat_id, label):
        await message.reply_text(op.text("ui.handoff.op.closed", label=label.strip("#").upper()))
        return
    await message.reply_text(op.text("ui.handoff.op.close_how"))


async def _worker_lang(context: ContextTypes.DEFAULT_TYPE, ticket: Ticket) -> str:
    svc = service(deps(context))
    state = await svc.state(svc.hash_id("tg-user", ticket.chat_id))  # {} when storage is down
    return state.get("lang") or "ru"


async def operator_pressed(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """A volunteer tapped the case button: how to answer (nothing is sent anywhere)."""
    query = update.callback_query
    ticket = unseal(config(context).key, query.data or "")
    op = _op_loc(context)
    if ticket is None:
        await query.answer(op.text("ui.handoff.op.refused", label="?"), show_alert=True)
        return
    await query.answer(op.text("ui.handoff.op.how", label=ticket.label), show_alert=True)


def register(app: Application) -> None:
    """Group -1 runs before the usual handlers (and stops them for relayed messages and for the
    volunteers' groups); group 1 after them (the offer; /forget ending a case)."""
    only_new = filters.UpdateType.MESSAGE
    # Edited messages too: in a case an edit goes to the volunteers (as a new copy), not to the bot.
    app.add_handler(MessageHandler(filters.ChatType.GROUPS & filters.UpdateType.MESSAGES, operator_message), group=-1)
    app.add_handler(MessageHandler(filters.ChatType.PRIVATE & filters.UpdateType.MESSAGES & ~filters.COMMAND, worker_message), group=-1)
    app.add_handler(CommandHandler("talk", talk_command))
    app.add_handler(CommandHandler("stop", stop_command))
    app.add_handler(CallbackQueryHandler(pressed, pattern=r"^H:"))
    app.add_handler(CallbackQueryHandler(operator_pressed, pattern=r"^HX:"))
    app.add_handler(CommandHandler("forget", forget_too), group=1)
    app.add_handler(MessageHandler(filters.ChatType.PRIVATE & only_new & filters.TEXT & ~filters.COMMAND, offer_after_answer), group=1)
