"""What a user is shown, in their language, as pydantic models: the same JSON for the CLI
(`--json`), the REST API and (rendered as text) the Telegram bot and the web page."""

from __future__ import annotations

import datetime as dt
import functools
from functools import lru_cache
from typing import Literal

from pydantic import BaseModel, Field, PrivateAttr

from bot.engine.assess import Assessment, refining
from bot.engine.conditions import DONT_KNOW, Answer
from bot.engine.i18n import Localizer
from bot.engine.memo import cached_view
from bot.engine.models import Citation
from bot.engine.rulebook import RuleBook
from bot.engine.summary import Summary, build_summary, pending_findings, person_key


class CitationOut(BaseModel):
    source_id: str
    title: str = Field(description=(
        "the source's own title, verbatim, only when title_kind is 'verbatim' (see title_lang); "
        "'from_url': read off the page address; 'description': our own label for the source, not its words"))
    title_kind: Literal["verbatim", "from_url", "description"] = Field(
        "verbatim", description="what title is: the source's own title, one read off its address, or our label for it")
    title_lang: str = Field(description="language of the title: it is not translated")
    publisher: str = Field(description="proper name of the publisher")
    via: str | None = Field(None, description="proper name of the other party (see relation)")
    relation: str | None = Field(None, description="citing | reprint | summary | relaying | quoting")
    publisher_kind: str | None = Field(None, description="code such as blog, law_firm, us_sponsored")
    publisher_text: str = Field(description="publisher, via and kind as one phrase in the reply language")
    date: str | None = Field(description="YYYY-MM-DD, YYYY-MM or YYYY; null when the page has no date")
    date_text: str = Field(description="month and year (or why there is no date), in the reply language")
    date_note: str | None = Field(None, description="why the date is missing or approximate, in the reply language")
    url: str | None
    url_note: str | None = Field(None, description="why there is no address, in the reply language")
    quote: str | None = Field(None, description="verbatim, in the source's own language (quote_lang)")
    quote_lang: str | None = Field(None, description="language of the quote: quotes are never translated")
    quote_note: str | None = Field(None, description=(
        "when the quote is not in the reply language: what it is, in the reply language (the original, in English)"))
    note: str | None = Field(None, description="why there is no quote, in the reply language")
    last_checked: dt.date
    line: str = Field(description="one line for a list of sources: publisher, month and year, address or why none")


class QuoteOut(BaseModel):
    text: str = Field(description="verbatim: never translated")
    lang: str = Field(description="the language of the quote")
    note: str | None = Field(None, description="when not in the reply language: what it is, in the reply language")


class SourceLineOut(BaseModel):
    """One source, once per answer, however many findings cite it."""
    source_id: str
    line: str = Field(description="publisher, month and year, address (or why none), in the reply language")
    publisher_text: str
    date_text: str
    url: str | None
    url_note: str | None = Field(None, description="why there is no address, in the reply language")
    quotes: list[QuoteOut] = Field(description="the source's own words behind the answer")
    notes: list[str] = Field(default_factory=list, description="why a citation has no verbatim quote, in the reply language")


def dedupe_sources(citations: list[CitationOut]) -> list[SourceLineOut]:
    out: dict[str, SourceLineOut] = {}
    for c in citations:
        entry = out.setdefault(c.source_id, SourceLineOut(source_id=c.source_id, line=c.line, publisher_text=c.publisher_text,
                                                          date_text=c.date_text, url=c.url, url_note=c.url_note, quotes=[]))
        if c.quote and all(q.text != c.quote for q in entry.quotes):
            entry.quotes.append(QuoteOut(text=c.quote, lang=c.quote_lang or "en", note=c.quote_note))
        if c.note and c.note not in entry.notes:
            entry.notes.append(c.note)
    return list(out.values())


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
    multiple: bool = Field(False, description='several options may be chosen at once ("no" and "dont_know" alone)')
    ask_if: str | None = None
    lang: str
    refines: str | None = Field(None, description='the answer this question asks to say more about: after "yes" (a message '
                                                  'saying "I was offered a contract"), who offered it; the answer replaces it')
    also: list[OptionOut] = Field(default_factory=list, description='answers that are valid but not offered as buttons '
                                                                    '(military_offer "yes": offered, by someone not said)')

    def answer_label(self, value: str | list[str]) -> str:
        """The answer in the reader's words ("Employer, Online ad" for several); an unknown value as it is."""
        if not isinstance(value, str):
            return ", ".join(self.answer_label(v) for v in value)
        return next((o.label for o in self.options + self.also if o.value == value), value)


