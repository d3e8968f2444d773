"""The answer for the situation a message states: the assessment's personal summary (ANSWER's
bot.engine.summary, as in /v1/assess) and the one next question that would decide the most."""

from __future__ import annotations

from typing import Mapping

from bot.engine.assess import InvalidAnswers, assess
from bot.engine.i18n import Localizer
from bot.engine.rulebook import RuleBook
from bot.engine.summary import Summary, build_summary
from bot.engine.views import QuestionOut, next_question


def situation_answer(book: RuleBook, loc: Localizer, facts: Mapping[str, str], about: str = "self") -> tuple[Summary | None, QuestionOut | None]:
    try:
        assessment = assess(book, dict(facts))
    except InvalidAnswers:
        return None, None
    next_q = next_question(book, loc, assessment, about)
    return build_summary(book, assessment, loc, about), next_q
