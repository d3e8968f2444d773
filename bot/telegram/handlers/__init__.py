"""Handlers grouped by feature; `register` wires them into an Application."""

from __future__ import annotations

from telegram.ext import Application, CallbackQueryHandler, CommandHandler, InlineQueryHandler, MessageHandler, filters

from bot.telegram.handlers import edits  # noqa: I001 - ONBOARDING (issue 15)
from bot.telegram.handlers import errors, groups, handoff, inline, interview, media, privacy, questions, start, topics, understood


def register(app: Application) -> None:
    groups.register(app)  # issue 15: no personal check in groups, nobody taps another's buttons
    app.add_handler(MessageHandler(filters.UpdateType.EDITED_MESSAGE, edits.edited))  # issue 15: no second card
    app.add_handler(CommandHandler("start", start.start))
    app.add_handler(CommandHandler(["help", "menu"], start.help_command))
    app.add_handler(CommandHandler("language", start.language_command))
    app.add_handler(CommandHandler("privacy", privacy.privacy_command))
    app.add_handler(CommandHandler("forget", privacy.forget))
    app.add_handler(CommandHandler("clear", privacy.clear))
    app.add_handler(CommandHandler("check", interview.check_command))
    app.add_handler(CommandHandler("topics", topics.topics_command))
    app.add_handler(CommandHandler("gethelp", topics.get_help_command))
    app.add_handler(CallbackQueryHandler(start.language_chosen, pattern=r"^L:"))
    app.add_handler(CallbackQueryHandler(start.menu_pressed, pattern=r"^M:"))
    app.add_handler(CallbackQueryHandler(interview.answered, pattern=r"^a:"))
    app.add_handler(CallbackQueryHandler(interview.back, pattern=r"^b(:|$)"))
    app.add_handler(CallbackQueryHandler(interview.why, pattern=r"^W:"))
    app.add_handler(CallbackQueryHandler(interview.finding_sources, pattern=r"^S:"))
    app.add_handler(CallbackQueryHandler(interview.what_to_do, pattern=r"^R:todo$"))
    app.add_handler(CallbackQueryHandler(interview.expand_risk, pattern=r"^X:"))
    app.add_handler(CallbackQueryHandler(interview.all_sources, pattern=r"^S[SQA]$"))
    app.add_handler(CallbackQueryHandler(topics.topic_pressed, pattern=r"^T:"))
    app.add_handler(CallbackQueryHandler(understood.pressed, pattern=r"^U:"))  # "I understood" (issue 12, CONVERSATION)
    app.add_handler(CallbackQueryHandler(topics.topic_sources, pattern=r"^ST:"))
    app.add_handler(CallbackQueryHandler(topics.topic_more, pattern=r"^TM:"))  # a topic card's details
    app.add_handler(CallbackQueryHandler(topics.topic_quotes, pattern=r"^TQ:"))  # its sources' own words
    app.add_handler(InlineQueryHandler(inline.inline_query))
    app.add_handler(MessageHandler(filters.TEXT & ~filters.COMMAND, questions.text_message))
    app.add_handler(MessageHandler(
        filters.VOICE | filters.AUDIO | filters.VIDEO | filters.VIDEO_NOTE | filters.Sticker.ALL
        | filters.PHOTO | filters.Document.ALL | filters.LOCATION | filters.CONTACT, media.unsupported))
    handoff.register(app)  # talk to a person (issue 16): its own handler groups -1 and 1
    # Last in group 0, so that every update gets an answer (issue 15): any other command brings
    # the menu; any other button says it belongs to a check that is over, with "start again".
    app.add_handler(MessageHandler(filters.COMMAND, start.unknown_command))
    app.add_handler(CallbackQueryHandler(interview.expired))
    app.add_error_handler(errors.on_error)