class BecauseOut(BaseModel):
    fact_id: str
    label: str
    answer: str | list[str]
    answer_label: str
    implied_by: str | None = Field(None, description="the fact whose answer implies this one (it was not asked)")


class FindingOut(BaseModel):
    rule_id: str
    topic_id: str
    topic_title: str
    severity: str = Field(description="for this person: lower than rule_severity when the answers show no exposure")
    rule_severity: str
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
    summary: Summary = Field(description="the personal answer, shown first by every face: headline, at most 3 risks, "
                                         "at most 5 steps, contacts (home country first); findings hold the full texts")
    answers: dict[str, str | list[str]] = Field(description="the answers given, plus those they imply (see implied); a list for a fact that takes several")
    implied: dict[str, str] = Field(default_factory=dict, description="fact id -> the fact whose answer implies it")
    exposed: bool | None = Field(None, description="whether the answers show exposure (rules.yaml `exposure`); null while unknown")
    findings: list[FindingOut]
    sources: list[SourceLineOut] = Field(default_factory=list, description="every source of this answer, once, in the order first cited")
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


@lru_cache(maxsize=4096)  # titles and quotes of the rule files, never a user's text
def text_lang(text: str) -> str:
    """The language of a verbatim quote or title, by script: our sources are Russian or English."""
    cyr = sum(1 for ch in text if "\u0400" <= ch <= "\u04ff")
    lat = sum(1 for ch in text if ch.isascii() and ch.isalpha())
    return "ru" if cyr > lat else "en"


def original_note(loc: Localizer, quote: str | None) -> str | None:
    """What a verbatim quote in another language than the reader's is, in the reader's words
    ("оригинал на английском"; REVIEW5 F23): a quote is never translated, so it is marked."""
    if not quote or text_lang(quote) == loc.base or _NOT_RUSSIAN & set(quote.lower()):
        return None  # (a Kyrgyz or Tajik quote is Cyrillic but not Russian: no language claimed for it)
    return loc.text(f"ui.source.original.{text_lang(quote)}")


_NOT_RUSSIAN = frozenset("әғқңөұүһіӣӯҳҷ")  # Cyrillic letters of Kazakh, Kyrgyz, Tajik that Russian has not


def source_name(loc: Localizer, sid: str, field: str, default: str) -> str:
    """A publisher's or other party's name as readers of the reply language know it
    (source.<id>.publisher / .via: Коммерсантъ in Russian), else as sources.yaml has it. Only the
    reply language's own text counts: a fallback would put Cyrillic into Uzbek Latin."""
    key = f"source.{sid}.{field}"
    return loc.text(key) if key in loc.book.texts.get(loc.base, {}) else default


def publisher_text(loc: Localizer, sid: str) -> str:
    s = loc.book.sources[sid]
    text = source_name(loc, sid, "publisher", s.publisher)
    if s.via and s.relation:
        text = loc.text(f"ui.source.relation.{s.relation}", publisher=text, via=source_name(loc, sid, "via", s.via))
    if s.publisher_kind:
        text += ", " + loc.text(f"ui.source.kind.{s.publisher_kind}")
    return text


def source_date_text(loc: Localizer, sid: str) -> tuple[str, str | None]:
    """(what to show for the date, the note on it or None), in the reply language."""
    s = loc.book.sources[sid]
    note = None
    if s.date_note == "text":
        note = loc.text(f"source.{sid}.date_note")
        return note, note
    if s.date_note and s.date_note != "approximate":
        note = loc.text(f"ui.source.date_note.{s.date_note}")
    if s.date is None:
        return note or "", note
    when = loc.month_year(s.date)
    if s.date_note == "approximate":
        when = loc.text("ui.source.date_note.approximate", date=when)
        note = when
    return when, note


