"""What a user is shown, in their language, as pydantic models: the same JSON for the CLI
(`--json`), the REST API and (rendered as text) the Telegram bot and the web page."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import BaseModel, Field

from bot.engine.assess import Assessment
from bot.engine.conditions import DONT_KNOW
from bot.engine.i18n import Localizer
from bot.engine.models import Citation
from bot.engine.rulebook import RuleBook


class CitationOut(BaseModel):
    source_id: str
    title: str
    publisher: str
    date: str | None = Field(description="YYYY-MM-DD, YYYY-MM or YYYY; null when the page has no date")
    date_note: str | None = None
    url: str | None
    url_note: str | None = None
    quote: str | None = Field(None, description="verbatim, in the source's own language")
    note: str | None = None
    last_checked: dt.date


class TopicSummary(BaseModel):
    id: str
    severity: str
    severity_label: str
    title: str
    lang: str = Field(description="the language the title is shown in")


class TopicOut(TopicSummary):
    answer: str
    steps: list[str]
    citations: list[CitationOut]
    as_of: dt.date
    review_by: dt.date


class OptionOut(BaseModel):
    value: str
    label: str


class QuestionOut(BaseModel):
    fact_id: str
    label: str
    question: str
    options: list[OptionOut] = Field(description='always ends with "dont_know"')
    ask_if: str | None = None
    lang: str


class BecauseOut(BaseModel):
    fact_id: str
    label: str
    answer: str
    answer_label: str


class FindingOut(BaseModel):
    rule_id: str
    topic_id: str
    topic_title: str
    severity: str
    severity_label: str
    status: Literal["applies", "possible"]
    detail: str
    because: list[BecauseOut]
    citations: list[CitationOut]
    sources_differ: bool
    note: str | None = Field(None, description="why the finding is only possible, or that sources disagree")
    lang: str


class Envelope(BaseModel):
    rules_version: str
    as_of: dict[str, dt.date] = Field(default_factory=dict, description="topic id -> date its content was last checked")
    notices: list[str] = Field(default_factory=list, description="untranslated or unreviewed texts shown")


class AssessOut(Envelope):
    lang: str
    answers: dict[str, str]
    findings: list[FindingOut]
    next_question: QuestionOut | None
    complete: bool
    message: str | None = None
    disclaimer: str


class TopicsOut(Envelope):
    lang: str
    topics: list[TopicSummary]


class TopicDetailOut(Envelope):
    lang: str
    topic: TopicOut
    disclaimer: str


class FactsOut(Envelope):
    lang: str
    facts: list[QuestionOut]


def render_citations(book: RuleBook, citations: list[Citation]) -> list[CitationOut]:
    out = []
    for c in citations:
        s = book.sources[c.source]
        out.append(CitationOut(
            source_id=c.source, title=s.title, publisher=s.publisher, date=s.date, date_note=s.date_note,
            url=s.url, url_note=s.url_note, quote=c.quote, note=c.note, last_checked=s.last_checked,
        ))
    return out


def render_topic_summary(book: RuleBook, loc: Localizer, topic_id: str) -> TopicSummary:
    topic = book.topics[topic_id]
    title, shown = loc.lookup(f"topic.{topic_id}.title")
    return TopicSummary(id=topic_id, severity=topic.severity.value,
                        severity_label=loc.text(f"ui.severity.{topic.severity.value}"), title=title, lang=shown)


def render_topic(book: RuleBook, loc: Localizer, topic_id: str) -> TopicOut:
    topic = book.topics[topic_id]
    summary = render_topic_summary(book, loc, topic_id)
    steps = [s.strip() for s in loc.text(f"topic.{topic_id}.steps").splitlines() if s.strip()]
    return TopicOut(**summary.model_dump(), answer=loc.text(f"topic.{topic_id}.answer"), steps=steps,
                    citations=render_citations(book, topic.citations), as_of=topic.as_of, review_by=topic.review_by)


def render_question(book: RuleBook, loc: Localizer, fact_id: str) -> QuestionOut:
    fact = book.facts[fact_id]
    question, shown = loc.lookup(f"fact.{fact_id}.question")
    options = [OptionOut(value=o, label=loc.text(f"fact.{fact_id}.option.{o}")) for o in fact.options]
    options.append(OptionOut(value=DONT_KNOW, label=loc.text("ui.dont_know")))
    return QuestionOut(fact_id=fact_id, label=loc.text(f"fact.{fact_id}.label"), question=question,
                       options=options, ask_if=fact.ask_if, lang=shown)


def _answer_label(loc: Localizer, fact_id: str, value: str) -> str:
    return loc.text("ui.dont_know") if value == DONT_KNOW else loc.text(f"fact.{fact_id}.option.{value}")


def disclaimer(loc: Localizer, dates: list[dt.date]) -> str:
    newest = max(dates) if dates else max(t.as_of for t in loc.book.topics.values())
    return loc.text("ui.not_a_lawyer", date=newest.isoformat())


def render_assessment(book: RuleBook, assessment: Assessment, lang: str) -> AssessOut:
    loc = Localizer(book, lang)
    findings: list[FindingOut] = []
    for f in assessment.findings:
        rule = f.rule
        detail, shown = loc.lookup(f"rule.{rule.id}.detail")
        because = [BecauseOut(fact_id=fid, label=loc.text(f"fact.{fid}.label"), answer=assessment.answers[fid],
                              answer_label=_answer_label(loc, fid, assessment.answers[fid])) for fid in f.because]
        note = None
        if f.status == "possible":
            note = loc.text("ui.possible", facts=", ".join(b.label for b in because))
        elif rule.sources_differ:
            note = loc.text("ui.sources_differ")
        findings.append(FindingOut(
            rule_id=rule.id, topic_id=rule.topic, topic_title=loc.text(f"topic.{rule.topic}.title"),
            severity=rule.severity.value, severity_label=loc.text(f"ui.severity.{rule.severity.value}"),
            status=f.status, detail=detail, because=because, citations=render_citations(book, rule.citations),
            sources_differ=rule.sources_differ, note=note, lang=shown,
        ))
    as_of = {f.topic_id: book.topics[f.topic_id].as_of for f in findings}
    next_q = render_question(book, loc, assessment.next_fact) if assessment.next_fact else None
    message = loc.text("ui.no_findings") if assessment.complete and not findings else None
    return AssessOut(
        lang=lang, answers=assessment.answers, findings=findings, next_question=next_q,
        complete=assessment.complete, message=message, rules_version=book.version, as_of=as_of,
        disclaimer=disclaimer(loc, list(as_of.values())), notices=loc.notices(),
    )


def render_topics(book: RuleBook, lang: str) -> TopicsOut:
    loc = Localizer(book, lang)
    topics = [render_topic_summary(book, loc, tid) for tid in book.topics]
    return TopicsOut(lang=lang, topics=topics, rules_version=book.version,
                     as_of={tid: t.as_of for tid, t in book.topics.items()}, notices=loc.notices())


def render_topic_detail(book: RuleBook, topic_id: str, lang: str) -> TopicDetailOut:
    loc = Localizer(book, lang)
    topic = render_topic(book, loc, topic_id)
    return TopicDetailOut(lang=lang, topic=topic, rules_version=book.version, as_of={topic_id: topic.as_of},
                          disclaimer=disclaimer(loc, [topic.as_of]), notices=loc.notices())


def render_facts(book: RuleBook, lang: str) -> FactsOut:
    loc = Localizer(book, lang)
    return FactsOut(lang=lang, facts=[render_question(book, loc, fid) for fid in book.facts],
                    rules_version=book.version, notices=loc.notices())


class MatchOut(TopicOut):
    topic_id: str
    score: float


class SuggestionOut(BaseModel):
    topic_id: str
    score: float
    title: str
    lang: str


class SmallTalkOut(BaseModel):
    kind: str
    reply: str


class AskOut(Envelope):
    reply_lang: str
    matches: list[MatchOut] = Field(description="confident matches only, best first; empty means I don't know")
    suggestions: list[SuggestionOut] = Field(description="likely topics when not confident")
    small_talk: SmallTalkOut | None
    message: str | None = Field(None, description="what to tell the user when there is no confident match")
    topics: list[TopicSummary] = Field(default_factory=list, description="all topics, when there is no confident match")
    disclaimer: str
