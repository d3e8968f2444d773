"""Privacy: the notice, /forget (interview state) and /clear (the bot's own messages)."""

from __future__ import annotations

from telegram import Update
from telegram.constants import ParseMode
from telegram.error import BadRequest, TelegramError
from telegram.ext import ContextTypes

from bot.telegram import keyboards
from bot.telegram.handlers import handoff
from bot.telegram.render import esc
from bot.telegram.session import chat_key, deps, language, localizer, log, send, service, state_of, user_key


def notice(context: ContextTypes.DEFAULT_TYPE, loc) -> str:
    """The privacy notice (/forget and /clear in it), and who sees what when a person is offered."""
    handoff_part = handoff.privacy_text(context, loc)  # talk to a person: who sees what (issue 16)
    return esc(loc.text("bot.privacy_notice")) + (f"\n\n{esc(handoff_part)}" if handoff_part else "")


async def privacy_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    d = deps(context)
    loc = localizer(d, language(d, update, await state_of(d, update)))
    await send(context, update.effective_chat.id, notice(context, loc), keyboards.menu(loc, talk=handoff.offered(context)))


async def forget(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    d = deps(context)
    lang = language(d, update, await state_of(d, update))  # read before deleting, to answer in the same language
    await service(d).forget(user_key(d, update))
    context.user_data.clear()
    # Ends with the menu (issue 15), in the language the user had: one message, so that nothing
    # else has to follow it.
    loc = localizer(d, lang)
    await send(context, update.effective_chat.id, _with_menu_text(loc, "bot.forgotten"), keyboards.menu(loc, talk=handoff.offered(context)))


def _with_menu_text(loc, key: str) -> str:
    return f"{esc(loc.text(key))}\n\n{esc(loc.text('bot.menu'))}"


async def clear(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    d = deps(context)
    chat_id = update.effective_chat.id
    svc = service(d)
    lang = language(d, update, await state_of(d, update))
    key = chat_key(d, chat_id)
    message_ids = await svc.sent_messages(key)  # [] when storage is down
    for message_id in message_ids:
        try:
            await context.bot.delete_message(chat_id, message_id)
        except BadRequest:
            pass  # already deleted, or older than 48 hours
        except TelegramError as exc:
            log.warning("clear: could not delete a message: %s", type(exc).__name__)
    await svc.forget_messages(key)
    # This reply is deliberately not recorded: it explains what happened and can be deleted by hand.
    # It ends with the menu (issue 15).
    loc = localizer(d, lang)
    await context.bot.send_message(chat_id, _with_menu_text(loc, "bot.cleared"), parse_mode=ParseMode.HTML,
                                   reply_markup=keyboards.menu(loc, talk=handoff.offered(context)))
