"""The answer for the situation a message states: the assessment's personal summary (ANSWER's
bot.engine.summary, when present) and the one next question that would decide the most."""

from __future__ import annotations

from typing import Any, Mapping

from bot.engine.assess import InvalidAnswers, assess
from bot.engine.i18n import Localizer
from bot.engine.rulebook import RuleBook
from bot.engine.views import QuestionOut, render_question


def situation_answer(book: RuleBook, loc: Localizer, facts: Mapping[str, str]) -> tuple[Any, QuestionOut | None]:
    try:
        assessment = assess(book, dict(facts))
    except InvalidAnswers:
        return None, None
    next_q = render_question(book, loc, assessment.next_fact) if assessment.next_fact else None
    summary = None
    try:
        from bot.engine import summary as summary_module  # ANSWER's personal answer (issue 11)
    except ImportError:
        summary_module = None
    if summary_module is not None:
        build = getattr(summary_module, "render_summary", None) or getattr(summary_module, "build_summary", None)
        if build is not None:
            try:
                summary = build(book, assessment, loc.lang if hasattr(loc, "lang") else loc)
            except TypeError:
                summary = None
    return summary, next_q