def render_citations(book: RuleBook, citations: list[Citation], loc: Localizer | None = None) -> list[CitationOut]:
    """Each citation rendered once per rule book and language (bot.engine.memo; shared, read-only)."""
    local = loc or Localizer(book, book.source_language)
    return [cached_view(local, "citation", (c.source, c.quote, c.note), functools.partial(_render_citation, book, c))
            for c in citations]


def _render_citation(book: RuleBook, c: Citation, local: Localizer) -> CitationOut:
    s = book.sources[c.source]
    who = publisher_text(local, c.source)
    when, date_note = source_date_text(local, c.source)
    url_note = None
    if s.url_note == "text":
        url_note = local.text(f"source.{c.source}.url_note")
    elif s.url_note:
        url_note = local.text(f"ui.source.url_note.{s.url_note}")
    where = _host(s.url) if s.url else (url_note or "")
    return CitationOut(
        source_id=c.source, title=s.title, title_kind=s.title_kind, title_lang=text_lang(s.title), publisher=s.publisher, via=s.via,
        relation=s.relation, publisher_kind=s.publisher_kind, publisher_text=who, date=s.date, date_text=when,
        date_note=date_note, url=s.url, url_note=url_note, quote=c.quote,
        quote_lang=text_lang(c.quote) if c.quote else None, quote_note=original_note(local, c.quote), note=local.citation_note(c.note) if c.note else None,
        last_checked=s.last_checked, line=", ".join(p for p in (who, when, where) if p),
    )


def _host(url: str) -> str:
    return url.split("://", 1)[-1].split("/", 1)[0]


def render_topic_summary(book: RuleBook, loc: Localizer, topic_id: str) -> TopicSummary:
    """Made once per rule book and language (bot.engine.memo): shared, read-only."""
    return cached_view(loc, "topic_summary", topic_id, lambda probe: _render_topic_summary(book, probe, topic_id))


def _render_topic_summary(book: RuleBook, loc: Localizer, topic_id: str) -> TopicSummary:
    topic = book.topics[topic_id]
    title, shown = loc.lookup(f"topic.{topic_id}.title")
    return TopicSummary(id=topic_id, severity=topic.severity.value,
                        severity_label=loc.text(f"ui.severity.{topic.severity.value}"), title=title, lang=shown)


def render_topic(book: RuleBook, loc: Localizer, topic_id: str) -> TopicOut:
    """A topic card, made once per rule book and language (bot.engine.memo): shared, read-only."""
    return cached_view(loc, "topic", topic_id, lambda probe: _render_topic(book, probe, topic_id))


def _render_topic(book: RuleBook, loc: Localizer, topic_id: str) -> TopicOut:
    topic = book.topics[topic_id]
    summary = render_topic_summary(book, loc, topic_id)
    steps = [s.strip() for s in loc.text(f"topic.{topic_id}.steps").splitlines() if s.strip()]
    return TopicOut(**summary.model_dump(), answer=loc.text(f"topic.{topic_id}.answer"), steps=steps,
                    citations=render_citations(book, topic.citations, loc), as_of=topic.as_of, review_by=topic.review_by)


def render_question(book: RuleBook, loc: Localizer, fact_id: str, about: str = "self", refines: str | None = None) -> QuestionOut:
    """Made once per rule book and language (bot.engine.memo): shared, read-only. `about="other"`:
    the question asked about the person the asker wrote about (fact.<id>.question.other).
    `refines`: the coarse answer given ("yes"): the question asks for its refinements (who offered
    it: fact.<id>.refine.<value>), the one answer that replaces it."""
    if about == "other" or refines:
        return cached_view(loc, "question", (fact_id, about, refines), lambda probe: _render_question(book, probe, fact_id, about, refines))
    return cached_view(loc, "question", fact_id, lambda probe: _render_question(book, probe, fact_id))


