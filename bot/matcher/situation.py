"""The answer for the situation a message states: the assessment's personal summary (ANSWER's
bot.engine.summary, as in /v1/assess), the one next question that would decide the most, and the
sources and dates the summary rests on (as /v1/assess gives them: every statement keeps its
source, REVIEW_API #3)."""

from __future__ import annotations

import datetime as dt
from typing import Mapping, NamedTuple

from bot.engine.assess import InvalidAnswers, assess
from bot.engine.i18n import Localizer
from bot.engine.rulebook import RuleBook
from bot.engine.summary import Summary, build_summary, pending_findings
from bot.engine.views import QuestionOut, SourceLineOut, dedupe_sources, next_question, render_citations


class SituationView(NamedTuple):
    summary: Summary | None
    next_question: QuestionOut | None
    sources: list[SourceLineOut]  # every source of the findings the summary was made from, once (as AssessOut.sources)
    as_of: dict[str, dt.date]  # topic id -> last checked, for every topic the summary's findings belong to


NOTHING = SituationView(None, None, [], {})


def situation_view(book: RuleBook, loc: Localizer, facts: Mapping[str, str], about: str = "self") -> SituationView:
    try:
        assessment = assess(book, dict(facts))
    except InvalidAnswers:
        return NOTHING
    next_q = next_question(book, loc, assessment, about)
    pending = pending_findings(book, assessment)
    findings = list(assessment.findings) + pending
    sources = dedupe_sources([c for f in findings for c in render_citations(book, f.rule.citations, loc)])
    as_of = {f.rule.topic: book.topics[f.rule.topic].as_of for f in findings}
    return SituationView(build_summary(book, assessment, loc, about, pending), next_q, sources, as_of)


def situation_answer(book: RuleBook, loc: Localizer, facts: Mapping[str, str], about: str = "self") -> tuple[Summary | None, QuestionOut | None]:
    view = situation_view(book, loc, facts, about)
    return view.summary, view.next_question
