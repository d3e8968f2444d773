"""The error handler: logs the kind of error only (never the update, which holds user text) and
tells the user something went wrong, in their language, without internals."""

from __future__ import annotations

import logging

from telegram import Update
from telegram.error import TelegramError
from telegram.ext import ContextTypes

from bot.telegram.session import deps, language_of, localizer

log = logging.getLogger("ogoh.telegram")


async def on_error(update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
    err = context.error
    where = err.__traceback__.tb_frame.f_code.co_name if err and err.__traceback__ else "?"
    log.error("handler error %s in %s", type(err).__name__, where)
    if isinstance(update, Update) and update.effective_chat:
        try:
            d = deps(context)
            await context.bot.send_message(update.effective_chat.id, localizer(d, await language_of(d, update)).text("bot.error"))
        except (TelegramError, Exception):  # noqa: BLE001 - the error handler must never raise
            log.error("could not tell the user about the error")
