"""Voice, stickers, photos, files: a polite reply in the user's language (nothing is downloaded)."""

from __future__ import annotations

from telegram import Update
from telegram.ext import ContextTypes

from bot.telegram.handlers.common import addressed_to_bot
from bot.telegram.render import esc
from bot.telegram.session import deps, language_of, localizer, send


async def unsupported(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    if update.effective_chat is None or not addressed_to_bot(update, context):
        return
    d = deps(context)
    await send(context, update.effective_chat.id, esc(localizer(d, await language_of(d, update)).text("bot.unsupported_media")))
