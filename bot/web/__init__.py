"""The web page: the bot's guided check and question box as plain HTML forms, for workers where
Telegram is blocked, plus a side-by-side preview for translators. A thin face over the service."""

from bot.web.router import WEB_KEYS, web_router

__all__ = ["WEB_KEYS", "web_router"]
