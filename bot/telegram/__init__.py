"""The Telegram bot: python-telegram-bot handlers grouped by feature, over bot.ogoh.Ogoh."""
