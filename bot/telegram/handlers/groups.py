"""Groups (issue 15): the personal check never runs in public. /check and /start get a link to
a private chat; a personal button tapped in a group, or anyone's button tapped by another
member, gets a notice instead of acting."""

from __future__ import annotations

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.ext import ApplicationHandlerStop, CallbackQueryHandler, CommandHandler, ContextTypes, filters

from bot.telegram.render import esc
from bot.telegram.session import deps, language, localizer, send

# Buttons that act on one person's check or its result; topic cards and the menu are public.
PERSONAL = ("a:", "b", "X:", "SS", "SQ", "W:", "S:", "R:", "M:check", "L:", "M:lang", "H:")


def private_link(context: ContextTypes.DEFAULT_TYPE, payload: str = "check") -> str:
    return f"https://t.me/{context.bot.username}?start={payload}"


async def group_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    d = deps(context)
    loc = localizer(d, language(d, update))
    await send(context, update.effective_chat.id, esc(loc.text("ui.private_only")),
               InlineKeyboardMarkup([[InlineKeyboardButton(loc.text("ui.open_private_chat"), url=private_link(context))]]))
    raise ApplicationHandlerStop


async def group_callback(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    query = update.callback_query
    if update.effective_chat is None or update.effective_chat.type == "private":
        return  # a private chat: only its owner can tap
    data = query.data or ""
    message = query.message
    owner = getattr(getattr(message, "reply_to_message", None), "from_user", None)
    someone_else = owner is not None and not owner.is_bot and owner.id != query.from_user.id
    if not someone_else and not data.startswith(PERSONAL):
        return  # a public button (a topic card, the topic list): handled as usual
    d = deps(context)
    loc = localizer(d, language(d, update))
    await query.answer(loc.text("ui.not_your_buttons" if someone_else else "ui.private_only"),
                       show_alert=True)
    raise ApplicationHandlerStop


def register(app) -> None:
    """Group -2: before the volunteers' handlers (-1) and everything else (0)."""
    app.add_handler(CommandHandler(["check", "start"], group_command, filters=filters.ChatType.GROUPS), group=-2)
    app.add_handler(CallbackQueryHandler(group_callback), group=-2)