def next_question(book: RuleBook, loc: Localizer, assessment: Assessment, about: str = "self") -> QuestionOut | None:
    """The assessment's next question, asking who after a coarse "offered"."""
    if not assessment.next_fact:
        return None
    return render_question(book, loc, assessment.next_fact, about, refining(book, assessment.next_fact, assessment.answers))


def _render_question(book: RuleBook, loc: Localizer, fact_id: str, about: str = "self", refines: str | None = None) -> QuestionOut:
    fact = book.facts[fact_id]
    key = f"fact.{fact_id}.refine.{refines}" if refines else f"fact.{fact_id}.question"
    question, shown = loc.lookup(person_key(loc, key, about))

    def option(o: str) -> OptionOut:
        return OptionOut(value=o, label=loc.text(person_key(loc, f"fact.{fact_id}.option.{o}", about)))

    values = fact.refine[refines].to if refines else [o for o in fact.options if o not in fact.refine]
    options = [option(o) for o in values] + [OptionOut(value=DONT_KNOW, label=loc.text("ui.dont_know"))]
    return QuestionOut(fact_id=fact_id, label=loc.text(f"fact.{fact_id}.label"), question=question,
                       options=options, multiple=fact.multiple, ask_if=fact.ask_if, lang=shown,
                       refines=refines, also=[option(o) for o in fact.refine])


def _as_json(value: Answer) -> str | list[str]:
    return value if isinstance(value, str) else list(value)


def _answer_label(loc: Localizer, fact_id: str, value: Answer) -> str:
    if not isinstance(value, str):  # several answers of a `multiple` fact
        return ", ".join(_answer_label(loc, fact_id, v) for v in value)
    return loc.text("ui.dont_know") if value == DONT_KNOW else loc.text(f"fact.{fact_id}.option.{value}")


def disclaimer(loc: Localizer, dates: list[dt.date]) -> str:
    """"Checked on": the OLDEST date the answer relies on (its topics' as_of), never the newest: an
    answer is only as fresh as its stalest part (REVIEW_API #14). Made once per rule book, language
    and date (bot.engine.memo)."""
    oldest = min(dates) if dates else None
    return cached_view(loc, "disclaimer", oldest, lambda probe: _disclaimer(probe, oldest))


def _disclaimer(loc: Localizer, oldest: dt.date | None) -> str:
    if oldest is None:  # no topic in the reply: the oldest date of all (what it may speak of)
        oldest = min(t.as_of for t in loc.book.topics.values())
    return loc.text("ui.not_a_lawyer", date=loc.date(oldest))


