"""Small things several handlers need."""

from __future__ import annotations

from telegram import Update
from telegram.constants import ChatType
from telegram.ext import ContextTypes


def addressed_to_bot(update: Update, context: ContextTypes.DEFAULT_TYPE) -> bool:
    """In groups the bot answers only commands and messages that mention it."""
    chat = update.effective_chat
    if chat is None or chat.type == ChatType.PRIVATE:
        return True
    text = update.effective_message.text or "" if update.effective_message else ""
    username = context.bot.username or ""
    return bool(username) and f"@{username}".lower() in text.lower()


def strip_mention(text: str, context: ContextTypes.DEFAULT_TYPE) -> str:
    username = context.bot.username or ""
    return text.replace(f"@{username}", "").strip() if username else text


async def answer_callback(update: Update) -> None:
    if update.callback_query:
        await update.callback_query.answer()
