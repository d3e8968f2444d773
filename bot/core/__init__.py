"""The service layer between the faces (API, web page, Telegram bot, CLI) and the engine.

- `bot.core.cache`: the parsed rule book and trained question index, cached on disk by version.
- `bot.core.service`: `Service`, the one async object every face calls (snapshot per request,
  rate limits, trend counting, interview state, view models).
- `bot.core.store`: the async storage facade (SQLite off the event loop, Redis with short timeouts).
"""
