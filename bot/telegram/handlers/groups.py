"""Groups (issue 15): the personal check never runs in public, and nobody can tap another
person's buttons.

- The bot's own commands in a group get a link to a private chat (/topics and /gethelp are
  answered in public, like a question addressed to the bot).
- A question addressed to the bot is answered in the group with the topic card, whose only
  buttons are links (t.me/<bot>?start=<topic>): each member who taps one gets that topic in their
  OWN private chat, in their own language. So no message the bot sends in a group carries a
  button that acts for the person who asked.
- Any callback button tapped in a group (an older message's, or a forged one) is refused with a
  notice unless it is a public button on a message that answers the tapper: a check's, a result's,
  the language picker's, the menu's and the handoff's buttons never act in a group.
- The volunteers' groups of the handoff (issue 16) are left to bot/telegram/handlers/handoff.py:
  there every volunteer may tap a case's button."""

from __future__ import annotations

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.error import TelegramError
from telegram.ext import ApplicationHandlerStop, CallbackQueryHandler, CommandHandler, ContextTypes, MessageHandler, filters

from bot.core.service import MAX_QUESTION_CHARS
from bot.telegram.handlers.common import addressed_to_bot, strip_mention
from bot.telegram.keyboards import topic_label
from bot.telegram.render import esc, topic_card
from bot.telegram.session import deps, language_of, localizer, log, prior_language, send, service, state_of

# Buttons that act on one person's check, result, language, case or chat: never in a group.
PERSONAL = ("a:", "b", "X:", "SS", "SQ", "SA", "W:", "S:", "R:", "M:", "L:", "H:", "U:")
# Commands answered in a group with a link to a private chat (the bot's own, addressed to it).
PRIVATE_COMMANDS = ["check", "start", "help", "menu", "language", "privacy", "forget", "clear", "talk", "stop"]


def private_link(context: ContextTypes.DEFAULT_TYPE, payload: str = "check") -> str:
    return f"https://t.me/{context.bot.username}?start={payload}"


def _volunteers_group(context: ContextTypes.DEFAULT_TYPE, update: Update) -> bool:
    cfg = context.application.bot_data.get("handoff")
    chat = update.effective_chat
    return chat is not None and cfg is not None and chat.id in cfg.groups


def _private(update: Update) -> bool:
    return update.effective_chat is not None and update.effective_chat.type == "private"


def link_markup(context: ContextTypes.DEFAULT_TYPE, loc, topic_ids: list[str], sources: str | None = None) -> InlineKeyboardMarkup:
    """Link buttons only: one per topic (opens it in the tapper's private chat), then the chat.
    `sources`: the topic of the card above, whose Sources open in the tapper's private chat."""
    rows = [[InlineKeyboardButton(topic_label(loc, tid), url=private_link(context, tid))] for tid in topic_ids]
    if sources:
        rows.append([InlineKeyboardButton(loc.text("ui.sources"), url=private_link(context, f"{sources}_{loc.lang}_src"))])
    rows.append([InlineKeyboardButton(loc.text("ui.open_private_chat"), url=private_link(context))])
    return InlineKeyboardMarkup(rows)


async def group_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    if _volunteers_group(context, update):
        return  # the volunteers' commands (/cases, /close) are the handoff's
    d = deps(context)
    loc = localizer(d, await language_of(d, update))
    await send(context, update.effective_chat.id, esc(loc.text("ui.private_only")),
               InlineKeyboardMarkup([[InlineKeyboardButton(loc.text("ui.open_private_chat"), url=private_link(context))]]))
    raise ApplicationHandlerStop


async def group_topics(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/topics and /gethelp in a group: public, with link buttons only."""
    if _volunteers_group(context, update):
        return
    d = deps(context)
    lang = await language_of(d, update)
    loc = localizer(d, lang)
    command = (update.effective_message.text or "").split()[0].split("@")[0].lower() if update.effective_message else ""
    if command == "/gethelp":
        await send_public_topic(update, context, "get-help", lang)
    else:
        await send(context, update.effective_chat.id, f"<b>{esc(loc.text('ui.topics'))}</b>",
                   link_markup(context, loc, list(d.ogoh.book.topics)))
    raise ApplicationHandlerStop


async def send_public_topic(update: Update, context: ContextTypes.DEFAULT_TYPE, topic_id: str, lang: str) -> None:
    d = deps(context)
    card = service(d).topic_card(topic_id, lang)
    loc = localizer(d, lang)
    await send(context, update.effective_chat.id, topic_card(loc, card), link_markup(context, loc, [topic_id], sources=topic_id))


async def group_text(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """A question addressed to the bot in a group: the answer with link buttons only."""
    if _volunteers_group(context, update) or update.effective_message is None:
        return
    if not addressed_to_bot(update, context):
        raise ApplicationHandlerStop  # the bot stays quiet in groups
    d = deps(context)
    svc = service(d)
    state = await state_of(d, update)
    text = strip_mention(update.effective_message.text or "", context)[:MAX_QUESTION_CHARS]
    out = await svc.ask(text, None, channel="bot", prior=prior_language(d, update, state))
    loc = svc.localizer(out.reply_lang)
    chat_id = update.effective_chat.id
    if out.matches:
        card = svc.match_card(out)  # short (bot.core.cards); the link opens it, Sources and details in a private chat
        await send(context, chat_id, topic_card(loc, card), link_markup(context, loc, [card.id], sources=card.id))
    elif out.small_talk:
        await send(context, chat_id, esc(out.small_talk.reply), link_markup(context, loc, []))
    else:
        ids = [s.topic_id for s in out.suggestions] or list(d.ogoh.book.topics)
        message = out.message
        if out.summary is not None and svc.understood(out):  # `message` is then the personal answer: not in a group
            message = loc.text("ui.suggestions") if out.suggestions else None
        await send(context, chat_id, esc(message or loc.text("ui.no_match")), link_markup(context, loc, ids))
    raise ApplicationHandlerStop


async def group_callback(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    query = update.callback_query
    if _private(update) or update.effective_chat is None:
        return  # a private chat (or an inline message): only its owner can tap
    if _volunteers_group(context, update):
        return  # a case's button: any volunteer of the group may tap it (handoff.operator_pressed)
    data = query.data or ""
    owner = getattr(getattr(query.message, "reply_to_message", None), "from_user", None)
    mine = owner is not None and not owner.is_bot and owner.id == query.from_user.id
    if mine and not data.startswith(PERSONAL):
        return  # a public button (a topic) on the answer to the tapper's own message
    someone_else = owner is not None and not owner.is_bot and owner.id != query.from_user.id
    try:
        d = deps(context)
        loc = localizer(d, await language_of(d, update))
        await query.answer(loc.text("ui.not_your_buttons" if someone_else else "ui.private_only"), show_alert=True)
    except TelegramError as exc:  # the notice failed: the tap must still not act (fail closed)
        log.warning("group: a refused tap could not be answered: %s", type(exc).__name__)
    raise ApplicationHandlerStop


def register(app) -> None:
    """Group -2: before the volunteers' handlers (-1) and everything else (0)."""
    in_groups = filters.ChatType.GROUPS
    app.add_handler(CommandHandler(PRIVATE_COMMANDS, group_command, filters=in_groups), group=-2)
    app.add_handler(CommandHandler(["topics", "gethelp"], group_topics, filters=in_groups), group=-2)
    app.add_handler(MessageHandler(in_groups & filters.UpdateType.MESSAGE & filters.TEXT & ~filters.COMMAND, group_text), group=-2)
    app.add_handler(CallbackQueryHandler(group_callback), group=-2)