def render_assessment(book: RuleBook, assessment: Assessment, lang: str, about: str = "self") -> AssessOut:
    loc = Localizer(book, lang)
    findings: list[FindingOut] = []
    # The risks the summary shows with "if" before the questions that decide them are asked are
    # findings too (status "possible"), with their citations: every statement keeps its source.
    pending = pending_findings(book, assessment)
    for f in list(assessment.findings) + pending:
        rule = f.rule
        detail, shown = loc.lookup(f"rule.{rule.id}.detail")
        because = [BecauseOut(fact_id=fid, label=loc.text(f"fact.{fid}.label"), answer=_as_json(assessment.answers[fid]),
                              answer_label=_answer_label(loc, fid, assessment.answers[fid]),
                              implied_by=assessment.implied.get(fid)) for fid in f.because if fid in assessment.answers]
        severity = f.effective_severity.value
        note = None
        if f in pending:
            note = loc.text("ui.summary.pending", facts=", ".join(loc.text(f"fact.{fid}.label") for fid in f.because))
        elif f.status == "possible":
            note = loc.text("ui.possible", facts=", ".join(b.label for b in because))
        elif rule.sources_differ:
            note = loc.text("ui.sources_differ")
        findings.append(FindingOut(
            rule_id=rule.id, topic_id=rule.topic, topic_title=loc.text(f"topic.{rule.topic}.title"),
            severity=severity, rule_severity=rule.severity.value, severity_label=loc.text(f"ui.severity.{severity}"),
            status=f.status, detail=detail, because=because, citations=render_citations(book, rule.citations, loc),
            sources_differ=rule.sources_differ, note=note, lang=shown,
        ))
    as_of = {f.topic_id: book.topics[f.topic_id].as_of for f in findings}
    next_q = next_question(book, loc, assessment, about)
    message = loc.text("ui.no_findings") if assessment.complete and not findings else None
    summary = build_summary(book, assessment, loc, about, pending)
    return AssessOut(
        sources=dedupe_sources([c for f in findings for c in f.citations]),
        lang=lang, summary=summary, answers={k: _as_json(v) for k, v in assessment.answers.items()}, implied=assessment.implied, exposed=assessment.exposed, findings=findings, next_question=next_q,
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


def render_facts(book: RuleBook, lang: str, about: str = "self") -> FactsOut:
    loc = Localizer(book, lang)
    return FactsOut(lang=lang, facts=[render_question(book, loc, fid, about) for fid in book.facts],
                    rules_version=book.version, notices=loc.notices())


class MatchOut(TopicOut):
    topic_id: str
    score: float
    # REVIEW_API #5: one documented meaning per field. `severity` is what the reader is shown for
    # this topic; `topic_severity` is always the topic's own (as /v1/topics and the card).
    severity: str = Field(description=(
        "the severity shown with this match: when `personal` is true, the person's (the same as this topic's "
        "summary.risks/good_to_know item: lower when the answers show no exposure, a rule's own severity otherwise); "
        "when false, the topic's own (= topic_severity)"))
    topic_severity: str | None = Field(None, description="the topic's own severity, as GET /v1/topics and the topic card give it, whatever the message says")
    personal: bool = Field(False, description="true: severity and severity_label are this person's, from the personal answer (summary) of the facts the message states")


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
    message: str | None = Field(None, description="what to tell the user: with a summary for the facts the message states, "
                                "the personal answer in plain text (headline, risks, what to do now); else, when there is "
                                "no confident match, that it is not sure")
    topics: list[TopicSummary] = Field(default_factory=list, description="all topics, when there is no confident match")
    # FACTS: the situation the message states (ids and values of /v1/facts), and what follows
    facts: dict[str, str] = Field(default_factory=dict, description="facts the message states, e.g. {\"home_country\": \"KG\", \"summons\": \"yes\"}")
    about: Literal["self", "other"] = Field("self", description='"other" when the message is about someone else (my brother, my husband ...)')
    summary: Summary | None = Field(None, description="the personal answer for these facts, as in /v1/assess (when facts were found)")
    next_question: QuestionOut | None = Field(None, description="the one question that would decide the most, given these facts")
    sources: list[SourceLineOut] = Field(default_factory=list, description=(
        "every source of the personal answer (`summary`), once, as /v1/assess gives them for the same facts: "
        "`summary.risks[].source_ids` and `summary.contacts[].source_id` name entries of this list; matches carry their own citations"))
    country_named: str | None = Field(None, description=(
        "the one home country the message names (its name or a city), whoever's it is (UZ, TJ, KG, KZ, TM; null: none or "
        "several): a matched or suggested topic's card for it leads with that country's finding when no home country is stated"))
    attention: list[str] = Field(default_factory=list, description=(
        "what the message needs besides a topic (rules/lexicon/intents.yaml): help_now, detained, forced, drafted, missing "
        "(urgent: lead with what to do now, offer a person), signed (a contract already signed), person (asks for a person), "
        "about_bot (asks who or what answers), out_of_scope (outside what Ogoh covers: say so)"))
    disclaimer: str
    # The label the matcher ranked first and its decision value (bot.matcher.decide), kept from the
    # classification this answer was made from so that the out-of-scope reading (bot.core.replies)
    # does not search the same text again; never serialized, not part of the API.
    _leading: tuple[str, float] | None = PrivateAttr(default=None)
